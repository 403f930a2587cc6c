//! Running an interview one step at a time: ask, answer, decide, until complete.
//!
//! A `Run` is the live side of a session. Every answer is committed to the store before
//! the next question is decided, so a crash loses at most the answer being spoken.

use panelist_core::brain_api::{DecisionContext, EvaluationContext, HistoryItem, PresetView};
use panelist_core::engine::{Action, Answered, CompletionReason};
use panelist_core::report::build_report;
use panelist_core::{
    AskedQuestion, Candidate, Engine, InterviewRevision, Phase, Report, Response, ResponseId,
    Session, SessionId, SessionStatus,
};
use serde_json::json;
use std::borrow::{Borrow, BorrowMut};

use crate::{Panelist, Result, ServiceError};

/// A session being interviewed.
///
/// `A` is how the run holds the application: `&mut Panelist` for a run that lives inside
/// one call (the CLI), or an owned `Panelist` for a run that outlives a call and must be
/// kept in state between UI commands (the kiosk), which takes it back with
/// [`Run::into_app`].
pub struct Run<A: BorrowMut<Panelist>> {
    app: A,
    session: Session,
    revision: InterviewRevision,
    candidate: Candidate,
    responses: Vec<Response>,
    engine: Engine,
}

impl Panelist {
    /// Starts a registered session, or resumes an interrupted one from its committed answers.
    pub fn run(&mut self, session: SessionId) -> Result<Run<&mut Panelist>> {
        Run::open(self, session).map_err(|(_, e)| e)
    }
}

impl<A: BorrowMut<Panelist>> Run<A> {
    /// Starts or resumes `session` over `app`. On failure the application is handed back
    /// with the error, so an owner that moved it in does not lose it.
    pub fn open(mut app: A, session: SessionId) -> std::result::Result<Self, (A, ServiceError)> {
        match Self::prepare(app.borrow_mut(), session) {
            Ok(parts) => Ok(Self::assemble(app, parts)),
            Err(e) => Err((app, e)),
        }
    }

    fn assemble(app: A, parts: RunParts) -> Self {
        let RunParts {
            session,
            revision,
            candidate,
            responses,
            engine,
        } = parts;
        Run {
            app,
            session,
            revision,
            candidate,
            responses,
            engine,
        }
    }

    /// The application, read-only.
    pub fn app(&self) -> &Panelist {
        self.app.borrow()
    }

    /// The application, for what does not concern the interview (the audit log, the
    /// kiosk's PIN attempts).
    pub fn app_mut(&mut self) -> &mut Panelist {
        self.app.borrow_mut()
    }

    /// Gives the application back (for example after [`Run::finish`]).
    pub fn into_app(self) -> A {
        self.app
    }

    fn prepare(this: &mut Panelist, session: SessionId) -> Result<RunParts> {
        let session = this.store.get_session(session)?;
        match session.status {
            SessionStatus::Pending | SessionStatus::InProgress => {}
            other => {
                return Err(ServiceError::Invalid(format!(
                    "session {} is {other}; it cannot be run again",
                    session.id
                )))
            }
        }
        let revision = this
            .store
            .get_revision(session.interview_id, session.revision)?;
        let candidate = this.store.get_candidate(session.candidate_id)?;
        let responses = this.store.responses(session.id)?;
        let mut policy = this.policy;
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
        let now = this.clock.now();
        this.store.start_session(session.id, now)?;
        let resumed = !responses.is_empty();
        let caller = this.caller.clone();
        this.audit(
            &caller,
            if resumed {
                "session.resume"
            } else {
                "session.start"
            },
            session.id,
            json!({"answers": responses.len()}),
        )?;
        let session = this.store.get_session(session.id)?;
        Ok(RunParts {
            session,
            revision,
            candidate,
            responses,
            engine,
        })
    }
}

/// What a run is made of besides the application.
struct RunParts {
    session: Session,
    revision: InterviewRevision,
    candidate: Candidate,
    responses: Vec<Response>,
    engine: Engine,
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

impl<A: BorrowMut<Panelist>> Run<A> {
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

