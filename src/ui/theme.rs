//! How beatbook looks: the light theme made for daylight and the dark theme (explicit
//! [`Visuals`] for both, every text color at WCAG AA contrast against the backgrounds it is
//! drawn on, which the tests below check), touch-sized targets, the text size (egui's zoom:
//! Ctrl+Plus, Ctrl+Minus, Ctrl+0), the "Display" section of Settings that chooses the theme and
//! the text size, and remembering both between runs (in eframe's storage, so the lock screen
//! is drawn in them too).

use egui::style::{Selection, WidgetVisuals, Widgets};
use egui::{Color32, Context, CornerRadius, RichText, Stroke, Theme, ThemePreference, Ui, Visuals};
use serde::{Deserialize, Serialize};

/// Where eframe's storage keeps the display choices.
const DISPLAY_KEY: &str = "beatbook.display";

/// Buttons, checkboxes, text fields and choices are at least this high (logical points, so at
/// 100% text size this many pixels): a finger in a moving car finds them.
pub const TOUCH_TARGET: f32 = 32.0;

/// The text sizes Settings offers (egui's zoom factor).
pub const TEXT_SIZES: [f32; 5] = [1.0, 1.25, 1.5, 1.75, 2.0];

/// The background of the confirmation shown after a save: dark green, under white text, in
/// both themes (it stands out from a light panel and a dark one alike).
pub const CONFIRM_BG: Color32 = Color32::from_rgb(16, 96, 48);
pub const CONFIRM_TEXT: Color32 = Color32::WHITE;

/// The theme and text size chosen, kept between runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Display {
    pub theme: ThemePreference,
    pub zoom: f32,
}

impl Display {
    /// What the window shows now.
    pub fn of(ctx: &Context) -> Self {
        Display {
            theme: ctx.options(|o| o.theme_preference),
            zoom: ctx.zoom_factor(),
        }
    }

    /// Shows the window in these choices (the zoom from the next frame on).
    pub fn apply(self, ctx: &Context) {
        ctx.set_theme(self.theme);
        if self.zoom.is_finite() {
            ctx.set_zoom_factor(self.zoom.clamp(TEXT_SIZES[0], 3.0));
        }
    }

    /// The choices kept in eframe's storage by an earlier run.
    pub fn load(storage: &dyn eframe::Storage) -> Option<Self> {
        eframe::get_value(storage, DISPLAY_KEY)
    }

    pub fn save(self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, DISPLAY_KEY, &self);
    }
}

/// Puts beatbook's themes and target sizes in place of egui's, for both themes. What a style
/// already says about the text cursor's blinking is kept (tests turn it off).
pub fn install(ctx: &Context) {
    for theme in [Theme::Dark, Theme::Light] {
        ctx.style_mut_of(theme, |style| {
            let blink = style.visuals.text_cursor.blink;
            style.visuals = visuals(theme);
            style.visuals.text_cursor.blink = blink;
            touch_sized(&mut style.spacing);
        });
    }
}

/// Room for a finger: every button, checkbox, text field and choice at least
/// [`TOUCH_TARGET`] high, with a larger box to tick.
fn touch_sized(spacing: &mut egui::style::Spacing) {
    spacing.interact_size = egui::vec2(40.0, TOUCH_TARGET);
    spacing.button_padding = egui::vec2(10.0, 6.0);
    spacing.icon_width = 20.0;
    spacing.icon_width_inner = 12.0;
    spacing.icon_spacing = 6.0;
    spacing.item_spacing = egui::vec2(8.0, 5.0);
}

/// The colors of one theme. Each text color is named after what it is drawn on in
/// [`text_pairs`], whose contrast the tests check.
struct Palette {
    panel: Color32,
    window: Color32,
    /// Text fields.
    field: Color32,
    /// Striped rows.
    faint: Color32,
    code: Color32,
    text: Color32,
    /// Hints, the status line's advice, secondary words.
    weak: Color32,
    strong: Color32,
    hyperlink: Color32,
    warn: Color32,
    error: Color32,
    selection_bg: Color32,
    /// The text of a selected choice (a selected nav entry) on `selection_bg`.
    selected_text: Color32,
    /// Lines: separators, the borders of fields and buttons.
    line: Color32,
    /// Buttons: at rest, under the pointer, pressed, open (a combo box).
    button: [Color32; 4],
    button_text: [Color32; 4],
}

const DARK: Palette = Palette {
    panel: Color32::from_gray(24),
    window: Color32::from_gray(32),
    field: Color32::from_gray(10),
    faint: Color32::from_gray(38),
    code: Color32::from_gray(50),
    text: Color32::from_gray(226),
    weak: Color32::from_gray(172),
    strong: Color32::WHITE,
    hyperlink: Color32::from_rgb(130, 190, 255),
    warn: Color32::from_rgb(255, 176, 56),
    error: Color32::from_rgb(255, 120, 110),
    selection_bg: Color32::from_rgb(0, 72, 112),
    selected_text: Color32::WHITE,
    line: Color32::from_gray(110),
    button: [
        Color32::from_gray(58),
        Color32::from_gray(74),
        Color32::from_gray(90),
        Color32::from_gray(58),
    ],
    button_text: [
        Color32::from_gray(238),
        Color32::WHITE,
        Color32::WHITE,
        Color32::WHITE,
    ],
};

