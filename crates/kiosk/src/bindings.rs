//! TypeScript declarations of the UI-facing types, generated from [`crate::dto`] with
//! ts-rs. `ui/src/lib/bindings.ts` holds the output; the test `bindings_are_fresh`
//! fails when it is stale, and `PANELIST_UPDATE_BINDINGS=1 cargo test` rewrites it.

use ts_rs::TS;

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
    render(
        String::from(
            "// Generated from crates/kiosk/src/dto.rs by ts-rs. Do not edit by hand:\n// run `PANELIST_UPDATE_BINDINGS=1 cargo test -p panelist-kiosk bindings` instead.\n\n",
        ),
        decls,
    )
}

/// A bindings file: `head`, then each declaration exported, one blank line apart.
pub fn render(mut head: String, decls: impl IntoIterator<Item = String>) -> String {
    for d in decls {
        head.push_str("export ");
        head.push_str(&d);
        head.push_str("\n\n");
    }
    head.truncate(head.trim_end().len());
    head.push('\n');
    head
}

/// For the tests that keep a generated UI file fresh: the file at `path` must hold
/// `fresh`; with `PANELIST_UPDATE_BINDINGS` set it is rewritten first. The error names the
/// file and the test to run (`refresh`) to bring it up to date.
pub fn check_generated(path: &std::path::Path, fresh: &str, refresh: &str) -> Result<(), String> {
    if std::env::var_os("PANELIST_UPDATE_BINDINGS").is_some() {
        std::fs::write(path, fresh).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if committed == fresh {
        Ok(())
    } else {
        Err(format!(
            "{} is stale: run `PANELIST_UPDATE_BINDINGS=1 cargo test --workspace -- {refresh}`",
            path.display()
        ))
    }
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
}
