//! What both benches share: the live run through the `Transcriber` seam, its percentiles,
//! the CPU share of other processes and the process's memory.
#![allow(dead_code)] // each bench uses its own subset

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use panelist_transcribe::{LiveTranscription, TranscribeError, Transcriber, SAMPLE_RATE};

/// Block sizes pushed in live mode, cycled (100–250 ms, as a capture callback delivers).
pub const LIVE_BLOCKS_MS: [usize; 4] = [100, 160, 250, 200];

pub fn seconds_of(samples: usize) -> f64 {
    samples as f64 / SAMPLE_RATE as f64
}

/// The value below which `q` (0..=1) of `values` lie, interpolated between ranks (numpy's
/// default): `q = 0.5` is the median, `0.95` the 95th percentile.
pub fn percentile(values: &[f64], q: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        1 => v[0],
        n => {
            let rank = q.clamp(0.0, 1.0) * (n - 1) as f64;
            let lo = rank.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            v[lo] + (v[hi] - v[lo]) * (rank - lo as f64)
        }
    }
}

pub fn median(values: &[f64]) -> f64 {
    percentile(values, 0.5)
}

/// A field of /proc/self/status in kB (VmHWM, VmRSS).
pub fn proc_status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// The machine's load averages, to judge how noisy the figures are.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// CPU time of the whole machine and of this process, to tell how much of the machine
/// other processes took while a stage ran (the figures are only as good as that is small).
pub struct CpuWatch {
    busy: u64,
    total: u64,
    own: u64,
}

impl CpuWatch {
    /// Busy and total clock ticks of all CPUs, from /proc/stat.
    fn machine() -> Option<(u64, u64)> {
        let stat = std::fs::read_to_string("/proc/stat").ok()?;
        let fields: Vec<u64> = stat
            .lines()
            .next()?
            .split_whitespace()
            .skip(1)
            .take(8)
            .filter_map(|f| f.parse().ok())
            .collect();
        // user nice system idle iowait irq softirq steal
        let [user, nice, system, idle, iowait, irq, softirq, steal] = fields[..] else {
            return None;
        };
        let busy = user + nice + system + irq + softirq + steal;
        Some((busy, busy + idle + iowait))
    }

    /// This process's user + system clock ticks, from /proc/self/stat.
    fn own() -> Option<u64> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        let after_name = &stat[stat.rfind(')')? + 1..];
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        // Fields 14 and 15 of the file (utime, stime) are 11 and 12 after the name.
        Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
    }

    pub fn start() -> Self {
        let (busy, total) = Self::machine().unwrap_or((0, 0));
        Self {
            busy,
            total,
            own: Self::own().unwrap_or(0),
        }
    }

    /// The share of the machine's CPU time other processes used since `start`.
    pub fn others(&self) -> String {
        let (Some((busy, total)), Some(own)) = (Self::machine(), Self::own()) else {
            return "unknown".into();
        };
        let total = total.saturating_sub(self.total).max(1);
        let others = busy
            .saturating_sub(self.busy)
            .saturating_sub(own.saturating_sub(self.own));
        format!("{:.0} %", 100.0 * others as f64 / total as f64)
    }
}

/// Silence after the candidate's last word before the answer is closed (the bench's
/// answers leave at least this much; `benches/transcribe.rs`'s `MIN_TAIL_SECONDS`).
pub const CLOSE_AFTER_SECONDS: f64 = 0.2;

