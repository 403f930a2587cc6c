//! Live transcription while the candidate speaks.
//!
//! Audio arrives in small pieces. Once enough has accumulated, the part up to a quiet
//! moment is transcribed for good ("committed"); in between, the uncommitted tail is
//! transcribed now and then as a partial for the screen. When the answer ends only the
//! tail is left to transcribe, so the final transcript follows the end of speech closely.

use crate::chunking::{quietest_point, CHUNK_SECONDS};
use crate::prompt;
use crate::vad::{SpeechTrack, VoiceActivity, FRAME};
use crate::{TranscribeError, Transcriber, Transcript, SAMPLE_RATE};

/// How much new audio triggers a fresh partial.
const PARTIAL_EVERY_SECONDS: f64 = 1.0;

/// Commit once the tail is this long (shorter than a chunk, so the tail stays cheap).
const COMMIT_AFTER_SECONDS: f64 = 10.0;

/// How far back from the commit point a cut may move to find a pause.
const COMMIT_SEARCH_SECONDS: f64 = 3.0;

/// A pause this long, after at least `PAUSE_COMMIT_MIN_SECONDS` of audio, commits early:
/// candidates pause between sentences, and whatever is committed by the time they stop
/// need not be transcribed after they stop.
const PAUSE_SECONDS: f64 = 0.4;
const PAUSE_COMMIT_MIN_SECONDS: f64 = 2.0;

/// Drafts of less audio than this are skipped: whisper tends to loop on tiny inputs.
const MIN_DRAFT_SECONDS: f64 = 1.5;

/// A new draft needs at least this much new speech since the last one (less would only
/// repeat it; the end of a word the last draft cut off is not worth a pass).
const MIN_NEW_SPEECH_SECONDS: f64 = 0.25;

fn samples_of(seconds: f64) -> usize {
    (seconds * SAMPLE_RATE as f64) as usize
}

pub struct LiveTranscription<'t> {
    transcriber: &'t mut dyn Transcriber,
    prompt: String,
    audio: Vec<f32>,
    track: SpeechTrack,
    committed_until: usize,
    committed: Vec<String>,
    last_partial_at: usize,
    /// Where the speech heard by the last draft ended: a draft of no new speech would
    /// only repeat the last one, and an abandoned one would delay the final pass.
    drafted_speech_until: usize,
    partial: String,
}

impl<'t> LiveTranscription<'t> {
    /// Live transcription with the default voice-activity model.
    pub fn new(transcriber: &'t mut dyn Transcriber, prompt: &str) -> Self {
        Self::with_track(transcriber, prompt, SpeechTrack::earshot())
    }

    /// Live transcription deciding speech with `vad`.
    pub fn with_vad(
        transcriber: &'t mut dyn Transcriber,
        prompt: &str,
        vad: Box<dyn VoiceActivity>,
    ) -> Self {
        Self::with_track(transcriber, prompt, SpeechTrack::new(vad))
    }

    /// Live transcription deciding speech with `track` (a fresh one).
    pub fn with_track(
        transcriber: &'t mut dyn Transcriber,
        prompt: &str,
        track: SpeechTrack,
    ) -> Self {
        Self {
            transcriber,
            prompt: prompt.to_string(),
            audio: Vec::new(),
            track,
            committed_until: 0,
            committed: Vec::new(),
            last_partial_at: 0,
            drafted_speech_until: 0,
            partial: String::new(),
        }
    }

    fn committed_text(&self) -> String {
        self.committed.join(" ")
    }

    fn seconds(samples: usize) -> f64 {
        samples as f64 / SAMPLE_RATE as f64
    }

    /// Adds the last samples of an answer without transcribing anything now: the answer
    /// is over and [`LiveTranscription::finish`] will transcribe what is uncommitted.
    pub fn append_final(&mut self, samples: &[f32]) {
        self.audio.extend_from_slice(samples);
        self.track.push(samples);
    }

    /// Adds captured audio and advances: returns a new partial transcript when one was
    /// made ([`LiveTranscription::hear`] then [`LiveTranscription::advance`]).
    pub fn push(&mut self, samples: &[f32]) -> Result<Option<String>, TranscribeError> {
        self.hear(samples);
        self.advance()
    }

    /// Adds captured audio and decides its speech frames; transcribes nothing (cheap).
    pub fn hear(&mut self, samples: &[f32]) {
        self.audio.extend_from_slice(samples);
        self.track.push(samples);
    }

