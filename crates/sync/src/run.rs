//! One sync: pull revisions by cursor, then push the outbox in order.

use chrono::Utc;
use panelist_store::Store;

use crate::client::{Retry, SyncClient};
use crate::{Result, SyncError};
use panelist_wire::{FeedEvent, ItemOutcome, ItemResult, PushItem, PushResponse};

use panelist_store::sync_keys::{CURSOR, DEVICE_ID, DEVICE_TOKEN, INSECURE_HTTP, SERVER};
pub use panelist_store::SyncStatus;

/// The admin setting (in the store's `settings`) that turns answer-audio upload on.
pub const UPLOAD_AUDIO_SETTING: &str = "sync.upload_audio";

#[derive(Clone, Debug)]
pub struct SyncOptions {
    pub retry: Retry,
    /// Changes per push request.
    pub batch_size: usize,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            retry: Retry::default(),
            batch_size: 50,
        }
    }
}

/// What one sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// New revisions stored on this kiosk.
    pub pulled: u64,
    /// Interviews the server archived.
    pub archived: u64,
    /// Changes the server applied for the first time.
    pub pushed: u64,
    /// Changes the server already had (a retry after a lost acknowledgement).
    pub already_on_server: u64,
    /// Changes still waiting (zero after a successful sync).
    pub pending: u64,
    /// Answer recordings uploaded (only with the upload setting on).
    pub audio_uploaded: u64,
    /// Items set aside by this sync: changes the server refused (403, 413, 422) and
    /// pulled revisions this kiosk could not store. The others went through.
    pub set_aside: u64,
}

/// Trades a one-time code for a device token and keeps it in the store.
pub fn enroll(
    store: &mut Store,
    server: &str,
    code: &str,
    name: &str,
    retry: Retry,
    insecure_http: bool,
) -> Result<String> {
    let client = SyncClient::new(server, None, retry, insecure_http)?;
    let enrolled = client.enroll(code, name)?;
    store.set_sync_setting(SERVER, client.server())?;
    store.set_sync_setting(DEVICE_ID, &enrolled.device_id)?;
    store.set_sync_setting(DEVICE_TOKEN, &enrolled.token)?;
    store.set_sync_setting(CURSOR, "0")?;
    store.set_sync_setting(INSECURE_HTTP, if insecure_http { "true" } else { "false" })?;
    Ok(enrolled.device_id)
}

pub fn status(store: &Store) -> Result<SyncStatus> {
    Ok(store.sync_status()?)
}

/// Pulls every new revision, then pushes every pending change. On failure the error
/// says how many changes still wait; what was acknowledged before it stays acknowledged.
pub fn sync(store: &mut Store, options: &SyncOptions) -> Result<SyncReport> {
    let (Some(server), Some(token)) = (
        store.sync_setting(SERVER)?,
        store.sync_setting(DEVICE_TOKEN)?,
    ) else {
        return Err(SyncError::NotEnrolled);
    };
    let insecure_http = store.sync_setting(INSECURE_HTTP)?.as_deref() == Some("true");
    let client = SyncClient::new(&server, Some(token), options.retry.clone(), insecure_http)?;
    let mut report = SyncReport::default();
    let upload = store.setting(UPLOAD_AUDIO_SETTING)?.as_deref() == Some("true");
    let outcome = pull(store, &client, &mut report)
        .and_then(|()| push(store, &client, options, &mut report))
        .and_then(|()| {
            if upload {
                upload_audio(store, &client, &mut report)
            } else {
                Ok(())
            }
        });
    match outcome {
        Ok(()) => {
            report.pending = store.outbox_counts()?.pending;
            Ok(report)
        }
        Err(SyncError::Unreachable { server, detail, .. }) => Err(SyncError::Unreachable {
            server,
            detail,
            pending: store.outbox_counts()?.pending,
        }),
        Err(e) => Err(e),
    }
}

