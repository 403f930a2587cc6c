//! General-English synonyms for key-point matching: a candidate who says "decreased" has
//! said "reduced". Domain synonyms belong in the bank's key-point terms; these groups are
//! the everyday words any answer may use for the same idea. Groups are compared by
//! Snowball stem, so every inflection of a member counts.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::text;

/// Words that mean the same thing in an answer about work, one group per line.
const GROUPS: &[&[&str]] = &[
    &["reduce", "decrease", "lower", "cut", "shrink", "lessen"],
    &["increase", "raise", "grow", "boost", "expand"],
    &["improve", "enhance", "optimise", "optimize"],
    &["fast", "quick", "rapid", "speedy"],
    &["slow", "sluggish"],
    &["big", "large", "huge", "massive"],
    &["small", "tiny", "little"],
    &["problem", "issue", "difficulty"],
    &["mistake", "error", "fault"],
    &["use", "utilise", "utilize", "employ", "leverage"],
    &["build", "construct", "develop"],
    &["fix", "repair", "resolve"],
    &["check", "verify", "validate", "confirm"],
    &["measure", "quantify", "benchmark"],
    &["show", "demonstrate", "display"],
    &["choose", "select", "pick"],
    &["begin", "start", "commence"],
    &["end", "finish", "complete"],
    &["remove", "delete", "eliminate", "drop"],
    &["goal", "objective", "aim", "target"],
    &["result", "outcome", "effect"],
    &["team", "squad", "group"],
    &["customer", "client"],
    &["boss", "manager", "supervisor"],
    &["colleague", "coworker", "teammate", "peer"],
    &["talk", "speak", "discuss"],
    &["help", "assist", "support"],
    &["learn", "learned", "learnt"],
    &["plan", "roadmap", "schedule"],
    &["deadline", "due date"],
    &["priority", "prioritise", "prioritize"],
    &["agree", "consensus"],
    &["disagree", "disagreement", "conflict"],
    &["risk", "danger", "hazard"],
    &["cost", "expense", "price"],
    &["many", "numerous", "multiple", "several"],
    &["unlimited", "infinite", "unbounded"],
    &["mandatory", "required", "compulsory"],
    &["optional", "voluntary"],
    &["correct", "accurate"],
    &["wrong", "incorrect", "inaccurate"],
    &["safe", "secure"],
    &["copy", "duplicate", "replicate"],
    &["store", "save", "persist"],
    &["split", "divide"],
    &["combine", "merge", "join"],
    &["send", "transmit", "dispatch"],
    &["receive", "obtain"],
];

fn table() -> &'static BTreeMap<String, usize> {
    static TABLE: OnceLock<BTreeMap<String, usize>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = BTreeMap::new();
        for (group, words) in GROUPS.iter().enumerate() {
            for word in words.iter() {
                // Multi-word members ("due date") are matched as phrases by the bank's
                // own terms; only single words take part here.
                if !word.contains(' ') {
                    map.entry(text::stem(word)).or_insert(group);
                }
            }
        }
        map
    })
}

/// Whether two stems name the same everyday idea.
pub fn same_meaning(a: &str, b: &str) -> bool {
    let t = table();
    match (t.get(a), t.get(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_of_synonyms_match() {
        assert!(same_meaning(
            &text::stem("decreased"),
            &text::stem("reducing")
        ));
        assert!(same_meaning(
            &text::stem("infinite"),
            &text::stem("unlimited")
        ));
        assert!(!same_meaning(
            &text::stem("reduce"),
            &text::stem("increase")
        ));
        assert!(
            !same_meaning(&text::stem("kafka"), &text::stem("kafka")),
            "not in a group"
        );
    }
}
