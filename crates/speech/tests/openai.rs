//! The OpenAI-compatible provider against a local server that speaks the same protocol
//! (wiremock on 127.0.0.1), returning audio made by espeak-ng, errors, garbage, or
//! nothing in time.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use panelist_speech::{
    EspeakSpeaker, MouthShape, OpenAiConfig, OpenAiSpeaker, Speaker, Speech, SpeechError,
    VoiceSettings,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// What the server answers.
enum Reply {
    Ok(&'static str, Vec<u8>),
    Status(u16, &'static str, Vec<u8>),
    /// Say nothing for this long (then answer, too late).
    Stall(Duration),
}

/// A local server that speaks the protocol (wiremock, on its own thread): it answers
/// `POST /v1/audio/speech` once with the reply and keeps what it was sent.
struct Server {
    mock: MockServer,
    runtime: tokio::runtime::Runtime,
    base_url: String,
}

impl Server {
    /// The one request the server received.
    fn request(&self) -> wiremock::Request {
        let mut requests = self
            .runtime
            .block_on(self.mock.received_requests())
            .expect("requests are recorded");
        assert_eq!(requests.len(), 1, "{requests:?}");
        requests.remove(0)
    }
}

fn serve(reply: Reply) -> Server {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let response = match reply {
        Reply::Ok(ctype, body) => ResponseTemplate::new(200).set_body_raw(body, ctype),
        Reply::Status(code, ctype, body) => ResponseTemplate::new(code).set_body_raw(body, ctype),
        Reply::Stall(wait) => ResponseTemplate::new(200).set_delay(wait),
    };
    let mock = runtime.block_on(async {
        let mock = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v1/audio/speech"))
            .respond_with(response)
            .mount(&mock)
            .await;
        mock
    });
    Server {
        base_url: format!("{}/v1", mock.uri()),
        mock,
        runtime,
    }
}

fn header<'r>(request: &'r wiremock::Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

fn config(server: &Server) -> OpenAiConfig {
    OpenAiConfig {
        api_key: Some("test-key".into()),
        voice: Some("alloy".into()),
        timeout: Duration::from_secs(10),
        ..OpenAiConfig::new(server.base_url.clone(), "tts-1")
    }
}

fn espeak_wav(text: &str) -> (Speech, Vec<u8>) {
    let speech = EspeakSpeaker::new()
        .expect("espeak-ng initialises")
        .speak(text, &VoiceSettings::default())
        .expect("speaks");
    let bytes = speech.wav_bytes().expect("wav");
    (speech, bytes)
}

fn assert_timeline(speech: &Speech) {
    let t = &speech.visemes;
    let duration = speech.duration_ms();
    assert_eq!(t.first().map(|v| v.start_ms), Some(0), "{t:?}");
    assert!(t.windows(2).all(|w| w[0].start_ms < w[1].start_ms), "{t:?}");
    let last = t.last().expect("not empty");
    assert!(last.start_ms < duration, "{last:?} vs {duration}");
    assert_eq!(last.shape, MouthShape::X);
}

const TEXT: &str = "What would you do differently next time?";

#[test]
fn speaks_through_a_compatible_server() {
    let (reference, wav) = espeak_wav(TEXT);
    let server = serve(Reply::Ok("audio/wav", wav));
    let speaker = OpenAiSpeaker::new(config(&server)).expect("speaker");
    let speech = speaker
        .speak(TEXT, &VoiceSettings::default())
        .expect("speaks");

    let request = server.request();
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/v1/audio/speech");
    assert_eq!(header(&request, "authorization"), Some("Bearer test-key"));
    assert!(header(&request, "content-type").is_some_and(|c| c.starts_with("application/json")));
    let body: serde_json::Value = request.body_json().expect("a JSON body");
    assert_eq!(body["model"], "tts-1");
    assert_eq!(body["input"], TEXT);
    assert_eq!(body["voice"], "alloy");
    assert_eq!(body["response_format"], "wav");
    assert_eq!(body["speed"], 1.0);

    assert_eq!(speech.sample_rate, 22_050);
    assert_eq!(speech.samples, reference.samples);
    assert!(speech.phonemes.is_empty());
    assert_timeline(&speech);
    // The envelope opens the mouth while it speaks and closes or rests between words.
    let shapes: Vec<MouthShape> = speech.visemes.iter().map(|v| v.shape).collect();
    assert!(
        shapes
            .iter()
            .any(|s| matches!(s, MouthShape::C | MouthShape::D)),
        "{shapes:?}"
    );
    assert!(
        shapes
            .iter()
            .any(|s| matches!(s, MouthShape::A | MouthShape::B)),
        "{shapes:?}"
    );
    assert!(speech.visemes.len() >= 6, "{:?}", speech.visemes);
}

#[test]
fn settings_voice_and_rate_are_sent_when_the_config_names_no_voice() {
    let (_, wav) = espeak_wav("Yes.");
    let server = serve(Reply::Ok("audio/wav", wav));
    let speaker = OpenAiSpeaker::new(OpenAiConfig {
        voice: None,
        api_key: None,
        ..config(&server)
    })
    .expect("speaker");
    speaker
        .speak("Yes.", &VoiceSettings::new("nova", 350))
        .expect("speaks");
    let request = server.request();
    assert_eq!(header(&request, "authorization"), None);
    let body: serde_json::Value = request.body_json().expect("a JSON body");
    assert_eq!(body["voice"], "nova");
    assert_eq!(body["speed"], 2.0);
}

#[test]
fn a_streamed_wav_with_unknown_length_is_accepted() {
    let (reference, mut wav) = espeak_wav(TEXT);
    // What a streaming server sends: RIFF and data sizes it could not know.
    wav[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
    wav[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
    let server = serve(Reply::Ok("audio/wav", wav));
    let speech = OpenAiSpeaker::new(config(&server))
        .expect("speaker")
        .speak(TEXT, &VoiceSettings::default())
        .expect("speaks");
    assert_eq!(speech.samples, reference.samples);
    assert_timeline(&speech);
}

#[test]
fn http_500_is_a_clear_error() {
    let body = br#"{"error":{"message":"The server had an error while processing your request.","type":"server_error"}}"#;
    let server = serve(Reply::Status(500, "application/json", body.to_vec()));
    let err = OpenAiSpeaker::new(config(&server))
        .expect("speaker")
        .speak(TEXT, &VoiceSettings::default())
        .expect_err("500");
    match &err {
        SpeechError::Http {
            status, message, ..
        } => {
            assert_eq!(*status, 500);
            assert_eq!(
                message,
                "The server had an error while processing your request."
            );
        }
        other => panic!("expected Http, got {other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.contains("HTTP 500") && text.contains("/v1/audio/speech"),
        "{text}"
    );
}

#[test]
fn http_401_with_a_plain_body_is_a_clear_error() {
    let server = serve(Reply::Status(401, "text/plain", b"Unauthorized".to_vec()));
    let err = OpenAiSpeaker::new(config(&server))
        .expect("speaker")
        .speak(TEXT, &VoiceSettings::default())
        .expect_err("401");
    assert!(
        matches!(&err, SpeechError::Http { status: 401, message, .. } if message == "Unauthorized"),
        "{err:?}"
    );
}

#[test]
fn a_server_that_does_not_answer_times_out() {
    let server = serve(Reply::Stall(Duration::from_secs(4)));
    let speaker = OpenAiSpeaker::new(OpenAiConfig {
        timeout: Duration::from_millis(500),
        ..config(&server)
    })
    .expect("speaker");
    let started = Instant::now();
    let err = speaker
        .speak(TEXT, &VoiceSettings::default())
        .expect_err("timeout");
    let took = started.elapsed();
    assert!(matches!(err, SpeechError::Timeout { .. }), "{err:?}");
    assert!(took < Duration::from_secs(3), "took {took:?}");
    assert!(
        err.to_string().contains("did not answer within 500ms"),
        "{err}"
    );
}

#[test]
fn a_non_audio_body_is_a_clear_error() {
    let server = serve(Reply::Ok(
        "text/html",
        b"<html><body>Welcome to the captive portal</body></html>".to_vec(),
    ));
    let err = OpenAiSpeaker::new(config(&server))
        .expect("speaker")
        .speak(TEXT, &VoiceSettings::default())
        .expect_err("html");
    assert!(matches!(err, SpeechError::BadAudio(_)), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("not a WAV file") && text.contains("text/html"),
        "{text}"
    );
    assert!(text.contains("captive portal"), "{text}");
}

#[test]
fn a_broken_wav_is_a_clear_error() {
    let server = serve(Reply::Ok(
        "audio/wav",
        b"RIFF\x24\0\0\0WAVEfmt \x10\0\0\0\x01\0".to_vec(),
    ));
    let err = OpenAiSpeaker::new(config(&server))
        .expect("speaker")
        .speak(TEXT, &VoiceSettings::default())
        .expect_err("truncated");
    assert!(matches!(err, SpeechError::BadAudio(_)), "{err:?}");
}

#[test]
fn no_server_is_a_network_error() {
    // A port that was free a moment ago: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let speaker = OpenAiSpeaker::new(OpenAiConfig::new(
        format!("http://127.0.0.1:{port}/v1"),
        "tts-1",
    ))
    .expect("speaker");
    let err = speaker
        .speak(TEXT, &VoiceSettings::default())
        .expect_err("refused");
    assert!(matches!(err, SpeechError::Network(_)), "{err:?}");
    assert!(
        err.to_string()
            .contains("could not reach the speech server"),
        "{err}"
    );
}

#[test]
fn empty_text_fails_before_any_request() {
    let speaker =
        OpenAiSpeaker::new(OpenAiConfig::new("http://127.0.0.1:9/v1", "tts-1")).expect("speaker");
    let err = speaker
        .speak("  ", &VoiceSettings::default())
        .expect_err("empty");
    assert!(matches!(err, SpeechError::EmptyText), "{err:?}");
    let err = OpenAiSpeaker::new(OpenAiConfig::new("not a url", "tts-1")).expect_err("bad url");
    assert!(matches!(err, SpeechError::InvalidSettings(_)), "{err:?}");
}
