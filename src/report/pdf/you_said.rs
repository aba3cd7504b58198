//! "You said, we did" as a PDF: A4 (the paper of a notice board or a meeting's handout), in
//! large type, drawn from exactly the lines of the report that passed its guard.

use super::*;
use crate::report::you_said::{Line, Style, YouSaidReport};

const A4_W: f32 = 595.0;
const A4_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
const TEXT_W: f32 = A4_W - 2.0 * MARGIN;
/// Where the text starts on a page, below the running header of the later pages.
const TEXT_TOP: f32 = A4_H - 70.0;
/// The lowest a line may reach, above the footer.
const TEXT_BOTTOM: f32 = 70.0;
/// Items are set after a bullet; their details further in.
const ITEM_INDENT: f32 = 18.0;
const DETAIL_INDENT: f32 = 36.0;

/// How each style is set: font, size and indent.
fn look(style: Style, bold_item: bool) -> (Font, f32, f32, Rgb) {
    match style {
        Style::Title => (Font::Bold, 26.0, 0.0, BLACK),
        Style::Period => (Font::Regular, 15.0, 0.0, BLACK),
        Style::Remark => (Font::Regular, 12.5, 0.0, GREY),
        Style::Heading => (Font::Bold, 18.0, 0.0, BLACK),
        Style::Item if bold_item => (Font::Bold, 13.5, ITEM_INDENT, BLACK),
        Style::Item => (Font::Regular, 13.5, ITEM_INDENT, BLACK),
        Style::Detail => (Font::Regular, 12.5, DETAIL_INDENT, BLACK),
    }
}

/// Pages being filled from the top.
struct Sheet {
    done: Vec<Content>,
    page: Content,
    y: f32,
    title: String,
    period: String,
}

impl Sheet {
    fn new_page(&mut self) {
        let full = std::mem::replace(&mut self.page, Content::new());
        self.done.push(full);
        self.y = TEXT_TOP;
        // Later pages say what they belong to.
        let y = A4_H - 44.0;
        let right = fit(&self.period, Font::Regular, 9.0, 220.0);
        let right_w = width_of(&right, Font::Regular, 9.0);
        let left = fit(&self.title, Font::Regular, 9.0, TEXT_W - right_w - 16.0);
        put_text(&mut self.page, MARGIN, y, Font::Regular, 9.0, GREY, &left);
        put_text_right(
            &mut self.page,
            A4_W - MARGIN,
            y,
            Font::Regular,
            9.0,
            GREY,
            &right,
        );
        line(
            &mut self.page,
            (MARGIN, y - 6.0),
            (A4_W - MARGIN, y - 6.0),
            0.5,
            RULE,
        );
    }

    /// Starts a new page unless `height` more points fit on this one.
    fn ensure(&mut self, height: f32) {
        if self.y - height < TEXT_BOTTOM && self.y < TEXT_TOP {
            self.new_page();
        }
    }

    /// The wrapped lines of one report line, each as tall as `size` asks.
    fn text(&mut self, text: &str, font: Font, size: f32, indent: f32, color: Rgb) {
        let leading = size * 1.35;
        for (i, l) in wrap(text, font, size, TEXT_W - indent).iter().enumerate() {
            self.ensure(leading);
            self.y -= leading;
            let base = self.y + 0.3 * size;
            if i == 0 && indent == ITEM_INDENT {
                // A bullet before the item's first line (0x95 is WinAnsi's bullet).
                put_text(
                    &mut self.page,
                    MARGIN + 4.0,
                    base,
                    font,
                    size,
                    color,
                    b"\x95",
                );
            }
            put_text(&mut self.page, MARGIN + indent, base, font, size, color, l);
        }
    }
}

/// The height one report line takes, for keeping a heading with what follows it.
fn height_of(l: &Line, bold_item: bool) -> f32 {
    let (font, size, indent, _) = look(l.style, bold_item);
    wrap(&l.text, font, size, TEXT_W - indent).len() as f32 * size * 1.35
}

