-- The work queue of planned sweeps: one job per repository, claimed by a worker for a lease
-- and finished with the repository's outcome. See store/queue.go and docs/fleet.md.

CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    sweep_id     INTEGER NOT NULL REFERENCES sweeps (id),
    url          TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    source       TEXT    NOT NULL,
    state        TEXT    NOT NULL DEFAULT 'queued', -- queued, running, done, failed
    worker       TEXT    NOT NULL DEFAULT '',
    attempts     INTEGER NOT NULL DEFAULT 0,
    lease_until  BIGINT  NOT NULL DEFAULT 0,        -- Unix ms on the database's clock
    outcome      TEXT    NOT NULL DEFAULT '',
    new_findings INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT    NOT NULL DEFAULT '',
    UNIQUE (sweep_id, url)
);

CREATE INDEX jobs_state ON jobs (state, id);
