//! Whole interviews against each provider quirk: each completes, and the report and the
//! decisions name what actually produced them.

use panelist_brain::OfflineBrain;
use panelist_core::QuestionType;

use crate::fake::{FakeProvider, Quirk};
use crate::{chain, provider, run_interview, Outcome, HONEST};

const OFFLINE: &str = OfflineBrain::WORDS_ONLY;

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

/// A provider that refuses JSON-schema mode is asked again in JSON-object mode, and
/// never with the schema again.
fn refused_schema_then_object_mode(quirk: Quirk) {
    let (server, label, outcome) = with_quirk(quirk, 4000);
    assert_eq!(outcome.report.generated_by.brain, label, "{quirk:?}");
    assert!(outcome.decision_brains.iter().all(|b| *b == label));
    presets_only(&outcome);
    // Refused once, then never asked with the schema again: 4 decisions + 1 evaluation.
    let requests = server.requests();
    assert_eq!(requests.len(), 6, "{quirk:?}");
    assert_eq!(requests[0].body["response_format"]["type"], "json_schema");
    assert!(requests[1..]
        .iter()
        .all(|r| r.body["response_format"]["type"] == "json_object"));
}

#[test]
fn a_provider_that_refuses_json_schema_mode_is_asked_in_object_mode() {
    refused_schema_then_object_mode(Quirk::RejectsSchema);
}

#[test]
fn llama_cpp_python_refusing_json_schema_with_a_500_is_asked_in_object_mode() {
    refused_schema_then_object_mode(Quirk::LlamaCppPython);
}

#[test]
fn a_check_without_retries_passes_against_llama_cpp_python() {
    // What `panelist brain check` does: one call, no retries, the provider's default
    // JSON mode (schema for a local server), no configuration.
    let server = FakeProvider::start(Quirk::LlamaCppPython);
    let mut config = provider("local", &server.base_url);
    config.max_retries = 0;
    let p = panelist_llm::Provider::new(config).unwrap();
    let schema = serde_json::json!({"type": "object", "properties": {"ok": {"type": "boolean"}}});
    let request = panelist_llm::ChatRequest {
        system: "You answer with one JSON object only.",
        user: "Reply with {\"ok\": true}.",
        schema_name: "check",
        schema: &schema,
        max_tokens: 20,
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let reply = p.chat(&request, deadline).expect("the check passes");
    assert_eq!(reply.attempts, 1, "asking in another mode is not a retry");
    assert_eq!(p.json_mode(), panelist_llm::JsonMode::Object);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].body["response_format"]["type"], "json_object");
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

#[test]
fn a_model_follow_up_that_names_missed_key_points_is_replaced_by_a_probe() {
    // Answers that cover nothing, so every key point stays missed.
    let vague = [
        "I would look into it and see what works.",
        "It depends on the situation.",
    ];
    let server = FakeProvider::start(Quirk::Prompter);
    let p = provider("fake", &server.base_url);
    let label = p.label();
    let outcome = run_interview(Box::new(chain(vec![p], 4000)), &vague, None);
    assert!(outcome.decision_brains.iter().all(|b| *b == label));
    let bank = OfflineBrain::embedded().unwrap();
    let mut follow_ups = 0;
    let responses = &outcome.report.responses;
    for (i, r) in responses.iter().enumerate() {
        if r.question_type != QuestionType::FollowUp {
            continue;
        }
        follow_ups += 1;
        // The preset this follow-up belongs to: the closest preset before it.
        let preset = responses[..i]
            .iter()
            .rev()
            .find(|p| p.question_type == QuestionType::Preset)
            .unwrap();
        let q = bank
            .bank()
            .questions
            .iter()
            .find(|q| q.question.text == preset.question_text)
            .unwrap();
        assert!(
            panelist_brain::probe::leaks_any(&r.question_text, &q.question.key_points).is_none(),
            "{}",
            r.question_text
        );
        assert!(!r.question_text.contains("address these points"));
    }
    assert!(follow_ups >= 1, "the model's follow-ups were asked");
}
