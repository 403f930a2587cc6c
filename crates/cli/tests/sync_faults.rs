//! Pushes through a hostile network: a proxy in front of a real `panelist server run`
//! drops requests, drops acknowledgements after the server committed, duplicates
//! requests (concurrently), delivers stale copies late (reordering), and the server is
//! SIGKILLed mid-batch and restarted. Afterwards the server must hold exactly what the
//! kiosks queued and got acknowledged: no change missing, none twice, each device's
//! order kept.
#![allow(clippy::unwrap_used)]

mod sync_support;
mod util;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use sync_support::ServerProc;
use util::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    /// The request never reaches the server.
    DropRequest,
    /// The server commits; the acknowledgement never reaches the kiosk.
    DropAck,
    /// Two copies reach the server at once; the kiosk sees one answer.
    Duplicate,
    /// A copy is held back and delivered later, after the kiosk retried and moved on.
    Late,
    /// The server is SIGKILLed while the batch is in flight, then restarted.
    Kill,
}

#[derive(Default)]
struct Tally {
    by_fault: BTreeMap<String, u64>,
}

struct ProxyState {
    upstream: String,
    http: reqwest::Client,
    enabled: AtomicBool,
    pushes: AtomicU64,
    /// Late copies held back and not yet delivered.
    late_in_flight: AtomicU64,
    rng: Mutex<u64>,
    tally: Mutex<Tally>,
    server: Arc<Mutex<ServerProc>>,
}

#[derive(Debug)]
struct Cut;
impl std::fmt::Display for Cut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection cut by the fault proxy")
    }
}
impl std::error::Error for Cut {}

impl ProxyState {
    fn next_fault(&self) -> Fault {
        if !self.enabled.load(Ordering::SeqCst) {
            return Fault::None;
        }
        let n = self.pushes.fetch_add(1, Ordering::SeqCst);
        if n == 6 || n == 30 {
            return Fault::Kill;
        }
        // A fixed-seed generator: the same faults every run, so a failure reproduces.
        let mut state = self.rng.lock().unwrap();
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        match (*state >> 33) % 100 {
            0..=14 => Fault::DropRequest,
            15..=29 => Fault::DropAck,
            30..=44 => Fault::Duplicate,
            45..=54 => Fault::Late,
            _ => Fault::None,
        }
    }

    async fn forward(
        &self,
        method: hyper::Method,
        path: &str,
        headers: &hyper::HeaderMap,
        body: Bytes,
    ) -> Result<(u16, Bytes), Cut> {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.upstream))
            .body(body);
        for name in [hyper::header::AUTHORIZATION, hyper::header::CONTENT_TYPE] {
            if let Some(v) = headers.get(&name) {
                request = request.header(name, v);
            }
        }
        let response = request.send().await.map_err(|_| Cut)?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(|_| Cut)?;
        Ok((status, bytes))
    }
}

async fn handle(
    state: Arc<ProxyState>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Cut> {
    let (parts, body) = request.into_parts();
    let body = body.collect().await.map_err(|_| Cut)?.to_bytes();
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let fault = if parts.uri.path() == "/api/sync/push" {
        state.next_fault()
    } else {
        Fault::None
    };
    *state
        .tally
        .lock()
        .unwrap()
        .by_fault
        .entry(format!("{fault:?}"))
        .or_default() += 1;
    let reply = |(status, bytes): (u16, Bytes)| {
        let mut response = Response::new(Full::new(bytes));
        *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or_default();
        response.headers_mut().insert(
            hyper::header::CONTENT_TYPE,
            hyper::header::HeaderValue::from_static("application/json"),
        );
        response
    };
    match fault {
        Fault::None => Ok(reply(
            state
                .forward(parts.method, &path, &parts.headers, body)
                .await?,
        )),
        Fault::DropRequest => Err(Cut),
        Fault::DropAck => {
            let _ = state
                .forward(parts.method, &path, &parts.headers, body)
                .await;
            Err(Cut)
        }
        Fault::Duplicate => {
            let (a, b) = tokio::join!(
                state.forward(parts.method.clone(), &path, &parts.headers, body.clone()),
                state.forward(parts.method, &path, &parts.headers, body)
            );
            let _ = b;
            Ok(reply(a?))
        }
        Fault::Late => {
            let late = state.clone();
            late.late_in_flight.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                // The delay is the fault: the copy arrives after the kiosk moved on.
                tokio::time::sleep(Duration::from_millis(400)).await;
                let _ = late
                    .forward(parts.method, &path, &parts.headers, body)
                    .await;
                late.late_in_flight.fetch_sub(1, Ordering::SeqCst);
            });
            Err(Cut)
        }
        Fault::Kill => {
            let inflight = state.clone();
            let copy = (parts.method, path.clone(), parts.headers.clone(), body);
            let sent = tokio::spawn(async move {
                let _ = inflight.forward(copy.0, &copy.1, &copy.2, copy.3).await;
            });
            // Let the batch reach the server, then kill it while it works.
            tokio::time::sleep(Duration::from_millis(3)).await;
            let server = state.server.clone();
            tokio::task::spawn_blocking(move || {
                let mut server = server.lock().unwrap();
                server.kill();
                std::thread::sleep(Duration::from_millis(300));
                server.spawn();
            })
            .await
            .map_err(|_| Cut)?;
            let _ = sent.await;
            Err(Cut)
        }
    }
}

