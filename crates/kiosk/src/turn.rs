//! End of turn without a click: when a candidate who has spoken falls silent, the kiosk
//! asks "Finished?" and moves on only if the silence lasts through a grace time.
//!
//! The detector is a pure state machine over the *audio's* clock (seconds of silence
//! measured in captured samples, not wall time), so it behaves the same on a slow machine
//! and is tested without sleeping. It never fires before the candidate has said anything,
//! and speech during the grace time cancels it. The answer timer still rules: this only
//! ever ends an answer early, at the candidate's evident wish.

use crate::dto::AnswerEnd;

/// The settings of the detector (from `kiosk.toml`).
pub use panelist_settings::TurnPolicy;

/// What the UI is told.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TurnSignal {
    /// Ask "Finished?" with this many seconds left.
    Ending { seconds_left: f64 },
    /// The candidate spoke again: withdraw the question.
    Resumed,
    /// The grace time passed in silence: submit.
    Ended,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Listening,
    Asking,
    Ended,
}

/// The end-of-turn detector for one answer.
#[derive(Debug, Clone)]
pub struct EndOfTurn {
    policy: TurnPolicy,
    state: State,
    /// Silence that came before a restart (a repeated question) and does not count.
    ignored_silence: f64,
    /// The whole seconds last shown in the "Finished?" countdown.
    shown_seconds: u32,
}

impl EndOfTurn {
    pub fn new(policy: TurnPolicy) -> Self {
        Self {
            policy,
            state: State::Listening,
            ignored_silence: 0.0,
            shown_seconds: 0,
        }
    }

    /// Whether the answer has been ended by silence.
    pub fn ended(&self) -> bool {
        self.state == State::Ended
    }

    /// Feeds what has been heard so far: whether the candidate has spoken at all, and the
    /// seconds of silence since they last spoke (or since the answer began).
    pub fn update(&mut self, spoken: bool, trailing_silence: f64) -> Option<TurnSignal> {
        if self.policy.answer_end != AnswerEnd::AfterSilence || self.state == State::Ended {
            return None;
        }
        if trailing_silence < self.ignored_silence {
            // The candidate spoke since the restart: the silence is new.
            self.ignored_silence = 0.0;
        }
        let silence = trailing_silence - self.ignored_silence;
        if !spoken {
            return None;
        }
        match self.state {
            State::Listening if silence >= self.policy.silence_seconds => {
                let waited = silence - self.policy.silence_seconds;
                if waited >= self.policy.grace_seconds {
                    self.state = State::Ended;
                    return Some(TurnSignal::Ended);
                }
                self.state = State::Asking;
                let seconds_left = self.policy.grace_seconds - waited;
                self.shown_seconds = whole_seconds(seconds_left);
                Some(TurnSignal::Ending { seconds_left })
            }
            State::Asking if silence < self.policy.silence_seconds => {
                self.state = State::Listening;
                Some(TurnSignal::Resumed)
            }
            State::Asking if silence >= self.policy.silence_seconds + self.policy.grace_seconds => {
                self.state = State::Ended;
                Some(TurnSignal::Ended)
            }
            State::Asking => {
                // The countdown ticks: one event per whole second, not per look.
                let seconds_left =
                    self.policy.silence_seconds + self.policy.grace_seconds - silence;
                let whole = whole_seconds(seconds_left);
                (whole < self.shown_seconds).then(|| {
                    self.shown_seconds = whole;
                    TurnSignal::Ending { seconds_left }
                })
            }
            _ => None,
        }
    }

    /// The question was repeated: silence so far no longer counts, and a pending
    /// "Finished?" is withdrawn (returned as `Resumed` when one was shown).
    pub fn restart(&mut self, trailing_silence: f64) -> Option<TurnSignal> {
        self.ignored_silence = trailing_silence;
        match self.state {
            State::Asking => {
                self.state = State::Listening;
                Some(TurnSignal::Resumed)
            }
            _ => None,
        }
    }
}

