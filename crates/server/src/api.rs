//! The HTTP API: routes, the role each endpoint needs, and thin handlers.
//!
//! | endpoint | who |
//! |---|---|
//! | `GET /api/health`, `POST /api/auth/login` | anyone |
//! | `POST /api/users`, enrollment codes, devices | admin |
//! | `GET /api/interviews` | admin, recruiter, hr |
//! | `POST /api/interviews`, `…/{id}/publish`, `…/{id}/archive` | admin, recruiter |
//! | `GET /api/sessions`, `GET /api/reports/session/{id}` | admin, hr |
//! | `POST /api/sync/enroll` | a kiosk with a one-time code |
//! | `GET /api/sync/revisions`, `POST /api/sync/push`, `PUT /api/sync/audio/{response}` | an enrolled kiosk (device token) |
//! | `GET /api/responses/{id}/audio` | admin, hr |

use axum::body::Bytes;
use axum::extract::ConnectInfo;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::http::{HeaderValue, Method};
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use axum::Router;
use chrono::{DateTime, Utc};
use panelist_core::brain_api::QuestionRequest;
use panelist_core::{
    rules, InterviewId, InterviewRevision, InterviewSpec, InterviewStatus, Report, Role,
};
use panelist_wire::{
    Archived, AudioStored, DeviceView, EnrollRequest, EnrollResponse, EnrollmentCode, Health,
    InterviewView, LoginRequest, LoginResponse, NewInterview, NewUser, PushRequest, PushResponse,
    RevisionPage, Revoked, SessionView, UserCreated,
};
use serde::Deserialize;
use serde_json::Value;
use sha2::Digest;
use sqlx::AssertSqlSafe;
use tower_http::cors::CorsLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use uuid::Uuid;

use crate::admin::{create_enrollment_code, create_user, normalize_code};
use crate::auth::{new_device_token, sha256_hex, verify_password_in, AuthUser, Device};
use crate::body::Json;
use crate::config::ServerConfig;
use crate::error::ApiError;
use crate::state::AppState;
use crate::{feed, intake};

const ADMIN: &[Role] = &[Role::Admin];
const AUTHORS: &[Role] = &[Role::Admin, Role::Recruiter];
const READERS: &[Role] = &[Role::Admin, Role::Recruiter, Role::Hr];
const RESULTS: &[Role] = &[Role::Admin, Role::Hr];

type ApiResult<T> = Result<Json<T>, ApiError>;

pub fn router(state: AppState, config: &ServerConfig) -> Router {
    let origins: Vec<HeaderValue> = config
        .allowed_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    let cors = CorsLayer::new()
        .allow_origin(origins)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            axum::http::header::AUTHORIZATION,
            axum::http::header::CONTENT_TYPE,
        ]);
    let limits = state.limits.clone();
    // Login, accounts and enrollment carry a few short strings: a small limit.
    let small = Router::new()
        .route("/api/auth/login", post(login))
        .route("/api/users", post(add_user))
        .route("/api/sync/enroll", post(enroll))
        .layer(DefaultBodyLimit::max(limits.small_body));
    let json = Router::new()
        .route("/api/health", get(health))
        .route("/api/enrollment-codes", post(new_code))
        .route("/api/enrollment-codes/{id}/revoke", post(revoke_code))
        .route("/api/devices", get(devices))
        .route("/api/devices/{id}/revoke", post(revoke_device))
        .route(
            "/api/interviews",
            get(list_interviews).post(create_interview),
        )
        .route("/api/interviews/{id}/publish", post(publish))
        .route("/api/interviews/{id}/archive", post(archive))
        .route("/api/sessions", get(sessions))
        .route("/api/reports/session/{id}", get(report))
        .route("/api/sync/revisions", get(revisions))
        .route("/api/sync/push", post(push))
        .route("/api/responses/{id}/audio", get(audio))
        .layer(DefaultBodyLimit::max(config.body_limit));
    let timed = small.merge(json).layer(TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        limits.request_timeout,
    ));
    // Recordings are bigger than JSON bodies and slower to send: their own limit and
    // time, on their route only.
    let audio_upload = Router::new()
        .route(
            "/api/sync/audio/{id}",
            put(upload_audio).layer(DefaultBodyLimit::max(AUDIO_LIMIT)),
        )
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.audio_timeout,
        ));
    timed
        .merge(audio_upload)
        .layer(cors)
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

fn parse_id(text: &str, what: &str) -> Result<Uuid, ApiError> {
    text.parse()
        .map_err(|_| ApiError::NotFound(format!("no {what} with id `{text}`")))
}

