//! Viseme timelines: which mouth shape the avatar shows from which millisecond.
//!
//! Two sources, both pure functions so they are tested without audio hardware:
//! - [`timeline_from_phonemes`]: espeak-ng's phoneme events (IPA names and audio
//!   positions) mapped with the table in `shared/avatar.md` (after Rhubarb Lip Sync's
//!   rules): diphthongs split 60/40, the closed mouth of a plosive starts 40–120 ms before
//!   its release, in-between shapes on large jumps, `l` held 200 ms or more is `H`; short
//!   pauses between words hold the shape instead of resting.
//! - [`timeline_from_envelope`]: for audio that comes without phonemes (a network voice),
//!   open / mid / closed shapes from the loudness of 30 ms frames.
//!
//! Every timeline this module returns starts at 0 ms, has strictly increasing start times,
//! has every start before the audio's end, and ends with the rest shape [`MouthShape::X`].

use serde::{Deserialize, Serialize};

/// Label of a viseme that stands for silence (a pause, or the rest at the start and end).
pub const PAUSE: &str = "_";
/// Label of an in-between shape inserted on a large jump (e.g. D → A passes through C).
pub const TWEEN: &str = "~";

/// The nine 2D mouth shapes the SVG avatar draws (the Rhubarb Lip Sync set). They reach
/// the UI as this type (ts-rs generates its TypeScript union), never as debug text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
pub enum MouthShape {
    /// Closed lips: p, b, m.
    A,
    /// Slightly open, teeth together: most consonants, "ee".
    B,
    /// Open: "eh", "ae"; also the in-between shape from D to A.
    C,
    /// Wide open: "ah".
    D,
    /// Slightly rounded: "aw", "er", English r.
    E,
    /// Puckered: "oo", w.
    F,
    /// Upper teeth on the lower lip: f, v.
    G,
    /// Tongue raised behind the teeth: a long l.
    H,
    /// Rest: the idle mouth between utterances.
    X,
}

/// The 15 Oculus visemes, the internal format `avatar.md` asks to keep (a 3D head would
/// use them as blend shapes); [`MouthShape`] is what the 2D face draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Oculus {
    #[serde(rename = "sil")]
    Sil,
    #[serde(rename = "PP")]
    Pp,
    #[serde(rename = "FF")]
    Ff,
    #[serde(rename = "TH")]
    Th,
    #[serde(rename = "DD")]
    Dd,
    #[serde(rename = "kk")]
    Kk,
    #[serde(rename = "CH")]
    Ch,
    #[serde(rename = "SS")]
    Ss,
    #[serde(rename = "nn")]
    Nn,
    #[serde(rename = "RR")]
    Rr,
    #[serde(rename = "aa")]
    Aa,
    E,
    I,
    O,
    U,
}

/// One entry of a timeline: from `start_ms` until the next entry's start, show `shape`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viseme {
    /// Milliseconds from the start of the audio.
    pub start_ms: u32,
    /// The 2D mouth shape.
    pub shape: MouthShape,
    /// The Oculus viseme this shape was reduced from.
    pub oculus: Oculus,
    /// The phoneme that drives this shape, as espeak-ng named it (IPA, e.g. `"p"`, `"aɪ"`);
    /// [`PAUSE`] for silence, [`TWEEN`] for an in-between shape, empty when the timeline
    /// comes from the amplitude envelope.
    pub phoneme: String,
}

/// One phoneme and where it starts in the audio (what espeak-ng reports).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhonemeEvent {
    pub start_ms: u32,
    /// IPA name; empty for a pause.
    pub phoneme: String,
}

/// The Oculus viseme a 2D shape stands for, when there is no phoneme to say better.
pub fn oculus_for_shape(shape: MouthShape) -> Oculus {
    match shape {
        MouthShape::A => Oculus::Pp,
        MouthShape::B => Oculus::Dd,
        MouthShape::C => Oculus::E,
        MouthShape::D => Oculus::Aa,
        MouthShape::E => Oculus::O,
        MouthShape::F => Oculus::U,
        MouthShape::G => Oculus::Ff,
        MouthShape::H => Oculus::Nn,
        MouthShape::X => Oculus::Sil,
    }
}

