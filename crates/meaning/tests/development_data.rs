//! The written-answer scorer with the meaning model on the development data (human-graded
//! short answers in `../shared/data`, kept outside the repository; skipped with a message
//! when absent): genuine paraphrases score above their own words as a keyword list, and
//! keyword lists, keywords in filler and the reference's words shuffled score at most 0.6
//! times the genuine full-credit answers (issue 17). Needs the model; says so when absent.

#[path = "../../brain/tests/dev_data/mod.rs"]
mod dev_data;

use panelist_brain::meaning::Meaning;
use panelist_brain::scoring::score_against_reference_with;
use panelist_brain::text;
use panelist_meaning::MeaningModel;

use dev_data::{data_path, full_credit, shuffled_words, FullCredit};

fn setup() -> Option<(MeaningModel, FullCredit)> {
    let Some(rows) = full_credit() else {
        eprintln!(
            "development data not found at {}: skipped",
            data_path().display()
        );
        return None;
    };
    match MeaningModel::find_and_load(None) {
        Some(m) => Some((m.expect("the meaning model does not load"), rows)),
        None => {
            eprintln!("meaning model not found: skipped (models/fetch-meaning-model.sh)");
            None
        }
    }
}

fn content_words(t: &str) -> Vec<String> {
    text::unique(text::content(t).into_iter().map(|(w, _)| w))
}

#[test]
fn genuine_paraphrases_beat_their_own_words_as_a_keyword_list_with_meaning() {
    let Some((model, questions)) = setup() else {
        return;
    };
    let meaning = Meaning::new(&model);
    let (mut paraphrases, mut above, mut below) = (0u32, 0u32, 0u32);
    let (mut own, mut listed) = (0.0, 0.0);
    for ((q, r), answers) in &questions {
        for a in answers {
            let s = score_against_reference_with(q, r, a, Some(&meaning));
            if s.recall >= 0.5 || a.split_whitespace().count() < 5 {
                continue;
            }
            paraphrases += 1;
            let l =
                score_against_reference_with(q, r, &content_words(a).join(", "), Some(&meaning));
            own += f64::from(s.score);
            listed += f64::from(l.score);
            if s.score > l.score {
                above += 1;
            } else if s.score < l.score {
                below += 1;
                eprintln!("below its list ({} vs {}): {a}", s.score, l.score);
            }
        }
    }
    let n = f64::from(paraphrases.max(1));
    eprintln!(
        "of {paraphrases} paraphrases, {above} score above their keyword lists and {below} below \
         (means {:.1} vs {:.1})",
        own / n,
        listed / n
    );
    // Paraphrases sharing no word with the reference count here too (the words-only test
    // leaves them out: without meaning they tie with their lists); a few of those lose
    // to their list by 1-3 points.
    assert!(paraphrases >= 20, "{paraphrases}");
    assert!(f64::from(above) >= 0.9 * n, "{above} of {paraphrases}");
    assert!(f64::from(below) <= 0.03 * n, "{below} of {paraphrases}");
    assert!(own / n >= listed / n + 5.0, "{own} vs {listed}");
}

#[test]
fn keyword_gaming_against_genuine_full_credit_answers_with_meaning() {
    let Some((model, questions)) = setup() else {
        return;
    };
    let meaning = Meaning::new(&model);
    let score = |q: &str, r: &str, a: &str| {
        f64::from(score_against_reference_with(q, r, a, Some(&meaning)).score)
    };
    let (mut genuine, mut list, mut filler, mut shuffles) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for ((q, r), answers) in &questions {
        genuine.extend(answers.iter().map(|a| score(q, r, a)));
        shuffles.extend(shuffled_words(r).iter().map(|a| score(q, r, a)));
        let k = content_words(r);
        list.push(score(q, r, &k.join(", ")));
        filler.push(score(
            q,
            r,
            &format!(
                "Well, I think the answer is {}, and that is basically what I would say about it.",
                k.join(" ")
            ),
        ));
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let g = mean(&genuine);
    eprintln!(
        "genuine {g:.1}; keyword list ratio {:.2}; keywords in filler ratio {:.2}; shuffled \
         reference words ratio {:.2}",
        mean(&list) / g,
        mean(&filler) / g,
        mean(&shuffles) / g
    );
    assert!(mean(&list) <= 0.6 * g && mean(&filler) <= 0.6 * g && mean(&shuffles) <= 0.6 * g);
}