/// The countdown's figure: 2.4 s left shows as 3.
fn whole_seconds(seconds: f64) -> u32 {
    // Bounded by the grace setting (at most 10 s), so the cast cannot truncate.
    seconds.max(0.0).ceil() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on() -> EndOfTurn {
        EndOfTurn::new(TurnPolicy {
            answer_end: AnswerEnd::AfterSilence,
            silence_seconds: 3.0,
            grace_seconds: 3.0,
        })
    }

    /// Feeds silence in 0.4 s steps (the live loop's pace) from `from` to `to` seconds.
    fn silence(t: &mut EndOfTurn, from: f64, to: f64) -> Vec<(f64, TurnSignal)> {
        let mut out = Vec::new();
        let mut s = from;
        while s <= to + 1e-9 {
            if let Some(sig) = t.update(true, s) {
                out.push((s, sig));
            }
            s += 0.4;
        }
        out
    }

    #[test]
    fn silence_after_speech_asks_then_submits() {
        let mut t = on();
        let signals = silence(&mut t, 0.0, 6.5);
        let (at, first) = signals[0];
        assert!((3.0..3.4).contains(&at), "{at}");
        assert!(
            matches!(first, TurnSignal::Ending { seconds_left } if seconds_left > 2.5 && seconds_left <= 3.0)
        );
        // The countdown ticks once per whole second: 3, 2, 1, then the end.
        let shown: Vec<u32> = signals
            .iter()
            .filter_map(|(_, s)| match s {
                TurnSignal::Ending { seconds_left } => Some(whole_seconds(*seconds_left)),
                _ => None,
            })
            .collect();
        assert_eq!(shown, vec![3, 2, 1], "{signals:?}");
        let (end_at, last) = signals[signals.len() - 1];
        assert_eq!(last, TurnSignal::Ended);
        assert!(end_at >= 6.0);
        assert!(t.ended());
        assert_eq!(t.update(true, 9.0), None, "ends once");
    }

    #[test]
    fn speech_in_the_grace_time_cancels() {
        let mut t = on();
        assert!(matches!(
            t.update(true, 3.2),
            Some(TurnSignal::Ending { .. })
        ));
        assert_eq!(t.update(true, 0.1), Some(TurnSignal::Resumed));
        assert_eq!(t.update(true, 2.9), None);
        assert!(!t.ended());
    }

    #[test]
    fn a_four_second_thinking_pause_is_not_cut_off() {
        let mut t = on();
        let signals = silence(&mut t, 0.0, 4.0);
        assert!(signals.iter().all(|(_, s)| *s != TurnSignal::Ended));
        assert_eq!(t.update(true, 0.0), Some(TurnSignal::Resumed));
        assert!(!t.ended());
    }

    #[test]
    fn nothing_before_the_candidate_has_spoken_or_when_off() {
        let mut t = on();
        for s in [1.0, 5.0, 10.0, 60.0] {
            assert_eq!(t.update(false, s), None);
        }
        let mut off = EndOfTurn::new(TurnPolicy {
            answer_end: AnswerEnd::SubmitOnly,
            silence_seconds: 3.0,
            grace_seconds: 3.0,
        });
        assert_eq!(off.update(true, 60.0), None);
    }

    #[test]
    fn a_long_stall_between_updates_ends_at_once() {
        // The live loop was busy transcribing: the next look sees 7 s of silence.
        let mut t = on();
        assert_eq!(t.update(true, 7.0), Some(TurnSignal::Ended));
    }

    #[test]
    fn a_repeat_restarts_the_silence() {
        let mut t = on();
        assert!(matches!(
            t.update(true, 3.5),
            Some(TurnSignal::Ending { .. })
        ));
        assert_eq!(t.restart(3.5), Some(TurnSignal::Resumed));
        assert_eq!(t.update(true, 6.0), None, "2.5 s since the repeat");
        assert!(matches!(
            t.update(true, 6.6),
            Some(TurnSignal::Ending { .. })
        ));
        // Speech after the repeat resets the offset.
        assert_eq!(t.update(true, 0.2), Some(TurnSignal::Resumed));
        assert_eq!(t.update(true, 2.0), None);
    }
}
