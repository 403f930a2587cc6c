//! Running an interview one step at a time: ask, answer, decide, until complete.
//!
//! A `Run` is the live side of a session. Every answer is committed to the store before
//! the next question is decided, so a crash loses at most the answer being spoken.

use panelist_core::brain_api::{
    Attributed, DecisionContext, Evaluation, EvaluationContext, HistoryItem, PresetView, Proposal,
};
use panelist_core::engine::{Action, Answered, CompletionReason};
use panelist_core::report::build_report;
use panelist_core::{
    AskedQuestion, Brain, Candidate, Engine, InterviewRevision, Phase, Report, Response,
    ResponseId, Session, SessionId, SessionStatus,
};
use serde_json::json;
use std::sync::Arc;

use crate::{Panelist, Result, ServiceError};

/// A session being interviewed: the interview's own state (session, revision, candidate,
/// committed answers, engine) and nothing else.
///
/// The application is lent per call (`&Panelist` to read the clock, `&mut Panelist` to
/// commit), so a run lives in a caller's state between UI commands without owning the
/// service, and the slow steps can run without it: [`Run::decision_context`] →
/// [`Brain::decide_attributed`] (on [`Panelist::brain`]) → [`Run::apply_decision`], and
/// [`Run::evaluation_context`] → [`Brain::evaluate_attributed`] → [`Run::complete`].
/// [`Run::next_question`] and [`Run::finish`] do each in one call.
pub struct Run {
    session: Session,
    revision: InterviewRevision,
    candidate: Candidate,
    responses: Vec<Response>,
    engine: Engine,
}

impl Panelist {
    /// Starts a registered session, or resumes an interrupted one from its committed answers.
    pub fn run(&mut self, session: SessionId) -> Result<Run> {
        Run::open(self, session)
    }

    /// The brain, shared: a caller that holds this service behind a lock asks it outside
    /// the lock (a decision or an evaluation can take seconds with a language model).
    pub fn brain(&self) -> Arc<dyn Brain> {
        self.brain.clone()
    }
}

impl Run {
    /// Starts or resumes `session` (audited as `session.start` or `session.resume`).
    pub fn open(app: &mut Panelist, session: SessionId) -> Result<Self> {
        let session = app.store.get_session(session)?;
        match session.status {
            SessionStatus::Pending | SessionStatus::InProgress => {}
            other => {
                return Err(ServiceError::Invalid(format!(
                    "session {} is {other}; it cannot be run again",
                    session.id
                )))
            }
        }
        let revision = app
            .store
            .get_revision(session.interview_id, session.revision)?;
        let candidate = app.store.get_candidate(session.candidate_id)?;
        let responses = app.store.responses(session.id)?;
        let mut policy = app.policy;
        policy.max_follow_ups_per_preset = revision.spec.max_follow_ups_per_preset;
        let engine = Engine::restore(
            policy,
            revision.questions.iter().map(|q| q.text.clone()).collect(),
            revision.spec.time_limit_minutes.saturating_mul(60),
            candidate.resume_text.is_some(),
            responses
                .iter()
                .map(|r| Answered {
                    question: r.question.clone(),
                    answer_seconds: r.answer_seconds,
                })
                .collect(),
        )?;
        let now = app.clock.now();
        app.store.start_session(session.id, now)?;
        let resumed = !responses.is_empty();
        let caller = app.caller.clone();
        app.audit(
            &caller,
            if resumed {
                "session.resume"
            } else {
                "session.start"
            },
            session.id,
            json!({"answers": responses.len()}),
        )?;
        let session = app.store.get_session(session.id)?;
        Ok(Run {
            session,
            revision,
            candidate,
            responses,
            engine,
        })
    }
}

fn history(responses: &[Response]) -> Vec<HistoryItem> {
    responses
        .iter()
        .map(|r| HistoryItem {
            number: r.question.number,
            question_type: r.question.question_type,
            preset_index: r.question.preset_index,
            question_text: r.question.text.clone(),
            transcript: r.transcript.clone(),
            answer_seconds: r.answer_seconds,
            allotted_seconds: r.question.allotted_seconds,
        })
        .collect()
}

impl Run {
    pub fn session_id(&self) -> SessionId {
        self.session.id
    }

