//! Settings > Squad exchange: where the squad's bundles are kept (an S3 bucket or a folder),
//! creating the squad (a sergeant) or joining it (an officer), this log's fingerprint, the
//! squad's members, "Sync now", and the records that need the officer's decision.
//!
//! What is typed here stays on an error (which is said beside the form), and over a lock; the
//! secrets (the access key's secret, squad passphrases) are wiped once used and on a lock.

use egui::{RichText, Ui};
use zeroize::{Zeroize, Zeroizing};

use super::{short_time, Cached};
use crate::bundle::Choice;
use crate::exchange::{Credentials, Target, WaitingDecision};
use crate::model::{passphrase_problem, Member, MemberStatus, Role};
use crate::store::Passphrase;
use crate::ui::command::Command;
use crate::ui::screens::ScreenCtx;
use crate::ui::widgets::{forget_secret_fields, labelled_secret, labelled_text, passphrase_hint};

/// The kinds of storage a squad can exchange through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TargetKind {
    #[default]
    S3,
    Folder,
}

/// What is typed and chosen on the Squad exchange screen.
#[derive(Default)]
pub struct ExchangeForm {
    /// The stored target has been read into the fields (once; what is typed wins after that).
    loaded: bool,
    pub kind: TargetKind,
    pub s3_url: String,
    pub endpoint: String,
    pub region: String,
    pub access_key_id: String,
    secret: Zeroizing<String>,
    /// The log keeps an access key: a blank secret keeps it.
    pub key_kept: bool,
    pub allow_http: bool,
    pub folder: String,
    /// What is wrong with the target, said beside it.
    pub target_problem: Option<String>,
    /// "Create squad..." was clicked: the passphrase is asked for.
    pub creating: bool,
    squad_new: Zeroizing<String>,
    squad_again: Zeroizing<String>,
    pub create_problem: Option<String>,
    /// A join file made, waiting for the place it is saved to.
    pub join_file: Option<Vec<u8>>,
    /// "Join a squad..." was clicked.
    pub joining: bool,
    pub join_path: String,
    join_passphrase: Zeroizing<String>,
    pub join_problem: Option<String>,
    /// A member whose removal waits for confirmation.
    pub confirm_remove: Option<Member>,
    pub member_problem: Option<String>,
    pub decision_problem: Option<String>,
    decisions: Cached<u64, Result<Vec<WaitingDecision>, String>>,
}

impl ExchangeForm {
    /// Wipes every secret typed here (after use, and when the app locks).
    pub fn clear_secrets(&mut self) {
        self.secret.zeroize();
        self.squad_new.zeroize();
        self.squad_again.zeroize();
        self.join_passphrase.zeroize();
    }

    /// The target was kept: the secret typed is wiped (the log holds it now).
    pub fn target_saved(&mut self, with_key: bool) {
        self.target_problem = None;
        self.key_kept |= with_key;
        self.secret.zeroize();
    }

    /// The squad was created or joined: the form that asked for it closes.
    pub fn squad_done(&mut self) {
        self.creating = false;
        self.joining = false;
        self.create_problem = None;
        self.join_problem = None;
        self.clear_secrets();
    }

    /// Fills the fields from the target kept in the log, the first time the screen is shown.
    fn load(&mut self, cx: &ScreenCtx) {
        if self.loaded {
            return;
        }
        self.loaded = true;
        let kept = match cx.store.query(crate::exchange::target) {
            Ok(kept) => kept,
            Err(e) => {
                self.target_problem = Some(e.to_string());
                return;
            }
        };
        let Some(kept) = kept else {
            return;
        };
        self.key_kept = kept.credentials.is_some();
        if let Some(c) = &kept.credentials {
            self.access_key_id = c.access_key_id.clone();
        }
        match kept.target {
            Target::S3 {
                bucket,
                prefix,
                endpoint,
                region,
                allow_http,
            } => {
                self.kind = TargetKind::S3;
                self.s3_url = format!("s3://{bucket}/{prefix}");
                self.endpoint = endpoint.unwrap_or_default();
                self.region = region.unwrap_or_default();
                self.allow_http = allow_http;
            }
            Target::Folder { path } => {
                self.kind = TargetKind::Folder;
                self.folder = path.display().to_string();
            }
        }
    }

