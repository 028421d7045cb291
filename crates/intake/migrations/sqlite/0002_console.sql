-- 0002: the review console: reviewers, their passkeys, one-time enrolment links and signed-in sessions.
-- Times are Unix seconds (UTC). Secrets (enrolment tokens, session ids) are stored only as SHA-256 hex.

CREATE TABLE console_reviewers (
    id          TEXT PRIMARY KEY,                     -- random UUID, the WebAuthn user handle
    name        TEXT NOT NULL UNIQUE,                 -- what the audit trail records ("reviewer:<name>")
    created_at  INTEGER NOT NULL
);

CREATE TABLE console_passkeys (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    reviewer_id   TEXT NOT NULL REFERENCES console_reviewers (id) ON DELETE CASCADE,
    credential_id TEXT NOT NULL UNIQUE,               -- base64url credential id
    passkey_json  TEXT NOT NULL,                      -- webauthn-rs Passkey (public key + counter)
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER
);

CREATE TABLE console_enrolments (
    token_sha256 TEXT PRIMARY KEY,
    reviewer_id  TEXT NOT NULL REFERENCES console_reviewers (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    used_at      INTEGER
);

CREATE TABLE console_sessions (
    id_sha256    TEXT PRIMARY KEY,
    reviewer_id  TEXT NOT NULL REFERENCES console_reviewers (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    client_ip    TEXT
);

CREATE INDEX console_sessions_reviewer ON console_sessions (reviewer_id);
