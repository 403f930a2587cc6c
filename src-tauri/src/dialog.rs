//! The native save dialog (GTK on Linux, through tauri-plugin-dialog). The end-to-end
//! test answers it with xdotool, as a person would.

use std::path::PathBuf;

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

/// Asks where to save a file proposed as `name`; `None` when the user cancels.
pub fn save_file(app: &AppHandle, name: &str) -> Option<PathBuf> {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_string());
    let mut dialog = app.dialog().file().set_file_name(name);
    if let Some(ext) = &extension {
        dialog = dialog.add_filter(ext.to_uppercase(), &[ext.as_str()]);
    }
    dialog
        .blocking_save_file()
        .and_then(|path| path.into_path().ok())
}
