//! Writing files whole and never replacing one by surprise.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{ExportError, Result};

/// The hidden temporary file beside a destination that a write goes through.
pub(crate) fn partial_path(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    parent(out).join(format!(".{name}.partial"))
}

fn parent(out: &Path) -> &Path {
    out.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Moves a finished temporary file to its destination. Without `overwrite`, an existing
/// destination is an error and stays untouched: the move is a hard link, which fails
/// atomically when the name is taken, where the file system has hard links.
pub(crate) fn persist(tmp: &Path, out: &Path, overwrite: bool) -> Result<()> {
    let result = if overwrite {
        std::fs::rename(tmp, out).map_err(|e| ExportError::io(out, e))
    } else {
        match std::fs::hard_link(tmp, out) {
            Ok(()) => std::fs::remove_file(tmp).map_err(|e| ExportError::io(tmp, e)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Err(ExportError::Exists(out.to_path_buf()))
            }
            // Some file systems (FAT on a USB stick) have no hard links: check, then move.
            Err(_) if out.exists() => Err(ExportError::Exists(out.to_path_buf())),
            Err(_) => std::fs::rename(tmp, out).map_err(|e| ExportError::io(out, e)),
        }
    };
    if result.is_err() {
        let _ = std::fs::remove_file(tmp);
    }
    result
}

/// Writes bytes to a file whole or not at all.
pub(crate) fn write_whole(out: &Path, bytes: &[u8], overwrite: bool) -> Result<()> {
    if !overwrite && out.exists() {
        return Err(ExportError::Exists(out.to_path_buf()));
    }
    let tmp = partial_path(out);
    let write = || -> std::io::Result<()> {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    };
    if let Err(e) = write() {
        let _ = std::fs::remove_file(&tmp);
        return Err(ExportError::io(out, e));
    }
    persist(&tmp, out, overwrite)
}