/// The live answers cut from `audio` (a spoken answer with silent pauses between its
/// sentences): the whole answer up to its last word, then up to each earlier sentence's
/// end that leaves at least `min_seconds`, longest first, each closed
/// `CLOSE_AFTER_SECONDS` after the last word, as a candidate who stops and presses "done"
/// closes it. The tail's pass then has the last sentence to read, not silence that a pause
/// commit already took care of.
///
/// Each comes with how many sentences it holds (its pauses plus one).
pub fn live_answers(audio: &[f32], min_seconds: f64) -> Vec<(&[f32], usize)> {
    let silent = |s: &f32| s.abs() < 1e-4;
    let pause = (0.3 * SAMPLE_RATE as f64) as usize;
    let close = (CLOSE_AFTER_SECONDS * SAMPLE_RATE as f64) as usize;
    // Sample positions where a pause of at least `pause` begins, and the end of speech.
    let mut ends = Vec::new();
    let mut run = 0;
    for (i, s) in audio.iter().enumerate() {
        if silent(s) {
            run += 1;
            if run == pause && i + 1 > run {
                ends.push(i + 1 - run);
            }
        } else {
            run = 0;
        }
    }
    let last_word = audio.iter().rposition(|s| !silent(s)).map_or(0, |i| i + 1);
    if ends.last() != Some(&last_word) {
        ends.retain(|&e| e < last_word);
        ends.push(last_word);
    }
    ends.iter()
        .enumerate()
        .rev()
        .map(|(i, &e)| (&audio[..(e + close).min(audio.len())], i + 1))
        .filter(|(a, _)| seconds_of(a.len()) >= min_seconds)
        .collect()
}

