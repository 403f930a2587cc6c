//! The CTranslate2 engine (`Ct2Transcriber`) on the answers `benches/transcribe.rs` wrote,
//! with the columns of that bench:
//!
//! 1. `transcribe_answer` (the production path: chunks that fill CTranslate2's 30 s
//!    windows, the speech in each, the prompt and the text so far) on the 5, 30 and 60 s
//!    answers at the final pass's beam, median of `PANELIST_BENCH_REPEATS` runs (3), and
//!    its WER;
//! 2. live: `LiveTranscription` over the same transcriber in the production configuration
//!    (`Ct2Config::new`) on the 30 s answer closed 0.2 s after its last word (or after an
//!    earlier sentence, in turn), fed at the pace of capture on a simulated
//!    clock (`benches/support`), `PANELIST_BENCH_LIVE_REPEATS` runs (10): p50 and p95 of
//!    the latency from the end of the answer to its final transcript (the tail's pass);
//! 3. the process's peak memory (VmHWM) and the model folder's size.
//!
//! Run by `scripts/bench.sh` for `models/tiny.en-ct2` and `models/base-ct2`; alone:
//!
//! ```sh
//! PANELIST_CT2_MODEL=models/base-ct2 cargo bench --workspace --bench ct2
//! ```
//!
//! Figures go to `ct2_<label>.tsv` (the columns of `whisper_cpp_<label>.tsv`) and
//! `ct2_<label>_summary.tsv` in `PANELIST_BENCH_DIR`, transcripts to
//! `ct2_<label>_transcripts.txt`; the label is `PANELIST_BENCH_LABEL` or the folder's name.
mod support;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use panelist_transcribe::{transcribe_answer, wer, Ct2Config, Ct2Transcriber};
use support::{
    live_answers, live_stage, load_average, median, percentile, proc_status_kb, seconds_of,
    CpuWatch, CLOSE_AFTER_SECONDS,
};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

