//! Interview configurations: create with brain-proposed questions, publish, archive.

use panelist_core::brain_api::QuestionRequest;
use panelist_core::rules;
use panelist_core::{
    Interview, InterviewId, InterviewRevision, InterviewSpec, InterviewStatus, KeyPoint, Question,
};
use serde_json::json;

use crate::{Actor, Panelist, Result, ServiceError};

/// What a recruiter fills in.
#[derive(Debug, Clone)]
pub struct NewInterview {
    pub spec: InterviewSpec,
}

/// A short kiosk code with no look-alike characters (`panelist_core::rules`).
fn kiosk_code() -> String {
    let bytes = uuid::Uuid::now_v7().into_bytes();
    // The last eight bytes of a v7 UUID are random.
    let n = u64::from_be_bytes([
        bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15],
    ]);
    rules::kiosk_code_from(n)
}

/// The same rules the server applies to interviews it creates and receives.
fn validate(spec: &InterviewSpec) -> Result<()> {
    rules::validate_spec(spec).map_err(|e| ServiceError::Invalid(e.0))
}

/// Trims a recruiter's questions, then checks them with the shared rules.
fn clean_questions(questions: Vec<Question>) -> Result<Vec<Question>> {
    if questions.len() > rules::MAX_QUESTIONS {
        return Err(ServiceError::Invalid(format!(
            "an interview has at most {} questions",
            rules::MAX_QUESTIONS
        )));
    }
    let trimmed = |v: Vec<String>| -> Vec<String> {
        v.into_iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect()
    };
    let cleaned: Vec<Question> = questions
        .into_iter()
        .map(|q| {
            let key_points = q
                .key_points
                .into_iter()
                .filter(|k| !k.label.trim().is_empty())
                .map(|k| KeyPoint {
                    label: k.label.trim().to_string(),
                    terms: trimmed(k.terms),
                })
                .collect();
            Question {
                text: q.text.trim().to_string(),
                tags: trimmed(q.tags),
                key_points,
                follow_ups: trimmed(q.follow_ups),
                source: q.source,
            }
        })
        .collect();
    rules::validate_questions(&cleaned).map_err(|e| ServiceError::Invalid(e.0))?;
    Ok(cleaned)
}

impl Panelist {
    /// Creates a draft interview; the brain proposes its questions.
    pub fn create_interview(&mut self, new: NewInterview, actor: &Actor) -> Result<Interview> {
        self.create_interview_with(new, None, actor)
    }

    /// Creates a draft with the recruiter's own questions when given (the brain is not
    /// asked), or with the brain's proposals.
    pub fn create_interview_with(
        &mut self,
        new: NewInterview,
        questions: Option<Vec<Question>>,
        actor: &Actor,
    ) -> Result<Interview> {
        validate(&new.spec)?;
        let questions = match questions.filter(|q| !q.is_empty()) {
            Some(own) => clean_questions(own)?,
            None => self.brain.generate_questions(&QuestionRequest {
                job_role: new.spec.job_role.clone(),
                job_description: new.spec.job_description.clone(),
                difficulty: new.spec.difficulty,
                focus_areas: new.spec.focus_areas.clone(),
                count: new.spec.num_questions,
                language: new.spec.language,
            })?,
        };
        let now = self.clock.now();
        let interview = Interview {
            id: InterviewId::new(),
            spec: new.spec,
            questions,
            status: InterviewStatus::Draft,
            revision: 0,
            kiosk_code: None,
            created_at: now,
            updated_at: now,
        };
        self.store.insert_interview(&interview)?;
        self.audit(
            actor,
            "interview.create",
            interview.id,
            json!({"job_role": interview.spec.job_role, "questions": interview.questions.len()}),
        )?;
        Ok(interview)
    }

    /// The brain's proposed questions for a spec; nothing is saved.
    pub fn generate_questions(&self, spec: &InterviewSpec) -> Result<Vec<Question>> {
        validate(spec)?;
        Ok(self.brain.generate_questions(&QuestionRequest {
            job_role: spec.job_role.clone(),
            job_description: spec.job_description.clone(),
            difficulty: spec.difficulty,
            focus_areas: spec.focus_areas.clone(),
            count: spec.num_questions,
            language: spec.language,
        })?)
    }

