//! Keyed hashes: how identifiers and findings are linked across documents and scans
//! without ever being written out (DESIGN.md, privacy). The key comes from the
//! configuration or `O365LINT_HASH_KEY`. Without one, a public key keys fingerprints made of
//! masked text only, and values are not hashed at all.

/// A 32-byte hash key, and whether it is secret. With the public key, nothing derived from
/// an identifier may be hashed: six digits of a fødselsnummer are shown (masked), and the
/// 10⁵ endings can be tried against a hash in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    bytes: [u8; 32],
    secret: bool,
}

impl Key {
    /// The key derived from a secret of any length.
    pub fn from_secret(secret: &str) -> Key {
        Key {
            bytes: blake3::derive_key("o365lint 2026 hash key", secret.as_bytes()),
            secret: !secret.is_empty(),
        }
    }

    /// The public key used when none is configured.
    pub fn public() -> Key {
        Key::from_secret("")
    }

    /// Whether values may be hashed with it.
    pub fn is_secret(&self) -> bool {
        self.secret
    }

    /// 16 hex digits (64 bits) of the keyed hash of `parts`, each length-prefixed so that
    /// different splits never collide.
    pub fn hash(&self, parts: &[&str]) -> String {
        let mut h = blake3::Hasher::new_keyed(&self.bytes);
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