async fn health(State(state): State<AppState>) -> ApiResult<Health> {
    sqlx::query("SELECT 1").execute(&state.pool).await?;
    Ok(Json(Health {
        status: "ok".into(),
        database: "ok".into(),
    }))
}

/// The client's address: the peer, or behind a trusted reverse proxy the last
/// `X-Forwarded-For` entry (the one the proxy added).
struct ClientIp(std::net::IpAddr);

impl axum::extract::FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if state.limits.trust_proxy {
            // Only the last entry: the ones before it are whatever the client sent.
            let forwarded = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .next_back()
                .and_then(|a| a.trim().parse().ok());
            if let Some(ip) = forwarded {
                return Ok(ClientIp(ip));
            }
        }
        parts
            .extensions
            .get::<ConnectInfo<std::net::SocketAddr>>()
            .map(|c| ClientIp(c.0.ip()))
            .ok_or_else(|| ApiError::Internal("no peer address (serve with connect info)".into()))
    }
}

/// The longest email and password looked at (anything longer is wrong anyway).
const MAX_LOGIN_FIELD: usize = 1024;

async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(body): Json<LoginRequest>,
) -> ApiResult<LoginResponse> {
    let email = body.email.trim().to_lowercase();
    if email.len() > MAX_LOGIN_FIELD || body.password.len() > MAX_LOGIN_FIELD {
        return Err(ApiError::BadRequest(
            "the email or password is too long".into(),
        ));
    }
    // Both throttles are checked (and the attempt counted) before anything is hashed.
    state
        .ip_throttle
        .attempt(&ip)
        .and_then(|()| state.email_throttle.attempt(&email))
        .map_err(|retry_after| {
            tracing::warn!(%ip, "login throttled");
            ApiError::TooManyRequests {
                message: format!("too many sign-in attempts; try again in {retry_after} s"),
                retry_after,
            }
        })?;
    let row: Option<(Uuid, String, String)> =
        sqlx::query_as("SELECT id, password_hash, role FROM users WHERE lower(email) = lower($1)")
            .bind(&email)
            .fetch_optional(&state.pool)
            .await?;
    // A missing account costs the same hashing time as a wrong password, so the answer
    // time does not reveal which emails have accounts.
    let (hash, found) = match &row {
        Some((_, hash, _)) => (hash.clone(), true),
        None => (state.dummy_hash.to_string(), false),
    };
    let password = body.password;
    let ok = state
        .hash_slots
        .run(move |memory| verify_password_in(&hash, &password, memory))
        .await?;
    match row {
        Some((id, _, role)) if ok && found => {
            state.email_throttle.clear(&email);
            state.ip_throttle.forgive_one(&ip);
            let role: Role = role
                .parse()
                .map_err(|_| ApiError::Internal(format!("stored role `{role}`")))?;
            Ok(Json(LoginResponse {
                token: state.keys.issue(id, role)?,
            }))
        }
        _ => Err(ApiError::Unauthorized("wrong email or password".into())),
    }
}

async fn add_user(
    user: AuthUser,
    State(state): State<AppState>,
    Json(body): Json<NewUser>,
) -> ApiResult<UserCreated> {
    user.require(ADMIN)?;
    let id = create_user(&state.pool, &body.email, &body.password, body.role).await?;
    Ok(Json(UserCreated {
        id,
        email: body.email.trim().to_string(),
        role: body.role,
    }))
}

async fn new_code(user: AuthUser, State(state): State<AppState>) -> ApiResult<EnrollmentCode> {
    user.require(ADMIN)?;
    Ok(Json(
        create_enrollment_code(&state.pool, state.enrollment_ttl).await?,
    ))
}

async fn revoke_code(
    user: AuthUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Revoked> {
    user.require(ADMIN)?;
    let id = parse_id(&id, "enrollment code")?;
    let done = sqlx::query(
        "UPDATE enrollment_codes SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL",
    )
    .bind(id)
    .execute(&state.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::NotFound(format!(
            "no active enrollment code {id}"
        )));
    }
    Ok(Json(Revoked { revoked: id }))
}

type DeviceRow = (Uuid, String, DateTime<Utc>, Option<DateTime<Utc>>, i64);

async fn devices(user: AuthUser, State(state): State<AppState>) -> ApiResult<Vec<DeviceView>> {
    user.require(ADMIN)?;
    let rows: Vec<DeviceRow> = sqlx::query_as(
        "SELECT id, name, enrolled_at, revoked_at, last_seq FROM devices ORDER BY enrolled_at",
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(Json(
        rows.into_iter()
            .map(|(id, name, enrolled_at, revoked_at, last_seq)| DeviceView {
                id,
                name,
                enrolled_at,
                revoked_at,
                last_seq,
            })
            .collect(),
    ))
}

async fn revoke_device(
    user: AuthUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Revoked> {
    user.require(ADMIN)?;
    let id = parse_id(&id, "device")?;
    let done =
        sqlx::query("UPDATE devices SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL")
            .bind(id)
            .execute(&state.pool)
            .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::NotFound(format!("no active device {id}")));
    }
    Ok(Json(Revoked { revoked: id }))
}

