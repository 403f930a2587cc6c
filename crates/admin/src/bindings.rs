//! TypeScript declarations of admin mode's UI types, generated from [`crate::dto`] with
//! ts-rs into `ui/src/lib/admin-bindings.ts`. `admin_bindings_are_fresh` fails when the
//! file is stale; `PANELIST_UPDATE_BINDINGS=1 cargo test --workspace -- admin_bindings`
//! rewrites it.

use panelist_core::report::AnswerQuality;
use panelist_core::{
    Difficulty, InterviewStatus, Language, Recommendation, Role, ScoreKey, SessionStatus,
};
use panelist_ipc::union;
use panelist_store::{MutationKind, SyncDirection};
use ts_rs::TS;

use crate::dto::*;

/// The whole bindings file.
pub fn typescript() -> String {
    let cfg = ts_rs::Config::default();
    let mut out = String::from(
        "// Generated from crates/admin/src/dto.rs by ts-rs. Do not edit by hand:\n// run `PANELIST_UPDATE_BINDINGS=1 cargo test --workspace -- admin_bindings` instead.\n\n",
    );
    out.push_str(&union("Role", &[Role::Admin, Role::Recruiter, Role::Hr]));
    out.push_str(&union(
        "Difficulty",
        &[Difficulty::Easy, Difficulty::Medium, Difficulty::Hard],
    ));
    out.push_str(&union(
        "InterviewStatus",
        &[
            InterviewStatus::Draft,
            InterviewStatus::Published,
            InterviewStatus::Archived,
        ],
    ));
    out.push_str(&union(
        "SessionStatus",
        &[
            SessionStatus::Pending,
            SessionStatus::InProgress,
            SessionStatus::Completed,
            SessionStatus::Abandoned,
        ],
    ));
    out.push_str(&union(
        "Recommendation",
        &[
            Recommendation::StronglyRecommend,
            Recommendation::Recommend,
            Recommendation::Consider,
            Recommendation::NotRecommend,
        ],
    ));
    out.push_str(&union("ScoreKey", &ScoreKey::ALL));
    out.push_str(&union("AnswerQuality", &AnswerQuality::ALL));
    out.push_str(&union("Language", Language::ALL));
    // The one list of languages (core's `Language`), for the interview editor's select.
    let languages: Vec<String> = crate::languages()
        .iter()
        .map(|l| format!("  {{ code: {:?}, name: {:?} }}", l.code, l.name))
        .collect();
    out.push_str(&format!(
        "export const LANGUAGES: readonly LanguageOption[] = [\n{},\n];\n\n",
        languages.join(",\n")
    ));
    out.push_str(&union("ExportFormat", &panelist_service::ExportFormat::ALL));
    out.push_str(&union("BrainMode", &panelist_llm::BrainMode::ALL));
    out.push_str(&union("SyncDirection", SyncDirection::ALL));
    out.push_str(&union("MutationKind", &MutationKind::ALL));
    let decls = [
        Account::decl(&cfg),
        AdminStatus::decl(&cfg),
        KeyPointDto::decl(&cfg),
        QuestionDto::decl(&cfg),
        InterviewSpecDto::decl(&cfg),
        LanguageOption::decl(&cfg),
        InterviewSummary::decl(&cfg),
        InterviewDetail::decl(&cfg),
        SessionFilter::decl(&cfg),
        SessionRow::decl(&cfg),
        ScoreAdjustmentView::decl(&cfg),
        ScoreView::decl(&cfg),
        AnswerView::decl(&cfg),
        ReviewView::decl(&cfg),
        ReportView::decl(&cfg),
        ExportResult::decl(&cfg),
        CandidateRow::decl(&cfg),
        ErasureResult::decl(&cfg),
        PurgeResult::decl(&cfg),
        RetentionSettings::decl(&cfg),
        ProviderView::decl(&cfg),
        BrainSettingsView::decl(&cfg),
        panelist_settings::AnswerEnd::decl(&cfg),
        SettingsView::decl(&cfg),
        SettingsForm::decl(&cfg),
        MicTest::decl(&cfg),
        AuditRow::decl(&cfg),
        AuditVerification::decl(&cfg),
        SyncStatus::decl(&cfg),
        SetAsideItem::decl(&cfg),
    ];
    panelist_ipc::render(out, decls)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    #[test]
    fn admin_bindings_are_fresh() {
        let path =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/admin-bindings.ts");
        let checked = panelist_ipc::check_generated(&path, &super::typescript(), "admin_bindings");
        assert_eq!(checked, Ok(()));
    }

    #[test]
    fn the_unions_are_what_core_serialises() {
        let ts = super::typescript();
        assert!(
            ts.contains(r#"export type Role = "admin" | "recruiter" | "hr";"#),
            "{ts}"
        );
        assert!(ts.contains(
            r#"export type SessionStatus = "pending" | "in_progress" | "completed" | "abandoned";"#
        ));
        assert!(ts.contains(r#"export type Recommendation = "Strongly Recommend" | "Recommend" | "Consider" | "Not Recommend";"#));
        assert!(ts.contains(r#"export type Language = "en" | "de" | "fr" | "es";"#));
        assert!(ts.contains(r#"{ code: "de", name: "German" }"#), "{ts}");
        assert!(ts.contains(r#"export type ScoreKey = "communication" | "technical" | "problem_solving" | "overall";"#));
        assert!(ts.contains(
            r#"export type AnswerQuality = "Excellent" | "Good" | "Fair" | "Poor" | "No answer";"#
        ));
        assert!(ts.contains(r#"export type ExportFormat = "pdf" | "csv" | "json";"#));
        assert!(ts.contains(r#"export type BrainMode = "offline" | "llm" | "auto";"#));
        assert!(ts.contains(r#"export type SyncDirection = "push" | "pull";"#));
        assert!(ts.contains(r#"export type MutationKind = "revision" | "session" | "session_update" | "response" | "report" | "review" | "erasure";"#));
        assert!(ts.contains("direction: SyncDirection,"), "{ts}");
        assert!(ts.contains("kind: MutationKind,"), "{ts}");
    }
}
