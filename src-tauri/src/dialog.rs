//! The native save dialog (GTK on Linux, through tauri-plugin-dialog).
//!
//! `PANELIST_SAVE_DIALOG_DIR` replaces the dialog with "save under the proposed name in
//! this folder". It exists for the end-to-end test, which cannot click inside a GTK
//! dialog through WebDriver; a kiosk never sets it.

use std::path::PathBuf;

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

/// Asks where to save a file proposed as `name`; `None` when the user cancels.
pub fn save_file(app: &AppHandle, name: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PANELIST_SAVE_DIALOG_DIR") {
        return Some(PathBuf::from(dir).join(name));
    }
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_string());
    let mut dialog = app.dialog().file().set_file_name(name);
    if let Some(ext) = &extension {
        dialog = dialog.add_filter(ext.to_uppercase(), &[ext.as_str()]);
    }
    dialog
        .blocking_save_file()
        .and_then(|path| path.into_path().ok())
}
