//! Load benchmark (prints figures; not a timed test): 20 simulated kiosks push 200
//! reports each, concurrently, to a real server over a throwaway PostgreSQL. Each push
//! is one finished session as a kiosk queues it: the session, three answers, the report
//! and the session's completion (6 changes). Prints throughput and push latency
//! percentiles.
//!
//! Run: `cargo bench -p panelist-server --features test-support --bench push_load`
//! (`PUSH_LOAD_KIOSKS` and `PUSH_LOAD_REPORTS` change the load).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use panelist_core::report::{
    AnswerQuality, GeneratedBy, OverallAssessment, Recommendation, ReportCandidate,
    ReportInterview, ReportResponse, Scores, REPORT_SCHEMA_VERSION,
};
use panelist_core::{
    AskedQuestion, Candidate, CandidateId, ConsentId, ConsentRecord, Difficulty, InterviewId,
    MutationId, QuestionType, Report, Response, ResponseId, Session, SessionId, SessionStatus,
};
use panelist_server::testing::TestPostgres;
use panelist_server::{RawConfig, ServerConfig};
use panelist_wire::{EnrollRequest, EnrollResponse, Mutation, NewSession, PushItem, PushRequest};

const SECRET: &str = "bench-Kq9vR2mX7pL4wZ8cN1bH6jF0dY5sGa";

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The changes one completed session queues, numbered from `seq`.
fn session_batch(seq: &mut i64) -> PushRequest {
    let at: DateTime<Utc> = "2026-03-01T10:00:00Z".parse().unwrap();
    let session_id = SessionId::new();
    let candidate = Candidate {
        id: CandidateId::new(),
        name: "Load Test".into(),
        email: "load@example.com".into(),
        phone: None,
        resume_file: None,
        resume_text: None,
        created_at: at,
    };
    let mut session = Session {
        id: session_id,
        interview_id: InterviewId::new(),
        revision: 1,
        candidate_id: candidate.id,
        status: SessionStatus::Pending,
        started_at: None,
        ended_at: None,
        current_question: None,
        end_reason: None,
        created_at: at,
    };
    let consent = ConsentRecord {
        id: ConsentId::new(),
        candidate_id: candidate.id,
        session_id,
        notice_version: "2026-01".into(),
        granted_at: at,
    };
    let mut changes = vec![Mutation::Session(Box::new(NewSession {
        session: session.clone(),
        candidate,
        consent,
    }))];
    let mut responses = Vec::new();
    for number in 1..=3u32 {
        let answer = "I would start with a baseline, measure it with cross-validation, \
            then iterate on features while watching for overfitting and leakage."
            .repeat(3);
        changes.push(Mutation::Response(Box::new(Response {
            id: ResponseId::new(),
            session_id,
            question: AskedQuestion {
                number,
                question_type: QuestionType::Preset,
                preset_index: Some(number - 1),
                text: "How do you validate a model?".into(),
                allotted_seconds: 90,
            },
            transcript: answer.clone(),
            audio_path: None,
            answer_started_at: at,
            answered_at: at,
            answer_seconds: 42.0,
            timed_out: false,
        })));
        responses.push(ReportResponse {
            display_label: format!("Q{number}"),
            question_type: QuestionType::Preset,
            question_text: "How do you validate a model?".into(),
            candidate_answer: answer,
            key_points: vec!["cross-validation".into(), "leakage".into()],
            matched: vec!["cross-validation".into()],
            missed: vec!["leakage".into()],
            answer_quality: AnswerQuality::Good,
            improvement: "Name the metric.".into(),
            score: 72,
            evidence: vec!["matched: cross-validation".into()],
            answer_seconds: 42.0,
        });
    }
    changes.push(Mutation::Report(Box::new(Report {
        schema_version: REPORT_SCHEMA_VERSION,
        session_id,
        interview: ReportInterview {
            job_role: "Data Scientist".into(),
            difficulty: Difficulty::Medium,
            focus_areas: vec!["ML".into()],
            language: Default::default(),
        },
        candidate: ReportCandidate {
            name: "Load Test".into(),
            email: "load@example.com".into(),
            phone: None,
        },
        scores: Scores {
            communication: 70,
            technical: 72,
            problem_solving: 68,
            overall: 71,
        },
        responses,
        overall_assessment: OverallAssessment {
            recommendation: Recommendation::Recommend,
            strengths: vec!["structure".into()],
            areas_for_improvement: vec!["metrics".into()],
            summary: "Solid.".into(),
        },
        generated_by: GeneratedBy {
            brain: "offline-rules v1".into(),
            at,
        },
    })));
    session.status = SessionStatus::Completed;
    session.started_at = Some(at);
    session.ended_at = Some(at);
    session.end_reason = Some("all presets done".into());
    changes.push(Mutation::SessionUpdate(Box::new(session)));
    PushRequest {
        // As kiosks send it: a refused change would come back alone (a savepoint each).
        per_item_refusals: true,
        items: changes
            .into_iter()
            .map(|mutation| {
                *seq += 1;
                PushItem {
                    mutation_id: MutationId::new(),
                    seq: *seq,
                    mutation,
                }
            })
            .collect(),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn main() {
    let kiosks = env_usize("PUSH_LOAD_KIOSKS", 20);
    let reports = env_usize("PUSH_LOAD_REPORTS", 200);
    let pg = TestPostgres::start().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let database_url = pg.create_database("bench").await.unwrap();
        let config = ServerConfig::from_raw(RawConfig {
            database_url: Some(database_url.clone()),
            listen: Some("127.0.0.1:0".into()),
            secret_key: Some(SECRET.into()),
            ..RawConfig::default()
        })
        .unwrap();
        let pool = panelist_server::connect(&database_url).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let server_pool = pool.clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            panelist_server::serve(listener, server_pool, &config, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        let http = reqwest::Client::new();

        // Enroll the kiosks and prepare their batches before the clock starts.
        let mut fleet = Vec::new();
        for n in 0..kiosks {
            let code = panelist_server::create_enrollment_code(&pool, Duration::from_secs(600))
                .await
                .unwrap();
            let enrolled: EnrollResponse = http
                .post(format!("{url}/api/sync/enroll"))
                .json(&EnrollRequest {
                    code: code.code,
                    name: format!("kiosk-{n}"),
                })
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let token = enrolled.token;
            let mut seq = 0;
            let batches: Vec<PushRequest> = (0..reports).map(|_| session_batch(&mut seq)).collect();
            fleet.push((token, batches));
        }
        let bytes: usize = fleet
            .iter()
            .flat_map(|(_, b)| b.iter())
            .map(|b| serde_json::to_vec(b).unwrap().len())
            .sum();

        let started = Instant::now();
        let tasks: Vec<_> = fleet
            .into_iter()
            .map(|(token, batches)| {
                let http = http.clone();
                let url = url.clone();
                tokio::spawn(async move {
                    let mut latencies = Vec::with_capacity(batches.len());
                    for batch in batches {
                        let t = Instant::now();
                        let response = http
                            .post(format!("{url}/api/sync/push"))
                            .bearer_auth(&token)
                            .json(&batch)
                            .send()
                            .await
                            .unwrap();
                        assert!(response.status().is_success(), "{}", response.status());
                        let _ = response.bytes().await.unwrap();
                        latencies.push(t.elapsed());
                    }
                    latencies
                })
            })
            .collect();
        let mut latencies = Vec::new();
        for task in tasks {
            latencies.extend(task.await.unwrap());
        }
        let elapsed = started.elapsed();
        latencies.sort();

        let (stored,): (i64,) = sqlx::query_as("SELECT count(*) FROM reports")
            .fetch_one(&pool)
            .await
            .unwrap();
        let (changes,): (i64,) = sqlx::query_as("SELECT count(*) FROM mutations")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(
            stored as usize,
            kiosks * reports,
            "every report stored once"
        );
        let pushes = latencies.len() as f64;
        println!(
            "push_load: {kiosks} kiosks x {reports} reports, 6 changes per push, {:.1} MB sent",
            bytes as f64 / 1e6
        );
        println!("  wall time        {:.2} s", elapsed.as_secs_f64());
        println!(
            "  throughput       {:.0} reports/s, {:.0} changes/s",
            pushes / elapsed.as_secs_f64(),
            changes as f64 / elapsed.as_secs_f64()
        );
        println!(
            "  push latency     p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            percentile(&latencies, 0.50).as_secs_f64() * 1e3,
            percentile(&latencies, 0.95).as_secs_f64() * 1e3,
            percentile(&latencies, 0.99).as_secs_f64() * 1e3,
            latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3
        );
        let _ = stop.send(());
        let _ = server.await;
        pool.close().await;
    });
}
