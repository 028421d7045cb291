-- 0003: update subscriptions (double opt-in, per-category preferences, consent evidence) and the
-- record of every change notice queued for a subscriber. Times are Unix seconds (UTC).
-- The PostgreSQL version of these tables is migrations/postgres/0003_subscriptions.sql.

CREATE TABLE subscriptions (
    id                   TEXT PRIMARY KEY,            -- "sub_" + 32 hex characters (128 random bits)
    email                TEXT NOT NULL,               -- as submitted (domain lowercased)
    email_key            TEXT NOT NULL UNIQUE,        -- lowercase address: one subscription per address
    categories           TEXT NOT NULL,               -- comma-separated category names, sorted
    status               TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
    requested_at         INTEGER NOT NULL,            -- the latest request (consent evidence below)
    request_ip           TEXT NOT NULL,
    request_user_agent   TEXT,
    requested_categories TEXT NOT NULL,               -- what that request asked for
    confirmed_at         INTEGER,
    confirm_ip           TEXT,
    confirm_user_agent   TEXT,
    consent_version      TEXT,                        -- the consent wording version the subscriber confirmed
    unsubscribed_at      INTEGER,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);

CREATE INDEX subscriptions_status ON subscriptions (status);

-- Every change of a subscription, with who (IP, user agent) and what: the consent evidence trail.
CREATE TABLE subscription_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id TEXT NOT NULL REFERENCES subscriptions (id),
    at              INTEGER NOT NULL,
    event           TEXT NOT NULL,                    -- requested, confirmation_sent, confirmed, preferences_changed, unsubscribed
    client_ip       TEXT,
    user_agent      TEXT,
    detail          TEXT
);

CREATE INDEX subscription_events_subscription ON subscription_events (subscription_id, id);

-- Accepted submissions, for the per-address and per-IP caps (counted whatever the address's state,
-- so the caps reveal nothing about it).
CREATE TABLE subscription_attempts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    email_key  TEXT NOT NULL,
    client_ip  TEXT NOT NULL,
    at         INTEGER NOT NULL
);

CREATE INDEX subscription_attempts_email ON subscription_attempts (email_key, at);
CREATE INDEX subscription_attempts_ip ON subscription_attempts (client_ip, at);

-- Idempotency keys of POST /v1/subscriptions.
CREATE TABLE subscription_requests (
    idempotency_key TEXT PRIMARY KEY,
    fingerprint     TEXT NOT NULL,                    -- SHA-256 of the normalised body
    created_at      INTEGER NOT NULL
);

-- One row per (subscriber, manifest version): the unique constraint is what makes a notice go out
-- at most once, even when `trustctl notify` runs again or crashes half-way.
CREATE TABLE change_notices (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id  TEXT NOT NULL REFERENCES subscriptions (id),
    manifest_version INTEGER NOT NULL,
    payload_sha256   TEXT NOT NULL,                   -- which signed payload announced the version
    change_ids       TEXT NOT NULL,                   -- comma-separated ids of the entries in this notice
    queued_at        INTEGER NOT NULL,
    outbox_id        INTEGER REFERENCES outbox (id),  -- the e-mail; its row holds the delivery state
    UNIQUE (subscription_id, manifest_version)
);

CREATE INDEX change_notices_version ON change_notices (manifest_version);