/// Near-black on near-white, with every field and button outlined: readable in a car in
/// daylight, where egui's own light theme washes out (its text is gray 80 on 248, its hints
/// lighter still).
const LIGHT: Palette = Palette {
    panel: Color32::from_gray(250),
    window: Color32::WHITE,
    field: Color32::WHITE,
    faint: Color32::from_gray(236),
    code: Color32::from_gray(228),
    text: Color32::from_gray(12),
    weak: Color32::from_gray(72),
    strong: Color32::BLACK,
    hyperlink: Color32::from_rgb(0, 64, 176),
    warn: Color32::from_rgb(140, 72, 0),
    error: Color32::from_rgb(176, 0, 0),
    selection_bg: Color32::from_rgb(176, 212, 255),
    selected_text: Color32::from_rgb(0, 24, 64),
    line: Color32::from_gray(96),
    button: [
        Color32::from_gray(224),
        Color32::from_gray(204),
        Color32::from_gray(184),
        Color32::from_gray(204),
    ],
    button_text: [
        Color32::BLACK,
        Color32::BLACK,
        Color32::BLACK,
        Color32::BLACK,
    ],
};

fn palette(theme: Theme) -> &'static Palette {
    match theme {
        Theme::Dark => &DARK,
        Theme::Light => &LIGHT,
    }
}

/// The explicit visuals of a theme.
pub fn visuals(theme: Theme) -> Visuals {
    let p = palette(theme);
    let base = match theme {
        Theme::Dark => Visuals::dark(),
        Theme::Light => Visuals::light(),
    };
    let widget = |i: usize, stroke: Stroke| WidgetVisuals {
        bg_fill: p.button[i],
        weak_bg_fill: p.button[i],
        bg_stroke: stroke,
        fg_stroke: Stroke::new(if i == 0 { 1.0 } else { 1.5 }, p.button_text[i]),
        corner_radius: CornerRadius::same(6),
        expansion: 0.0,
    };
    let line = Stroke::new(1.0, p.line);
    let edge = Stroke::new(1.0, p.strong);
    Visuals {
        override_text_color: None,
        weak_text_alpha: 1.0,
        weak_text_color: Some(p.weak),
        widgets: Widgets {
            noninteractive: WidgetVisuals {
                bg_fill: p.panel,
                weak_bg_fill: p.panel,
                bg_stroke: line,
                fg_stroke: Stroke::new(1.0, p.text),
                corner_radius: CornerRadius::same(4),
                expansion: 0.0,
            },
            inactive: widget(0, line),
            hovered: widget(1, edge),
            active: WidgetVisuals {
                fg_stroke: Stroke::new(2.0, p.strong),
                ..widget(2, edge)
            },
            open: widget(3, line),
        },
        selection: Selection {
            bg_fill: p.selection_bg,
            stroke: Stroke::new(1.5, p.selected_text),
        },
        hyperlink_color: p.hyperlink,
        faint_bg_color: p.faint,
        extreme_bg_color: p.field,
        text_edit_bg_color: Some(p.field),
        code_bg_color: p.code,
        warn_fg_color: p.warn,
        error_fg_color: p.error,
        window_fill: p.window,
        window_stroke: line,
        panel_fill: p.panel,
        ..base
    }
}

/// Every text color the theme draws with the backgrounds it is drawn on, named.
pub fn text_pairs(theme: Theme) -> Vec<(&'static str, Color32, &'static str, Color32)> {
    let p = palette(theme);
    let v = visuals(theme);
    let backgrounds = [
        ("panel", v.panel_fill),
        ("window", v.window_fill),
        ("text field", v.text_edit_bg_color()),
        ("faint (striped rows)", v.faint_bg_color),
    ];
    let texts = [
        ("text", v.text_color()),
        ("weak text (hints, status line)", v.weak_text_color()),
        ("strong text", v.strong_text_color()),
        ("hyperlink", v.hyperlink_color),
        ("warning", v.warn_fg_color),
        ("error", v.error_fg_color),
    ];
    let mut pairs = Vec::new();
    for (t, fg) in texts {
        for (b, bg) in backgrounds {
            pairs.push((t, fg, b, bg));
        }
    }
    // Text selected in a field keeps its color over the selection.
    pairs.push(("text", v.text_color(), "selection", v.selection.bg_fill));
    pairs.push((
        "strong text",
        v.strong_text_color(),
        "selection",
        v.selection.bg_fill,
    ));
    pairs.push((
        "selected text",
        v.selection.stroke.color,
        "selection",
        v.selection.bg_fill,
    ));
    pairs.push(("code", v.text_color(), "code", v.code_bg_color));
    let w = &v.widgets;
    for (name, state) in [
        ("button", w.inactive),
        ("hovered button", w.hovered),
        ("pressed button", w.active),
        ("open choice", w.open),
    ] {
        pairs.push((name, state.fg_stroke.color, name, state.weak_bg_fill));
    }
    // A warning on a button (decisions waiting, in the top bar).
    pairs.push((
        "warning",
        v.warn_fg_color,
        "button",
        w.inactive.weak_bg_fill,
    ));
    pairs.push(("saved notice", CONFIRM_TEXT, "saved notice", CONFIRM_BG));
    debug_assert_eq!(p.text, v.text_color());
    pairs
}

