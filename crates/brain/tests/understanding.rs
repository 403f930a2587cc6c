//! Understanding over keywords, measured on the development data (human-graded short
//! answers; `../shared/data`, kept outside the repository; the tests say so and pass
//! when it is absent). Answers built to game a keyword counter — the reference answer's
//! words shuffled, listed with commas, or dropped into filler — are marked down for
//! their word order far more than genuine full-credit answers are.
//!
//! Issue 17's target, at most 0.6 times the genuine answers' mean, is met for all three:
//! keyword lists and keywords in filler have their credited words side by side without a
//! sentence around them ("keyword stuffing" in `order.rs`); a shuffle of the reference's
//! words covers the reference, is made of its words, and its order gains far less over a
//! random order than the reference's own order does (`scoring::reshuffled_reference`).
//! Shuffles of two- and three-word references ("file scope", "scope file") cannot be told
//! from the answer and keep their points; they are in the mean.

mod dev_data;

use panelist_brain::scoring::score_against_reference;
use panelist_brain::text;

use dev_data::{data_path, full_credit_of, rows, shuffled_words, Row};

fn content_words(text: &str) -> Vec<String> {
    text::unique(text::content(text).into_iter().map(|(w, _)| w))
}

/// Builds answers that game a keyword counter from a question's reference.
type Fake = fn(&Question) -> Vec<String>;

struct Question {
    question: String,
    reference: String,
    genuine: Vec<String>,
}

