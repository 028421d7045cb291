-- 0004: erasing a subscriber (GDPR Art. 17, `trustctl notices --erase-subscriber`).
-- The PostgreSQL version is migrations/postgres/0004_erasure.sql.
--
-- - subscriptions: a fifth status `erased`, the time of the erasure (`erased_at`), and `email_key`
--   nullable: an erased row keeps its id, status, categories, consent wording version and times but no
--   address and no key, so the address is not linkable to it and may subscribe again afresh. The table
--   check ties the two: a row has no key exactly when it is erased.
-- - outbox: which subscription an e-mail belongs to (`subscription_id`, filled in below for the rows
--   queued before this version: notices through change_notices, confirmations through their
--   `confirmation_sent` event), and a fifth status `cancelled` (queued, never sent: its subscriber
--   was erased).
--
-- SQLite cannot change a CHECK constraint in place, so both tables are rebuilt the way SQLite's
-- documentation describes (new table, copy, drop, rename; lang_altertable.html, "Making Other Kinds
-- Of Table Schema Changes"). The migration runs with foreign key enforcement off, in one transaction,
-- and `PRAGMA foreign_key_check` must find nothing before it commits (store/sqlite.rs).

CREATE TABLE subscriptions_new (
    id                   TEXT PRIMARY KEY,            -- "sub_" + 32 hex characters (128 random bits)
    email                TEXT NOT NULL,               -- as submitted (domain lowercased); '' once erased
    email_key            TEXT UNIQUE,                 -- lowercase address: one subscription per address; NULL once erased
    categories           TEXT NOT NULL,               -- comma-separated category names, sorted
    status               TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed', 'erased')),
    requested_at         INTEGER NOT NULL,            -- the latest request (consent evidence below)
    request_ip           TEXT NOT NULL,               -- '' once erased
    request_user_agent   TEXT,
    requested_categories TEXT NOT NULL,               -- what that request asked for
    confirmed_at         INTEGER,
    confirm_ip           TEXT,
    confirm_user_agent   TEXT,
    consent_version      TEXT,                        -- the consent wording version the subscriber confirmed
    unsubscribed_at      INTEGER,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    erased_at            INTEGER,                     -- when the personal data was erased
    CONSTRAINT subscriptions_erased_has_no_key CHECK ((status = 'erased') = (email_key IS NULL))
);

INSERT INTO subscriptions_new (id, email, email_key, categories, status, requested_at, request_ip,
    request_user_agent, requested_categories, confirmed_at, confirm_ip, confirm_user_agent,
    consent_version, unsubscribed_at, created_at, updated_at)
SELECT id, email, email_key, categories, status, requested_at, request_ip, request_user_agent,
    requested_categories, confirmed_at, confirm_ip, confirm_user_agent, consent_version,
    unsubscribed_at, created_at, updated_at
FROM subscriptions;

DROP TABLE subscriptions;
ALTER TABLE subscriptions_new RENAME TO subscriptions;
CREATE INDEX subscriptions_status ON subscriptions (status);

CREATE TABLE outbox_new (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id         TEXT REFERENCES access_requests (id),
    channel            TEXT NOT NULL CHECK (channel IN ('webhook', 'email')),
    recipient          TEXT NOT NULL,                 -- URL for webhooks, address for e-mails; '' once its subscriber is erased
    subject            TEXT,
    body               TEXT NOT NULL,
    status             TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
    attempts           INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ms INTEGER NOT NULL,
    last_error         TEXT,
    created_at         INTEGER NOT NULL,
    delivered_at       INTEGER,
    subscription_id    TEXT REFERENCES subscriptions (id) -- the subscriber an e-mail was queued for
);

INSERT INTO outbox_new (id, request_id, channel, recipient, subject, body, status, attempts,
    next_attempt_at_ms, last_error, created_at, delivered_at)
SELECT id, request_id, channel, recipient, subject, body, status, attempts, next_attempt_at_ms,
    last_error, created_at, delivered_at
FROM outbox;

-- Keep AUTOINCREMENT's high-water mark, so no id is ever handed out twice: the rename below carries
-- outbox_new's sqlite_sequence row over to the new outbox.
DELETE FROM sqlite_sequence WHERE name = 'outbox_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox_new', seq FROM sqlite_sequence WHERE name = 'outbox';

DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, channel, next_attempt_at_ms);
CREATE INDEX outbox_subscription ON outbox (subscription_id);

UPDATE outbox SET subscription_id = (
    SELECT n.subscription_id FROM change_notices n WHERE n.outbox_id = outbox.id LIMIT 1
) WHERE request_id IS NULL;
UPDATE outbox SET subscription_id = (
    SELECT e.subscription_id FROM subscription_events e
    WHERE e.event = 'confirmation_sent' AND e.detail = 'outbox message ' || outbox.id LIMIT 1
) WHERE request_id IS NULL AND subscription_id IS NULL;
