//! The review figures as plain text (to read or print), CSV (for a spreadsheet) and JSON, and
//! the words every report uses for a community problem and its actions.
//!
//! Officers appear in name order: the figures are for a conversation about rapport work, not
//! a ranking by how many contacts were logged. Problems are never ranked either: their rows are
//! in name order too.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::plural;
use crate::csv_cell::protect;
use crate::model::{Outcome, PersonRole, Stage, Tone};
use crate::query::review::{
    ActionBy, ActionLine, ConcernTrend, Figure, NeighborhoodFigures, OfficerFigures, ProblemCounts,
    ProblemLine, ProblemReview, ReviewReport, NO_ACTION_DAYS,
};

/// A topic's change since the previous period, in words: "new", "same", "up from 3",
/// "down from 5".
pub fn trend_words(c: &ConcernTrend) -> String {
    match (c.before, c.now.value) {
        (0, n) if n > 0 => "new".to_string(),
        (b, n) if n > b => format!("up from {b}"),
        (b, n) if n < b => format!("down from {b}"),
        _ => "same".to_string(),
    }
}

/// The median days to keep a promise, in words: "2.5 days", "1 day", or "–" when none was kept.
pub fn median_words(days: Option<f64>) -> String {
    match days {
        None => "–".to_string(),
        Some(1.0) => "1 day".to_string(),
        Some(d) if d.fract() == 0.0 => format!("{d:.0} days"),
        Some(d) => format!("{d:.1} days"),
    }
}

fn date(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// What "no action for 30 days" means, as the screen's hover text and the reports say it.
pub fn no_action_meaning() -> String {
    format!(
        "An open problem counts as having had no action when nothing at all was saved to it \
         (no note, action, status, stage, linked contact or any other change) in the \
         {NO_ACTION_DAYS} days up to the day counted: its last change was {NO_ACTION_DAYS} days \
         before that day or earlier."
    )
}

/// Who carries out an action, in words: "Dana Reyes", "Public works, ref. WO-24871".
pub fn action_by_words(by: &ActionBy) -> String {
    match by {
        ActionBy::Officer { name } => name.clone(),
        ActionBy::Partner {
            agency, reference, ..
        } if reference.is_empty() => format!("{agency}, no reference yet"),
        ActionBy::Partner {
            agency, reference, ..
        } => format!("{agency}, ref. {reference}"),
        ActionBy::Nobody => "no owner yet".to_string(),
    }
}

/// An action still to be done, in words: "Replace the lamps (Public works, ref. WO-24871; due
/// 26 Nov 2026; chase 19 Nov 2026)".
pub fn action_words(a: &ActionLine) -> String {
    let mut parts = vec![action_by_words(&a.by)];
    parts.push(
        a.due
            .map_or("no due date".to_string(), |d| format!("due {}", date(d))),
    );
    if let ActionBy::Partner {
        chase: Some(chase), ..
    } = &a.by
    {
        parts.push(format!("chase {}", date(*chase)));
    }
    format!("{} ({})", a.what, parts.join("; "))
}

/// A problem's next action in words, or that none is planned.
pub fn next_action_words(p: &ProblemLine) -> String {
    match p.next_actions.first() {
        Some(a) => action_words(a),
        None => "no action planned".to_string(),
    }
}

/// Where a problem stands in words: "Analysis", "Closed 20 Nov 2026: Solved".
pub fn stage_words(p: &ProblemLine) -> String {
    match (p.stage, p.closed_on, p.outcome) {
        (Stage::Closed, Some(on), Some(o)) => format!("Closed {}: {}", date(on), o.label()),
        (Stage::Closed, None, Some(o)) => format!("Closed: {}", o.label()),
        (stage, _, _) => stage.label().to_string(),
    }
}

/// A problem's age in words: "40 days since noticed", or for a closed one "open 12 days".
pub fn age_words(p: &ProblemLine) -> String {
    let days = usize::try_from(p.age_days).unwrap_or(0);
    if p.stage.is_open() {
        format!("{} since noticed", plural(days, "day", "days"))
    } else {
        format!("open {}", plural(days, "day", "days"))
    }
}

/// A median age in days: "12", "12.5", or "–" when there is no open problem.
pub fn age_median_words(days: Option<f64>) -> String {
    match days {
        None => "–".to_string(),
        Some(d) if d.fract() == 0.0 => format!("{d:.0}"),
        Some(d) => format!("{d:.1}"),
    }
}

/// The review as a plain-text report: the period, then each officer, neighborhood and week.
pub fn to_text(report: &ReviewReport) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_text(&mut out, report);
    out
}