/// A shape as the table gives it, before looking at the neighbours.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Cand {
    Fixed(MouthShape),
    /// "B/C", "B/F": the first, or the second when the next sound calls for it.
    Either(MouthShape, MouthShape),
    /// l: H when held 200 ms or more, else B.
    L,
    /// h, glottal stop: the mouth already takes the next sound's shape.
    LikeNext,
}

/// The Oculus viseme and candidate shape of one IPA segment (stress and length marks
/// already removed). Unknown symbols get a neutral consonant shape.
fn classify(segment: &str) -> (Oculus, Cand) {
    use Cand::{Either, Fixed};
    use MouthShape::{A, B, C, D, E, F, G};
    match segment {
        "tʃ" | "dʒ" | "ʃ" | "ʒ" | "ç" | "ɕ" | "ʑ" => (Oculus::Ch, Either(B, F)),
        "p" | "b" | "m" | "ɱ" => (Oculus::Pp, Fixed(A)),
        "f" | "v" | "ʋ" | "ɸ" | "β" => (Oculus::Ff, Fixed(G)),
        "θ" | "ð" => (Oculus::Th, Fixed(B)),
        "t" | "d" | "ɾ" | "ʈ" | "ɖ" | "r" => (Oculus::Dd, Fixed(B)),
        "k" | "ɡ" | "g" | "c" | "ɟ" | "q" | "x" | "ɣ" | "χ" | "ʁ" | "ʀ" => {
            (Oculus::Kk, Either(B, C))
        }
        "ŋ" | "n" | "ɲ" | "ɳ" | "ɴ" => (Oculus::Nn, Either(B, C)),
        "l" | "ɫ" | "ʎ" | "ɭ" | "ɬ" => (Oculus::Nn, Cand::L),
        "s" | "z" => (Oculus::Ss, Fixed(B)),
        "ɹ" | "ɻ" => (Oculus::Rr, Fixed(E)),
        "ɚ" | "ɝ" => (Oculus::Rr, Fixed(E)),
        "ɑ" | "ʌ" | "a" | "ɐ" | "ä" => (Oculus::Aa, Fixed(D)),
        "æ" => (Oculus::Aa, Fixed(C)),
        "ɛ" | "e" | "ɜ" | "ɤ" => (Oculus::E, Fixed(C)),
        "ə" => (Oculus::E, Either(B, C)),
        "i" | "ɪ" | "j" | "ɨ" | "ɯ" => (Oculus::I, Fixed(B)),
        "ɔ" | "o" | "ɒ" | "ø" | "œ" | "ɵ" => (Oculus::O, Fixed(E)),
        "u" | "ʊ" | "w" | "y" | "ʏ" | "ɥ" | "ʉ" => (Oculus::U, Fixed(F)),
        "h" | "ɦ" | "ʔ" => (Oculus::Sil, Cand::LikeNext),
        _ => (Oculus::Dd, Fixed(B)),
    }
}

/// Diphthongs whose parts `avatar.md` gives explicitly (60 % then 40 %).
fn diphthong_shapes(symbols: &str) -> Option<[MouthShape; 2]> {
    use MouthShape::{B, C, D, E, F};
    match symbols {
        "aɪ" => Some([D, B]),
        "aʊ" => Some([D, E]),
        "oʊ" => Some([E, F]),
        "eɪ" => Some([C, B]),
        "ɔɪ" => Some([E, B]),
        _ => None,
    }
}

/// Splits an espeak IPA phoneme name into segments: stress, length and other modifier
/// marks and combining diacritics go; `tʃ` and `dʒ` stay one segment.
fn segments(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for ch in name.chars() {
        let code = u32::from(ch);
        let modifier = (0x02B0..=0x02FF).contains(&code)
            || (0x0300..=0x036F).contains(&code)
            || (0x1DC0..=0x1DFF).contains(&code);
        if modifier || !ch.is_alphabetic() {
            continue;
        }
        match ch {
            'ʧ' => out.push("tʃ".into()),
            'ʤ' => out.push("dʒ".into()),
            'ʃ' if out.last().is_some_and(|s| s == "t") => {
                if let Some(last) = out.last_mut() {
                    last.push(ch);
                }
            }
            'ʒ' if out.last().is_some_and(|s| s == "d") => {
                if let Some(last) = out.last_mut() {
                    last.push(ch);
                }
            }
            _ => out.push(ch.to_string()),
        }
    }
    out
}

