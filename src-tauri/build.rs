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
        "kiosk_repeat_question",
        "kiosk_repeat_finished",
        "kiosk_abandon",
        "kiosk_wipe",
        "kiosk_unlock",
        // Admin window only (every one also checks the signed-in role in Rust).
        "admin_status",
        "admin_activity",
        "admin_first_admin",
        "admin_login",
        "admin_logout",
        "admin_leave",
        "admin_users",
        "admin_user_create",
        "admin_interviews",
        "admin_interview",
        "admin_interview_create",
        "admin_interview_generate",
        "admin_interview_save",
        "admin_interview_publish",
        "admin_interview_archive",
        "admin_interview_duplicate",
        "admin_speak",
        "admin_sessions",
        "admin_report",
        "admin_session_close",
        "admin_answer_audio",
        "admin_review",
        "admin_adjust_score",
        "admin_export",
        "admin_candidates",
        "admin_erase_candidate",
        "admin_purge_now",
        "admin_settings",
        "admin_settings_save",
        "admin_set_pin",
        "admin_provider_key_set",
        "admin_provider_key_remove",
        "admin_mic_test",
        "admin_backup",
        "admin_audit",
        "admin_audit_verify",
        "admin_sync_status",
        "admin_sync_now",
    ];
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(commands));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {e:#}");
    }
}
