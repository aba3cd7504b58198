//! The squad passphrase: kept in the log, encrypted like every entry, and used to seal the
//! bundles that travel between the squad's logs.

use super::vault::{self, Passphrase};
use super::{Store, StoreError, StoreResult};
use crate::model::passphrase_problem;

/// The meta key of the squad passphrase (sealed like a record).
pub(super) const META_SQUAD: &[u8] = b"squad_passphrase";

/// The squad passphrase as kept in the log.
#[derive(serde::Serialize, serde::Deserialize)]
struct SquadSecret {
    text: zeroize::Zeroizing<String>,
    cost: vault::KdfCost,
}

impl Store {
    /// The passphrase squad bundles are sealed with, once it has been set.
    pub fn squad_passphrase(&self) -> StoreResult<Option<Passphrase>> {
        let Some(stored) = self.meta.get(META_SQUAD).map_err(StoreError::from_sled)? else {
            return Ok(None);
        };
        let secret: SquadSecret =
            self.codec()
                .decode("meta", "squad passphrase", META_SQUAD, &stored)?;
        Ok(Some(
            Passphrase::new(secret.text.as_str()).with_cost(secret.cost),
        ))
    }

    /// The squad passphrase, which every bundle needs; refused plainly when none is set.
    pub fn require_squad_passphrase(&self) -> StoreResult<Passphrase> {
        self.squad_passphrase()?
            .ok_or(StoreError::NoSquadPassphrase)
    }

    /// Keeps the squad passphrase (encrypted, like every entry) after checking the policy.
    pub fn set_squad_passphrase(&self, passphrase: &Passphrase) -> StoreResult<()> {
        self.refuse_if_poisoned()?;
        if let Some(problem) = passphrase_problem(passphrase.as_str()) {
            return Err(StoreError::WeakPassphrase(problem));
        }
        let secret = SquadSecret {
            text: zeroize::Zeroizing::new(passphrase.as_str().to_string()),
            cost: passphrase.cost(),
        };
        let sealed = self.codec().encode("meta", META_SQUAD, &secret)?;
        // The squad key derived from the old passphrase is of no use any more.
        self.exchange_forget(super::ExchangeEntry::SquadKey)?;
        self.meta_insert(META_SQUAD, &sealed)?;
        self.flush()?;
        self.record_event(
            "set the squad passphrase",
            super::AuditSubject::the_log(),
            "done",
        )
    }
}