    /// Commits at a pause (or when the tail grows long) and drafts a partial now and
    /// then. Returns a new partial transcript when one was made. A draft abandoned
    /// because the answer ended ([`TranscribeError::Interrupted`]) makes none.
    pub fn advance(&mut self) -> Result<Option<String>, TranscribeError> {
        let decided = self.track.samples();
        let tail = decided.saturating_sub(self.committed_until);
        let pause = self.track.trailing_silence().min(tail);
        let paused = Self::seconds(pause) >= PAUSE_SECONDS
            && Self::seconds(tail - pause) >= PAUSE_COMMIT_MIN_SECONDS
            && self.track.has_speech(self.committed_until..decided - pause);
        if paused || Self::seconds(tail) >= COMMIT_AFTER_SECONDS.min(CHUNK_SECONDS) {
            let cut = if paused {
                // Cut in the middle of the pause.
                decided - pause / 2
            } else {
                self.forced_cut(decided)
            };
            self.commit(cut)?;
            self.last_partial_at = self.audio.len();
            self.partial = self.committed_text();
            return Ok(Some(self.partial.clone()));
        }
        let speech_until = decided - pause;
        let draftable = Self::seconds(tail) >= MIN_DRAFT_SECONDS
            && speech_until >= self.drafted_speech_until + samples_of(MIN_NEW_SPEECH_SECONDS)
            && self.track.has_speech(self.committed_until..decided);
        if draftable
            && Self::seconds(self.audio.len() - self.last_partial_at) >= PARTIAL_EVERY_SECONDS
        {
            self.last_partial_at = self.audio.len();
            self.drafted_speech_until = speech_until;
            let context = prompt::with_history(&self.prompt, &self.committed_text());
            let span = self.speech_span(self.committed_until..self.audio.len());
            let part = match span {
                Some(span) => match self
                    .transcriber
                    .transcribe_draft(&self.audio[span], &context)
                {
                    Ok(part) => part,
                    Err(TranscribeError::Interrupted) => return Ok(None),
                    Err(e) => return Err(e),
                },
                None => return Ok(None),
            };
            let mut texts = self.committed.clone();
            crate::cleanup::append_pass(&mut texts, &part.text);
            self.partial = texts.join(" ");
            return Ok(Some(self.partial.clone()));
        }
        Ok(None)
    }

    /// Where to cut a tail that has grown too long without a pause: the latest moment
    /// without speech in the last few seconds, or the quietest one.
    fn forced_cut(&self, end: usize) -> usize {
        let search = samples_of(COMMIT_SEARCH_SECONDS);
        let from = end.saturating_sub(search).max(self.committed_until + 1);
        let mut at = end.saturating_sub(FRAME);
        while at >= from {
            if !self.track.has_speech(at..at + FRAME) {
                return at + FRAME / 2;
            }
            at = match at.checked_sub(FRAME) {
                Some(a) => a,
                None => break,
            };
        }
        quietest_point(&self.audio, from, end)
    }

    /// The speech inside `span`, with a margin; `None` when it holds none.
    fn speech_span(&self, span: std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
        self.track.speech_span(span)
    }

    /// Transcribes `committed_until..cut` for good (only its speech) and moves on.
    fn commit(&mut self, cut: usize) -> Result<(), TranscribeError> {
        let cut = cut.clamp(self.committed_until, self.audio.len());
        if let Some(span) = self.speech_span(self.committed_until..cut) {
            let context = prompt::with_history(&self.prompt, &self.committed_text());
            let part = self.transcriber.transcribe(&self.audio[span], &context)?;
            crate::cleanup::append_pass(&mut self.committed, &part.text);
        }
        self.committed_until = cut;
        Ok(())
    }

    /// The latest partial transcript.
    pub fn partial(&self) -> &str {
        &self.partial
    }

    /// All audio so far.
    pub fn audio(&self) -> &[f32] {
        &self.audio
    }

    /// Whether the candidate has said anything yet.
    pub fn spoken(&self) -> bool {
        self.track.spoken()
    }

    /// Seconds of silence (no speech from the candidate) at the end of what was heard.
    pub fn trailing_silence_seconds(&self) -> f64 {
        Self::seconds(self.track.trailing_silence())
    }

    /// Seconds of audio not committed yet: what the final pass would still have to read.
    pub fn uncommitted_seconds(&self) -> f64 {
        Self::seconds(self.audio.len() - self.committed_until)
    }

    /// Seconds of audio the final pass would read now (the speech in the uncommitted
    /// tail, with its margins); 0 when the tail holds no speech.
    pub fn uncommitted_speech_seconds(&self) -> f64 {
        self.speech_span(self.committed_until..self.audio.len())
            .map_or(0.0, |r| Self::seconds(r.len()))
    }

    /// Segments committed so far (each transcribed for good during the answer).
    pub fn committed_segments(&self) -> usize {
        self.committed.len()
    }

