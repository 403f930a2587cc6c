//! Per-answer scoring time with the meaning model (target: ≤ 50 ms on 2 cores), against
//! bank questions and answers of about 30, 85 and 150 words. "cold" is an interview's
//! first answer to a question (its key points embedded too), "key points cached" an
//! answer whose every sentence is new scored with the key points already embedded (the
//! `Meaning` cache of one interview); "words only" is the scorer without the model.
//! Prints figures; no pass/fail. Needs the model (models/fetch-meaning-model.sh).
//!
//!     cargo bench --workspace --bench meaning

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use panelist_brain::meaning::Meaning;
use panelist_brain::scoring::score_answer_with;
use panelist_brain::OfflineBrain;
use panelist_meaning::MeaningModel;

const SENTENCES: [&str; 8] = [
    "I would start by profiling the service to find the hot path before changing anything.",
    "For example, on my last project a dashboard endpoint took two seconds because of a missing index.",
    "After we added the index it answered in eighty milliseconds, and we kept a regression test for it.",
    "The trade-off is that every index slows down writes a little, so I measure before and after.",
    "I also look at caching the results that rarely change, with a clear rule for when they expire.",
    "Then I would add an alert on the latency so that a slowdown does not come back unnoticed.",
    "In short, measure first, fix the biggest cause, and make sure it stays fixed.",
    "If the load keeps growing, the next step is to split reads from writes or add replicas.",
];

fn answer(sentences: usize) -> String {
    SENTENCES
        .iter()
        .cycle()
        .take(sentences)
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

fn percentile(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let start = Instant::now();
    let Some(model) = MeaningModel::find_and_load(None) else {
        eprintln!("meaning model not found (models/fetch-meaning-model.sh): nothing to measure");
        return;
    };
    let model = model.unwrap();
    let _ = model.embed("warm up").unwrap();
    println!(
        "model loaded from {} ({} ms to load and first embed)",
        model.dir().display(),
        start.elapsed().as_millis()
    );
    println!(
        "threads: {} (RAYON_NUM_THREADS or the machine's cores)",
        std::env::var("RAYON_NUM_THREADS").unwrap_or_else(|_| std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .to_string())
    );
    #[cfg(target_arch = "x86_64")]
    println!(
        "cpu: avx512f {}, avx2 {} (gemm's and the GELU's kernels are chosen at run time)",
        std::arch::is_x86_feature_detected!("avx512f"),
        std::arch::is_x86_feature_detected!("avx2"),
    );
    let brain = OfflineBrain::embedded().unwrap();
    let questions: Vec<_> = brain.bank().questions.iter().step_by(10).take(20).collect();
    for sentences in [2, 5, 9] {
        let text = answer(sentences);
        let words = text.split_whitespace().count();
        let (mut cold, mut warm, mut plain) = (Vec::new(), Vec::new(), Vec::new());
        for q in &questions {
            let q = &q.question;
            let meaning = Meaning::new(&model);
            let t = Instant::now();
            let a = score_answer_with(&q.text, &text, &q.key_points, 40.0, Some(&meaning));
            cold.push(t.elapsed());
            // Another candidate's answer with this interview's key points already embedded:
            // every sentence is new (none cached).
            let fresh = Meaning::new(&model);
            for kp in &q.key_points {
                let _ = fresh.vector(&kp.label);
            }
            let later = text.replace(' ', "  ").replace('.', " .");
            let t = Instant::now();
            let b = score_answer_with(&q.text, &later, &q.key_points, 40.0, Some(&fresh));
            warm.push(t.elapsed());
            let t = Instant::now();
            let c = score_answer_with(&q.text, &text, &q.key_points, 40.0, None);
            plain.push(t.elapsed());
            std::hint::black_box((a, b, c));
        }
        println!(
            "{words:>3} words, {} questions: cold p50 {:>5.1} ms p95 {:>5.1} ms | key points cached p50 {:>5.1} ms p95 {:>5.1} ms | words only p50 {:.2} ms",
            questions.len(),
            percentile(&mut cold, 0.5).as_secs_f64() * 1e3,
            percentile(&mut cold, 0.95).as_secs_f64() * 1e3,
            percentile(&mut warm, 0.5).as_secs_f64() * 1e3,
            percentile(&mut warm, 0.95).as_secs_f64() * 1e3,
            percentile(&mut plain, 0.5).as_secs_f64() * 1e3,
        );
    }
}
