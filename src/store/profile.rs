//! The officer using the log and their last choices ([`Profile`]), and setting up a new log.

use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::{Store, StoreError, StoreResult, META_PROFILE};
use crate::model::{Id, Meta, Neighborhood, Officer, Record, Tag};

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

    /// Creates the officer, first neighborhood and default topics of a new store in one go.
    pub fn set_up(
        &self,
        name: &str,
        badge: &str,
        role: crate::model::Role,
        beat: &str,
    ) -> StoreResult<Profile> {
        let officer_id = self.new_id()?;
        let now = Utc::now();
        let officer = Officer {
            meta: Meta::new(officer_id, officer_id, now),
            name: name.trim().to_string(),
            badge: badge.trim().to_string(),
            role,
        };
        let hood = Neighborhood {
            meta: self.new_meta(officer_id)?,
            name: beat.trim().to_string(),
        };
        // Both are checked before either is written, so a rejected set-up leaves nothing behind.
        officer.validate()?;
        hood.validate()?;
        self.stage(officer, officer_id)?;
        let hood = self.stage(hood, officer_id)?;
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
            last_neighborhood: Some(hood.id()),
            backup_keep_days: Profile::default_backup_days(),
            idle_lock_minutes: Profile::default_idle_lock_minutes(),
            retention: Default::default(),
        };
        self.set_profile(&profile)?;
        Ok(profile)
    }
}
