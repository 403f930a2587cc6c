//! Transcription benchmark: one whisper model through whisper.cpp on the production paths.
//!
//! ```sh
//! bash scripts/bench.sh      # every model, faster-whisper beside them, one table
//! cargo bench --workspace --bench transcribe                 # one model alone
//! ```
//!
//! Prints, for the model in `PANELIST_WHISPER_MODEL` (default `models/ggml-tiny.en.bin`)
//! on the threads of `WhisperConfig::new`:
//!
//! 1. the real-time factor (processing time / audio duration) of `transcribe_answer` on
//!    5, 30 and 60 s answers spoken by espeak-ng, with their word error rate (median of
//!    `PANELIST_BENCH_REPEATS` runs, default 3), at the beam size of the kiosk's final
//!    pass (`WhisperConfig::tail_beam_size`, the pass someone waits for at the end of an
//!    answer) unless `PANELIST_BENCH_FINAL_BEAM` says otherwise;
//! 2. the latency from the end of a 30 s answer (closed 0.2 s after its last word, or after
//!    an earlier sentence, in turn) to its final transcript when
//!    `LiveTranscription` ran during the answer with the production configuration, fed in
//!    real time (p50 and p95 of `PANELIST_BENCH_LIVE_REPEATS` runs, default 3; the audio
//!    clock is simulated, so a run takes only its processing time: `benches/support`);
//! 3. the process's peak memory (VmHWM), after each stage, and the model's size.
//!
//! `PANELIST_BENCH_THREADS`, `PANELIST_BENCH_BEAM`, `PANELIST_BENCH_TAIL_BEAM` and
//! `PANELIST_BENCH_FLASH` (0 or 1) override the production thread count, beam sizes (1 is
//! greedy decoding) and flash attention, for experiments, and
//! `PANELIST_BENCH_VERBOSE=1` prints every live partial as it comes.
//!
//! The answers are written as 16 kHz mono 16-bit WAV files, with their spoken text and the
//! prompt, to `PANELIST_BENCH_DIR` (default `$CARGO_TARGET_DIR/bench`, else `target/bench`),
//! so `scripts/bench_faster_whisper.py` can transcribe the very same audio; with
//! `PANELIST_BENCH_REUSE_AUDIO=1` answers already there are read instead (so every model of
//! a `scripts/bench.sh` run hears the same files). The figures go to
//! `whisper_cpp_<label>.tsv` (per length) and `whisper_cpp_<label>_summary.tsv` (model,
//! memory, live latency) there, where the label is `PANELIST_BENCH_LABEL` or the model
//! file's name without `ggml-` and `.bin`; the transcripts to
//! `whisper_cpp_<label>_transcripts.txt`, and each live run's partials to
//! `live_trace_<label>_<run>.tsv`. Every run transcribes the audio read back from those
//! files, so both engines see the same samples. A line after each stage says how much of
//! the CPU other processes took meanwhile: whisper.cpp's threads spin while they wait, so
//! on two cores any other load slows it down many times over. No thresholds: this only
//! measures.

mod support;

use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use panelist_speech::{EspeakSpeaker, Speaker, VoiceSettings};
use panelist_transcribe::{
    prompt, transcribe_answer, wer, WhisperConfig, WhisperTranscriber, SAMPLE_RATE,
};
use support::{
    live_answers, live_stage, load_average, median, proc_status_kb, seconds_of, CpuWatch,
    CLOSE_AFTER_SECONDS, LIVE_BLOCKS_MS,
};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// Answer lengths measured, in seconds.
const LENGTHS: [usize; 3] = [5, 30, 60];

/// The answer fed live, in seconds.
const LIVE_SECONDS: usize = 30;

/// espeak-ng voice and speaking rate (words per minute) of the candidate.
const VOICE: &str = "en-us";
const RATE_WPM: u32 = 160;

/// Silence between two spoken sentences, and before the first.
const PAUSE_SECONDS: f64 = 0.35;
const LEAD_IN_SECONDS: f64 = 0.2;

/// Speech ends at least this long before the end of an answer (the candidate stops, then
/// the answer is closed).
const MIN_TAIL_SECONDS: f64 = 0.2;

/// The question answered; its vocabulary goes into the prompt as in production.
const QUESTION: &str =
    "Tell me about a data project you are proud of, and how you validated the model.";
