//! Text for the base-14 Helvetica faces: WinAnsi encoding, glyph widths, wrapping.

use super::*;

// ---------------------------------------------------------------------------------------------
// Text: WinAnsi encoding and Helvetica widths

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Font {
    Regular,
    Bold,
}

impl Font {
    pub(super) fn name(self) -> Name<'static> {
        match self {
            Font::Regular => Name(b"F1"),
            Font::Bold => Name(b"F2"),
        }
    }

    /// Advance width of one WinAnsi byte, in thousandths of the font size.
    pub(super) fn width(self, byte: u8) -> f32 {
        let table: &[u16; 95] = match self {
            Font::Regular => &HELVETICA,
            Font::Bold => &HELVETICA_BOLD,
        };
        match byte {
            32..=126 => f32::from(table[usize::from(byte - 32)]),
            // Accented capitals and wide signs: a generous width keeps lines inside the margin.
            128..=255 => 722.0,
            _ => 0.0,
        }
    }
}

/// Helvetica's widths for the printable ASCII characters (space to tilde), from its AFM file.
pub(super) const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Helvetica-Bold's widths for the printable ASCII characters.
pub(super) const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/// The WinAnsi byte for a character, if it has one.
pub(super) fn win_ansi(c: char) -> Option<u8> {
    let code = u32::from(c);
    match code {
        0x20..=0x7E | 0xA0..=0xFF => u8::try_from(code).ok(),
        _ => Some(match c {
            '€' => 0x80,
            '‚' => 0x82,
            'ƒ' => 0x83,
            '„' => 0x84,
            '…' => 0x85,
            '†' => 0x86,
            '‡' => 0x87,
            'ˆ' => 0x88,
            '‰' => 0x89,
            'Š' => 0x8A,
            '‹' => 0x8B,
            'Œ' => 0x8C,
            'Ž' => 0x8E,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '˜' => 0x98,
            '™' => 0x99,
            'š' => 0x9A,
            '›' => 0x9B,
            'œ' => 0x9C,
            'ž' => 0x9E,
            'Ÿ' => 0x9F,
            _ => return None,
        }),
    }
}

/// Text as WinAnsi bytes: tabs become spaces, newlines stay (for wrapping), other control
/// characters are dropped and anything WinAnsi lacks becomes '?'.
pub(super) fn encode(text: &str) -> Vec<u8> {
    text.chars()
        .filter_map(|c| match c {
            '\n' => Some(b'\n'),
            '\t' => Some(b' '),
            c if c.is_control() => None,
            c => Some(win_ansi(c).unwrap_or(b'?')),
        })
        .collect()
}

pub(super) fn width_of(bytes: &[u8], font: Font, size: f32) -> f32 {
    bytes.iter().map(|b| font.width(*b)).sum::<f32>() * size / 1000.0
}

/// Encoded text broken into lines no wider than `width`; words longer than a line are split.
pub(super) fn wrap(text: &str, font: Font, size: f32, width: f32) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    let space = font.width(b' ') * size / 1000.0;
    for para in encode(text).split(|b| *b == b'\n') {
        let mut line: Vec<u8> = Vec::new();
        let mut line_w = 0.0;
        for word in para.split(|b| *b == b' ').filter(|w| !w.is_empty()) {
            let word_w = width_of(word, font, size);
            if !line.is_empty() && line_w + space + word_w <= width {
                line.push(b' ');
                line.extend_from_slice(word);
                line_w += space + word_w;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line_w = 0.0;
            for &b in word {
                let w = font.width(b) * size / 1000.0;
                if !line.is_empty() && line_w + w > width {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                }
                line.push(b);
                line_w += w;
            }
        }
        lines.push(line);
    }
    lines
}

/// Encoded text cut to `width`, ending in an ellipsis when it was cut.
pub(super) fn fit(text: &str, font: Font, size: f32, width: f32) -> Vec<u8> {
    let mut bytes = encode(text);
    bytes.retain(|b| *b != b'\n');
    if width_of(&bytes, font, size) <= width {
        return bytes;
    }
    let room = width - font.width(0x85) * size / 1000.0;
    let mut out = Vec::new();
    let mut w = 0.0;
    for b in bytes {
        w += font.width(b) * size / 1000.0;
        if w > room {
            break;
        }
        out.push(b);
    }
    out.push(0x85);
    out
}

/// Keeps drawing coordinates finite whatever figures come in.
pub(super) fn finite(v: f32) -> f32 {
    if v.is_finite() {
        v
    } else {
        0.0
    }
}
