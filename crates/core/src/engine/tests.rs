//! Engine tests: fixed timestamps, no sleeps.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0)
        .single()
        .expect("valid date")
}

fn engine(presets: usize, limit: u32, resume: bool) -> Engine {
    let texts = (0..presets).map(|i| format!("Preset {i}?")).collect();
    Engine::new(Policy::default(), texts, limit, resume).expect("engine")
}

fn preset(i: u32, secs: u32) -> Proposal {
    Proposal::Preset {
        next_index: i,
        suggested_time_seconds: secs,
    }
}

fn follow_up(text: &str, secs: u32) -> Proposal {
    Proposal::FollowUp {
        question_text: text.into(),
        suggested_time_seconds: secs,
    }
}

fn resume(secs: u32) -> Proposal {
    Proposal::Resume {
        question_text: "Tell me about the Rust project on your résumé.".into(),
        suggested_time_seconds: secs,
    }
}

/// Asks (per the proposal), lets the avatar speak for 7 s, then answers for `answer` seconds.
fn step(e: &mut Engine, now: &mut DateTime<Utc>, p: Proposal, answer: i64) -> Decision {
    let d = e.decide(p).expect("decide");
    if let Action::Ask { .. } = d.action {
        *now += Duration::seconds(7);
        e.speech_finished(*now).expect("speech");
        *now += Duration::seconds(answer);
        e.submit(*now).expect("submit");
    }
    d
}

fn asked(d: &Decision) -> &AskedQuestion {
    match &d.action {
        Action::Ask { question } => question,
        other => panic!("expected a question, got {other:?}"),
    }
}

#[test]
fn valid_proposals_are_accepted_as_they_are() {
    let mut e = engine(2, 600, false);
    let mut now = t0();
    let d = step(&mut e, &mut now, preset(1, 90), 30);
    assert!(!d.was_corrected(), "{:?}", d.corrections);
    let q = asked(&d);
    assert_eq!(
        (q.number, q.question_type, q.preset_index),
        (1, QuestionType::Preset, Some(1))
    );
    assert_eq!(q.text, "Preset 1?");
    assert_eq!(q.allotted_seconds, 90);
}

#[test]
fn follow_up_limit_per_preset_is_enforced() {
    let mut e = engine(2, 600, false);
    let mut now = t0();
    step(&mut e, &mut now, preset(0, 60), 10);
    let first = step(
        &mut e,
        &mut now,
        follow_up("Can you give an example?", 60),
        10,
    );
    assert_eq!(asked(&first).question_type, QuestionType::FollowUp);
    assert_eq!(asked(&first).preset_index, Some(0));
    let second = step(&mut e, &mut now, follow_up("And another?", 60), 10);
    assert!(second.was_corrected());
    assert!(
        second.corrections[0].contains("limit is 1"),
        "{:?}",
        second.corrections
    );
    assert_eq!(asked(&second).question_type, QuestionType::Preset);
    assert_eq!(asked(&second).preset_index, Some(1));
}

#[test]
fn follow_up_limit_is_configurable() {
    let policy = Policy {
        max_follow_ups_per_preset: 2,
        ..Policy::default()
    };
    let mut e = Engine::new(policy, vec!["A?".into()], 600, false).expect("engine");
    let mut now = t0();
    step(&mut e, &mut now, preset(0, 60), 10);
    assert!(!step(&mut e, &mut now, follow_up("More?", 60), 10).was_corrected());
    assert!(!step(&mut e, &mut now, follow_up("Even more?", 60), 10).was_corrected());
    let third = step(&mut e, &mut now, follow_up("Still more?", 60), 10);
    assert_eq!(
        third.action,
        Action::Complete {
            reason: CompletionReason::AllPresetsDone
        }
    );
}

#[test]
fn follow_up_without_a_preceding_preset_is_corrected() {
    let mut e = engine(2, 600, true);
    let d = e.decide(follow_up("Why?", 60)).expect("decide");
    assert!(d.was_corrected());
    assert_eq!(asked(&d).preset_index, Some(0));
}

#[test]
fn suggested_time_is_capped_to_time_left_with_a_floor() {
    let mut e = engine(3, 100, false);
    let mut now = t0();
    // 300 s suggested, only 100 s in the whole interview.
    let d = step(&mut e, &mut now, preset(0, 300), 70);
    assert_eq!(asked(&d).allotted_seconds, 100);
    assert!(
        d.corrections[0].contains("time left"),
        "{:?}",
        d.corrections
    );
    // 30 s left: a 5 s suggestion is raised to the 20 s floor.
    let d = step(&mut e, &mut now, preset(1, 5), 5);
    assert_eq!(asked(&d).allotted_seconds, 20);
    assert!(d.corrections[0].contains("minimum"));
    // 25 s left: 200 s suggested is capped to 25.
    let d = e.decide(preset(2, 200)).expect("decide");
    assert_eq!(asked(&d).allotted_seconds, 25);
}