    /// The answer ended: transcribes the speech not committed yet (only that, trimmed of
    /// silence around it) and returns the whole text.
    /// The tail is usually the last sentence; it is longer when the pass that would have
    /// committed the part before it was abandoned as the answer ended, or when a slow
    /// machine fell behind, and then it is read in chunks like a whole answer.
    pub fn finish(self) -> Result<Transcript, TranscribeError> {
        let mut texts = self.committed.clone();
        let from = self.committed_until;
        for chunk in crate::chunking::split(&self.audio[from..], CHUNK_SECONDS) {
            let chunk = chunk.start + from..chunk.end + from;
            if let Some(span) = self.speech_span(chunk) {
                let context = prompt::with_history(&self.prompt, &texts.join(" "));
                let part = self
                    .transcriber
                    .transcribe_tail(&self.audio[span], &context)?;
                crate::cleanup::append_pass(&mut texts, &part.text);
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

    /// A voice-activity model that hears a voice in every loud frame.
    struct Loud;
    impl crate::vad::VoiceActivity for Loud {
        fn voice_probability(&mut self, frame: &[f32]) -> f32 {
            if crate::vad::dbfs(frame) > -40.0 {
                1.0
            } else {
                0.0
            }
        }
    }

    fn live<'t>(t: &'t mut dyn Transcriber) -> LiveTranscription<'t> {
        LiveTranscription::with_vad(t, "q", Box::new(Loud))
    }

    /// A transcript naming the length of the audio it was made from ("[4.2s]").
    fn named(audio: &[f32]) -> Transcript {
        Transcript {
            text: format!("[{:.1}s]", audio.len() as f64 / SAMPLE_RATE as f64),
            audio_seconds: 0.0,
        }
    }

    /// A transcriber that names the span it was given, to check what live mode asks for.
    struct Spans(Vec<usize>);

    impl Transcriber for Spans {
        fn transcribe(
            &mut self,
            audio: &[f32],
            _prompt: &str,
        ) -> Result<Transcript, TranscribeError> {
            self.0.push(audio.len());
            Ok(named(audio))
        }
    }

    #[test]
    fn a_pause_commits_early_and_silence_is_never_transcribed() {
        let mut spans = Spans(Vec::new());
        let mut live = live(&mut spans);
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
        // The committed span is the speech and its margin, to within one VAD frame.
        let last = *spans.0.last().expect("spans");
        assert!(
            last.abs_diff(SAMPLE_RATE * 17 / 4) <= crate::vad::FRAME,
            "{last}"
        );
    }

    /// A transcriber whose passes during the answer are all abandoned (the answer ended
    /// while they ran); only the tail's pass completes.
    struct EndedDuringCommit(Vec<usize>);

    impl Transcriber for EndedDuringCommit {
        fn transcribe(&mut self, _: &[f32], _: &str) -> Result<Transcript, TranscribeError> {
            Err(TranscribeError::Interrupted)
        }

        fn transcribe_tail(
            &mut self,
            audio: &[f32],
            _prompt: &str,
        ) -> Result<Transcript, TranscribeError> {
            self.0.push(audio.len());
            Ok(named(audio))
        }
    }

    #[test]
    fn a_commit_abandoned_as_the_answer_ends_is_read_by_the_tails_pass() {
        let mut passes = EndedDuringCommit(Vec::new());
        let mut live = live(&mut passes);
        // 4 s of speech, a pause (its commit is abandoned), 2 s more, then the answer ends.
        live.hear(&vec![0.1f32; SAMPLE_RATE * 4]);
        live.hear(&vec![0.0f32; SAMPLE_RATE / 2]);
        assert!(matches!(live.advance(), Err(TranscribeError::Interrupted)));
        assert_eq!(live.committed_segments(), 0, "nothing was committed");
        live.append_final(&vec![0.1f32; SAMPLE_RATE * 2]);
        let done = live.finish().expect("finish");
        // One pass over all the speech (6.5 s from the first word to the last, with the
        // margin before the first): no word was lost with the abandoned commit.
        assert_eq!(passes.0.len(), 1, "{:?}", passes.0);
        assert!(passes.0[0] >= SAMPLE_RATE * 13 / 2, "{:?}", passes.0);
        assert!(done.text.starts_with('['), "{}", done.text);
    }

    #[test]
    fn silence_after_speech_makes_no_new_draft() {
        let mut spans = Spans(Vec::new());
        let mut live = live(&mut spans);
        // 1.8 s of speech: too short to commit at the pause, long enough for a draft.
        let drafted = live
            .push(&vec![0.1f32; SAMPLE_RATE * 9 / 5])
            .expect("speech");
        assert!(drafted.is_some(), "one draft of the speech");
        for _ in 0..3 {
            let silent = live.push(&vec![0.0f32; SAMPLE_RATE]).expect("silence");
            assert_eq!(silent, None, "no draft while nothing new was said");
        }
        let more = live.push(&vec![0.1f32; SAMPLE_RATE]).expect("more speech");
        assert!(more.is_some(), "new speech is drafted again");
        let done = live.finish().expect("finish");
        assert!(!done.text.is_empty());
        // Two drafts and the final pass: whisper never read the silence on its own.
        assert_eq!(spans.0.len(), 3, "{:?}", spans.0);
    }

    #[test]
    fn live_mode_commits_chunks_and_leaves_only_the_tail_for_the_end() {
        let mut spans = Spans(Vec::new());
        let mut live = live(&mut spans);
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