/// The first `sentences` sentences of `text` (each ends with '.', '?' or '!' and a space).
pub fn first_sentences(text: &str, sentences: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    for word in text.split_whitespace() {
        if count == sentences {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        if word.ends_with(['.', '?', '!']) {
            count += 1;
        }
    }
    out
}

/// What one live run measured.
pub struct LiveRun {
    pub pushes: usize,
    pub partials: usize,
    /// Longest single push (a commit or a partial).
    pub slowest_push: Duration,
    /// Furthest a push started behind the audio clock.
    pub max_behind: Duration,
    /// How far behind the audio clock the last push returned.
    pub behind_at_end: Duration,
    /// `finish()` alone: the tail's pass.
    pub finish: Duration,
    /// From the end of the answer's audio (on the audio clock) to the final transcript.
    pub latency: Duration,
    pub text: String,
    /// One line per push that made a partial: audio time, clock time, push seconds, words.
    pub trace: String,
}

/// Feeds `audio` to `LiveTranscription` as a microphone would: each block is pushed once
/// its last sample has been "captured" on the audio clock; when processing falls behind,
/// blocks are pushed at once until it has caught up. Then the answer ends and `finish()`
/// transcribes the tail. `phase` shifts the cycle of block sizes (so runs commit and draft
/// at slightly different moments).
///
/// The clock is simulated, not slept on: nothing in `LiveTranscription` or a transcriber
/// reads the time, so waiting for audio that a microphone would deliver changes nothing
/// but the bench's own duration. The clock advances to each block's capture time (when
/// processing is ahead) and by each push's measured processing time, which gives the same
/// schedule, "behind" figures and latency as real-time feeding, in the time the work takes.
pub fn live_run(
    transcriber: &mut dyn Transcriber,
    audio: &[f32],
    prompt: &str,
    phase: usize,
) -> Result<LiveRun, TranscribeError> {
    let mut live = LiveTranscription::new(transcriber, prompt);
    let mut pushes = 0;
    let mut partials = 0;
    let mut slowest_push = Duration::ZERO;
    let mut max_behind = Duration::ZERO;
    let mut at = 0;
    let mut trace = String::from("audio_s\tclock_s\tpush_s\twords\n");
    // Time since the answer started, on the simulated clock.
    let mut clock = Duration::ZERO;
    while at < audio.len() {
        let block = LIVE_BLOCKS_MS[(pushes + phase) % LIVE_BLOCKS_MS.len()] * SAMPLE_RATE / 1000;
        let end = (at + block).min(audio.len());
        let captured = Duration::from_secs_f64(seconds_of(end));
        if clock < captured {
            clock = captured;
        } else {
            max_behind = max_behind.max(clock - captured);
        }
        let push_started = Instant::now();
        let partial = live.push(&audio[at..end])?;
        let took = push_started.elapsed();
        if let Some(text) = partial {
            partials += 1;
            let _ = writeln!(
                trace,
                "{:.2}\t{:.2}\t{:.3}\t{}",
                seconds_of(end),
                clock.as_secs_f64(),
                took.as_secs_f64(),
                text.split_whitespace().count()
            );
            if std::env::var_os("PANELIST_BENCH_VERBOSE").is_some() {
                eprintln!(
                    "   audio {:>5.2} s, clock {:>6.2} s, push {:.3} s: {text}",
                    seconds_of(end),
                    clock.as_secs_f64(),
                    took.as_secs_f64()
                );
            }
        }
        clock += took;
        slowest_push = slowest_push.max(took);
        pushes += 1;
        at = end;
    }
    let answer_ended = Duration::from_secs_f64(seconds_of(audio.len()));
    let behind_at_end = clock.saturating_sub(answer_ended);
    let finish_started = Instant::now();
    let transcript = live.finish()?;
    let finish = finish_started.elapsed();
    let done = clock.max(answer_ended) + finish;
    Ok(LiveRun {
        pushes,
        partials,
        slowest_push,
        max_behind,
        behind_at_end,
        finish,
        latency: done - answer_ended,
        text: transcript.text,
        trace,
    })
}

/// What the live stage measured over all its runs.
pub struct LiveStage {
    /// Seconds from the end of the answer to its final transcript, one per run.
    pub latencies: Vec<f64>,
    /// Seconds of `finish()` alone, one per run.
    pub finishes: Vec<f64>,
    pub wers: Vec<f64>,
    /// Furthest any push of any run started behind the audio clock, in seconds.
    pub furthest_behind: f64,
}

impl LiveStage {
    pub fn p50(&self) -> f64 {
        median(&self.latencies)
    }

    pub fn p95(&self) -> f64 {
        percentile(&self.latencies, 0.95)
    }

    /// The stage's line: latency percentiles against the budget, `finish()` and how far
    /// pushes fell behind.
    pub fn print_summary(&self) {
        println!(
            "   latency end of answer -> final transcript: p50 {:.3} s, p95 {:.3} s of {} runs (budget p50 <= 0.5 s, p95 <= 1.0 s); finish() alone {:.3} s median; pushes fell up to {:.3} s behind the audio",
            self.p50(),
            self.p95(),
            self.latencies.len(),
            median(&self.finishes),
            self.furthest_behind
        );
    }
}

/// Both benches' live stage: `repeats` runs of [`live_run`], over `endings` in turn (the
/// answer closed after its last sentence or an earlier one, as [`live_answers`] cut it),
/// each scored against the sentences of `spoken` it holds. Prints one line per run; `each`
/// sees every run (its index, what it measured and its WER) to keep what its bench keeps.
pub fn live_stage(
    transcriber: &mut dyn Transcriber,
    endings: &[(&[f32], usize)],
    spoken: &str,
    prompt: &str,
    repeats: usize,
    mut each: impl FnMut(usize, &LiveRun, f64) -> std::io::Result<()>,
) -> Result<LiveStage, Box<dyn std::error::Error>> {
    if endings.is_empty() {
        return Err("no answer endings to run live".into());
    }
    let mut stage = LiveStage {
        latencies: Vec::new(),
        finishes: Vec::new(),
        wers: Vec::new(),
        furthest_behind: 0.0,
    };
    for run in 0..repeats {
        let (audio, sentences) = endings[run % endings.len()];
        let r = live_run(transcriber, audio, prompt, run)?;
        let wer = panelist_transcribe::wer::wer(&first_sentences(spoken, sentences), &r.text);
        println!(
            "   run {:>2}: latency {:.3} s (finish() {:.3} s, behind at end {:.3} s); {} partials in {} pushes; slowest push {:.3} s, furthest behind {:.3} s; WER {:.1} %",
            run + 1,
            r.latency.as_secs_f64(),
            r.finish.as_secs_f64(),
            r.behind_at_end.as_secs_f64(),
            r.partials,
            r.pushes,
            r.slowest_push.as_secs_f64(),
            r.max_behind.as_secs_f64(),
            wer * 100.0
        );
        each(run, &r, wer)?;
        stage.latencies.push(r.latency.as_secs_f64());
        stage.finishes.push(r.finish.as_secs_f64());
        stage.wers.push(wer);
        stage.furthest_behind = stage.furthest_behind.max(r.max_behind.as_secs_f64());
    }
    Ok(stage)
}