#[test]
fn suggested_time_is_capped_to_the_policy_maximum() {
    let mut e = engine(1, 3600, false);
    let d = e.decide(preset(0, 10_000)).expect("decide");
    assert_eq!(asked(&d).allotted_seconds, 300);
    assert!(d.corrections[0].contains("maximum"));
}

#[test]
fn time_up_completes_the_session() {
    let mut e = engine(5, 120, false);
    let mut now = t0();
    step(&mut e, &mut now, preset(0, 120), 110);
    let d = e.decide(preset(1, 60)).expect("decide");
    assert_eq!(
        d.action,
        Action::Complete {
            reason: CompletionReason::TimeUp
        }
    );
    assert!(d.was_corrected());
    assert!(e.is_complete());
    assert!(
        e.decide(preset(1, 60)).is_err(),
        "no decisions after completion"
    );
}

#[test]
fn an_answer_that_overruns_counts_only_its_allotment_and_is_marked_timed_out() {
    let mut e = engine(2, 600, false);
    let mut now = t0();
    e.decide(preset(0, 60)).expect("decide");
    now += Duration::seconds(40);
    e.speech_finished(now).expect("speech");
    assert!(!e.answer_overdue(now + Duration::seconds(59)));
    assert!(e.answer_overdue(now + Duration::seconds(60)));
    now += Duration::seconds(75);
    let timing = e.submit(now).expect("submit");
    assert!(timing.timed_out);
    assert_eq!(timing.answer_seconds, 60.0);
    assert_eq!(e.time_status(now).elapsed_seconds, 60.0);
}

#[test]
fn the_clock_runs_only_while_the_candidate_answers() {
    let mut e = engine(2, 600, false);
    let start = t0();
    e.decide(preset(0, 120)).expect("decide");
    // The avatar speaks for 50 s: no interview time is used.
    let spoke = start + Duration::seconds(50);
    assert_eq!(e.time_status(spoke).elapsed_seconds, 0.0);
    e.speech_finished(spoke).expect("speech");
    let mid = spoke + Duration::seconds(30);
    let status = e.time_status(mid);
    assert_eq!(status.elapsed_seconds, 30.0);
    assert_eq!(status.remaining_seconds, 570.0);
    e.submit(mid).expect("submit");
    // Transcription and the brain take 20 s: still 30 s used.
    assert_eq!(
        e.time_status(mid + Duration::seconds(20)).elapsed_seconds,
        30.0
    );
}

#[test]
fn a_repeated_question_does_not_use_answer_time() {
    let mut e = engine(2, 600, false);
    let start = t0();
    e.decide(preset(0, 60)).expect("decide");
    e.speech_finished(start).expect("speech");
    // 10 s of answer, then the question is repeated for 8 s.
    let repeat = start + Duration::seconds(10);
    e.repeat_started(repeat).expect("repeat");
    let during = repeat + Duration::seconds(5);
    assert_eq!(e.answering_seconds(during), 10.0, "the clock stops");
    assert_eq!(e.time_status(during).elapsed_seconds, 10.0);
    // A second press while repeating changes nothing.
    e.repeat_started(during).expect("repeat again");
    let heard = repeat + Duration::seconds(8);
    e.repeat_finished(heard).expect("heard");
    // 44 s more of answer: 62 s since the answer began, 8 of them repeating: 54 s used.
    let end = heard + Duration::seconds(44);
    assert!(
        !e.answer_overdue(end),
        "8 s of repeat are not the candidate's time"
    );
    let timing = e.submit(end).expect("submit");
    assert_eq!(timing.answer_seconds, 54.0);
    assert!(!timing.timed_out);
    assert_eq!(e.time_status(end).elapsed_seconds, 54.0);
    // Repeats belong to the answer phase only.
    assert!(e.repeat_started(end).is_err());
    assert!(e.repeat_finished(end).is_err());
}

