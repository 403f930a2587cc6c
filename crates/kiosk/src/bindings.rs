//! TypeScript declarations of the UI-facing types, generated from [`crate::dto`] with
//! ts-rs. `ui/src/lib/bindings.ts` holds the output; the test `bindings_are_fresh`
//! fails when it is stale, and `PANELIST_UPDATE_BINDINGS=1 cargo test` rewrites it.

use ts_rs::TS;

pub use panelist_ipc::{check_generated, render, union};

use crate::dto::*;

/// The whole bindings file.
pub fn typescript() -> String {
    let cfg = ts_rs::Config::default();
    let decls = [
        InterviewCard::decl(&cfg),
        AvatarLook::decl(&cfg),
        ConsentNotice::decl(&cfg),
        NoticeSection::decl(&cfg),
        RegistrationForm::decl(&cfg),
        ResumeUpload::decl(&cfg),
        Registered::decl(&cfg),
        FieldProblem::decl(&cfg),
        MicCheck::decl(&cfg),
        MouthShape::decl(&cfg),
        VisemeCue::decl(&cfg),
        SpeechClip::decl(&cfg),
        QuestionKind::decl(&cfg),
        QuestionView::decl(&cfg),
        AnswerMode::decl(&cfg),
        AnswerStarted::decl(&cfg),
        Step::decl(&cfg),
        SavedAnswer::decl(&cfg),
        TurnStages::decl(&cfg),
        KioskEvent::decl(&cfg),
        AnswerEnd::decl(&cfg),
        KioskView::decl(&cfg),
        UiError::decl(&cfg),
        ErrorCode::decl(&cfg),
    ];
    let mut head = String::from(
        "// Generated from crates/kiosk/src/dto.rs by ts-rs. Do not edit by hand:\n// run `PANELIST_UPDATE_BINDINGS=1 cargo test -p panelist-kiosk bindings` instead.\n\n",
    );
    head.push_str(&union("Difficulty", Difficulty::ALL));
    render(head, decls)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn bindings_are_fresh() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings.ts");
        let checked = super::check_generated(&path, &super::typescript(), "bindings_are_fresh");
        assert_eq!(checked, Ok(()));
    }

    #[test]
    fn the_difficulty_is_a_union_of_what_core_serialises() {
        let ts = super::typescript();
        assert!(ts.contains(r#"export type Difficulty = "easy" | "medium" | "hard";"#));
        assert!(ts.contains("difficulty: Difficulty,"), "{ts}");
    }
}
