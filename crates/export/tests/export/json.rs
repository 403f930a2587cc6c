use panelist_core::report::REPORT_SCHEMA_VERSION;
use panelist_export::{item_json, report_json, ReviewFacts, REPORT_SCHEMA};
use serde_json::Value;

use crate::fixture::{item, UNICODE_NAMES};

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(REPORT_SCHEMA).expect("the schema file is JSON");
    jsonschema::validator_for(&schema).expect("the schema file is a valid JSON Schema")
}

fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

#[test]
fn every_export_validates_against_the_schema() {
    let v = validator();
    for (i, name) in UNICODE_NAMES.iter().enumerate() {
        let mut item = item(name, i as u8);
        if i == 1 {
            item.report.candidate.phone = None;
        }
        let bytes = report_json(&item.report).unwrap();
        let json: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(errors(&v, &json), Vec::<String>::new());
        assert_eq!(json["schema_version"], REPORT_SCHEMA_VERSION);
        assert_eq!(json["candidate"]["name"], *name);
        // The export reads back as the same report.
        let back: panelist_core::Report = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(back, item.report);
    }
}

/// A change that makes a valid report invalid.
type Breaker = fn(&mut Value);

#[test]
fn the_schema_rejects_what_the_report_layout_forbids() {
    let v = validator();
    let good: Value = serde_json::to_value(&item("Ann", 1).report).unwrap();
    let cases: [(&str, Breaker); 5] = [
        ("score above 100", |j| j["scores"]["overall"] = 101.into()),
        ("unknown quality", |j| {
            j["responses"][0]["answer_quality"] = "Great".into()
        }),
        ("wrong label", |j| {
            j["responses"][0]["display_label"] = "Question 1".into()
        }),
        ("other version", |j| j["schema_version"] = 2.into()),
        ("missing recommendation", |j| {
            j["overall_assessment"]
                .as_object_mut()
                .unwrap()
                .remove("recommendation");
        }),
    ];
    for (what, break_it) in cases {
        let mut bad = good.clone();
        break_it(&mut bad);
        assert!(!errors(&v, &bad).is_empty(), "the schema accepted {what}");
    }
}

#[test]
fn an_exported_item_carries_its_review_and_validates() {
    let v = validator();
    let mut draft = item("Ann", 1);
    let json: Value = serde_json::from_slice(&item_json(&draft).unwrap()).unwrap();
    assert_eq!(errors(&v, &json), Vec::<String>::new());
    assert!(json["review"].is_null(), "a draft has no review");

    let at = draft.report.generated_by.at;
    draft.facts.review = Some(ReviewFacts {
        by: "hr@example.com".into(),
        at,
        note: "Checked every answer.".into(),
        adjustments: vec![panelist_core::ScoreAdjustment {
            session_id: draft.report.session_id,
            key: panelist_core::ScoreKey::Technical,
            original: 41,
            value: 60,
            reason: "The transcript missed a term.".into(),
            by: "hr@example.com".into(),
            at,
        }],
    });
    let json: Value = serde_json::from_slice(&item_json(&draft).unwrap()).unwrap();
    assert_eq!(errors(&v, &json), Vec::<String>::new());
    assert_eq!(json["review"]["reviewed_by"], "hr@example.com");
    assert_eq!(json["review"]["score_adjustments"][0]["original"], 41);
    assert_eq!(json["review"]["score_adjustments"][0]["score"], "technical");

    let mut bad = json.clone();
    bad["review"]["score_adjustments"][0]["value"] = 140.into();
    assert!(
        !errors(&v, &bad).is_empty(),
        "an adjusted score above 100 passed"
    );
}