/// The report as a printable PDF.
pub fn you_said_pdf(report: &YouSaidReport) -> Vec<u8> {
    let title = report.title();
    let mut sheet = Sheet {
        done: Vec::new(),
        page: Content::new(),
        y: TEXT_TOP + 10.0,
        title: title.clone(),
        period: report.period(),
    };
    let lines = &report.lines;
    for (i, l) in lines.iter().enumerate() {
        let next = lines.get(i + 1);
        let has_details = next.is_some_and(|n| n.style == Style::Detail);
        let bold_item = l.style == Style::Item && has_details;
        let (font, size, indent, color) = look(l.style, bold_item);
        match l.style {
            Style::Heading => {
                sheet.y -= 18.0;
                // A heading is kept with the first line under it.
                let under = next.map_or(0.0, |n| height_of(n, false));
                sheet.ensure(height_of(l, false) + 10.0 + under);
                sheet.text(&l.text, font, size, indent, color);
                sheet.y -= 4.0;
                line(
                    &mut sheet.page,
                    (MARGIN, sheet.y),
                    (A4_W - MARGIN, sheet.y),
                    1.0,
                    BLACK,
                );
                sheet.y -= 8.0;
            }
            Style::Item if has_details => {
                // An item with details stands apart and keeps its first detail with it.
                sheet.y -= 6.0;
                let under = next.map_or(0.0, |n| height_of(n, false));
                sheet.ensure(height_of(l, true) + under);
                sheet.text(&l.text, font, size, indent, color);
            }
            Style::Title => {
                sheet.text(&l.text, font, size, indent, color);
                sheet.y -= 2.0;
            }
            Style::Period => {
                sheet.text(&l.text, font, size, indent, color);
                sheet.y -= 10.0;
            }
            Style::Remark => {
                // A remark after a list stands apart from it.
                let after_item = i > 0 && matches!(lines[i - 1].style, Style::Item | Style::Detail);
                sheet.y -= if after_item { 12.0 } else { 4.0 };
                sheet.text(&l.text, font, size, indent, color);
                sheet.y -= 2.0;
            }
            Style::Item | Style::Detail => sheet.text(&l.text, font, size, indent, color),
        }
    }
    finish(sheet)
}

/// Adds the footers ("Page N of M") and writes the file, uncompressed like the other reports.
fn finish(mut sheet: Sheet) -> Vec<u8> {
    let last = std::mem::replace(&mut sheet.page, Content::new());
    sheet.done.push(last);
    let title = sheet.title.clone();
    write_pages(sheet.done, (A4_W, A4_H), &title, |content, i, total| {
        let y = 40.0;
        line(
            content,
            (MARGIN, y + 13.0),
            (A4_W - MARGIN, y + 13.0),
            0.5,
            RULE,
        );
        let number = encode(&format!("Page {} of {}", i + 1, total));
        let number_w = width_of(&number, Font::Regular, 9.0);
        let name = fit(&title, Font::Regular, 9.0, TEXT_W - number_w - 16.0);
        put_text(content, MARGIN, y, Font::Regular, 9.0, GREY, &name);
        put_text_right(content, A4_W - MARGIN, y, Font::Regular, 9.0, GREY, &number);
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn report(items: usize) -> YouSaidReport {
        let mut lines = vec![
            Line {
                style: Style::Title,
                text: "You said, we did \u{2014} Riverside".into(),
            },
            Line {
                style: Style::Heading,
                text: "What we did".into(),
            },
        ];
        for n in 0..items {
            lines.push(Line {
                style: Style::Item,
                text: format!("Problem number {n} with a title long enough to wrap onto a second line of the page"),
            });
            lines.push(Line {
                style: Style::Detail,
                text: "Done: replace the three lamps (Public works)".into(),
            });
        }
        YouSaidReport {
            neighborhood: "Riverside".into(),
            from: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            prepared: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            lines,
            left_out: Vec::new(),
        }
    }

    #[test]
    fn pages_are_a4_and_long_reports_run_on() {
        let one = you_said_pdf(&report(3));
        let text = String::from_utf8_lossy(&one);
        assert!(text.starts_with("%PDF-"));
        assert!(text.contains("/MediaBox [0 0 595 842]"), "A4");
        assert!(text.contains("(Page 1 of 1)"));
        assert!(text.contains("(Done: replace the three lamps (Public works))"));
        // Sixty items of three lines each run over several pages, each numbered.
        let many = String::from_utf8_lossy(&you_said_pdf(&report(60))).into_owned();
        let pages: usize = many
            .split("(Page 1 of ")
            .nth(1)
            .and_then(|rest| rest.split(')').next())
            .unwrap()
            .parse()
            .unwrap();
        assert!(pages > 3, "{pages} pages");
        assert!(many.contains(&format!("(Page {pages} of {pages})")));
        assert_eq!(many.matches("/Type /Page\n").count(), pages);
        assert_eq!(
            you_said_pdf(&report(3)),
            one,
            "the same report, the same bytes"
        );
    }
}
