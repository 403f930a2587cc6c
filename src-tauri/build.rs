//! Declares the app's commands to Tauri so each one gets an `allow-…` permission, and
//! the capabilities in `capabilities/` can give each window exactly the commands it may
//! call.

fn main() {
    let commands: &[&str] = &[
        // Kiosk window.
        "kiosk_view",
        "kiosk_ready",
        "kiosk_interviews",
        "kiosk_find",
        "kiosk_notice",
        "kiosk_consent",
        "kiosk_register",
        "kiosk_mic_check_start",
        "kiosk_mic_check_stop",
        "kiosk_begin",
        "kiosk_speech_finished",
        "kiosk_submit",
        "kiosk_abandon",
        "kiosk_wipe",
        "kiosk_unlock",
        // Admin window only.
        "admin_sessions",
    ];
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(commands));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {e:#}");
    }
}