/// The fault proxy, serving on its own runtime thread until dropped.
struct Proxy {
    url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Proxy {
    /// Starts the proxy on a free port.
    fn start(state: Arc<ProxyState>) -> Self {
        let (tx, rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                let accept = async {
                    loop {
                        let Ok((stream, _)) = listener.accept().await else {
                            continue;
                        };
                        let state = state.clone();
                        tokio::spawn(async move {
                            let service =
                                hyper::service::service_fn(move |req| handle(state.clone(), req));
                            // An error from the service closes the connection without an
                            // answer: to the kiosk, the network failed.
                            let _ = hyper::server::conn::http1::Builder::new()
                                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                                .await;
                        });
                    }
                };
                tokio::select! {
                    () = accept => {}
                    _ = stopped => {}
                }
            });
            // Dropping the runtime cancels the connections and late copies still held.
            runtime.shutdown_timeout(Duration::from_secs(5));
        });
        Self {
            url: format!("http://{}", rx.recv().unwrap()),
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Shuts the shared server (and its PostgreSQL cluster) down when the test ends, passed
/// or failed: the proxy's tasks hold the server too, so its own drop may come too late
/// (or, for a thread that never ends, never).
struct ShutDownOnDrop(Arc<Mutex<ServerProc>>);

impl Drop for ShutDownOnDrop {
    fn drop(&mut self) {
        // A panic while the lock was held poisons it; the server must go all the same.
        let mut server = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        server.shutdown();
    }
}

fn sync_args() -> Vec<&'static str> {
    vec![
        "sync",
        "--batch",
        "3",
        "--attempts",
        "6",
        "--backoff-secs",
        "0.05",
        "--timeout-secs",
        "3",
    ]
}

