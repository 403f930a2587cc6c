//! Probes: the follow-up question an interviewer asks about a key point an answer
//! missed, without giving the point away. A person asks "How does Python know when an
//! object can be freed?", not "Could you address reference counting?": a probe that
//! names the point's terms lets the candidate earn it by saying them back.
//!
//! The bank stores a probe per key point (`probe = "…"`, editable like the rest of the
//! bank); [`suggest`] writes one from general templates keyed on what kind of point it
//! is (a result, a trade-off, a failure mode, …) for key points without one, such as
//! those of questions an LLM proposed. Whatever its source, a probe is used only when
//! [`leaks`] finds none of its question's key-point terms in it.

use panelist_core::{KeyPoint, Question};

use crate::text::Analyzed;

/// A kind of key point, recognised by words in its label (see `cue_matches`), and
/// follow-ups that ask about that kind of thing without naming anything specific.
struct Kind {
    cues: &'static [&'static str],
    probes: &'static [&'static str],
}

/// Checked in order; the first kind with a cue in the label wins.
const KINDS: &[Kind] = &[
    Kind {
        cues: &[
            "learn*",
            "lesson",
            "reflect*",
            "differently",
            "growth",
            "grew",
        ],
        probes: &[
            "Looking back, what would you do differently next time?",
            "What did that experience teach you, and has it changed how you work since?",
            "If the same thing happened tomorrow, what would you change in how you handle it?",
        ],
    },
    Kind {
        cues: &["result", "outcome", "impact", "afterward", "success*"],
        probes: &[
            "How did it turn out in the end, and how could you tell?",
            "What difference did it make afterwards, for the team or the users?",
            "Where did things stand once it was over?",
        ],
    },
    Kind {
        cues: &[
            "concrete",
            "example*",
            "situation",
            "specific*",
            "context",
            "stakes",
            "instance*",
        ],
        probes: &[
            "Can you take me back to one real case: what was happening, and what was at stake?",
            "Walk me through one particular time this came up in your own work.",
            "Which real episode are you thinking of? Set the scene for me.",
        ],
    },
    Kind {
        cues: &[
            "own",
            "ownership*",
            "role",
            "responsib*",
            "personal*",
            "initiative",
            "accountab*",
        ],
        probes: &[
            "What was your own part in it, specifically?",
            "Which parts did you drive yourself, and which did others?",
            "If I asked your colleagues, what would they say you personally did?",
        ],
    },
    Kind {
        cues: &[
            "feedback",
            "listen",
            "conversation",
            "empath*",
            "private",
            "tailor",
            "explain",
            "communicat*",
        ],
        probes: &[
            "How did you handle the conversation itself: what did you say, and how?",
            "How did you make sure the other person really heard it, and how did they react?",
            "What did you pay attention to in how the message came across?",
        ],
    },
    Kind {
        cues: &[
            "team",
            "stakeholder*",
            "people",
            "involve*",
            "align",
            "agree",
            "disagree*",
            "trust",
            "relationship*",
            "manager",
            "together",
            "support",
            "mentor*",
            "hire",
            "hiring",
            "conflict*",
        ],
        probes: &[
            "How did you bring the other people involved along with you?",
            "How did the others see it, and how did that shape what you did?",
            "Who else had a say, and how did you work with them?",
        ],
    },
    Kind {
        cues: &[
            "decision*",
            "decide*",
            "priorit*",
            "criteria",
            "options",
            "choice",
            "choose",
            "weigh",
        ],
        probes: &[
            "How did you weigh the options before deciding?",
            "What made you pick that path over the others?",
            "Which considerations mattered most when you made the call?",
        ],
    },
    Kind {
        cues: &[
            "trade*",
            "versus",
            "cost",
            "downside*",
            "limit",
            "drawback*",
            "instead",
            "alternative*",
            "price",
            "pricing",
            "overkill",
        ],
        probes: &[
            "What does that choice cost you compared with the other ways of doing it?",
            "Where does that approach stop being the right one?",
            "What would make you pick a different way of doing it?",
        ],
    },
    Kind {
        cues: &[
            "secur*",
            "attack*",
            "threat*",
            "secret",
            "auth",
            "access",
            "permission*",
            "encrypt*",
            "privacy",
            "breach",
            "inject*",
            "credential*",
            "privilege*",
            "sandbox*",
        ],
        probes: &[
            "How could someone abuse that, and what would stop them?",
            "What would an attacker try first here, and how would you make it fail?",
            "Who should be allowed to do what here, and how is that enforced?",
        ],
    },
    Kind {
        cues: &[
            "error",
            "fail*",
            "bug",
            "panic*",
            "exception*",
            "retry*",
            "fault",
            "recover*",
            "leak",
            "race",
            "deadlock*",
            "crash*",
            "rollback*",
            "incident*",
            "outage*",
            "broken",
            "risk",
            "pitfall*",
            "wrong",
            "mistake*",
            "unsafe",
        ],
        probes: &[
            "What can go wrong there, and how would you handle it?",
            "Suppose it breaks in production at night: what happens, and what do you do?",
            "Which mistakes do people typically make with this, and how do you avoid them?",
        ],
    },
    Kind {
        cues: &[
            "measur*",
            "metric*",
            "monitor*",
            "evaluat*",
            "observ*",
            "evidence",
            "track*",
            "signal",
            "dashboard*",
            "alert*",
            "log",
        ],
        probes: &[
            "How would you know whether it is working? What would you look at?",
            "What would you watch to catch a problem early?",
            "How would you convince a sceptic with numbers rather than opinion?",
        ],
    },
    Kind {
        cues: &[
            "test*",
            "verif*",
            "validat*",
            "check",
            "assert*",
            "coverage",
            "mock*",
            "reproduc*",
        ],
        probes: &[
            "How would you check that it really behaves as intended?",
            "How would you convince yourself it is correct before shipping it?",
            "What would you try in order to prove it works, and what would you try to break it?",
        ],
    },
    Kind {
        cues: &[
            "perform*",
            "fast",
            "slow",
            "latenc*",
            "throughput*",
            "memory",
            "heap",
            "alloc*",
            "overhead*",
            "cache*",
            "efficien*",
            "speed",
            "cheap",
            "expensive*",
        ],
        probes: &[
            "How does that affect speed or resource use, and why?",
            "Where would the time or the space go, if you looked closely?",
            "What would you expect to see if you profiled it under real load?",
        ],
    },
    Kind {
        cues: &[
            "scal*",
            "load",
            "partition*",
            "shard*",
            "replic*",
            "distribut*",
            "concurren*",
            "thread*",
            "parallel*",
            "async*",
            "await*",
            "goroutine*",
            "worker",
            "queue",
        ],
        probes: &[
            "What changes when many things happen at once, or the load grows tenfold?",
            "How does it behave when several parts run at the same time?",
            "What would you worry about once it has to serve far more traffic?",
        ],
    },
    Kind {
        cues: &[
            "state",
            "consisten*",
            "transaction*",
            "isolat*",
            "lock",
            "order",
            "atomic*",
            "mutab*",
            "immutab*",
            "ownership*",
            "borrow*",
            "lifetime*",
            "scope",
        ],
        probes: &[
            "Who can change what, and when? How do you keep that under control?",
            "How do you keep things consistent when several parts touch the same data?",
            "What guarantees do you get about the order in which things happen?",
        ],
    },
    Kind {
        cues: &[
            "tool",
            "librar*",
            "framework*",
            "profil*",
            "debugger",
            "plugin*",
            "command",
        ],
        probes: &[
            "Which tools would you reach for there, and why those?",
            "What would you actually run or open first to dig into it?",
            "What does your toolbox for this look like in practice?",
        ],
    },
    Kind {
        cues: &[
            "plan",
            "step",
            "first",
            "approach",
            "process",
            "strategy",
            "phase",
            "roadmap",
            "start",
            "incremental*",
            "gradual*",
        ],
        probes: &[
            "What would your first few steps be, in order?",
            "How would you break that down, from the very start to done?",
            "Where would you begin, and what would come next?",
        ],
    },
    Kind {
        cues: &[
            "compil*",
            "runtime*",
            "type",
            "generic*",
            "interface",
            "trait",
            "class",
            "inherit*",
        ],
        probes: &[
            "What is settled when the code is built, and what only when it runs?",
            "How does the language itself help you here, and where does it stop helping?",
            "What would the compiler or interpreter do with that, step by step?",
        ],
    },
    Kind {
        cues: &[
            "when",
            "use",
            "case",
            "suit",
            "prefer*",
            "appropriate*",
            "fit",
        ],
        probes: &[
            "In which situations would you reach for it, and when would you avoid it?",
            "What kind of problem is it the right answer to?",
            "When would you tell a colleague not to use it?",
        ],
    },
];

