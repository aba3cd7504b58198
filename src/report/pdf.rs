//! Printable PDF reports: the review report with its charts, and the handover packet.
//!
//! Pages are US Letter, set in the base-14 Helvetica faces with WinAnsi encoding, so no font
//! is embedded and any PDF reader prints them. Characters WinAnsi lacks print as '?'. Text is
//! wrapped by Helvetica's own glyph widths; charts are vector drawings. The output depends only
//! on the input (no clock, no file ids), so the same report always gives the same bytes.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::handover::{day_text, moment_day_text};
use crate::query::handover::HandoverPacket;
use crate::query::review::{ConcernTrend, NeighborhoodFigures, OfficerFigures, ReviewReport};

const PAGE_W: f32 = 612.0;
const PAGE_H: f32 = 792.0;
const LEFT: f32 = 54.0;
const RIGHT: f32 = PAGE_W - 54.0;
const WIDTH: f32 = RIGHT - LEFT;
/// Where the body starts on each page, below the running header.
const TOP: f32 = PAGE_H - 62.0;
/// The lowest the body may reach, above the footer.
const BOTTOM: f32 = 58.0;

/// A table cell never grows past this many lines, so every row fits on one page.
const MAX_CELL_LINES: usize = 30;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Rgb(f32, f32, f32);

const BLACK: Rgb = Rgb(0.1, 0.1, 0.1);
const GREY: Rgb = Rgb(0.38, 0.38, 0.38);
const RULE: Rgb = Rgb(0.75, 0.75, 0.75);
const GRID: Rgb = Rgb(0.88, 0.88, 0.88);
const SHADE: Rgb = Rgb(0.94, 0.94, 0.94);
const ALERT: Rgb = Rgb(0.78, 0.25, 0.0);
const ALERT_TINT: Rgb = Rgb(1.0, 0.9, 0.84);

/// Okabe-Ito colours: distinct for colour-blind readers and on greyscale printers.
const PALETTE: [Rgb; 6] = [
    Rgb(0.0, 0.447, 0.698),
    Rgb(0.902, 0.624, 0.0),
    Rgb(0.0, 0.62, 0.451),
    Rgb(0.835, 0.369, 0.0),
    Rgb(0.8, 0.475, 0.655),
    Rgb(0.337, 0.706, 0.914),
];

/// Hostile to warm, from warning colours through grey to blues.
const TONE_COLORS: [Rgb; 5] = [
    Rgb(0.835, 0.369, 0.0),
    Rgb(0.902, 0.624, 0.0),
    Rgb(0.7, 0.7, 0.7),
    Rgb(0.337, 0.706, 0.914),
    Rgb(0.0, 0.447, 0.698),
];
const TONE_NAMES: [&str; 5] = ["Hostile", "Guarded", "Neutral", "Friendly", "Warm"];

// ---------------------------------------------------------------------------------------------
// Text: WinAnsi encoding and Helvetica widths

#[derive(Debug, Clone, Copy, PartialEq)]
enum Font {
    Regular,
    Bold,
}

