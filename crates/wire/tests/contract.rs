//! The wire contract, pinned: one fixture per message in `tests/fixtures/`, written by
//! hand as JSON. Each must read into its type and write back to exactly the same JSON,
//! so renaming, removing or adding a field (on either side: both use these types) fails
//! here before a kiosk and a server disagree in the field.
//!
//! After an intended change to the wire format, `PANELIST_UPDATE_FIXTURES=1 cargo test
//! --workspace --test contract` rewrites the fixtures from the types; review the diff
//! (a field added with a default is readable by old kiosks; a rename or removal is not).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use panelist_wire::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.json"))
}

fn fixture(name: &str) -> Value {
    let path = fixture_path(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The fixture reads into `T` and `T` writes it back unchanged.
fn round_trip<T: Serialize + DeserializeOwned>(name: &str) -> T {
    let expected = fixture(name);
    let typed: T = match serde_json::from_value(expected.clone()) {
        Ok(t) => t,
        Err(e) => panic!(
            "fixture `{name}` no longer reads as {}: {e}",
            std::any::type_name::<T>()
        ),
    };
    let written = serde_json::to_value(&typed).expect("serialise");
    if written != expected {
        if std::env::var_os("PANELIST_UPDATE_FIXTURES").is_some() {
            let text = serde_json::to_string_pretty(&written).expect("pretty") + "\n";
            std::fs::write(fixture_path(name), text).expect("write fixture");
        } else {
            panic!(
                "`{name}` is written differently by {}:\nfixture: {expected:#}\ntypes:   {written:#}\n\
                 (an intended change: PANELIST_UPDATE_FIXTURES=1, then review the diff)",
                std::any::type_name::<T>()
            );
        }
    }
    typed
}

const MESSAGES: &[&str] = &[
    "login_request",
    "login_response",
    "new_user",
    "user_created",
    "enroll_request",
    "enroll_response",
    "enrollment_code",
    "revision_page",
    "push_request",
    "push_response",
    "error_body",
    "new_interview",
    "interview_view",
    "device_view",
    "session_view",
    "revoked",
    "archived",
    "health",
    "audio_stored",
];

#[test]
fn every_message_reads_and_writes_its_fixture_unchanged() {
    round_trip::<LoginRequest>("login_request");
    round_trip::<LoginResponse>("login_response");
    round_trip::<NewUser>("new_user");
    round_trip::<UserCreated>("user_created");
    round_trip::<EnrollRequest>("enroll_request");
    round_trip::<EnrollResponse>("enroll_response");
    round_trip::<EnrollmentCode>("enrollment_code");
    round_trip::<RevisionPage>("revision_page");
    round_trip::<PushRequest>("push_request");
    round_trip::<PushResponse>("push_response");
    round_trip::<ErrorBody>("error_body");
    round_trip::<NewInterview>("new_interview");
    round_trip::<InterviewView>("interview_view");
    round_trip::<DeviceView>("device_view");
    round_trip::<SessionView>("session_view");
    round_trip::<Revoked>("revoked");
    round_trip::<Archived>("archived");
    round_trip::<Health>("health");
    round_trip::<AudioStored>("audio_stored");
}

#[test]
fn every_fixture_is_checked() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let files: BTreeSet<String> = std::fs::read_dir(dir)
        .expect("fixtures")
        .map(|e| {
            e.expect("entry")
                .path()
                .file_stem()
                .expect("stem")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let listed: BTreeSet<String> = MESSAGES.iter().map(|m| m.to_string()).collect();
    assert_eq!(files, listed);
}

#[test]
fn the_push_fixture_has_one_change_of_every_kind_in_outbox_form() {
    let push = round_trip::<PushRequest>("push_request");
    let mut kinds: Vec<&str> = push
        .items
        .iter()
        .map(|i| i.mutation.kind().as_str())
        .collect();
    kinds.sort();
    let mut all: Vec<&str> = MutationKind::ALL.iter().map(|k| k.as_str()).collect();
    all.sort();
    assert_eq!(kinds, all);
    let raw = fixture("push_request");
    for (item, raw) in push
        .items
        .iter()
        .zip(raw["items"].as_array().expect("items"))
    {
        // The wire's kind name is the outbox column's, and the body reads back from it.
        let kind = item.mutation.kind();
        assert_eq!(raw["kind"], kind.as_str());
        assert_eq!(kind.as_str().parse::<MutationKind>(), Ok(kind));
        let body = item.mutation.body_json().expect("body");
        assert_eq!(
            serde_json::from_str::<Value>(&body).expect("json"),
            raw["body"]
        );
        assert_eq!(
            Mutation::from_parts(kind, &body).expect("from parts"),
            item.mutation
        );
    }
    assert!("bogus".parse::<MutationKind>().is_err());
}

#[test]
fn a_change_is_recognised_by_the_same_text_as_before_the_typed_contract() {
    // The server hashes `{"body", "kind", "seq"}` with sorted keys to recognise a retried
    // change; the untyped server did the same with `json!`, so a change sent before an
    // upgrade and retried after it is still a duplicate, not a conflict.
    let push = round_trip::<PushRequest>("push_request");
    let raw = fixture("push_request");
    for (item, raw) in push
        .items
        .iter()
        .zip(raw["items"].as_array().expect("items"))
    {
        let before =
            serde_json::json!({"kind": raw["kind"], "seq": raw["seq"], "body": raw["body"]});
        assert_eq!(
            item.canonical_json().expect("canonical"),
            before.to_string()
        );
    }
    let mut changed = push.items[2].clone();
    if let Mutation::Response(r) = &mut changed.mutation {
        r.transcript.push('!');
    }
    assert_ne!(
        changed.canonical_json().expect("canonical"),
        push.items[2].canonical_json().expect("canonical")
    );
}

#[test]
fn an_unknown_kind_or_a_missing_field_is_refused_and_an_unknown_error_code_is_kept() {
    let mut raw = fixture("push_request");
    raw["items"][0]["kind"] = "bogus".into();
    assert!(serde_json::from_value::<PushRequest>(raw).is_err());
    let mut raw = fixture("push_request");
    raw["items"][2]["body"]
        .as_object_mut()
        .expect("body")
        .remove("transcript");
    assert!(serde_json::from_value::<PushRequest>(raw).is_err());
    let body: ErrorBody =
        serde_json::from_str(r#"{"code": "a_new_code", "message": "later"}"#).expect("read");
    assert_eq!(body.code, ErrorCode::Other);
}
