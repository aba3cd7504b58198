//! The demo's community problems (one in every SARA stage at least, with actions owned by
//! officers and by partner agencies) and each neighborhood's priorities, agreed at a meeting.

use chrono::Duration;

use super::{local_at, Precinct, Run};
use crate::model::{
    Action, ActionOwner, ActionStatus, ContactKind, Id, Meta, Outcome, Priority, Problem, Stage,
    StageNotes,
};
use crate::store::{ContactScan, FactFilter, ScanBy, StoreResult};

/// A kind of problem: its title (`{place}` is filled in), the topic residents raise about it,
/// the analysis, and the partner who can fix the condition with what they are asked to do.
struct ProblemKind {
    title: &'static str,
    topic: &'static str,
    analysis: &'static str,
    partner: &'static str,
    request: &'static str,
    officer_step: &'static str,
}

const KINDS: [ProblemKind; 6] = [
    ProblemKind {
        title: "Dark stretch of {place} after 9 pm",
        topic: "lighting",
        analysis: "Three lamps out between the corner store and the bus stop; people walk in the \
                   road to stay in the light. Worst on weekday evenings when the late shift \
                   comes home.",
        partner: "Public works",
        request: "Replace the three lamps and trim the trees over them",
        officer_step: "Walk the stretch at 9 pm twice a week and note which lamps are lit",
    },
    ProblemKind {
        title: "Speeding on {place} at school times",
        topic: "speeding",
        analysis: "Parents at drop-off count cars cutting through to avoid the lights; the \
                   crossing has no raised table and the 20 sign is behind a hedge.",
        partner: "School district",
        request: "Ask for a crossing guard at 8:15 and 15:00 and a new sign by the gate",
        officer_step: "Speed checks at drop-off on three mornings and share the counts",
    },
    ProblemKind {
        title: "Dumping behind the shops on {place}",
        topic: "trash and dumping",
        analysis: "Mattresses and bags left by the rear gate of the empty unit, mostly at \
                   weekends; the gate does not lock and there is no light over it.",
        partner: "Public works",
        request: "Clear the lot and fit a lock on the rear gate",
        officer_step: "Ask the landlord of the empty unit to close the gate",
    },
    ProblemKind {
        title: "Nothing for teenagers to do near {place} in the evenings",
        topic: "youth activities",
        analysis: "The youth center closes at 6; groups gather on the steps of the library \
                   until late and neighbours call about noise. The young people asked for a \
                   place to play ball.",
        partner: "Youth services",
        request: "Open the gym two evenings a week over the summer",
        officer_step: "Bring the young people to the youth services meeting",
    },
    ProblemKind {
        title: "Vacant building on {place} left open",
        topic: "housing",
        analysis: "Boarding on the ground floor pulled off; neighbours see people going in at \
                   night and worry about fire. The owner lives out of state.",
        partner: "Housing authority",
        request: "Inspect the building and order the owner to secure it",
        officer_step: "Check the boarding on patrol each week until it is fixed",
    },
    ProblemKind {
        title: "Graffiti returning on the walls along {place}",
        topic: "graffiti",
        analysis: "The same walls are tagged again within a week of cleaning; the underpass has \
                   no lighting and no one overlooks it.",
        partner: "Public works",
        request: "Clean the underpass walls and add anti-graffiti coating",
        officer_step: "Ask the arts group about a mural with the school",
    },
];

/// How a problem came to notice.
const SCANNING: [&str; 3] = [
    "Raised at the door by several neighbours and again at the community meeting.",
    "Came up in most business checks on the street over the last month.",
    "The block captain brought it to the meeting with a list of dates and times.",
];

/// Priorities residents agree at a meeting: the concern in their words (`{place}` filled in).
const PRIORITIES: [&str; 5] = [
    "Speeding on {place}",
    "Lighting on the way home from the bus",
    "Dumping and litter around {place}",
    "Somewhere for young people to go in the evenings",
    "Empty buildings left open",
];

