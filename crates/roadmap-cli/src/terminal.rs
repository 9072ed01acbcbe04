//! What reaches the terminal: text from a roadmap, a file name, a server or the database may
//! hold control characters that could retitle the terminal or change its colours.

use std::io::Write;

/// Text from a roadmap, a file name or the database as it may reach a terminal: control
/// characters (which could retitle the terminal or change its colours) are shown as `?`; line
/// breaks and tabs stay.
pub fn terminal_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\n' | '\t') {
                '?'
            } else {
                c
            }
        })
        .collect()
}

/// Standard output with control characters replaced by `?`, as [`terminal_text`] does, byte
/// by byte so that it can sit under a `BufWriter` and see large chunks: C0 controls (but line
/// breaks and tabs) and DEL are single bytes; C1 controls (U+0080..U+009F) are 0xC2 followed
/// by 0x80..0x9F in UTF-8, so a write ending on 0xC2 keeps that byte until the next one.
pub struct Terminal<W: Write> {
    inner: W,
    /// A 0xC2 that ended the last write.
    held: bool,
}

impl<W: Write> Terminal<W> {
    pub fn new(inner: W) -> Self {
        Terminal { inner, held: false }
    }
}

impl<W: Write> Write for Terminal<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let mut bytes = Vec::new();
        let chunk: &[u8] = if self.held {
            bytes.reserve(buf.len() + 1);
            bytes.push(0xc2);
            bytes.extend_from_slice(buf);
            &bytes
        } else {
            buf
        };
        let (chunk, held) = match chunk.split_last() {
            Some((&0xc2, rest)) => (rest, true),
            _ => (chunk, false),
        };
        self.held = held;
        let c0 = |b: u8| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f;
        let c1 = |i: usize| {
            chunk[i] == 0xc2 && chunk.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n))
        };
        // A plain scan first (the compiler vectorises it); the exact check only when it finds
        // a byte that might start a control character.
        let suspicious = chunk.iter().fold(false, |seen, &b| {
            seen | ((b < 0x20) & (b != b'\n') & (b != b'\t')) | (b == 0x7f) | (b == 0xc2)
        });
        if !suspicious || !(0..chunk.len()).any(|i| c0(chunk[i]) || c1(i)) {
            self.inner.write_all(chunk)?;
            return Ok(buf.len());
        }
        let mut clean = Vec::with_capacity(chunk.len());
        let mut i = 0;
        while i < chunk.len() {
            if c1(i) {
                clean.push(b'?');
                i += 2;
            } else {
                clean.push(if c0(chunk[i]) { b'?' } else { chunk[i] });
                i += 1;
            }
        }
        self.inner.write_all(&clean)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if std::mem::take(&mut self.held) {
            // Output that ends on a lone 0xC2 is not text; pass the byte on as it came.
            self.inner.write_all(&[0xc2])?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Control characters become `?` however the output is cut into writes, a C1 control
    /// split across two of them included; everything else passes through unchanged.
    #[test]
    fn the_terminal_never_receives_a_control_character() {
        let text = "ok ✓ · é\n\tbell\u{7} esc\u{1b}]0;x csi\u{9b}31m del\u{7f} end";
        for capacity in 1..24 {
            let mut out = std::io::BufWriter::with_capacity(capacity, Terminal::new(Vec::new()));
            for piece in text.as_bytes().chunks(capacity) {
                out.write_all(piece).expect("write");
            }
            let mut terminal = out.into_inner().map_err(|_| "flush").expect("flush");
            terminal.flush().expect("flush");
            let written = terminal.inner;
            let written = String::from_utf8(written).expect("still UTF-8");
            assert_eq!(
                written, "ok ✓ · é\n\tbell? esc?]0;x csi?31m del? end",
                "cut every {capacity} bytes"
            );
        }
    }
}
