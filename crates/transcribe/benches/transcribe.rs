//! Placeholder: the transcription benchmark is being written.
fn main() {}
