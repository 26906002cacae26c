-- The first schema. Types and statements stay within what SQLite and Postgres share, apart
-- from the integer primary keys, which a Postgres migration spells as identity columns.

CREATE TABLE sweeps (
    id            INTEGER PRIMARY KEY,
    started       TEXT    NOT NULL,
    ended         TEXT,
    rules_version TEXT    NOT NULL,
    repositories  INTEGER NOT NULL DEFAULT 0,
    scanned       INTEGER NOT NULL DEFAULT 0,
    unchanged     INTEGER NOT NULL DEFAULT 0,
    empty         INTEGER NOT NULL DEFAULT 0,
    failed        INTEGER NOT NULL DEFAULT 0,
    new_findings  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE repositories (
    id            INTEGER PRIMARY KEY,
    url           TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    source        TEXT    NOT NULL,
    last_sweep    INTEGER REFERENCES sweeps (id),
    ref_tips      TEXT    NOT NULL DEFAULT '{}',
    rules_version TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL,
    last_error    TEXT    NOT NULL DEFAULT ''
);

-- Blobs found clean (no match) under a rule set; a blob with matches is never listed.
CREATE TABLE scanned_blobs (
    blob          TEXT NOT NULL,
    rules_version TEXT NOT NULL,
    PRIMARY KEY (blob, rules_version)
);

CREATE TABLE findings (
    id            INTEGER PRIMARY KEY,
    fingerprint   TEXT    NOT NULL,
    repository_id INTEGER NOT NULL REFERENCES repositories (id),
    rule_id       TEXT    NOT NULL,
    description   TEXT    NOT NULL,
    severity      TEXT    NOT NULL,
    path          TEXT    NOT NULL,
    commit_hash   TEXT    NOT NULL,
    author        TEXT    NOT NULL,
    email         TEXT    NOT NULL,
    commit_date   TEXT    NOT NULL,
    message       TEXT    NOT NULL,
    line          INTEGER NOT NULL,
    col           INTEGER NOT NULL,
    end_line      INTEGER NOT NULL,
    end_col       INTEGER NOT NULL,
    entropy       REAL    NOT NULL,
    validated     TEXT    NOT NULL,
    secret_redacted TEXT  NOT NULL,
    secret_hash   TEXT    NOT NULL,
    first_seen    INTEGER NOT NULL REFERENCES sweeps (id),
    last_seen     INTEGER NOT NULL REFERENCES sweeps (id),
    status        TEXT    NOT NULL DEFAULT 'open',
    note          TEXT    NOT NULL DEFAULT '',
    UNIQUE (repository_id, fingerprint)
);

CREATE INDEX findings_fingerprint ON findings (fingerprint);
CREATE INDEX findings_last_seen ON findings (last_seen);
