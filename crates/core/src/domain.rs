//! The domain model: what Panelist stores and reasons about.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::*;

/// An error parsing one of the domain's enumerations from text.
#[derive(Debug, thiserror::Error)]
#[error("unknown {kind} `{value}` (expected one of: {expected})")]
pub struct ParseEnumError {
    pub kind: &'static str,
    pub value: String,
    pub expected: &'static str,
}

/// Implements `as_str`, `Display` and `FromStr` for a fieldless enum with snake_case names.
macro_rules! text_enum {
    ($name:ident, $kind:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = ParseEnumError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim().to_ascii_lowercase().as_str() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(ParseEnumError {
                        kind: $kind,
                        value: s.to_string(),
                        expected: concat!($($text, " "),+),
                    }),
                }
            }
        }
    };
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Recruiter,
    Hr,
}
text_enum!(Role, "role", { Admin => "admin", Recruiter => "recruiter", Hr => "hr" });

/// An account for admin mode. The password is stored only as an argon2id PHC string.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub password_hash: String,
    pub full_name: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}
text_enum!(Difficulty, "difficulty", { Easy => "easy", Medium => "medium", Hard => "hard" });

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterviewStatus {
    Draft,
    Published,
    Archived,
}
text_enum!(InterviewStatus, "interview status", {
    Draft => "draft", Published => "published", Archived => "archived"
});

/// The language an interview is held in: the avatar speaks it, whisper is told it, the
/// brains write questions in it. This enum is the one list of supported languages (admin
/// mode, the CLI, the server and the UI's select all take it from here); a language is
/// offered only where espeak-ng has a voice for it and the multilingual whisper models
/// can hear it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Language {
    #[default]
    #[serde(rename = "en")]
    English,
    #[serde(rename = "de")]
    German,
    #[serde(rename = "fr")]
    French,
    #[serde(rename = "es")]
    Spanish,
}
text_enum!(Language, "language", {
    English => "en", German => "de", French => "fr", Spanish => "es"
});

impl Language {
    /// The ISO 639-1 code, which is also whisper's language name (`as_str`).
    pub fn code(self) -> &'static str {
        self.as_str()
    }

    /// The language's English name, for people and for prompts.
    pub fn name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::German => "German",
            Language::French => "French",
            Language::Spanish => "Spanish",
        }
    }

    /// The espeak-ng voice that speaks it (`espeak-ng --voices`).
    pub fn espeak_voice(self) -> &'static str {
        match self {
            Language::English => "en-us",
            Language::German => "de",
            Language::French => "fr-fr",
            Language::Spanish => "es",
        }
    }

    /// Whether an espeak-ng voice name speaks this language ("en-gb" and "en-us+f3" are
    /// English; "de" is German).
    pub fn is_spoken_by(self, voice: &str) -> bool {
        let base = voice.trim().split('+').next().unwrap_or("");
        let primary = base.split(['-', '_']).next().unwrap_or("");
        primary.eq_ignore_ascii_case(self.code())
    }

    /// The voice to speak this language with: the configured voice when it speaks it (an
    /// English kiosk may use "en-gb"), else the language's own ([`Self::espeak_voice`]).
    pub fn voice_for(self, configured: &str) -> &str {
        if self.is_spoken_by(configured) {
            configured
        } else {
            self.espeak_voice()
        }
    }
}

/// Something a good answer covers, with the words that show it was covered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyPoint {
    pub label: String,
    /// Words or short phrases that count as covering the point (matched after stemming).
    #[serde(default)]
    pub terms: Vec<String>,
}

/// A preset question of an interview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub text: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub key_points: Vec<KeyPoint>,
    /// Follow-up prompts a brain may use when the answer falls short.
    #[serde(default)]
    pub follow_ups: Vec<String>,
    /// Where the question came from (for example a bank id), for traceability.
    #[serde(default)]
    pub source: Option<String>,
}

/// The part of an interview a recruiter edits; frozen into a revision on publish.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InterviewSpec {
    pub job_role: String,
    pub job_description: String,
    pub difficulty: Difficulty,
    pub focus_areas: Vec<String>,
    pub time_limit_minutes: u32,
    pub avatar: String,
    pub num_questions: u32,
    pub max_follow_ups_per_preset: u32,
    /// Specs written before languages existed (older kiosks, older revisions in the sync
    /// feed) have no such field: they are English.
    #[serde(default)]
    pub language: Language,
}

