//! The few espeak-ng C functions this crate needs, declared by hand from
//! `/usr/include/espeak-ng/speak_lib.h` (API revision 12), and the synth callback.
//!
//! Nothing here is thread-safe: espeak-ng keeps its state in process globals. Every
//! function is called by `espeak.rs` with its global mutex held, and synthesis runs in
//! `AUDIO_OUTPUT_SYNCHRONOUS` mode, so the callback runs on the calling thread, inside
//! `espeak_Synth`, and hands its data to that thread's collector.

use std::cell::RefCell;
use std::ffi::{c_char, c_int, c_short, c_uint, c_void, CStr};

/// `espeak_AUDIO_OUTPUT::AUDIO_OUTPUT_SYNCHRONOUS`: like RETRIEVAL, but `espeak_Synth`
/// returns only when synthesis is complete.
const AUDIO_OUTPUT_SYNCHRONOUS: c_int = 2;
/// Report `espeakEVENT_PHONEME` events.
const ESPEAK_INITIALIZE_PHONEME_EVENTS: c_int = 0x0001;
/// Phoneme events carry IPA names (what the avatar map is written in).
const ESPEAK_INITIALIZE_PHONEME_IPA: c_int = 0x0002;
/// Do not `exit()` the process when the data directory is missing.
const ESPEAK_INITIALIZE_DONT_EXIT: c_int = 0x8000;
/// `espeakCHARS_UTF8`. No `espeakSSML`, no `espeakPHONEMES`: text is read as plain text.
const ESPEAK_CHARS_UTF8: c_uint = 1;
/// `espeak_POSITION_TYPE::POS_CHARACTER`.
const POS_CHARACTER: c_int = 1;

/// `espeak_PARAMETER::espeakRATE` (words per minute, 80–450).
pub(crate) const ESPEAK_RATE: c_int = 1;
/// `espeak_PARAMETER::espeakPITCH` (0–100, 50 normal).
pub(crate) const ESPEAK_PITCH: c_int = 3;

/// `espeak_ERROR::EE_OK`.
pub(crate) const EE_OK: c_int = 0;
/// `espeak_ERROR::EE_NOT_FOUND`.
pub(crate) const EE_NOT_FOUND: c_int = 2;

// espeak_EVENT_TYPE values (a C enum: read as c_int, never as a Rust enum).
const EVENT_LIST_TERMINATED: c_int = 0;
const EVENT_END: c_int = 5;
const EVENT_MSG_TERMINATED: c_int = 6;
const EVENT_PHONEME: c_int = 7;

/// `espeak_EVENT.id`: a union of an int (WORD/SENTENCE), a `const char *` (MARK/PLAY)
/// and `char[8]` (PHONEME, UTF-8, NUL-terminated unless all 8 bytes are used).
#[repr(C)]
#[derive(Clone, Copy)]
union EventId {
    number: c_int,
    name: *const c_char,
    string: [c_char; 8],
}

/// `espeak_EVENT`, field for field.
#[repr(C)]
struct EspeakEvent {
    kind: c_int,
    unique_identifier: c_uint,
    text_position: c_int,
    length: c_int,
    audio_position: c_int,
    sample: c_int,
    user_data: *mut c_void,
    id: EventId,
}

// The layout gcc gives `espeak_EVENT` on x86_64/aarch64 Linux: 40 bytes, `id` at 32.
#[cfg(target_pointer_width = "64")]
const _: () = {
    assert!(std::mem::size_of::<EspeakEvent>() == 40);
    assert!(std::mem::align_of::<EspeakEvent>() == 8);
    assert!(std::mem::offset_of!(EspeakEvent, audio_position) == 16);
    assert!(std::mem::offset_of!(EspeakEvent, user_data) == 24);
    assert!(std::mem::offset_of!(EspeakEvent, id) == 32);
};

/// `espeak_VOICE`: used only to select a voice by language (`languages`), the way the
/// espeak-ng command line does when a name is not a voice file.
#[repr(C)]
struct EspeakVoice {
    name: *const c_char,
    languages: *const c_char,
    identifier: *const c_char,
    gender: u8,
    age: u8,
    variant: u8,
    xx1: u8,
    score: c_int,
    spare: *mut c_void,
}

