//! A promise receipt: what an officer promised a resident, by when, and whom to ask for, so the
//! resident holds the officer to it. A promise still open that waits on a partner agency says
//! so, with the agency's reference, so the resident knows what to ask them about.

use chrono::{Local, NaiveDate};

use super::{FollowUp, FollowUpStatus, Officer};

/// The receipt a resident keeps for one follow-up.
#[derive(Debug, Clone, PartialEq)]
pub struct PromiseReceipt {
    pub officer: String,
    pub badge: String,
    /// The person it was promised to, when named.
    pub resident: Option<String>,
    pub neighborhood: String,
    pub promised_on: NaiveDate,
    pub promise: String,
    pub due: NaiveDate,
    /// Where it stands, in words ("Open", "Done on 5 Nov 2026: ...").
    pub status: String,
    /// The partner agency an open promise waits on, with their reference, in words
    /// ("Public works, reference WO-1234").
    pub waiting_on: Option<String>,
}

fn day(d: NaiveDate) -> String {
    d.format("%A %-d %B %Y").to_string()
}

impl PromiseReceipt {
    /// The receipt for `f`, made by `officer` (the one who made the promise).
    pub fn new(
        f: &FollowUp,
        officer: &Officer,
        resident: Option<&str>,
        neighborhood: &str,
    ) -> Self {
        let status = match &f.status {
            FollowUpStatus::Open => "Open".to_string(),
            FollowUpStatus::Done { on, outcome } => format!("Done on {}: {outcome}", day(*on)),
            FollowUpStatus::Dropped { on, outcome } => {
                format!("Closed on {} without doing it: {outcome}", day(*on))
            }
        };
        PromiseReceipt {
            officer: officer.name.clone(),
            badge: officer.badge.clone(),
            resident: resident.map(str::to_string),
            neighborhood: neighborhood.to_string(),
            promised_on: f.meta.created_at.with_timezone(&Local).date_naive(),
            promise: f.promise.clone(),
            due: f.due,
            status,
            waiting_on: f
                .waiting_on
                .as_ref()
                .filter(|_| f.status.is_open())
                .map(|w| {
                    let agency = w.agency.trim();
                    match w.reference.trim() {
                        "" => agency.to_string(),
                        reference => format!("{agency}, reference {reference}"),
                    }
                }),
        }
    }

    /// The receipt's lines as label and value, in reading order.
    pub fn lines(&self) -> Vec<(&'static str, String)> {
        let mut lines = vec![("Officer", format!("{}, badge {}", self.officer, self.badge))];
        if let Some(r) = &self.resident {
            lines.push(("For", r.clone()));
        }
        lines.extend([
            ("Neighborhood", self.neighborhood.clone()),
            ("Promised on", day(self.promised_on)),
            ("What I will do", self.promise.clone()),
            ("By", day(self.due)),
            ("Where it stands", self.status.clone()),
        ]);
        if let Some(w) = &self.waiting_on {
            lines.push(("Waiting on", w.clone()));
        }
        lines
    }

    /// What to do if the promise is not kept.
    pub fn closing(&self) -> String {
        format!(
            "Keep this receipt. If you have not heard back by {}, ask for Officer {}, badge {}.",
            day(self.due),
            self.officer,
            self.badge
        )
    }

    /// The whole receipt as plain text, to copy into a message or print.
    pub fn text(&self) -> String {
        let mut out = String::from("PROMISE RECEIPT\n\n");
        for (label, value) in self.lines() {
            out.push_str(&format!("{label}: {value}\n"));
        }
        out.push('\n');
        out.push_str(&self.closing());
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Id, Meta, Role};
    use chrono::TimeZone;

    /// Officer Dana Reyes, and her open promise made on 3 November, due on `due`.
    fn dana_and_promise(what: &str, due: NaiveDate) -> (Officer, FollowUp) {
        let made = chrono::Utc.with_ymd_and_hms(2026, 11, 3, 12, 0, 0).unwrap();
        let officer = Officer {
            meta: Meta::new(Id(1), Id(1), made),
            name: "Dana Reyes".into(),
            badge: "4127".into(),
            role: Role::Officer,
        };
        let promise = FollowUp {
            meta: Meta::new(Id(2), Id(1), made),
            promise: what.into(),
            person: None,
            contact: None,
            neighborhood: Id(3),
            due,
            status: FollowUpStatus::Open,
            waiting_on: None,
        };
        (officer, promise)
    }

    #[test]
    fn a_receipt_names_the_officer_the_promise_and_the_date() {
        let (officer, f) = dana_and_promise(
            "Report the alley light to public works",
            NaiveDate::from_ymd_opt(2026, 11, 6).unwrap(),
        );
        let r = PromiseReceipt::new(&f, &officer, Some("Rosa Delgado"), "Riverside");
        let text = r.text();
        assert!(text.contains("Officer: Dana Reyes, badge 4127"), "{text}");
        assert!(text.contains("For: Rosa Delgado"), "{text}");
        assert!(text.contains("What I will do: Report the alley light to public works"));
        assert!(text.contains("By: Friday 6 November 2026"), "{text}");
        assert!(text.contains("Where it stands: Open"), "{text}");
        assert!(
            text.contains("ask for Officer Dana Reyes, badge 4127"),
            "{text}"
        );
        assert!(!text.contains("Waiting on"), "{text}");
    }

    #[test]
    fn an_open_promise_held_up_by_a_partner_says_by_whom() {
        let (officer, mut f) = dana_and_promise(
            "Get the alley light fixed",
            NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        );
        f.waiting_on = Some(crate::model::PartnerWait {
            agency: "Public works".into(),
            reference: "WO-1234".into(),
            chase: NaiveDate::from_ymd_opt(2026, 11, 12),
        });
        let text = PromiseReceipt::new(&f, &officer, None, "Riverside").text();
        assert!(
            text.contains("Waiting on: Public works, reference WO-1234\n"),
            "{text}"
        );
        f.waiting_on.as_mut().unwrap().reference.clear();
        let text = PromiseReceipt::new(&f, &officer, None, "Riverside").text();
        assert!(text.contains("Waiting on: Public works\n"), "{text}");
        f.status = FollowUpStatus::Done {
            on: NaiveDate::from_ymd_opt(2026, 11, 18).unwrap(),
            outcome: "Fixed".into(),
        };
        let text = PromiseReceipt::new(&f, &officer, None, "Riverside").text();
        assert!(
            !text.contains("Waiting on"),
            "a kept promise waits no more: {text}"
        );
    }
}
