//! API keys at rest: the OS keychain where there is one, else a file only its owner can
//! read. Keys never go into the SQLite file, the logs or a report.
//!
//! On macOS and Windows the keychain is always there. On Linux the keychain is the Secret
//! Service over D-Bus, which headless machines (kiosks without a desktop session, CI) do
//! not have; there the key goes to `secrets.toml` in the data directory with mode 0600,
//! and a file with wider permissions is refused rather than trusted.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use tracing::{debug, warn};

/// The file that holds keys when no keychain is available.
pub const SECRETS_FILE: &str = "secrets.toml";

/// The keychain service name Panelist's keys are stored under.
const KEYCHAIN_SERVICE: &str = "panelist";

/// Where a key was stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Keychain,
    File,
}

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("cannot use the secrets file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("the secrets file {path} is readable by other users; run `chmod 600 {path}`")]
    TooOpen { path: String },
    #[error("the secrets file {path} is not valid TOML: {message}")]
    Invalid { path: String, message: String },
    #[error("a provider name must be letters, digits, '-' or '_'")]
    BadName,
}

/// Keys by provider name.
#[derive(Clone, Debug)]
pub struct SecretStore {
    file: PathBuf,
    keychain: bool,
}

impl SecretStore {
    /// The keychain first, then the 0600 file in `data_dir`. `PANELIST_KEYCHAIN=off`
    /// skips the keychain (for machines where probing it is slow or unwanted).
    pub fn new(data_dir: &Path) -> Self {
        let keychain = std::env::var("PANELIST_KEYCHAIN").map_or(true, |v| v != "off");
        Self {
            file: data_dir.join(SECRETS_FILE),
            keychain,
        }
    }

    /// Only the file: tests, and machines known to have no keychain.
    pub fn file_only(data_dir: &Path) -> Self {
        Self {
            file: data_dir.join(SECRETS_FILE),
            keychain: false,
        }
    }

    pub fn file_path(&self) -> &Path {
        &self.file
    }

    /// The key stored for a provider, if any.
    pub fn get(&self, provider: &str) -> Result<Option<String>, SecretError> {
        check_name(provider)?;
        if self.keychain {
            if let Some(key) = keychain_get(provider) {
                return Ok(Some(key));
            }
        }
        Ok(self.read_file()?.remove(provider))
    }

    /// Stores a provider's key: in the keychain when one answers, else in the file.
    pub fn set(&self, provider: &str, key: &str) -> Result<Backend, SecretError> {
        check_name(provider)?;
        if self.keychain && keychain_set(provider, key) {
            return Ok(Backend::Keychain);
        }
        let mut all = self.read_file()?;
        all.insert(provider.to_string(), key.trim().to_string());
        self.write_file(&all)?;
        Ok(Backend::File)
    }

    /// Forgets a provider's key wherever it is.
    pub fn remove(&self, provider: &str) -> Result<(), SecretError> {
        check_name(provider)?;
        if self.keychain {
            if let Ok(entry) = keyring::Entry::new(KEYCHAIN_SERVICE, provider) {
                // A missing entry or an absent keychain both mean there is nothing to remove.
                let _ = entry.delete_credential();
            }
        }
        let mut all = self.read_file()?;
        if all.remove(provider).is_some() {
            self.write_file(&all)?;
        }
        Ok(())
    }

    fn io_error(&self, source: std::io::Error) -> SecretError {
        SecretError::Io {
            path: self.file.display().to_string(),
            source,
        }
    }

    fn read_file(&self) -> Result<BTreeMap<String, String>, SecretError> {
        let text = match std::fs::read_to_string(&self.file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
            Err(e) => return Err(self.io_error(e)),
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&self.file)
                .map_err(|e| self.io_error(e))?
                .permissions()
                .mode();
            if mode & 0o077 != 0 {
                return Err(SecretError::TooOpen {
                    path: self.file.display().to_string(),
                });
            }
        }
        toml::from_str(&text).map_err(|e| SecretError::Invalid {
            path: self.file.display().to_string(),
            message: e.message().to_string(),
        })
    }

    /// Writes the whole file through a temporary file created 0600, so the keys are
    /// never readable by others, not even for a moment, and a crash leaves the old file.
    fn write_file(&self, all: &BTreeMap<String, String>) -> Result<(), SecretError> {
        let dir = self.file.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| self.io_error(e))?;
        let text = toml::to_string(all).map_err(|e| SecretError::Invalid {
            path: self.file.display().to_string(),
            message: e.to_string(),
        })?;
        let tmp = self.file.with_extension("toml.tmp");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp).map_err(|e| self.io_error(e))?;
        #[cfg(unix)]
        {
            // A leftover temporary file may predate this run with other permissions.
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(|e| self.io_error(e))?;
        }
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| self.io_error(e))?;
        std::fs::rename(&tmp, &self.file).map_err(|e| self.io_error(e))
    }
}

fn check_name(provider: &str) -> Result<(), SecretError> {
    let ok = !provider.is_empty()
        && provider
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(SecretError::BadName)
    }
}

fn keychain_get(provider: &str) -> Option<String> {
    let entry = keyring::Entry::new(KEYCHAIN_SERVICE, provider).ok()?;
    match entry.get_password() {
        Ok(key) => Some(key),
        Err(keyring::Error::NoEntry) => None,
        Err(e) => {
            debug!(provider, error = %e, "no keychain available; using the secrets file");
            None
        }
    }
}

fn keychain_set(provider: &str, key: &str) -> bool {
    let result = keyring::Entry::new(KEYCHAIN_SERVICE, provider)
        .and_then(|entry| entry.set_password(key.trim()));
    match result {
        Ok(()) => true,
        Err(e) => {
            warn!(provider, error = %e, "no keychain available; storing the key in a 0600 file");
            false
        }
    }
}
