-- Desired state (one row per resource) and the console's API keys. Portable SQL that SQLite and
-- PostgreSQL both run unchanged: TEXT ids, BIGINT Unix milliseconds for times.
CREATE TABLE resources (
    kind          TEXT   NOT NULL,
    name          TEXT   NOT NULL,
    id            TEXT   NOT NULL UNIQUE,
    labels        TEXT   NULL,      -- JSON object, keys sorted; NULL when none
    spec          TEXT   NOT NULL,  -- JSON, the canonical serialisation of the kind's spec
    status        TEXT   NOT NULL,  -- PENDING, READY or FAILED
    failed_reason TEXT   NULL,
    updated_at    BIGINT NOT NULL,
    generation    BIGINT NOT NULL,  -- bumped on every spec change, so a reconciler cannot mark a newer spec READY
    PRIMARY KEY (kind, name)
);

CREATE TABLE api_keys (
    id           TEXT   NOT NULL PRIMARY KEY,
    name         TEXT   NOT NULL,
    key_hash     TEXT   NOT NULL UNIQUE,  -- SHA-256 of the key, hex; the key itself is shown once and never stored
    created_by   TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT NULL,
    revoked_at   BIGINT NULL,
    revoked_by   TEXT   NULL
);
