//! A part as a seekable file, inflated only as far as it is read. An OLE object embedded
//! in a package is opened by its header, allocation tables and directory, which Office
//! writes at its start: whether it holds a document is known long before its end, and
//! an equation, a drawing or a packaged program (most objects, some of megabytes) need
//! not be inflated whole to say so.

use std::io::{self, Read, Seek, SeekFrom};

/// What is inflated at least at a time: a read of a few bytes does not go to the inflater
/// for each.
const STEP: usize = 64 << 10;

/// A stream seen as a file of `len` bytes (its declared size), holding what has been read
/// of it. Reads past what is held inflate up to there; nothing beyond the stream's own end
/// is ever read, and the stream's reader bounds what it gives.
pub struct Lazy<'a> {
    inner: Box<dyn Read + 'a>,
    held: Vec<u8>,
    len: u64,
    pos: u64,
    /// The stream gave all it had.
    ended: bool,
}

impl<'a> Lazy<'a> {
    /// `inner` as a file of `len` bytes, read as far as it is used.
    pub fn new(inner: impl Read + 'a, len: u64) -> Self {
        Lazy {
            inner: Box::new(inner),
            held: Vec::new(),
            len,
            pos: 0,
            ended: false,
        }
    }

    /// Bytes already in memory (an object a legacy document holds), as a file.
    pub fn whole(bytes: Vec<u8>) -> Self {
        Lazy {
            len: bytes.len() as u64,
            inner: Box::new(io::empty()),
            held: bytes,
            pos: 0,
            ended: true,
        }
    }

    /// Every byte of the stream, from its start: what is held and the rest read now. The
    /// file is empty after.
    pub fn take_bytes(&mut self) -> io::Result<Vec<u8>> {
        if !self.ended {
            // Exactly the declared size (within the caps): grown by doubling, the buffer
            // would hold up to twice the part while the document in it is read.
            let more = self.len.saturating_sub(self.held.len() as u64);
            self.held.try_reserve_exact(more as usize)?;
            self.inner.read_to_end(&mut self.held)?;
            self.ended = true;
        }
        (self.len, self.pos) = (0, 0);
        Ok(std::mem::take(&mut self.held))
    }

    /// Reads on until `to` bytes are held or the stream ends.
    fn fill(&mut self, to: u64) -> io::Result<()> {
        while !self.ended && (self.held.len() as u64) < to {
            let want = (to - self.held.len() as u64).max(STEP as u64);
            let room = want.min(self.len.saturating_sub(self.held.len() as u64));
            self.held.try_reserve_exact(room as usize)?;
            let got = (&mut self.inner).take(want).read_to_end(&mut self.held)?;
            if (got as u64) < want {
                self.ended = true;
            }
        }
        Ok(())
    }
}

impl Read for Lazy<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let end = self.pos.saturating_add(buf.len() as u64).min(self.len);
        self.fill(end)?;
        let held = self.held.len() as u64;
        let (from, to) = (self.pos.min(held), end.min(held));
        let n = (to.saturating_sub(from)) as usize;
        buf[..n].copy_from_slice(&self.held[from as usize..from as usize + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Lazy<'_> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let pos = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        }
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek out of range"))?;
        self.pos = pos;
        Ok(pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that counts what was taken from it.
    struct Counted<'c> {
        data: &'c [u8],
        taken: &'c mut usize,
    }

    impl Read for Counted<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.data.read(buf)?;
            *self.taken += n;
            Ok(n)
        }
    }

    /// `data` as a file that counts what was read of it into `taken`.
    fn counted<'c>(data: &'c [u8], taken: &'c mut usize) -> Lazy<'c> {
        Lazy::new(Counted { data, taken }, data.len() as u64)
    }

    #[test]
    fn reads_and_seeks_as_a_file_would_and_inflates_only_what_is_used() {
        let data: Vec<u8> = (0..1_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut taken = 0;
        let mut lazy = counted(&data, &mut taken);
        let mut file = io::Cursor::new(&data);
        let mut x = 77u64;
        for _ in 0..200 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
            let at = (x >> 33) % 300_000;
            let to = match x % 3 {
                0 => SeekFrom::Start(at),
                1 => SeekFrom::End(-(at as i64)),
                _ => SeekFrom::Current((at as i64) % 2000 - 1000),
            };
            assert_eq!(lazy.seek(to).ok(), file.seek(to).ok());
            let mut a = vec![0u8; (x % 5000) as usize];
            let mut b = a.clone();
            assert_eq!(lazy.read(&mut a).ok(), file.read(&mut b).ok());
            assert_eq!(a, b);
        }
        // Reads past the end give nothing, as a file's do.
        lazy.seek(SeekFrom::End(0)).unwrap();
        assert_eq!(lazy.read(&mut [0; 10]).unwrap(), 0);
        let bytes = lazy.take_bytes().unwrap();
        assert_eq!(bytes, data);
        // Held at its size, not grown by doubling past it.
        assert_eq!(bytes.capacity(), data.len());
        drop(lazy);
        assert_eq!(taken, data.len());

        // A read near the start takes one step of the stream, not the stream.
        let mut taken = 0;
        let mut lazy = counted(&data, &mut taken);
        let mut head = [0u8; 512];
        lazy.read_exact(&mut head).unwrap();
        lazy.seek(SeekFrom::Start(40_000)).unwrap();
        lazy.read_exact(&mut head).unwrap();
        assert_eq!(head[..], data[40_000..40_512]);
        drop(lazy);
        assert_eq!(taken, STEP);
    }

    /// A part read whole after a look at its head is held at its size: a buffer grown by
    /// doubling would hold up to twice it while the document in it is read.
    #[test]
    fn a_part_read_whole_is_held_at_its_size() {
        let data = vec![7u8; 1_000_000];
        let mut taken = 0;
        let mut lazy = counted(&data, &mut taken);
        lazy.read_exact(&mut [0; 8]).unwrap();
        let bytes = lazy.take_bytes().unwrap();
        assert_eq!((bytes.len(), bytes.capacity()), (data.len(), data.len()));
    }

    #[test]
    fn a_stream_shorter_than_declared_ends_where_it_ends() {
        let mut lazy = Lazy::new(&[1u8, 2, 3][..], 10);
        lazy.seek(SeekFrom::Start(2)).unwrap();
        let mut buf = [0u8; 8];
        assert_eq!(lazy.read(&mut buf).unwrap(), 1);
        assert_eq!(lazy.read(&mut buf).unwrap(), 0);
        assert_eq!(lazy.take_bytes().unwrap(), [1, 2, 3]);
        assert_eq!(Lazy::whole(vec![4, 5]).take_bytes().unwrap(), [4, 5]);
    }
}