#[derive(Debug, Clone)]
struct Segment {
    start: u32,
    end: u32,
    label: String,
    symbol: String,
    oculus: Oculus,
    cand: Cand,
    shape: MouthShape,
    pause: bool,
}

/// A pause inside speech shorter than this holds the previous shape instead of resting.
const SHORT_PAUSE_MS: u32 = 80;

/// Builds the viseme timeline of speech `duration_ms` long from its phoneme events.
///
/// Events may come in any order and may sit past the end; pauses are events with an
/// empty (or unpronounceable) name. See the module docs for the rules applied.
pub fn timeline_from_phonemes(events: &[PhonemeEvent], duration_ms: u32) -> Vec<Viseme> {
    let mut events: Vec<PhonemeEvent> = events.to_vec();
    events.sort_by_key(|e| e.start_ms);
    let mut segs: Vec<Segment> = Vec::new();
    for (i, ev) in events.iter().enumerate() {
        let start = ev.start_ms.min(duration_ms);
        let end = events
            .get(i + 1)
            .map_or(duration_ms, |n| n.start_ms)
            .min(duration_ms);
        if end <= start {
            continue;
        }
        let parts = segments(&ev.phoneme);
        if parts.is_empty() {
            segs.push(Segment {
                start,
                end,
                label: PAUSE.into(),
                symbol: String::new(),
                oculus: Oculus::Sil,
                cand: Cand::Fixed(MouthShape::X),
                shape: MouthShape::X,
                pause: true,
            });
            continue;
        }
        let dur = end - start;
        let n = u32::try_from(parts.len()).unwrap_or(u32::MAX);
        let bounds: Vec<u32> = (0..=n)
            .map(|k| {
                if k == 0 {
                    start
                } else if k == n {
                    end
                } else if n == 2 {
                    start + dur * 3 / 5
                } else {
                    start + dur * k / n
                }
            })
            .collect();
        let fixed = diphthong_shapes(&parts.concat());
        for (k, symbol) in parts.iter().enumerate() {
            let (oculus, mut cand) = classify(symbol);
            if let Some(shapes) = fixed {
                cand = Cand::Fixed(shapes[k.min(1)]);
            }
            let (s, e) = (bounds[k], bounds[k + 1]);
            if e <= s {
                continue;
            }
            segs.push(Segment {
                start: s,
                end: e,
                label: ev.phoneme.clone(),
                symbol: symbol.clone(),
                oculus,
                cand,
                shape: MouthShape::B,
                pause: false,
            });
        }
    }

    resolve_shapes(&mut segs);
    anticipate_plosives(&mut segs);

    let mut out: Vec<Viseme> = Vec::new();
    let last = segs.len().saturating_sub(1);
    for (i, seg) in segs.iter().enumerate() {
        // espeak-ng puts short pauses between words; the mouth does not go to rest for
        // them, it holds the shape it has.
        if seg.pause && i != 0 && i != last && seg.end - seg.start < SHORT_PAUSE_MS {
            continue;
        }
        let v = Viseme {
            start_ms: seg.start,
            shape: seg.shape,
            oculus: seg.oculus,
            phoneme: seg.label.clone(),
        };
        push_viseme(&mut out, v);
    }
    let out = insert_tweens(out);
    finalize(out, duration_ms)
}

/// Resolves "B/C"-style choices, `l` and `h`, from the back so each segment sees its
/// successor's final shape.
fn resolve_shapes(segs: &mut [Segment]) {
    use MouthShape::{B, C, D, E, F, H};
    for i in (0..segs.len()).rev() {
        let next = segs
            .get(i + 1)
            .filter(|n| !n.pause && n.start == segs[i].end)
            .map(|n| (n.shape, n.oculus));
        let seg = &mut segs[i];
        seg.shape = match seg.cand {
            Cand::Fixed(s) => s,
            Cand::Either(first, second) => {
                let wants_second = match (first, second, next) {
                    (B, C, Some((s, _))) => matches!(s, C | D),
                    (B, F, Some((s, _))) => matches!(s, E | F),
                    _ => false,
                };
                if wants_second {
                    second
                } else {
                    first
                }
            }
            Cand::L => {
                if seg.end - seg.start >= 200 {
                    H
                } else {
                    B
                }
            }
            Cand::LikeNext => {
                let (shape, oculus) = next.unwrap_or((B, Oculus::Dd));
                seg.oculus = oculus;
                shape
            }
        };
    }
}

