//! A lobby: answers with real pauses between sentences and one 4 s thinking pause, in
//! quiet, over brown noise and over babble (three other espeak-ng voices talking at once),
//! 10 dB below the candidate. The earshot VAD must find the pauses, so that live
//! transcription commits during the answer; whisper must still hear the words, through
//! whisper.cpp (tiny.en) and CTranslate2 (tiny.en and base, the kiosk's engine).

use panelist_transcribe::vad::{self, FRAME};
use panelist_transcribe::{
    wer, LiveTranscription, Transcriber, WhisperConfig, WhisperTranscriber, SAMPLE_RATE,
};
#[cfg(feature = "ct2")]
use panelist_transcribe::{Ct2Config, Ct2Transcriber};
use support::lobby::{answer, babble, brown, mix, SENTENCES};
use support::{one_at_a_time, silence, speak, tiny_en};

mod support;

/// The test's audio, made once per process in a fixed order. espeak-ng's output depends
/// on what it synthesised before in the same process (two syntheses of one sentence in a
/// row differ by a few hundred samples), so tests that each made their own, in whatever
/// order the test threads reached the engine, heard different babble on every run (WER
/// 0.34-0.53 over four runs of the same code). Made once, the audio is the same on every
/// run and on every machine.
struct Audio {
    clean: Vec<f32>,
    reference: String,
    babble: Vec<f32>,
}

fn audio() -> &'static Audio {
    static AUDIO: std::sync::OnceLock<Audio> = std::sync::OnceLock::new();
    AUDIO.get_or_init(|| {
        let (clean, reference) = answer();
        let babble = babble(clean.len());
        Audio {
            clean,
            reference,
            babble,
        }
    })
}

struct Heard {
    /// Segments committed while the answer was still being spoken.
    committed_during: usize,
    /// Seconds of audio left for the final pass when the answer ended.
    tail_seconds: f64,
    text: String,
}

/// The answer heard live as the kiosk hears it (pushes of 0.4 s, then `finish`), by the
/// transcriber `load` makes.
fn live(load: &dyn Fn() -> Box<dyn Transcriber>, audio: &[f32]) -> Heard {
    let _turn = one_at_a_time();
    let mut t = load();
    let mut live = LiveTranscription::new(t.as_mut(), "Tell me how you would build a web service.");
    // The live loop's pace: 0.4 s of audio per look.
    for block in audio.chunks(SAMPLE_RATE * 2 / 5) {
        live.push(block).expect("push");
    }
    let committed_during = live.committed_segments();
    let tail_seconds = live.uncommitted_speech_seconds();
    let text = live.finish().expect("finish").text;
    Heard {
        committed_during,
        tail_seconds,
        text,
    }
}

#[test]
fn the_vad_finds_pauses_in_quiet_and_in_noise_and_no_speech_in_noise_alone() {
    let Audio { clean, babble, .. } = audio();
    let conditions = [
        ("quiet", clean.clone()),
        ("brown noise 10 dB", mix(clean, &brown(clean.len()), 10.0)),
        ("babble 10 dB", mix(clean, babble, 10.0)),
    ];
    for (name, audio) in &conditions {
        let track = vad::track(audio);
        // The 4 s thinking pause (it starts after the second sentence) is silence.
        let first_two = silence(0.4).len()
            + speak(SENTENCES[0], "en-us", 165).len()
            + silence(0.8).len()
            + speak(SENTENCES[1], "en-us", 165).len();
        let pause = first_two + SAMPLE_RATE / 2..first_two + SAMPLE_RATE * 7 / 2;
        assert!(
            !track.has_speech(pause.clone()),
            "{name}: the thinking pause is not speech"
        );
        // About 14 s is spoken. The gate that sets babble aside also drops the softer
        // frames of the candidate's own voice (measured: 6.9 s found in quiet, 7.6 s
        // over brown noise, 8.3 s over babble); the spans sent to whisper are widened
        // by margins, so the words are kept (the WER test below).
        let speech = track.speech_seconds(0..audio.len());
        eprintln!("{name}: {speech:.1} s of speech found");
        assert!(
            (5.0..16.0).contains(&speech),
            "{name}: {speech:.1} s of speech found"
        );
    }
    // Noise alone (nobody at the microphone) holds no speech: nothing to transcribe.
    let noise = brown(SAMPLE_RATE * 5);
    let quiet_noise: Vec<f32> = noise.iter().map(|s| s * 0.1).collect();
    assert!(!vad::track(&quiet_noise).has_speech(0..quiet_noise.len()));
    assert_eq!(FRAME, 256);
}