    /// The target typed, as a command, or what is wrong with it.
    fn target_command(&self) -> Result<Command, String> {
        let optional = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let target = match self.kind {
            TargetKind::Folder => {
                let folder = self.folder.trim();
                if folder.is_empty() {
                    return Err("Type the shared folder's path, or choose it.".into());
                }
                if folder.starts_with("s3://") {
                    return Err("That is an S3 address: choose \"S3 bucket\" above.".into());
                }
                Target::parse(folder, None, None, false).map_err(|e| e.to_string())?
            }
            TargetKind::S3 => {
                let url = self.s3_url.trim();
                if !url.starts_with("s3://") {
                    return Err(
                        "An S3 target starts with s3://, as in s3://squad-bucket/beatbook.".into(),
                    );
                }
                let endpoint = optional(&self.endpoint);
                if endpoint
                    .as_deref()
                    .is_some_and(|e| e.starts_with("http://"))
                    && !self.allow_http
                {
                    return Err("The endpoint is plain http, which sends everything \
                                unprotected. Tick \"allow plain http\" only for a test server."
                        .into());
                }
                Target::parse(url, endpoint, optional(&self.region), self.allow_http)
                    .map_err(|e| e.to_string())?
            }
        };
        let s3 = matches!(target, Target::S3 { .. });
        let id = self.access_key_id.trim();
        let (credentials, keep_credentials) = match (s3, id.is_empty(), self.secret.is_empty()) {
            (false, ..) | (true, true, true) => (None, false),
            (true, false, false) => (
                Some(Credentials {
                    access_key_id: id.to_string(),
                    secret_access_key: Zeroizing::new(self.secret.to_string()),
                }),
                false,
            ),
            (true, false, true) if self.key_kept => (None, true),
            (true, false, true) => return Err("Type the secret access key as well.".into()),
            (true, true, false) => return Err("Type the access key id as well.".into()),
        };
        Ok(Command::SaveExchangeTarget {
            target,
            credentials,
            keep_credentials,
        })
    }
}

fn problem(ui: &mut Ui, text: &Option<String>) {
    if let Some(p) = text {
        ui.colored_label(ui.visuals().error_fg_color, p);
    }
}

pub fn show(ui: &mut Ui, cx: &ScreenCtx, form: &mut ExchangeForm, cmds: &mut Vec<Command>) {
    form.load(cx);
    if cx.sync.status.is_none() && cx.sync.status_error.is_none() && !cx.sync.reading() {
        cmds.push(Command::ReadExchangeStatus);
    }
    ui.label(
        "Each log sends what its officer wrote and receives what the rest of the squad wrote, \
         through storage the department runs. Everything there is encrypted with the squad \
         passphrase and signed by the log that wrote it.",
    );
    decisions(ui, cx, form, cmds);
    ui.separator();
    sync_state(ui, cx, cmds);
    ui.separator();
    target(ui, form, cmds);
    ui.separator();
    squad(ui, cx, form, cmds);
    ui.separator();
    members(ui, cx, form, cmds);
}

/// "Needs your decision": records another log changed while this one changed them too.
fn decisions(ui: &mut Ui, cx: &ScreenCtx, form: &mut ExchangeForm, cmds: &mut Vec<Command>) {
    let waiting = form.decisions.get(cx.generation, || {
        cx.store
            .query(crate::exchange::waiting_decisions)
            .map_err(|e| e.to_string())
    });
    let list = match waiting {
        Ok(list) if list.is_empty() => return,
        Ok(list) => list,
        Err(e) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
            return;
        }
    };
    ui.add_space(6.0);
    ui.label(RichText::new("Needs your decision").strong().size(16.0));
    ui.label(format!(
        "{} changed here and by someone else since the two last agreed. Choose which version to \
         keep; the other stays in the record's history.",
        crate::model::plural(list.len(), "record was", "records were")
    ));
    for d in list {
        ui.group(|ui| {
            ui.label(RichText::new(&d.headline).strong());
            ui.label(format!("Fields that differ: {}", d.fields.join(", ")));
            ui.label(format!(
                "Changed by {} on {}",
                d.theirs_by,
                short_time(d.theirs_at)
            ));
            ui.horizontal(|ui| {
                for (label, choice) in [
                    ("Keep mine", Choice::KeepMine),
                    ("Take theirs", Choice::TakeTheirs),
                ] {
                    if ui.button(label).clicked() {
                        cmds.push(Command::Decide {
                            kind: d.kind,
                            id: d.id,
                            choice,
                        });
                    }
                }
            });
        });
    }
    problem(ui, &form.decision_problem);
}

