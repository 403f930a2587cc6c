//! Speaks a sentence with espeak-ng, writes the WAV and prints the viseme timeline.
//!
//! `cargo run -p panelist-speech --example speak -- "Peter bought a map." en-us 175 /tmp/out.wav`

use panelist_speech::{EspeakSpeaker, Speaker, VoiceSettings};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let text = args.next().unwrap_or_else(|| "Peter bought a map.".into());
    let voice = args.next().unwrap_or_else(|| "en-us".into());
    let rate: u32 = args.next().map_or(Ok(175), |r| r.parse())?;
    let out = args.next().unwrap_or_else(|| "speech.wav".into());

    let speaker = EspeakSpeaker::new()?;
    let (version, data) = speaker.info();
    eprintln!("espeak-ng {version}, data in {data}");
    let speech = speaker.speak(&text, &VoiceSettings::new(voice, rate))?;
    speech.write_wav(std::path::Path::new(&out))?;
    eprintln!(
        "{out}: {} ms, {} samples at {} Hz, {} visemes",
        speech.duration_ms(),
        speech.samples.len(),
        speech.sample_rate,
        speech.visemes.len()
    );
    for v in &speech.visemes {
        eprintln!(
            "{:>6} ms  {:?}  {:>3}  {}",
            v.start_ms,
            v.shape,
            serde_json::to_string(&v.oculus)?,
            v.phoneme
        );
    }
    println!("{}", speech.timeline_json());
    Ok(())
}