/// Live transcription in quiet, over brown noise and over babble: at least three commits
/// during the answer, the last sentence left for the final pass, and the WER of each
/// condition within `max_wer` (quiet, brown noise, babble).
fn commits_at_pauses_and_hears_the_words(
    load: &dyn Fn() -> Box<dyn Transcriber>,
    max_wer: [f64; 3],
) {
    let Audio {
        clean,
        reference,
        babble,
    } = audio();
    let conditions = [
        ("quiet", clean.clone(), max_wer[0]),
        (
            "brown noise 10 dB",
            mix(clean, &brown(clean.len()), 10.0),
            max_wer[1],
        ),
        ("babble 10 dB", mix(clean, babble, 10.0), max_wer[2]),
    ];
    let mut failures = Vec::new();
    for (name, audio, max_wer) in conditions {
        let heard = live(load, &audio);
        let error = wer::wer(reference, &heard.text);
        eprintln!(
            "{name}: {} segments committed during the answer, {:.1} s left for the final pass, WER {error:.3}: {}",
            heard.committed_during, heard.tail_seconds, heard.text
        );
        if heard.committed_during < 3 {
            failures.push(format!(
                "{name}: only {} segments committed at the pauses during the answer",
                heard.committed_during
            ));
        }
        if heard.tail_seconds >= 6.0 {
            failures.push(format!(
                "{name}: {:.1} s left for the final pass (more than the last sentence)",
                heard.tail_seconds
            ));
        }
        if error > max_wer {
            failures.push(format!("{name}: WER {error:.3} > {max_wer}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn live_transcription_commits_at_pauses_in_quiet_and_in_noise() {
    // WER thresholds from this measurement (whisper.cpp tiny.en), with a margin:
    // quiet 0.128, brown noise 0.149, babble 0.468, the same on every run since the audio
    // is made once (see `audio`).
    commits_at_pauses_and_hears_the_words(
        &|| Box::new(WhisperTranscriber::load(WhisperConfig::new(tiny_en())).expect("model")),
        [0.22, 0.22, 0.60],
    );
}

#[cfg(feature = "ct2")]
fn ct2(name: &str) -> Box<dyn Transcriber> {
    Box::new(Ct2Transcriber::load(Ct2Config::new(support::ct2_model(name))).expect("model"))
}

#[cfg(feature = "ct2")]
#[test]
fn ct2_tiny_en_commits_at_pauses_in_quiet_and_in_noise() {
    // CTranslate2 tiny.en (int8) as the kiosk runs it. Thresholds from the measurement
    // with a margin: quiet 0.191, brown noise 0.085, babble 0.319 (0.255 with every window
    // padded to 30 s; whisper.cpp's tiny.en: 0.128, 0.149, 0.468).
    commits_at_pauses_and_hears_the_words(&|| ct2("tiny.en-ct2"), [0.28, 0.18, 0.40]);
}

#[cfg(feature = "ct2")]
#[test]
fn ct2_base_commits_at_pauses_in_quiet_and_in_noise() {
    // CTranslate2 base (int8) as the kiosk runs it. Thresholds from the measurement with a
    // margin: quiet 0.128, brown noise 0.085, babble 0.170 (0.106, 0.128 and 0.234 with
    // every window padded to 30 s).
    commits_at_pauses_and_hears_the_words(&|| ct2("base-ct2"), [0.20, 0.18, 0.26]);
}
