//! Registering a candidate (with consent) and managing sessions.

use std::path::{Path, PathBuf};

use panelist_core::{
    Candidate, CandidateId, ConsentId, ConsentRecord, InterviewRevision, Response, Session,
    SessionId, SessionStatus,
};
use serde_json::json;

use crate::{Actor, Panelist, Result, ServiceError};

/// The version of the recording notice a candidate consents to.
pub const CONSENT_NOTICE_VERSION: &str = "2026-11-v1";

#[derive(Debug, Clone, Default)]
pub struct CandidateInput {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub resume: Option<PathBuf>,
}

/// A registered candidate and their pending session.
#[derive(Debug, Clone)]
pub struct Registration {
    pub session: Session,
    pub candidate: Candidate,
    pub revision: InterviewRevision,
    /// Set when a résumé was given but could not be used; the interview goes on without it.
    pub resume_warning: Option<String>,
}

/// A candidate's name: at most this many characters (after trimming).
pub const MAX_NAME_CHARS: usize = 200;

/// A candidate's phone number (optional): this many digits, with `+ - ( ) .` and spaces.
pub const PHONE_DIGITS: std::ops::RangeInclusive<usize> = 6..=20;

/// A candidate field that was refused: which one, and a sentence the candidate can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: &'static str,
    pub message: String,
}

/// The one check of a candidate's details (the kiosk's form, the CLI, the UI's instant
/// check through the shared contract cases): a name of 1–[`MAX_NAME_CHARS`] characters,
/// an email address like `name@example.com`, and an optional phone number of
/// [`PHONE_DIGITS`] digits.
pub fn check_candidate(
    name: &str,
    email: &str,
    phone: Option<&str>,
) -> std::result::Result<(), FieldProblem> {
    let problem = |field, message: String| Err(FieldProblem { field, message });
    let name = name.trim();
    if name.is_empty() {
        return problem("name", "please enter your name".into());
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return problem(
            "name",
            format!("the name is too long ({MAX_NAME_CHARS} characters at most)"),
        );
    }
    let email = email.trim();
    let ok = email.split_once('@').is_some_and(|(u, h)| {
        !u.is_empty() && h.contains('.') && !h.ends_with('.') && !h.starts_with('.')
    }) && !email.contains(char::is_whitespace);
    if !ok {
        return problem(
            "email",
            "please enter an email address like name@example.com".into(),
        );
    }
    if let Some(phone) = phone.map(str::trim).filter(|p| !p.is_empty()) {
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        if !phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
            || !PHONE_DIGITS.contains(&digits)
        {
            return problem(
                "phone",
                format!(
                    "please enter a phone number of {}–{} digits (+ - ( ) and spaces allowed)",
                    PHONE_DIGITS.start(),
                    PHONE_DIGITS.end()
                ),
            );
        }
    }
    Ok(())
}

fn validate(input: &CandidateInput) -> Result<()> {
    check_candidate(&input.name, &input.email, input.phone.as_deref())
        .map_err(|p| ServiceError::Invalid(format!("{}: {}", p.field, p.message)))
}

impl Panelist {
    /// Registers a candidate for a published interview and records their consent, before
    /// any microphone opens. A résumé that cannot be read becomes a warning, never a stop.
    pub fn register(
        &mut self,
        interview: &str,
        input: CandidateInput,
        consent_given: bool,
    ) -> Result<Registration> {
        if !consent_given {
            return Err(ServiceError::Invalid(
                "the candidate has not consented to recording; the interview cannot start".into(),
            ));
        }
        let now = self.clock.now();
        self.register_with_consent_time(interview, input, now)
    }

    /// Registers a candidate who consented at `consented_at` (the kiosk's notice screen
    /// comes before the registration form); the consent is stored with that moment.
    pub fn register_with_consent_time(
        &mut self,
        interview: &str,
        input: CandidateInput,
        consented_at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Registration> {
        validate(&input)?;
        let revision = self.find_published(interview)?;
        let candidate_id = CandidateId::new();
        let (resume_file, resume_text, resume_warning) = match &input.resume {
            None => (None, None, None),
            Some(path) => match self.intake_resume(candidate_id, path) {
                Ok((file, text)) => (Some(file), Some(text), None),
                Err(e) => (None, None, Some(format!("résumé not used: {e}"))),
            },
        };
        let now = self.clock.now();
        let candidate = Candidate {
            id: candidate_id,
            name: input.name.trim().to_string(),
            email: input.email.trim().to_string(),
            phone: input
                .phone
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty()),
            resume_file,
            resume_text,
            created_at: now,
        };
        let session = Session {
            id: SessionId::new(),
            interview_id: revision.interview_id,
            revision: revision.revision,
            candidate_id,
            status: SessionStatus::Pending,
            started_at: None,
            ended_at: None,
            current_question: None,
            end_reason: None,
            created_at: now,
        };
        let consent = ConsentRecord {
            id: ConsentId::new(),
            candidate_id,
            session_id: session.id,
            notice_version: CONSENT_NOTICE_VERSION.to_string(),
            granted_at: consented_at.min(now),
        };
        self.store.insert_candidate(&candidate)?;
        self.store.insert_session(&session, &consent)?;
        let caller = self.caller.clone();
        self.audit(
            &caller,
            "session.register",
            session.id,
            json!({"interview": revision.interview_id.to_string(), "revision": revision.revision,
                   "resume": candidate.resume_text.is_some()}),
        )?;
        Ok(Registration {
            session,
            candidate,
            revision,
            resume_warning,
        })
    }

    /// Checks and extracts a résumé, then keeps a copy in the data directory.
    fn intake_resume(&self, candidate: CandidateId, path: &Path) -> Result<(String, String)> {
        let text = panelist_resume::load(path, &self.extractor)?;
        let dir = self.data_dir.join("resumes");
        std::fs::create_dir_all(&dir).map_err(|e| ServiceError::io(&dir, e))?;
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .filter(|e| e.chars().all(|c| c.is_ascii_alphanumeric()) && e.len() <= 5)
            .unwrap_or("bin");
        let dest = dir.join(format!("{candidate}.{ext}"));
        std::fs::copy(path, &dest).map_err(|e| ServiceError::io(&dest, e))?;
        Ok((dest.display().to_string(), text))
    }

    pub fn session(&self, id: SessionId) -> Result<Session> {
        Ok(self.store.get_session(id)?)
    }

    /// A session's committed answers, in the order they were asked.
    pub fn responses(&self, session: SessionId) -> Result<Vec<Response>> {
        Ok(self.store.responses(session)?)
    }

    pub fn sessions(&self, status: Option<SessionStatus>) -> Result<Vec<Session>> {
        Ok(self.store.list_sessions(status)?)
    }

    pub fn candidate(&self, id: CandidateId) -> Result<Candidate> {
        Ok(self.store.get_candidate(id)?)
    }

    /// Closes an interrupted session from admin mode: its committed answers are kept and
    /// the session is marked abandoned.
    pub fn close_session(&mut self, id: SessionId, actor: &Actor) -> Result<Session> {
        let session = self.store.get_session(id)?;
        if matches!(
            session.status,
            SessionStatus::Completed | SessionStatus::Abandoned
        ) {
            return Err(ServiceError::Invalid(format!(
                "session {id} is already {}",
                session.status
            )));
        }
        let answers = self.store.responses(id)?.len();
        self.store
            .end_session(id, SessionStatus::Abandoned, "closed", self.clock.now())?;
        self.audit(actor, "session.close", id, json!({"answers_kept": answers}))?;
        Ok(self.store.get_session(id)?)
    }
}
