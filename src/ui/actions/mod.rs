//! What the commands do. [`Workspace::apply`] hands each command to a handler named after it;
//! the handlers live by area: contacts and follow-ups ([`contact`], and `form_actions` for
//! saving the form), people and neighborhoods ([`people`]), settings ([`settings`]), files in
//! and out ([`exchange`]), the sergeant's review and reports ([`review`]), retention
//! ([`retention`]), the promise receipt ([`receipt`]) and the squad exchange ([`squad`]).

mod contact;
mod exchange;
mod people;
mod problems;
mod receipt;
mod retention;
mod review;
mod settings;
pub(in crate::ui) mod squad;
mod you_said;

use super::command::Command;
use super::workspace::{AppRequest, Workspace};

impl Workspace {
    /// Applies one command; every failure becomes a message and leaves typed text in place.
    pub fn apply(&mut self, cmd: Command) {
        match cmd {
            Command::Go(s) => self.screen = s,
            Command::NewContact => self.new_contact(),
            Command::EditContact(id) => self.edit_contact(id),
            Command::SaveContactForm => self.save_contact_form(),
            Command::CloseContactForm => self.form = None,
            Command::DeleteContact(id) => self.delete_contact(id),
            Command::UndoDelete => self.undo_delete(),
            Command::StartClosingFollowUp { id, dropped } => {
                self.start_closing_follow_up(id, dropped)
            }
            Command::CancelClosingFollowUp => self.closing = None,
            Command::FinishClosingFollowUp => self.finish_closing(self.me()),
            Command::OpenPerson(id) => self.open_person(id),
            Command::NewPerson => self.new_person(),
            Command::SavePerson(p) => self.save_person(*p),
            Command::MergePeople(a, b) => self.decide_people(a, b, Some(true)),
            Command::KeepPeopleApart(a, b) => self.decide_people(a, b, Some(false)),
            Command::SeparatePeople(a, b) => self.decide_people(a, b, None),
            Command::OpenNeighborhood(id) => self.open_neighborhood(id),
            Command::AddJournalNote { neighborhood, text } => {
                self.add_journal_note(neighborhood, text)
            }
            Command::AddNeighborhood(name) => self.add_neighborhood(name),
            Command::AddTopic(name) => self.add_topic(name),
            Command::SaveOfficer { name, badge, role } => self.save_officer(name, badge, role),
            Command::ChangeSetting(setting) => self.change_setting(setting),
            Command::Export(format) => self.export(format),
            Command::ExportTo(format, path) => self.export_to(format, path),
            Command::ChooseCsvToImport => self.choose_csv_to_import(),
            Command::ImportCsv(path) => self.import_csv(path),
            Command::BackUpNow => self.back_up_now(),
            Command::ChooseBackupFile => self.choose_backup_file(),
            Command::Restore(path, passphrase) => {
                self.ask_app(AppRequest::Restore(path, passphrase))
            }
            Command::LockNow => self.ask_app(AppRequest::Lock),
            Command::CompactLog => self.ask_app(AppRequest::Compact),
            Command::PreviewPurge => self.preview_purge(),
            Command::AskForget(person) => self.ask_forget(person),
            Command::ConfirmRemoval => self.confirm_removal(),
            Command::CancelRemoval => self.pending_removal = None,
            Command::SetSquadPassphrase(squad) => self.set_squad_passphrase(squad),
            Command::ChangePassphrase { current, new } => self.change_passphrase(current, new),
            Command::ExportForReview(officer) => self.export_for_review(officer),
            Command::ChooseBundlesToImport => self.choose_bundles(),
            Command::ApplyBundleImport => self.apply_bundles(),
            Command::CancelBundleImport => self.pending_import = None,
            Command::StopBundleImport => self.stop_bundle_import(),
            Command::UseTypedPath => self.use_typed_path(),
            Command::CancelTypedPath => self.typed_path = None,
            Command::SaveReview {
                contact,
                verdict,
                comment,
            } => self.save_review(contact, verdict, comment),
            Command::MarkReviewed(contacts) => self.mark_reviewed(contacts),
            Command::UndoReview(contact) => self.undo_review(contact),
            Command::OpenReviewQueue => self.open_review_queue(),
            Command::ExportReport {
                format,
                period,
                officer,
            } => self.export_report(format, period, officer),
            Command::ExportHandover { neighborhood, pdf } => {
                self.export_handover(neighborhood, pdf)
            }
            Command::ShowReceipt(id) => self.show_receipt(id),
            Command::ReceiptCopied => self.say("Receipt copied: paste it into a message."),
            Command::SaveReceipt => self.export_receipt(),
            Command::CloseReceipt => self.receipt = None,
            Command::ExportAudit => self.export_audit(),
            Command::OpenSquadExchange => self.open_squad_exchange(),
            Command::ReadExchangeStatus => self.sync.refresh_status(&self.store),
            Command::SaveExchangeTarget {
                target,
                credentials,
                keep_credentials,
            } => self.save_exchange_target(target, credentials, keep_credentials),
            Command::ChooseExchangeFolder => self.choose_exchange_folder(),
            Command::CreateSquad(passphrase) => self.create_squad(passphrase),
            Command::ChooseJoinFile => self.choose_join_file(),
            Command::JoinSquad { file, passphrase } => self.join_squad(file, passphrase),
            Command::ApproveMember(member) => self.approve_member(&member),
            Command::RemoveMember(member) => self.remove_member(&member),
            Command::SyncNow => self.sync.sync_now(),
            Command::Decide { kind, id, choice } => self.decide(kind, id, choice),
            Command::ApproveAndImport(member) => self.approve_and_import(&member),
            Command::NewProblem(seed) => self.new_problem(*seed),
            Command::OpenProblem(id) => self.open_problem(id),
            Command::SaveProblem(problem) => self.save_problem(*problem),
            Command::SavePriority { neighborhood } => self.save_priority(neighborhood),
            Command::CancelPriority(neighborhood) => {
                self.neighborhoods.priority_drafts.remove(&neighborhood);
            }
            Command::DeletePriority(id) => self.delete_priority(id),
            Command::PreviewYouSaidWeDid {
                neighborhood,
                from,
                to,
            } => self.preview_you_said(neighborhood, from, to),
            Command::SaveYouSaidWeDid { pdf } => self.save_you_said(pdf),
            Command::CloseYouSaidWeDid => self.you_said = None,
        }
    }
}