/// An interview configuration with its questions (in order).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interview {
    pub id: InterviewId,
    #[serde(flatten)]
    pub spec: InterviewSpec,
    pub questions: Vec<Question>,
    pub status: InterviewStatus,
    /// The latest published revision, 0 while never published.
    pub revision: u32,
    pub kiosk_code: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An immutable published snapshot of an interview; sessions run against one of these.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InterviewRevision {
    pub interview_id: InterviewId,
    pub revision: u32,
    pub spec: InterviewSpec,
    pub questions: Vec<Question>,
    pub kiosk_code: String,
    pub published_at: DateTime<Utc>,
}

/// A person interviewed at a kiosk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: CandidateId,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    /// Where the résumé file was kept, if one was given.
    pub resume_file: Option<String>,
    /// Text extracted from the résumé, when extraction succeeded.
    pub resume_text: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Pending,
    InProgress,
    Completed,
    Abandoned,
}
text_enum!(SessionStatus, "session status", {
    Pending => "pending", InProgress => "in_progress", Completed => "completed", Abandoned => "abandoned"
});

/// One sitting of one candidate for one interview revision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub id: SessionId,
    pub interview_id: InterviewId,
    pub revision: u32,
    pub candidate_id: CandidateId,
    pub status: SessionStatus,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// The question being asked or answered now, if any.
    pub current_question: Option<AskedQuestion>,
    /// Why the session ended (time up, all presets done, closed by an admin, …).
    pub end_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    Preset,
    FollowUp,
    Resume,
}
text_enum!(QuestionType, "question type", {
    Preset => "preset", FollowUp => "follow_up", Resume => "resume"
});

/// A question as put to the candidate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AskedQuestion {
    /// 1-based position in the session.
    pub number: u32,
    pub question_type: QuestionType,
    /// For presets and their follow-ups: which preset (0-based).
    pub preset_index: Option<u32>,
    pub text: String,
    /// The answer time the engine allowed.
    pub allotted_seconds: u32,
}

/// The longest answer accepted, typed or transcribed, in characters. Ten minutes of fast
/// speech is about 10,000 characters; a typed answer longer than this is a paste, not an
/// answer, and would bloat the store, the reports and every sync.
pub const MAX_ANSWER_CHARS: usize = 20_000;

/// A committed answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub id: ResponseId,
    pub session_id: SessionId,
    #[serde(flatten)]
    pub question: AskedQuestion,
    pub transcript: String,
    pub audio_path: Option<String>,
    pub answer_started_at: DateTime<Utc>,
    pub answered_at: DateTime<Utc>,
    /// Time the candidate held the floor, capped to the allotted time.
    pub answer_seconds: f64,
    pub timed_out: bool,
}

/// The candidate's consent, recorded before any microphone opens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsentRecord {
    pub id: ConsentId,
    pub candidate_id: CandidateId,
    pub session_id: SessionId,
    /// Which version of the notice the candidate saw.
    pub notice_version: String,
    pub granted_at: DateTime<Utc>,
}

/// One recorded action (admin actions, session life-cycle, brain corrections).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub id: AuditId,
    pub at: DateTime<Utc>,
    /// Who acted: a user id, `kiosk` or `cli`.
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_is_its_code_in_json_and_a_spec_without_one_is_english() {
        assert_eq!(
            serde_json::to_string(&Language::German).expect("json"),
            "\"de\""
        );
        assert_eq!("FR".parse::<Language>().expect("parse"), Language::French);
        assert!("xx".parse::<Language>().is_err());
        let older = r#"{"job_role": "Dev", "job_description": "", "difficulty": "easy",
            "focus_areas": [], "time_limit_minutes": 10, "avatar": "ada",
            "num_questions": 2, "max_follow_ups_per_preset": 1}"#;
        let spec: InterviewSpec = serde_json::from_str(older).expect("older spec");
        assert_eq!(spec.language, Language::English);
        let unknown = older.replace("\"avatar\"", "\"language\": \"xx\", \"avatar\"");
        assert!(serde_json::from_str::<InterviewSpec>(&unknown).is_err());
    }

    #[test]
    fn each_language_has_an_espeak_voice_that_speaks_it() {
        for language in Language::ALL {
            assert!(language.is_spoken_by(language.espeak_voice()), "{language}");
        }
        assert!(Language::English.is_spoken_by("en-gb"));
        assert!(Language::English.is_spoken_by("en-us+f3"));
        assert!(!Language::German.is_spoken_by("en-us"));
    }
}