type InterviewRow = (
    Uuid,
    Value,
    Value,
    String,
    i32,
    Option<String>,
    DateTime<Utc>,
    DateTime<Utc>,
);

fn stored<T: serde::de::DeserializeOwned>(what: &str, value: Value) -> Result<T, ApiError> {
    serde_json::from_value(value).map_err(|e| ApiError::Internal(format!("stored {what}: {e}")))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<Value, ApiError> {
    serde_json::to_value(value).map_err(|e| ApiError::Internal(format!("encoding: {e}")))
}

fn view(
    (id, spec, questions, status, revision, kiosk_code, created_at, updated_at): InterviewRow,
) -> Result<InterviewView, ApiError> {
    Ok(InterviewView {
        id: InterviewId(id),
        spec: stored("spec", spec)?,
        questions: stored("questions", questions)?,
        status: status
            .parse::<InterviewStatus>()
            .map_err(|e| ApiError::Internal(format!("stored status: {e}")))?,
        revision: u32::try_from(revision)
            .map_err(|_| ApiError::Internal(format!("stored revision {revision}")))?,
        kiosk_code,
        created_at,
        updated_at,
    })
}

const INTERVIEW_COLUMNS: &str =
    "id, spec, questions, status, revision, kiosk_code, created_at, updated_at";

async fn list_interviews(
    user: AuthUser,
    State(state): State<AppState>,
) -> ApiResult<Vec<InterviewView>> {
    user.require(READERS)?;
    let rows: Vec<InterviewRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {INTERVIEW_COLUMNS} FROM interviews ORDER BY created_at DESC, id DESC"
    )))
    .fetch_all(&state.pool)
    .await?;
    Ok(Json(rows.into_iter().map(view).collect::<Result<_, _>>()?))
}

async fn create_interview(
    user: AuthUser,
    State(state): State<AppState>,
    Json(body): Json<NewInterview>,
) -> ApiResult<InterviewView> {
    user.require(AUTHORS)?;
    let spec = InterviewSpec {
        job_role: body.job_role.trim().to_string(),
        job_description: body.job_description,
        difficulty: body.difficulty,
        focus_areas: body.focus_areas,
        time_limit_minutes: body.time_limit_minutes,
        avatar: body.avatar,
        num_questions: body.num_questions,
        max_follow_ups_per_preset: body.max_follow_ups_per_preset,
        language: body.language,
    };
    // The same rules as admin mode on a kiosk (`panelist_core::rules`).
    rules::validate_spec(&spec).map_err(|e| ApiError::Unprocessable(e.0))?;
    let questions = match body.questions {
        Some(q) if !q.is_empty() => q,
        _ => state
            .brain
            .generate_questions(&QuestionRequest {
                job_role: spec.job_role.clone(),
                job_description: spec.job_description.clone(),
                difficulty: spec.difficulty,
                focus_areas: spec.focus_areas.clone(),
                count: spec.num_questions,
                language: spec.language,
            })
            .map_err(|e| ApiError::BadRequest(format!("cannot propose questions: {e}")))?,
    };
    rules::validate_questions(&questions).map_err(|e| ApiError::Unprocessable(e.0))?;
    let id = Uuid::now_v7();
    let row: InterviewRow = sqlx::query_as(AssertSqlSafe(format!(
        "INSERT INTO interviews (id, spec, questions, status, created_by) \
         VALUES ($1, $2, $3, 'draft', $4) RETURNING {INTERVIEW_COLUMNS}"
    )))
    .bind(id)
    .bind(to_json(&spec)?)
    .bind(to_json(&questions)?)
    .bind(format!("user:{}", user.id))
    .fetch_one(&state.pool)
    .await?;
    Ok(Json(view(row)?))
}

