-- Knocknoc.Entra.Sdk.PostgreSql schema, version 1: grants shared by several agents, one writer per location.
-- The package runs this file itself on first use (in one transaction, under an advisory lock, so gates starting
-- at once apply it once). A DBA who creates schemas by hand runs the same file: psql -1 -f 001-shared-grants.sql
-- Idempotent: running it again changes nothing.

CREATE SCHEMA IF NOT EXISTS knocknoc_entra;

CREATE TABLE IF NOT EXISTS knocknoc_entra.schema_version (
    version    integer     PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);

-- One row per location: its change counter, what Entra is confirmed to hold, and its writer's lease.
CREATE TABLE IF NOT EXISTS knocknoc_entra.locations (
    location_key      text        PRIMARY KEY,
    version           bigint      NOT NULL DEFAULT 0,  -- bumped by every accepted change
    confirmed_version bigint      NOT NULL DEFAULT 0,  -- the newest version Entra is known to hold
    failed_version    bigint      NOT NULL DEFAULT 0,  -- the newest version whose write failed
    failed_code       integer,                         -- its ENTRA code
    writer            text,                            -- the agent holding the lease
    writer_generation bigint      NOT NULL DEFAULT 0,  -- the fencing generation: bumped by every takeover
    lease_expires_at  timestamptz                      -- by the database's clock
);

-- The grants: the shared truth. A row is live while expires_at is in the future. A revoked row stays, with
-- expires_at -infinity at the version that ended it, until the writer has confirmed that version and deletes it.
CREATE TABLE IF NOT EXISTS knocknoc_entra.grants (
    location_key text        NOT NULL REFERENCES knocknoc_entra.locations (location_key) ON DELETE CASCADE,
    grant_id     text        NOT NULL,
    network      text        NOT NULL,   -- canonical CIDR text, as the SDK formats it
    expires_at   timestamptz NOT NULL,
    granted_by   text        NOT NULL,   -- the agent that accepted the grant
    granted_at   timestamptz NOT NULL,
    version      bigint      NOT NULL,   -- the location's version that last changed this row
    PRIMARY KEY (location_key, grant_id)
);

CREATE INDEX IF NOT EXISTS grants_by_expiry ON knocknoc_entra.grants (location_key, expires_at);

INSERT INTO knocknoc_entra.schema_version (version) VALUES (1) ON CONFLICT (version) DO NOTHING;
