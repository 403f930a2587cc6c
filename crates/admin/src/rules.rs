//! The limits and thresholds the UI needs, written from the Rust constants into
//! `ui/src/lib/rules.ts`, so the UI's instant checks and its mocks cannot drift from the
//! rules Rust enforces. `rules_ts_is_fresh` fails when the file is stale;
//! `PANELIST_UPDATE_BINDINGS=1 cargo test --workspace -- rules_ts` rewrites it. What the
//! UI does with them is checked against Rust by the shared cases in
//! `ui/tests/contract/cases.json` (`crates/admin/tests/contract.rs` and
//! `ui/tests/contract.test.ts` run the same cases).

use std::ops::RangeInclusive;

use panelist_core::report::{CONSIDER_FROM, RECOMMEND_FROM, STRONGLY_RECOMMEND_FROM};
use panelist_core::rules as spec;
use serde_json::{json, Value};

fn range<T: Copy + Into<Value>>(r: &RangeInclusive<T>) -> Value {
    json!([(*r.start()).into(), (*r.end()).into()])
}

fn range_usize(r: &RangeInclusive<usize>) -> Value {
    json!([*r.start() as u64, *r.end() as u64])
}

/// Every rule the UI repeats, as one JSON object.
pub fn rules() -> Value {
    json!({
        "candidate": {
            "name_max_chars": panelist_service::MAX_NAME_CHARS,
            "phone_digits": range_usize(&panelist_service::PHONE_DIGITS),
            "resume_max_bytes": panelist_resume::MAX_RESUME_BYTES,
            "answer_max_chars": panelist_core::MAX_ANSWER_CHARS,
        },
        "staff": {
            "password_min_chars": crate::MIN_PASSWORD_CHARS,
            "full_name_max_chars": crate::MAX_FULL_NAME_CHARS,
        },
        "pin_digits": range_usize(&panelist_settings::PIN_DIGITS),
        "spec": {
            "time_limit_minutes": range(&spec::TIME_LIMIT_MINUTES),
            "num_questions": range(&spec::NUM_QUESTIONS),
            "max_follow_ups_per_preset": [0, spec::MAX_FOLLOW_UPS_PER_PRESET],
            "job_role_max_chars": spec::MAX_JOB_ROLE_CHARS,
            "question_max_chars": spec::MAX_QUESTION_CHARS,
        },
        "settings": {
            "idle_timeout_seconds": range(&panelist_settings::IDLE_TIMEOUT_SECONDS),
            "admin_idle_seconds": range(&panelist_settings::ADMIN_IDLE_SECONDS),
            "rate_wpm": range(&panelist_settings::RATE_WPM),
            "end_silence_seconds": range(&panelist_settings::END_SILENCE_SECONDS),
            "end_grace_seconds": range(&panelist_settings::END_GRACE_SECONDS),
            "retention_days": range(&panelist_service::RETENTION_DAYS),
        },
        "recommendation_from": {
            "Strongly Recommend": STRONGLY_RECOMMEND_FROM,
            "Recommend": RECOMMEND_FROM,
            "Consider": CONSIDER_FROM,
        },
    })
}

/// The whole `ui/src/lib/rules.ts`.
pub fn typescript() -> String {
    let body = serde_json::to_string_pretty(&rules()).unwrap_or_default();
    format!(
        "// Generated from the Rust constants by crates/admin/src/rules.rs. Do not edit by hand:\n\
         // run `PANELIST_UPDATE_BINDINGS=1 cargo test --workspace -- rules_ts` instead.\n\n\
         export const RULES = {body} as const;\n"
    )
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    #[test]
    fn rules_ts_is_fresh() {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/rules.ts");
        let checked = panelist_ipc::check_generated(&path, &super::typescript(), "rules_ts");
        assert_eq!(checked, Ok(()));
    }

    #[test]
    fn the_rules_name_the_enforced_values() {
        let r = super::rules();
        assert_eq!(r["pin_digits"], serde_json::json!([6, 12]));
        assert_eq!(r["recommendation_from"]["Consider"], 45);
        assert_eq!(
            r["settings"]["idle_timeout_seconds"],
            serde_json::json!([30, 3600])
        );
        assert_eq!(
            r["settings"]["end_silence_seconds"],
            serde_json::json!([1.5, 10.0])
        );
    }
}