/// Asked when no kind fits, or every phrasing of the kind would give something away.
const TECHNICAL: &[&str] = &[
    "What actually happens under the hood when that runs?",
    "How would you explain the idea behind it to a colleague who is new to it?",
    "What else would a careful engineer take into account here?",
    "If you had to go one level deeper, what would you add?",
];

const PERSONAL: &[&str] = &[
    "What else mattered in how you handled it?",
    "Is there more to that story that shaped what you did?",
    "What else should I know to understand how you approached it?",
];

/// The last resort: hardly a content word, so nothing to give away.
const BLAND: &[&str] = &[
    "Could you say more about that?",
    "Can you go deeper on that?",
    "Tell me more: how would you go about it?",
];

/// Whether `text` contains a term of `kp` (its label too, when the label has two or more
/// content words, as the scorer counts it): what the scorer would credit if a candidate
/// said the text back.
pub fn leaks(text: &str, kp: &KeyPoint) -> Option<String> {
    let a = Analyzed::new(text);
    let label_term = (crate::text::content_stems(&kp.label).len() >= 2).then_some(&kp.label);
    kp.terms
        .iter()
        .chain(label_term)
        .find(|t| a.has_phrase(t))
        .cloned()
}

/// The first key point of `points` that `text` gives away, with the term it names.
pub fn leaks_any<'a>(text: &str, points: &'a [KeyPoint]) -> Option<(&'a KeyPoint, String)> {
    points
        .iter()
        .find_map(|kp| leaks(text, kp).map(|term| (kp, term)))
}