/// The WCAG 2 relative luminance of an opaque color.
pub fn luminance(c: Color32) -> f64 {
    let channel = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.040_45 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
}

/// The WCAG 2 contrast ratio of two colors (1 to 21); a translucent text color is first laid
/// over the background, as it is drawn.
pub fn contrast(fg: Color32, bg: Color32) -> f64 {
    let fg = over(fg, bg);
    let (a, b) = (luminance(fg), luminance(bg));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// `fg` (premultiplied, as egui keeps colors) drawn over an opaque `bg`.
fn over(fg: Color32, bg: Color32) -> Color32 {
    let a = u16::from(fg.a());
    let mix = |f: u8, b: u8| {
        let v = u16::from(f) + u16::from(b) * (255 - a) / 255;
        u8::try_from(v.min(255)).unwrap_or(255)
    };
    Color32::from_rgb(
        mix(fg.r(), bg.r()),
        mix(fg.g(), bg.g()),
        mix(fg.b(), bg.b()),
    )
}

/// Settings > Display: the theme, and the text size (also Ctrl+Plus, Ctrl+Minus, Ctrl+0).
pub fn display_settings(ui: &mut Ui) {
    ui.label(RichText::new("Display").strong());
    let ctx = ui.ctx().clone();
    let mut theme = ctx.options(|o| o.theme_preference);
    ui.horizontal_wrapped(|ui| {
        ui.label("Theme");
        for (choice, words) in [
            (ThemePreference::System, "Follow the system"),
            (ThemePreference::Light, "Light (for daylight)"),
            (ThemePreference::Dark, "Dark"),
        ] {
            ui.selectable_value(&mut theme, choice, words);
        }
    });
    if theme != ctx.options(|o| o.theme_preference) {
        ctx.set_theme(theme);
    }
    let zoom = ctx.zoom_factor();
    ui.horizontal_wrapped(|ui| {
        ui.label("Text size");
        for size in TEXT_SIZES {
            let words = format!("{:.0}%", size * 100.0);
            if ui
                .selectable_label((zoom - size).abs() < 0.01, words)
                .clicked()
            {
                ctx.set_zoom_factor(size);
            }
        }
    });
    ui.weak(format!(
        "Now {:.0}%. Ctrl+Plus and Ctrl+Minus change the text size from any screen, Ctrl+0 \
         puts it back to 100%. Both choices are kept for the next start.",
        zoom * 100.0
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_color_meets_wcag_aa_on_its_backgrounds() {
        let mut failures = Vec::new();
        for theme in [Theme::Dark, Theme::Light] {
            for (text, fg, background, bg) in text_pairs(theme) {
                let ratio = contrast(fg, bg);
                if ratio < 4.5 {
                    failures.push(format!("{theme:?}: {text} on {background}: {ratio:.2}:1"));
                }
            }
        }
        assert!(failures.is_empty(), "below 4.5:1: {failures:#?}");
    }

    /// What egui's own themes gave the status line and hints: their weak text on their panel.
    #[test]
    fn egui_defaults_were_below_aa_for_weak_text() {
        for v in [Visuals::dark(), Visuals::light()] {
            let ratio = contrast(v.weak_text_color(), v.panel_fill);
            assert!(ratio < 4.5, "{ratio:.2}");
        }
    }

    #[test]
    fn the_contrast_formula_matches_known_values() {
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 1e-9);
        assert!((contrast(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 1e-9);
        // #767676 on white is the lightest gray that passes AA: 4.54:1.
        let ratio = contrast(Color32::from_gray(0x76), Color32::WHITE);
        assert!((ratio - 4.54).abs() < 0.01, "{ratio}");
    }

    #[test]
    fn targets_are_touch_sized_in_both_themes() {
        let ctx = Context::default();
        install(&ctx);
        for theme in [Theme::Dark, Theme::Light] {
            let style = ctx.style_of(theme);
            assert!(style.spacing.interact_size.y >= TOUCH_TARGET);
            assert_eq!(style.visuals, {
                let mut v = visuals(theme);
                v.text_cursor.blink = style.visuals.text_cursor.blink;
                v
            });
        }
    }
}
