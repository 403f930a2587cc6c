//! whisper.cpp with the converted tiny.en model, on speech made by espeak-ng in the test.

mod support;

use panelist_transcribe::{
    prompt, transcribe_answer, wer, LiveTranscription, TranscribeError, Transcriber, WhisperConfig,
    WhisperTranscriber, SAMPLE_RATE,
};
use support::{one_at_a_time, speak, tiny_en};

fn transcriber() -> WhisperTranscriber {
    WhisperTranscriber::load(WhisperConfig::new(tiny_en())).expect("the converted model loads")
}

/// Interview answers with the question they answer and the key-point vocabulary the
/// kiosk would pass as the prompt.
const ITEMS: &[(&str, &str, &[&str])] = &[
    (
        "I used cross-validation to check that the model generalizes to unseen data.",
        "How do you know a model will work on new data?",
        &[
            "cross-validation",
            "generalizes",
            "unseen data",
            "overfitting",
        ],
    ),
    (
        "We measured the ninety-fifth percentile latency before and after the change.",
        "How did you measure the performance improvement?",
        &["percentile", "latency", "throughput", "benchmark"],
    ),
    (
        "In my last project I led a team of four engineers and we shipped on time.",
        "Tell me about a time you led a team.",
        &["led", "team", "engineers", "shipped", "deadline"],
    ),
    (
        "The query was slow because the table had no index on the customer column.",
        "A database query is slow. How would you investigate?",
        &["query", "index", "table", "column", "execution plan"],
    ),
    (
        "I would start by profiling the code to find the bottleneck.",
        "A Python job is too slow. What would you do?",
        &["profiling", "bottleneck", "profiler", "optimise"],
    ),
    (
        "Overfitting happens when the model memorizes noise in the training set.",
        "What is overfitting?",
        &[
            "overfitting",
            "memorizes",
            "noise",
            "training set",
            "validation",
        ],
    ),
    (
        "We deployed the service with Kubernetes and monitored errors in production.",
        "How did you deploy and operate the service?",
        &[
            "Kubernetes",
            "deployed",
            "monitored",
            "production",
            "errors",
        ],
    ),
    (
        "A hash map gives constant time lookups on average.",
        "What is the complexity of a hash map lookup?",
        &["hash map", "constant time", "lookups", "collisions"],
    ),
];

#[test]
fn spoken_answers_are_transcribed_within_twelve_percent_wer_with_the_prompt() {
    let _turn = one_at_a_time();
    let mut t = transcriber();
    let (mut words, mut errors_prompted, mut errors_plain) = (0.0, 0.0, 0.0);
    for (text, question, vocabulary) in ITEMS {
        let vocabulary: Vec<String> = vocabulary.iter().map(|v| v.to_string()).collect();
        let p = prompt::for_question(question, &vocabulary);
        for voice in ["en-us", "en-gb"] {
            for rate in [140, 175] {
                let audio = speak(text, voice, rate);
                let n = wer::normalise(text).len() as f64;
                let prompted = transcribe_answer(&mut t, &audio, &p).expect("transcribe");
                let plain = transcribe_answer(&mut t, &audio, "").expect("transcribe");
                let (wp, wn) = (wer::wer(text, &prompted.text), wer::wer(text, &plain.text));
                if wp > 0.0 {
                    eprintln!(
                        "{voice} {rate} wpm, WER {wp:.2}: {text} -> {}",
                        prompted.text
                    );
                }
                words += n;
                errors_prompted += wp * n;
                errors_plain += wn * n;
            }
        }
    }
    let (prompted, plain) = (errors_prompted / words, errors_plain / words);
    eprintln!(
        "WER over {words} words: {:.1} % with the prompt, {:.1} % without",
        prompted * 100.0,
        plain * 100.0
    );
    assert!(
        prompted <= 0.12,
        "WER {prompted:.3} with the prompt is above 12 %"
    );
    assert!(
        prompted < plain,
        "the prompt should help: {prompted:.3} vs {plain:.3}"
    );
}

#[test]
fn a_long_answer_is_chunked_and_live_partials_agree_with_the_final_pass() {
    let _turn = one_at_a_time();
    let sentences: Vec<&str> = ITEMS.iter().map(|(s, _, _)| *s).collect();
    let text = sentences.join(" ");
    let audio = speak(&text, "en-us", 160);
    let seconds = audio.len() as f64 / SAMPLE_RATE as f64;
    assert!(seconds > 25.0, "{seconds} s");
    let vocabulary: Vec<String> = ITEMS
        .iter()
        .flat_map(|(_, _, v)| v.iter().map(|s| s.to_string()))
        .collect();
    let p = prompt::for_question("Tell me about your recent technical work.", &vocabulary);

    let mut t = transcriber();
    let whole = transcribe_answer(&mut t, &audio, &p).expect("final pass");
    let whole_wer = wer::wer(&text, &whole.text);
    assert!(
        whole_wer <= 0.2,
        "final pass WER {whole_wer:.2}: {}",
        whole.text
    );

    let mut live = LiveTranscription::new(&mut t, &p);
    let mut partials = Vec::new();
    for block in audio.chunks(SAMPLE_RATE / 4) {
        if let Some(partial) = live.push(block).expect("push") {
            partials.push(partial);
        }
    }
    assert!(partials.len() >= 10, "{} partials", partials.len());
    // Partials grow as the answer goes on.
    let first = wer::normalise(&partials[0]).len();
    let last = wer::normalise(partials.last().map(String::as_str).unwrap_or_default()).len();
    assert!(last > first, "{first} -> {last}");
    let live_final = live.finish().expect("finish");
    let live_wer = wer::wer(&text, &live_final.text);
    assert!(
        live_wer <= 0.2,
        "live WER {live_wer:.2}: {}",
        live_final.text
    );
}

#[test]
fn a_short_answer_and_empty_audio() {
    let _turn = one_at_a_time();
    let mut t = transcriber();
    let audio = speak("Kubernetes.", "en-us", 160);
    assert!(audio.len() < SAMPLE_RATE * 2);
    let out = t
        .transcribe(
            &audio,
            &prompt::for_question("Which orchestrator did you use?", &["Kubernetes".into()]),
        )
        .expect("short");
    assert!(
        out.text.to_lowercase().contains("kubernetes"),
        "{}",
        out.text
    );
    let empty = t.transcribe(&[], "").expect("empty");
    assert_eq!(empty.text, "");
}

#[test]
fn a_missing_or_invalid_model_is_a_clear_error() {
    let missing = WhisperTranscriber::load(WhisperConfig::new("/nonexistent/ggml.bin"));
    assert!(matches!(missing, Err(TranscribeError::ModelMissing { .. })));
    let dir = tempfile::tempdir().expect("tempdir");
    let fake = dir.path().join("ggml-fake.bin");
    std::fs::write(&fake, b"this is not a model").expect("write");
    match WhisperTranscriber::load(WhisperConfig::new(&fake)) {
        Err(TranscribeError::ModelInvalid { .. }) => {}
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => panic!("a text file loaded as a model"),
    }
}