/// The lips (or tongue) close 40–120 ms before a plosive's release: move the start of
/// p/b/t/d/k/g so the closed shape lasts that long, borrowing from or lending to the
/// segment before.
fn anticipate_plosives(segs: &mut [Segment]) {
    const MIN_CLOSED: u32 = 40;
    const MAX_CLOSED: u32 = 120;
    const MIN_KEEP: u32 = 10;
    for i in 0..segs.len() {
        if !matches!(
            segs[i].symbol.as_str(),
            "p" | "b" | "t" | "d" | "k" | "ɡ" | "g"
        ) {
            continue;
        }
        let release = segs[i].end;
        let start = segs[i].start;
        let target = start
            .max(release.saturating_sub(MAX_CLOSED))
            .min(release.saturating_sub(MIN_CLOSED));
        if i == 0 {
            // The rest at the start of the timeline gives way either side.
            segs[i].start = target;
            continue;
        }
        let prev_start = segs[i - 1].start;
        if segs[i - 1].end != start {
            continue;
        }
        let new_start = if target < start {
            target.max(prev_start + MIN_KEEP).min(start)
        } else {
            target
        };
        segs[i].start = new_start;
        segs[i - 1].end = new_start;
    }
}

/// Appends `v`, keeping start times strictly increasing and dropping repeats of the same
/// shape for the same phoneme (or consecutive rests).
fn push_viseme(out: &mut Vec<Viseme>, v: Viseme) {
    if let Some(last) = out.last_mut() {
        if v.shape == last.shape && (v.phoneme == last.phoneme || v.shape == MouthShape::X) {
            return;
        }
        if v.start_ms <= last.start_ms {
            *last = v;
            return;
        }
    }
    out.push(v);
}

/// The in-between shape for a jump from `from` to `to`, if it is a large one.
fn tween(from: MouthShape, to: MouthShape) -> Option<MouthShape> {
    use MouthShape::{A, B, C, D, E, F, G, H, X};
    match (from, to) {
        (D, A | B | G | X) | (A, D) => Some(C),
        (C | D | H, F) | (F, C | H) => Some(E),
        _ => None,
    }
}

/// Inserts in-between shapes at the end of a shape that jumps far (D → A passes through
/// C), when the shape lasts long enough to give some of its time.
fn insert_tweens(visemes: Vec<Viseme>) -> Vec<Viseme> {
    const MIN_FROM: u32 = 60;
    const MAX_TWEEN: u32 = 40;
    let mut out: Vec<Viseme> = Vec::with_capacity(visemes.len());
    for (i, v) in visemes.iter().enumerate() {
        out.push(v.clone());
        let Some(next) = visemes.get(i + 1) else {
            continue;
        };
        let Some(shape) = tween(v.shape, next.shape) else {
            continue;
        };
        let len = next.start_ms - v.start_ms;
        if len < MIN_FROM {
            continue;
        }
        let tween_len = MAX_TWEEN.min(len / 3);
        out.push(Viseme {
            start_ms: next.start_ms - tween_len,
            shape,
            oculus: oculus_for_shape(shape),
            phoneme: TWEEN.into(),
        });
    }
    out
}

/// Makes the invariants hold: first entry at 0, strictly increasing, every start before
/// `duration_ms`, and a final rest shape.
fn finalize(visemes: Vec<Viseme>, duration_ms: u32) -> Vec<Viseme> {
    let rest = |start_ms| Viseme {
        start_ms,
        shape: MouthShape::X,
        oculus: Oculus::Sil,
        phoneme: PAUSE.into(),
    };
    let mut out: Vec<Viseme> = Vec::with_capacity(visemes.len() + 2);
    for v in visemes {
        if v.start_ms >= duration_ms && v.start_ms > 0 {
            break;
        }
        if out.last().is_some_and(|l| v.start_ms <= l.start_ms) {
            continue;
        }
        out.push(v);
    }
    match out.first() {
        Some(first) if first.start_ms == 0 => {}
        _ => out.insert(0, rest(0)),
    }
    if duration_ms == 0 {
        return vec![rest(0)];
    }
    if out.last().is_some_and(|l| l.shape != MouthShape::X) {
        let last_start = out.last().map_or(0, |l| l.start_ms);
        let at = (last_start + 1).max(duration_ms.saturating_sub(40));
        if at < duration_ms {
            out.push(rest(at));
        } else if let Some(last) = out.last_mut() {
            // No room after the last shape: the audio ends on the rest.
            *last = rest(last.start_ms);
        }
    }
    out
}

