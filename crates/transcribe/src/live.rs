//! Live transcription while the candidate speaks.
//!
//! Audio arrives in small pieces. Once enough has accumulated, the part up to a quiet
//! moment is transcribed for good ("committed"); in between, the uncommitted tail is
//! transcribed now and then as a partial for the screen. When the answer ends only the
//! tail is left to transcribe, so the final transcript follows the end of speech closely.

use crate::chunking::{has_speech, quietest_point, trailing_silence, CHUNK_SECONDS};
use crate::prompt;
use crate::{TranscribeError, Transcriber, Transcript, SAMPLE_RATE};

/// How much new audio triggers a fresh partial.
const PARTIAL_EVERY_SECONDS: f64 = 1.0;

/// Commit once the tail is this long (shorter than a chunk, so the tail stays cheap).
const COMMIT_AFTER_SECONDS: f64 = 10.0;

/// How far back from the commit point a cut may move to find a quiet moment.
const COMMIT_SEARCH_SECONDS: f64 = 3.0;

/// A pause this long, after at least `PAUSE_COMMIT_MIN_SECONDS` of speech, commits early:
/// candidates pause between sentences, and whatever is committed by the time they stop
/// need not be transcribed after they stop.
const PAUSE_SECONDS: f64 = 0.4;
const PAUSE_COMMIT_MIN_SECONDS: f64 = 3.0;

/// Drafts of less audio than this are skipped: whisper tends to loop on tiny inputs.
const MIN_DRAFT_SECONDS: f64 = 1.5;

pub struct LiveTranscription<'t> {
    transcriber: &'t mut dyn Transcriber,
    prompt: String,
    audio: Vec<f32>,
    committed_until: usize,
    committed: Vec<String>,
    last_partial_at: usize,
    partial: String,
}

impl<'t> LiveTranscription<'t> {
    pub fn new(transcriber: &'t mut dyn Transcriber, prompt: &str) -> Self {
        Self {
            transcriber,
            prompt: prompt.to_string(),
            audio: Vec::new(),
            committed_until: 0,
            committed: Vec::new(),
            last_partial_at: 0,
            partial: String::new(),
        }
    }

    fn committed_text(&self) -> String {
        self.committed.join(" ")
    }

    fn seconds(samples: usize) -> f64 {
        samples as f64 / SAMPLE_RATE as f64
    }

    /// Adds captured audio. Returns a new partial transcript when one was made.
    /// Adds the last samples of an answer without transcribing anything now: the answer
    /// is over and [`LiveTranscription::finish`] will transcribe what is uncommitted.
    pub fn append_final(&mut self, samples: &[f32]) {
        self.audio.extend_from_slice(samples);
    }

    pub fn push(&mut self, samples: &[f32]) -> Result<Option<String>, TranscribeError> {
        self.audio.extend_from_slice(samples);
        let tail = self.audio.len() - self.committed_until;
        let pause = trailing_silence(&self.audio[self.committed_until..]);
        let paused = Self::seconds(pause) >= PAUSE_SECONDS
            && Self::seconds(tail - pause) >= PAUSE_COMMIT_MIN_SECONDS;
        if paused || Self::seconds(tail) >= COMMIT_AFTER_SECONDS.min(CHUNK_SECONDS) {
            let end = self.audio.len();
            let cut = if paused {
                // Cut in the middle of the pause.
                end - pause / 2
            } else {
                let search = (COMMIT_SEARCH_SECONDS * SAMPLE_RATE as f64) as usize;
                quietest_point(
                    &self.audio,
                    end.saturating_sub(search).max(self.committed_until + 1),
                    end,
                )
            };
            let span = &self.audio[self.committed_until..cut];
            if has_speech(span) {
                let context = prompt::with_history(&self.prompt, &self.committed_text());
                let part = self.transcriber.transcribe(span, &context)?;
                if !part.text.is_empty() {
                    self.committed.push(part.text);
                }
            }
            self.committed_until = cut;
            self.last_partial_at = self.audio.len();
            self.partial = self.committed_text();
            return Ok(Some(self.partial.clone()));
        }
        let draftable = Self::seconds(tail) >= MIN_DRAFT_SECONDS
            && has_speech(&self.audio[self.committed_until..]);
        if draftable
            && Self::seconds(self.audio.len() - self.last_partial_at) >= PARTIAL_EVERY_SECONDS
        {
            self.last_partial_at = self.audio.len();
            let context = prompt::with_history(&self.prompt, &self.committed_text());
            let part = self
                .transcriber
                .transcribe_draft(&self.audio[self.committed_until..], &context)?;
            let mut text = self.committed_text();
            if !part.text.is_empty() {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(&part.text);
            }
            self.partial = text;
            return Ok(Some(self.partial.clone()));
        }
        Ok(None)
    }