fn folder_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn main() -> Result<()> {
    let started = Instant::now();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = std::env::var_os("PANELIST_BENCH_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("CARGO_TARGET_DIR").map(|t| PathBuf::from(t).join("bench")))
        .unwrap_or_else(|| root.join("target/bench"));
    let model = std::env::var_os("PANELIST_CT2_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("models/tiny.en-ct2"));
    let label: String = std::env::var("PANELIST_BENCH_LABEL")
        .unwrap_or_else(|_| {
            model
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(64)
        .collect();
    let repeats = env_usize("PANELIST_BENCH_REPEATS", 3);
    let live_repeats = env_usize("PANELIST_BENCH_LIVE_REPEATS", 10);
    // The live stage runs the production configuration; stage 1 the final pass's beam.
    let mut config = Ct2Config::new(&model);
    config.threads = env_usize("PANELIST_BENCH_THREADS", config.threads);
    let final_beam = env_usize("PANELIST_BENCH_FINAL_BEAM", config.tail_beam_size);
    let mut final_config = config.clone();
    final_config.beam_size = final_beam;
    let model_bytes = folder_bytes(&model);
    println!("transcription benchmark (CTranslate2 via ct2rs): {label}");
    let t = Instant::now();
    let mut transcriber = Ct2Transcriber::load(final_config)?;
    let load_seconds = t.elapsed().as_secs_f64();
    println!(
        "  model        {} ({:.1} MiB, int8 on load), load {load_seconds:.2} s",
        model.display(),
        model_bytes as f64 / 1024.0 / 1024.0
    );
    println!(
        "  config       threads {}, beam size {} (tail after a live answer {}; whole answers below {final_beam})",
        config.threads, config.beam_size, config.tail_beam_size
    );
    println!("  load         {} (1, 5, 15 min)", load_average());
    let prompt = std::fs::read_to_string(dir.join("prompt.txt"))
        .map_err(|e| format!("{}: {e}; run benches/transcribe.rs first", dir.display()))?;
    let mut answers = Vec::new();
    for seconds in [5usize, 30, 60] {
        let audio = panelist_audio::load_wav(dir.join(format!("answer_{seconds}s.wav")))?;
        let text = std::fs::read_to_string(dir.join(format!("answer_{seconds}s.txt")))?;
        answers.push((seconds, audio, text));
    }
    // One untimed pass, so buffers are allocated and pages are warm.
    transcribe_answer(&mut transcriber, &answers[0].1, &prompt)?;

    // 1. Whole answers.
    let cpu = CpuWatch::start();
    println!();
    println!("1. whole answers (transcribe_answer, beam {final_beam}), median of {repeats} runs");
    println!("   length   median s   min s    max s    RTF      WER");
    let mut rows = String::from("length_s\tmedian_s\tmin_s\tmax_s\trtf\twer\n");
    let mut heard = String::new();
    for (seconds, audio, text) in &answers {
        let mut times = Vec::new();
        let mut wers = Vec::new();
        let mut first = None;
        for _ in 0..repeats {
            let t = Instant::now();
            let out = transcribe_answer(&mut transcriber, audio, &prompt)?;
            times.push(t.elapsed().as_secs_f64());
            wers.push(wer::wer(text, &out.text));
            first.get_or_insert(out.text);
        }
        let (lo, hi) = (percentile(&times, 0.0), percentile(&times, 1.0));
        let med = median(&times);
        let w = median(&wers);
        println!(
            "   {seconds:>3} s   {med:>8.3}  {lo:>7.3}  {hi:>7.3}  {:>7.4}  {:>5.1} %",
            med / *seconds as f64,
            w * 100.0
        );
        let _ = writeln!(
            rows,
            "{seconds}\t{med:.4}\t{lo:.4}\t{hi:.4}\t{:.5}\t{w:.4}",
            med / *seconds as f64
        );
        let _ = writeln!(
            heard,
            "== {seconds} s\nspoken: {text}\nheard:  {}\n",
            first.unwrap_or_default()
        );
    }
    let others_final = cpu.others();
    println!("   other processes used {others_final} of the machine's CPU meanwhile");
    std::fs::write(dir.join(format!("ct2_{label}.tsv")), rows)?;
    let hwm_final = proc_status_kb("VmHWM").unwrap_or(0);

    // 2. Live, in the production configuration.
    drop(transcriber);
    let mut transcriber = Ct2Transcriber::load(config)?;
    let (_, live_audio, live_text) = answers
        .iter()
        .find(|(s, _, _)| *s == 30)
        .ok_or("no 30 s answer")?;
    // The 30 s answer closed right after its last word, and after each earlier sentence
    // (at least 10 s in), in turn.
    let endings = live_answers(live_audio, 10.0);
    println!();
    println!(
        "2. live: the 30 s answer closed {CLOSE_AFTER_SECONDS} s after its last word or an earlier sentence's ({} endings, {:.1}-{:.1} s), fed at the pace of capture (simulated clock), then finish(); {live_repeats} runs",
        endings.len(),
        endings.last().map_or(0.0, |e| seconds_of(e.0.len())),
        endings.first().map_or(0.0, |e| seconds_of(e.0.len())),
    );
    let cpu = CpuWatch::start();
    let live = live_stage(
        &mut transcriber,
        &endings,
        live_text,
        &prompt,
        live_repeats,
        |run, r, _| {
            if run == 0 {
                let _ = writeln!(heard, "== live 30 s, run 1\nheard:  {}\n", r.text);
            }
            Ok(())
        },
    )?;
    let (p50, p95) = (live.p50(), live.p95());
    live.print_summary();
    let others_live = cpu.others();
    println!("   other processes used {others_live} of the machine's CPU meanwhile");

    // 3. Memory.
    let mib = |kb: u64| kb as f64 / 1024.0;
    let hwm = proc_status_kb("VmHWM").unwrap_or(0);
    println!();
    println!(
        "3. peak memory (VmHWM) {:.1} MiB (after the final passes {:.1} MiB); model folder {:.1} MiB",
        mib(hwm),
        mib(hwm_final),
        model_bytes as f64 / 1024.0 / 1024.0
    );
    let summary = format!(
        "key\tvalue\nmodel_mib\t{:.1}\nload_s\t{load_seconds:.3}\nfinal_beam\t{final_beam}\npeak_mib\t{:.1}\npeak_final_mib\t{:.1}\nlive_latency_s\t{p50:.4}\nlive_p95_s\t{p95:.4}\nlive_finish_s\t{:.4}\nlive_wer\t{:.4}\nothers_final\t{others_final}\nothers_live\t{others_live}\n",
        model_bytes as f64 / 1024.0 / 1024.0,
        mib(hwm),
        mib(hwm_final),
        median(&live.finishes),
        median(&live.wers),
    );
    std::fs::write(dir.join(format!("ct2_{label}_summary.tsv")), summary)?;
    std::fs::write(dir.join(format!("ct2_{label}_transcripts.txt")), heard)?;
    println!();
    println!(
        "load at the end {}; bench took {:.1} s",
        load_average(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
