use panelist_export::{csv_rows, neutralise_cell, write_csv, CsvRow, CSV_HEADER};

use crate::fixture::{item, UNICODE_NAMES};

fn read_back(bytes: &[u8]) -> (Vec<String>, Vec<CsvRow>) {
    let mut reader = csv::Reader::from_reader(bytes);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader.deserialize().collect::<Result<_, _>>().unwrap();
    (header, rows)
}

#[test]
fn csv_round_trips_to_the_source_data() {
    let mut items: Vec<_> = UNICODE_NAMES
        .iter()
        .enumerate()
        .map(|(i, n)| item(n, i as u8 * 7))
        .collect();
    // RFC 4180 quoting: a comma, a quote and a line break inside cells.
    items[0].report.interview.job_role = "Engineer, \"Platform\"\nBerlin".into();
    items[1].report.candidate.phone = None;
    items[2].facts.reviewed_by = Some("Dana Reviewer".into());
    let mut bytes = Vec::new();
    write_csv(&items, false, &mut bytes).unwrap();
    assert!(bytes.ends_with(b"\r\n"), "RFC 4180 lines end with CRLF");
    assert!(std::str::from_utf8(&bytes).is_ok());
    let (header, rows) = read_back(&bytes);
    assert_eq!(header, CSV_HEADER);
    assert_eq!(rows.len(), 3);
    for (row, item) in rows.iter().zip(&items) {
        let r = &item.report;
        assert_eq!(row.session, r.session_id.to_string());
        assert_eq!(row.candidate, r.candidate.name);
        assert_eq!(row.email, r.candidate.email);
        assert_eq!(row.interview, r.interview.job_role);
        assert_eq!(row.interview_id, item.facts.interview_id.to_string());
        assert_eq!(
            row.date,
            item.facts
                .started_at
                .unwrap()
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        );
        assert_eq!(row.duration_seconds, 24 * 60 + 5);
        assert_eq!(
            (
                row.overall,
                row.technical,
                row.communication,
                row.problem_solving
            ),
            (
                r.scores.overall,
                r.scores.technical,
                r.scores.communication,
                r.scores.problem_solving
            )
        );
        assert_eq!(row.answers, 3);
        assert_eq!(
            row.recommendation,
            r.overall_assessment.recommendation.as_str()
        );
        assert_eq!(
            row.reviewed_by,
            item.facts.reviewed_by.clone().unwrap_or_default()
        );
    }
    // Phones begin with `+`, so they are neutralised like any formula-looking cell.
    assert_eq!(rows[0].phone, "'+44 20 7946 0958");
    assert_eq!(rows[1].phone, "");
    assert_eq!(rows, csv_rows(&items));
}

#[test]
fn optional_bom_comes_first_and_parses_away() {
    let items = [item("Zoë Ångström", 1)];
    let mut with = Vec::new();
    write_csv(&items, true, &mut with).unwrap();
    let mut without = Vec::new();
    write_csv(&items, false, &mut without).unwrap();
    assert_eq!(&with[..3], b"\xEF\xBB\xBF");
    assert_eq!(&with[3..], &without[..]);
    // The csv crate skips a leading BOM, so the header still reads back.
    let (header, rows) = read_back(&with);
    assert_eq!(header, CSV_HEADER);
    assert_eq!(rows[0].candidate, "Zoë Ångström");
}

#[test]
fn formula_cells_are_neutralised() {
    let mut hostile = item("=HYPERLINK(\"http://evil.example\",\"click\")", 1);
    hostile.report.candidate.email = "@SUM(1+1)@example.com".into();
    hostile.report.interview.job_role = "-2+3".into();
    hostile.report.candidate.phone = Some("+1 555 0100".into());
    hostile.facts.reviewed_by = Some("\t=cmd|' /C calc'!A0".into());
    let mut bytes = Vec::new();
    write_csv(&[hostile], false, &mut bytes).unwrap();
    let (_, rows) = read_back(&bytes);
    let row = &rows[0];
    for cell in [
        &row.candidate,
        &row.email,
        &row.interview,
        &row.phone,
        &row.reviewed_by,
    ] {
        assert!(cell.starts_with('\''), "not neutralised: {cell}");
    }
    assert_eq!(
        row.candidate,
        "'=HYPERLINK(\"http://evil.example\",\"click\")"
    );
    assert_eq!(neutralise_cell("José"), "José");
    assert_eq!(neutralise_cell(""), "");
    assert_eq!(neutralise_cell("a=b"), "a=b");
}
