use std::path::Path;

use panelist_export::{
    export_bulk, export_one, Destination, ExportError, ExportOptions, Format, CSV_FILE_NAME,
};

use crate::fixture::{item, UNICODE_NAMES};

fn items() -> Vec<panelist_export::ExportItem> {
    UNICODE_NAMES
        .iter()
        .enumerate()
        .map(|(i, n)| item(n, i as u8))
        .collect()
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn folder_export_writes_one_file_each_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("reports");
    let items = items();
    let opts = ExportOptions::new(Format::Pdf);
    let summary = export_bulk(&items, &opts, &Destination::Dir(out.clone())).unwrap();
    assert_eq!(summary.reports, 3);
    let names = names_in(&out);
    assert_eq!(names.len(), 3, "{names:?}");
    for item in &items {
        let name = format!("{}.pdf", item.file_stem());
        assert!(names.contains(&name), "{name} in {names:?}");
        assert!(name.starts_with("2026-11-24_"));
    }
    // Each file on disk is reported with the one session whose report it holds.
    assert_eq!(summary.written.len(), 3);
    for (written, item) in summary.written.iter().zip(&items) {
        assert_eq!(written.sessions, [item.report.session_id]);
        assert_eq!(written.path, out.join(format!("{}.pdf", item.file_stem())));
    }
    assert!(names.iter().any(|n| n.contains("_josé-müller_")));
    assert!(names.iter().any(|n| n.contains("_李雷_")));
    let before: Vec<Vec<u8>> = names
        .iter()
        .map(|n| std::fs::read(out.join(n)).unwrap())
        .collect();

    // A second export into the same folder stops before writing anything.
    let mut changed = items.clone();
    changed[2].report.scores.overall = 1;
    match export_bulk(&changed, &opts, &Destination::Dir(out.clone())) {
        Err(ExportError::Exists(path)) => assert!(path.starts_with(&out)),
        other => panic!("expected Exists, got {other:?}"),
    }
    let after: Vec<Vec<u8>> = names
        .iter()
        .map(|n| std::fs::read(out.join(n)).unwrap())
        .collect();
    assert_eq!(before, after);
    assert_eq!(names_in(&out), names, "no partial files are left behind");

    // With overwriting allowed the files are replaced.
    let force = ExportOptions {
        overwrite: true,
        ..opts
    };
    export_bulk(&changed, &force, &Destination::Dir(out.clone())).unwrap();
    assert_eq!(names_in(&out), names);
}

#[test]
fn zip_export_holds_every_report_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("out").join("reports.zip");
    let items = items();
    for format in [Format::Json, Format::Pdf] {
        let path = zip_path.with_extension(format!("{}.zip", format.extension()));
        let summary = export_bulk(
            &items,
            &ExportOptions::new(format),
            &Destination::Zip(path.clone()),
        )
        .unwrap();
        assert_eq!(summary.files.len(), 4);
        // The zip is the one file on disk, and it holds every report.
        assert_eq!(summary.written.len(), 1);
        assert_eq!(summary.written[0].path, path);
        assert_eq!(
            summary.written[0].sessions,
            items
                .iter()
                .map(|i| i.report.session_id)
                .collect::<Vec<_>>()
        );
        let mut archive = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        assert_eq!(archive.len(), 3);
        for (i, item) in items.iter().enumerate() {
            let mut entry = archive.by_index(i).unwrap();
            assert_eq!(
                entry.name(),
                format!("{}.{}", item.file_stem(), format.extension())
            );
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
            match format {
                Format::Json => {
                    let back: panelist_core::Report = serde_json::from_slice(&bytes).unwrap();
                    assert_eq!(back, item.report);
                }
                _ => assert!(bytes.starts_with(b"%PDF-")),
            }
        }
        // The zip is never replaced silently either.
        let again = export_bulk(&items, &ExportOptions::new(format), &Destination::Zip(path));
        assert!(matches!(again, Err(ExportError::Exists(_))));
    }
    let leftovers: Vec<_> = names_in(&dir.path().join("out"))
        .into_iter()
        .filter(|n| n.ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn csv_bulk_is_one_file_and_single_exports_refuse_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let items = items();
    let mut opts = ExportOptions::new(Format::Csv);
    opts.csv_bom = true;
    let summary = export_bulk(&items, &opts, &Destination::Dir(dir.path().to_path_buf())).unwrap();
    // The one CSV holds every report.
    assert_eq!(summary.written.len(), 1);
    assert_eq!(summary.written[0].path, dir.path().join(CSV_FILE_NAME));
    assert_eq!(summary.written[0].sessions.len(), 3);
    let csv = std::fs::read(dir.path().join(CSV_FILE_NAME)).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"));
    let mut reader = csv::Reader::from_reader(&csv[..]);
    assert_eq!(reader.records().count(), 3);

    let one = dir.path().join("one.json");
    std::fs::write(&one, "keep me").unwrap();
    let json = ExportOptions::new(Format::Json);
    assert!(matches!(
        export_one(&items[0], &json, &one),
        Err(ExportError::Exists(_))
    ));
    assert_eq!(std::fs::read_to_string(&one).unwrap(), "keep me");
    let force = ExportOptions {
        overwrite: true,
        ..json
    };
    export_one(&items[0], &force, &one).unwrap();
    assert!(std::fs::read_to_string(&one)
        .unwrap()
        .contains("schema_version"));

    assert!(matches!(
        export_bulk(&[], &json, &Destination::Dir(dir.path().to_path_buf())),
        Err(ExportError::Empty)
    ));
}

#[test]
fn formats_cross_boundaries_as_their_extension_and_nothing_else() {
    for format in Format::ALL {
        assert_eq!(format.extension().parse::<Format>(), Ok(format));
        let json = serde_json::to_string(&format).unwrap();
        assert_eq!(json, format!("\"{}\"", format.extension()));
        assert_eq!(serde_json::from_str::<Format>(&json).unwrap(), format);
    }
    for unknown in ["docx", "PDF", " pdf", ""] {
        assert!(unknown.parse::<Format>().is_err(), "{unknown:?}");
        assert!(serde_json::from_str::<Format>(&format!("{unknown:?}")).is_err());
    }
}