    pub fn revision(&self) -> &InterviewRevision {
        &self.revision
    }

    pub fn responses(&self) -> &[Response] {
        &self.responses
    }

    pub fn phase(&self) -> &Phase {
        self.engine.phase()
    }

    /// What the brain is asked for the next step; `None` once the interview is complete.
    pub fn decision_context(&self, app: &Panelist) -> Option<DecisionContext> {
        if let Phase::Completed { .. } = self.engine.phase() {
            return None;
        }
        Some(DecisionContext {
            spec: self.revision.spec.clone(),
            resume_text: self.candidate.resume_text.clone(),
            presets: self
                .revision
                .questions
                .iter()
                .enumerate()
                .map(|(i, q)| {
                    let index = u32::try_from(i).unwrap_or(u32::MAX);
                    PresetView {
                        index,
                        question: q.clone(),
                        asked: self.engine.preset_asked(index),
                    }
                })
                .collect(),
            history: history(&self.responses),
            time: self.engine.time_status(app.clock.now()),
            follow_ups_used_for_current: self
                .engine
                .current_preset()
                .map_or(0, |p| self.engine.follow_ups_used(p)),
            resume_question_asked: self.engine.resume_asked(),
        })
    }

    /// Words a good answer to `question` would use (the key-point terms of its preset), to
    /// steer transcription towards them.
    pub fn answer_vocabulary(&self, question: &AskedQuestion) -> Vec<String> {
        let Some(preset) = question
            .preset_index
            .filter(|_| question.question_type != panelist_core::QuestionType::Resume)
            .and_then(|i| self.revision.questions.get(i as usize))
        else {
            return Vec::new();
        };
        preset
            .key_points
            .iter()
            .flat_map(|kp| kp.terms.iter().cloned())
            .collect()
    }

    /// Asks the brain for the next step and lets the engine validate it. Returns the
    /// question to ask, or `None` when the interview is complete.
    pub fn next_question(&mut self, app: &mut Panelist) -> Result<Option<AskedQuestion>> {
        let Some(context) = self.decision_context(app) else {
            return Ok(None);
        };
        let proposal = app.brain.decide_attributed(&context)?;
        self.apply_decision(app, proposal)
    }

    /// Lets the engine validate the brain's `proposal` (asked with
    /// [`Run::decision_context`]) and records the decision. Returns the question to ask,
    /// or `None` when the interview is complete.
    pub fn apply_decision(
        &mut self,
        app: &mut Panelist,
        proposal: Attributed<Proposal>,
    ) -> Result<Option<AskedQuestion>> {
        if let Phase::Completed { .. } = self.engine.phase() {
            return Ok(None);
        }
        let decision = self.engine.decide(proposal.value)?;
        let now = app.clock.now();
        app.store
            .record_decision(self.session.id, &decision, &proposal.by, now)?;
        if decision.was_corrected() {
            let caller = app.caller.clone();
            app.audit(
                &caller,
                "engine.correct",
                self.session.id,
                json!({"corrections": decision.corrections}),
            )?;
        }
        match decision.action {
            Action::Ask { question } => {
                app.store
                    .set_current_question(self.session.id, Some(&question))?;
                Ok(Some(question))
            }
            Action::Complete { .. } => Ok(None),
        }
    }

    /// The avatar finished asking: the answer timer starts.
    pub fn speech_finished(&mut self, app: &Panelist) -> Result<()> {
        Ok(self.engine.speech_finished(app.clock.now())?)
    }

    /// The candidate asked to hear the question again: the answer timer stops until
    /// [`Run::repeat_finished`].
    pub fn repeat_started(&mut self, app: &Panelist) -> Result<()> {
        Ok(self.engine.repeat_started(app.clock.now())?)
    }

    /// The repeated question has been heard: the answer timer runs again.
    pub fn repeat_finished(&mut self, app: &Panelist) -> Result<()> {
        Ok(self.engine.repeat_finished(app.clock.now())?)
    }

    /// The preset that would come next if the brain moves on (a hint for speaking it
    /// ahead; the brain and the engine decide what is asked).
    pub fn next_unasked_preset_text(&self) -> Option<String> {
        self.engine.upcoming_preset_text().map(str::to_string)
    }