fn pull(store: &mut Store, client: &SyncClient, report: &mut SyncReport) -> Result<()> {
    loop {
        let after = store.sync_cursor()?;
        let page = client.revisions(after)?;
        for item in &page.items {
            match &item.event {
                FeedEvent::Published { revision } => match store.import_revision(revision) {
                    Ok(true) => report.pulled += 1,
                    Ok(false) => {}
                    // This kiosk cannot store it (a CHECK or UNIQUE constraint): recorded
                    // and passed, so one bad revision does not stop every later sync.
                    Err(e) if e.is_constraint() => {
                        tracing::warn!(interview = %revision.interview_id,
                            revision = revision.revision, "pulled revision set aside: {e}");
                        store.set_aside_pull(item.cursor, revision, &e.to_string(), Utc::now())?;
                        report.set_aside += 1;
                    }
                    Err(e) => return Err(e.into()),
                },
                FeedEvent::Archived { interview_id } => {
                    // An interview this kiosk never pulled has nothing to archive.
                    match store.set_interview_status(
                        *interview_id,
                        panelist_core::InterviewStatus::Archived,
                        Utc::now(),
                    ) {
                        Ok(()) => report.archived += 1,
                        Err(panelist_store::StoreError::NotFound { .. }) => {}
                        Err(e) => return Err(e.into()),
                    }
                }
            }
        }
        // The cursor moves only after the page is stored, so a crash re-pulls it (and
        // importing a revision twice changes nothing).
        if page.cursor > after {
            store.set_sync_setting(CURSOR, &page.cursor.to_string())?;
        }
        if !page.more || page.cursor <= after {
            return Ok(());
        }
    }
}

fn push(
    store: &mut Store,
    client: &SyncClient,
    options: &SyncOptions,
    report: &mut SyncReport,
) -> Result<()> {
    loop {
        let pending = store.pending_outbox(options.batch_size.max(1))?;
        if pending.is_empty() {
            return Ok(());
        }
        // A change this kiosk cannot read back (queued by another version) is set aside
        // like a refused one; the others go on.
        let mut items = Vec::with_capacity(pending.len());
        for item in pending {
            match item.mutation() {
                Ok(mutation) => items.push(PushItem {
                    mutation_id: item.mutation_id,
                    seq: item.seq,
                    mutation,
                }),
                Err(e) => {
                    tracing::warn!(seq = item.seq, kind = %item.kind, "unreadable change set aside: {e}");
                    store.set_aside_outbox(
                        item.mutation_id,
                        &format!("unreadable on this kiosk: {e}"),
                        Utc::now(),
                    )?;
                    report.set_aside += 1;
                }
            }
        }
        if items.is_empty() {
            continue;
        }
        match client.push(&items) {
            Ok(answer) => acknowledge(store, &items, &answer, report)?,
            // Something in the batch is refused for what it says, by a server that does
            // not answer change by change. One change at a time, then: the refused ones
            // are set aside with the reason, the others go through.
            Err(SyncError::Rejected { status, .. }) if refused_item(status) => {
                for item in &items {
                    let one = std::slice::from_ref(item);
                    match client.push(one) {
                        Ok(answer) => acknowledge(store, one, &answer, report)?,
                        Err(SyncError::Rejected {
                            status,
                            code,
                            message,
                        }) if refused_item(status) => {
                            tracing::warn!(seq = item.seq, kind = %item.mutation.kind(), status,
                                %message, "change set aside");
                            store.set_aside_outbox(
                                item.mutation_id,
                                &format!("{status} {code}: {message}"),
                                Utc::now(),
                            )?;
                            report.set_aside += 1;
                        }
                        Err(e) => return Err(e),
                    }
                }
            }
            Err(e) => return Err(e),
        }
    }
}

/// A refusal of what a change says (not of the device or the request): forbidden for
/// this device, too large, or unprocessable. Sending it again would not help.
fn refused_item(status: u16) -> bool {
    matches!(status, 403 | 413 | 422)
}

