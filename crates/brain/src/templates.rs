//! Questions composed from templates for a required skill the bank does not cover
//! ("Salesforce", "Elixir"). The skill's name comes from Panelist's own vocabulary, never
//! from the job description, so nothing a job text says is echoed into a question.

use panelist_core::{Difficulty, KeyPoint, Question};

use crate::skills::Skill;

fn key_point(label: String, terms: &[&str]) -> KeyPoint {
    KeyPoint {
        label,
        terms: terms.iter().map(|t| t.to_string()).collect(),
    }
}

/// A question about `skill` at `difficulty`, with key points any good answer about a
/// tool or practice covers: a real use, how it works, its trade-offs and the result.
pub fn question_for(skill: &Skill, difficulty: Difficulty) -> Question {
    let name = &skill.name;
    let text = match difficulty {
        Difficulty::Easy => format!(
            "What is {name} used for, and how have you used it in your own work?"
        ),
        Difficulty::Medium => format!(
            "Describe a piece of work where you used {name}: what problem did it solve, how did you use it, and what would you do differently?"
        ),
        Difficulty::Hard => format!(
            "What are the main trade-offs and pitfalls of {name}, and how have you dealt with them in a real system?"
        ),
    };
    // The skill's own names show the answer is about it; the vocabulary keeps at most a
    // handful, so the key point stays within the bank's 2-7 terms.
    let mut skill_terms: Vec<&str> = std::iter::once(name.as_str())
        .chain(skill.aliases.iter().map(String::as_str))
        .collect();
    skill_terms.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    skill_terms.truncate(7);
    let key_points = vec![
        key_point(format!("talks about {name} itself"), &skill_terms),
        key_point(
            "a concrete situation or project".to_string(),
            &[
                "project",
                "when i",
                "at my last",
                "in production",
                "we built",
                "we used",
                "i used",
            ],
        ),
        key_point(
            "how it works or how they used it".to_string(),
            &[
                "because",
                "configured",
                "designed",
                "implemented",
                "works by",
                "integrated",
                "set up",
            ],
        ),
        key_point(
            "trade-offs or limitations".to_string(),
            &[
                "trade off",
                "limitation",
                "downside",
                "drawback",
                "instead",
                "alternative",
                "pitfall",
            ],
        ),
        key_point(
            "the result".to_string(),
            &[
                "result", "improved", "reduced", "percent", "faster", "saved", "shipped",
            ],
        ),
    ];
    Question {
        text,
        tags: vec![name.clone(), "composed from template".to_string()],
        key_points,
        follow_ups: vec![format!(
            "What would you watch out for when using {name} in production?"
        )],
        source: Some(format!("template:{}", skill.id)),
    }
}
