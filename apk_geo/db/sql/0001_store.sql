-- apk-geo store, migration 0001: the tables of an IncidentStore in PostGIS (schema apk).
--
-- The layout mirrors the GeoPackage store (apk_geo.store): incidents (Point, EPSG:5514, key
-- (source, id)), incident_versions, quarantine, import_log, metadata and the context layers,
-- plus what a shared store needs: a change counter (store_state), settings, and for retention
-- the keys of retired records (tombstones), the aggregates of deleted ones and the runs.
-- Placeholders in braces are role names filled in by apk_geo.db.schema (psycopg.sql); a literal
-- brace is doubled.

CREATE SCHEMA apk AUTHORIZATION {owner};
COMMENT ON SCHEMA apk IS 'apk-geo: the incident store, its roles and the audit trail';

-- Which migrations have run (apk_geo.db.schema fills it).
CREATE TABLE apk.schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    applied_by text NOT NULL DEFAULT session_user
);

CREATE TABLE apk.settings (
    key text PRIMARY KEY,
    value text NOT NULL
);

-- One row: what the dashboard's caches key on (store_id:version); every write bumps version.
CREATE TABLE apk.store_state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    store_id text NOT NULL DEFAULT md5(random()::text || clock_timestamp()::text),
    version bigint NOT NULL DEFAULT 0,
    changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
INSERT INTO apk.store_state DEFAULT VALUES;

CREATE TABLE apk.incidents (
    gid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source text NOT NULL,
    id text NOT NULL,
    reported_at timestamptz,
    category text,
    outcome text,
    assistant text,
    note text,
    address text,
    lat double precision,
    lon double precision,
    x_5514 double precision,
    y_5514 double precision,
    match text,
    score double precision,
    ruian_adm bigint,
    geocode_reason text,
    district_code text,
    district_name text,
    mdt_area text,
    svl_name text,
    hostel_name text,
    hostel_distance_m double precision,
    in_hostel_buffer boolean,
    record_hash text,
    imported_at timestamptz,
    modified_at timestamptz,
    anonymised_at timestamptz,
    geom geometry(Point, 5514),
    CONSTRAINT incidents_key UNIQUE (source, id)
);
COMMENT ON COLUMN apk.incidents.anonymised_at IS
    'set by retention: personal fields removed, the point moved to its 250 m cell centre';
CREATE INDEX incidents_geom ON apk.incidents USING gist (geom);
CREATE INDEX incidents_reported_at ON apk.incidents (reported_at);
CREATE INDEX incidents_category ON apk.incidents (category, reported_at);
CREATE INDEX incidents_district_name ON apk.incidents (district_name, reported_at);
CREATE INDEX incidents_district_code ON apk.incidents (district_code, reported_at);
CREATE INDEX incidents_mdt_area ON apk.incidents (mdt_area, reported_at);

CREATE TABLE apk.incident_versions (
    vid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source text NOT NULL,
    id text NOT NULL,
    reported_at timestamptz,
    category text,
    outcome text,
    assistant text,
    note text,
    address text,
    lat double precision,
    lon double precision,
    x_5514 double precision,
    y_5514 double precision,
    match text,
    score double precision,
    ruian_adm bigint,
    geocode_reason text,
    district_code text,
    district_name text,
    mdt_area text,
    svl_name text,
    hostel_name text,
    hostel_distance_m double precision,
    in_hostel_buffer boolean,
    record_hash text,
    imported_at timestamptz,
    modified_at timestamptz,
    version_kind text NOT NULL CHECK (version_kind IN ('replaced', 'stale')),
    replaced_at timestamptz,
    replaced_by_import text,
    geom geometry(Point, 5514)
);
CREATE INDEX incident_versions_key ON apk.incident_versions (source, id, record_hash);
CREATE INDEX incident_versions_reported_at ON apk.incident_versions (reported_at);