    fn context(&self) -> DecisionContext {
        let now = Borrow::<Panelist>::borrow(&self.app).clock.now();
        DecisionContext {
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
            time: self.engine.time_status(now),
            follow_ups_used_for_current: self
                .engine
                .current_preset()
                .map_or(0, |p| self.engine.follow_ups_used(p)),
            resume_question_asked: self.engine.resume_asked(),
        }
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
    pub fn next_question(&mut self) -> Result<Option<AskedQuestion>> {
        if let Phase::Completed { .. } = self.engine.phase() {
            return Ok(None);
        }
        let proposal = Borrow::<Panelist>::borrow(&self.app)
            .brain
            .decide_attributed(&self.context())?;
        let decision = self.engine.decide(proposal.value)?;
        let now = Borrow::<Panelist>::borrow(&self.app).clock.now();
        let brain = proposal.by;
        self.app
            .borrow_mut()
            .store
            .record_decision(self.session.id, &decision, &brain, now)?;
        if decision.was_corrected() {
            let caller = Borrow::<Panelist>::borrow(&self.app).caller.clone();
            self.app.borrow_mut().audit(
                &caller,
                "engine.correct",
                self.session.id,
                json!({"corrections": decision.corrections}),
            )?;
        }
        match decision.action {
            Action::Ask { question } => {
                self.app
                    .borrow_mut()
                    .store
                    .set_current_question(self.session.id, Some(&question))?;
                Ok(Some(question))
            }
            Action::Complete { .. } => Ok(None),
        }
    }

    /// The avatar finished asking: the answer timer starts.
    pub fn speech_finished(&mut self) -> Result<()> {
        let now = Borrow::<Panelist>::borrow(&self.app).clock.now();
        Ok(self.engine.speech_finished(now)?)
    }

    /// The candidate asked to hear the question again: the answer timer stops until
    /// [`Run::repeat_finished`].
    pub fn repeat_started(&mut self) -> Result<()> {
        let now = Borrow::<Panelist>::borrow(&self.app).clock.now();
        Ok(self.engine.repeat_started(now)?)
    }

    /// The repeated question has been heard: the answer timer runs again.
    pub fn repeat_finished(&mut self) -> Result<()> {
        let now = Borrow::<Panelist>::borrow(&self.app).clock.now();
        Ok(self.engine.repeat_finished(now)?)
    }

    /// The preset that would come next if the brain moves on (a hint for speaking it
    /// ahead; the brain and the engine decide what is asked).
    pub fn next_unasked_preset_text(&self) -> Option<String> {
        self.engine.upcoming_preset_text().map(str::to_string)
    }

    /// Seconds of the current answer so far, repeats of the question not counted.
    pub fn answering_seconds(&self) -> f64 {
        self.engine
            .answering_seconds(Borrow::<Panelist>::borrow(&self.app).clock.now())
    }

    /// The interview clock now: limit, elapsed answering time, time left.
    pub fn time_status(&self) -> panelist_core::brain_api::TimeStatus {
        self.engine
            .time_status(Borrow::<Panelist>::borrow(&self.app).clock.now())
    }

    /// The current time on the application's clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        Borrow::<Panelist>::borrow(&self.app).clock.now()
    }

    /// The candidate this run interviews.
    pub fn candidate(&self) -> &Candidate {
        &self.candidate
    }

    /// Whether the current answer has run out of time.
    pub fn answer_overdue(&self) -> bool {
        self.engine
            .answer_overdue(Borrow::<Panelist>::borrow(&self.app).clock.now())
    }

    /// Ends the current answer and commits it. When this returns, the answer is durable.
    pub fn submit(&mut self, transcript: &str, audio_path: Option<String>) -> Result<&Response> {
        let now = Borrow::<Panelist>::borrow(&self.app).clock.now();
        self.submit_ended_at(transcript, audio_path, now)
    }

    /// Like [`Run::submit`] for an answer that ended at `ended_at` (when the candidate
    /// pressed "Submit" or the timer ran out) and was transcribed afterwards: the
    /// transcription time is not the candidate's answering time.
    pub fn submit_ended_at(
        &mut self,
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
        let now = Borrow::<Panelist>::borrow(&self.app).clock.now();
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
        self.app.borrow_mut().store.commit_response(&response)?;
        self.responses.push(response);
        Ok(self.responses.last().expect("just pushed"))
    }

    /// Evaluates the finished interview, saves its report and completes the session.
    pub fn finish(&mut self) -> Result<Report> {
        let reason = match self.engine.phase() {
            Phase::Completed { reason } => *reason,
            _ => {
                return Err(ServiceError::Invalid(
                    "the interview is not complete yet".into(),
                ))
            }
        };
        let history = history(&self.responses);
        let evaluation = Borrow::<Panelist>::borrow(&self.app)
            .brain
            .evaluate_attributed(&EvaluationContext {
                spec: self.revision.spec.clone(),
                presets: self.revision.questions.clone(),
                resume_text: self.candidate.resume_text.clone(),
                history: history.clone(),
            })?;
        let now = Borrow::<Panelist>::borrow(&self.app).clock.now();
        let report = build_report(
            self.session.id,
            &self.revision.spec,
            &self.candidate,
            &history,
            evaluation.value,
            evaluation.by,
            now,
        )?;
        self.app
            .borrow_mut()
            .store
            .save_report(&report, reason.as_str(), now)?;
        let caller = Borrow::<Panelist>::borrow(&self.app).caller.clone();
        self.app.borrow_mut().audit(
            &caller,
            "session.complete",
            self.session.id,
            json!({"reason": reason.as_str(), "overall": report.scores.overall}),
        )?;
        Ok(report)
    }

    /// Why the interview completed, once it has.
    pub fn completion(&self) -> Option<CompletionReason> {
        match self.engine.phase() {
            Phase::Completed { reason } => Some(*reason),
            _ => None,
        }
    }
}