#[test]
fn resume_question_is_asked_at_most_once() {
    let mut e = engine(3, 900, true);
    let mut now = t0();
    step(&mut e, &mut now, preset(0, 60), 20);
    let r = step(&mut e, &mut now, resume(60), 20);
    assert!(!r.was_corrected());
    assert_eq!(asked(&r).question_type, QuestionType::Resume);
    assert_eq!(asked(&r).preset_index, None);
    let again = step(&mut e, &mut now, resume(60), 20);
    assert!(again.corrections[0].contains("already asked"));
    assert_eq!(asked(&again).question_type, QuestionType::Preset);
}

#[test]
fn resume_question_needs_a_resume() {
    let mut e = engine(2, 900, false);
    let d = e.decide(resume(60)).expect("decide");
    assert!(d.corrections[0].contains("no résumé"));
    assert_eq!(asked(&d).question_type, QuestionType::Preset);
}

#[test]
fn a_follow_up_after_the_resume_question_is_refused() {
    let mut e = engine(2, 900, true);
    let mut now = t0();
    step(&mut e, &mut now, preset(0, 60), 20);
    step(&mut e, &mut now, resume(60), 20);
    let d = e.decide(follow_up("What about it?", 60)).expect("decide");
    assert!(d.was_corrected());
    assert_eq!(asked(&d).preset_index, Some(1));
}

#[test]
fn invalid_preset_indexes_are_corrected() {
    let mut e = engine(3, 900, false);
    let mut now = t0();
    let d = step(&mut e, &mut now, preset(7, 60), 20);
    assert!(d.corrections[0].contains("does not exist"));
    assert_eq!(asked(&d).preset_index, Some(0));
    let d = step(&mut e, &mut now, preset(0, 60), 20);
    assert!(d.corrections[0].contains("already asked"));
    assert_eq!(asked(&d).preset_index, Some(1));
}

#[test]
fn empty_or_oversized_question_text_is_refused() {
    let mut e = engine(2, 900, true);
    let mut now = t0();
    step(&mut e, &mut now, preset(0, 60), 20);
    let d = e.decide(follow_up(" \n\t ", 60)).expect("decide");
    assert!(d.corrections[0].contains("empty"));
    let mut e = engine(2, 900, true);
    let d = e
        .decide(Proposal::Resume {
            question_text: "x".repeat(5000),
            suggested_time_seconds: 60,
        })
        .expect("decide");
    assert!(d.corrections[0].contains("longer than"));
}

#[test]
fn control_characters_in_brain_text_are_neutralised() {
    let mut e = engine(1, 900, true);
    let d = e
        .decide(Proposal::Resume {
            question_text: "Tell me\u{0}about\u{1b}[2J  Acme.".into(),
            suggested_time_seconds: 60,
        })
        .expect("decide");
    assert_eq!(asked(&d).text, "Tell me about [2J Acme.");
}

#[test]
fn all_presets_done_completes_and_early_completion_is_corrected() {
    let mut e = engine(2, 900, false);
    let mut now = t0();
    let d = step(&mut e, &mut now, Proposal::Complete, 20);
    assert!(d.corrections[0].contains("completing early"));
    step(&mut e, &mut now, preset(1, 60), 20);
    let d = e.decide(preset(1, 60)).expect("decide");
    assert_eq!(
        d.action,
        Action::Complete {
            reason: CompletionReason::AllPresetsDone
        }
    );
}

#[test]
fn restore_continues_where_the_committed_answers_end() {
    let mut e = engine(3, 600, true);
    let mut now = t0();
    step(&mut e, &mut now, preset(0, 60), 30);
    step(&mut e, &mut now, follow_up("Example?", 60), 30);
    let texts = (0..3).map(|i| format!("Preset {i}?")).collect();
    let mut restored = Engine::restore(Policy::default(), texts, 600, true, e.answered().to_vec())
        .expect("restore");
    assert_eq!(restored.time_status(now).elapsed_seconds, 60.0);
    let d = restored.decide(follow_up("Another?", 60)).expect("decide");
    assert!(d.was_corrected(), "the follow-up limit survives a restore");
    assert_eq!(asked(&d).number, 3);
    assert_eq!(asked(&d).preset_index, Some(1));
}

#[test]
fn transitions_out_of_order_are_errors() {
    let mut e = engine(1, 600, false);
    assert!(e.speech_finished(t0()).is_err());
    assert!(e.submit(t0()).is_err());
    e.decide(preset(0, 60)).expect("decide");
    assert!(
        e.submit(t0()).is_err(),
        "cannot submit while the avatar speaks"
    );
    assert!(e.decide(preset(0, 60)).is_err());
    assert!(Engine::new(Policy::default(), vec![], 600, false).is_err());
}