fn write_text(out: &mut String, r: &ReviewReport) -> std::fmt::Result {
    let p = r.period;
    let scope = match (r.officer, r.officers.first()) {
        (Some(_), Some(o)) => format!("{} only", o.name),
        _ => "whole squad".to_string(),
    };
    writeln!(
        out,
        "Review of {} to {} ({} days), {scope}",
        date(p.from),
        date(p.to),
        p.days()
    )?;
    writeln!(out, "As of {}", date(r.today))?;
    if !r.top_concerns.is_empty() {
        writeln!(out, "Concerns raised most: {}", r.top_concerns.join(", "))?;
    }

    writeln!(out, "\nOFFICERS")?;
    if r.officers.is_empty() {
        writeln!(out, "\n  (none)")?;
    }
    for o in &r.officers {
        write_officer(out, o)?;
    }

    writeln!(out, "\nNEIGHBORHOODS")?;
    if r.neighborhoods.is_empty() {
        writeln!(out, "\n  (none)")?;
    }
    for n in &r.neighborhoods {
        write_neighborhood(out, n)?;
    }

    write_problems(out, &r.problems)?;

    writeln!(out, "\nWEEKS")?;
    for w in &r.weeks {
        let contacts: usize = w.contacts_by_officer.iter().map(|f| f.value).sum();
        let tone = w
            .mean_tone
            .map_or("–".to_string(), |t| format!("{t:.1} of 5"));
        writeln!(
            out,
            "  Week of {}: {}; {} due, {} kept on time; mean tone {tone}",
            date(w.start),
            plural(contacts, "contact", "contacts"),
            plural(w.followups_due.value, "follow-up", "follow-ups"),
            w.kept_on_time.value,
        )?;
    }
    Ok(())
}

fn write_officer(out: &mut String, o: &OfficerFigures) -> std::fmt::Result {
    if o.badge.is_empty() {
        writeln!(out, "\n{}", o.name)?;
    } else {
        writeln!(out, "\n{} (badge {})", o.name, o.badge)?;
    }
    writeln!(out, "  Contacts: {}", o.contacts.value)?;
    writeln!(out, "  People reached: {}", o.people_reached.value)?;
    writeln!(
        out,
        "  People seen again (2 or more contacts): {}",
        o.people_seen_again.value
    )?;
    writeln!(
        out,
        "  Neighborhoods covered: {}",
        o.neighborhoods_covered.value
    )?;
    writeln!(
        out,
        "  Community meetings and events: {}",
        o.meetings_and_events.value
    )?;
    writeln!(
        out,
        "  Started by a resident: {}; by the officer: {}",
        o.started_by_resident.value, o.started_by_officer.value
    )?;
    let tones: Vec<String> = Tone::ALL
        .iter()
        .zip(&o.tone)
        .map(|(t, f)| format!("{} {}", t.label().to_lowercase(), f.value))
        .collect();
    writeln!(out, "  Tone: {}", tones.join(", "))?;
    writeln!(out, "  Follow-ups promised: {}", o.followups_promised.value)?;
    writeln!(
        out,
        "    kept on time: {}; kept late: {}; overdue: {}",
        o.kept_on_time.value, o.kept_late.value, o.overdue.value
    )?;
    writeln!(
        out,
        "    median time to keep: {}",
        median_words(o.median_days_to_keep)
    )?;
    let flag = if o.thin_notes.value > 0 {
        "  <- worth a look"
    } else {
        ""
    };
    writeln!(
        out,
        "  Notes of one word or none: {}{flag}",
        o.thin_notes.value
    )
}

fn write_neighborhood(out: &mut String, n: &NeighborhoodFigures) -> std::fmt::Result {
    writeln!(out, "\n{}", n.name)?;
    writeln!(out, "  Contacts: {}", n.contacts.value)?;
    writeln!(
        out,
        "  People not contacted in 30 days: {}; 60 days: {}; 90 days: {}",
        n.not_contacted_30.value, n.not_contacted_60.value, n.not_contacted_90.value
    )?;
    let reach: Vec<String> = n
        .reach
        .iter()
        .map(|(role, f)| format!("{} {}", role.label().to_lowercase(), f.value))
        .collect();
    writeln!(out, "  Reach: {}", reach.join(", "))?;
    if n.concerns.is_empty() {
        writeln!(out, "  Top concerns: none raised")
    } else {
        let concerns: Vec<String> = n
            .concerns
            .iter()
            .map(|c| format!("{} {} ({})", c.topic, c.now.value, trend_words(c)))
            .collect();
        writeln!(out, "  Top concerns: {}", concerns.join(", "))
    }
}

