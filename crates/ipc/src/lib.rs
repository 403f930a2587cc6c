//! What crosses the IPC boundary between the Rust side and the web UI, whichever window
//! asks: [`UiError`] (with its [`ErrorCode`]), the error every Tauri command of the kiosk
//! and of admin mode returns, and the helpers that write and check the TypeScript the UI
//! is generated from ([`render`], [`check_generated`], [`union`] for an enum that crosses
//! as its serde strings).
//!
//! This crate has no device, database or window dependencies (serde, serde_json and ts-rs only), so
//! a crate that needs the error type does not pull in whisper, cpal or espeak to get it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An error as the UI sees it: a code to branch on and a sentence to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UiError {
    pub code: ErrorCode,
    pub message: String,
    /// For invalid registration input: which field.
    pub field: Option<String>,
}

/// The error codes the UI branches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Invalid,
    NotFound,
    NoMicrophone,
    WrongState,
    WrongPin,
    NoPin,
    Internal,
    /// Admin mode: nobody is signed in.
    Unauthenticated,
    /// Admin mode: the signed-in role may not do this.
    Denied,
    /// Admin mode: a sign-in attempt inside the delay after failed ones.
    Throttled,
    /// The change contradicts the stored state (for example a report already final).
    Conflict,
    /// This kiosk cannot do what is asked (for example hear the interview's language with
    /// its speech model): staff must change the kiosk, not the candidate their input.
    Unsupported,
}

/// A TypeScript union of the JSON strings `values` serialise to, for an enum whose
/// fields carry `#[ts(type = "NAME")]` (`export type NAME = "a" | "b";`).
pub fn union<T: Serialize>(name: &str, values: &[T]) -> String {
    let names: Vec<String> = values
        .iter()
        .map(|v| serde_json::to_string(v).unwrap_or_default())
        .collect();
    format!("export type {name} = {};\n\n", names.join(" | "))
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
    use super::*;

    #[test]
    fn errors_reach_the_ui_as_snake_case_codes_with_an_optional_field() {
        let error = UiError {
            code: ErrorCode::NotFound,
            message: "no interview ABC123".into(),
            field: None,
        };
        assert_eq!(
            serde_json::to_value(&error).expect("json"),
            serde_json::json!({"code": "not_found", "message": "no interview ABC123", "field": null})
        );
        let invalid: UiError = serde_json::from_value(
            serde_json::json!({"code": "wrong_pin", "message": "the PIN is not correct", "field": "pin"}),
        )
        .expect("read back");
        assert_eq!(invalid.code, ErrorCode::WrongPin);
        assert_eq!(invalid.field.as_deref(), Some("pin"));
    }
}
