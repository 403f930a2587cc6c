//! What sync keeps in this data directory, read for admin mode. Sync itself (the
//! network) is `panelist-sync`'s; the service only reads the store's side of it.

use panelist_store::SyncStatus;

use crate::{Panelist, Result};

impl Panelist {
    /// Enrollment, the feed cursor, what waits in the outbox and what sync set aside
    /// (with the reasons).
    pub fn sync_status(&self) -> Result<SyncStatus> {
        Ok(self.store.sync_status()?)
    }
}