/// Questions with at least one answer both human graders gave full marks.
fn questions(rows: &[Row]) -> Vec<Question> {
    full_credit_of(rows)
        .into_iter()
        .map(|((question, reference), genuine)| Question {
            question,
            reference,
            genuine,
        })
        .collect()
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

/// Mean score of genuine full-credit answers and of `fake` answers made from each
/// question's reference.
fn ratio(fake: impl Fn(&Question) -> Vec<String>) -> Option<(f64, f64, f64)> {
    let rows = rows()?;
    let questions = questions(&rows);
    let mut genuine = Vec::new();
    let mut faked = Vec::new();
    for q in &questions {
        for a in &q.genuine {
            genuine.push(f64::from(
                score_against_reference(&q.question, &q.reference, a).score,
            ));
        }
        for a in fake(q) {
            faked.push(f64::from(
                score_against_reference(&q.question, &q.reference, &a).score,
            ));
        }
    }
    let (g, f) = (mean(&genuine), mean(&faked));
    Some((g, f, f / g))
}

fn check(kind: &str, fake: impl Fn(&Question) -> Vec<String>) {
    let Some((genuine, faked, ratio)) = ratio(fake) else {
        eprintln!(
            "development data not found at {}: skipped",
            data_path().display()
        );
        return;
    };
    eprintln!("{kind}: {faked:.1} vs genuine full-credit {genuine:.1}: ratio {ratio:.2}");
    assert!(
        ratio <= 0.6,
        "{kind} scores {faked:.1}, {ratio:.2} of genuine full-credit answers ({genuine:.1})"
    );
}

fn shuffled_references(q: &Question) -> Vec<String> {
    shuffled_words(&q.reference)
}

fn keyword_lists(q: &Question) -> Vec<String> {
    vec![content_words(&q.reference).join(", ")]
}

fn keywords_in_filler(q: &Question) -> Vec<String> {
    let k = content_words(&q.reference).join(" ");
    vec![
        format!(
            "Well, I think the answer is {k}, and that is basically what I would say about it."
        ),
        format!("So the main thing here, as far as I know, would be {k}. I hope that makes sense."),
    ]
}

#[test]
fn a_shuffled_bag_of_the_reference_words_scores_at_most_0_6_of_genuine() {
    check("shuffled reference words", shuffled_references);
}

#[test]
fn a_comma_separated_keyword_list_scores_at_most_0_6_of_genuine() {
    check("keyword list", keyword_lists);
}

#[test]
fn a_keyword_list_in_filler_scores_at_most_0_6_of_genuine() {
    check("keywords in filler", keywords_in_filler);
}

/// The share of its points an answer loses for its word order and keyword stuffing.
fn order_loss(question: &str, reference: &str, answer: &str) -> f64 {
    let s = score_against_reference(question, reference, answer);
    let before: f64 = s
        .contributions
        .iter()
        .filter(|c| c.name != "word order" && c.name != "keyword stuffing")
        .map(|c| c.points)
        .sum();
    let lost: f64 = s
        .contributions
        .iter()
        .filter(|c| c.name == "word order" || c.name == "keyword stuffing")
        .map(|c| -c.points)
        .sum();
    if before > 0.0 {
        lost / before
    } else {
        0.0
    }
}

#[test]
fn word_order_marks_down_keyword_gaming_far_more_than_genuine_answers() {
    let Some(rows) = rows() else {
        eprintln!("development data not found: skipped");
        return;
    };
    let questions = questions(&rows);
    let genuine: Vec<f64> = questions
        .iter()
        .flat_map(|q| {
            q.genuine
                .iter()
                .map(|a| order_loss(&q.question, &q.reference, a))
        })
        .collect();
    let genuine = mean(&genuine);
    eprintln!(
        "genuine full-credit answers lose {:.1} % for word order",
        100.0 * genuine
    );
    let kinds: [(&str, Fake); 3] = [
        ("shuffled reference words", shuffled_references),
        ("keyword list", keyword_lists),
        ("keywords in filler", keywords_in_filler),
    ];
    for (kind, fake) in kinds {
        let losses: Vec<f64> = questions
            .iter()
            .flat_map(|q| {
                fake(q)
                    .into_iter()
                    .map(|a| order_loss(&q.question, &q.reference, &a))
                    .collect::<Vec<_>>()
            })
            .collect();
        let loss = mean(&losses);
        eprintln!("{kind}: loses {:.1} % for word order", 100.0 * loss);
        assert!(
            loss >= 3.0 * genuine,
            "{kind}: {loss:.3} vs genuine {genuine:.3}"
        );
    }
}

#[test]
fn genuine_paraphrases_beat_their_own_words_as_a_keyword_list() {
    let Some(rows) = rows() else {
        eprintln!("development data not found: skipped");
        return;
    };
    // Full-credit answers that share few words with the reference: paraphrases. Those
    // that share none earn only "substance", as their lists do, and tie with them: telling
    // a paraphrase's meaning needs more than words: with the meaning model they are
    // counted too (`crates/meaning/tests/development_data.rs`).
    let (mut paraphrases, mut above, mut below) = (0, 0, 0);
    for q in questions(&rows) {
        for a in &q.genuine {
            let s = score_against_reference(&q.question, &q.reference, a);
            if s.recall >= 0.5 || s.recall == 0.0 || a.split_whitespace().count() < 5 {
                continue;
            }
            paraphrases += 1;
            let list = content_words(a).join(", ");
            let l = score_against_reference(&q.question, &q.reference, &list);
            if s.score > l.score {
                above += 1;
            } else if s.score < l.score {
                below += 1;
                eprintln!("below its list ({} vs {}): {a}", s.score, l.score);
            }
        }
    }
    eprintln!(
        "of {paraphrases} paraphrases, {above} score above their keyword lists and {below} below"
    );
    assert!(paraphrases >= 20, "{paraphrases}");
    assert!(
        above as f64 >= 0.9 * paraphrases as f64,
        "{above} of {paraphrases}"
    );
    assert!(
        below as f64 <= 0.02 * paraphrases as f64,
        "{below} of {paraphrases}"
    );
}

/// A written answer as a transcript may have it: lower case, no punctuation.
fn unpunctuated(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_punctuation() && c != '\'' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

#[test]
fn the_reference_and_genuine_answers_with_or_without_punctuation_are_not_reshuffled() {
    let Some(rows) = rows() else {
        eprintln!("development data not found: skipped");
        return;
    };
    let (mut answers, mut total, mut worst) = (0, 0.0, 0.0f64);
    for q in questions(&rows) {
        let own = score_against_reference(&q.question, &q.reference, &q.reference);
        assert_eq!(own.reshuffled, 0.0, "{}", q.reference);
        for a in &q.genuine {
            for text in [a.clone(), unpunctuated(a)] {
                let s = score_against_reference(&q.question, &q.reference, &text);
                answers += 1;
                total += s.reshuffled;
                worst = worst.max(s.reshuffled);
            }
        }
    }
    eprintln!(
        "{answers} genuine full-credit answers (as written and unpunctuated): reshuffled \
         {:.4} on average, {worst:.2} at most",
        total / f64::from(answers)
    );
    assert!(answers >= 400, "{answers}");
    assert!(total / f64::from(answers) <= 0.005);
    assert!(worst <= 0.1, "{worst}");
}

#[test]
fn scoring_is_deterministic() {
    let Some(rows) = rows() else { return };
    for r in rows.iter().take(200) {
        let a = score_against_reference(&r.question, &r.reference, &r.answer);
        let b = score_against_reference(&r.question, &r.reference, &r.answer);
        assert_eq!(a, b);
    }
}
