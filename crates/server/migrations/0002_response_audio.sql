-- Answer recordings a kiosk uploads when its "upload answer audio" setting is on.
-- One per response, written once: a retried upload of the same bytes is a no-op, other
-- bytes for the same response are refused.
CREATE TABLE response_audio (
    response_id UUID PRIMARY KEY REFERENCES responses(id),
    device_id UUID NOT NULL REFERENCES devices(id),
    sha256 TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
