//! The CTranslate2 engine (`ct2` feature) on the answers `benches/transcribe.rs` wrote:
//! `transcribe_answer` (the production path: ≤ 20 s chunks of speech, the prompt and the
//! text so far) at the final pass's beam, median of `PANELIST_BENCH_REPEATS` runs (3).
//! Run by `scripts/bench.sh` with `BENCH_CT2=1` after the whisper.cpp models; alone:
//!
//! ```sh
//! LIBRARY_PATH=models/ct2-runtime PANELIST_CT2_MODEL=models/ct2/tiny.en \
//!   cargo bench --workspace --features panelist-transcribe/ct2 --bench ct2
//! ```
//!
//! Figures go to `ct2_<label>.tsv` in `PANELIST_BENCH_DIR` (the columns of
//! `whisper_cpp_<label>.tsv`), transcripts to `ct2_<label>_transcripts.txt`.
use std::path::PathBuf;
use std::time::Instant;

use panelist_transcribe::{transcribe_answer, wer, Ct2Config, Ct2Transcriber};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> Result<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = std::env::var_os("PANELIST_BENCH_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("CARGO_TARGET_DIR").map(|t| PathBuf::from(t).join("bench")))
        .unwrap_or_else(|| root.join("target/bench"));
    let model = std::env::var_os("PANELIST_CT2_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("models/ct2/tiny.en"));
    let label = std::env::var("PANELIST_BENCH_LABEL").unwrap_or_else(|_| {
        model
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let repeats = env_usize("PANELIST_BENCH_REPEATS", 3).max(1);
    let mut config = Ct2Config::new(&model);
    config.threads = env_usize("PANELIST_BENCH_THREADS", config.threads);
    let final_beam = env_usize("PANELIST_BENCH_FINAL_BEAM", config.tail_beam_size);
    config.beam_size = final_beam;
    let t = Instant::now();
    let mut transcriber = Ct2Transcriber::load(config.clone())?;
    println!("transcription benchmark (CTranslate2 via ct2rs): {label}");
    println!(
        "  model        {} (int8), load {:.2} s",
        model.display(),
        t.elapsed().as_secs_f64()
    );
    println!(
        "  config       threads {}, beam {final_beam}",
        config.threads
    );
    let prompt = std::fs::read_to_string(dir.join("prompt.txt"))
        .map_err(|e| format!("{}: {e}; run benches/transcribe.rs first", dir.display()))?;
    let mut rows = String::from("length_s\tmedian_s\tmin_s\tmax_s\trtf\twer\n");
    let mut heard = String::new();
    println!("   length   median s   min s    max s    RTF      WER");
    for seconds in [5usize, 30, 60] {
        let audio = panelist_audio::load_wav(dir.join(format!("answer_{seconds}s.wav")))?;
        let text = std::fs::read_to_string(dir.join(format!("answer_{seconds}s.txt")))?;
        // One untimed pass, as the other benches do.
        let first = transcribe_answer(&mut transcriber, &audio, &prompt)?;
        let mut times = Vec::new();
        for _ in 0..repeats {
            let t = Instant::now();
            transcribe_answer(&mut transcriber, &audio, &prompt)?;
            times.push(t.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        let w = wer::wer(&text, &first.text);
        println!(
            "   {seconds:>3} s   {median:>8.3}  {:>7.3}  {:>7.3}  {:>7.4}  {:>5.1} %",
            times[0],
            times[times.len() - 1],
            median / seconds as f64,
            w * 100.0
        );
        rows.push_str(&format!(
            "{seconds}\t{median:.4}\t{:.4}\t{:.4}\t{:.5}\t{w:.4}\n",
            times[0],
            times[times.len() - 1],
            median / seconds as f64
        ));
        heard.push_str(&format!(
            "== {seconds} s\nspoken: {text}\nheard:  {}\n\n",
            first.text
        ));
    }
    std::fs::write(dir.join(format!("ct2_{label}.tsv")), rows)?;
    std::fs::write(dir.join(format!("ct2_{label}_transcripts.txt")), heard)?;
    Ok(())
}
