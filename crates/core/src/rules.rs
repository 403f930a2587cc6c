//! The rules an interview configuration must follow, in one place: the service (admin
//! mode, the CLI) and the server (its own API and what kiosks push) both call them, so a
//! spec one side refuses cannot reach the other through sync.
//!
//! Pure functions: randomness for kiosk codes is handed in by the caller.

use crate::domain::{InterviewSpec, Question};

/// Why a spec, a question list or a kiosk code is not acceptable, for people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RuleError(pub String);

/// The time limit, in minutes.
pub const TIME_LIMIT_MINUTES: std::ops::RangeInclusive<u32> = 1..=180;
/// The number of preset questions.
pub const NUM_QUESTIONS: std::ops::RangeInclusive<u32> = 1..=30;
/// Follow-ups the engine may ask after one preset question.
pub const MAX_FOLLOW_UPS_PER_PRESET: u32 = 5;
/// The job role, in characters.
pub const MAX_JOB_ROLE_CHARS: usize = 200;
/// The job description, in characters.
pub const MAX_JOB_DESCRIPTION_CHARS: usize = 20_000;
/// Focus areas, and the characters of each.
pub const MAX_FOCUS_AREAS: usize = 20;
pub const MAX_FOCUS_AREA_CHARS: usize = 100;
/// The avatar's name, in characters.
pub const MAX_AVATAR_CHARS: usize = 64;
/// The most questions an interview has, and the characters of one.
pub const MAX_QUESTIONS: usize = 30;
pub const MAX_QUESTION_CHARS: usize = 600;
/// Key points, follow-up prompts and tags per question, and the characters of each.
pub const MAX_ITEMS_PER_QUESTION: usize = 30;
pub const MAX_ITEM_CHARS: usize = 600;

/// Letters and digits that cannot be confused when read aloud or typed (no 0/O, 1/I/L).
pub const KIOSK_CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// A kiosk code's length.
pub const KIOSK_CODE_LEN: usize = 6;

/// Checks an interview's form.
pub fn validate_spec(spec: &InterviewSpec) -> Result<(), RuleError> {
    let fail = |m: String| Err(RuleError(m));
    let role_chars = spec.job_role.trim().chars().count();
    if role_chars == 0 {
        return fail("the job role is empty".into());
    }
    if role_chars > MAX_JOB_ROLE_CHARS {
        return fail(format!(
            "the job role must be at most {MAX_JOB_ROLE_CHARS} characters"
        ));
    }
    if spec.job_description.chars().count() > MAX_JOB_DESCRIPTION_CHARS {
        return fail(format!(
            "the job description must be at most {MAX_JOB_DESCRIPTION_CHARS} characters"
        ));
    }
    if !TIME_LIMIT_MINUTES.contains(&spec.time_limit_minutes) {
        return fail(format!(
            "the time limit must be 1-180 minutes, not {}",
            spec.time_limit_minutes
        ));
    }
    if !NUM_QUESTIONS.contains(&spec.num_questions) {
        return fail(format!(
            "the number of questions must be 1-30, not {}",
            spec.num_questions
        ));
    }
    if spec.max_follow_ups_per_preset > MAX_FOLLOW_UPS_PER_PRESET {
        return fail(format!(
            "at most {MAX_FOLLOW_UPS_PER_PRESET} follow-ups per question"
        ));
    }
    if spec.focus_areas.len() > MAX_FOCUS_AREAS
        || spec
            .focus_areas
            .iter()
            .any(|f| f.chars().count() > MAX_FOCUS_AREA_CHARS)
    {
        return fail(format!(
            "at most {MAX_FOCUS_AREAS} focus areas of at most {MAX_FOCUS_AREA_CHARS} characters"
        ));
    }
    if spec.avatar.chars().count() > MAX_AVATAR_CHARS {
        return fail(format!(
            "the avatar name must be at most {MAX_AVATAR_CHARS} characters"
        ));
    }
    Ok(())
}

/// Checks an interview's questions as they will be stored (already trimmed).
pub fn validate_questions(questions: &[Question]) -> Result<(), RuleError> {
    if questions.is_empty() {
        return Err(RuleError("an interview needs at least one question".into()));
    }
    if questions.len() > MAX_QUESTIONS {
        return Err(RuleError(format!(
            "an interview has at most {MAX_QUESTIONS} questions"
        )));
    }
    for (i, q) in questions.iter().enumerate() {
        let n = i + 1;
        if q.text.trim().is_empty() {
            return Err(RuleError(format!("question {n} is empty")));
        }
        if q.text.chars().count() > MAX_QUESTION_CHARS {
            return Err(RuleError(format!(
                "question {n} is longer than {MAX_QUESTION_CHARS} characters"
            )));
        }
        let items = q
            .tags
            .iter()
            .chain(&q.follow_ups)
            .chain(q.key_points.iter().map(|k| &k.label))
            .chain(q.key_points.iter().flat_map(|k| &k.terms))
            .chain(&q.source);
        let mut count = 0usize;
        for item in items {
            count += 1;
            if item.chars().count() > MAX_ITEM_CHARS {
                return Err(RuleError(format!(
                    "question {n} has a tag, key point or follow-up longer than {MAX_ITEM_CHARS} characters"
                )));
            }
        }
        if q.tags.len() > MAX_ITEMS_PER_QUESTION
            || q.follow_ups.len() > MAX_ITEMS_PER_QUESTION
            || q.key_points.len() > MAX_ITEMS_PER_QUESTION
            || count > 4 * MAX_ITEMS_PER_QUESTION * MAX_ITEMS_PER_QUESTION
        {
            return Err(RuleError(format!(
                "question {n} has more than {MAX_ITEMS_PER_QUESTION} tags, key points or follow-ups"
            )));
        }
    }
    Ok(())
}