/// Frame length of the amplitude envelope.
const FRAME_MS: u32 = 30;
/// RMS below which a frame is silence whatever the level of the rest (about −44 dBFS).
const SILENCE_RMS: f64 = 200.0;
/// A silence inside speech shorter than this is a closed mouth (A), longer is rest (X).
const SHORT_GAP_MS: u32 = 200;

/// Builds a timeline from the loudness of the audio alone, for speech that comes without
/// phoneme events: per 30 ms frame, relative to the loud frames of the utterance, loud is
/// wide open (D), middle is open (C), soft is nearly closed (B), silence inside speech is
/// closed (A) and silence before, after or long between phrases is rest (X). Entries
/// carry an empty phoneme.
pub fn timeline_from_envelope(samples: &[i16], sample_rate: u32) -> Vec<Viseme> {
    let rate = u64::from(sample_rate.max(1));
    let duration_ms = u32::try_from(samples.len() as u64 * 1000 / rate).unwrap_or(u32::MAX);
    let frame_len = usize::try_from(rate * u64::from(FRAME_MS) / 1000)
        .unwrap_or(1)
        .max(1);
    let rms: Vec<f64> = samples
        .chunks(frame_len)
        .map(|frame| {
            let sum: f64 = frame.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
            (sum / frame.len() as f64).sqrt()
        })
        .collect();
    let mut loud: Vec<f64> = rms.iter().copied().filter(|&r| r >= SILENCE_RMS).collect();
    if loud.is_empty() {
        return finalize(Vec::new(), duration_ms);
    }
    loud.sort_by(f64::total_cmp);
    let reference = loud[(loud.len() - 1) * 95 / 100];
    let silent_below = SILENCE_RMS.max(reference * 0.1);

    // None = silence, decided below by its position.
    let mut shapes: Vec<Option<MouthShape>> = rms
        .iter()
        .map(|&r| {
            if r < silent_below {
                None
            } else if r < reference * 0.35 {
                Some(MouthShape::B)
            } else if r < reference * 0.7 {
                Some(MouthShape::C)
            } else {
                Some(MouthShape::D)
            }
        })
        .collect();
    let first_sound = shapes.iter().position(Option::is_some);
    let last_sound = shapes.iter().rposition(Option::is_some);
    let mut i = 0;
    while i < shapes.len() {
        if shapes[i].is_some() {
            i += 1;
            continue;
        }
        let run_end = shapes[i..]
            .iter()
            .position(Option::is_some)
            .map_or(shapes.len(), |p| i + p);
        let inside = first_sound.is_some_and(|f| i > f) && last_sound.is_some_and(|l| run_end <= l);
        let run_ms = u32::try_from(run_end - i).unwrap_or(u32::MAX) * FRAME_MS;
        let fill = if inside && run_ms < SHORT_GAP_MS {
            MouthShape::A
        } else {
            MouthShape::X
        };
        for s in &mut shapes[i..run_end] {
            *s = Some(fill);
        }
        i = run_end;
    }

    let mut out: Vec<Viseme> = Vec::new();
    for (k, shape) in shapes.into_iter().enumerate() {
        let shape = shape.unwrap_or(MouthShape::X);
        let start_ms = u32::try_from(k)
            .unwrap_or(u32::MAX)
            .saturating_mul(FRAME_MS);
        if out.last().is_some_and(|l: &Viseme| l.shape == shape) {
            continue;
        }
        out.push(Viseme {
            start_ms,
            shape,
            oculus: oculus_for_shape(shape),
            phoneme: String::new(),
        });
    }
    finalize(out, duration_ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use MouthShape::{A, B, C, D, E, F, H, X};

    fn ev(start_ms: u32, phoneme: &str) -> PhonemeEvent {
        PhonemeEvent {
            start_ms,
            phoneme: phoneme.into(),
        }
    }

    fn shapes(t: &[Viseme]) -> Vec<(u32, MouthShape)> {
        t.iter().map(|v| (v.start_ms, v.shape)).collect()
    }

    fn assert_invariants(t: &[Viseme], duration_ms: u32) {
        assert_eq!(t.first().map(|v| v.start_ms), Some(0), "{t:?}");
        assert!(t.windows(2).all(|w| w[0].start_ms < w[1].start_ms), "{t:?}");
        assert!(t.iter().all(|v| v.start_ms < duration_ms.max(1)), "{t:?}");
        assert_eq!(t.last().map(|v| v.shape), Some(X), "{t:?}");
    }

    #[test]
    fn segments_drop_marks_and_keep_affricates() {
        assert_eq!(segments("ˈɑːɹ"), ["ɑ", "ɹ"]);
        assert_eq!(segments("tʃ"), ["tʃ"]);
        assert_eq!(segments("dʒ"), ["dʒ"]);
        assert_eq!(segments("ɑ̃"), ["ɑ"]);
        assert_eq!(segments("aɪ"), ["a", "ɪ"]);
        assert!(segments("").is_empty());
        assert!(segments("ˈ").is_empty());
    }

    #[test]
    fn peter_bought_a_map_from_real_espeak_events() {
        // Recorded from espeak-ng 1.51, en-us, 175 wpm.
        let events = [
            ev(48, "p"),
            ev(81, "iː"),
            ev(180, "ɾ"),
            ev(223, "ɚ"),
            ev(305, "b"),
            ev(371, "ɔː"),
            ev(539, "t"),
            ev(579, "ɐ"),
            ev(652, "m"),
            ev(754, "æ"),
            ev(939, "p"),
            ev(1016, ""),
            ev(1023, ""),
        ];
        let t = timeline_from_phonemes(&events, 1023);
        assert_invariants(&t, 1023);
        for v in &t {
            if matches!(v.phoneme.as_str(), "p" | "b" | "m") {
                assert_eq!(v.shape, A, "{v:?}");
            }
        }
        // p's closed mouth starts 40 ms before its release at 81 ms.
        assert!(
            t.iter().any(|v| v.phoneme == "p" && v.start_ms == 41),
            "{t:?}"
        );
        assert_eq!(t.last().map(|v| v.start_ms), Some(1016));
    }

    #[test]
    fn diphthongs_split_sixty_forty() {
        // D to B is a large jump: an in-between C takes the end of the D.
        let t = timeline_from_phonemes(&[ev(0, "aɪ"), ev(100, "")], 200);
        assert_eq!(shapes(&t), [(0, D), (40, C), (60, B), (100, X)]);
        let t = timeline_from_phonemes(&[ev(0, "oʊ"), ev(100, "")], 200);
        assert_eq!(shapes(&t), [(0, E), (60, F), (100, X)]);
    }

    #[test]
    fn short_pauses_between_words_hold_the_shape() {
        let events = [
            ev(0, "iː"),
            ev(100, ""),
            ev(140, "ɐ"),
            ev(300, ""),
            ev(450, "ɐ"),
            ev(600, ""),
        ];
        let t = timeline_from_phonemes(&events, 700);
        // The 40 ms pause is held as B; the 150 ms one rests.
        let s: Vec<(u32, MouthShape)> = shapes(&t);
        assert_eq!(s[..2], [(0, B), (140, D)], "{t:?}");
        assert!(s.contains(&(300, X)), "{t:?}");
        assert_invariants(&t, 700);
    }

    #[test]
    fn long_l_is_h_short_l_is_b() {
        let t = timeline_from_phonemes(&[ev(0, "l"), ev(250, "")], 300);
        assert_eq!(t[0].shape, H);
        let t = timeline_from_phonemes(&[ev(0, "l"), ev(80, "")], 300);
        assert_eq!(t[0].shape, B);
    }

    #[test]
    fn ambiguous_consonants_follow_the_next_vowel() {
        // k before a wide vowel opens (C); before i it stays B.
        let t = timeline_from_phonemes(&[ev(0, "n"), ev(50, "ɑ"), ev(200, "")], 300);
        assert_eq!(t[0].shape, C);
        let t = timeline_from_phonemes(&[ev(0, "n"), ev(50, "i"), ev(200, "")], 300);
        assert_eq!(t[0].shape, B);
        // ʃ before u rounds (F).
        let t = timeline_from_phonemes(&[ev(0, "ʃ"), ev(50, "uː"), ev(200, "")], 300);
        assert_eq!(t[0].shape, F);
        // h takes the next vowel's shape.
        let t = timeline_from_phonemes(&[ev(0, "h"), ev(50, "ɑ"), ev(200, "")], 300);
        assert_eq!(t[0].shape, D);
    }

    #[test]
    fn a_long_plosive_closes_at_most_120_ms_before_release() {
        let t = timeline_from_phonemes(&[ev(0, "ɐ"), ev(100, "b"), ev(400, "ɐ"), ev(500, "")], 600);
        // b starts at 400 - 120 = 280; ɐ (D) is held until then, with a C tween before A.
        assert!(
            t.iter()
                .any(|v| v.phoneme == "b" && v.start_ms == 280 && v.shape == A),
            "{t:?}"
        );
        assert!(
            t.iter()
                .any(|v| v.phoneme == TWEEN && v.shape == C && v.start_ms == 240),
            "{t:?}"
        );
        assert_invariants(&t, 600);
    }

    #[test]
    fn out_of_range_and_unsorted_events_still_give_a_valid_timeline() {
        let t =
            timeline_from_phonemes(&[ev(500, "ɐ"), ev(10, "m"), ev(900, "s"), ev(950, "")], 600);
        assert_invariants(&t, 600);
        let t = timeline_from_phonemes(&[], 300);
        assert_eq!(shapes(&t), [(0, X)]);
        let t = timeline_from_phonemes(&[ev(0, "ɐ")], 0);
        assert_eq!(shapes(&t), [(0, X)]);
        // Speech running to the very end still ends on rest.
        let t = timeline_from_phonemes(&[ev(0, "ɐ")], 300);
        assert_eq!(shapes(&t), [(0, D), (260, X)]);
        assert_invariants(&t, 300);
    }

    #[test]
    fn envelope_opens_on_loud_frames_and_rests_on_silence() {
        let rate = 16_000;
        let silence = |ms: usize| vec![0i16; rate as usize * ms / 1000];
        let mut samples = silence(210);
        let tone = |amp: f64, ms: usize| {
            (0..rate as usize * ms / 1000)
                .map(move |n| (amp * (n as f64 * 0.2).sin()) as i16)
                .collect::<Vec<_>>()
        };
        samples.extend(tone(20_000.0, 300)); // loud
        samples.extend(silence(120)); // a short gap: closed
        samples.extend(tone(4_000.0, 300)); // soft
        samples.extend(silence(510)); // trailing silence: rest
        let t = timeline_from_envelope(&samples, rate);
        let duration = u32::try_from(samples.len() * 1000 / rate as usize).expect("fits");
        assert_invariants(&t, duration);
        let s: Vec<MouthShape> = t.iter().map(|v| v.shape).collect();
        assert_eq!(s, [X, D, A, B, X], "{t:?}");
        assert!(t.iter().all(|v| v.phoneme.is_empty()));
    }

    #[test]
    fn envelope_of_silence_is_rest() {
        let t = timeline_from_envelope(&[0; 16_000], 16_000);
        assert_eq!(shapes(&t), [(0, X)]);
        let t = timeline_from_envelope(&[], 16_000);
        assert_eq!(shapes(&t), [(0, X)]);
    }

    #[test]
    fn serialises_for_the_avatar() {
        let v = Viseme {
            start_ms: 41,
            shape: A,
            oculus: Oculus::Pp,
            phoneme: "p".into(),
        };
        let json = serde_json::to_string(&v).expect("serialises");
        assert_eq!(
            json,
            r#"{"start_ms":41,"shape":"A","oculus":"PP","phoneme":"p"}"#
        );
        let back: Viseme = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, v);
    }
}
