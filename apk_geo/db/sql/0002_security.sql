-- apk-geo store, migration 0002: roles, row-level security, the views each role reads, the
-- append-only audit trail, users, sign-in throttling and retention.
--
-- Group roles (NOLOGIN, created by apk_geo.db.schema before this runs): {presenter},
-- {analyst}, {mentor}, {admin}; the sign-in gate {gate} (LOGIN, may only record failures);
-- {auditor} (NOLOGIN, no members) owns the audit trail, so not even the store's owner may
-- write to it but through apk.audit_write, nor change or delete a row.
-- Users are LOGIN roles (SCRAM-SHA-256), each a member of one group, created through
-- apk.user_add. What each group may do is granted at the end of this file; nothing is granted to
-- PUBLIC. Functions that must see more than their caller are SECURITY DEFINER (owned by {owner})
-- with a fixed search_path, and every name in them is schema-qualified.

ALTER DEFAULT PRIVILEGES IN SCHEMA apk REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

INSERT INTO apk.settings (key, value) VALUES
    ('role.presenter', {presenter_l}), ('role.analyst', {analyst_l}),
    ('role.mentor', {mentor_l}), ('role.admin', {admin_l}), ('role.gate', {gate_l}),
    ('min_count', '3'), ('idle_timeout_min', '30');

-- ------------------------------------------------------------------------------------ users

CREATE TABLE apk.users (
    username text PRIMARY KEY,
    role text NOT NULL CHECK (role IN ('presenter', 'analyst', 'mentor', 'admin')),
    areas text[] NOT NULL DEFAULT ARRAY[]::text[],
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    created_by text NOT NULL DEFAULT session_user,
    disabled_at timestamptz,
    disabled_by text
);
COMMENT ON COLUMN apk.users.areas IS 'MDT areas the user is limited to; empty = all areas';

-- The MDT areas the signed-in user is limited to (NULL: not limited). Policies and views call it
-- as a scalar sub-select, so it runs once per query, not once per row.
CREATE FUNCTION apk.my_areas() RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT u.areas FROM apk.users u WHERE u.username = session_user AND cardinality(u.areas) > 0
$$;

-- The group of the signed-in user: owner, admin, mentor, analyst, presenter or NULL.
CREATE FUNCTION apk.my_tier() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE
        WHEN session_user = (SELECT n.nspowner::regrole::text FROM pg_catalog.pg_namespace n
                             WHERE n.nspname = 'apk') THEN 'owner'
        WHEN pg_catalog.pg_has_role(session_user, {admin_l}, 'MEMBER') THEN 'admin'
        WHEN pg_catalog.pg_has_role(session_user, {mentor_l}, 'MEMBER') THEN 'mentor'
        WHEN pg_catalog.pg_has_role(session_user, {analyst_l}, 'MEMBER') THEN 'analyst'
        WHEN pg_catalog.pg_has_role(session_user, {presenter_l}, 'MEMBER') THEN 'presenter'
    END
$$;

-- ------------------------------------------------------------------------------ audit trail

CREATE TABLE apk.audit (
    audit_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    who text NOT NULL,
    action text NOT NULL CHECK (action IN (
        'init', 'migrate', 'import', 'layers', 'export', 'download', 'pack', 'route',
        'read_incidents', 'read_versions', 'read_quarantine', 'page_view',
        'signin', 'signin_failed', 'signin_throttled', 'signout', 'timeout',
        'user_add', 'user_disable', 'user_enable', 'user_areas', 'retention', 'settings')),
    subject text,
    details jsonb NOT NULL,
    reason text,
    client text,
    addr inet DEFAULT inet_client_addr()
);
CREATE INDEX audit_at ON apk.audit (at);
CREATE INDEX audit_who ON apk.audit (who, at);
CREATE INDEX audit_subject ON apk.audit (subject, at);

CREATE FUNCTION apk.audit_refuse() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'permission denied: the audit trail is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON apk.audit
    FOR EACH ROW EXECUTE FUNCTION apk.audit_refuse();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON apk.audit
    FOR EACH STATEMENT EXECUTE FUNCTION apk.audit_refuse();

