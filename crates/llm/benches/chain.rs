//! LLM brain figures: the client's own cost per decision and per evaluation, excluding
//! the network (prompt rendering, the request body, reading and validating the reply,
//! the rules anchor); a loopback round trip to a local server that answers at once; and
//! the time the chain takes to fall back when its first provider hangs (target: within
//! the turn deadline + 100 ms). Prints figures; no pass/fail.
//!
//!     cargo bench -p panelist-llm --bench chain

#![allow(clippy::unwrap_used)]

#[allow(dead_code)] // The bench uses only part of the fake provider.
#[path = "../tests/llm/fake.rs"]
mod fake;

use std::time::{Duration, Instant};

use fake::{model_reply, FakeProvider, Quirk};
use panelist_brain::OfflineBrain;
use panelist_core::brain_api::{
    DecisionContext, EvaluationContext, HistoryItem, PresetView, TimeStatus,
};
use panelist_core::{Brain, Difficulty, InterviewSpec, KeyPoint, Question, QuestionType};
use panelist_llm::{
    parse, prompts, ChainBrain, ChatRequest, JsonMode, LlmConfig, Provider, ProviderConfig,
};

const ANSWER: &str = "I would start by profiling the service with a sampling profiler to find \
    the hot path, then check the database queries with explain analyze, add an index where a \
    sequential scan shows up, and cache the results that rarely change. For example, on my last \
    project a dashboard endpoint took two seconds; a missing index on the foreign key was the \
    cause, and after adding it the endpoint answered in eighty milliseconds. I would then add a \
    regression test and a latency alert so that it does not come back unnoticed.";

fn spec() -> InterviewSpec {
    InterviewSpec {
        job_role: "Backend Engineer".into(),
        job_description: "Python services on PostgreSQL; testing, performance and on-call."
            .repeat(4),
        difficulty: Difficulty::Medium,
        focus_areas: vec!["Python".into(), "Databases".into()],
        time_limit_minutes: 20,
        avatar: "ada".into(),
        num_questions: 5,
        max_follow_ups_per_preset: 1,
        language: Default::default(),
    }
}

fn presets() -> Vec<Question> {
    (0..5)
        .map(|i| Question {
            text: format!("Question {i}: how would you make a slow endpoint fast?"),
            tags: vec!["python".into()],
            key_points: ["profiling", "indexes", "caching", "testing"]
                .iter()
                .map(|k| KeyPoint {
                    label: k.to_string(),
                    terms: vec![k.to_string()],
                })
                .collect(),
            follow_ups: vec!["Can you give an example?".into()],
            source: None,
        })
        .collect()
}

/// A late turn: 8 answers of about 100 words each and a 4 KB résumé.
fn history() -> Vec<HistoryItem> {
    (0..8)
        .map(|i| HistoryItem {
            number: i + 1,
            question_type: if i % 2 == 0 {
                QuestionType::Preset
            } else {
                QuestionType::FollowUp
            },
            preset_index: Some(i / 2),
            question_text: format!(
                "Question {}: how would you make a slow endpoint fast?",
                i / 2
            ),
            transcript: ANSWER.into(),
            answer_seconds: 45.0,
            allotted_seconds: 120,
        })
        .collect()
}

fn resume() -> String {
    "Senior engineer, Python, Django, PostgreSQL, Kubernetes; built a fleet tracker. ".repeat(50)
}

fn decision_context() -> DecisionContext {
    DecisionContext {
        spec: spec(),
        resume_text: Some(resume()),
        presets: presets()
            .into_iter()
            .enumerate()
            .map(|(i, q)| PresetView {
                index: i as u32,
                question: q,
                asked: i < 4,
            })
            .collect(),
        history: history(),
        time: TimeStatus {
            limit_seconds: 1200,
            elapsed_seconds: 400.0,
            remaining_seconds: 800.0,
        },
        follow_ups_used_for_current: 0,
        resume_question_asked: false,
    }
}

fn evaluation_context() -> EvaluationContext {
    EvaluationContext {
        spec: spec(),
        presets: presets(),
        resume_text: Some(resume()),
        history: history(),
    }
}

fn per_iteration(iterations: u32, mut f: impl FnMut()) -> Duration {
    f();
    let started = Instant::now();
    for _ in 0..iterations {
        f();
    }
    started.elapsed() / iterations
}

fn provider_config(name: &str, url: &str) -> ProviderConfig {
    let mut p = ProviderConfig::new(name, url, "fake-model");
    p.json_mode = JsonMode::Schema;
    p.timeout = Duration::from_secs(20);
    p
}

