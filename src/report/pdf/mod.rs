//! Printable PDF reports: the review report with its charts, and the handover packet.
//!
//! Pages are US Letter, set in the base-14 Helvetica faces with WinAnsi encoding, so no font
//! is embedded and any PDF reader prints them. Characters WinAnsi lacks print as '?'. Text is
//! wrapped by Helvetica's own glyph widths; charts are vector drawings. The output depends only
//! on the input (no clock, no file ids), so the same report always gives the same bytes.

mod charts;
mod handover;
mod review;
mod text;
mod you_said;

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::plural;
use text::{encode, finite, fit, width_of, wrap, Font};

pub use handover::{handover_pdf, receipt_pdf};
pub use review::review_pdf;
pub use you_said::you_said_pdf;

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
    PALETTE[3],
    PALETTE[1],
    Rgb(0.7, 0.7, 0.7),
    PALETTE[5],
    PALETTE[0],
];
const TONE_NAMES: [&str; 5] = ["Hostile", "Guarded", "Neutral", "Friendly", "Warm"];

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
        let title = self.title.clone();
        write_pages(self.done, (PAGE_W, PAGE_H), &title, |content, i, total| {
            let y = 34.0;
            line(content, (LEFT, y + 12.0), (RIGHT, y + 12.0), 0.5, RULE);
            let number = encode(&format!("Page {} of {}", i + 1, total));
            let number_w = width_of(&number, Font::Regular, 8.0);
            let name = fit(&title, Font::Regular, 8.0, WIDTH - number_w - 16.0);
            put_text(content, LEFT, y, Font::Regular, 8.0, GREY, &name);
            put_text_right(content, RIGHT, y, Font::Regular, 8.0, GREY, &number);
        })
    }
}

/// Writes finished pages of `size` (points) as a PDF set in the base-14 Helvetica faces,
/// uncompressed; `footer` draws on each page (its index from 0, and how many there are) first.
fn write_pages(
    pages: Vec<Content>,
    size: (f32, f32),
    title: &str,
    mut footer: impl FnMut(&mut Content, usize, usize),
) -> Vec<u8> {
    let total = pages.len();
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
    for (i, (mut content, (page_id, content_id))) in pages.into_iter().zip(&ids).enumerate() {
        footer(&mut content, i, total);
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, size.0, size.1));
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
        .title(TextStr(title))
        .producer(TextStr("beatbook"));
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::charts::nice_scale;
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
