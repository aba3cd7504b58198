//! The officer using the log and their last choices ([`Profile`]), and setting up a new log.

use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::{Store, StoreError, StoreResult, META_PROFILE};
use crate::model::{Id, Meta, Neighborhood, Officer, Record, Role, Tag, ValidationError};

/// The officer using this store and their last choices, kept between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub officer: Id,
    pub last_neighborhood: Option<Id>,
    /// How long automatic backups are kept.
    #[serde(default = "Profile::default_backup_days")]
    pub backup_keep_days: u32,
    /// Minutes without input before the app locks (at most 30).
    #[serde(default = "Profile::default_idle_lock_minutes")]
    pub idle_lock_minutes: u32,
    /// How long personal data is kept (see `beatbook purge`).
    #[serde(default)]
    pub retention: crate::model::RetentionPolicy,
}

impl Profile {
    pub fn default_backup_days() -> u32 {
        30
    }

    pub fn default_idle_lock_minutes() -> u32 {
        15
    }
}

impl Store {
    pub fn profile(&self) -> StoreResult<Option<Profile>> {
        match self.meta.get(META_PROFILE).map_err(StoreError::from_sled)? {
            Some(v) => serde_json::from_slice(&v)
                .map(Some)
                .map_err(|e| StoreError::Corrupt {
                    kind: "profile",
                    reason: e.to_string(),
                }),
            None => Ok(None),
        }
    }

    /// The profile, or a plain error saying the store has not been set up.
    pub fn require_profile(&self) -> StoreResult<Profile> {
        self.profile()?.ok_or(StoreError::NotSetUp)
    }

    pub fn set_profile(&self, profile: &Profile) -> StoreResult<()> {
        let bytes = serde_json::to_vec(profile).map_err(|e| StoreError::Write(e.into()))?;
        self.meta_insert(META_PROFILE, &bytes)?;
        self.flush()
    }

    /// Checks the first-run answers as [`Store::set_up`] does, without a store: the command
    /// line checks them before it creates a log, so that bad answers leave no empty log behind.
    pub fn check_set_up(
        name: &str,
        badge: &str,
        role: Role,
        beat: &str,
    ) -> Result<(), ValidationError> {
        let meta = Meta::new(Id(0), Id(0), Utc::now());
        first_records(meta.clone(), meta, name, badge, role, beat).map(|_| ())
    }

    /// Creates the officer, first neighborhood and default topics of a new store in one go.
    /// A sergeant may leave `beat` blank: they review the squad's beats rather than walk one of
    /// their own, and the log then starts with no neighborhood.
    pub fn set_up(&self, name: &str, badge: &str, role: Role, beat: &str) -> StoreResult<Profile> {
        let officer_id = self.new_id()?;
        let now = Utc::now();
        // Both are checked before either is written, so a rejected set-up leaves nothing behind.
        let (officer, hood) = first_records(
            Meta::new(officer_id, officer_id, now),
            self.new_meta(officer_id)?,
            name,
            badge,
            role,
            beat,
        )?;
        self.stage(officer, officer_id)?;
        let hood = match hood {
            Some(hood) => Some(self.stage(hood, officer_id)?.id()),
            None => None,
        };
        if self.count::<Tag>()? == 0 {
            for name in Tag::DEFAULTS {
                let tag = Tag {
                    meta: self.new_meta(officer_id)?,
                    name: name.to_string(),
                };
                self.stage(tag, officer_id)?;
            }
        }
        let profile = Profile {
            officer: officer_id,
            last_neighborhood: hood,
            backup_keep_days: Profile::default_backup_days(),
            idle_lock_minutes: Profile::default_idle_lock_minutes(),
            retention: Default::default(),
        };
        self.set_profile(&profile)?;
        Ok(profile)
    }
}

/// The officer and first neighborhood the first-run answers make, checked. The neighborhood is
/// `None` when a sergeant left the beat blank; an officer's blank beat is refused, as they
/// record every contact in one.
fn first_records(
    officer_meta: Meta,
    hood_meta: Meta,
    name: &str,
    badge: &str,
    role: Role,
    beat: &str,
) -> Result<(Officer, Option<Neighborhood>), ValidationError> {
    let officer = Officer {
        meta: officer_meta,
        name: name.trim().to_string(),
        badge: badge.trim().to_string(),
        role,
    };
    officer.validate()?;
    let hood = if role == Role::Sergeant && beat.trim().is_empty() {
        None
    } else {
        let hood = Neighborhood {
            meta: hood_meta,
            name: beat.trim().to_string(),
        };
        hood.validate()?;
        Some(hood)
    };
    Ok((officer, hood))
}
