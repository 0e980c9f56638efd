//! Keyed hashes: how identifiers and findings are linked across documents and scans
//! without ever being written out (DESIGN.md, privacy). The key comes from the
//! configuration or `O365LINT_HASH_KEY`; without one a public key is used, and a reader who
//! knows it could test guesses of a value against its hash.

/// A 32-byte hash key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key([u8; 32]);

impl Key {
    /// The key derived from a secret of any length.
    pub fn from_secret(secret: &str) -> Key {
        Key(blake3::derive_key(
            "o365lint 2026 hash key",
            secret.as_bytes(),
        ))
    }

    /// The public key used when none is configured.
    pub fn public() -> Key {
        Key::from_secret("")
    }

    /// 16 hex digits (64 bits) of the keyed hash of `parts`, each length-prefixed so that
    /// different splits never collide.
    pub fn hash(&self, parts: &[&str]) -> String {
        let mut h = blake3::Hasher::new_keyed(&self.0);
        for p in parts {
            h.update(&(p.len() as u64).to_le_bytes());
            h.update(p.as_bytes());
        }
        h.finalize().to_hex()[..16].to_string()
    }
}

impl Default for Key {
    fn default() -> Key {
        Key::public()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_and_split_safe() {
        let k = Key::from_secret("hemmelig");
        assert_eq!(k.hash(&["a", "bc"]), k.hash(&["a", "bc"]));
        assert_ne!(k.hash(&["a", "bc"]), k.hash(&["ab", "c"]));
        assert_ne!(k.hash(&["a"]), Key::public().hash(&["a"]));
        assert_eq!(k.hash(&["a"]).len(), 16);
    }
}