#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<EspeakVoice>() == 40);

type SynthCallback = extern "C" fn(*mut c_short, c_int, *mut EspeakEvent) -> c_int;

extern "C" {
    fn espeak_Initialize(
        output: c_int,
        buflength: c_int,
        path: *const c_char,
        options: c_int,
    ) -> c_int;
    fn espeak_SetSynthCallback(callback: SynthCallback);
    fn espeak_SetVoiceByName(name: *const c_char) -> c_int;
    fn espeak_SetVoiceByProperties(voice_spec: *mut EspeakVoice) -> c_int;
    fn espeak_SetParameter(parameter: c_int, value: c_int, relative: c_int) -> c_int;
    fn espeak_Synth(
        text: *const c_void,
        size: usize,
        position: c_uint,
        position_type: c_int,
        end_position: c_uint,
        flags: c_uint,
        unique_identifier: *mut c_uint,
        user_data: *mut c_void,
    ) -> c_int;
    fn espeak_Synchronize() -> c_int;
    fn espeak_Info(path_data: *mut *const c_char) -> *const c_char;
}

/// One phoneme as espeak-ng reported it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawPhoneme {
    pub audio_ms: u32,
    pub name: String,
}

/// What one synthesis produced.
#[derive(Debug, Default)]
pub(crate) struct Collected {
    pub samples: Vec<i16>,
    pub phonemes: Vec<RawPhoneme>,
    /// The audio position of the last END / MSG_TERMINATED event.
    pub end_ms: Option<u32>,
}

thread_local! {
    /// Where the callback puts samples and events while `synthesize` runs on this thread.
    static COLLECTOR: RefCell<Option<Collected>> = const { RefCell::new(None) };
}

extern "C" fn synth_callback(
    wav: *mut c_short,
    numsamples: c_int,
    events: *mut EspeakEvent,
) -> c_int {
    // A panic must not unwind into C; treat one as "abort synthesis".
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        collect(wav, numsamples, events)
    }))
    .unwrap_or(1)
}

fn collect(wav: *mut c_short, numsamples: c_int, events: *mut EspeakEvent) -> c_int {
    COLLECTOR.with(|cell| {
        let Ok(mut slot) = cell.try_borrow_mut() else {
            return 1;
        };
        let Some(out) = slot.as_mut() else {
            // Synthesis that nobody on this thread asked for: abort it.
            return 1;
        };
        if !wav.is_null() && numsamples > 0 {
            let len = usize::try_from(numsamples).unwrap_or(0);
            // SAFETY: espeak passes `numsamples` valid 16-bit samples at `wav`, which stay
            // alive for the duration of this callback; we copy them out before returning.
            let chunk = unsafe { std::slice::from_raw_parts(wav, len) };
            out.samples.extend_from_slice(chunk);
        }
        if events.is_null() {
            return 0;
        }
        let mut ev = events;
        loop {
            // SAFETY: `events` points to an array terminated by an event of type
            // espeakEVENT_LIST_TERMINATED (0); we stop at it and never read past it.
            let event = unsafe { &*ev };
            match event.kind {
                EVENT_LIST_TERMINATED => break,
                EVENT_PHONEME => {
                    // SAFETY: for PHONEME events the union holds `string`, a char[8].
                    let raw = unsafe { event.id.string };
                    let bytes: Vec<u8> = raw
                        .iter()
                        .map(|&c| c.to_ne_bytes()[0])
                        .take_while(|&b| b != 0)
                        .collect();
                    out.phonemes.push(RawPhoneme {
                        audio_ms: u32::try_from(event.audio_position).unwrap_or(0),
                        name: String::from_utf8_lossy(&bytes).into_owned(),
                    });
                }
                EVENT_END | EVENT_MSG_TERMINATED => {
                    let at = u32::try_from(event.audio_position).unwrap_or(0);
                    out.end_ms = Some(out.end_ms.map_or(at, |e| e.max(at)));
                }
                _ => {}
            }
            // SAFETY: the current event was not the terminator, so the next element of
            // the array exists.
            ev = unsafe { ev.add(1) };
        }
        0
    })
}

