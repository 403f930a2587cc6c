//! The kiosk window and its lock: fullscreen, no decorations, navigation only inside
//! the app, no devtools in release builds.

use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder};

/// The window labels; capabilities name them (`capabilities/*.json`).
pub const KIOSK: &str = "kiosk";
pub const ADMIN: &str = "admin";

/// Only the app's own pages may load: the custom protocol that serves the built UI.
pub fn is_app_url(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    }
}

/// The navigation filter of both windows: the app's own pages, nothing else.
fn allow_navigation(url: &tauri::Url) -> bool {
    let allowed = is_app_url(url);
    if !allowed {
        tracing::warn!("blocked navigation to {url}");
    }
    allowed
}

/// The web inspector: never in a release build (the `devtools` feature is off), and in a
/// debug build only when a developer asks with `PANELIST_DEVTOOLS=1`, so the tests' debug
/// build is locked like the kiosk's.
fn devtools_allowed() -> bool {
    cfg!(debug_assertions) && std::env::var_os("PANELIST_DEVTOOLS").is_some()
}

pub fn open_kiosk_window(app: &AppHandle) -> tauri::Result<()> {
    // `PANELIST_KIOSK_WINDOWED=1` is for development on a desktop; a kiosk never sets it.
    let windowed = std::env::var_os("PANELIST_KIOSK_WINDOWED").is_some();
    WebviewWindowBuilder::new(app, KIOSK, WebviewUrl::App("index.html".into()))
        .title("Panelist")
        .fullscreen(!windowed)
        .decorations(windowed)
        .resizable(windowed)
        .inner_size(1280.0, 800.0)
        .devtools(devtools_allowed())
        .on_navigation(allow_navigation)
        .build()?;
    Ok(())
}

/// The admin window: the same UI bundle, which shows admin mode for this label. Over a
/// kiosk it covers the screen like the kiosk did.
pub fn open_admin_window(app: &AppHandle, fullscreen: bool) -> tauri::Result<()> {
    if let Some(w) = app.get_webview_window(ADMIN) {
        return w.set_focus();
    }
    WebviewWindowBuilder::new(app, ADMIN, WebviewUrl::App("index.html".into()))
        .title("Panelist admin")
        .fullscreen(fullscreen)
        .inner_size(1280.0, 800.0)
        .devtools(devtools_allowed())
        .on_navigation(allow_navigation)
        .build()?;
    Ok(())
}

/// After the PIN: the admin window opens and the kiosk window is hidden behind it.
pub fn enter_admin_mode(app: &AppHandle) -> tauri::Result<()> {
    let windowed = std::env::var_os("PANELIST_KIOSK_WINDOWED").is_some();
    open_admin_window(app, !windowed)?;
    if let Some(kiosk) = app.get_webview_window(KIOSK) {
        kiosk.hide()?;
    }
    Ok(())
}

/// Leaving admin mode restarts the app on the kiosk (settings changed in admin mode
/// apply, and the kiosk starts clean on Welcome); admin-only mode just quits.
pub fn leave_admin_mode(app: &AppHandle, admin_only: bool) {
    if admin_only {
        app.exit(0);
    } else {
        app.restart();
    }
}

#[cfg(test)]
mod tests {
    use super::is_app_url;

    #[test]
    fn only_the_app_may_be_navigated_to() {
        let ok = ["tauri://localhost/index.html", "http://tauri.localhost/"];
        let blocked = [
            "https://example.com/",
            "http://localhost:5173/",
            "file:///etc/passwd",
            "http://tauri.localhost.evil.com/",
            "javascript:alert(1)",
        ];
        for u in ok {
            assert!(is_app_url(&u.parse().expect("url")), "{u}");
        }
        for u in blocked {
            assert!(!is_app_url(&u.parse().expect("url")), "{u}");
        }
    }
}
