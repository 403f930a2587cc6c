//! Exporting one report or many: to a file, into a folder, or into one zip file.
//!
//! PDFs are typeset on every core (they are the slow part); files are named by date,
//! candidate and session so they sort and never collide; every destination is checked
//! before anything is written, so an export that would replace a file stops at once.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use chrono::{Datelike, Timelike};
use panelist_core::SessionId;
use serde::{Deserialize, Serialize};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::files::{partial_path, persist, write_whole};
use crate::{item_json, write_csv, ExportError, ExportItem, Paper, Result};

/// The file format of an export. It crosses to the UI and back by its extension
/// (`"pdf"`, `"csv"`, `"json"`), never as free text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Csv,
    Json,
}

impl Format {
    /// Every format, in the order the UI offers them.
    pub const ALL: [Format; 3] = [Format::Pdf, Format::Csv, Format::Json];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.extension())
    }
}

/// A format name that is none of [`Format::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format {0:?}: pdf, csv or json")]
pub struct UnknownFormat(pub String);

impl std::str::FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.extension() == s)
            .ok_or_else(|| UnknownFormat(s.to_string()))
    }
}

/// How to export.
#[derive(Clone, Copy, Debug)]
pub struct ExportOptions {
    pub format: Format,
    pub paper: Paper,
    /// Start CSV files with a UTF-8 byte-order mark (for spreadsheet apps that need one).
    pub csv_bom: bool,
    /// Replace existing files. Off by default: an existing file is an error.
    pub overwrite: bool,
}

impl ExportOptions {
    pub fn new(format: Format) -> Self {
        Self {
            format,
            paper: Paper::A4,
            csv_bom: false,
            overwrite: false,
        }
    }
}

/// Where a bulk export goes.
#[derive(Clone, Debug)]
pub enum Destination {
    /// A folder (created if missing) with one file per report, or one CSV.
    Dir(PathBuf),
    /// One zip file holding what the folder would.
    Zip(PathBuf),
}

/// What an export wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportSummary {
    /// Files written (for a zip: the zip file, then its entry names).
    pub files: Vec<PathBuf>,
    /// The files on disk and whose reports each holds: one per report in a folder of
    /// PDFs or JSON files; the one CSV, or the zip, holds them all.
    pub written: Vec<WrittenFile>,
    pub reports: usize,
    pub bytes: u64,
}

/// A file an export wrote on disk, with the sessions whose reports are in it.
#[derive(Clone, Debug, PartialEq)]
pub struct WrittenFile {
    pub path: PathBuf,
    pub sessions: Vec<SessionId>,
}

impl WrittenFile {
    /// A file that holds every item's report (a CSV, a zip).
    fn holding_all(path: &Path, items: &[ExportItem]) -> Self {
        Self {
            path: path.to_path_buf(),
            sessions: items.iter().map(|i| i.report.session_id).collect(),
        }
    }
}

/// The name of the CSV file of a bulk export.
pub const CSV_FILE_NAME: &str = "reports.csv";

fn render(item: &ExportItem, options: &ExportOptions) -> Result<Vec<u8>> {
    match options.format {
        Format::Pdf => crate::render_pdf(item, options.paper),
        Format::Json => item_json(item),
        Format::Csv => {
            let mut bytes = Vec::new();
            write_csv(std::slice::from_ref(item), options.csv_bom, &mut bytes)?;
            Ok(bytes)
        }
    }
}

/// Exports one report to a file; returns the number of bytes written.
pub fn export_one(item: &ExportItem, options: &ExportOptions, out: &Path) -> Result<u64> {
    if !options.overwrite && out.exists() {
        return Err(ExportError::Exists(out.to_path_buf()));
    }
    let bytes = render(item, options)?;
    write_whole(out, &bytes, options.overwrite)?;
    Ok(bytes.len() as u64)
}

/// Exports many reports: one file each (PDF, JSON) or one CSV with a row each.
pub fn export_bulk(
    items: &[ExportItem],
    options: &ExportOptions,
    destination: &Destination,
) -> Result<ExportSummary> {
    if items.is_empty() {
        return Err(ExportError::Empty);
    }
    let names: Vec<String> = match options.format {
        Format::Csv => vec![CSV_FILE_NAME.to_string()],
        f => items
            .iter()
            .map(|i| format!("{}.{}", i.file_stem(), f.extension()))
            .collect(),
    };
    match destination {
        Destination::Dir(dir) => to_dir(items, options, dir, &names),
        Destination::Zip(zip) => to_zip(items, options, zip, &names),
    }
}

fn csv_bytes(items: &[ExportItem], options: &ExportOptions) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    write_csv(items, options.csv_bom, &mut bytes)?;
    Ok(bytes)
}

