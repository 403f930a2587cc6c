//! Whole interviews against each provider quirk: each completes, and the report and the
//! decisions name what actually produced them.

use panelist_brain::OfflineBrain;
use panelist_core::QuestionType;

use crate::fake::{FakeProvider, Quirk};
use crate::{chain, provider, run_interview, Outcome, HONEST};

const OFFLINE: &str = OfflineBrain::NAME;

fn with_quirk(quirk: Quirk, turn_ms: u64) -> (FakeProvider, String, Outcome) {
    let server = FakeProvider::start(quirk);
    let p = provider("fake", &server.base_url);
    let label = p.label();
    let outcome = run_interview(Box::new(chain(vec![p], turn_ms)), &HONEST, None);
    (server, label, outcome)
}

fn presets_only(outcome: &Outcome) {
    assert_eq!(
        outcome.asked,
        [
            (QuestionType::Preset, Some(0)),
            (QuestionType::Preset, Some(1)),
            (QuestionType::Preset, Some(2)),
        ]
    );
}

/// The provider served every decision and the evaluation.
fn served_by_provider(quirk: Quirk) {
    let (server, label, outcome) = with_quirk(quirk, 4000);
    assert_eq!(outcome.report.generated_by.brain, label, "{quirk:?}");
    assert_eq!(outcome.decision_brains.len(), 4, "3 presets and complete");
    assert!(
        outcome.decision_brains.iter().all(|b| *b == label),
        "{quirk:?}: {:?}",
        outcome.decision_brains
    );
    presets_only(&outcome);
    // The model's quoted evidence reached the report.
    let first = &outcome.report.responses[0];
    assert!(
        first.evidence.iter().any(|e| e.starts_with("said: \"")),
        "{:?}",
        first.evidence
    );
    assert!(server.request_count() >= 5);
    let requests = server.requests();
    assert!(requests.iter().all(|r| r.path == "/v1/chat/completions"));
    assert_eq!(
        requests[0].body["response_format"]["type"], "json_schema",
        "the provider's JSON-schema mode is used"
    );
}

#[test]
fn a_provider_that_refuses_json_schema_mode_is_asked_without_it() {
    let (server, label, outcome) = with_quirk(Quirk::RejectsSchema, 4000);
    assert_eq!(outcome.report.generated_by.brain, label);
    assert!(outcome.decision_brains.iter().all(|b| *b == label));
    presets_only(&outcome);
    // Refused once, then never asked with the schema again: 4 decisions + 1 evaluation.
    let requests = server.requests();
    assert_eq!(requests.len(), 6);
    assert!(requests[1..]
        .iter()
        .all(|r| r.body.get("response_format").is_none()));
}

#[test]
fn normal_json() {
    served_by_provider(Quirk::Normal);
}

#[test]
fn json_in_a_markdown_fence() {
    served_by_provider(Quirk::Fenced);
}

#[test]
fn prose_around_the_json() {
    served_by_provider(Quirk::Prose);
}

#[test]
fn rate_limited_with_retry_after() {
    let started = std::time::Instant::now();
    served_by_provider(Quirk::RateLimited);
    // Five calls, each refused once with `Retry-After: 1`, each waited it out.
    assert!(started.elapsed() >= std::time::Duration::from_secs(5));
}

#[test]
fn server_errors_are_retried() {
    served_by_provider(Quirk::ServerError);
}

#[test]
fn an_out_of_range_preset_index_is_corrected_by_the_engine() {
    let (_server, label, outcome) = with_quirk(Quirk::OutOfRangeIndex, 4000);
    presets_only(&outcome);
    assert!(outcome.corrected >= 3, "each bad index was corrected");
    assert!(outcome.decision_brains.iter().all(|b| *b == label));
    assert_eq!(outcome.report.generated_by.brain, label);
}

/// Nothing usable came back: the offline brain served everything.
fn served_offline(quirk: Quirk, turn_ms: u64) -> FakeProvider {
    let (server, _label, outcome) = with_quirk(quirk, turn_ms);
    assert_eq!(outcome.report.generated_by.brain, OFFLINE, "{quirk:?}");
    assert!(
        outcome.decision_brains.iter().all(|b| b == OFFLINE),
        "{quirk:?}: {:?}",
        outcome.decision_brains
    );
    assert_eq!(outcome.report.responses.len(), outcome.asked.len());
    server
}

#[test]
fn wrong_field_types_fall_back_to_the_offline_brain() {
    let server = served_offline(Quirk::WrongTypes, 4000);
    // Unusable replies count against the breaker: after three the provider is skipped.
    assert_eq!(server.request_count(), 3);
}

#[test]
fn a_hanging_provider_is_cut_off_at_the_deadline_and_then_skipped() {
    let server = served_offline(Quirk::Hang, 300);
    assert_eq!(server.request_count(), 3, "the breaker opened after three");
}

#[test]
fn a_truncated_body_falls_back() {
    let server = served_offline(Quirk::Truncated, 2000);
    // Each call tried the cut-off body up to three times before giving up.
    assert!(server.request_count() >= 3);
}

#[test]
fn scores_outside_the_scale_are_rejected() {
    let (_server, label, outcome) = with_quirk(Quirk::OutOfRangeScore, 4000);
    assert!(outcome.decision_brains.iter().all(|b| *b == label));
    assert_eq!(outcome.report.generated_by.brain, OFFLINE);
}

#[test]
fn scores_without_evidence_are_rejected() {
    let (_server, label, outcome) = with_quirk(Quirk::NoEvidence, 4000);
    assert!(outcome.decision_brains.iter().all(|b| *b == label));
    assert_eq!(outcome.report.generated_by.brain, OFFLINE);
}

#[test]
fn the_chain_moves_on_to_the_next_provider() {
    let dead = FakeProvider::start(Quirk::Hang);
    let good = FakeProvider::start(Quirk::Normal);
    let second = provider("second", &good.base_url);
    let label = second.label();
    let brain = chain(vec![provider("dead", &dead.base_url), second], 300);
    let outcome = run_interview(Box::new(brain), &HONEST, None);
    assert_eq!(outcome.report.generated_by.brain, label);
    assert!(outcome.decision_brains.iter().all(|b| *b == label));
    presets_only(&outcome);
}

#[test]
fn an_unreachable_provider_falls_back_at_once() {
    // A port nobody listens on: connection refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    drop(listener);
    let outcome = run_interview(
        Box::new(chain(vec![provider("gone", &url)], 2000)),
        &HONEST,
        None,
    );
    assert_eq!(outcome.report.generated_by.brain, OFFLINE);
}
