//! One deadline for the whole chain: hanging providers share it instead of each waiting
//! out its own, and the offline brain answers when it passes.

use std::time::{Duration, Instant};

use panelist_brain::OfflineBrain;
use panelist_core::brain_api::QuestionRequest;
use panelist_core::{Brain, Difficulty};

use crate::fake::{FakeProvider, Quirk};
use crate::{chain, provider, run_interview, HONEST};

/// What the timing assertions allow beyond a deadline: the offline brain's own work and
/// a loaded 2-core machine.
const MARGIN: Duration = Duration::from_millis(1000);

fn request() -> QuestionRequest {
    QuestionRequest {
        job_role: "Backend Engineer".into(),
        job_description: "Python services, testing and databases.".into(),
        difficulty: Difficulty::Medium,
        focus_areas: vec!["Python".into()],
        count: 3,
        language: Default::default(),
    }
}

#[test]
fn two_hanging_providers_cost_one_generation_deadline() {
    let first = FakeProvider::start(Quirk::Hang);
    let second = FakeProvider::start(Quirk::Hang);
    // `chain` sets the generation deadline to twice the turn deadline: 1.5 s here.
    let brain = chain(
        vec![
            provider("first", &first.base_url),
            provider("second", &second.base_url),
        ],
        750,
    );
    let deadline = brain.deadlines().generation;
    let started = Instant::now();
    let questions = brain
        .generate_questions(&request())
        .expect("the offline brain answers");
    let took = started.elapsed();
    eprintln!("two hanging providers: questions after {took:?} (chain deadline {deadline:?})");
    assert!(
        took <= deadline + MARGIN,
        "took {took:?} for a chain deadline of {deadline:?}"
    );
    // The bank's questions, named by their bank ids, not by a provider.
    let offline = OfflineBrain::embedded()
        .unwrap()
        .generate_questions(&request())
        .unwrap();
    assert_eq!(questions, offline);
    // Both providers were asked: the first did not take the whole deadline.
    assert_eq!(first.request_count(), 1);
    assert_eq!(second.request_count(), 1);
}

#[test]
fn two_hanging_providers_cost_one_turn_deadline_per_decision() {
    let first = FakeProvider::start(Quirk::Hang);
    let second = FakeProvider::start(Quirk::Hang);
    let mut a = provider("first", &first.base_url);
    let mut b = provider("second", &second.base_url);
    // Keep both in the chain for every call of the interview.
    a.breaker_threshold = 100;
    b.breaker_threshold = 100;
    let turn = Duration::from_millis(400);
    let brain = chain(vec![a, b], turn.as_millis() as u64);
    let started = Instant::now();
    let outcome = run_interview(Box::new(brain), &HONEST, None);
    let took = started.elapsed();
    let decisions = outcome.decision_brains.len() as u32;
    assert!(outcome
        .decision_brains
        .iter()
        .all(|b| b == OfflineBrain::WORDS_ONLY));
    assert_eq!(outcome.report.generated_by.brain, OfflineBrain::WORDS_ONLY);
    // Each decision waits one turn deadline and the evaluation one evaluation deadline
    // (twice the turn's here), not one per provider.
    let budget = turn * (decisions + 2) + MARGIN;
    eprintln!("two hanging providers: {decisions} decisions and an evaluation in {took:?} (budget {budget:?})");
    assert!(
        took <= budget,
        "{decisions} decisions and an evaluation took {took:?} (budget {budget:?})"
    );
    assert!(first.request_count() >= decisions as usize);
    assert!(second.request_count() >= decisions as usize);
}