fn to_dir(
    items: &[ExportItem],
    options: &ExportOptions,
    dir: &Path,
    names: &[String],
) -> Result<ExportSummary> {
    std::fs::create_dir_all(dir).map_err(|e| ExportError::io(dir, e))?;
    let paths: Vec<PathBuf> = names.iter().map(|n| dir.join(n)).collect();
    if !options.overwrite {
        if let Some(taken) = paths.iter().find(|p| p.exists()) {
            return Err(ExportError::Exists(taken.clone()));
        }
    }
    let bytes = if options.format == Format::Csv {
        let bytes = csv_bytes(items, options)?;
        write_whole(&paths[0], &bytes, options.overwrite)?;
        bytes.len() as u64
    } else {
        let total = AtomicUsize::new(0);
        render_parallel(items, options, |index, bytes| {
            write_whole(&paths[index], &bytes, options.overwrite)?;
            total.fetch_add(bytes.len(), Ordering::Relaxed);
            Ok(())
        })?;
        total.into_inner() as u64
    };
    let written = if options.format == Format::Csv {
        vec![WrittenFile::holding_all(&paths[0], items)]
    } else {
        paths
            .iter()
            .zip(items)
            .map(|(path, item)| WrittenFile {
                path: path.clone(),
                sessions: vec![item.report.session_id],
            })
            .collect()
    };
    Ok(ExportSummary {
        files: paths,
        written,
        reports: items.len(),
        bytes,
    })
}

fn to_zip(
    items: &[ExportItem],
    options: &ExportOptions,
    zip_path: &Path,
    names: &[String],
) -> Result<ExportSummary> {
    if !options.overwrite && zip_path.exists() {
        return Err(ExportError::Exists(zip_path.to_path_buf()));
    }
    if let Some(dir) = zip_path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| ExportError::io(dir, e))?;
    }
    let tmp = partial_path(zip_path);
    let file = File::create(&tmp).map_err(|e| ExportError::io(&tmp, e))?;
    let mut zip = ZipWriter::new(file);
    // PDFs are compressed inside already; text formats shrink well.
    let method = match options.format {
        Format::Pdf => CompressionMethod::Stored,
        _ => CompressionMethod::Deflated,
    };
    let entry_options = |item: &ExportItem| {
        let at = item.date();
        let mut o = SimpleFileOptions::default().compression_method(method);
        if let Ok(t) = zip::DateTime::from_date_and_time(
            u16::try_from(at.year()).unwrap_or(1980),
            at.month() as u8,
            at.day() as u8,
            at.hour() as u8,
            at.minute() as u8,
            at.second() as u8,
        ) {
            o = o.last_modified_time(t);
        }
        o
    };
    let mut bytes = 0u64;
    let result = (|| -> Result<()> {
        if options.format == Format::Csv {
            let csv = csv_bytes(items, options)?;
            zip.start_file(names[0].as_str(), entry_options(&items[0]))?;
            std::io::Write::write_all(&mut zip, &csv).map_err(|e| ExportError::io(zip_path, e))?;
            bytes = csv.len() as u64;
            return Ok(());
        }
        // Workers typeset in parallel; entries are written in the items' order.
        let (sender, receiver) = mpsc::sync_channel::<(usize, Vec<u8>)>(8);
        std::thread::scope(|scope| -> Result<()> {
            // The sender moves into the producer so the channel closes when it is done.
            let producer = scope.spawn(move || {
                render_parallel(items, options, |index, rendered| {
                    sender
                        .send((index, rendered))
                        .map_err(|_| ExportError::Pdf("the zip writer stopped".into()))
                })
            });
            let mut pending = BTreeMap::new();
            let mut next = 0;
            let mut written = Ok(());
            for (index, rendered) in receiver.iter() {
                pending.insert(index, rendered);
                while let Some(rendered) = pending.remove(&next) {
                    if written.is_ok() {
                        written = (|| -> Result<()> {
                            zip.start_file(names[next].as_str(), entry_options(&items[next]))?;
                            std::io::Write::write_all(&mut zip, &rendered)
                                .map_err(|e| ExportError::io(zip_path, e))?;
                            bytes += rendered.len() as u64;
                            Ok(())
                        })();
                    }
                    next += 1;
                }
                if written.is_err() {
                    break;
                }
            }
            drop(receiver);
            let produced = producer
                .join()
                .map_err(|_| ExportError::Pdf("a typesetting thread panicked".into()))?;
            written?;
            produced
        })
    })();
    let finished = result.and_then(|()| {
        let file = zip.finish()?;
        file.sync_all().map_err(|e| ExportError::io(&tmp, e))
    });
    if let Err(e) = finished {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    persist(&tmp, zip_path, options.overwrite)?;
    let mut files = vec![zip_path.to_path_buf()];
    files.extend(names.iter().map(PathBuf::from));
    Ok(ExportSummary {
        files,
        written: vec![WrittenFile::holding_all(zip_path, items)],
        reports: items.len(),
        bytes,
    })
}

/// Renders every item on as many threads as there are cores and hands each result to
/// `sink` (from the worker threads, in no particular order). Stops at the first error.
fn render_parallel<F>(items: &[ExportItem], options: &ExportOptions, sink: F) -> Result<()>
where
    F: Fn(usize, Vec<u8>) -> Result<()> + Sync,
{
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(items.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let results: Vec<Result<()>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> Result<()> {
                    loop {
                        if failed.load(Ordering::Relaxed) {
                            return Ok(());
                        }
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else {
                            return Ok(());
                        };
                        let outcome = render(item, options).and_then(|bytes| sink(index, bytes));
                        if outcome.is_err() {
                            failed.store(true, Ordering::Relaxed);
                            return outcome;
                        }
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(ExportError::Pdf("a typesetting thread panicked".into()))
                })
            })
            .collect()
    });
    results.into_iter().collect()
}