/// A stable number from text, to vary phrasings across key points deterministically.
fn fnv(text: &str) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h as usize
}

fn label_words(label: &str) -> Vec<String> {
    label
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// A cue ending in `*` begins a word ("measur*": measure, measured, measurement); any
/// other cue is the word itself, or with a plural or verb ending ("race", "races").
fn cue_matches(cue: &str, word: &str) -> bool {
    match cue.strip_suffix('*') {
        Some(prefix) => word.starts_with(prefix),
        None => {
            word == cue
                || word.strip_prefix(cue).is_some_and(|rest| {
                    ["s", "es", "d", "ed", "ing", "ure", "ures"].contains(&rest)
                })
        }
    }
}

/// Writes a probe for `kp`, one of `question`'s key points: a phrasing for its kind of
/// point that names no term of any of the question's key points (a probe for one
/// missed point must not give away another). `personal` picks the defaults for
/// behavioural questions. Deterministic.
pub fn suggest(question: &Question, kp: &KeyPoint, personal: bool) -> String {
    let words = label_words(&kp.label);
    let kind = KINDS.iter().find(|k| {
        k.cues
            .iter()
            .any(|c| words.iter().any(|w| cue_matches(c, w)))
    });
    let default = if personal { PERSONAL } else { TECHNICAL };
    let seed = fnv(&format!("{}\n{}", question.text, kp.label));
    let clean = |text: &&str| leaks_any(text, &question.key_points).is_none();
    let pick = |list: &[&'static str]| -> Option<&'static str> {
        (0..list.len())
            .map(|i| list[(seed + i) % list.len()])
            .find(|t| clean(t))
    };
    kind.and_then(|k| pick(k.probes))
        .or_else(|| pick(default))
        .or_else(|| pick(BLAND))
        .unwrap_or("Could you say more about that?")
        .to_string()
}

/// Whether a question is about the candidate's own experience rather than a technical
/// topic, by its wording.
pub fn is_personal(question: &Question) -> bool {
    let q = question.text.to_lowercase();
    [
        "tell me about a time",
        "describe a time",
        "a time when",
        "a situation where",
        "your team",
        "you had to",
    ]
    .iter()
    .any(|m| q.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kp(label: &str, terms: &[&str]) -> KeyPoint {
        KeyPoint {
            label: label.into(),
            terms: terms.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn a_probe_that_names_a_term_or_its_stem_leaks() {
        let gc = kp("reference counting", &["reference count", "refcount"]);
        assert!(leaks("Could you address reference counting?", &gc).is_some());
        assert!(leaks("How are references counted?", &gc).is_some());
        assert!(leaks("How does Python know when an object can be freed?", &gc).is_none());
    }

    #[test]
    fn suggestions_follow_the_kind_of_point_and_never_leak() {
        let q = Question {
            text: "Tell me about a time you disagreed with your manager.".into(),
            tags: vec![],
            key_points: vec![
                kp("what they learned", &["learned", "lesson", "next time"]),
                kp("the result", &["result", "outcome", "agreed"]),
                kp(
                    "concrete disagreement and stakes",
                    &["disagreed", "stakes", "deadline"],
                ),
            ],
            follow_ups: vec![],
            source: None,
        };
        for point in &q.key_points {
            let p = suggest(&q, point, is_personal(&q));
            assert!(leaks_any(&p, &q.key_points).is_none(), "{p}");
            assert_eq!(p, suggest(&q, point, true), "deterministic");
        }
        assert!(
            suggest(&q, &q.key_points[0], true).contains("differently")
                || suggest(&q, &q.key_points[0], true).contains("teach")
                || suggest(&q, &q.key_points[0], true).contains("change")
        );
    }
}