/// `espeak_Initialize` in synchronous retrieval mode with IPA phoneme events, then
/// registers the callback. Returns the sample rate, or a negative number on failure.
/// Call once per process.
pub(crate) fn initialize(buffer_ms: i32) -> i32 {
    // SAFETY: plain C call with a null data path (espeak then uses ESPEAK_DATA_PATH or its
    // compiled-in location); the caller holds the global espeak mutex.
    let rate = unsafe {
        espeak_Initialize(
            AUDIO_OUTPUT_SYNCHRONOUS,
            buffer_ms,
            std::ptr::null(),
            ESPEAK_INITIALIZE_PHONEME_EVENTS
                | ESPEAK_INITIALIZE_PHONEME_IPA
                | ESPEAK_INITIALIZE_DONT_EXIT,
        )
    };
    if rate > 0 {
        // SAFETY: `synth_callback` is a `extern "C"` fn with the exact signature of
        // `t_espeak_callback` and lives for the whole program.
        unsafe { espeak_SetSynthCallback(synth_callback) };
    }
    rate
}

/// espeak-ng's version string and data directory (valid after `initialize`).
pub(crate) fn info() -> (String, String) {
    let mut path: *const c_char = std::ptr::null();
    // SAFETY: espeak_Info writes a pointer to its static data-path string into `path`
    // and returns a pointer to its static version string (or null).
    let version = unsafe { espeak_Info(&mut path) };
    let text = |p: *const c_char| {
        if p.is_null() {
            String::new()
        } else {
            // SAFETY: non-null pointers from espeak_Info are NUL-terminated static strings.
            unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
        }
    };
    (text(version), text(path))
}

/// `espeak_SetVoiceByName`; returns the espeak_ERROR code.
pub(crate) fn set_voice_by_name(name: &CStr) -> i32 {
    // SAFETY: `name` is a valid NUL-terminated string for the duration of the call.
    unsafe { espeak_SetVoiceByName(name.as_ptr()) }
}

/// `espeak_SetVoiceByProperties` with only `languages` set (e.g. `en-gb`, which is a
/// language, not a voice file name); returns the espeak_ERROR code.
pub(crate) fn set_voice_by_language(language: &CStr) -> i32 {
    let mut spec = EspeakVoice {
        name: std::ptr::null(),
        languages: language.as_ptr(),
        identifier: std::ptr::null(),
        gender: 0,
        age: 0,
        variant: 0,
        xx1: 0,
        score: 0,
        spare: std::ptr::null_mut(),
    };
    // SAFETY: `spec` is a fully initialised espeak_VOICE whose string pointer is valid
    // for the duration of the call; espeak only reads it.
    unsafe { espeak_SetVoiceByProperties(&mut spec) }
}

/// `espeak_SetParameter(parameter, value, 0)` (absolute); returns the espeak_ERROR code.
pub(crate) fn set_parameter(parameter: i32, value: i32) -> i32 {
    // SAFETY: plain C call with integer arguments.
    unsafe { espeak_SetParameter(parameter, value, 0) }
}

/// Synthesises `text` (UTF-8, plain text) and returns what the callback collected, or
/// the espeak_ERROR code of `espeak_Synth`.
pub(crate) fn synthesize(text: &CStr) -> Result<Collected, i32> {
    COLLECTOR.with(|cell| *cell.borrow_mut() = Some(Collected::default()));
    let bytes = text.to_bytes_with_nul();
    // SAFETY: `text` is NUL-terminated UTF-8 and outlives the call; in synchronous mode
    // espeak_Synth returns only after the last callback, so no pointer is kept.
    let code = unsafe {
        espeak_Synth(
            bytes.as_ptr().cast(),
            bytes.len(),
            0,
            POS_CHARACTER,
            0,
            ESPEAK_CHARS_UTF8,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        )
    };
    // SAFETY: plain C call; waits for any synthesis still pending (none in sync mode).
    let sync = unsafe { espeak_Synchronize() };
    let collected = COLLECTOR
        .with(|cell| cell.borrow_mut().take())
        .unwrap_or_default();
    if code != EE_OK {
        return Err(code);
    }
    if sync != EE_OK {
        return Err(sync);
    }
    Ok(collected)
}
