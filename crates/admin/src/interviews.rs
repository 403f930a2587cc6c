//! Recruiters' interviews: list, create with generated questions, edit and reorder,
//! publish (an immutable revision and a kiosk code), archive, duplicate, hear a question.

use panelist_core::{Interview, InterviewId, InterviewSpec, KeyPoint, Language, Question};
use panelist_service::NewInterview;
use panelist_settings::KioskSettings;
use panelist_speech::{SpeechClip, Voice};

use crate::dto::{
    InterviewDetail, InterviewSpecDto, InterviewSummary, KeyPointDto, LanguageOption, QuestionDto,
};
use crate::{Admin, AdminError, Permission, Result};

fn parse_id(id: &str) -> Result<InterviewId> {
    id.parse()
        .map_err(|_| AdminError::invalid("id", format!("{id:?} is not an interview id")))
}

/// A language code from the UI, refused naming the languages there are.
fn parse_language(code: &str) -> Result<Language> {
    code.parse().map_err(|_| {
        AdminError::invalid(
            "language",
            format!(
                "{code:?} is not a language interviews can be held in (choose {})",
                Language::ALL
                    .iter()
                    .map(|l| format!("{} ({})", l.name(), l.code()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })
}

/// The interview form as the service takes it; an unsupported language is refused here,
/// naming the languages there are.
pub(crate) fn spec_from(dto: InterviewSpecDto) -> Result<InterviewSpec> {
    let language = parse_language(&dto.language)?;
    Ok(InterviewSpec {
        job_role: dto.job_role.trim().to_string(),
        job_description: dto.job_description.trim().to_string(),
        difficulty: dto.difficulty,
        focus_areas: dto
            .focus_areas
            .into_iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect(),
        time_limit_minutes: dto.time_limit_minutes,
        avatar: dto.avatar,
        num_questions: dto.num_questions,
        max_follow_ups_per_preset: dto.max_follow_ups_per_preset,
        language,
    })
}

/// The languages the interview editor offers, from [`Language`] (the one list).
pub fn languages() -> Vec<LanguageOption> {
    Language::ALL
        .iter()
        .map(|l| LanguageOption {
            code: l.code().to_string(),
            name: l.name().to_string(),
        })
        .collect()
}

fn spec_dto(spec: &InterviewSpec) -> InterviewSpecDto {
    InterviewSpecDto {
        job_role: spec.job_role.clone(),
        job_description: spec.job_description.clone(),
        difficulty: spec.difficulty,
        focus_areas: spec.focus_areas.clone(),
        time_limit_minutes: spec.time_limit_minutes,
        avatar: spec.avatar.clone(),
        num_questions: spec.num_questions,
        max_follow_ups_per_preset: spec.max_follow_ups_per_preset,
        language: spec.language.code().to_string(),
    }
}

fn question_dto(q: &Question) -> QuestionDto {
    QuestionDto {
        text: q.text.clone(),
        key_points: q
            .key_points
            .iter()
            .map(|k| KeyPointDto {
                label: k.label.clone(),
                terms: k.terms.clone(),
            })
            .collect(),
        follow_ups: q.follow_ups.clone(),
        tags: q.tags.clone(),
        source: q.source.clone(),
    }
}

fn question_from(q: QuestionDto) -> Question {
    Question {
        text: q.text,
        tags: q.tags,
        key_points: q
            .key_points
            .into_iter()
            .map(|k| KeyPoint {
                label: k.label,
                terms: k.terms,
            })
            .collect(),
        follow_ups: q.follow_ups,
        source: q.source.or_else(|| Some("manual".into())),
    }
}

fn detail(i: &Interview) -> InterviewDetail {
    InterviewDetail {
        id: i.id.to_string(),
        spec: spec_dto(&i.spec),
        questions: i.questions.iter().map(question_dto).collect(),
        status: i.status,
        revision: i.revision,
        kiosk_code: i.kiosk_code.clone(),
        updated_at: i.updated_at.to_rfc3339(),
    }
}

impl Admin {
    pub fn interviews(&self) -> Result<Vec<InterviewSummary>> {
        self.require(Permission::EditInterviews)?;
        Ok(self
            .app
            .interviews()?
            .iter()
            .map(|i| InterviewSummary {
                id: i.id.to_string(),
                job_role: i.spec.job_role.clone(),
                difficulty: i.spec.difficulty,
                status: i.status,
                revision: i.revision,
                kiosk_code: i.kiosk_code.clone(),
                questions: i.questions.len() as u32,
                updated_at: i.updated_at.to_rfc3339(),
            })
            .collect())
    }

    pub fn interview(&self, id: &str) -> Result<InterviewDetail> {
        self.require(Permission::EditInterviews)?;
        Ok(detail(&self.app.interview(parse_id(id)?)?))
    }

    /// A new draft: with the recruiter's questions when given (already generated or
    /// written in the form), otherwise with the configured brain's proposals.
    pub fn create_interview(
        &mut self,
        spec: InterviewSpecDto,
        questions: Option<Vec<QuestionDto>>,
    ) -> Result<InterviewDetail> {
        self.require(Permission::EditInterviews)?;
        let actor = self.actor()?;
        let interview = self.app.create_interview_with(
            NewInterview {
                spec: spec_from(spec)?,
            },
            questions.map(|qs| qs.into_iter().map(question_from).collect()),
            &actor,
        )?;
        Ok(detail(&interview))
    }

    /// The brain's proposals for a form; nothing is saved.
    pub fn generate_questions(&self, spec: InterviewSpecDto) -> Result<Vec<QuestionDto>> {
        self.require(Permission::EditInterviews)?;
        Ok(self
            .app
            .generate_questions(&spec_from(spec)?)?
            .iter()
            .map(question_dto)
            .collect())
    }

    pub fn save_interview(
        &mut self,
        id: &str,
        spec: InterviewSpecDto,
        questions: Vec<QuestionDto>,
    ) -> Result<InterviewDetail> {
        self.require(Permission::EditInterviews)?;
        let actor = self.actor()?;
        let saved = self.app.save_interview(
            parse_id(id)?,
            spec_from(spec)?,
            questions.into_iter().map(question_from).collect(),
            &actor,
        )?;
        Ok(detail(&saved))
    }

    pub fn publish_interview(&mut self, id: &str) -> Result<InterviewDetail> {
        self.require(Permission::EditInterviews)?;
        let actor = self.actor()?;
        let id = parse_id(id)?;
        self.app.publish_interview(id, &actor)?;
        Ok(detail(&self.app.interview(id)?))
    }

    pub fn archive_interview(&mut self, id: &str) -> Result<InterviewDetail> {
        self.require(Permission::EditInterviews)?;
        let actor = self.actor()?;
        let id = parse_id(id)?;
        self.app.archive_interview(id, &actor)?;
        Ok(detail(&self.app.interview(id)?))
    }

    pub fn duplicate_interview(&mut self, id: &str) -> Result<InterviewDetail> {
        self.require(Permission::EditInterviews)?;
        let actor = self.actor()?;
        Ok(detail(
            &self.app.duplicate_interview(parse_id(id)?, &actor)?,
        ))
    }

    /// A question spoken as the kiosk will speak it, for the recruiter to hear: the
    /// kiosk's voice settings, in the interview's language (English when not given).
    pub fn speak(&self, text: &str, language: Option<&str>) -> Result<SpeechClip> {
        self.require(Permission::EditInterviews)?;
        let text = text.trim();
        if text.is_empty() {
            return Err(AdminError::invalid("text", "nothing to say"));
        }
        let language = match language {
            Some(code) => parse_language(code)?,
            None => Language::English,
        };
        let settings = KioskSettings::load(self.app.data_dir())?;
        let voice = Voice::espeak(&settings.voice, settings.rate_wpm)?
            .with_voice(language.voice_for(&settings.voice));
        Ok(voice.speak(text)?)
    }
}
