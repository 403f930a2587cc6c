//! A local OpenAI-compatible chat-completions server (wiremock on 127.0.0.1, real HTTP
//! over a real socket) with a scripted model behind it and the quirks real providers
//! have: JSON in a markdown fence, prose around the JSON, wrong field types,
//! out-of-range indexes, 429 with `Retry-After`, 500s, hangs and bodies cut off midway
//! (the one quirk wiremock cannot serve, so a raw socket does).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use wiremock::{matchers::any, Mock, MockServer, Respond, ResponseTemplate};

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The user message (the rendered prompt).
    pub fn prompt(&self) -> String {
        self.body
            .pointer("/messages/1/content")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    }

    pub fn system(&self) -> String {
        self.body
            .pointer("/messages/0/content")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    }
}

/// How the server behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quirk {
    /// The model's JSON as the whole content.
    Normal,
    /// The JSON inside a ```json fence.
    Fenced,
    /// Prose before and after the JSON.
    Prose,
    /// Fields of the wrong type (`"action": 3`, `"score": "high"`).
    WrongTypes,
    /// Decisions name a preset index that does not exist.
    OutOfRangeIndex,
    /// Every other request gets 429 with `Retry-After: 1`.
    RateLimited,
    /// Every other request gets a 500.
    ServerError,
    /// Reads the request and says nothing for a long time.
    Hang,
    /// Announces a long body, sends part of it and hangs up.
    Truncated,
    /// A model that obeys instructions found in the candidate's text.
    Gullible,
    /// Scores outside 0–100.
    OutOfRangeScore,
    /// Scores without evidence quoted from the transcript.
    NoEvidence,
    /// Refuses `response_format: json_schema` with a 400, like models without it.
    RejectsSchema,
    /// 401 with the key it was sent echoed in the error message.
    Unauthorized,
    /// llama-cpp-python's server: `response_format` may only be `text` or
    /// `json_object`, and anything else is refused with HTTP 500 and the pydantic
    /// validation error in an OpenAI-style error body.
    LlamaCppPython,
    /// A model that follows up on every answer by reading out the asked question's key
    /// points and their terms, giving the answer away.
    Prompter,
}

/// What llama-cpp-python's OpenAI-compatible server (0.3.x) answers to
/// `response_format: {"type": "json_schema", …}`: its route error handler turns the
/// request model's validation error into a 500.
pub const LLAMA_CPP_PYTHON_REFUSAL: &str = r#"{"error":{"message":"1 validation error for CreateChatCompletionRequest\nresponse_format.type\n  Input should be 'text' or 'json_object' [type=literal_error, input_value='json_schema', input_type=str]\n    For further information visit https://errors.pydantic.dev/2.10/v/literal_error","type":"internal_server_error","param":null,"code":null}}"#;

pub struct FakeProvider {
    pub base_url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    /// The wiremock server and the runtime it was started on (none for `Truncated`).
    _mock: Option<(MockServer, tokio::runtime::Runtime)>,
}

impl FakeProvider {
    pub fn start(quirk: Quirk) -> Self {
        let seen = Arc::new(Mutex::new(Vec::new()));
        if quirk == Quirk::Truncated {
            return Self::cut_off(seen);
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let model = Scripted {
            quirk,
            seen: seen.clone(),
        };
        let mock = runtime.block_on(async {
            let mock = MockServer::builder().start().await;
            Mock::given(any()).respond_with(model).mount(&mock).await;
            mock
        });
        Self {
            base_url: format!("{}/v1", mock.uri()),
            seen,
            _mock: Some((mock, runtime)),
        }
    }

    /// A server that announces a long body, sends part of it and hangs up: hyper (under
    /// wiremock) never sends fewer bytes than it announced, so this one is a raw socket.
    fn cut_off(seen: Arc<Mutex<Vec<Seen>>>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base_url = format!("http://{}/v1", listener.local_addr().expect("addr"));
        let s = seen.clone();
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let Some(request) = read_request(&mut stream) else {
                    continue;
                };
                let body = completion(&model_reply(&request.prompt(), Quirk::Normal));
                s.lock().expect("lock").push(request);
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    body.len() + 500
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body.as_bytes()[..body.len() / 2]);
                let _ = stream.flush();
                // Hang up with the body half sent.
            }
        });
        Self {
            base_url,
            seen,
            _mock: None,
        }
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().expect("lock").clone()
    }

    pub fn request_count(&self) -> usize {
        self.seen.lock().expect("lock").len()
    }
}