/// Marks what the server acknowledged as pushed and counts it.
fn acknowledge(
    store: &mut Store,
    sent: &[PushItem],
    answer: &PushResponse,
    report: &mut SyncReport,
) -> Result<()> {
    let ids: std::collections::HashSet<_> = sent.iter().map(|i| i.mutation_id).collect();
    let answered: Vec<&ItemResult> = answer
        .results
        .iter()
        .filter(|r| ids.contains(&r.mutation_id))
        .collect();
    if answered.len() != sent.len() {
        return Err(SyncError::Protocol(format!(
            "the server answered for {} of {} changes",
            answered.len(),
            sent.len()
        )));
    }
    let acknowledged: Vec<_> = answered
        .iter()
        .filter(|r| r.outcome != ItemOutcome::Refused)
        .map(|r| r.mutation_id)
        .collect();
    store.mark_pushed(&acknowledged, Utc::now())?;
    adopt_kiosk_codes(store, sent, &answer.results);
    for r in answered {
        match r.outcome {
            ItemOutcome::Applied => report.pushed += 1,
            ItemOutcome::Duplicate => report.already_on_server += 1,
            // Refused for what it says: set aside with the reason, never sent again.
            ItemOutcome::Refused => {
                let reason = match &r.refusal {
                    Some(e) => format!("{} {}: {}", e.code.status(), e.code, e.message),
                    None => "refused by the server".to_string(),
                };
                tracing::warn!(change = %r.mutation_id, %reason, "change set aside");
                store.set_aside_outbox(r.mutation_id, &reason, Utc::now())?;
                report.set_aside += 1;
            }
        }
    }
    Ok(())
}

/// The server gives a revision a new kiosk code when another interview there has the
/// one this kiosk chose; the kiosk then answers to the server's code.
fn adopt_kiosk_codes(store: &mut Store, sent: &[PushItem], results: &[ItemResult]) {
    for result in results {
        let Some(code) = &result.kiosk_code else {
            continue;
        };
        if !panelist_core::rules::is_kiosk_code(code) {
            tracing::warn!(%code, "the server sent a malformed kiosk code; ignored");
            continue;
        }
        let Some(id) = sent
            .iter()
            .find(|i| i.mutation_id == result.mutation_id)
            .and_then(|i| i.mutation.revision_of())
        else {
            continue;
        };
        match store.adopt_kiosk_code(id, code) {
            Ok(()) => tracing::info!(%id, %code, "the server gave this interview a new kiosk code"),
            Err(e) => tracing::warn!(%id, %code, "cannot adopt the server's kiosk code: {e}"),
        }
    }
}

/// Uploads the recordings of answers the server already has, oldest first. A recording
/// that is gone from disk (purged by retention) is recorded as such and not retried.
fn upload_audio(store: &mut Store, client: &SyncClient, report: &mut SyncReport) -> Result<()> {
    use sha2::{Digest, Sha256};
    loop {
        let batch = store.audio_to_upload(20)?;
        if batch.is_empty() {
            return Ok(());
        }
        for item in batch {
            match std::fs::read(&item.path) {
                Ok(wav) => {
                    let sha: String = Sha256::digest(&wav)
                        .iter()
                        .map(|b| format!("{b:02x}"))
                        .collect();
                    match client.upload_audio(&item.response_id, &wav, &sha) {
                        Ok(_) => {
                            store.mark_audio_uploaded(&item.response_id, Some(&sha), Utc::now())?;
                            report.audio_uploaded += 1;
                        }
                        // A refusal will not change on a retry (the server has other bytes
                        // for it, or no such answer): noted, and the rest go on.
                        Err(SyncError::Rejected {
                            status, message, ..
                        }) => {
                            tracing::warn!(response = %item.response_id, status, %message, "recording refused");
                            store.mark_audio_uploaded(&item.response_id, None, Utc::now())?;
                        }
                        Err(e) => return Err(e),
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    store.mark_audio_uploaded(&item.response_id, None, Utc::now())?;
                }
                Err(e) => {
                    return Err(SyncError::Protocol(format!(
                        "cannot read the recording {}: {e}",
                        item.path
                    )))
                }
            }
        }
    }
}