/// The last sync, what it did, and "Sync now".
fn sync_state(ui: &mut Ui, cx: &ScreenCtx, cmds: &mut Vec<Command>) {
    let sync = cx.sync;
    ui.horizontal(|ui| {
        // While a sync runs its words say so (no spinner: it would redraw the window every
        // frame for as long as the sync takes).
        let ready = sync.set_up() && !sync.syncing();
        if ui
            .add_enabled(ready, egui::Button::new("Sync now"))
            .clicked()
        {
            cmds.push(Command::SyncNow);
        }
        if let Some((words, failed)) = sync.describe(cx.now) {
            if failed {
                ui.colored_label(ui.visuals().error_fg_color, words);
            } else {
                ui.label(words);
            }
        }
    });
    if !sync.set_up() {
        ui.weak("Set the storage below and create or join a squad to sync.");
    }
    if let Some(e) = &sync.status_error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    if let Some(last) = sync.status.as_ref().and_then(|s| s.last.as_ref()) {
        if last.failed.is_none() {
            ui.weak(format!(
                "Last sync {}: {}.",
                short_time(last.at),
                last.report.summary()
            ));
        }
    }
    if let Some(report) = &sync.report {
        for refused in &report.refused {
            ui.colored_label(ui.visuals().error_fg_color, refused);
        }
        for unfinished in &report.unfinished {
            ui.weak(format!(
                "Not finished (read at the next sync): {unfinished}"
            ));
        }
    }
}

/// Where the squad's bundles are kept.
fn target(ui: &mut Ui, form: &mut ExchangeForm, cmds: &mut Vec<Command>) {
    ui.label(RichText::new("Storage").strong());
    ui.horizontal(|ui| {
        ui.label("The squad's bundles are kept in");
        ui.radio_value(&mut form.kind, TargetKind::S3, "S3 bucket");
        ui.radio_value(&mut form.kind, TargetKind::Folder, "A folder");
    });
    let mut edited = false;
    match form.kind {
        TargetKind::S3 => {
            edited |= labelled_text(
                ui,
                "Bucket and folder",
                &mut form.s3_url,
                "s3://squad-bucket/beatbook",
            )
            .changed();
            edited |= labelled_text(
                ui,
                "Endpoint",
                &mut form.endpoint,
                "https://s3.example.org (blank for AWS S3)",
            )
            .changed();
            edited |= labelled_text(ui, "Region", &mut form.region, "us-east-1").changed();
            edited |= labelled_text(ui, "Access key id", &mut form.access_key_id, "").changed();
            edited |= labelled_secret(ui, "Secret access key", &mut form.secret).changed();
            if form.key_kept && form.secret.is_empty() {
                ui.weak("An access key is kept, encrypted, in the log; leave the secret blank to keep it.");
            } else {
                ui.weak("Left blank, the AWS environment variables or profile files are used.");
            }
            edited |= ui
                .checkbox(&mut form.allow_http, "allow plain http (test servers only)")
                .changed();
        }
        TargetKind::Folder => {
            ui.horizontal(|ui| {
                let l = ui.label("Shared folder");
                edited |= ui
                    .add(
                        egui::TextEdit::singleline(&mut form.folder)
                            .hint_text("/mnt/squad-share/beatbook")
                            .desired_width(420.0),
                    )
                    .labelled_by(l.id)
                    .changed();
                if ui.button("Choose...").clicked() {
                    cmds.push(Command::ChooseExchangeFolder);
                }
            });
            ui.weak("A network drive, or a folder kept in step between the squad's computers.");
        }
    }
    if edited {
        form.target_problem = None;
    }
    problem(ui, &form.target_problem);
    if ui.button("Save storage").clicked() {
        match form.target_command() {
            Ok(cmd) => cmds.push(cmd),
            Err(p) => form.target_problem = Some(p),
        }
    }
}