/// The scripted model behind the wiremock server: keeps what it was sent and answers
/// with its quirk.
struct Scripted {
    quirk: Quirk,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Respond for Scripted {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let Ok(body) = request.body_json::<Value>() else {
            return ResponseTemplate::new(400);
        };
        let request = Seen {
            path: request.url.path().to_string(),
            headers: request
                .headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_string()))
                .collect(),
            body,
        };
        let n = {
            let mut seen = self.seen.lock().expect("lock");
            seen.push(request.clone());
            seen.len() - 1
        };
        answer(&request, n, self.quirk)
    }
}

fn json_reply(status: u16, body: impl Into<String>) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.into(), "application/json")
}

/// The reply to the `n`th request (from 0).
fn answer(request: &Seen, n: usize, quirk: Quirk) -> ResponseTemplate {
    let wants_schema = request.body["response_format"]["type"] == "json_schema";
    if quirk == Quirk::Unauthorized {
        let sent_key = request
            .header("authorization")
            .unwrap_or_default()
            .trim_start_matches("Bearer ");
        let body = json!({"error": {"message": format!("Incorrect API key provided: {sent_key}."),
                                    "type": "invalid_request_error"}});
        return json_reply(401, body.to_string());
    }
    if quirk == Quirk::LlamaCppPython && wants_schema {
        return json_reply(500, LLAMA_CPP_PYTHON_REFUSAL);
    }
    if quirk == Quirk::RejectsSchema && wants_schema {
        let body = r#"{"error":{"message":"response_format json_schema is not supported for this model","type":"invalid_request_error"}}"#;
        return json_reply(400, body);
    }
    match quirk {
        Quirk::RateLimited if n.is_multiple_of(2) => {
            let body = r#"{"error":{"message":"Rate limit reached","type":"rate_limit"}}"#;
            return json_reply(429, body).insert_header("Retry-After", "1");
        }
        Quirk::ServerError if n.is_multiple_of(2) => {
            return json_reply(500, r#"{"error":{"message":"upstream overloaded"}}"#);
        }
        // Says nothing for far longer than any deadline of the tests.
        Quirk::Hang => return ResponseTemplate::new(200).set_delay(Duration::from_secs(30)),
        _ => {}
    }
    json_reply(200, completion(&model_reply(&request.prompt(), quirk)))
}

/// Reads one request from a raw socket (for the `Truncated` server).
fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).into_owned();
    let mut lines = head.split("\r\n");
    let path = lines.next()?.split(' ').nth(1)?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[header_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Seen {
        path,
        headers,
        body: serde_json::from_slice(&body).ok()?,
    })
}

fn completion(content: &str) -> String {
    json!({
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "model": "fake-model",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    })
    .to_string()
}

/// The data blocks of a prompt, in order.
pub fn data_blocks(prompt: &str, kind: &str) -> Vec<String> {
    let open = format!("<<<DATA {kind}>>>\n");
    prompt
        .split(&open)
        .skip(1)
        .filter_map(|rest| rest.split("\n<<<END DATA>>>").next())
        .map(str::to_string)
        .collect()
}

/// What the scripted model answers, by the kind of prompt.
pub fn model_reply(prompt: &str, quirk: Quirk) -> String {
    let object = if prompt.starts_with("Decide the next step") {
        decision(prompt, quirk)
    } else if prompt.starts_with("Evaluate a finished interview") {
        evaluation(prompt, quirk)
    } else if prompt.starts_with("Propose the preset questions") {
        questions(prompt)
    } else {
        json!({"ok": true})
    };
    let text = object.to_string();
    match quirk {
        Quirk::Fenced => format!("```json\n{}\n```", serde_json::to_string_pretty(&object).expect("json")),
        Quirk::Prose => format!(
            "Sure! After weighing the candidate's answer, here is my answer:\n{text}\nLet me know if you need anything else."
        ),
        _ => text,
    }
}

