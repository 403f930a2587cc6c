//! The kiosk window and its lock: fullscreen, no decorations, navigation only inside
//! the app, no devtools in release builds.

use tauri::{AppHandle, WebviewUrl, WebviewWindowBuilder};

/// Only the app's own pages may load: the custom protocol that serves the built UI.
pub fn is_app_url(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    }
}

pub fn open_kiosk_window(app: &AppHandle) -> tauri::Result<()> {
    // `PANELIST_KIOSK_WINDOWED=1` is for development on a desktop; a kiosk never sets it.
    let windowed = std::env::var_os("PANELIST_KIOSK_WINDOWED").is_some();
    WebviewWindowBuilder::new(app, "kiosk", WebviewUrl::App("index.html".into()))
        .title("Panelist")
        .fullscreen(!windowed)
        .decorations(windowed)
        .resizable(windowed)
        .inner_size(1280.0, 800.0)
        .on_navigation(|url| {
            let allowed = is_app_url(url);
            if !allowed {
                tracing::warn!("blocked navigation to {url}");
            }
            allowed
        })
        .build()?;
    Ok(())
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
