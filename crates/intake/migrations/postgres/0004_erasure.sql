-- 0004 (PostgreSQL): erasing a subscriber (GDPR Art. 17, `trustctl notices --erase-subscriber`).
-- Same columns and constraints as sqlite/0004_erasure.sql, which explains them; PostgreSQL changes
-- the constraints in place (the names are the ones PostgreSQL gave the column checks of 0001/0003),
-- and the new columns come last, as SQLite's rebuilt tables have them.

ALTER TABLE subscriptions
    ALTER COLUMN email_key DROP NOT NULL,
    ADD COLUMN erased_at BIGINT,
    DROP CONSTRAINT subscriptions_status_check,
    ADD CONSTRAINT subscriptions_status_check
        CHECK (status IN ('pending', 'confirmed', 'unsubscribed', 'erased')),
    ADD CONSTRAINT subscriptions_erased_has_no_key CHECK ((status = 'erased') = (email_key IS NULL));

ALTER TABLE outbox
    ADD COLUMN subscription_id TEXT REFERENCES subscriptions (id),
    DROP CONSTRAINT outbox_status_check,
    ADD CONSTRAINT outbox_status_check
        CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled'));

CREATE INDEX outbox_subscription ON outbox (subscription_id);

UPDATE outbox SET subscription_id = (
    SELECT n.subscription_id FROM change_notices n WHERE n.outbox_id = outbox.id LIMIT 1
) WHERE request_id IS NULL;
UPDATE outbox SET subscription_id = (
    SELECT e.subscription_id FROM subscription_events e
    WHERE e.event = 'confirmation_sent' AND e.detail = 'outbox message ' || outbox.id LIMIT 1
) WHERE request_id IS NULL AND subscription_id IS NULL;
