//! The UI ↔ Rust contract: the shared cases in `ui/tests/contract/cases.json`, run here
//! against the Rust validators (the ones that have the last word). `ui/tests/contract.test.ts`
//! runs the same cases against the UI's instant checks and its mocks, so a rule changed on
//! one side only fails one of the two tests.

use std::path::PathBuf;

use panelist_admin::check_settings_form;
use panelist_admin::dto::SettingsForm;
use panelist_admin::AdminError;
use panelist_core::Recommendation;
use serde_json::Value;

fn cases() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/tests/contract/cases.json");
    let text = std::fs::read_to_string(&path).expect("ui/tests/contract/cases.json");
    serde_json::from_str(&text).expect("cases.json is JSON")
}

/// `c*N` is the character c repeated N times; anything else is itself.
fn expand(value: &str) -> String {
    if let Some((c, n)) = value.split_once('*') {
        if let (1, Ok(n)) = (c.chars().count(), n.parse::<usize>()) {
            return c.repeat(n);
        }
    }
    value.to_string()
}

fn text(case: &Value, key: &str) -> String {
    expand(case[key].as_str().expect("a string"))
}

#[test]
fn registration_cases_agree_with_the_kiosk_validator() {
    let cases = cases();
    let list = cases["registration"]
        .as_array()
        .expect("registration cases");
    assert!(list.len() >= 10);
    for case in list {
        let phone = text(case, "phone");
        let name = text(case, "name");
        let email = text(case, "email");
        let phone = (!phone.is_empty()).then_some(phone);
        // The one candidate validator (the kiosk's `validate_form` is this call).
        let refused = panelist_service::check_candidate(&name, &email, phone.as_deref())
            .err()
            .map(|p| p.field);
        assert_eq!(
            refused,
            case["invalid"].as_str(),
            "registration case {case}"
        );
    }
}

#[test]
fn recommendation_cases_agree_with_the_report() {
    let cases = cases();
    for case in cases["recommendation"].as_array().expect("cases") {
        let score = u8::try_from(case[0].as_u64().expect("score")).expect("0-100");
        let label = case[1].as_str().expect("label");
        assert_eq!(
            Recommendation::from_overall(score).as_str(),
            label,
            "overall {score}"
        );
    }
}

#[test]
fn pin_cases_agree_with_the_kiosk() {
    let cases = cases();
    for case in cases["pin"].as_array().expect("cases") {
        let pin = case[0].as_str().expect("pin");
        let valid = case[1].as_bool().expect("valid");
        assert_eq!(
            panelist_settings::check_pin(pin).is_ok(),
            valid,
            "PIN {pin:?}"
        );
    }
}

#[test]
fn settings_cases_agree_with_admin_mode() {
    let cases = cases();
    let base = cases["settings_base"].clone();
    let form: SettingsForm = serde_json::from_value(base.clone()).expect("the base form");
    check_settings_form(&form).expect("the base form is valid");
    for case in cases["settings"].as_array().expect("cases") {
        let field = case["field"].as_str().expect("field");
        let mut json = base.clone();
        let slot = field.split('.').fold(&mut json, |v, key| {
            v.get_mut(key).expect("a field of the form")
        });
        *slot = case["value"].clone();
        let form: SettingsForm = serde_json::from_value(json).expect("a settings form");
        let refused = match check_settings_form(&form) {
            Ok(()) => None,
            Err(AdminError::Invalid { field, .. }) => field,
            Err(other) => panic!("{case}: unexpected error {other}"),
        };
        let invalid = case["invalid"].as_bool().expect("invalid");
        assert_eq!(
            refused.as_deref(),
            invalid.then_some(field),
            "settings case {case}"
        );
    }
}