    /// The latest partial transcript.
    pub fn partial(&self) -> &str {
        &self.partial
    }

    /// All audio so far.
    pub fn audio(&self) -> &[f32] {
        &self.audio
    }

    /// The answer ended: transcribes what is not committed yet and returns the whole text.
    pub fn finish(self) -> Result<Transcript, TranscribeError> {
        let mut texts = self.committed.clone();
        if has_speech(&self.audio[self.committed_until..]) {
            let context = prompt::with_history(&self.prompt, &self.committed_text());
            let part = self
                .transcriber
                .transcribe(&self.audio[self.committed_until..], &context)?;
            if !part.text.is_empty() {
                texts.push(part.text);
            }
        }
        Ok(Transcript {
            text: texts.join(" "),
            audio_seconds: Self::seconds(self.audio.len()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A transcriber that names the span it was given, to check what live mode asks for.
    struct Spans(Vec<usize>);

    impl Transcriber for Spans {
        fn transcribe(
            &mut self,
            audio: &[f32],
            _prompt: &str,
        ) -> Result<Transcript, TranscribeError> {
            self.0.push(audio.len());
            Ok(Transcript {
                text: format!("[{:.1}s]", audio.len() as f64 / SAMPLE_RATE as f64),
                audio_seconds: 0.0,
            })
        }
    }

    #[test]
    fn a_pause_commits_early_and_silence_is_never_transcribed() {
        let mut spans = Spans(Vec::new());
        let mut live = LiveTranscription::new(&mut spans, "q");
        let speech = vec![0.1f32; SAMPLE_RATE / 2];
        let pause = vec![0.0f32; SAMPLE_RATE / 2];
        for block in [&speech; 8] {
            live.push(block).expect("push");
        }
        live.push(&pause).expect("pause");
        // 4 s of speech then a pause: committed at once.
        assert!(live.partial().starts_with("[4.2s]"), "{}", live.partial());
        for _ in 0..6 {
            live.push(&pause).expect("silence");
        }
        let done = live.finish().expect("finish");
        assert_eq!(done.text, "[4.2s]", "trailing silence adds nothing");
        // Three drafts while speaking, one commit at the pause, and nothing for the silence.
        assert_eq!(spans.0.len(), 4, "{:?}", spans.0);
        assert_eq!(spans.0.last(), Some(&(SAMPLE_RATE * 17 / 4)));
    }

    #[test]
    fn live_mode_commits_chunks_and_leaves_only_the_tail_for_the_end() {
        let mut spans = Spans(Vec::new());
        let mut live = LiveTranscription::new(&mut spans, "q");
        let second = vec![0.1f32; SAMPLE_RATE];
        let mut partials = 0;
        for _ in 0..25 {
            if live.push(&second).expect("push").is_some() {
                partials += 1;
            }
        }
        // A partial every second, except when less than 1.5 s is left uncommitted.
        assert_eq!(partials, 22);
        let final_text = live.finish().expect("finish");
        assert_eq!(final_text.audio_seconds, 25.0);
        // Two commits of about 10 s, then a 5 s tail at the end.
        assert!(
            final_text.text.starts_with("[10.0s] [10.0s]"),
            "{}",
            final_text.text
        );
        let last = *spans.0.last().expect("spans");
        assert!(
            last <= 6 * SAMPLE_RATE,
            "the final pass only covers the tail: {last}"
        );
        assert!(spans.0.iter().all(|n| *n <= 11 * SAMPLE_RATE));
    }
}