/// One row's problems in a line: "scanning 1, analysis 0, response 2, assessment 0; closed in
/// the period 1 (solved 1, reduced 0, moved elsewhere 0, no change 0); open: median age 40
/// days, oldest 75 days; no action for 30 days: 1".
fn problem_counts_words(c: &ProblemCounts) -> String {
    let stages: Vec<String> = Stage::ALL[..4]
        .iter()
        .zip(&c.stages)
        .map(|(s, f)| format!("{} {}", s.label().to_lowercase(), f.value))
        .collect();
    let outcomes: Vec<String> = Outcome::ALL
        .iter()
        .zip(&c.outcomes)
        .map(|(o, f)| format!("{} {}", o.label().to_lowercase(), f.value))
        .collect();
    let age = match (c.median_age_days, c.oldest_age_days) {
        (Some(m), Some(old)) => format!(
            "median age {} days, oldest {}",
            age_median_words(Some(m)),
            plural(usize::try_from(old).unwrap_or(0), "day", "days")
        ),
        _ => "none open".to_string(),
    };
    format!(
        "{}; closed in the period {} ({}); open: {age}; no action for {NO_ACTION_DAYS} days: {}",
        stages.join(", "),
        c.stages[4].value,
        outcomes.join(", "),
        c.no_action.value
    )
}

fn write_problems(out: &mut String, p: &ProblemReview) -> std::fmt::Result {
    writeln!(
        out,
        "\nPROBLEMS (open on {}, and those closed in the period)",
        date(p.as_of)
    )?;
    writeln!(out, "\n  By officer:")?;
    for o in &p.officers {
        writeln!(out, "  {}: {}", o.name, problem_counts_words(&o.counts))?;
    }
    writeln!(out, "\n  By neighborhood:")?;
    for n in p.neighborhoods.iter().filter(|n| n.counts.total() > 0) {
        writeln!(out, "  {}: {}", n.name, problem_counts_words(&n.counts))?;
    }
    writeln!(out, "\n  Open problems:")?;
    if p.open().next().is_none() {
        writeln!(out, "  (none)")?;
    }
    for l in p.open() {
        let flag = if l.no_action {
            format!("  <- no action for {NO_ACTION_DAYS} days")
        } else {
            String::new()
        };
        writeln!(
            out,
            "  - {} ({}; {}; {}; {}){flag}",
            l.title,
            l.neighborhood,
            l.owner,
            l.stage.label(),
            age_words(l)
        )?;
        if l.next_actions.is_empty() {
            writeln!(out, "      no action planned")?;
        }
        for a in &l.next_actions {
            writeln!(out, "      next: {}", action_words(a))?;
        }
    }
    writeln!(out, "\n  Closed in the period:")?;
    if p.closed().next().is_none() {
        writeln!(out, "  (none)")?;
    }
    for l in p.closed() {
        writeln!(
            out,
            "  - {} ({}; {}): {}",
            l.title,
            l.neighborhood,
            l.owner,
            stage_words(l)
        )?;
    }
    Ok(())
}

/// A short, stable name for a role in CSV metric names ("business_owner").
fn role_code(role: PersonRole) -> String {
    role.label().to_lowercase().replace(' ', "_")
}

/// The review as CSV rows `section,name,metric,value`, one figure a row, safe to open in a
/// spreadsheet. Problems come under `problems_officer` and `problems_neighborhood`, for the
/// officers and neighborhoods with at least one problem counted.
pub fn to_csv(report: &ReviewReport) -> String {
    match write_csv(report) {
        Ok(bytes) => String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        // The writer fills memory; it has no I/O that could fail.
        Err(_) => String::new(),
    }
}

