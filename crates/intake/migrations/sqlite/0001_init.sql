-- 0001: access requests with NDA evidence, audit trail, notification outbox.
-- Times are Unix seconds (UTC) unless the column name says otherwise.

CREATE TABLE access_requests (
    id                TEXT PRIMARY KEY,               -- "req_" + 26 base32 characters (128 random bits)
    idempotency_key   TEXT NOT NULL UNIQUE,           -- client-chosen, one per form submission
    fingerprint       TEXT NOT NULL,                  -- SHA-256 of the submitted fields (detects key reuse)
    name              TEXT NOT NULL,
    email             TEXT NOT NULL,
    email_domain      TEXT NOT NULL,
    company           TEXT NOT NULL,
    reason            TEXT,
    document_id       TEXT NOT NULL,
    nda_version       TEXT NOT NULL,
    nda_sha256        TEXT NOT NULL,
    accepted_at       INTEGER NOT NULL,               -- when the NDA acceptance was received
    client_ip         TEXT NOT NULL,
    user_agent        TEXT,
    status            TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'revoked')),
    decided_by        TEXT,
    decision_note     TEXT,
    decided_at        INTEGER,
    access_expires_at INTEGER,                        -- end of the download window after approval
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);

CREATE INDEX access_requests_status_created ON access_requests (status, created_at);

CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id  TEXT NOT NULL REFERENCES access_requests (id),
    at          INTEGER NOT NULL,
    event       TEXT NOT NULL,                        -- submitted, approved, denied, revoked, downloaded, download_refused
    actor       TEXT NOT NULL,                        -- "requester", "rules", "admin:<user>", "system"
    client_ip   TEXT,
    detail      TEXT
);

CREATE INDEX audit_events_request ON audit_events (request_id, id);

CREATE TABLE outbox (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id         TEXT REFERENCES access_requests (id),
    channel            TEXT NOT NULL CHECK (channel IN ('webhook', 'email')),
    recipient          TEXT NOT NULL,                 -- URL for webhooks, address for e-mails
    subject            TEXT,
    body               TEXT NOT NULL,
    status             TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts           INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ms INTEGER NOT NULL,
    last_error         TEXT,
    created_at         INTEGER NOT NULL,
    delivered_at       INTEGER
);

CREATE INDEX outbox_due ON outbox (status, channel, next_attempt_at_ms);