fn main() {
    let offline = OfflineBrain::embedded().unwrap();
    let decision_ctx = decision_context();
    let eval_ctx = evaluation_context();
    let provider = Provider::new(provider_config("bench", "http://127.0.0.1:9/v1")).unwrap();

    // The client's work per decision, without a socket: prompt, request body as bytes,
    // then the reply (prose around the JSON, the harder case) found, parsed and validated.
    let reply = model_reply(&prompts::decision(&decision_ctx), Quirk::Prose);
    let schema = prompts::decision_schema();
    let decision_cost = per_iteration(2000, || {
        let user = prompts::decision(&decision_ctx);
        let request = ChatRequest {
            system: prompts::SYSTEM,
            user: &user,
            schema_name: "decision",
            schema: &schema,
            max_tokens: 400,
        };
        let body = serde_json::to_vec(&provider.body(&request)).unwrap();
        std::hint::black_box(body);
        let proposal = parse::first_valid(&reply, parse::decision).unwrap();
        std::hint::black_box(proposal);
    });
    let prompt_chars = prompts::decision(&decision_ctx).chars().count();

    // Per evaluation: the prompt, the rules anchor, and the reply checked quote by quote.
    let eval_reply = model_reply(&prompts::evaluation(&eval_ctx), Quirk::Normal);
    let eval_cost = per_iteration(200, || {
        let user = prompts::evaluation(&eval_ctx);
        std::hint::black_box(&user);
        let anchor = offline.evaluate(&eval_ctx).unwrap();
        let evaluation = parse::first_valid(&eval_reply, |v| {
            panelist_llm::brain::evaluation(v, &eval_ctx, &anchor)
        })
        .unwrap();
        std::hint::black_box(evaluation);
    });

    // A whole decision over loopback HTTP against a server that answers at once.
    let server = FakeProvider::start(Quirk::Normal);
    let config = LlmConfig {
        chain: vec![provider_config("local", &server.base_url)],
        ..LlmConfig::default()
    };
    let chain = ChainBrain::new(&config, offline.clone()).unwrap();
    let loopback = per_iteration(100, || {
        let a = chain.decide_attributed(&decision_ctx).unwrap();
        assert!(a.by.contains("local"));
    });

    println!("LLM client (excluding the network), late turn: 8 answers, 4 KB résumé");
    println!(
        "  decision: {:>8.1} µs per decision (prompt {prompt_chars} chars, body, parse, validate)",
        decision_cost.as_secs_f64() * 1e6
    );
    println!(
        "  evaluation: {:>6.1} µs per evaluation (prompt, rules anchor, quote checks)",
        eval_cost.as_secs_f64() * 1e6
    );
    println!(
        "  loopback round trip (local server answering at once): {:.2} ms per decision",
        loopback.as_secs_f64() * 1e3
    );

    // Falling back past a hanging first provider, at the default 2 s turn deadline.
    let hang = FakeProvider::start(Quirk::Hang);
    let good = FakeProvider::start(Quirk::Normal);
    let config = LlmConfig {
        chain: vec![
            provider_config("hang", &hang.base_url),
            provider_config("good", &good.base_url),
        ],
        ..LlmConfig::default()
    };
    let deadline = config.turn_deadline;
    println!(
        "Fallback when the first provider hangs (turn deadline {} ms; target ≤ deadline + 100 ms)",
        deadline.as_millis()
    );
    let mut worst = Duration::ZERO;
    for trial in 1..=3 {
        // A fresh chain each time, so the breaker has not yet learnt to skip the provider.
        let chain = ChainBrain::new(&config, offline.clone()).unwrap();
        let started = Instant::now();
        let a = chain.decide_attributed(&decision_ctx).unwrap();
        let took = started.elapsed();
        worst = worst.max(took);
        println!(
            "  trial {trial}: answered by {} after {} ms (deadline + {} ms)",
            a.by,
            took.as_millis(),
            took.saturating_sub(deadline).as_millis()
        );
    }
    println!(
        "  worst: deadline + {} ms — {}",
        worst.saturating_sub(deadline).as_millis(),
        if worst <= deadline + Duration::from_millis(100) {
            "within target"
        } else {
            "OVER target"
        }
    );
    // Once the breaker is open, later turns skip the dead provider at once.
    let chain = ChainBrain::new(&config, offline.clone()).unwrap();
    for _ in 0..3 {
        let _ = chain.decide_attributed(&decision_ctx);
    }
    let started = Instant::now();
    let a = chain.decide_attributed(&decision_ctx).unwrap();
    println!(
        "  with the breaker open: answered by {} after {:.1} ms",
        a.by,
        started.elapsed().as_secs_f64() * 1e3
    );
}
