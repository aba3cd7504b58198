//! What the user asked for, as data: widgets push commands during the frame and the workspace
//! applies them in one place at the end of it.

use serde::{Deserialize, Serialize};

use crate::model::{Id, Person};

/// The main screens, in the order of the navigation bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Screen {
    #[default]
    Today,
    Log,
    FollowUps,
    People,
    Neighborhoods,
    Problems,
    Review,
    Settings,
}

impl Screen {
    pub const ALL: [Screen; 8] = [
        Screen::Today,
        Screen::Log,
        Screen::FollowUps,
        Screen::People,
        Screen::Neighborhoods,
        Screen::Problems,
        Screen::Review,
        Screen::Settings,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Screen::Today => "Today",
            Screen::Log => "Log",
            Screen::FollowUps => "Follow-ups",
            Screen::People => "People",
            Screen::Neighborhoods => "Neighborhoods",
            Screen::Problems => "Problems",
            Screen::Review => "Review",
            Screen::Settings => "Settings",
        }
    }
}

pub use crate::export::ExportFormat;

/// Printable or spreadsheet forms of the review report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Pdf,
    Csv,
}

/// A setting kept in the officer's profile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Setting {
    /// Minutes without input before the app locks.
    IdleLock(u32),
    /// Days a backup is kept before it is deleted.
    BackupKeepDays(u32),
    Retention(crate::model::RetentionPolicy),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Go(Screen),
    NewContact,
    EditContact(Id),
    SaveContactForm,
    CloseContactForm,
    DeleteContact(Id),
    UndoDelete,
    /// Open the dialog that asks for the outcome of a follow-up.
    StartClosingFollowUp {
        id: Id,
        dropped: bool,
    },
    FinishClosingFollowUp,
    CancelClosingFollowUp,
    OpenPerson(Id),
    NewPerson,
    SavePerson(Box<Person>),
    /// Keep two person records as one person (confirmed on the People screen).
    MergePeople(Id, Id),
    /// Two person records that share a name are two people: stop suggesting them.
    KeepPeopleApart(Id, Id),
    /// Undo a merge: the two records are two people again.
    SeparatePeople(Id, Id),
    OpenNeighborhood(Id),
    AddJournalNote {
        neighborhood: Id,
        text: String,
    },
    AddNeighborhood(String),
    AddTopic(String),
    SaveOfficer {
        name: String,
        badge: String,
        role: crate::model::Role,
    },
    Export(ExportFormat),
    ExportTo(ExportFormat, std::path::PathBuf),
    /// Ask for a CSV file through the file dialog and import it.
    ChooseCsvToImport,
    ImportCsv(std::path::PathBuf),
    BackUpNow,
    /// Ask for a backup file through the file dialog, then confirm restoring it.
    ChooseBackupFile,
    /// Replace the log with this backup (confirmed by the user).
    Restore(std::path::PathBuf, crate::store::Passphrase),
    /// Change a setting kept in the officer's profile.
    ChangeSetting(Setting),
    /// Copy the log into a fresh folder that replaces it, giving back disk space.
    CompactLog,
    /// Lock the app now (also Ctrl+L).
    LockNow,
    SetSquadPassphrase(crate::store::Passphrase),
    /// Work out what the retention policy removes and show it for confirmation.
    PreviewPurge,
    /// Work out what forgetting this person removes and show it for confirmation.
    AskForget(Id),
    ConfirmRemoval,
    CancelRemoval,
    ChangePassphrase {
        current: crate::store::Passphrase,
        new: crate::store::Passphrase,
    },
    /// Write a bundle: everything (for the sergeant), or the reviews for one officer.
    ExportForReview(Option<Id>),
    /// Ask for bundles through the file dialog and show what importing them would do.
    ChooseBundlesToImport,
    ApplyBundleImport,
    CancelBundleImport,
    /// Stop an import being written, after its current step.
    StopBundleImport,
    /// Carry out what the typed path strip was opened for.
    UseTypedPath,
    CancelTypedPath,
    /// Mark a contact reviewed or return it, with an optional coaching comment.
    SaveReview {
        contact: Id,
        verdict: crate::model::Verdict,
        comment: String,
    },
    /// Mark every entry listed in the queue reviewed (after the sergeant confirmed how many).
    MarkReviewed(Vec<Id>),
    /// Take back the review just written of a contact in the queue.
    UndoReview(Id),
    /// The review screen's queue of entries not yet reviewed, for the whole squad.
    OpenReviewQueue,
    ExportReport {
        format: ReportFormat,
        period: crate::query::review::Period,
        officer: Option<Id>,
    },
    ExportHandover {
        neighborhood: Id,
        pdf: bool,
    },
    /// Show a follow-up as a receipt for the resident.
    ShowReceipt(Id),
    ReceiptCopied,
    SaveReceipt,
    CloseReceipt,
    /// Save the whole audit trail as CSV.
    ExportAudit,
    /// Open Settings > Squad exchange (the top bar's "needs your decision" does).
    OpenSquadExchange,
    /// Work out where the squad exchange stands (the Squad exchange page, shown before it is
    /// known).
    ReadExchangeStatus,
    /// Keep where the squad's bundles go, with the access key typed (or, with
    /// `keep_credentials`, the one kept before).
    SaveExchangeTarget {
        target: crate::exchange::Target,
        credentials: Option<crate::exchange::Credentials>,
        keep_credentials: bool,
    },
    /// Ask for the squad's shared folder through the folder dialog.
    ChooseExchangeFolder,
    /// (Sergeant) Create the squad with this passphrase, then save its join file.
    CreateSquad(crate::store::Passphrase),
    /// Ask for the join file through the file dialog.
    ChooseJoinFile,
    JoinSquad {
        file: std::path::PathBuf,
        passphrase: crate::store::Passphrase,
    },
    /// Approve a member's key (its fingerprint was compared in person).
    ApproveMember(Box<crate::model::Member>),
    /// Remove a member's key (confirmed): nothing it signs is accepted from then on.
    RemoveMember(Box<crate::model::Member>),
    SyncNow,
    /// Settle a record that waits in "Needs your decision".
    Decide {
        kind: crate::model::RecordKind,
        id: Id,
        choice: crate::bundle::Choice,
    },
    /// Approve the key an imported bundle is signed with, and read the bundles again.
    ApproveAndImport(Box<crate::model::Member>),
    /// Start a problem from what shows it ("Open a problem about this"): opens its page
    /// unsaved, with what the seed gives filled in.
    NewProblem(Box<ProblemSeed>),
    /// Open a problem's page on the Problems screen.
    OpenProblem(Id),
    /// Save a problem as edited on its page (a stage move is a save with the new stage).
    SaveProblem(Box<crate::model::Problem>),
    /// Save the priority typed on this neighborhood's page.
    SavePriority {
        neighborhood: Id,
    },
    /// Close the priority editor of this neighborhood's page without saving.
    CancelPriority(Id),
    /// Delete a priority (undo brings it back).
    DeletePriority(Id),
    /// Work out the public "You said, we did" report and show it before it is saved.
    PreviewYouSaidWeDid {
        neighborhood: Id,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    },
    /// Save the report shown in the preview, as PDF or as text (a file dialog asks where).
    SaveYouSaidWeDid {
        pdf: bool,
    },
    CloseYouSaidWeDid,
}

/// What a new problem starts from: a contact, a follow-up, a neighborhood page or a concern
/// raised often. Empty fields are left for the officer to fill in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProblemSeed {
    pub title: String,
    pub neighborhood: Option<Id>,
    pub places: Vec<String>,
    pub topics: Vec<Id>,
    pub contacts: Vec<Id>,
}
