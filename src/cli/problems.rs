//! `beatbook problems`: the community problems of the log, by neighborhood and stage, printed
//! as lines or JSON.

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{json, Value};

use super::lookup::find_one;
use super::{CliError, Launch, LogDir, OutputFormat};
use crate::model::{Action, ActionOwner, Id, Officer, Problem, Stage, Tag};
use crate::query::problems::{problems, ProblemFilter};
use crate::query::SquadNames;

#[derive(Debug, clap::Args)]
pub struct ProblemsArgs {
    /// Only the problems of this neighborhood (its name).
    #[arg(long, value_name = "NAME")]
    pub neighborhood: Option<String>,
    /// Only the problems in this stage: scanning, analysis, response, assessment or closed.
    #[arg(long, value_name = "STAGE")]
    pub stage: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

pub(super) fn run_problems(
    dir: &LogDir,
    a: &ProblemsArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Launch, CliError> {
    // A mistyped stage is reported before the log is opened.
    let stage = match &a.stage {
        Some(s) => Some(Stage::parse(s).ok_or_else(|| {
            let stages: Vec<String> = Stage::ALL
                .iter()
                .map(|s| s.label().to_lowercase())
                .collect();
            CliError::Usage(format!(
                "\"{s}\" is not a stage. Use one of: {}.",
                stages.join(", ")
            ))
        })?),
        None => None,
    };
    let store = dir.open_existing()?;
    let names = SquadNames::of(&store)?;
    let neighborhoods = match &a.neighborhood {
        Some(n) => {
            let live = names.neighborhoods();
            let id = find_one(
                "neighborhood",
                n,
                live.iter().map(|(id, name)| (*id, name.as_str())),
                "",
            )?;
            names.aliases_of(id)
        }
        None => Vec::new(),
    };
    let list = problems(
        &store,
        &ProblemFilter {
            neighborhoods,
            stage,
        },
    )?;
    let mut officers: HashMap<Id, Officer> = HashMap::new();
    for o in store.iter_all::<Officer>()? {
        let o = o?;
        officers.insert(o.meta.id, o);
    }
    let mut topics: HashMap<Id, String> = HashMap::new();
    for t in store.iter_all::<Tag>()? {
        let t = t?;
        topics.insert(t.meta.id, t.name);
    }
    let words = Words {
        names: &names,
        officers: &officers,
        topics: &topics,
    };
    match a.format {
        OutputFormat::Text => {
            for p in &list {
                writeln!(out, "{}", words.line(p))?;
            }
            if list.is_empty() {
                writeln!(err, "No problems match.")?;
            }
        }
        OutputFormat::Json => {
            let doc = json!({
                "total": list.len(),
                "problems": list.iter().map(|p| words.json(p)).collect::<Vec<_>>(),
            });
            serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
            writeln!(out)?;
        }
    }
    Ok(Launch::Done(0))
}

/// Names for the ids a problem refers to.
struct Words<'a> {
    names: &'a SquadNames,
    officers: &'a HashMap<Id, Officer>,
    topics: &'a HashMap<Id, String>,
}

const UNKNOWN: &str = "(unknown)";

impl Words<'_> {
    fn hood(&self, id: Id) -> &str {
        self.names.name(id).unwrap_or(UNKNOWN)
    }

    fn officer(&self, id: Id) -> &str {
        self.officers.get(&id).map_or(UNKNOWN, |o| o.name.as_str())
    }

    fn topic(&self, id: Id) -> &str {
        self.topics.get(&id).map_or(UNKNOWN, String::as_str)
    }

    /// `Response    2026-09-14  Riverside  Dark alley behind the bakery  (Dana Reyes; 3
    /// actions, 2 open, next due 2026-11-20; partners: Public works)`
    fn line(&self, p: &Problem) -> String {
        let open = p.actions.iter().filter(|a| a.status.is_open()).count();
        let mut facts = vec![self.officer(p.owner).to_string()];
        if !p.actions.is_empty() {
            let mut actions = format!(
                "{}, {open} open",
                crate::model::plural(p.actions.len(), "action", "actions")
            );
            if let Some(due) = p.next_due() {
                actions.push_str(&format!(", next due {due}"));
            }
            facts.push(actions);
        }
        let partners = p.partners();
        if !partners.is_empty() {
            facts.push(format!("partners: {}", partners.join(", ")));
        }
        if let Some(outcome) = p.outcome {
            facts.push(format!("outcome: {}", outcome.label().to_lowercase()));
        }
        let title: String = p
            .title
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        format!(
            "{:<10}  {}  {}  {}  ({})",
            p.stage.label(),
            p.noticed,
            self.hood(p.neighborhood),
            title,
            facts.join("; ")
        )
    }

    fn action(&self, a: &Action) -> Value {
        let owner = match &a.owner {
            Some(ActionOwner::Officer { officer }) => json!({
                "officer": self.officer(*officer),
            }),
            Some(ActionOwner::Partner {
                agency,
                reference,
                sent,
                chase,
            }) => json!({
                "agency": agency,
                "reference": reference,
                "sent": sent,
                "chase": chase,
            }),
            None => Value::Null,
        };
        json!({
            "what": a.what,
            "owner": owner,
            "due": a.due,
            "status": a.status,
        })
    }

    fn json(&self, p: &Problem) -> Value {
        json!({
            "id": p.meta.id,
            "title": p.title,
            "neighborhood": self.hood(p.neighborhood),
            "places": p.places,
            "topics": p.topics.iter().map(|t| self.topic(*t)).collect::<Vec<_>>(),
            "owner": self.officer(p.owner),
            "noticed": p.noticed,
            "stage": p.stage,
            "notes": p.notes,
            "contacts": p.contacts,
            "actions": p.actions.iter().map(|a| self.action(a)).collect::<Vec<_>>(),
            "outcome": p.outcome,
        })
    }
}
