//! The capability files give the kiosk window exactly the journey's commands. (The
//! end-to-end test shows the effect in the running app: an admin command called from
//! the kiosk window is refused.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

fn permissions(file: &str) -> (Vec<String>, BTreeSet<String>) {
    let path = format!("{}/capabilities/{file}", env!("CARGO_MANIFEST_DIR"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let windows = json["windows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect();
    let perms = json["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    (windows, perms)
}

fn declared_commands() -> Vec<String> {
    let build =
        std::fs::read_to_string(format!("{}/build.rs", env!("CARGO_MANIFEST_DIR"))).unwrap();
    build
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('"') && l.ends_with("\","))
        .map(|l| l.trim_matches(|c| c == '"' || c == ',').to_string())
        .collect()
}

#[test]
fn the_kiosk_window_has_only_kiosk_commands() {
    let (windows, kiosk) = permissions("kiosk.json");
    assert_eq!(windows, ["kiosk"]);
    let commands = declared_commands();
    assert!(commands.len() > 10, "{commands:?}");
    for c in &commands {
        let perm = format!("allow-{}", c.replace('_', "-"));
        if c.starts_with("admin_") {
            assert!(!kiosk.contains(&perm), "the kiosk window may call {c}");
        } else {
            assert!(kiosk.contains(&perm), "the kiosk window cannot call {c}");
        }
    }
    // Nothing beyond the app's own commands: no core plugins (window, webview, shell…).
    assert!(
        kiosk.iter().all(|p| p.starts_with("allow-kiosk-")),
        "{kiosk:?}"
    );
}

#[test]
fn admin_commands_belong_to_the_admin_window() {
    let (windows, admin) = permissions("admin.json");
    assert_eq!(windows, ["admin"]);
    // Exactly the admin commands build.rs declares: none missing, nothing else (no
    // kiosk journey commands, no core or plugin permissions such as the dialog's).
    let expected: BTreeSet<String> = declared_commands()
        .iter()
        .filter(|c| c.starts_with("admin_"))
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    assert!(expected.len() >= 30, "{expected:?}");
    assert_eq!(admin, expected);
}