async fn publish(
    user: AuthUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<InterviewRevision> {
    user.require(AUTHORS)?;
    let id = parse_id(&id, "interview")?;
    let mut tx = state.pool.begin().await?;
    let row: Option<InterviewRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {INTERVIEW_COLUMNS} FROM interviews WHERE id = $1 FOR UPDATE"
    )))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let current = view(row.ok_or_else(|| ApiError::NotFound(format!("no interview {id}")))?)?;
    if current.status == InterviewStatus::Archived {
        return Err(ApiError::Conflict(format!("interview {id} is archived")));
    }
    if current.questions.is_empty() {
        return Err(ApiError::Conflict(format!(
            "interview {id} has no questions"
        )));
    }
    let kiosk_code = match current.kiosk_code.clone() {
        Some(code) => code,
        None => feed::unused_kiosk_code(&mut tx).await?,
    };
    let revision = InterviewRevision {
        interview_id: InterviewId(id),
        revision: current.revision + 1,
        spec: current.spec,
        questions: current.questions,
        kiosk_code: kiosk_code.clone(),
        published_at: Utc::now(),
    };
    feed::insert_revision(&mut tx, &revision).await?;
    sqlx::query(
        "UPDATE interviews SET status = 'published', revision = $2, kiosk_code = $3, updated_at = now() \
         WHERE id = $1",
    )
    .bind(id)
    .bind(revision.revision as i32)
    .bind(&kiosk_code)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Json(revision))
}

async fn archive(
    user: AuthUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Archived> {
    user.require(AUTHORS)?;
    let id = parse_id(&id, "interview")?;
    let mut tx = state.pool.begin().await?;
    let done = sqlx::query(
        "UPDATE interviews SET status = 'archived', updated_at = now() WHERE id = $1 AND status <> 'archived'",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::NotFound(format!("no unarchived interview {id}")));
    }
    feed::announce_archive(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(Archived { archived: id }))
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: Uuid,
    device_id: Uuid,
    interview_id: Uuid,
    revision: i32,
    candidate: Value,
    status: String,
    started_at: Option<DateTime<Utc>>,
    ended_at: Option<DateTime<Utc>>,
    end_reason: Option<String>,
    created_at: DateTime<Utc>,
    responses: i64,
    has_report: bool,
    review: Option<Value>,
}

impl SessionRow {
    fn view(self) -> Result<SessionView, ApiError> {
        Ok(SessionView {
            id: self.id,
            device_id: self.device_id,
            interview_id: self.interview_id,
            revision: u32::try_from(self.revision)
                .map_err(|_| ApiError::Internal(format!("stored revision {}", self.revision)))?,
            candidate: stored("candidate", self.candidate)?,
            status: self
                .status
                .parse()
                .map_err(|e| ApiError::Internal(format!("stored session status: {e}")))?,
            started_at: self.started_at,
            ended_at: self.ended_at,
            end_reason: self.end_reason,
            created_at: self.created_at,
            responses: self.responses,
            has_report: self.has_report,
            review: self.review.map(|r| stored("review", r)).transpose()?,
        })
    }
}