/// A kiosk code from random bits (the caller supplies them: this crate does no I/O).
pub fn kiosk_code_from(random: u64) -> String {
    let mut n = random;
    let base = KIOSK_CODE_ALPHABET.len() as u64;
    (0..KIOSK_CODE_LEN)
        .map(|_| {
            let c = KIOSK_CODE_ALPHABET[(n % base) as usize] as char;
            n /= base;
            c
        })
        .collect()
}

/// Whether `code` is a kiosk code as `kiosk_code_from` makes them (case does not matter:
/// codes are typed on a kiosk and compared without case).
pub fn is_kiosk_code(code: &str) -> bool {
    code.len() == KIOSK_CODE_LEN
        && code
            .bytes()
            .all(|b| KIOSK_CODE_ALPHABET.contains(&b.to_ascii_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Difficulty, KeyPoint};

    fn spec() -> InterviewSpec {
        InterviewSpec {
            job_role: "Data Scientist".into(),
            job_description: "Models.".into(),
            difficulty: Difficulty::Medium,
            focus_areas: vec!["ML".into()],
            time_limit_minutes: 10,
            avatar: "ada".into(),
            num_questions: 3,
            max_follow_ups_per_preset: 1,
            language: Default::default(),
        }
    }

    #[test]
    fn a_spec_outside_the_limits_is_refused() {
        assert_eq!(validate_spec(&spec()), Ok(()));
        type Change = fn(&mut InterviewSpec);
        let cases: Vec<(Change, &str)> = vec![
            (|s| s.time_limit_minutes = 0, "time limit"),
            (|s| s.time_limit_minutes = 181, "time limit"),
            (|s| s.num_questions = 0, "number of questions"),
            (|s| s.num_questions = 31, "number of questions"),
            (|s| s.max_follow_ups_per_preset = 6, "follow-ups"),
            (|s| s.job_role = "  ".into(), "job role"),
            (|s| s.job_role = "r".repeat(201), "job role"),
            (|s| s.job_description = "d".repeat(20_001), "description"),
            (|s| s.focus_areas = vec!["x".into(); 21], "focus areas"),
            (|s| s.avatar = "a".repeat(65), "avatar"),
        ];
        for (change, what) in cases {
            let mut s = spec();
            change(&mut s);
            let err = validate_spec(&s).expect_err(what);
            assert!(err.0.contains(what), "{what}: {err}");
        }
    }

    #[test]
    fn questions_are_bounded() {
        let q = |text: &str| Question {
            text: text.into(),
            tags: vec![],
            key_points: vec![KeyPoint {
                label: "k".into(),
                terms: vec!["t".into()],
            }],
            follow_ups: vec![],
            source: None,
        };
        assert_eq!(validate_questions(&[q("Why?")]), Ok(()));
        assert!(validate_questions(&[]).is_err());
        assert!(validate_questions(&[q(" ")]).is_err());
        assert!(validate_questions(&[q(&"x".repeat(601))]).is_err());
        assert!(validate_questions(&vec![q("Why?"); 31]).is_err());
        let mut long_term = q("Why?");
        long_term.key_points[0].terms = vec!["t".repeat(601)];
        assert!(validate_questions(&[long_term]).is_err());
        let mut many = q("Why?");
        many.follow_ups = vec!["f".into(); 31];
        assert!(validate_questions(&[many]).is_err());
    }

    #[test]
    fn kiosk_codes_use_the_alphabet_and_are_recognised() {
        for seed in [0u64, 1, 42, u64::MAX, 0xdead_beef_cafe] {
            let code = kiosk_code_from(seed);
            assert!(is_kiosk_code(&code), "{code}");
            assert!(is_kiosk_code(&code.to_ascii_lowercase()));
        }
        assert_ne!(kiosk_code_from(1), kiosk_code_from(2));
        for bad in [
            "", "ABCDE", "ABCDEFG", "ABCDE0", "ABCDEI", "ABC DE", "ÄBCDEF",
        ] {
            assert!(!is_kiosk_code(bad), "{bad}");
        }
    }
}