impl Run<'_> {
    /// Problems in every stage (at least five, two per neighborhood), then three priorities
    /// per neighborhood (fewer where a log the demo is added to leaves less room), agreed at
    /// its latest meeting and tied to its problems.
    pub(super) fn problems(&mut self, p: &Precinct) -> StoreResult<()> {
        let hoods = p.hoods.len();
        if hoods == 0 || p.officers.is_empty() {
            return Ok(());
        }
        let count = (hoods * 2).max(Stage::ALL.len());
        let mut of_hood: Vec<Vec<Id>> = vec![Vec::new(); hoods];
        for n in 0..count {
            let stage = Stage::ALL[n % Stage::ALL.len()];
            let hood_ix = n % hoods;
            let id = self.problem(p, hood_ix, stage, n)?;
            of_hood[hood_ix].push(id);
        }
        for (hood_ix, problems) in of_hood.iter().enumerate() {
            self.priorities(p, hood_ix, problems)?;
        }
        Ok(())
    }

    fn problem(&mut self, p: &Precinct, hood_ix: usize, stage: Stage, n: usize) -> StoreResult<Id> {
        let kind = &KINDS[(n + self.rng.below(KINDS.len())) % KINDS.len()];
        let hp = &p.places[hood_ix];
        let place = match hp.streets.as_slice() {
            [] => "Main St",
            list => self.rng.pick(list),
        };
        let hood = p.hoods[hood_ix].meta.id;
        let owner = p.officers[self.rng.weighted(&p.officer_weights)].meta.id;
        // Older problems have come further.
        let age = 14 + 18 * (stage as i64) + self.rng.below(10) as i64;
        let noticed = self.today - Duration::days(age);
        let at = local_at(noticed, 16, self.rng.below(60) as u32).min(self.now);
        let topic = p
            .tags
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(kind.topic))
            .map(|t| t.meta.id);
        // The contacts that show it: the newest about its topic in its neighborhood.
        let contacts: Vec<Id> = self
            .store
            .scan_contacts(&ContactScan {
                by: ScanBy::Matching(FactFilter {
                    neighborhood: Some(hood),
                    tag: topic,
                    ..Default::default()
                }),
                from: Some(self.now - Duration::days(90)),
                to: None,
            })
            .take(3)
            .collect::<StoreResult<_>>()?;
        let day = |days: i64| noticed + Duration::days(days);
        let mut notes = StageNotes {
            scanning: SCANNING[self.rng.below(SCANNING.len())].to_string(),
            ..Default::default()
        };
        let mut actions = Vec::new();
        if stage >= Stage::Analysis {
            notes.analysis = kind.analysis.to_string();
        }
        if stage >= Stage::Response {
            notes.response = format!("Asked {} to fix the condition; we follow up.", kind.partner);
            let done = stage >= Stage::Assessment;
            let status = |open| {
                if done {
                    ActionStatus::Done
                } else {
                    open
                }
            };
            actions.push(Action {
                what: kind.request.to_string(),
                owner: Some(ActionOwner::Partner {
                    agency: kind.partner.to_string(),
                    reference: format!("WO-{}", 24_000 + self.rng.below(9_000)),
                    sent: Some(day(30)),
                    chase: Some(day(44)),
                }),
                due: Some(day(58)),
                status: status(ActionStatus::InProgress),
            });
            actions.push(Action {
                what: kind.officer_step.to_string(),
                owner: Some(ActionOwner::Officer { officer: owner }),
                due: Some(day(40)),
                status: status(ActionStatus::Planned),
            });
        }
        let mut outcome = None;
        if stage >= Stage::Assessment {
            notes.assessment = "Fewer calls about it since the work was done; residents at the \
                                last meeting said it feels better."
                .to_string();
        }
        if stage == Stage::Closed {
            outcome = Some(Outcome::ALL[self.rng.below(Outcome::ALL.len())]);
        }
        let problem = Problem {
            meta: Meta::new(self.store.new_id_at(at)?, owner, at),
            title: kind.title.replace("{place}", place),
            neighborhood: hood,
            places: vec![place.to_string()],
            topics: topic.into_iter().collect(),
            owner,
            noticed,
            stage,
            notes,
            contacts,
            actions,
            outcome,
            published: Vec::new(),
        };
        let saved = self.store.stage_unrecorded(problem, owner)?;
        self.summary.problems += 1;
        Ok(saved.meta.id)
    }

    fn priorities(&mut self, p: &Precinct, hood_ix: usize, problems: &[Id]) -> StoreResult<()> {
        let hood = p.hoods[hood_ix].meta.id;
        let author = p.officers[self.rng.weighted(&p.officer_weights)].meta.id;
        let from = self.today - Duration::days(20 + self.rng.below(20) as i64);
        let to = from + Duration::days(90);
        let hp = &p.places[hood_ix];
        let place = match hp.streets.as_slice() {
            [] => "Main St",
            list => self.rng.pick(list),
        };
        let at = local_at(from, 20, 30).min(self.now);
        // Agreed at the neighborhood's last meeting before the period began (the scan walks
        // newest first).
        let meeting = self
            .store
            .scan_contacts(&ContactScan {
                by: ScanBy::Matching(FactFilter {
                    neighborhood: Some(hood),
                    kind: Some(ContactKind::CommunityMeeting),
                    ..Default::default()
                }),
                from: Some(at - Duration::days(60)),
                to: Some(at),
            })
            .next()
            .transpose()?;
        let first = self.rng.below(PRIORITIES.len());
        for k in 0..3 {
            let concern = PRIORITIES[(first + k) % PRIORITIES.len()].replace("{place}", place);
            let priority = Priority {
                meta: Meta::new(self.store.new_id_at(at)?, author, at),
                neighborhood: hood,
                concern,
                from,
                to,
                meeting,
                problems: problems.get(k).copied().into_iter().collect(),
            };
            // A demo added to a log that has one keeps to the handful a period allows.
            if priority.check_room(&self.store.all::<Priority>()?).is_err() {
                break;
            }
            self.store.stage_unrecorded(priority, author)?;
            self.summary.priorities += 1;
        }
        Ok(())
    }
}
