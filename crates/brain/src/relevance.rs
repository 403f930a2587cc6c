//! BM25 relevance of bank questions to a job: each question is a document (its text,
//! tags and key-point terms); the query is the job's role and description, with the
//! skills it requires counted again so that they weigh more than incidental words.

use std::collections::BTreeMap;

use crate::bank::{Bank, BankQuestion};
use crate::skills::SkillMention;
use crate::text;

/// Term-frequency saturation: the third mention of a word adds little.
const K1: f64 = 1.2;
/// Length normalisation: long questions do not win by having more words.
const B: f64 = 0.75;

/// Content stems of everything a question asks and expects, repeats kept.
fn document(q: &BankQuestion) -> Vec<String> {
    let mut parts = vec![q.question.text.clone()];
    parts.extend(q.question.tags.iter().cloned());
    for kp in &q.question.key_points {
        parts.push(kp.label.clone());
        parts.extend(kp.terms.iter().cloned());
    }
    parts.iter().flat_map(|p| text::content_stems(p)).collect()
}

/// A BM25 index over the bank's questions.
pub struct Index<'a> {
    questions: Vec<&'a BankQuestion>,
    term_counts: Vec<BTreeMap<String, f64>>,
    lengths: Vec<f64>,
    average_length: f64,
    document_frequency: BTreeMap<String, f64>,
}

impl<'a> Index<'a> {
    pub fn new(bank: &'a Bank) -> Self {
        let questions: Vec<&BankQuestion> = bank.questions.iter().collect();
        let mut term_counts = Vec::with_capacity(questions.len());
        let mut lengths = Vec::with_capacity(questions.len());
        let mut document_frequency: BTreeMap<String, f64> = BTreeMap::new();
        for q in &questions {
            let doc = document(q);
            let mut counts: BTreeMap<String, f64> = BTreeMap::new();
            for stem in &doc {
                *counts.entry(stem.clone()).or_default() += 1.0;
            }
            for stem in counts.keys() {
                *document_frequency.entry(stem.clone()).or_default() += 1.0;
            }
            lengths.push(doc.len() as f64);
            term_counts.push(counts);
        }
        let average_length = lengths.iter().sum::<f64>() / lengths.len().max(1) as f64;
        Self {
            questions,
            term_counts,
            lengths,
            average_length,
            document_frequency,
        }
    }

    fn idf(&self, stem: &str) -> f64 {
        let n = self.questions.len() as f64;
        let df = self.document_frequency.get(stem).copied().unwrap_or(0.0);
        ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
    }

    /// BM25 score of every question for a query given as stems (repeats weigh more).
    pub fn scores(&self, query: &[String]) -> BTreeMap<String, f64> {
        let mut query_counts: BTreeMap<&str, f64> = BTreeMap::new();
        for stem in query {
            *query_counts.entry(stem.as_str()).or_default() += 1.0;
        }
        self.questions
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let norm = K1 * (1.0 - B + B * self.lengths[i] / self.average_length.max(1.0));
                let score = query_counts
                    .iter()
                    .map(|(stem, qtf)| {
                        let tf = self.term_counts[i].get(*stem).copied().unwrap_or(0.0);
                        if tf == 0.0 {
                            0.0
                        } else {
                            // Repeats in the query count, but with diminishing returns.
                            qtf.sqrt() * self.idf(stem) * tf * (K1 + 1.0) / (tf + norm)
                        }
                    })
                    .sum();
                (q.id.clone(), score)
            })
            .collect()
    }
}

/// The query for a job: its role and description, plus each skill it requires named
/// twice more (by its canonical name's stems).
pub fn job_query(job_role: &str, job_description: &str, skills: &[SkillMention]) -> Vec<String> {
    let mut query = text::content_stems(&format!("{job_role} {job_description}"));
    for m in skills.iter().filter(|m| m.required) {
        for alias in m.skill.aliases.iter().take(1).chain([&m.skill.name]) {
            query.extend(text::content_stems(alias));
        }
    }
    query
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::skills;

    #[test]
    fn a_job_about_kafka_ranks_the_kafka_questions_first() {
        let bank = Bank::embedded().expect("bank");
        let index = Index::new(&bank);
        let jd = "We need an engineer to build our Kafka event pipelines: consumers, \
                  partitions, and exactly-once delivery into the warehouse.";
        let query = job_query("Data Engineer", jd, &skills::extract(jd));
        let scores = index.scores(&query);
        let mut ranked: Vec<(&String, &f64)> = scores.iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
        let top: Vec<&str> = ranked.iter().take(5).map(|(id, _)| id.as_str()).collect();
        let about_kafka: Vec<&str> = bank
            .questions
            .iter()
            .filter(|q| {
                format!("{} {:?}", q.question.text, q.question.key_points)
                    .to_lowercase()
                    .contains("kafka")
            })
            .map(|q| q.id.as_str())
            .collect();
        assert!(about_kafka.contains(&top[0]), "{top:?}");
        let in_top = about_kafka.iter().filter(|id| top.contains(id)).count();
        assert!(in_top >= 3, "{top:?} vs {about_kafka:?}");
    }

    #[test]
    fn unrelated_jobs_score_nothing_and_repeats_saturate() {
        let bank = Bank::embedded().expect("bank");
        let index = Index::new(&bank);
        let none = index.scores(&text::content_stems("zzqx wobblefrotz"));
        assert!(none.values().all(|s| *s == 0.0));
        let once = index.scores(&text::content_stems("kubernetes"));
        let thrice = index.scores(&text::content_stems("kubernetes kubernetes kubernetes"));
        let best = once
            .iter()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(id, _)| id.clone())
            .expect("scores");
        assert!(thrice[&best] > once[&best]);
        assert!(thrice[&best] < 3.0 * once[&best], "query repeats saturate");
    }
}