    /// Saves a recruiter's edits: the form and the questions in their new order. A
    /// published interview keeps its revisions (they are immutable); publishing again
    /// makes a new one. An archived interview is read-only.
    pub fn save_interview(
        &mut self,
        id: InterviewId,
        spec: InterviewSpec,
        questions: Vec<Question>,
        actor: &Actor,
    ) -> Result<Interview> {
        validate(&spec)?;
        let questions = clean_questions(questions)?;
        let mut interview = self.store.get_interview(id)?;
        if interview.status == InterviewStatus::Archived {
            return Err(ServiceError::Invalid(format!(
                "interview {id} is archived; duplicate it to change it"
            )));
        }
        interview.spec = spec;
        interview.questions = questions;
        interview.updated_at = self.clock.now();
        self.store.update_interview(&interview)?;
        self.audit(
            actor,
            "interview.save",
            id,
            json!({"questions": interview.questions.len()}),
        )?;
        Ok(interview)
    }

    /// A new draft with the same form and questions.
    pub fn duplicate_interview(&mut self, id: InterviewId, actor: &Actor) -> Result<Interview> {
        let source = self.store.get_interview(id)?;
        let now = self.clock.now();
        let copy = Interview {
            id: InterviewId::new(),
            spec: source.spec,
            questions: source.questions,
            status: InterviewStatus::Draft,
            revision: 0,
            kiosk_code: None,
            created_at: now,
            updated_at: now,
        };
        self.store.insert_interview(&copy)?;
        self.audit(
            actor,
            "interview.duplicate",
            copy.id,
            json!({"from": id.to_string()}),
        )?;
        Ok(copy)
    }

    pub fn interview(&self, id: InterviewId) -> Result<Interview> {
        Ok(self.store.get_interview(id)?)
    }

    /// One published revision of an interview (what its sessions were asked).
    pub fn revision(&self, id: InterviewId, revision: u32) -> Result<InterviewRevision> {
        Ok(self.store.get_revision(id, revision)?)
    }

    pub fn interviews(&self) -> Result<Vec<Interview>> {
        Ok(self.store.list_interviews()?)
    }

    /// Freezes the interview into a new immutable revision with a kiosk code.
    pub fn publish_interview(
        &mut self,
        id: InterviewId,
        actor: &Actor,
    ) -> Result<InterviewRevision> {
        let interview = self.store.get_interview(id)?;
        if interview.status == InterviewStatus::Archived {
            return Err(ServiceError::Invalid(format!(
                "interview {id} is archived; duplicate it to publish again"
            )));
        }
        let mut code = kiosk_code();
        while interview.kiosk_code.is_none() && self.store.kiosk_code_taken(&code)? {
            code = kiosk_code();
        }
        let revision = self.store.publish_interview(id, &code, self.clock.now())?;
        self.audit(
            actor,
            "interview.publish",
            id,
            json!({"revision": revision.revision, "kiosk_code": revision.kiosk_code}),
        )?;
        Ok(revision)
    }

    pub fn archive_interview(&mut self, id: InterviewId, actor: &Actor) -> Result<()> {
        self.store
            .set_interview_status(id, InterviewStatus::Archived, self.clock.now())?;
        self.audit(actor, "interview.archive", id, json!({}))
    }

    /// Finds a published interview by id or kiosk code.
    pub fn find_published(&self, id_or_code: &str) -> Result<InterviewRevision> {
        let id = match id_or_code.parse::<InterviewId>() {
            Ok(id) => id,
            Err(_) => self.store.interview_by_code(id_or_code)?.ok_or_else(|| {
                ServiceError::NotFound(format!("no interview with id or kiosk code `{id_or_code}`"))
            })?,
        };
        let interview = self.store.get_interview(id)?;
        if interview.status != InterviewStatus::Published || interview.revision == 0 {
            return Err(ServiceError::Invalid(format!(
                "interview {id} is {}; publish it before running it",
                interview.status
            )));
        }
        Ok(self.store.get_revision(id, interview.revision)?)
    }
}