    /// Seconds of the current answer so far, repeats of the question not counted.
    pub fn answering_seconds(&self, app: &Panelist) -> f64 {
        self.engine.answering_seconds(app.clock.now())
    }

    /// The interview clock now: limit, elapsed answering time, time left.
    pub fn time_status(&self, app: &Panelist) -> panelist_core::brain_api::TimeStatus {
        self.engine.time_status(app.clock.now())
    }

    /// The candidate this run interviews.
    pub fn candidate(&self) -> &Candidate {
        &self.candidate
    }

    /// Ends the current answer and commits it. When this returns, the answer is durable.
    pub fn submit(
        &mut self,
        app: &mut Panelist,
        transcript: &str,
        audio_path: Option<String>,
    ) -> Result<&Response> {
        let now = app.clock.now();
        self.submit_ended_at(app, transcript, audio_path, now)
    }

    /// Like [`Run::submit`] for an answer that ended at `ended_at` (when the candidate
    /// pressed "Submit" or the timer ran out) and was transcribed afterwards: the
    /// transcription time is not the candidate's answering time.
    pub fn submit_ended_at(
        &mut self,
        app: &mut Panelist,
        transcript: &str,
        audio_path: Option<String>,
        ended_at: chrono::DateTime<chrono::Utc>,
    ) -> Result<&Response> {
        // Refused before anything changes: the candidate can shorten it and submit again.
        let chars = transcript.trim().chars().count();
        if chars > panelist_core::MAX_ANSWER_CHARS {
            return Err(ServiceError::Invalid(format!(
                "the answer is too long: {chars} characters, {} at most",
                panelist_core::MAX_ANSWER_CHARS
            )));
        }
        let now = app.clock.now();
        let timing = self.engine.submit(ended_at.min(now))?;
        let response = Response {
            id: ResponseId::new(),
            session_id: self.session.id,
            question: timing.question,
            transcript: transcript.trim().to_string(),
            audio_path,
            answer_started_at: timing.answer_started_at,
            answered_at: timing.answered_at,
            answer_seconds: timing.answer_seconds,
            timed_out: timing.timed_out,
        };
        app.store.commit_response(&response)?;
        self.responses.push(response);
        Ok(self.responses.last().expect("just pushed"))
    }

    /// Evaluates the finished interview, saves its report and completes the session.
    pub fn finish(&mut self, app: &mut Panelist) -> Result<Report> {
        let context = self.evaluation_context()?;
        let evaluation = app.brain.evaluate_attributed(&context)?;
        self.complete(app, evaluation)
    }

    /// What the brain is asked to evaluate once the interview is complete (refused
    /// before).
    pub fn evaluation_context(&self) -> Result<EvaluationContext> {
        self.completed_reason()?;
        Ok(EvaluationContext {
            spec: self.revision.spec.clone(),
            presets: self.revision.questions.clone(),
            resume_text: self.candidate.resume_text.clone(),
            history: history(&self.responses),
        })
    }

    /// Saves the report made of the brain's `evaluation` (asked with
    /// [`Run::evaluation_context`]) and completes the session.
    pub fn complete(
        &mut self,
        app: &mut Panelist,
        evaluation: Attributed<Evaluation>,
    ) -> Result<Report> {
        let reason = self.completed_reason()?;
        let history = history(&self.responses);
        let now = app.clock.now();
        let report = build_report(
            self.session.id,
            &self.revision.spec,
            &self.candidate,
            &history,
            evaluation.value,
            evaluation.by,
            now,
        )?;
        app.store.save_report(&report, reason.as_str(), now)?;
        let caller = app.caller.clone();
        app.audit(
            &caller,
            "session.complete",
            self.session.id,
            json!({"reason": reason.as_str(), "overall": report.scores.overall}),
        )?;
        Ok(report)
    }

    fn completed_reason(&self) -> Result<CompletionReason> {
        match self.engine.phase() {
            Phase::Completed { reason } => Ok(*reason),
            _ => Err(ServiceError::Invalid(
                "the interview is not complete yet".into(),
            )),
        }
    }

    /// Why the interview completed, once it has.
    pub fn completion(&self) -> Option<CompletionReason> {
        match self.engine.phase() {
            Phase::Completed { reason } => Some(*reason),
            _ => None,
        }
    }
}