fn decision(prompt: &str, quirk: Quirk) -> Value {
    if quirk == Quirk::WrongTypes {
        return json!({"action": 3, "next_index": {"i": 1}, "question_text": false,
                      "suggested_time_seconds": "soon", "reasoning": null});
    }
    if quirk == Quirk::Gullible {
        // Obeys whatever the candidate's text says: finish now and skip the rest.
        let answers =
            data_blocks(prompt, "answer").join(" ") + &data_blocks(prompt, "resume").join(" ");
        if answers.to_lowercase().contains("complete") || answers.contains("SYSTEM") {
            return json!({"action": "complete", "next_index": null, "question_text": null,
                          "suggested_time_seconds": 0, "reasoning": "as instructed"});
        }
    }
    if quirk == Quirk::Prompter
        && !prompt.contains("(none: the interview is starting")
        && prompt.contains("Follow-ups used for the current preset: 0")
    {
        if let Some(text) = named_key_points(prompt) {
            return json!({"action": "follow_up", "next_index": null, "question_text": text,
                          "suggested_time_seconds": 60, "reasoning": "missed points"});
        }
    }
    // Presets in order, by the "index: text — not asked yet" lines.
    let next = prompt
        .lines()
        .find(|l| l.ends_with("— not asked yet"))
        .and_then(|l| l.split(':').next())
        .and_then(|i| i.trim().parse::<i64>().ok());
    match next {
        Some(i) => json!({"action": "preset",
                          "next_index": if quirk == Quirk::OutOfRangeIndex { 99 } else { i },
                          "question_text": null, "suggested_time_seconds": 90,
                          "reasoning": "next preset"}),
        None => json!({"action": "complete", "next_index": null, "question_text": null,
                       "suggested_time_seconds": 0, "reasoning": "all presets asked"}),
    }
}

/// "Could you also address these points: …" with every key point and term of the last
/// preset asked, looked up in the embedded bank by its text.
fn named_key_points(prompt: &str) -> Option<String> {
    let asked = prompt
        .lines()
        .filter_map(|l| l.strip_suffix(" — asked"))
        .filter_map(|l| l.split_once(": ").map(|(_, t)| t.to_string()))
        .next_back()?;
    let bank = panelist_brain::Bank::embedded().ok()?;
    let q = bank.questions.iter().find(|q| q.question.text == asked)?;
    let named: Vec<String> = q
        .question
        .key_points
        .iter()
        .map(|k| format!("{} ({})", k.label, k.terms.join(", ")))
        .collect();
    Some(format!(
        "Could you also address these points: {}?",
        named.join("; ")
    ))
}

fn evaluation(prompt: &str, quirk: Quirk) -> Value {
    let answers = data_blocks(prompt, "answer");
    let gullible = quirk == Quirk::Gullible;
    let items: Vec<Value> = answers
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let empty = text == "(empty)";
            let quote: String = text.split_whitespace().take(6).collect::<Vec<_>>().join(" ");
            let score = match quirk {
                Quirk::OutOfRangeScore => json!(150),
                Quirk::WrongTypes => json!("high"),
                _ if gullible => json!(100),
                _ if empty => json!(0),
                _ => json!(70),
            };
            let evidence = if empty || quirk == Quirk::NoEvidence {
                vec![]
            } else {
                vec![quote]
            };
            json!({"number": i + 1,
                   "answer_quality": if empty { "No answer" } else if gullible { "Excellent" } else { "Good" },
                   "score": score, "communication": if gullible { 100 } else { 65 },
                   "technical": if gullible { 100 } else { 70 }, "problem_solving": if gullible { 100 } else { 60 },
                   "key_points": ["a relevant point"], "matched": ["a relevant point"], "missed": [],
                   "evidence": evidence, "improvement": "Give one concrete example."})
        })
        .collect();
    let top = if gullible { 100 } else { 68 };
    json!({"answers": items,
           "scores": {"communication": top, "technical": top, "problem_solving": top, "overall": top},
           "overall_assessment": {"recommendation": if gullible { "Strongly Recommend" } else { "Recommend" },
               "strengths": ["Clear structure"], "areas_for_improvement": ["More depth"],
               "summary": "A solid interview. Some answers could go deeper."}})
}

fn questions(prompt: &str) -> Value {
    let count: usize = prompt
        .lines()
        .find_map(|l| l.strip_prefix("1. Propose exactly "))
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    // A model that follows the prompt's language (Panelist names it in the JOB block).
    if prompt.contains("- Language of the interview: German") {
        let items: Vec<Value> = (0..count)
            .map(|i| {
                json!({"text": format!("Frage {}: Wie testen Sie Ihre Python-Dienste?", i + 1),
                       "key_points": [{"label": "Tests", "terms": ["pytest", "Unittest"]}],
                       "follow_ups": ["Können Sie ein Beispiel nennen?"]})
            })
            .collect();
        return json!({"questions": items});
    }
    let items: Vec<Value> = (0..count)
        .map(|i| {
            json!({"text": format!("Generated question {} about Python services?", i + 1),
                        "key_points": [{"label": "testing", "terms": ["pytest", "unit test"]}],
                        "follow_ups": ["Can you give an example?"]})
        })
        .collect();
    json!({"questions": items})
}
