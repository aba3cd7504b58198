//! Vector charts drawn into the page: axes, grouped bars and the tone line.

use super::*;

// ---------------------------------------------------------------------------------------------
// Charts

/// One series of a chart: a name for the legend, a colour and a value per week.
pub(super) struct Series {
    pub(super) name: String,
    pub(super) color: Rgb,
    pub(super) values: Vec<Option<f64>>,
}

/// Where a chart's plot sits on the page (bottom-left corner and size), labels outside it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Area {
    pub(super) x: f32,
    pub(super) y: f32,
    pub(super) w: f32,
    pub(super) h: f32,
}

/// A round top for a count axis and the step between its ticks (at least 1).
pub(super) fn nice_scale(max: f64) -> (f64, f64) {
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

pub(super) fn count_text(v: f64) -> String {
    if v.abs() >= 1e15 {
        format!("{v:e}")
    } else {
        format!("{}", v.round())
    }
}

/// Week labels under a plot, thinned out so they never touch.
pub(super) fn x_labels(c: &mut Content, a: Area, labels: &[String]) {
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
pub(super) fn y_axis(c: &mut Content, a: Area, top: f64, step: f64, label: impl Fn(f64) -> String) {
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
pub(super) fn bar_chart(
    c: &mut Content,
    a: Area,
    labels: &[String],
    series: &[Series],
    top: Option<f64>,
) {
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
pub(super) fn tone_chart(c: &mut Content, a: Area, labels: &[String], values: &[Option<f64>]) {
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
    pub(super) fn chart(
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