-- The one way into the audit trail: who is the signed-in user (session_user), never a parameter.
CREATE FUNCTION apk.audit_write(p_action text, p_subject text, p_details jsonb,
                                p_reason text, p_client text) RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    INSERT INTO apk.audit (who, action, subject, details, reason, client)
    VALUES (session_user, p_action, left(p_subject, 200),
            coalesce(p_details, pg_catalog.jsonb_build_object()),
            nullif(left(p_reason, 2000), ''), left(p_client, 200))
    RETURNING audit_id
$$;

-- Hand the audit trail to {auditor}: from here on the owner of the store has no privilege on it
-- but reading it and calling apk.audit_write (the membership is only for the hand-over).
GRANT USAGE, CREATE ON SCHEMA apk TO {auditor};
GRANT {auditor} TO {owner};
ALTER TABLE apk.audit OWNER TO {auditor};
ALTER FUNCTION apk.audit_write(text, text, jsonb, text, text) OWNER TO {auditor};
ALTER FUNCTION apk.audit_refuse() OWNER TO {auditor};
REVOKE ALL ON apk.audit FROM PUBLIC;
REVOKE ALL ON FUNCTION apk.audit_write(text, text, jsonb, text, text) FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE, INSERT, REFERENCES, TRIGGER ON apk.audit FROM {auditor};
GRANT INSERT ON apk.audit TO {auditor};
GRANT SELECT ON apk.audit TO {owner}, {admin};
GRANT EXECUTE ON FUNCTION apk.audit_write(text, text, jsonb, text, text)
    TO {owner}, {presenter}, {analyst}, {mentor}, {admin};
REVOKE {auditor} FROM {owner};
REVOKE CREATE ON SCHEMA apk FROM {auditor};

-- ------------------------------------------------------------------------ the store's books

-- Every write bumps the change counter the dashboard's caches key on.
CREATE FUNCTION apk.bump_version() RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    UPDATE apk.store_state SET version = version + 1, changed_at = clock_timestamp()
    RETURNING version
$$;