async fn sessions(user: AuthUser, State(state): State<AppState>) -> ApiResult<Vec<SessionView>> {
    user.require(RESULTS)?;
    let rows: Vec<SessionRow> = sqlx::query_as(
            "SELECT s.id, s.device_id, s.interview_id, s.revision, s.candidate, s.status, s.started_at, \
             s.ended_at, s.end_reason, s.created_at, \
             (SELECT count(*) FROM responses r WHERE r.session_id = s.id) AS responses, \
             EXISTS (SELECT 1 FROM reports p WHERE p.session_id = s.id) AS has_report, \
             (SELECT p.review FROM reports p WHERE p.session_id = s.id) AS review \
             FROM sessions s ORDER BY s.created_at DESC, s.id DESC",
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(Json(
        rows.into_iter()
            .map(SessionRow::view)
            .collect::<Result<_, _>>()?,
    ))
}

async fn report(
    user: AuthUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Report> {
    user.require(RESULTS)?;
    let id = parse_id(&id, "session")?;
    let row: Option<(Value,)> = sqlx::query_as("SELECT report FROM reports WHERE session_id = $1")
        .bind(id)
        .fetch_optional(&state.pool)
        .await?;
    let (report,) = row.ok_or_else(|| ApiError::NotFound(format!("no report for session {id}")))?;
    Ok(Json(stored("report", report)?))
}

async fn enroll(
    State(state): State<AppState>,
    Json(body): Json<EnrollRequest>,
) -> ApiResult<EnrollResponse> {
    let code = normalize_code(&body.code);
    let name = body.name.trim();
    if name.is_empty() || name.len() > 100 {
        return Err(ApiError::BadRequest(
            "the kiosk name must be 1-100 characters".into(),
        ));
    }
    let mut tx = state.pool.begin().await?;
    // One statement both checks and spends the code, so two kiosks racing with the same
    // code cannot both succeed.
    let spent: Option<(Uuid,)> = sqlx::query_as(
        "UPDATE enrollment_codes SET used_at = now() WHERE code_hash = $1 AND used_at IS NULL \
         AND revoked_at IS NULL AND expires_at > now() RETURNING id",
    )
    .bind(sha256_hex(&code))
    .fetch_optional(&mut *tx)
    .await?;
    let Some((code_id,)) = spent else {
        return Err(ApiError::Unauthorized(
            "this enrollment code is unknown, used, expired or revoked".into(),
        ));
    };
    let device = Uuid::now_v7();
    let token = new_device_token();
    sqlx::query("INSERT INTO devices (id, name, token_hash) VALUES ($1, $2, $3)")
        .bind(device)
        .bind(name)
        .bind(sha256_hex(&token))
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE enrollment_codes SET device_id = $2 WHERE id = $1")
        .bind(code_id)
        .bind(device)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(%device, name, "kiosk enrolled");
    Ok(Json(EnrollResponse {
        device_id: device.to_string(),
        token,
    }))
}

#[derive(Deserialize)]
struct After {
    #[serde(default)]
    after: i64,
    #[serde(default)]
    limit: Option<i64>,
}

async fn revisions(
    _device: Device,
    State(state): State<AppState>,
    Query(q): Query<After>,
) -> ApiResult<RevisionPage> {
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    Ok(Json(feed::page(&state.pool, q.after.max(0), limit).await?))
}

async fn push(
    device: Device,
    State(state): State<AppState>,
    Json(body): Json<PushRequest>,
) -> ApiResult<PushResponse> {
    let results = intake::push(&state.pool, device.id, &body.items, body.per_item_refusals).await?;
    Ok(Json(PushResponse { results }))
}

/// The largest answer recording accepted (a 5-minute answer at 16 kHz mono is ~10 MB).
pub const AUDIO_LIMIT: usize = 32 * 1024 * 1024;

/// The header carrying the recording's SHA-256 (hex), checked against the body.
pub const AUDIO_SHA256_HEADER: &str = "x-content-sha256";

/// Stores one answer's recording (a WAV file) for a response this device pushed. The same
/// bytes again are acknowledged without change; different bytes are refused (422).
async fn upload_audio(
    device: Device,
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<AudioStored> {
    let id = parse_id(&id, "response")?;
    if body.len() < 12 || &body[0..4] != b"RIFF" || &body[8..12] != b"WAVE" {
        return Err(ApiError::BadRequest(
            "the recording is not a WAV file".into(),
        ));
    }
    let sha: String = sha2::Sha256::digest(&body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let claimed = headers
        .get(AUDIO_SHA256_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !claimed.eq_ignore_ascii_case(&sha) {
        return Err(ApiError::BadRequest(format!(
            "the recording does not match its {AUDIO_SHA256_HEADER} header (damaged in transit?)"
        )));
    }
    let owner: Option<(Uuid,)> = sqlx::query_as(
        "SELECT s.device_id FROM responses r JOIN sessions s ON s.id = r.session_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(&state.pool)
    .await?;
    match owner {
        None => {
            return Err(ApiError::NotFound(format!(
                "no response {id}: push the answer before its recording"
            )))
        }
        Some((owner,)) if owner != device.id => {
            return Err(ApiError::Forbidden);
        }
        Some(_) => {}
    }
    let inserted = sqlx::query(
        "INSERT INTO response_audio (response_id, device_id, sha256, bytes) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (response_id) DO NOTHING",
    )
    .bind(id)
    .bind(device.id)
    .bind(&sha)
    .bind(body.as_ref())
    .execute(&state.pool)
    .await?
    .rows_affected();
    if inserted == 0 {
        let (stored,): (String,) =
            sqlx::query_as("SELECT sha256 FROM response_audio WHERE response_id = $1")
                .bind(id)
                .fetch_one(&state.pool)
                .await?;
        if stored != sha {
            return Err(ApiError::Unprocessable(format!(
                "response {id} already has a different recording"
            )));
        }
    }
    Ok(Json(AudioStored {
        response_id: id,
        stored: inserted == 1,
        sha256: sha,
    }))
}

/// HR listens to an uploaded recording.
async fn audio(
    user: AuthUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    user.require(RESULTS)?;
    let id = parse_id(&id, "response")?;
    let row: Option<(Vec<u8>,)> =
        sqlx::query_as("SELECT bytes FROM response_audio WHERE response_id = $1")
            .bind(id)
            .fetch_optional(&state.pool)
            .await?;
    let (bytes,) =
        row.ok_or_else(|| ApiError::NotFound(format!("no recording for response {id}")))?;
    Ok(([(axum::http::header::CONTENT_TYPE, "audio/wav")], bytes))
}