impl Font {
    fn name(self) -> Name<'static> {
        match self {
            Font::Regular => Name(b"F1"),
            Font::Bold => Name(b"F2"),
        }
    }

    /// Advance width of one WinAnsi byte, in thousandths of the font size.
    fn width(self, byte: u8) -> f32 {
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
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Helvetica-Bold's widths for the printable ASCII characters.
const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/// The WinAnsi byte for a character, if it has one.
fn win_ansi(c: char) -> Option<u8> {
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
fn encode(text: &str) -> Vec<u8> {
    text.chars()
        .filter_map(|c| match c {
            '\n' => Some(b'\n'),
            '\t' => Some(b' '),
            c if c.is_control() => None,
            c => Some(win_ansi(c).unwrap_or(b'?')),
        })
        .collect()
}

fn width_of(bytes: &[u8], font: Font, size: f32) -> f32 {
    bytes.iter().map(|b| font.width(*b)).sum::<f32>() * size / 1000.0
}

/// Encoded text broken into lines no wider than `width`; words longer than a line are split.
fn wrap(text: &str, font: Font, size: f32, width: f32) -> Vec<Vec<u8>> {
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
fn fit(text: &str, font: Font, size: f32, width: f32) -> Vec<u8> {
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
fn finite(v: f32) -> f32 {
    if v.is_finite() {
        v
    } else {
        0.0
    }
}

// ---------------------------------------------------------------------------------------------
// Drawing primitives on one content stream

fn put_text(c: &mut Content, x: f32, y: f32, font: Font, size: f32, color: Rgb, bytes: &[u8]) {
    if bytes.is_empty() {
        return;
    }
    c.set_fill_rgb(color.0, color.1, color.2);
    c.begin_text();
    c.set_font(font.name(), size);
    c.next_line(finite(x), finite(y));
    c.show(Str(bytes));
    c.end_text();
}

fn put_text_right(
    c: &mut Content,
    right: f32,
    y: f32,
    font: Font,
    size: f32,
    color: Rgb,
    b: &[u8],
) {
    put_text(c, right - width_of(b, font, size), y, font, size, color, b);
}

fn put_text_center(c: &mut Content, mid: f32, y: f32, font: Font, size: f32, color: Rgb, b: &[u8]) {
    put_text(
        c,
        mid - width_of(b, font, size) / 2.0,
        y,
        font,
        size,
        color,
        b,
    );
}

fn fill_rect(c: &mut Content, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
    c.set_fill_rgb(color.0, color.1, color.2);
    c.rect(finite(x), finite(y), finite(w), finite(h));
    c.fill_nonzero();
}

fn stroke_rect(c: &mut Content, x: f32, y: f32, w: f32, h: f32, width: f32, color: Rgb) {
    c.set_stroke_rgb(color.0, color.1, color.2);
    c.set_line_width(width);
    c.rect(finite(x), finite(y), finite(w), finite(h));
    c.stroke();
}

fn line(c: &mut Content, from: (f32, f32), to: (f32, f32), width: f32, color: Rgb) {
    c.set_stroke_rgb(color.0, color.1, color.2);
    c.set_line_width(width);
    c.move_to(finite(from.0), finite(from.1));
    c.line_to(finite(to.0), finite(to.1));
    c.stroke();
}

fn dot(c: &mut Content, x: f32, y: f32, r: f32, color: Rgb) {
    // Four Bézier quarter arcs; k places the control points of a near-perfect circle.
    let k = 0.5523 * r;
    let (x, y) = (finite(x), finite(y));
    c.set_fill_rgb(color.0, color.1, color.2);
    c.move_to(x + r, y);
    c.cubic_to(x + r, y + k, x + k, y + r, x, y + r);
    c.cubic_to(x - k, y + r, x - r, y + k, x - r, y);
    c.cubic_to(x - r, y - k, x - k, y - r, x, y - r);
    c.cubic_to(x + k, y - r, x + r, y - k, x + r, y);
    c.close_path();
    c.fill_nonzero();
}

// ---------------------------------------------------------------------------------------------
// Flowing layout: pages, headings, paragraphs, tables

/// A piece of a table cell in one style.
#[derive(Debug, Clone)]
struct Part {
    text: String,
    font: Font,
    color: Rgb,
}

/// A table cell: one or more styled paragraphs, stacked.
#[derive(Debug, Clone, Default)]
struct Cell(Vec<Part>);

impl Cell {
    fn plain(text: impl Into<String>) -> Self {
        Cell(Vec::new()).and(text, Font::Regular, BLACK)
    }

    fn and(mut self, text: impl Into<String>, font: Font, color: Rgb) -> Self {
        self.0.push(Part {
            text: text.into(),
            font,
            color,
        });
        self
    }
}

struct Column {
    title: &'static str,
    width: f32,
    right: bool,
}

const fn col(title: &'static str, width: f32) -> Column {
    Column {
        title,
        width,
        right: false,
    }
}

const fn col_right(title: &'static str, width: f32) -> Column {
    Column {
        title,
        width,
        right: true,
    }
}

const CELL_SIZE: f32 = 8.5;
const CELL_LEADING: f32 = 10.5;
const CELL_PAD: f32 = 3.5;

struct Doc {
    done: Vec<Content>,
    page: Content,
    y: f32,
    title: String,
    head_left: String,
    head_right: String,
}

impl Doc {
    fn new(title: &str, head_left: &str, head_right: &str) -> Self {
        let mut doc = Doc {
            done: Vec::new(),
            page: Content::new(),
            y: TOP,
            title: title.to_string(),
            head_left: head_left.to_string(),
            head_right: head_right.to_string(),
        };
        doc.draw_running_header();
        doc
    }

    fn draw_running_header(&mut self) {
        let right = fit(&self.head_right, Font::Regular, 8.0, 180.0);
        let right_w = width_of(&right, Font::Regular, 8.0);
        let left = fit(&self.head_left, Font::Regular, 8.0, WIDTH - right_w - 16.0);
        let y = PAGE_H - 40.0;
        put_text(&mut self.page, LEFT, y, Font::Regular, 8.0, GREY, &left);
        put_text_right(&mut self.page, RIGHT, y, Font::Regular, 8.0, GREY, &right);
        line(&mut self.page, (LEFT, y - 5.0), (RIGHT, y - 5.0), 0.5, RULE);
    }

    fn new_page(&mut self) {
        let full = std::mem::replace(&mut self.page, Content::new());
        self.done.push(full);
        self.y = TOP;
        self.draw_running_header();
    }

    /// Starts a new page unless `height` more points fit on this one.
    fn ensure(&mut self, height: f32) {
        if self.y - height < BOTTOM && self.y < TOP {
            self.new_page();
        }
    }

    fn gap(&mut self, height: f32) {
        self.y -= height;
    }

    fn at_page_top(&self) -> bool {
        self.y >= TOP
    }

    /// Wrapped text across the full width, breaking pages between lines.
    /// A grey line saying what is missing or how to read what follows.
    fn remark(&mut self, text: &str) {
        self.paragraph(text, Font::Regular, 10.0, GREY, 0.0);
    }

    fn paragraph(&mut self, text: &str, font: Font, size: f32, color: Rgb, indent: f32) {
        let leading = size * 1.3;
        for l in wrap(text, font, size, WIDTH - indent) {
            self.ensure(leading);
            self.y -= leading;
            put_text(
                &mut self.page,
                LEFT + indent,
                self.y + 0.25 * size,
                font,
                size,
                color,
                &l,
            );
        }
    }

    fn title(&mut self, text: &str) {
        self.paragraph(text, Font::Bold, 20.0, BLACK, 0.0);
        self.gap(6.0);
    }

    /// A section heading, kept with at least `keep` points of what follows.
    fn heading(&mut self, text: &str, keep: f32) {
        if !self.at_page_top() {
            self.gap(10.0);
        }
        self.ensure(26.0 + keep);
        self.paragraph(text, Font::Bold, 14.0, BLACK, 0.0);
        self.y -= 4.0;
        line(&mut self.page, (LEFT, self.y), (RIGHT, self.y), 0.8, BLACK);
        self.gap(8.0);
    }

    fn subheading(&mut self, text: &str, keep: f32) {
        self.gap(4.0);
        self.ensure(16.0 + keep);
        self.paragraph(text, Font::Bold, 11.0, BLACK, 0.0);
        self.gap(3.0);
    }

    /// The lines of each part of a cell, wrapped to the cell's width and capped in number.
    fn cell_lines(cell: &Cell, width: f32) -> Vec<(Vec<u8>, Font, Rgb)> {
        let mut out = Vec::new();
        for part in &cell.0 {
            for l in wrap(&part.text, part.font, CELL_SIZE, width) {
                out.push((l, part.font, part.color));
            }
        }
        if out.len() > MAX_CELL_LINES {
            out.truncate(MAX_CELL_LINES);
            if let Some(last) = out.last_mut() {
                // Room for the ellipsis: drop characters until it fits.
                while !last.0.is_empty() && width_of(&last.0, last.1, CELL_SIZE) + 12.0 > width {
                    last.0.pop();
                }
                last.0.extend_from_slice(b" \x85");
            }
        }
        out
    }

    fn table_header(&mut self, cols: &[Column]) {
        let cells: Vec<Cell> = cols
            .iter()
            .map(|c| Cell(Vec::new()).and(c.title, Font::Bold, BLACK))
            .collect();
        self.table_row(cols, &cells, Some(SHADE));
        line(&mut self.page, (LEFT, self.y), (RIGHT, self.y), 0.6, GREY);
    }

    fn table_row(&mut self, cols: &[Column], cells: &[Cell], fill: Option<Rgb>) {
        let wrapped: Vec<_> = cols
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let cell = cells.get(i).cloned().unwrap_or_default();
                Self::cell_lines(&cell, c.width - 2.0 * CELL_PAD)
            })
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let height = lines as f32 * CELL_LEADING + 2.0 * CELL_PAD;
        let top = self.y;
        if let Some(fill) = fill {
            fill_rect(&mut self.page, LEFT, top - height, WIDTH, height, fill);
        }
        let mut x = LEFT;
        for (c, lines) in cols.iter().zip(&wrapped) {
            let mut y = top - CELL_PAD - CELL_SIZE;
            for (bytes, font, color) in lines {
                if c.right {
                    let r = x + c.width - CELL_PAD;
                    put_text_right(&mut self.page, r, y, *font, CELL_SIZE, *color, bytes);
                } else {
                    put_text(
                        &mut self.page,
                        x + CELL_PAD,
                        y,
                        *font,
                        CELL_SIZE,
                        *color,
                        bytes,
                    );
                }
                y -= CELL_LEADING;
            }
            x += c.width;
        }
        self.y = top - height;
    }

    fn row_height(cols: &[Column], cells: &[Cell]) -> f32 {
        let lines = cols
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let cell = cells.get(i).cloned().unwrap_or_default();
                Self::cell_lines(&cell, c.width - 2.0 * CELL_PAD).len()
            })
            .max()
            .unwrap_or(0)
            .max(1);
        lines as f32 * CELL_LEADING + 2.0 * CELL_PAD
    }

    /// A table whose header repeats on every page it runs onto, under `what` (continued).
    fn table(&mut self, cols: &[Column], rows: &[Vec<Cell>], what: &str) {
        let header_h = Self::row_height(cols, &[]);
        let first_h = rows.first().map_or(0.0, |r| Self::row_height(cols, r));
        self.ensure(header_h + first_h);
        self.table_header(cols);
        for row in rows {
            let h = Self::row_height(cols, row);
            if self.y - h < BOTTOM {
                self.new_page();
                let label = format!("{what} (continued)");
                self.paragraph(&label, Font::Bold, 9.0, GREY, 0.0);
                self.gap(3.0);
                self.table_header(cols);
            }
            self.table_row(cols, row, None);
            line(&mut self.page, (LEFT, self.y), (RIGHT, self.y), 0.4, GRID);
        }
        self.gap(6.0);
    }

    /// Swatches and names in rows; returns the height used. Drawn only when `draw` is set.
    fn legend(&mut self, items: &[(String, Rgb)], draw: bool) -> f32 {
        let size = 8.0;
        let (mut x, mut rows) = (LEFT, 1);
        for (name, color) in items {
            let label = fit(name, Font::Regular, size, 160.0);
            let w = 14.0 + width_of(&label, Font::Regular, size) + 14.0;
            if x > LEFT && x + w > RIGHT {
                x = LEFT;
                rows += 1;
            }
            if draw {
                let y = self.y - rows as f32 * 12.0;
                fill_rect(&mut self.page, x, y, 9.0, 9.0, *color);
                put_text(
                    &mut self.page,
                    x + 13.0,
                    y + 1.5,
                    Font::Regular,
                    size,
                    BLACK,
                    &label,
                );
            }
            x += w;
        }
        if items.is_empty() {
            0.0
        } else {
            rows as f32 * 12.0 + 4.0
        }
    }

    /// Adds footers ("Page N of M") and writes the file.
    fn finish(mut self) -> Vec<u8> {
        let last = std::mem::replace(&mut self.page, Content::new());
        self.done.push(last);
        let total = self.done.len();
        let title = self.title.clone();
        let mut pdf = Pdf::new();
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let regular = Ref::new(3);
        let bold = Ref::new(4);
        let info = Ref::new(5);
        let ids: Vec<(Ref, Ref)> = (0..total)
            .map(|i| {
                let n = i32::try_from(i).unwrap_or(i32::MAX / 4).saturating_mul(2);
                (Ref::new(n.saturating_add(6)), Ref::new(n.saturating_add(7)))
            })
            .collect();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree)
            .kids(ids.iter().map(|(p, _)| *p))
            .count(i32::try_from(total).unwrap_or(i32::MAX));
        for (i, (mut content, (page_id, content_id))) in self.done.into_iter().zip(&ids).enumerate()
        {
            let y = 34.0;
            line(&mut content, (LEFT, y + 12.0), (RIGHT, y + 12.0), 0.5, RULE);
            let number = encode(&format!("Page {} of {}", i + 1, total));
            let number_w = width_of(&number, Font::Regular, 8.0);
            let name = fit(&title, Font::Regular, 8.0, WIDTH - number_w - 16.0);
            put_text(&mut content, LEFT, y, Font::Regular, 8.0, GREY, &name);
            put_text_right(&mut content, RIGHT, y, Font::Regular, 8.0, GREY, &number);

            let mut page = pdf.page(*page_id);
            page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
            page.parent(tree);
            page.contents(*content_id);
            {
                let mut resources = page.resources();
                let mut fonts = resources.fonts();
                fonts.pair(Font::Regular.name(), regular);
                fonts.pair(Font::Bold.name(), bold);
            }
            page.finish();
            pdf.stream(*content_id, &content.finish());
        }
        pdf.type1_font(regular)
            .base_font(Name(b"Helvetica"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.type1_font(bold)
            .base_font(Name(b"Helvetica-Bold"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.document_info(info)
            .title(TextStr(&title))
            .producer(TextStr("beatbook"));
        pdf.finish()
    }
}

// ---------------------------------------------------------------------------------------------
// Charts

/// One series of a chart: a name for the legend, a colour and a value per week.
struct Series {
    name: String,
    color: Rgb,
    values: Vec<Option<f64>>,
}

/// Where a chart's plot sits on the page (bottom-left corner and size), labels outside it.
#[derive(Debug, Clone, Copy)]
struct Area {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

/// A round top for a count axis and the step between its ticks (at least 1).
fn nice_scale(max: f64) -> (f64, f64) {
    if !max.is_finite() || max <= 0.0 {
        return (4.0, 1.0);
    }
    let raw = max / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let step = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    } * mag;
    let step = step.max(1.0);
    ((max / step).ceil().max(1.0) * step, step)
}

fn count_text(v: f64) -> String {
    if v.abs() >= 1e15 {
        format!("{v:e}")
    } else {
        format!("{}", v.round())
    }
}

/// Week labels under a plot, thinned out so they never touch.
fn x_labels(c: &mut Content, a: Area, labels: &[String]) {
    if labels.is_empty() {
        return;
    }
    let size = 7.0;
    let slot = a.w / labels.len() as f32;
    let widest = labels
        .iter()
        .map(|l| width_of(&encode(l), Font::Regular, size))
        .fold(0.0, f32::max);
    let every = ((widest + 6.0) / slot).ceil().max(1.0) as usize;
    for (i, l) in labels.iter().enumerate().step_by(every) {
        let mid = a.x + slot * (i as f32 + 0.5);
        put_text_center(c, mid, a.y - 10.0, Font::Regular, size, GREY, &encode(l));
    }
}

/// Axis with ticks at every `step` up to `top`, gridlines across the plot.
fn y_axis(c: &mut Content, a: Area, top: f64, step: f64, label: impl Fn(f64) -> String) {
    let mut v = 0.0;
    let mut ticks = 0;
    while v <= top + step * 0.01 && ticks < 20 {
        let y = a.y + (v / top) as f32 * a.h;
        line(c, (a.x, y), (a.x + a.w, y), 0.4, GRID);
        put_text_right(
            c,
            a.x - 4.0,
            y - 2.5,
            Font::Regular,
            7.0,
            GREY,
            &encode(&label(v)),
        );
        v += step;
        ticks += 1;
    }
    line(c, (a.x, a.y), (a.x + a.w, a.y), 0.8, GREY);
}

/// Grouped bars: one group per week, one bar per series. A shared `top` keeps small
/// multiples comparable.
fn bar_chart(c: &mut Content, a: Area, labels: &[String], series: &[Series], top: Option<f64>) {
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let (top, step) = nice_scale(top.unwrap_or(max).max(max));
    y_axis(c, a, top, step, count_text);
    if labels.is_empty() || series.is_empty() {
        return;
    }
    let slot = a.w / labels.len() as f32;
    let bar = slot * 0.8 / series.len() as f32;
    for (i, _) in labels.iter().enumerate() {
        for (j, s) in series.iter().enumerate() {
            let Some(v) = s.values.get(i).copied().flatten() else {
                continue;
            };
            if !v.is_finite() || v <= 0.0 {
                continue;
            }
            let h = (v / top).min(1.0) as f32 * a.h;
            let x = a.x + slot * i as f32 + slot * 0.1 + bar * j as f32;
            fill_rect(c, x, a.y, bar.max(0.3), h, s.color);
        }
    }
    x_labels(c, a, labels);
}

/// A line per series on a fixed 1..5 tone scale; weeks without a value break the line.
fn tone_chart(c: &mut Content, a: Area, labels: &[String], values: &[Option<f64>]) {
    for step in 1..=5u8 {
        let y = a.y + (f32::from(step) - 1.0) / 4.0 * a.h;
        line(c, (a.x, y), (a.x + a.w, y), 0.4, GRID);
        let name = TONE_NAMES[usize::from(step - 1)];
        let label = encode(&format!("{step} {name}"));
        put_text_right(c, a.x - 4.0, y - 2.5, Font::Regular, 7.0, GREY, &label);
    }
    line(c, (a.x, a.y), (a.x + a.w, a.y), 0.8, GREY);
    if labels.is_empty() {
        return;
    }
    let slot = a.w / labels.len() as f32;
    let point = |i: usize, v: f64| {
        let v = v.clamp(1.0, 5.0) as f32;
        (a.x + slot * (i as f32 + 0.5), a.y + (v - 1.0) / 4.0 * a.h)
    };
    let color = PALETTE[0];
    let mut prev: Option<(f32, f32)> = None;
    for i in 0..labels.len() {
        match values.get(i).copied().flatten().filter(|v| v.is_finite()) {
            Some(v) => {
                let p = point(i, v);
                if let Some(q) = prev {
                    line(c, q, p, 1.5, color);
                }
                prev = Some(p);
            }
            None => prev = None,
        }
    }
    for i in 0..labels.len() {
        if let Some(v) = values.get(i).copied().flatten().filter(|v| v.is_finite()) {
            let (x, y) = point(i, v);
            dot(c, x, y, 2.2, color);
        }
    }
    x_labels(c, a, labels);
}

impl Doc {
    /// A chart with its title, legend and axes, kept on one page.
    fn chart(
        &mut self,
        title: &str,
        note: &str,
        legend: &[(String, Rgb)],
        plot_h: f32,
        axis_w: f32,
        draw: impl FnOnce(&mut Content, Area),
    ) {
        let legend_h = self.legend(legend, false);
        let note_h = if note.is_empty() {
            0.0
        } else {
            wrap(note, Font::Regular, 8.0, WIDTH).len() as f32 * 10.4
        };
        self.ensure(16.0 + note_h + legend_h + plot_h + 22.0);
        self.paragraph(title, Font::Bold, 10.5, BLACK, 0.0);
        if !note.is_empty() {
            self.paragraph(note, Font::Regular, 8.0, GREY, 0.0);
        }
        self.gap(2.0);
        self.legend(legend, true);
        self.gap(legend_h + 6.0);
        let area = Area {
            x: LEFT + axis_w,
            y: self.y - plot_h,
            w: WIDTH - axis_w - 4.0,
            h: plot_h,
        };
        draw(&mut self.page, area);
        self.y -= plot_h + 22.0;
    }
}

// ---------------------------------------------------------------------------------------------
// The review report

fn period_text(report: &ReviewReport) -> String {
    format!(
        "{} to {}",
        day_text(report.period.from),
        day_text(report.period.to)
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The sergeant's review as a printable PDF: cover, weekly charts, one section per officer
/// and one per neighborhood.
pub fn review_pdf(report: &ReviewReport) -> Vec<u8> {
    let period = period_text(report);
    let mut doc = Doc::new(
        &format!("Sergeant's review, {period}"),
        &format!("beatbook \u{2013} Sergeant's review \u{2013} {period}"),
        &format!("Figures as of {}", day_text(report.today)),
    );
    // Officers appear by name everywhere, never by how much they logged.
    let mut order: Vec<usize> = (0..report.officers.len()).collect();
    order.sort_by_key(|&i| {
        let o = &report.officers[i];
        (o.name.to_lowercase(), o.badge.clone())
    });

    review_cover(&mut doc, report, &period);
    review_charts(&mut doc, report, &order);

    doc.new_page();
    doc.heading("Officers", 120.0);
    if report.officers.is_empty() {
        doc.remark("No officer is in this report.");
    }
    for &i in &order {
        officer_section(&mut doc, &report.officers[i]);
    }

    doc.new_page();
    doc.heading("Neighborhoods", 120.0);
    if report.neighborhoods.is_empty() {
        doc.remark("No neighborhood is in this report.");
    }
    for n in &report.neighborhoods {
        neighborhood_section(&mut doc, n);
    }
    doc.finish()
}

fn review_cover(doc: &mut Doc, report: &ReviewReport, period: &str) {
    doc.title("Sergeant's review");
    let days = (report.period.to - report.period.from).num_days() + 1;
    let span = if days > 0 {
        format!(
            " ({}, {})",
            plural(days as usize, "day", "days"),
            plural(report.weeks.len(), "week", "weeks")
        )
    } else {
        String::new()
    };
    doc.paragraph(
        &format!("Period: {period}{span}"),
        Font::Regular,
        11.0,
        BLACK,
        0.0,
    );
    let scope = match report.officer {
        None => format!(
            "Scope: the whole squad ({})",
            plural(report.officers.len(), "officer", "officers")
        ),
        Some(id) => match report.officers.iter().find(|o| o.officer == id) {
            Some(o) => format!("Scope: one officer, {} (badge {})", o.name, o.badge),
            None => "Scope: one officer".to_string(),
        },
    };
    doc.paragraph(&scope, Font::Regular, 11.0, BLACK, 0.0);
    doc.paragraph(
        &format!(
            "Figures as of {}. {}.",
            day_text(report.today),
            plural(report.neighborhoods.len(), "neighborhood", "neighborhoods")
        ),
        Font::Regular,
        11.0,
        BLACK,
        0.0,
    );
    doc.gap(6.0);
    doc.paragraph(
        "These figures count logged community work. Beats, shifts and assignments differ, so \
         read them with each officer's notes and neighborhoods in mind; they are not a ranking. \
         Officers are listed by name.",
        Font::Regular,
        9.0,
        GREY,
        0.0,
    );
}

fn week_labels(report: &ReviewReport) -> Vec<String> {
    report
        .weeks
        .iter()
        .map(|w| w.start.format("%-d %b").to_string())
        .collect()
}

fn review_charts(doc: &mut Doc, report: &ReviewReport, order: &[usize]) {
    doc.heading("Week by week", 200.0);
    if report.weeks.is_empty() {
        doc.remark("The period has no weeks to chart.");
        return;
    }
    let labels = week_labels(report);
    let week_value = |i: usize, w: &crate::query::review::WeekFigures| {
        Some(w.contacts_by_officer.get(i).map_or(0, |f| f.value) as f64)
    };

    if report.officers.is_empty() {
        doc.remark("Contacts per week: no officer is in this report.");
    } else if order.len() <= PALETTE.len() {
        let series: Vec<Series> = order
            .iter()
            .enumerate()
            .map(|(k, &i)| Series {
                name: report.officers[i].name.clone(),
                color: PALETTE[k % PALETTE.len()],
                values: report.weeks.iter().map(|w| week_value(i, w)).collect(),
            })
            .collect();
        let legend: Vec<_> = series.iter().map(|s| (s.name.clone(), s.color)).collect();
        doc.chart(
            "Contacts per week, by officer",
            "",
            &legend,
            130.0,
            30.0,
            |c, a| bar_chart(c, a, &labels, &series, None),
        );
    } else {
        officer_multiples(doc, report, order, &labels);
    }

    let due: Vec<Option<f64>> = report
        .weeks
        .iter()
        .map(|w| Some(w.followups_due.value as f64))
        .collect();
    let kept: Vec<Option<f64>> = report
        .weeks
        .iter()
        .map(|w| Some(w.kept_on_time.value as f64))
        .collect();
    let series = [
        Series {
            name: "Follow-ups due".into(),
            color: Rgb(0.6, 0.6, 0.6),
            values: due,
        },
        Series {
            name: "Kept on time".into(),
            color: PALETTE[2],
            values: kept,
        },
    ];
    let legend: Vec<_> = series.iter().map(|s| (s.name.clone(), s.color)).collect();
    doc.chart(
        "Follow-ups due and kept on time, per week",
        "",
        &legend,
        110.0,
        30.0,
        |c, a| bar_chart(c, a, &labels, &series, None),
    );

    let tone: Vec<Option<f64>> = report.weeks.iter().map(|w| w.mean_tone).collect();
    let note = if tone.iter().flatten().any(|v| v.is_finite()) {
        "Mean tone of the week's contacts, 1 (hostile) to 5 (warm). Weeks without contacts are \
         left blank."
    } else {
        "No contacts with a tone in this period."
    };
    doc.chart("Mean tone per week", note, &[], 100.0, 56.0, |c, a| {
        tone_chart(c, a, &labels, &tone)
    });

    if report.top_concerns.is_empty() {
        doc.subheading("Top concerns per week", 20.0);
        doc.remark("No concerns were raised in this period.");
    } else {
        let shown = report.top_concerns.len().min(PALETTE.len());
        let series: Vec<Series> = report.top_concerns[..shown]
            .iter()
            .enumerate()
            .map(|(k, topic)| Series {
                name: topic.clone(),
                color: PALETTE[k],
                values: report
                    .weeks
                    .iter()
                    .map(|w| Some(w.concerns.get(k).map_or(0, |f| f.value) as f64))
                    .collect(),
            })
            .collect();
        let legend: Vec<_> = series.iter().map(|s| (s.name.clone(), s.color)).collect();
        let note = if report.top_concerns.len() > shown {
            format!(
                "Contacts raising each concern. The {shown} most raised of {} are shown.",
                report.top_concerns.len()
            )
        } else {
            "Contacts raising each concern.".to_string()
        };
        doc.chart(
            "Top concerns per week",
            &note,
            &legend,
            120.0,
            30.0,
            |c, a| bar_chart(c, a, &labels, &series, None),
        );
    }
}

/// One small chart per officer, on a shared scale, when a squad is too big for one legend.
fn officer_multiples(doc: &mut Doc, report: &ReviewReport, order: &[usize], labels: &[String]) {
    let top = report
        .weeks
        .iter()
        .flat_map(|w| w.contacts_by_officer.iter().map(|f| f.value))
        .max()
        .unwrap_or(0) as f64;
    doc.ensure(40.0 + 100.0);
    doc.paragraph(
        "Contacts per week, by officer",
        Font::Bold,
        10.5,
        BLACK,
        0.0,
    );
    doc.paragraph(
        "One chart per officer, all on the same scale.",
        Font::Regular,
        8.0,
        GREY,
        0.0,
    );
    doc.gap(6.0);
    let per_row = 3;
    let cell_w = WIDTH / per_row as f32;
    let cell_h = 100.0;
    for row in order.chunks(per_row) {
        doc.ensure(cell_h);
        for (k, &i) in row.iter().enumerate() {
            let x = LEFT + cell_w * k as f32;
            let name = fit(&report.officers[i].name, Font::Bold, 8.0, cell_w - 12.0);
            put_text(&mut doc.page, x, doc.y - 9.0, Font::Bold, 8.0, BLACK, &name);
            let area = Area {
                x: x + 24.0,
                y: doc.y - cell_h + 22.0,
                w: cell_w - 42.0,
                h: cell_h - 40.0,
            };
            let series = [Series {
                name: String::new(),
                color: PALETTE[0],
                values: report
                    .weeks
                    .iter()
                    .map(|w| Some(w.contacts_by_officer.get(i).map_or(0, |f| f.value) as f64))
                    .collect(),
            }];
            bar_chart(&mut doc.page, area, labels, &series, Some(top));
        }
        doc.gap(cell_h);
    }
    doc.gap(6.0);
}

fn officer_section(doc: &mut Doc, o: &OfficerFigures) {
    let rows_h = 7.0 * 13.0;
    let heading = format!("{} (badge {})", o.name, o.badge);
    doc.gap(10.0);
    doc.ensure(wrap(&heading, Font::Bold, 12.0, WIDTH).len() as f32 * 15.6 + rows_h + 70.0);
    doc.paragraph(&heading, Font::Bold, 12.0, BLACK, 0.0);
    // The figures below are placed from here down, so they must fit whatever the name took.
    doc.ensure(rows_h + 60.0);
    doc.y -= 3.0;
    line(&mut doc.page, (LEFT, doc.y), (RIGHT, doc.y), 0.4, RULE);
    doc.gap(4.0);

    let median = match o.median_days_to_keep {
        Some(d) if d.is_finite() => format!("{d:.1} days"),
        _ => "none kept yet".to_string(),
    };
    let left: [(&str, String); 7] = [
        ("Contacts logged", o.contacts.value.to_string()),
        ("People reached", o.people_reached.value.to_string()),
        (
            "People seen more than once",
            o.people_seen_again.value.to_string(),
        ),
        (
            "Neighborhoods covered",
            o.neighborhoods_covered.value.to_string(),
        ),
        (
            "Meetings and events",
            o.meetings_and_events.value.to_string(),
        ),
        (
            "Started by a resident",
            o.started_by_resident.value.to_string(),
        ),
        (
            "Started by the officer",
            o.started_by_officer.value.to_string(),
        ),
    ];
    let right: [(&str, String); 6] = [
        (
            "Follow-ups promised",
            o.followups_promised.value.to_string(),
        ),
        ("Kept on time", o.kept_on_time.value.to_string()),
        ("Kept late", o.kept_late.value.to_string()),
        ("Overdue now", o.overdue.value.to_string()),
        ("Median days to keep a promise", median),
        ("Notes too thin to follow", o.thin_notes.value.to_string()),
    ];
    let top = doc.y;
    let half = WIDTH / 2.0;
    for (col, pairs) in [(0.0, &left[..]), (half, &right[..])] {
        let mut y = top;
        for (label, value) in pairs {
            y -= 13.0;
            let l = fit(label, Font::Regular, 9.0, 150.0);
            put_text(
                &mut doc.page,
                LEFT + col,
                y + 3.0,
                Font::Regular,
                9.0,
                GREY,
                &l,
            );
            let v = fit(value, Font::Bold, 9.0, half - 160.0);
            let color = if *label == "Overdue now" && o.overdue.value > 0 {
                ALERT
            } else {
                BLACK
            };
            put_text(
                &mut doc.page,
                LEFT + col + 160.0,
                y + 3.0,
                Font::Bold,
                9.0,
                color,
                &v,
            );
        }
    }
    doc.y = top - rows_h - 6.0;

    // The tone mix as one stacked bar, hostile at the left.
    let counts: Vec<usize> = o.tone.iter().map(|f| f.value).collect();
    let total: usize = counts.iter().sum();
    let label_w = 80.0;
    put_text(
        &mut doc.page,
        LEFT,
        doc.y - 9.0,
        Font::Regular,
        9.0,
        GREY,
        b"Tone of contacts",
    );
    let bar = Area {
        x: LEFT + label_w,
        y: doc.y - 11.0,
        w: WIDTH - label_w,
        h: 11.0,
    };
    if total == 0 {
        stroke_rect(&mut doc.page, bar.x, bar.y, bar.w, bar.h, 0.5, RULE);
        put_text(
            &mut doc.page,
            bar.x + 4.0,
            bar.y + 2.5,
            Font::Regular,
            8.0,
            GREY,
            b"No contacts in the period",
        );
    } else {
        let mut x = bar.x;
        for (k, n) in counts.iter().enumerate() {
            let w = *n as f32 / total as f32 * bar.w;
            fill_rect(&mut doc.page, x, bar.y, w, bar.h, TONE_COLORS[k]);
            x += w;
        }
    }
    doc.gap(16.0);
    let legend: Vec<(String, Rgb)> = TONE_NAMES
        .iter()
        .zip(TONE_COLORS)
        .zip(&counts)
        .map(|((name, color), n)| (format!("{name} {n}"), color))
        .collect();
    let saved = doc.y;
    let h = doc.legend(&legend, true);
    doc.y = saved - h;
}

fn trend_text(c: &ConcernTrend) -> String {
    let now = c.now.value;
    match (now, c.before) {
        (n, 0) if n > 0 => "new this period".to_string(),
        (n, b) if n > b => format!("up from {b}"),
        (n, b) if n < b => format!("down from {b}"),
        _ => "about the same".to_string(),
    }
}

const CONCERN_COLUMNS: [Column; 4] = [
    col("Concern", 224.0),
    col_right("This period", 90.0),
    col_right("Period before", 90.0),
    col("Trend", 100.0),
];

fn neighborhood_section(doc: &mut Doc, n: &NeighborhoodFigures) {
    let summary = format!(
        "{} in the period. People not contacted for 30 days or more: {}; 60 days or more: {}; \
         90 days or more: {}.",
        plural(n.contacts.value, "contact", "contacts"),
        n.not_contacted_30.value,
        n.not_contacted_60.value,
        n.not_contacted_90.value
    );
    let concerns: Vec<Vec<Cell>> = n
        .concerns
        .iter()
        .map(|c| {
            let trend = trend_text(c);
            let color = if c.now.value > c.before { ALERT } else { BLACK };
            vec![
                Cell::plain(&c.topic),
                Cell::plain(c.now.value.to_string()),
                Cell::plain(c.before.to_string()),
                Cell(Vec::new()).and(trend, Font::Regular, color),
            ]
        })
        .collect();
    // The whole section moves to a new page rather than leave its table without a heading.
    let height = 30.0
        + wrap(&n.name, Font::Bold, 11.0, WIDTH).len() as f32 * 14.3
        + wrap(&summary, Font::Regular, 9.0, WIDTH).len() as f32 * 11.7
        + 24.0
        + n.reach.len().div_ceil(7) as f32 * 32.0
        + Doc::row_height(&CONCERN_COLUMNS, &[])
        + concerns
            .iter()
            .map(|r| Doc::row_height(&CONCERN_COLUMNS, r))
            .sum::<f32>();
    doc.gap(6.0);
    doc.ensure(height);
    doc.subheading(&n.name, 90.0);
    doc.paragraph(&summary, Font::Regular, 9.0, BLACK, 0.0);
    doc.gap(4.0);

    if !n.reach.is_empty() {
        let per_row = 7;
        let cell_w = WIDTH / per_row as f32;
        let cell_h = 30.0;
        doc.ensure(14.0 + cell_h);
        doc.paragraph(
            "People reached, by group (groups nobody reached are marked as gaps)",
            Font::Bold,
            8.5,
            BLACK,
            0.0,
        );
        doc.gap(3.0);
        for row in n.reach.chunks(per_row) {
            doc.ensure(cell_h + 2.0);
            for (k, (role, f)) in row.iter().enumerate() {
                let x = LEFT + cell_w * k as f32;
                let y = doc.y - cell_h;
                let gap = f.value == 0;
                if gap {
                    fill_rect(&mut doc.page, x + 1.0, y, cell_w - 2.0, cell_h, ALERT_TINT);
                }
                stroke_rect(&mut doc.page, x + 1.0, y, cell_w - 2.0, cell_h, 0.5, RULE);
                let label = fit(role.label(), Font::Regular, 7.0, cell_w - 8.0);
                put_text(
                    &mut doc.page,
                    x + 4.0,
                    y + cell_h - 9.0,
                    Font::Regular,
                    7.0,
                    GREY,
                    &label,
                );
                let value = if gap {
                    "0  gap".to_string()
                } else {
                    f.value.to_string()
                };
                let color = if gap { ALERT } else { BLACK };
                let value = fit(&value, Font::Bold, 11.0, cell_w - 8.0);
                put_text(
                    &mut doc.page,
                    x + 4.0,
                    y + 5.0,
                    Font::Bold,
                    11.0,
                    color,
                    &value,
                );
            }
            doc.gap(cell_h + 2.0);
        }
        doc.gap(6.0);
    }

    if n.concerns.is_empty() {
        doc.paragraph(
            "No concerns were raised here in the period.",
            Font::Regular,
            9.0,
            GREY,
            0.0,
        );
    } else {
        doc.table(
            &CONCERN_COLUMNS,
            &concerns,
            &format!("Concerns in {}", n.name),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The handover packet

/// The handover packet as a printable PDF: people, open promises, journal and concerns.
pub fn handover_pdf(packet: &HandoverPacket) -> Vec<u8> {
    let prepared = format!(
        "Prepared on {} by {}",
        day_text(packet.prepared_on),
        packet.prepared_by
    );
    let mut doc = Doc::new(
        &format!("Handover packet: {}", packet.neighborhood),
        &format!(
            "beatbook \u{2013} Handover packet \u{2013} {}",
            packet.neighborhood
        ),
        &format!("Prepared {}", day_text(packet.prepared_on)),
    );
    doc.title(&format!("Handover packet: {}", packet.neighborhood));
    doc.paragraph(&prepared, Font::Regular, 11.0, BLACK, 0.0);
    let promises: Vec<(&crate::query::handover::Promise, Option<&str>)> = {
        let mut all: Vec<_> = packet
            .people
            .iter()
            .flat_map(|p| p.open_promises.iter().map(|pr| (pr, Some(p.name.as_str()))))
            .chain(packet.unassigned_promises.iter().map(|pr| (pr, None)))
            .collect();
        all.sort_by_key(|(pr, _)| (pr.due, pr.id));
        all
    };
    let overdue = promises.iter().filter(|(p, _)| p.overdue).count();
    doc.paragraph(
        &format!(
            "{}, {} ({} overdue), {}.",
            plural(packet.people.len(), "person", "people"),
            plural(promises.len(), "open promise", "open promises"),
            overdue,
            plural(packet.journal.len(), "journal note", "journal notes"),
        ),
        Font::Regular,
        11.0,
        BLACK,
        0.0,
    );
    doc.gap(4.0);
    doc.paragraph(
        "Contact details appear only for people who agreed to be contacted.",
        Font::Regular,
        9.0,
        GREY,
        0.0,
    );

    doc.heading("People", 40.0);
    if packet.people.is_empty() {
        doc.remark("No people are recorded for this neighborhood.");
    } else {
        let cols = [
            col("Person", 118.0),
            col("Last contact", 92.0),
            col_right("Contacts", 44.0),
            col("How to reach", 110.0),
            col("Notes", 140.0),
        ];
        let rows: Vec<Vec<Cell>> = packet
            .people
            .iter()
            .map(|p| {
                let last = match (&p.last_contact, &p.last_officer) {
                    (Some(at), Some(by)) => Cell::plain(moment_day_text(*at)).and(
                        format!("by {by}"),
                        Font::Regular,
                        GREY,
                    ),
                    (Some(at), None) => Cell::plain(moment_day_text(*at)),
                    _ => Cell(Vec::new()).and("Never", Font::Regular, GREY),
                };
                let reach = match &p.reach_by {
                    Some(r) => Cell::plain(r),
                    None => Cell(Vec::new()).and("No consent on record", Font::Regular, GREY),
                };
                let mut person = Cell(Vec::new()).and(&p.name, Font::Bold, BLACK).and(
                    p.role.label(),
                    Font::Regular,
                    GREY,
                );
                if !p.open_promises.is_empty() {
                    person = person.and(
                        plural(p.open_promises.len(), "open promise", "open promises"),
                        Font::Regular,
                        if p.open_promises.iter().any(|x| x.overdue) {
                            ALERT
                        } else {
                            GREY
                        },
                    );
                }
                vec![
                    person,
                    last,
                    Cell::plain(p.contacts.to_string()),
                    reach,
                    Cell::plain(p.notes.trim()),
                ]
            })
            .collect();
        doc.table(&cols, &rows, "People");
    }

    doc.heading("Open promises", 40.0);
    if promises.is_empty() {
        doc.paragraph("No open promises.", Font::Regular, 10.0, GREY, 0.0);
    } else {
        let cols = [
            col("Due", 82.0),
            col("Promise", 216.0),
            col("Made to", 100.0),
            col("Promised by", 106.0),
        ];
        let rows: Vec<Vec<Cell>> = promises
            .iter()
            .map(|(pr, to)| {
                let due = if pr.overdue {
                    Cell(Vec::new())
                        .and(day_text(pr.due), Font::Bold, ALERT)
                        .and("OVERDUE", Font::Bold, ALERT)
                } else {
                    Cell::plain(day_text(pr.due))
                };
                let to = match to {
                    Some(name) => Cell::plain(*name),
                    None => Cell(Vec::new()).and("No one named", Font::Regular, GREY),
                };
                vec![due, Cell::plain(&pr.promise), to, Cell::plain(&pr.officer)]
            })
            .collect();
        doc.table(&cols, &rows, "Open promises");
    }

    doc.heading("Journal, newest first", 30.0);
    if packet.journal.is_empty() {
        doc.paragraph("No journal notes.", Font::Regular, 10.0, GREY, 0.0);
    }
    for note in &packet.journal {
        doc.gap(3.0);
        doc.ensure(26.0);
        doc.paragraph(&day_text(note.date), Font::Bold, 9.5, BLACK, 0.0);
        doc.paragraph(note.text.trim(), Font::Regular, 9.5, BLACK, 10.0);
    }

    doc.heading("Recurring concerns, last 90 days", 30.0);
    if packet.recurring_concerns.is_empty() {
        doc.remark("No topic was raised in more than one contact.");
    } else {
        let cols = [
            col("Concern", 300.0),
            col_right("Contacts raising it", 204.0),
        ];
        let rows: Vec<Vec<Cell>> = packet
            .recurring_concerns
            .iter()
            .map(|(topic, n)| vec![Cell::plain(topic), Cell::plain(n.to_string())])
            .collect();
        doc.table(&cols, &rows, "Recurring concerns");
    }
    doc.finish()
}

/// A one-page receipt for a resident: the officer, what was promised and by when.
pub fn receipt_pdf(receipt: &crate::model::PromiseReceipt) -> Vec<u8> {
    let mut doc = Doc::new(
        "Promise receipt",
        "beatbook \u{2013} Promise receipt",
        &format!("Officer {}, badge {}", receipt.officer, receipt.badge),
    );
    doc.title("Promise receipt");
    for (label, value) in receipt.lines() {
        doc.paragraph(label, Font::Bold, 10.0, GREY, 0.0);
        doc.paragraph(&value, Font::Regular, 13.0, BLACK, 0.0);
        doc.gap(6.0);
    }
    doc.gap(10.0);
    doc.paragraph(&receipt.closing(), Font::Regular, 11.0, BLACK, 0.0);
    doc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_keeps_latin_and_replaces_the_rest() {
        assert_eq!(encode("Café – ok"), b"Caf\xe9 \x96 ok".to_vec());
        assert_eq!(encode("Łódź 東京"), b"?\xf3d? ??".to_vec());
        assert_eq!(encode("a\tb\u{7}c"), b"a bc".to_vec());
    }

    #[test]
    fn wrapping_stays_inside_the_width() {
        let text = "A fairly long sentence that will not fit on one narrow line at all, \
                    with averyveryveryverylongwordthatmustbesplit inside.";
        for l in wrap(text, Font::Regular, 10.0, 80.0) {
            assert!(width_of(&l, Font::Regular, 10.0) <= 80.0, "{l:?}");
        }
        assert_eq!(wrap("", Font::Bold, 10.0, 80.0), vec![Vec::<u8>::new()]);
    }

    #[test]
    fn fitting_cuts_with_an_ellipsis() {
        let cut = fit(&"W".repeat(100), Font::Bold, 10.0, 50.0);
        assert!(width_of(&cut, Font::Bold, 10.0) <= 50.0);
        assert_eq!(cut.last(), Some(&0x85));
        assert_eq!(fit("ok", Font::Regular, 10.0, 50.0), b"ok".to_vec());
    }

    #[test]
    fn scales_are_round() {
        assert_eq!(nice_scale(0.0), (4.0, 1.0));
        assert_eq!(nice_scale(7.0), (8.0, 2.0));
        assert_eq!(nice_scale(3.0), (3.0, 1.0));
        assert_eq!(nice_scale(130.0), (150.0, 50.0));
        assert_eq!(nice_scale(f64::NAN), (4.0, 1.0));
    }
}
