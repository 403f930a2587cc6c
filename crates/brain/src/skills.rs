//! The skills vocabulary (`assets/skills/skills.toml`) and skill extraction from job
//! descriptions and résumés: "k8s" and "EKS" both mean Kubernetes.
//!
//! Only names from this vocabulary ever reach a question, so text a job description or
//! résumé supplies is never echoed back to the candidate or to a model.

use std::sync::OnceLock;

use serde::Deserialize;

const EMBEDDED: &str = include_str!("../../../assets/skills/skills.toml");

/// One skill the brain recognises.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Skill {
    pub id: String,
    /// How questions name the skill.
    pub name: String,
    /// The bank area that asks about the skill, when one does.
    #[serde(default)]
    pub area: Option<String>,
    pub aliases: Vec<String>,
}

#[derive(Deserialize)]
struct VocabularyFile {
    skill: Vec<Skill>,
}

/// The skills vocabulary compiled into this build.
pub fn vocabulary() -> &'static [Skill] {
    static SKILLS: OnceLock<Vec<Skill>> = OnceLock::new();
    SKILLS.get_or_init(|| {
        // The file is part of the build and a test parses it, so a broken edit fails CI;
        // at run time a parse error leaves the brain without skills rather than crashing.
        toml::from_str::<VocabularyFile>(EMBEDDED)
            .map(|f| f.skill)
            .unwrap_or_default()
    })
}

/// Lower-case words, with the names that punctuation would split kept whole: "c++" is
/// `cplusplus`, "c#" is `csharp`, ".net" is `dotnet`, and "node.js" is `nodejs`.
pub fn skill_words(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut s = String::with_capacity(lower.len());
    let chars: Vec<char> = lower.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '+' && next == Some('+') {
            s.push_str("plusplus");
            i += 2;
            continue;
        }
        if c == '#' && i > 0 && chars[i - 1].is_ascii_alphanumeric() {
            s.push_str("sharp");
            i += 1;
            continue;
        }
        if c == '.' && next.is_some_and(|n| n.is_ascii_alphabetic()) {
            // "node.js" and ".net" are one word; a full stop before a space ends a sentence.
            if !(i > 0 && chars[i - 1].is_ascii_alphanumeric()) {
                s.push_str("dot");
            }
            i += 1;
            continue;
        }
        s.push(c);
        i += 1;
    }
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `words` contains `phrase` (already split by [`skill_words`]) as whole words.
fn contains_words(words: &[String], phrase: &[String]) -> bool {
    !phrase.is_empty() && words.windows(phrase.len()).any(|w| w == phrase)
}

/// Lines that start a part of a job description listing optional skills.
const OPTIONAL_MARKERS: &[&str] = &[
    "nice to have",
    "nice-to-have",
    "bonus",
    "preferred",
    "a plus",
    "desirable",
    "optional",
];

/// Lines that start a part listing required skills again.
const REQUIRED_MARKERS: &[&str] = &[
    "required",
    "requirements",
    "must have",
    "must-have",
    "responsibilities",
    "you have",
    "you will",
    "what you bring",
];

/// A skill found in a text.
#[derive(Clone, Debug, PartialEq)]
pub struct SkillMention {
    pub skill: Skill,
    /// Times any alias occurs.
    pub count: usize,
    /// Whether it occurs outside a "nice to have" part.
    pub required: bool,
    /// Line and word of its first mention, for a stable order.
    pub first_at: (usize, usize),
}

/// Skills a text mentions: required ones first, then by how often they are mentioned,
/// then by where they first appear.
pub fn extract(text: &str) -> Vec<SkillMention> {
    let mut found: Vec<SkillMention> = Vec::new();
    let mut optional_part = false;
    for (line_no, line) in text.lines().enumerate() {
        let lower = line.to_lowercase();
        if OPTIONAL_MARKERS.iter().any(|m| lower.contains(m)) {
            optional_part = true;
        } else if REQUIRED_MARKERS.iter().any(|m| lower.contains(m)) {
            optional_part = false;
        }
        let words = skill_words(line);
        for skill in vocabulary() {
            let mut count = 0;
            let mut first_word = usize::MAX;
            // Aliases that normalise alike ("node.js", "nodejs") count once.
            let phrases: std::collections::BTreeSet<Vec<String>> =
                skill.aliases.iter().map(|a| skill_words(a)).collect();
            for phrase in phrases.iter().filter(|p| !p.is_empty()) {
                for (at, w) in words.windows(phrase.len()).enumerate() {
                    if w == phrase.as_slice() {
                        count += 1;
                        first_word = first_word.min(at);
                    }
                }
            }
            if count == 0 {
                continue;
            }
            match found.iter_mut().find(|m| m.skill.id == skill.id) {
                Some(m) => {
                    m.count += count;
                    m.required |= !optional_part;
                }
                None => found.push(SkillMention {
                    skill: skill.clone(),
                    count,
                    required: !optional_part,
                    first_at: (line_no, first_word),
                }),
            }
        }
    }
    found.sort_by(|a, b| {
        b.required
            .cmp(&a.required)
            .then(b.count.cmp(&a.count))
            .then(a.first_at.cmp(&b.first_at))
            .then(a.skill.id.cmp(&b.skill.id))
    });
    found
}

/// Whether a text (a question, its tags and key points) is about a skill.
pub fn text_mentions(text: &str, skill: &Skill) -> bool {
    let words = skill_words(text);
    skill
        .aliases
        .iter()
        .any(|a| contains_words(&words, &skill_words(a)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(found: &[SkillMention]) -> Vec<&str> {
        found.iter().map(|m| m.skill.name.as_str()).collect()
    }

    #[test]
    fn the_vocabulary_parses_and_ids_are_unique() {
        let v = vocabulary();
        assert!(v.len() >= 80, "{}", v.len());
        let mut ids: Vec<&str> = v.iter().map(|s| s.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), v.len());
    }

    #[test]
    fn aliases_map_to_one_canonical_skill() {
        let found = extract("We run k8s on EKS; services in Golang and C++, UI in Node.js.");
        assert_eq!(names(&found), ["Kubernetes", "Go", "C++", "Node.js"]);
        assert_eq!(found[0].count, 2, "k8s and EKS are both Kubernetes");
    }

    #[test]
    fn ordinary_words_are_not_skills() {
        let found = extract(
            "You will go the extra mile, rest when needed, and enjoy spring in our office.",
        );
        assert_eq!(names(&found), Vec::<&str>::new());
        assert!(extract("Rust. We ship weekly")
            .iter()
            .any(|m| m.skill.id == "rust"));
        assert!(extract("Experience with C# and .NET")
            .iter()
            .all(|m| m.skill.id == "csharp"));
    }

    #[test]
    fn nice_to_have_skills_rank_after_required_ones() {
        let jd = "Requirements:\n- Python and PostgreSQL\n- Kafka\n\
                  Nice to have:\n- Kubernetes, Kubernetes operators, Terraform\n";
        let found = extract(jd);
        assert_eq!(
            names(&found),
            ["Python", "PostgreSQL", "Kafka", "Kubernetes", "Terraform"]
        );
        assert!(found[..3].iter().all(|m| m.required));
        assert!(found[3..].iter().all(|m| !m.required));
    }
}