/// The squad: which one this log is in, and creating it (a sergeant) or joining it.
fn squad(ui: &mut Ui, cx: &ScreenCtx, form: &mut ExchangeForm, cmds: &mut Vec<Command>) {
    ui.label(RichText::new("Squad").strong());
    let status = cx.sync.status.as_ref();
    match status.and_then(|s| s.squad.as_ref()) {
        Some(squad) => {
            ui.label(format!(
                "This log is in the squad led by {} (fingerprint {}).",
                squad.sergeant.who(),
                squad.sergeant.fingerprint()
            ));
        }
        None if status.is_some() => {
            ui.label("This log is not in a squad yet.");
        }
        None => {
            ui.weak("Reading the squad...");
        }
    }
    let sergeant = cx.lookup.me().is_some_and(|me| me.role == Role::Sergeant);
    if sergeant {
        let in_squad = status.is_some_and(|s| s.squad.is_some());
        create(ui, form, in_squad, cmds);
    } else {
        join(ui, form, cmds);
    }
    ui.add_space(6.0);
    match status {
        Some(s) => {
            ui.label("This log's fingerprint:");
            ui.label(
                RichText::new(s.me.fingerprint())
                    .monospace()
                    .size(26.0)
                    .strong(),
            );
            ui.weak(if sergeant {
                "Read it aloud to your officers: each compares it with the squad's sergeant in \
                 their app."
            } else {
                "Read it aloud to your sergeant, who approves it after comparing it in person."
            });
        }
        None => {
            ui.weak("Working out this log's fingerprint...");
        }
    }
}

fn create(ui: &mut Ui, form: &mut ExchangeForm, in_squad: bool, cmds: &mut Vec<Command>) {
    if !form.creating {
        // Creating again keeps the squad: a lost join file is made again, nobody joins again.
        let label = if in_squad {
            "Make the join file again..."
        } else {
            "Create squad..."
        };
        if ui.button(label).clicked() {
            form.creating = true;
        }
        return;
    }
    ui.label(
        "Choose the squad passphrase: every member types it to join, and it encrypts \
         everything the squad exchanges. Then save the join file and give it to each member.",
    );
    let mut edited = labelled_secret(ui, "New squad passphrase", &mut form.squad_new).changed();
    // Shared by the squad: the sergeant's own words are not the point here.
    passphrase_hint(ui, &form.squad_new, &[]);
    edited |= labelled_secret(ui, "New squad passphrase again", &mut form.squad_again).changed();
    if edited {
        form.create_problem = None;
    }
    problem(ui, &form.create_problem);
    ui.horizontal(|ui| {
        if ui
            .button("Create squad and save the join file...")
            .clicked()
        {
            form.create_problem = if *form.squad_new != *form.squad_again {
                Some("The two passphrases differ.".into())
            } else {
                passphrase_problem(&form.squad_new)
            };
            if form.create_problem.is_none() {
                cmds.push(Command::CreateSquad(Passphrase::new(
                    form.squad_new.as_str(),
                )));
                forget_secret_fields(ui.ctx());
            }
        }
        if ui.button("Cancel").clicked() {
            form.creating = false;
            form.create_problem = None;
            form.clear_secrets();
        }
    });
}