fn write_csv(r: &ReviewReport) -> csv::Result<Vec<u8>> {
    let mut header = Vec::new();
    crate::csv_cell::write_header(&mut header, &["section", "name", "metric", "value"])?;
    let mut w = crate::csv_cell::writer(header);
    let mut row = |section: &str, name: &str, metric: &str, value: &str| {
        w.write_record([
            protect(section).as_ref(),
            protect(name).as_ref(),
            protect(metric).as_ref(),
            protect(value).as_ref(),
        ])
    };
    let n = |f: &Figure| f.value.to_string();

    for o in &r.officers {
        let name = o.name.as_str();
        let mut fig = |metric: &str, value: String| row("officer", name, metric, &value);
        fig("badge", o.badge.clone())?;
        fig("contacts", n(&o.contacts))?;
        fig("people_reached", n(&o.people_reached))?;
        fig("people_seen_again", n(&o.people_seen_again))?;
        fig("neighborhoods_covered", n(&o.neighborhoods_covered))?;
        fig("meetings_and_events", n(&o.meetings_and_events))?;
        fig("started_by_resident", n(&o.started_by_resident))?;
        fig("started_by_officer", n(&o.started_by_officer))?;
        for (t, f) in Tone::ALL.iter().zip(&o.tone) {
            fig(&format!("tone_{}", t.label().to_lowercase()), n(f))?;
        }
        fig("followups_promised", n(&o.followups_promised))?;
        fig("kept_on_time", n(&o.kept_on_time))?;
        fig("kept_late", n(&o.kept_late))?;
        fig("overdue", n(&o.overdue))?;
        fig(
            "median_days_to_keep",
            o.median_days_to_keep
                .map_or(String::new(), |d| d.to_string()),
        )?;
        fig("thin_notes", n(&o.thin_notes))?;
    }

    for h in &r.neighborhoods {
        let name = h.name.as_str();
        let mut fig = |metric: &str, value: String| row("neighborhood", name, metric, &value);
        fig("contacts", n(&h.contacts))?;
        fig("not_contacted_30", n(&h.not_contacted_30))?;
        fig("not_contacted_60", n(&h.not_contacted_60))?;
        fig("not_contacted_90", n(&h.not_contacted_90))?;
        for (role, f) in &h.reach {
            fig(&format!("reach_{}", role_code(*role)), n(f))?;
        }
        for c in &h.concerns {
            fig(&format!("concern:{}", c.topic), n(&c.now))?;
            fig(&format!("concern_before:{}", c.topic), c.before.to_string())?;
        }
    }

    let problem_rows = r
        .problems
        .officers
        .iter()
        .map(|o| ("problems_officer", o.name.as_str(), &o.counts))
        .chain(
            r.problems
                .neighborhoods
                .iter()
                .map(|h| ("problems_neighborhood", h.name.as_str(), &h.counts)),
        )
        // A row with no problem counted has only zeros to say, for every neighborhood of a
        // precinct: it is left out.
        .filter(|(_, _, c)| c.total() > 0);
    for (section, name, c) in problem_rows {
        let mut fig = |metric: &str, value: String| row(section, name, metric, &value);
        for (stage, f) in Stage::ALL[..4].iter().zip(&c.stages) {
            fig(&format!("open_{}", stage.label().to_lowercase()), n(f))?;
        }
        fig("closed_in_period", n(&c.stages[4]))?;
        fig("open", n(&c.open))?;
        fig(
            "median_age_days",
            c.median_age_days.map_or(String::new(), |d| d.to_string()),
        )?;
        fig(
            "oldest_age_days",
            c.oldest_age_days.map_or(String::new(), |d| d.to_string()),
        )?;
        fig(&format!("no_action_{NO_ACTION_DAYS}_days"), n(&c.no_action))?;
        for (o, f) in Outcome::ALL.iter().zip(&c.outcomes) {
            fig(
                &format!("outcome_{}", o.label().to_lowercase().replace(' ', "_")),
                n(f),
            )?;
        }
    }

    for wk in &r.weeks {
        let name = wk.start.to_string();
        let mut fig = |metric: &str, value: String| row("week", &name, metric, &value);
        for (o, f) in r.officers.iter().zip(&wk.contacts_by_officer) {
            fig(&format!("contacts:{}", o.name), n(f))?;
        }
        fig("followups_due", n(&wk.followups_due))?;
        fig("kept_on_time", n(&wk.kept_on_time))?;
        fig(
            "mean_tone",
            wk.mean_tone.map_or(String::new(), |t| format!("{t:.2}")),
        )?;
        for (topic, f) in r.top_concerns.iter().zip(&wk.concerns) {
            fig(&format!("concern:{topic}"), n(f))?;
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// The review as pretty-printed JSON; every figure is written as its number.
pub fn to_json(report: &ReviewReport) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::review::Behind;

    fn trend(now: usize, before: usize) -> String {
        let c = ConcernTrend {
            topic: "noise".into(),
            now: Figure {
                value: now,
                behind: Behind::Contacts,
                ids: Vec::new(),
            },
            before,
        };
        trend_words(&c)
    }

    #[test]
    fn trends_in_words() {
        assert_eq!(trend(2, 0), "new");
        assert_eq!(trend(4, 3), "up from 3");
        assert_eq!(trend(1, 5), "down from 5");
        assert_eq!(trend(3, 3), "same");
    }

    #[test]
    fn median_in_words() {
        assert_eq!(median_words(None), "–");
        assert_eq!(median_words(Some(1.0)), "1 day");
        assert_eq!(median_words(Some(2.0)), "2 days");
        assert_eq!(median_words(Some(2.5)), "2.5 days");
        assert_eq!(median_words(Some(0.0)), "0 days");
    }
}