const VOCABULARY: &[&str] = &[
    "cross-validation",
    "baseline",
    "percentile",
    "latency",
    "leakage",
    "stakeholders",
    "A/B test",
    "data drift",
];

/// What the candidate says, in order. Each answer takes sentences from its own starting
/// point (`answer_start`), so the 30 s and 60 s answers do not share their openings.
const SENTENCES: &[&str] = &[
    "In my last role I led a small team that built a churn prediction model for a subscription business.",
    "We started with a simple logistic regression as a baseline, so we knew what good looked like.",
    "The data came from three different systems, and cleaning it took almost half of the project.",
    "I wrote validation checks that flagged missing values and duplicate customer records every night.",
    "To compare models fairly, we used five-fold cross-validation on data from the previous year.",
    "Gradient boosting improved recall by about twelve percent over the baseline.",
    "We also watched the ninety-fifth percentile latency, because the model had to answer within two hundred milliseconds.",
    "When the results looked too good, I checked for leakage and found a feature that was recorded after cancellation.",
    "Removing it lowered the score, but the model became honest and much more useful.",
    "I explained the trade-offs to the stakeholders with a few clear charts instead of a long report.",
    "Then we ran an A/B test for four weeks before rolling the model out to every region.",
    "The retention team used the scores to call the customers who were most likely to leave.",
    "After the launch, churn in the test group dropped by three points compared with the control group.",
    "Looking back, I would have involved the data engineers much earlier.",
    "I learned that a clear problem statement matters more than a clever algorithm.",
    "When we disagreed about priorities, I asked everyone to agree on one metric first.",
    "Monitoring mattered as much as training, so we set up alerts for data drift.",
    "Once, a schema change upstream broke our pipeline on a Friday evening.",
    "We rolled back within an hour and added a contract test so it would not happen again.",
    "I enjoy mentoring junior analysts and reviewing their code.",
    "My goal is always to ship something small, measure it, and improve it step by step.",
    "Good documentation saved us weeks when a new colleague joined the team.",
    "I would start by asking which decision the model supports.",
    "That is the project I am most proud of.",
];

/// Where in `SENTENCES` each answer starts.
fn answer_start(seconds: usize) -> usize {
    match seconds {
        5 => 22,
        30 => 13,
        _ => 0,
    }
}

/// One sentence as 16 kHz samples.
struct Spoken {
    text: &'static str,
    samples: Vec<f32>,
}

fn samples_of(seconds: f64) -> usize {
    (seconds * SAMPLE_RATE as f64).round() as usize
}

fn speak_all() -> Result<Vec<Spoken>> {
    let speaker = EspeakSpeaker::new()?;
    let settings = VoiceSettings::new(VOICE, RATE_WPM);
    let mut out = Vec::new();
    for text in SENTENCES {
        let speech = speaker.speak(text, &settings)?;
        let pcm: Vec<f32> = speech
            .samples
            .iter()
            .map(|s| f32::from(*s) / 32768.0)
            .collect();
        let samples =
            panelist_audio::resample::resample(&pcm, speech.sample_rate, SAMPLE_RATE as u32)
                .ok_or("espeak-ng's sample rate cannot be resampled")?;
        out.push(Spoken { text, samples });
    }
    Ok(out)
}