fn join(ui: &mut Ui, form: &mut ExchangeForm, cmds: &mut Vec<Command>) {
    if !form.joining {
        if ui.button("Join a squad...").clicked() {
            form.joining = true;
        }
        return;
    }
    ui.label("Your sergeant gives you the join file and tells you the squad passphrase.");
    let mut edited = false;
    ui.horizontal(|ui| {
        let l = ui.label("Join file");
        edited |= ui
            .add(
                egui::TextEdit::singleline(&mut form.join_path)
                    .hint_text("/home/me/beatbook-squad.bbjoin")
                    .desired_width(420.0),
            )
            .labelled_by(l.id)
            .changed();
        if ui.button("Choose...").clicked() {
            cmds.push(Command::ChooseJoinFile);
        }
    });
    edited |= labelled_secret(
        ui,
        "Squad passphrase from your sergeant",
        &mut form.join_passphrase,
    )
    .changed();
    if edited {
        form.join_problem = None;
    }
    problem(ui, &form.join_problem);
    ui.horizontal(|ui| {
        if ui.button("Join squad").clicked() {
            form.join_problem = if form.join_path.trim().is_empty() {
                Some("Choose the join file first.".into())
            } else if form.join_passphrase.is_empty() {
                Some("Type the squad passphrase.".into())
            } else {
                None
            };
            if form.join_problem.is_none() {
                cmds.push(Command::JoinSquad {
                    file: form.join_path.trim().into(),
                    passphrase: Passphrase::new(form.join_passphrase.as_str()),
                });
                forget_secret_fields(ui.ctx());
            }
        }
        if ui.button("Cancel").clicked() {
            form.joining = false;
            form.join_problem = None;
            form.clear_secrets();
        }
    });
}

/// The squad's members as this log knows them, with Approve and Remove for a sergeant.
fn members(ui: &mut Ui, cx: &ScreenCtx, form: &mut ExchangeForm, cmds: &mut Vec<Command>) {
    ui.label(RichText::new("Members").strong());
    let Some(status) = cx.sync.status.as_ref() else {
        return;
    };
    let sergeant = cx.lookup.me().is_some_and(|me| me.role == Role::Sergeant);
    if status.members.is_empty() {
        ui.weak(if sergeant {
            "No member yet: once an officer has joined and synced, they are listed here to approve."
        } else {
            "No member yet."
        });
        return;
    }
    if sergeant {
        ui.label(
            "Approve a member only after comparing the fingerprint with them in person: their \
             work is taken in from then on.",
        );
    } else {
        ui.weak("Your sergeant approves the members; the list comes with each sync.");
    }
    egui::Grid::new("squad_members")
        .striped(true)
        .show(ui, |ui| {
            for h in ["Fingerprint", "Name", "Badge", "Role", "Status", ""] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for m in &status.members {
                ui.label(RichText::new(m.fingerprint()).monospace());
                ui.label(&m.name);
                ui.label(&m.badge);
                ui.label(m.role.label());
                let word = match m.status {
                    MemberStatus::Approved => "approved".to_string(),
                    MemberStatus::Pending => "waiting for approval".to_string(),
                    MemberStatus::Removed => format!("removed {}", m.since.format("%-d %b %Y")),
                };
                if m.status == MemberStatus::Pending {
                    ui.colored_label(ui.visuals().warn_fg_color, word);
                } else {
                    ui.label(word);
                }
                ui.horizontal(|ui| {
                    if sergeant {
                        member_buttons(ui, m, form, cmds);
                    }
                });
                ui.end_row();
            }
        });
    if let Some(m) = form.confirm_remove.clone() {
        ui.group(|ui| {
            ui.label(format!(
                "Remove {} ({})? Nothing signed by that key is accepted from now on.",
                m.who(),
                m.fingerprint()
            ));
            ui.horizontal(|ui| {
                if ui.button("Remove the key").clicked() {
                    cmds.push(Command::RemoveMember(Box::new(m.clone())));
                    form.confirm_remove = None;
                }
                if ui.button("Keep the key").clicked() {
                    form.confirm_remove = None;
                }
            });
        });
    }
    problem(ui, &form.member_problem);
}

/// A button whose spoken name says whom it acts on ("Approve Officer Dana Reyes (badge 4127)").
fn named_button(ui: &mut Ui, label: &str, member: &Member) -> bool {
    let response = ui.button(label);
    let spoken = format!("{label} {}", member.who());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::accesskit::Role::Button, true, spoken.clone())
    });
    response.clicked()
}

fn member_buttons(ui: &mut Ui, m: &Member, form: &mut ExchangeForm, cmds: &mut Vec<Command>) {
    if m.status != MemberStatus::Approved && named_button(ui, "Approve", m) {
        cmds.push(Command::ApproveMember(Box::new(m.clone())));
    }
    if m.status != MemberStatus::Removed && named_button(ui, "Remove...", m) {
        form.confirm_remove = Some(m.clone());
    }
}