-- Rows stored in every table (not limited by the caller's areas): what reconcile() checks.
CREATE FUNCTION apk.store_totals()
RETURNS TABLE (incidents bigint, versions bigint, quarantine bigint,
               removed_incidents bigint, removed_versions bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT (SELECT count(*) FROM apk.incidents),
           (SELECT count(*) FROM apk.incident_versions),
           (SELECT count(*) FROM apk.quarantine),
           (SELECT coalesce(sum(r.incidents_deleted), 0) FROM apk.retention_runs r)::bigint,
           (SELECT coalesce(sum(r.versions_deleted), 0) FROM apk.retention_runs r)::bigint
$$;

-- The centre of the size-metre cell a point lies in (EPSG:5514): what analysts see of a place.
CREATE FUNCTION apk.cell_centre(g public.geometry, size double precision DEFAULT 250)
RETURNS public.geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT public.ST_SetSRID(public.ST_MakePoint(
        floor(public.ST_X(g) / size) * size + size / 2,
        floor(public.ST_Y(g) / size) * size + size / 2), 5514)
$$;

-- ---------------------------------------------------------------------- what analysts read

-- Incidents without note, assistant, address, RÚIAN point, geocoding reason, record hash or
-- the source system's id (a row number stands in), located at the centre of their 250 m cell.
CREATE VIEW apk.incidents_cells WITH (security_barrier = true) AS
SELECT i.source, i.gid::text AS id, i.reported_at, i.category, i.outcome,
       NULL::text AS assistant, NULL::text AS note, NULL::text AS address,
       public.ST_Y(w.pt) AS lat, public.ST_X(w.pt) AS lon,
       public.ST_X(c.pt) AS x_5514, public.ST_Y(c.pt) AS y_5514,
       i.match, i.score, NULL::bigint AS ruian_adm, NULL::text AS geocode_reason,
       i.district_code, i.district_name, i.mdt_area, i.svl_name, i.hostel_name,
       round(i.hostel_distance_m / 100) * 100 AS hostel_distance_m, i.in_hostel_buffer,
       NULL::text AS record_hash, i.imported_at, NULL::timestamptz AS modified_at,
       c.pt AS geom, i.gid
FROM apk.incidents i
CROSS JOIN LATERAL (SELECT apk.cell_centre(i.geom, 250) AS pt) c
CROSS JOIN LATERAL (SELECT public.ST_Transform(c.pt, 4326) AS pt) w
WHERE (SELECT apk.my_areas()) IS NULL OR i.mdt_area = ANY ((SELECT apk.my_areas())::text[]);

-- The quarantine without the rejected values: which file, line and field, and what was expected.
CREATE VIEW apk.quarantine_reasons WITH (security_barrier = true) AS
SELECT q.source, q.file, q.line, q.field, NULL::text AS value, q.expected,
       NULL::text AS reason, NULL::text AS raw, q.imported_at, q.qid
FROM apk.quarantine q
WHERE (SELECT apk.my_areas()) IS NULL;

-- -------------------------------------------------------------------- what presenters read

-- Counts per month, MDT area and category; a count under min_count (3) is suppressed (NULL).
CREATE VIEW apk.presenter_counts AS
WITH counts AS (
    SELECT month, mdt_area, category, sum(n)::bigint AS n
    FROM (
        SELECT date_trunc('month', i.reported_at AT TIME ZONE 'Europe/Prague')::date AS month,
               i.mdt_area, i.category, count(*) AS n
        FROM apk.incidents i
        WHERE i.mdt_area IS NOT NULL
        GROUP BY 1, 2, 3
        UNION ALL
        SELECT a.month, nullif(a.mdt_area, ''), nullif(a.category, ''), sum(a.n)
        FROM apk.incident_aggregates a
        WHERE a.mdt_area <> ''
        GROUP BY 1, 2, 3
    ) both_sources
    WHERE (SELECT apk.my_areas()) IS NULL OR mdt_area = ANY ((SELECT apk.my_areas())::text[])
    GROUP BY 1, 2, 3
), threshold AS (
    SELECT coalesce((SELECT s.value::int FROM apk.settings s WHERE s.key = 'min_count'), 3) AS k
)
SELECT c.month, c.mdt_area, c.category,
       CASE WHEN c.n >= t.k THEN c.n END AS n, c.n < t.k AS suppressed
FROM counts c CROSS JOIN threshold t;

-- ------------------------------------------------------------------- row-level security

ALTER TABLE apk.incidents ENABLE ROW LEVEL SECURITY;
CREATE POLICY incidents_read ON apk.incidents FOR SELECT TO {mentor}
    USING ((SELECT apk.my_areas()) IS NULL OR mdt_area = ANY ((SELECT apk.my_areas())::text[]));
CREATE POLICY incidents_insert ON apk.incidents FOR INSERT TO {mentor}
    WITH CHECK ((SELECT apk.my_areas()) IS NULL);
CREATE POLICY incidents_update ON apk.incidents FOR UPDATE TO {mentor}
    USING ((SELECT apk.my_areas()) IS NULL) WITH CHECK ((SELECT apk.my_areas()) IS NULL);

ALTER TABLE apk.incident_versions ENABLE ROW LEVEL SECURITY;
CREATE POLICY versions_read ON apk.incident_versions FOR SELECT TO {mentor}
    USING ((SELECT apk.my_areas()) IS NULL OR mdt_area = ANY ((SELECT apk.my_areas())::text[]));
CREATE POLICY versions_insert ON apk.incident_versions FOR INSERT TO {mentor}
    WITH CHECK ((SELECT apk.my_areas()) IS NULL);

-- the quarantine has no place: a user limited to areas sees none of it
ALTER TABLE apk.quarantine ENABLE ROW LEVEL SECURITY;
CREATE POLICY quarantine_all ON apk.quarantine FOR ALL TO {mentor}
    USING ((SELECT apk.my_areas()) IS NULL) WITH CHECK ((SELECT apk.my_areas()) IS NULL);

ALTER TABLE apk.published_packs ENABLE ROW LEVEL SECURITY;
CREATE POLICY packs_presenter ON apk.published_packs FOR SELECT TO {presenter}
    USING (tier = 'presenter'
           AND ((SELECT apk.my_areas()) IS NULL OR area = ANY ((SELECT apk.my_areas())::text[])));
CREATE POLICY packs_read ON apk.published_packs FOR SELECT TO {analyst}, {mentor}, {admin}
    USING ((SELECT apk.my_areas()) IS NULL OR area = ANY ((SELECT apk.my_areas())::text[]));
CREATE POLICY packs_write ON apk.published_packs FOR ALL TO {mentor}, {admin}
    USING ((SELECT apk.my_areas()) IS NULL OR area = ANY ((SELECT apk.my_areas())::text[]))
    WITH CHECK ((SELECT apk.my_areas()) IS NULL OR area = ANY ((SELECT apk.my_areas())::text[]));

-- ------------------------------------------------------------------- users (admins only)

CREATE FUNCTION apk.group_role(p_role text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT s.value FROM apk.settings s WHERE s.key = 'role.' || p_role
        AND p_role IN ('presenter', 'analyst', 'mentor', 'admin')
$$;

CREATE FUNCTION apk.user_add(p_name text, p_verifier text, p_role text, p_areas text[],
                             p_reason text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_group text := apk.group_role(p_role);
BEGIN
    IF p_name IS NULL OR p_name !~ '^[a-z][a-z0-9_.-]{{1,62}}$' OR p_name ~ '^pg_' THEN
        RAISE EXCEPTION 'user name %: use 2 to 63 lower-case letters, digits, "_", "." or "-", starting with a letter', quote_literal(coalesce(p_name, ''))
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF v_group IS NULL THEN
        RAISE EXCEPTION 'role %: expected presenter, analyst, mentor or admin', quote_literal(coalesce(p_role, ''))
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_verifier IS NULL OR p_verifier !~ '^SCRAM-SHA-256\$' THEN
        RAISE EXCEPTION 'the password must arrive as a SCRAM-SHA-256 verifier'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = p_name) THEN
        RAISE EXCEPTION 'user % exists already', p_name USING ERRCODE = 'duplicate_object';
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN INHERIT PASSWORD %L IN ROLE %I', p_name, p_verifier, v_group);
    INSERT INTO apk.users (username, role, areas)
    VALUES (p_name, p_role, coalesce(p_areas, ARRAY[]::text[]));
    PERFORM apk.audit_write('user_add', p_name,
        jsonb_build_object('role', p_role, 'areas', to_jsonb(coalesce(p_areas, ARRAY[]::text[]))),
        p_reason, NULL);
END
$$;

CREATE FUNCTION apk.user_set_login(p_name text, p_enabled boolean, p_reason text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM apk.users u WHERE u.username = p_name) THEN
        RAISE EXCEPTION 'no user % in this store', quote_literal(coalesce(p_name, ''))
            USING ERRCODE = 'undefined_object';
    END IF;
    IF p_name = session_user AND NOT p_enabled THEN
        RAISE EXCEPTION 'you cannot disable yourself' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('ALTER ROLE %I %s', p_name, CASE WHEN p_enabled THEN 'LOGIN' ELSE 'NOLOGIN' END);
    IF NOT p_enabled THEN  -- NOLOGIN stops new sessions; end the open ones too, where allowed
        BEGIN
            PERFORM pg_catalog.pg_terminate_backend(a.pid)
            FROM pg_catalog.pg_stat_activity a WHERE a.usename = p_name;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE WARNING 'open sessions of % were not ended (grant pg_signal_backend)', p_name;
        END;
    END IF;
    UPDATE apk.users SET disabled_at = CASE WHEN p_enabled THEN NULL ELSE clock_timestamp() END,
                         disabled_by = CASE WHEN p_enabled THEN NULL ELSE session_user END
    WHERE username = p_name;
    PERFORM apk.audit_write(CASE WHEN p_enabled THEN 'user_enable' ELSE 'user_disable' END,
                            p_name, jsonb_build_object(), p_reason, NULL);
END
$$;

CREATE FUNCTION apk.user_set_areas(p_name text, p_areas text[], p_reason text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    UPDATE apk.users SET areas = coalesce(p_areas, ARRAY[]::text[]) WHERE username = p_name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no user % in this store', quote_literal(coalesce(p_name, ''))
            USING ERRCODE = 'undefined_object';
    END IF;
    PERFORM apk.bump_version();
    PERFORM apk.audit_write('user_areas', p_name,
        jsonb_build_object('areas', to_jsonb(coalesce(p_areas, ARRAY[]::text[]))), p_reason, NULL);
END
$$;

CREATE FUNCTION apk.set_setting(p_key text, p_value text, p_reason text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_key NOT IN ('retention_years', 'retention_mode', 'min_count', 'idle_timeout_min') THEN
        RAISE EXCEPTION 'setting %: expected retention_years, retention_mode, min_count or idle_timeout_min', quote_literal(coalesce(p_key, ''))
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_key = 'retention_mode' AND p_value NOT IN ('anonymise', 'delete') THEN
        RAISE EXCEPTION 'retention_mode %: expected anonymise or delete', quote_literal(coalesce(p_value, ''))
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_key <> 'retention_mode' AND (p_value IS NULL OR p_value !~ '^[1-9][0-9]{{0,3}}$') THEN
        RAISE EXCEPTION 'setting % = %: expected a whole number from 1 to 9999', p_key, quote_literal(coalesce(p_value, ''))
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO apk.settings (key, value) VALUES (p_key, p_value)
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
    PERFORM apk.audit_write('settings', p_key, jsonb_build_object('value', p_value), p_reason, NULL);
END
$$;

-- -------------------------------------------------------------------------------- sign-in

-- Failed sign-ins per user name and client: after the n-th failure in a row (within an hour)
-- the next attempt from that client waits 2^(n-1) seconds, at most 15 minutes.
CREATE TABLE apk.signin_failures (
    username text NOT NULL,
    client text NOT NULL,
    failures integer NOT NULL,
    last_failure_at timestamptz NOT NULL,
    blocked_until timestamptz NOT NULL,
    PRIMARY KEY (username, client)
);

CREATE FUNCTION apk.signin_wait(p_user text, p_client text) RETURNS double precision
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_wait double precision;
BEGIN
    SELECT greatest(0, extract(epoch FROM f.blocked_until - clock_timestamp())) INTO v_wait
    FROM apk.signin_failures f WHERE f.username = p_user AND f.client = p_client;
    v_wait := coalesce(v_wait, 0);
    IF v_wait > 0 THEN
        PERFORM apk.audit_write('signin_throttled', p_user,
            jsonb_build_object('wait_s', round(v_wait::numeric, 1)), NULL, p_client);
    END IF;
    RETURN v_wait;
END
$$;

CREATE FUNCTION apk.signin_failed(p_user text, p_client text, p_reason text)
RETURNS double precision
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_failures integer;
    v_delay double precision;
BEGIN
    INSERT INTO apk.signin_failures AS f (username, client, failures, last_failure_at, blocked_until)
    VALUES (left(p_user, 200), left(p_client, 200), 1, clock_timestamp(), clock_timestamp())
    ON CONFLICT (username, client) DO UPDATE SET
        failures = CASE WHEN f.last_failure_at < clock_timestamp() - interval '1 hour'
                        THEN 1 ELSE f.failures + 1 END,
        last_failure_at = clock_timestamp()
    RETURNING f.failures INTO v_failures;
    v_delay := least(power(2, v_failures - 1), 900);
    UPDATE apk.signin_failures f
    SET blocked_until = f.last_failure_at + v_delay * interval '1 second'
    WHERE f.username = left(p_user, 200) AND f.client = left(p_client, 200);
    PERFORM apk.audit_write('signin_failed', p_user,
        jsonb_build_object('failures', v_failures, 'delay_s', v_delay, 'why', p_reason),
        NULL, p_client);
    RETURN v_delay;
END
$$;

-- Called by the user right after connecting: clears the failures, audits, says who they are.
CREATE FUNCTION apk.signin_succeeded(p_client text)
RETURNS TABLE (tier text, areas text[])
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    DELETE FROM apk.signin_failures f WHERE f.username = session_user AND f.client = p_client;
    PERFORM apk.audit_write('signin', session_user, jsonb_build_object('tier', apk.my_tier()),
                            NULL, p_client);
    RETURN QUERY SELECT apk.my_tier(), coalesce(apk.my_areas(), ARRAY[]::text[]);
END
$$;

-- ------------------------------------------------------------------------------ retention

-- Records reported before now - p_years: their versions and the quarantine rows imported
-- before then are deleted; the records are anonymised (personal fields removed, id replaced by
-- its md5, point moved to its 250 m cell centre: packs, trends and hotspot history still count
-- them) or deleted (counted first into incident_aggregates). Their keys go to tombstones, so an
-- old export imported again brings nothing back. Serialised with imports (the import lock).
CREATE FUNCTION apk.run_retention(p_years integer, p_mode text, p_dry_run boolean, p_reason text)
RETURNS TABLE (cutoff timestamptz, incidents_anonymised bigint, incidents_deleted bigint,
               versions_deleted bigint, quarantine_deleted bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_cutoff timestamptz;
    v_inc bigint;
    v_ver bigint;
    v_quar bigint;
BEGIN
    IF p_years IS NULL OR p_years < 1 THEN
        RAISE EXCEPTION 'retention period: expected at least 1 year, got %', p_years
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_mode IS NULL OR p_mode NOT IN ('anonymise', 'delete') THEN
        RAISE EXCEPTION 'retention mode %: expected anonymise or delete', quote_literal(coalesce(p_mode, ''))
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM pg_catalog.pg_advisory_xact_lock({import_lock});
    v_cutoff := clock_timestamp() - make_interval(years => p_years);
    DROP TABLE IF EXISTS pg_temp.apk_retire;
    CREATE TEMP TABLE apk_retire ON COMMIT DROP AS
        SELECT i.gid, i.source, i.id FROM apk.incidents i
        WHERE i.reported_at < v_cutoff AND i.anonymised_at IS NULL;
    SELECT count(*) INTO v_inc FROM pg_temp.apk_retire;
    SELECT count(*) INTO v_ver FROM apk.incident_versions v
    WHERE v.reported_at < v_cutoff
       OR EXISTS (SELECT 1 FROM pg_temp.apk_retire r WHERE r.source = v.source AND r.id = v.id);
    SELECT count(*) INTO v_quar FROM apk.quarantine q WHERE q.imported_at < v_cutoff;
    IF NOT p_dry_run THEN
        INSERT INTO apk.tombstones (source, id_md5)
        SELECT r.source, md5(r.id) FROM pg_temp.apk_retire r ON CONFLICT DO NOTHING;
        DELETE FROM apk.incident_versions v
        WHERE v.reported_at < v_cutoff
           OR EXISTS (SELECT 1 FROM pg_temp.apk_retire r WHERE r.source = v.source AND r.id = v.id);
        DELETE FROM apk.quarantine q WHERE q.imported_at < v_cutoff;
        IF p_mode = 'delete' THEN
            INSERT INTO apk.incident_aggregates AS a (month, source, mdt_area, district_code,
                district_name, category, outcome, svl_name, hostel_name, in_hostel_buffer,
                cell_x, cell_y, n)
            SELECT date_trunc('month', i.reported_at AT TIME ZONE 'Europe/Prague')::date, i.source,
                   coalesce(i.mdt_area, ''), coalesce(i.district_code, ''),
                   coalesce(i.district_name, ''), coalesce(i.category, ''),
                   coalesce(i.outcome, ''), coalesce(i.svl_name, ''), coalesce(i.hostel_name, ''),
                   coalesce(i.in_hostel_buffer, false),
                   coalesce(public.ST_X(apk.cell_centre(i.geom, 250)), 'NaN'),
                   coalesce(public.ST_Y(apk.cell_centre(i.geom, 250)), 'NaN'), count(*)
            FROM apk.incidents i JOIN pg_temp.apk_retire r ON r.gid = i.gid
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
            ON CONFLICT (month, source, mdt_area, district_code, district_name, category, outcome,
                         svl_name, hostel_name, in_hostel_buffer, cell_x, cell_y)
            DO UPDATE SET n = a.n + EXCLUDED.n;
            DELETE FROM apk.incidents i USING pg_temp.apk_retire r WHERE i.gid = r.gid;
        ELSE
            UPDATE apk.incidents i
            SET id = 'retired:' || md5(i.id), assistant = NULL, note = NULL, address = NULL,
                ruian_adm = NULL, geocode_reason = NULL, record_hash = NULL,
                geom = c.pt, x_5514 = public.ST_X(c.pt), y_5514 = public.ST_Y(c.pt),
                lat = public.ST_Y(public.ST_Transform(c.pt, 4326)),
                lon = public.ST_X(public.ST_Transform(c.pt, 4326)),
                hostel_distance_m = round(i.hostel_distance_m / 100) * 100,
                anonymised_at = clock_timestamp()
            FROM (SELECT r.gid, apk.cell_centre(x.geom, 250) AS pt
                  FROM pg_temp.apk_retire r JOIN apk.incidents x ON x.gid = r.gid) c
            WHERE i.gid = c.gid;
        END IF;
        INSERT INTO apk.retention_runs (cutoff, mode, incidents_anonymised, incidents_deleted,
                                        versions_deleted, quarantine_deleted)
        VALUES (v_cutoff, p_mode, CASE WHEN p_mode = 'anonymise' THEN v_inc ELSE 0 END,
                CASE WHEN p_mode = 'delete' THEN v_inc ELSE 0 END, v_ver, v_quar);
        PERFORM apk.bump_version();
    END IF;
    PERFORM apk.audit_write('retention', NULL, jsonb_build_object(
        'years', p_years, 'mode', p_mode, 'dry_run', p_dry_run, 'cutoff', v_cutoff,
        'incidents', v_inc, 'versions_deleted', v_ver, 'quarantine_deleted', v_quar),
        p_reason, NULL);
    RETURN QUERY SELECT v_cutoff, CASE WHEN p_mode = 'anonymise' THEN v_inc ELSE 0 END,
                        CASE WHEN p_mode = 'delete' THEN v_inc ELSE 0 END, v_ver, v_quar;
END
$$;

-- ----------------------------------------------------------------------------------- grants

-- a database made by CREATE DATABASE lets PUBLIC connect and create temporary tables
REVOKE ALL ON DATABASE {db} FROM PUBLIC;
REVOKE ALL ON SCHEMA apk FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA apk FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA apk FROM PUBLIC;

GRANT CONNECT ON DATABASE {db} TO {presenter}, {analyst}, {mentor}, {admin}, {gate};
GRANT TEMPORARY ON DATABASE {db} TO {mentor};
GRANT USAGE ON SCHEMA apk TO {presenter}, {analyst}, {mentor}, {admin}, {gate};

-- everyone signed in
GRANT SELECT ON apk.settings, apk.store_state, apk.metadata, apk.layers, apk.layer_features,
    apk.schema_migrations TO {presenter}, {analyst}, {mentor}, {admin};
GRANT EXECUTE ON FUNCTION apk.signin_succeeded(text), apk.my_areas(), apk.my_tier(),
    apk.cell_centre(public.geometry, double precision)
    TO {presenter}, {analyst}, {mentor}, {admin};
GRANT SELECT ON apk.published_packs, apk.presenter_counts
    TO {presenter}, {analyst}, {mentor}, {admin};

-- the sign-in gate: record failures and ask how long to wait, nothing else
GRANT EXECUTE ON FUNCTION apk.signin_wait(text, text), apk.signin_failed(text, text, text)
    TO {gate};

-- analysts: cells and districts, no personal details, no raw quarantine values
GRANT SELECT ON apk.incidents_cells, apk.quarantine_reasons, apk.import_log TO {analyst};
GRANT EXECUTE ON FUNCTION apk.store_totals() TO {analyst}, {mentor}, {admin};

-- mentors: everything about incidents, imports, layers and packs
GRANT SELECT, INSERT, UPDATE ON apk.incidents TO {mentor};
GRANT SELECT, INSERT ON apk.incident_versions, apk.quarantine, apk.import_log TO {mentor};
GRANT SELECT, INSERT, UPDATE, DELETE ON apk.metadata, apk.layers, apk.layer_features TO {mentor};
GRANT SELECT ON apk.incidents_cells, apk.quarantine_reasons, apk.tombstones,
    apk.incident_aggregates, apk.retention_runs TO {mentor};
GRANT INSERT, UPDATE, DELETE ON apk.published_packs TO {mentor}, {admin};
GRANT EXECUTE ON FUNCTION apk.bump_version() TO {mentor};

-- admins: users, settings, retention and the audit trail (not the incidents)
GRANT SELECT ON apk.users, apk.retention_runs, apk.signin_failures, apk.import_log,
    apk.incident_aggregates TO {admin};
GRANT EXECUTE ON FUNCTION apk.user_add(text, text, text, text[], text),
    apk.user_set_login(text, boolean, text), apk.user_set_areas(text, text[], text),
    apk.set_setting(text, text, text), apk.run_retention(integer, text, boolean, text),
    apk.group_role(text)
    TO {admin};