CREATE TABLE apk.quarantine (
    qid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source text,
    file text,
    line bigint NOT NULL,
    field text,
    value text,
    expected text,
    reason text,
    raw text,
    imported_at timestamptz
);
-- "already quarantined" = same source, reason and raw cells (md5: raw may exceed a B-tree row)
CREATE INDEX quarantine_seen ON apk.quarantine (source, reason, md5(raw));
CREATE INDEX quarantine_imported_at ON apk.quarantine (imported_at);

CREATE TABLE apk.import_log (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    import_id text NOT NULL UNIQUE,
    source text,
    file text,
    imported_at timestamptz NOT NULL,
    read bigint NOT NULL DEFAULT 0,
    accepted bigint NOT NULL DEFAULT 0,
    updated bigint NOT NULL DEFAULT 0,
    stale bigint NOT NULL DEFAULT 0,
    duplicates bigint NOT NULL DEFAULT 0,
    quarantined bigint NOT NULL DEFAULT 0,
    not_geocoded bigint NOT NULL DEFAULT 0,
    reverted bigint NOT NULL DEFAULT 0,
    versions_kept bigint NOT NULL DEFAULT 0,
    details text,
    imported_by text NOT NULL DEFAULT session_user
);

CREATE TABLE apk.metadata (
    pos bigint GENERATED ALWAYS AS IDENTITY,
    key text PRIMARY KEY,
    value text NOT NULL
);

-- Context layers: one row per layer (its columns and dtypes, so a read restores them), one row
-- per feature (attributes as JSON, geometry in EPSG:5514).
CREATE TABLE apk.layers (
    name text PRIMARY KEY,
    columns jsonb NOT NULL,
    written_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    written_by text NOT NULL DEFAULT session_user
);
CREATE TABLE apk.layer_features (
    name text NOT NULL REFERENCES apk.layers ON DELETE CASCADE,
    fid bigint NOT NULL,
    props jsonb NOT NULL,
    geom geometry(Geometry, 5514),
    PRIMARY KEY (name, fid)
);
CREATE INDEX layer_features_geom ON apk.layer_features USING gist (geom);

-- Retention: keys of records past the retention period (an old export imported again brings
-- nothing of them back), counts of deleted incidents for the packs, and every run.
CREATE TABLE apk.tombstones (
    source text NOT NULL,
    id_md5 text NOT NULL,
    retired_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (source, id_md5)
);
CREATE TABLE apk.incident_aggregates (
    month date NOT NULL,
    source text NOT NULL,
    mdt_area text NOT NULL DEFAULT '',
    district_code text NOT NULL DEFAULT '',
    district_name text NOT NULL DEFAULT '',
    category text NOT NULL DEFAULT '',
    outcome text NOT NULL DEFAULT '',
    svl_name text NOT NULL DEFAULT '',
    hostel_name text NOT NULL DEFAULT '',
    in_hostel_buffer boolean NOT NULL DEFAULT false,
    cell_x double precision NOT NULL DEFAULT 'NaN',
    cell_y double precision NOT NULL DEFAULT 'NaN',
    n bigint NOT NULL,
    PRIMARY KEY (month, source, mdt_area, district_code, district_name, category, outcome,
                 svl_name, hostel_name, in_hostel_buffer, cell_x, cell_y)
);
CREATE TABLE apk.retention_runs (
    run_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    who text NOT NULL DEFAULT session_user,
    cutoff timestamptz NOT NULL,
    mode text NOT NULL CHECK (mode IN ('anonymise', 'delete')),
    incidents_anonymised bigint NOT NULL,
    incidents_deleted bigint NOT NULL,
    versions_deleted bigint NOT NULL,
    quarantine_deleted bigint NOT NULL
);

-- Packs published for presenters: built (with disclosure control) by a mentor or admin, read by
-- presenters, who have no access to incidents at all.
CREATE TABLE apk.published_packs (
    pack_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    area text NOT NULL,
    month date NOT NULL,
    tier text NOT NULL DEFAULT 'presenter',
    lang text NOT NULL DEFAULT 'cs',
    html text,
    pdf bytea,
    json jsonb,
    created_by text NOT NULL DEFAULT session_user,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT published_packs_key UNIQUE (area, month, tier, lang)
);
