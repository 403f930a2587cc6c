-- Accounts for the admin API. Passwords are argon2id PHC strings.
CREATE TABLE users (
    id UUID PRIMARY KEY,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'recruiter', 'hr')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

-- One-time kiosk enrollment codes; only a hash of the code is kept.
CREATE TABLE enrollment_codes (
    id UUID PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ,
    device_id UUID
);

-- Enrolled kiosks. Only a hash of the device token is kept; revoking is one update.
CREATE TABLE devices (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    enrolled_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at TIMESTAMPTZ,
    -- The highest outbox seq applied from this device: changes apply in the device's order.
    last_seq BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE interviews (
    id UUID PRIMARY KEY,
    spec JSONB NOT NULL,
    questions JSONB NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
    revision INTEGER NOT NULL DEFAULT 0,
    kiosk_code TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Published revisions never change: rows are only ever inserted.
CREATE TABLE interview_revisions (
    interview_id UUID NOT NULL REFERENCES interviews(id),
    revision INTEGER NOT NULL,
    snapshot JSONB NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (interview_id, revision)
);

-- What kiosks pull, in order; the id is the cursor.
CREATE TABLE revision_feed (
    id BIGSERIAL PRIMARY KEY,
    interview_id UUID NOT NULL REFERENCES interviews(id),
    event TEXT NOT NULL CHECK (event IN ('published', 'archived')),
    revision INTEGER,
    at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Every change a kiosk pushed, once: the idempotency record. `received` orders them.
CREATE TABLE mutations (
    device_id UUID NOT NULL REFERENCES devices(id),
    mutation_id UUID NOT NULL,
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    received BIGSERIAL NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, mutation_id)
);
CREATE INDEX mutations_by_device_seq ON mutations (device_id, seq);

CREATE TABLE sessions (
    id UUID PRIMARY KEY,
    device_id UUID NOT NULL REFERENCES devices(id),
    interview_id UUID NOT NULL,
    revision INTEGER NOT NULL,
    candidate JSONB NOT NULL,
    consent JSONB NOT NULL,
    status TEXT NOT NULL,
    started_at TIMESTAMPTZ,
    ended_at TIMESTAMPTZ,
    end_reason TEXT,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE responses (
    id UUID PRIMARY KEY,
    session_id UUID NOT NULL REFERENCES sessions(id),
    question_number INTEGER NOT NULL,
    body JSONB NOT NULL,
    UNIQUE (session_id, question_number)
);

CREATE TABLE reports (
    session_id UUID PRIMARY KEY REFERENCES sessions(id),
    report JSONB NOT NULL,
    generated_at TIMESTAMPTZ NOT NULL
);