#[test]
fn drops_duplicates_reordering_lost_acks_and_a_killed_server_lose_nothing_and_double_nothing() {
    let server = ServerProc::start();
    let admin = server.admin_token();
    let server_url = server.url();
    let server = Arc::new(Mutex::new(server));
    // Declared before the proxy, so dropped after it: the proxy stops first, then the
    // server and the cluster, whether the test passed or panicked.
    let _shutdown = ShutDownOnDrop(server.clone());
    let state = Arc::new(ProxyState {
        upstream: server_url.clone(),
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap(),
        enabled: AtomicBool::new(false),
        pushes: AtomicU64::new(0),
        late_in_flight: AtomicU64::new(0),
        rng: Mutex::new(0x5eed),
        tally: Mutex::new(Tally::default()),
        server: server.clone(),
    });
    let proxy_guard = Proxy::start(state.clone());
    let proxy = proxy_guard.url.clone();

    // One interview authored on the server; three kiosks enrolled through the proxy.
    let (_, code) = server.lock().unwrap().publish(
        &admin,
        serde_json::json!({"job_role": "Backend Engineer", "difficulty": "easy",
            "focus_areas": ["Python"], "time_limit": 10, "num_questions": 2}),
    );
    let kiosks: Vec<Env> = (0..3).map(|_| Env::new()).collect();
    for (n, kiosk) in kiosks.iter().enumerate() {
        let name = format!("kiosk-{n}");
        server
            .lock()
            .unwrap()
            .enroll(kiosk, Some(&proxy), Some(&name));
        kiosk.ok(&["sync"]);
    }
    // Each kiosk runs three interviews offline; the first also authors its own interview.
    let answers = WEAK_ANSWERS;
    for (n, kiosk) in kiosks.iter().enumerate() {
        if n == 0 {
            kiosk.published_interview("Analyst", "SQL", "easy", "SQL", 5, 1);
        }
        let file = kiosk.write("answers.txt", answers.as_bytes());
        for i in 0..3 {
            kiosk.run_interview(&code, &format!("Candidate {n}-{i}"), "c@example.com", &file);
        }
    }
    let queued: Vec<u64> = kiosks
        .iter()
        .map(|k| k.store().outbox_counts().unwrap().pending)
        .collect();
    assert!(queued.iter().all(|&q| q >= 20), "{queued:?}");

    // Sync the kiosks concurrently through the faults until everything is acknowledged.
    state.enabled.store(true, Ordering::SeqCst);
    let mut failed_runs = 0;
    for round in 0..40 {
        let outcomes: Vec<(i32, String)> = std::thread::scope(|scope| {
            let handles: Vec<_> = kiosks
                .iter()
                .map(|k| {
                    scope.spawn(move || {
                        let (code, _, err) = k.run(&sync_args());
                        (code, err)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for (code, err) in &outcomes {
            if *code != 0 {
                failed_runs += 1;
                assert!(
                    err.contains("unreachable") && err.contains("nothing lost"),
                    "round {round}: a sync failed for another reason: {err}"
                );
            }
        }
        // At every point, what a kiosk holds as acknowledged is on the server.
        check_acknowledged_are_on_server(&server.lock().unwrap(), &kiosks);
        let pending: u64 = kiosks
            .iter()
            .map(|k| k.store().outbox_counts().unwrap().pending)
            .sum();
        if pending == 0 && state.pushes.load(Ordering::SeqCst) > 40 {
            break;
        }
    }
    state.enabled.store(false, Ordering::SeqCst);
    // Let late copies land before the final comparison.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while state.late_in_flight.load(Ordering::SeqCst) > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "late copies still undelivered after 30 s"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    for kiosk in &kiosks {
        kiosk.ok(&sync_args());
    }
    let tally = state.tally.lock().unwrap().by_fault.clone();
    eprintln!("faults injected: {tally:?}; failed sync runs: {failed_runs}");
    for fault in ["DropRequest", "DropAck", "Duplicate", "Late", "Kill"] {
        assert!(
            tally.get(fault).copied().unwrap_or(0) > 0,
            "{fault} never happened: {tally:?}"
        );
    }

    let server = server.lock().unwrap();
    check_acknowledged_are_on_server(&server, &kiosks);
    // Exactly the union: every queued change of every kiosk, once, in each device's order.
    let on_server: Vec<(uuid::Uuid, uuid::Uuid, i64)> = server
        .query("SELECT device_id, mutation_id, seq FROM mutations ORDER BY device_id, received");
    let mut by_device: BTreeMap<uuid::Uuid, Vec<(uuid::Uuid, i64)>> = BTreeMap::new();
    for (device, mutation, seq) in on_server {
        by_device.entry(device).or_default().push((mutation, seq));
    }
    assert_eq!(by_device.len(), kiosks.len());
    let mut expected_responses = 0;
    for kiosk in &kiosks {
        let store = kiosk.store();
        let device: uuid::Uuid = store
            .sync_setting("device_id")
            .unwrap()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(store.outbox_counts().unwrap().pending, 0);
        let local = all_outbox(&store);
        let remote = &by_device[&device];
        assert_eq!(
            remote.iter().map(|(m, _)| *m).collect::<Vec<_>>(),
            local.iter().map(|(m, _)| *m).collect::<Vec<_>>(),
            "the server applied this kiosk's changes exactly once, in its order"
        );
        assert!(remote.windows(2).all(|w| w[0].1 < w[1].1));
        for session in store.list_sessions(None).unwrap() {
            let responses = store.responses(session.id).unwrap();
            expected_responses += responses.len() as i64;
            let (status, report) = server.call(
                "GET",
                &format!("/api/reports/session/{}", session.id),
                Some(&admin),
                None,
            );
            assert_eq!(status, 200);
            assert_eq!(
                report,
                serde_json::to_value(store.get_report(session.id).unwrap()).unwrap()
            );
        }
    }
    let counts: Vec<(i64, i64, i64)> = server.query(
        "SELECT (SELECT count(*) FROM sessions), (SELECT count(*) FROM responses), \
         (SELECT count(*) FROM reports)",
    );
    assert_eq!(counts[0], (9, expected_responses, 9));
    let kiosk_revisions: Vec<(i64,)> = server.query("SELECT count(*) FROM interview_revisions");
    assert_eq!(
        kiosk_revisions[0].0, 2,
        "the server's and kiosk 0's interview"
    );
}

/// Every change a kiosk marked pushed (acknowledged) is recorded on the server.
fn check_acknowledged_are_on_server(server: &ServerProc, kiosks: &[Env]) {
    let on_server: BTreeSet<uuid::Uuid> = server
        .query::<(uuid::Uuid,)>("SELECT mutation_id FROM mutations")
        .into_iter()
        .map(|(m,)| m)
        .collect();
    for kiosk in kiosks {
        for (mutation, pushed) in all_outbox(&kiosk.store()) {
            if pushed {
                assert!(
                    on_server.contains(&mutation),
                    "acknowledged {mutation} is missing"
                );
            }
        }
    }
}

/// (mutation id, acknowledged) for every outbox row, in the kiosk's order.
fn all_outbox(store: &panelist_store::Store) -> Vec<(uuid::Uuid, bool)> {
    let pending: BTreeSet<uuid::Uuid> = store
        .pending_outbox(100_000)
        .unwrap()
        .into_iter()
        .map(|i| i.mutation_id.0)
        .collect();
    let path = store.path().unwrap().to_path_buf();
    let conn = rusqlite_open(&path);
    let mut stmt = conn
        .prepare("SELECT mutation_id FROM outbox ORDER BY seq")
        .unwrap();
    let ids: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    ids.into_iter()
        .map(|id| {
            let id: uuid::Uuid = id.parse().unwrap();
            (id, !pending.contains(&id))
        })
        .collect()
}

fn rusqlite_open(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}