/// An answer of exactly `seconds`: sentences from `answer_start(seconds)` on (wrapping,
/// skipping any that no longer fit) with short pauses, then silence to the end.
fn make_answer(spoken: &[Spoken], seconds: usize) -> (Vec<f32>, String, f64) {
    let total = seconds * SAMPLE_RATE;
    let room = total - samples_of(MIN_TAIL_SECONDS);
    let pause = samples_of(PAUSE_SECONDS);
    let mut audio = vec![0.0f32; samples_of(LEAD_IN_SECONDS)];
    let mut texts = Vec::new();
    let start = answer_start(seconds);
    for i in 0..spoken.len() {
        let sentence = &spoken[(start + i) % spoken.len()];
        let gap = if texts.is_empty() { 0 } else { pause };
        if audio.len() + gap + sentence.samples.len() <= room {
            audio.resize(audio.len() + gap, 0.0);
            audio.extend_from_slice(&sentence.samples);
            texts.push(sentence.text);
        }
    }
    let speech_ends = seconds_of(audio.len());
    audio.resize(total, 0.0);
    (audio, texts.join(" "), speech_ends)
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

fn out_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("PANELIST_BENCH_DIR") {
        return PathBuf::from(dir);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    target.join("bench")
}

fn model_path() -> PathBuf {
    std::env::var_os("PANELIST_WHISPER_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("models/ggml-tiny.en.bin"))
}

/// The name the figures are filed under: `PANELIST_BENCH_LABEL`, else the model file's
/// name without `ggml-` and `.bin` (`tiny.en-q8_0`). Only name characters are kept.
fn model_label(model: &Path) -> String {
    let raw = std::env::var("PANELIST_BENCH_LABEL").unwrap_or_else(|_| {
        let name = model
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = name.strip_prefix("ggml-").unwrap_or(&name);
        name.strip_suffix(".bin").unwrap_or(name).to_string()
    });
    let label: String = raw
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(64)
        .collect();
    if label.is_empty() {
        "model".into()
    } else {
        label
    }
}

/// The answers of an earlier run in `dir` (WAV and text per length), if all are there.
fn reuse_answers(dir: &Path) -> Option<Vec<(usize, Vec<f32>, String)>> {
    LENGTHS
        .iter()
        .map(|&seconds| {
            let wav = dir.join(format!("answer_{seconds}s.wav"));
            let text = std::fs::read_to_string(dir.join(format!("answer_{seconds}s.txt"))).ok()?;
            let audio = panelist_audio::load_wav(&wav).ok()?;
            Some((seconds, audio, text))
        })
        .collect()
}

fn main() -> Result<()> {
    // `cargo bench` passes `--bench`; a filter or other flags are ignored.
    let started = Instant::now();
    let repeats = env_usize("PANELIST_BENCH_REPEATS", 3);
    let live_repeats = env_usize("PANELIST_BENCH_LIVE_REPEATS", 3);
    let dir = out_dir();
    std::fs::create_dir_all(&dir)?;
    let model = model_path();
    let label = model_label(&model);
    let model_bytes = std::fs::metadata(&model)
        .map_err(|e| {
            format!(
                "{}: {e}; run scripts/setup.sh or models/fetch-model.sh",
                model.display()
            )
        })?
        .len();

    let mut config = WhisperConfig::new(&model);
    // For experiments only: the figures asked for are with the production defaults.
    config.threads = env_usize("PANELIST_BENCH_THREADS", config.threads);
    config.beam_size = env_usize("PANELIST_BENCH_BEAM", config.beam_size);
    config.tail_beam_size = env_usize("PANELIST_BENCH_TAIL_BEAM", config.tail_beam_size);
    config.flash_attention =
        env_usize("PANELIST_BENCH_FLASH", config.flash_attention as usize) == 1;
    // Stage 1 decodes whole answers at the final pass's beam; the live stage runs the
    // production configuration (`config`).
    let final_beam = env_usize("PANELIST_BENCH_FINAL_BEAM", config.tail_beam_size);
    let mut final_config = config.clone();
    final_config.beam_size = final_beam;
    println!("transcription benchmark (whisper.cpp via whisper-rs): {label}");
    println!(
        "  model        {} ({:.1} MiB)",
        model.display(),
        model_bytes as f64 / 1024.0 / 1024.0
    );
    println!(
        "  config       threads {}, beam size {} (tail after a live answer {}; whole answers below {final_beam}), reduced audio context {}, flash attention {}",
        config.threads,
        config.beam_size,
        config.tail_beam_size,
        config.reduce_audio_context,
        config.flash_attention
    );
    println!("  system       {}", whisper_rs::print_system_info().trim());
    println!("  load         {} (1, 5, 15 min)", load_average());
    println!(
        "  audio        espeak-ng {VOICE} at {RATE_WPM} wpm -> {}",
        dir.display()
    );

    // The answers, written and read back so every engine gets the same 16-bit samples.
    let question_prompt = prompt::for_question(
        QUESTION,
        &VOCABULARY.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
    );
    std::fs::write(dir.join("prompt.txt"), &question_prompt)?;
    let reused = if env_usize("PANELIST_BENCH_REUSE_AUDIO", 0) == 1 {
        reuse_answers(&dir)
    } else {
        None
    };
    let mut answers = Vec::new();
    if let Some(earlier) = reused {
        for (seconds, audio, text) in earlier {
            println!(
                "  answer {seconds:>2} s  {} words (the run's earlier files)",
                wer::normalise(&text).len()
            );
            answers.push((seconds, audio, text));
        }
    }
    let spoken = if answers.is_empty() {
        speak_all()?
    } else {
        Vec::new()
    };
    for seconds in LENGTHS.into_iter().filter(|_| !spoken.is_empty()) {
        let (audio, text, speech_ends) = make_answer(&spoken, seconds);
        let wav = dir.join(format!("answer_{seconds}s.wav"));
        panelist_audio::write_wav(&wav, &audio)?;
        std::fs::write(dir.join(format!("answer_{seconds}s.txt")), &text)?;
        let audio = panelist_audio::load_wav(&wav)?;
        println!(
            "  answer {seconds:>2} s  {} words, speech until {speech_ends:.1} s",
            wer::normalise(&text).len()
        );
        answers.push((seconds, audio, text));
    }
    let hwm_audio = proc_status_kb("VmHWM").unwrap_or(0);

    let load_started = Instant::now();
    let mut transcriber = WhisperTranscriber::load(final_config)?;
    let load_seconds = load_started.elapsed().as_secs_f64();
    println!("  model load   {load_seconds:.2} s");
    // One untimed pass, so buffers are allocated and pages are warm.
    transcribe_answer(&mut transcriber, &answers[0].1, &question_prompt)?;
    let hwm_model = proc_status_kb("VmHWM").unwrap_or(0);

    // 1. Final pass: real-time factor and WER.
    let cpu = CpuWatch::start();
    println!();
    println!("1. whole answers (transcribe_answer, beam {final_beam}), median of {repeats} runs");
    println!("   length   median s   min s    max s    RTF      WER");
    let mut tsv = String::from("length_s\tmedian_s\tmin_s\tmax_s\trtf\twer\n");
    let mut transcripts = String::new();
    for (seconds, audio, text) in &answers {
        let mut times = Vec::new();
        let mut wers = Vec::new();
        let mut first_text = None;
        for _ in 0..repeats {
            let t = Instant::now();
            let out = transcribe_answer(&mut transcriber, audio, &question_prompt)?;
            times.push(t.elapsed().as_secs_f64());
            wers.push(wer::wer(text, &out.text));
            first_text.get_or_insert(out.text);
        }
        let (min, max) = times.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), t| {
            (lo.min(*t), hi.max(*t))
        });
        let med = median(&times);
        let wer_spread = wers.iter().fold(0.0f64, |m, w| m.max(*w))
            - wers.iter().fold(f64::INFINITY, |m, w| m.min(*w));
        let wer_med = median(&wers);
        let rtf = med / *seconds as f64;
        println!(
            "   {seconds:>3} s   {med:>8.3}  {min:>7.3}  {max:>7.3}  {rtf:>7.4}  {:>5.1} %{}",
            wer_med * 100.0,
            if wer_spread > 0.0 {
                " (varied between runs)"
            } else {
                ""
            }
        );
        let _ = writeln!(
            tsv,
            "{seconds}\t{med:.4}\t{min:.4}\t{max:.4}\t{rtf:.5}\t{wer_med:.4}"
        );
        let _ = writeln!(
            transcripts,
            "== {seconds} s\nspoken: {text}\nheard:  {}\n",
            first_text.unwrap_or_default()
        );
    }

    let others_final = cpu.others();
    println!("   other processes used {others_final} of the machine's CPU meanwhile");
    std::fs::write(dir.join(format!("whisper_cpp_{label}.tsv")), tsv)?;
    let hwm_final = proc_status_kb("VmHWM").unwrap_or(0);
    // The live stage runs the production configuration.
    drop(transcriber);
    let mut transcriber = WhisperTranscriber::load(config)?;

    // 2. Live partials during a 30 s answer, then the final transcript.
    let (_, live_audio, live_text) = answers
        .iter()
        .find(|(s, _, _)| *s == LIVE_SECONDS)
        .ok_or("no live-length answer")?;
    // The answer closed right after its last word, and after each earlier sentence (at
    // least 10 s in), in turn: the tail's pass has the last sentence to read.
    let endings = live_answers(live_audio, 10.0);
    println!();
    println!(
        "2. live: the {LIVE_SECONDS} s answer closed {CLOSE_AFTER_SECONDS} s after its last word or an earlier sentence's ({} endings), fed at the pace of capture on a simulated clock ({}-{} ms blocks), then finish()",
        endings.len(),
        LIVE_BLOCKS_MS.iter().min().copied().unwrap_or(0),
        LIVE_BLOCKS_MS.iter().max().copied().unwrap_or(0)
    );
    let cpu = CpuWatch::start();
    let mut live_tsv = String::from(
        "run\tlatency_s\tfinish_s\tbehind_at_end_s\tfurthest_behind_s\tslowest_push_s\tpartials\tpushes\twer\n",
    );
    let live = live_stage(
        &mut transcriber,
        &endings,
        live_text,
        &question_prompt,
        live_repeats,
        |run, r, live_wer| {
            let _ = writeln!(
                live_tsv,
                "{}\t{:.4}\t{:.4}\t{:.4}\t{:.4}\t{:.4}\t{}\t{}\t{live_wer:.4}",
                run + 1,
                r.latency.as_secs_f64(),
                r.finish.as_secs_f64(),
                r.behind_at_end.as_secs_f64(),
                r.max_behind.as_secs_f64(),
                r.slowest_push.as_secs_f64(),
                r.partials,
                r.pushes
            );
            let _ = writeln!(
                transcripts,
                "== live {LIVE_SECONDS} s, run {}\nheard:  {}\n",
                run + 1,
                r.text
            );
            std::fs::write(
                dir.join(format!("live_trace_{label}_{}.tsv", run + 1)),
                &r.trace,
            )
        },
    )?;
    std::fs::write(dir.join(format!("whisper_cpp_{label}_live.tsv")), live_tsv)?;
    let live_latency = live.p50();
    let live_p95 = live.p95();
    let live_finish = median(&live.finishes);
    let live_wer_median = median(&live.wers);
    live.print_summary();
    let others_live = cpu.others();
    println!("   other processes used {others_live} of the machine's CPU meanwhile");

    // 3. Memory.
    println!();
    let hwm = proc_status_kb("VmHWM").unwrap_or(0);
    let rss = proc_status_kb("VmRSS").unwrap_or(0);
    let mib = |kb: u64| kb as f64 / 1024.0;
    println!(
        "3. peak memory (VmHWM) {:.1} MiB = {:.1} MB (target <= 300 MB); now (VmRSS) {:.1} MiB",
        mib(hwm),
        hwm as f64 * 1.024 / 1000.0,
        mib(rss)
    );
    println!(
        "   peak after: audio made {:.1} MiB, model loaded + warm-up {:.1} MiB, final passes {:.1} MiB, live {:.1} MiB",
        mib(hwm_audio),
        mib(hwm_model),
        mib(hwm_final),
        mib(hwm)
    );
    println!(
        "   model file {:.1} MiB ({model_bytes} bytes)",
        model_bytes as f64 / 1024.0 / 1024.0
    );

    let summary = format!(
        "key\tvalue\nmodel_mib\t{:.1}\nload_s\t{load_seconds:.3}\nfinal_beam\t{final_beam}\nthreads\t{}\npeak_mib\t{:.1}\npeak_final_mib\t{:.1}\nlive_latency_s\t{live_latency:.4}\nlive_p95_s\t{live_p95:.4}\nlive_finish_s\t{live_finish:.4}\nlive_wer\t{live_wer_median:.4}\nothers_final\t{others_final}\nothers_live\t{others_live}\n",
        model_bytes as f64 / 1024.0 / 1024.0,
        transcriber.config().threads,
        mib(hwm),
        mib(hwm_final),
    );
    std::fs::write(
        dir.join(format!("whisper_cpp_{label}_summary.tsv")),
        summary,
    )?;
    let transcripts_file = dir.join(format!("whisper_cpp_{label}_transcripts.txt"));
    std::fs::write(&transcripts_file, transcripts)?;
    println!();
    println!(
        "load at the end {}; bench took {:.1} s; transcripts in {}",
        load_average(),
        started.elapsed().as_secs_f64(),
        transcripts_file.display()
    );
    Ok(())
}
