-- The extension suite starts here: CREATE EXTENSION pgcdc, what it installs, who may call it,
-- and the helpers the other tests of the suite share (schema pgcdc_t).
SET synchronous_commit = on;

-- CREATE EXTENSION creates the schema pgcdc itself and refuses an existing one, whoever owns
-- it: the owner of a schema can drop and replace the functions in it, which administrators then
-- run. (With "schema = pgcdc" in the control file PostgreSQL would install into it silently.)
\set SHOW_CONTEXT never
CREATE ROLE regress_pgcdc_squatter;
CREATE SCHEMA pgcdc AUTHORIZATION regress_pgcdc_squatter;
CREATE EXTENSION pgcdc;
SELECT count(*) AS installed FROM pg_extension WHERE extname = 'pgcdc';
DROP SCHEMA pgcdc;
DROP ROLE regress_pgcdc_squatter;
-- Even the installing role's own: what the schema holds is not the extension's.
CREATE SCHEMA pgcdc;
CREATE FUNCTION pgcdc.heartbeat() RETURNS pg_lsn LANGUAGE sql AS 'SELECT NULL::pg_lsn';
CREATE EXTENSION pgcdc;
DROP SCHEMA pgcdc CASCADE;
\set SHOW_CONTEXT errors

CREATE EXTENSION pgcdc;
-- The extension is recorded in pg_catalog (the control file's schema); its functions live in
-- the schema pgcdc, which it created: a member of the extension, owned by the installing role.
SELECT extname, extversion, extnamespace::regnamespace AS schema, extrelocatable
FROM pg_extension WHERE extname = 'pgcdc';
SELECT n.nspname, pg_get_userbyid(n.nspowner) = current_user AS owned_by_installer,
       d.deptype AS extension_member
FROM pg_namespace AS n
LEFT JOIN pg_depend AS d ON d.classid = 'pg_namespace'::regclass AND d.objid = n.oid
                        AND d.refclassid = 'pg_extension'::regclass
WHERE n.nspname = 'pgcdc';
-- Its members, with their signatures: a change here is a change of the API.
\dx+ pgcdc

-- Every function runs as its caller (not SECURITY DEFINER), with search_path pinned.
SELECT p.proname, p.prosecdef, p.proconfig
FROM pg_proc AS p WHERE p.pronamespace = 'pgcdc'::regnamespace ORDER BY p.proname;
-- Nothing for PUBLIC (a NULL proacl would mean EXECUTE for PUBLIC); pg_monitor gets the
-- read-only functions; the others are left for an administrator to grant.
SELECT p.proname FROM pg_proc AS p
WHERE p.pronamespace = 'pgcdc'::regnamespace AND p.proacl IS NULL;
SELECT p.proname, coalesce(g.rolname, 'PUBLIC') AS grantee, a.privilege_type
FROM pg_proc AS p CROSS JOIN LATERAL aclexplode(p.proacl) AS a LEFT JOIN pg_roles AS g ON g.oid = a.grantee
WHERE p.pronamespace = 'pgcdc'::regnamespace AND a.grantee <> p.proowner
ORDER BY p.proname, grantee;
-- Anyone may look into the schema; what they may call is decided per function.
SELECT has_schema_privilege('public', 'pgcdc', 'USAGE') AS public_usage;

-- The script can be dropped and installed again; there is one version so far, so no update
-- path to test yet (when 1.1 comes, CREATE EXTENSION pgcdc VERSION '1.0' and ALTER EXTENSION
-- pgcdc UPDATE belong here).
DROP EXTENSION pgcdc;
SELECT count(*) AS schemas_left FROM pg_namespace WHERE nspname = 'pgcdc';
SELECT count(*) AS functions_left FROM pg_proc WHERE proname IN ('slot_health', 'drop_stale_slots', 'preflight');
CREATE EXTENSION pgcdc;
SELECT version FROM pg_available_extension_versions WHERE name = 'pgcdc' ORDER BY version;
ALTER EXTENSION pgcdc UPDATE;

-- Helpers for the suite.
CREATE SCHEMA pgcdc_t;

-- Waits (up to 30s) for a slot to become active or inactive, e.g. for a pg_recvlogical that a
-- test started or stopped in the background; true when it did.
CREATE FUNCTION pgcdc_t.wait_active(slot name, want boolean) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..300 LOOP
    IF EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = slot AND active = want) THEN
      RETURN true;
    END IF;
    PERFORM pg_sleep(0.1);
  END LOOP;
  RETURN false;
END
$$;

-- Waits (up to 30s) until an active slot's consumer has confirmed everything written before.
CREATE FUNCTION pgcdc_t.wait_confirmed(slot name, upto pg_lsn) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..300 LOOP
    IF EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = slot AND confirmed_flush_lsn >= upto) THEN
      RETURN true;
    END IF;
    PERFORM pg_sleep(0.1);
  END LOOP;
  RETURN false;
END
$$;

-- Waits (up to 30s) until the WAL is flushed up to lsn.
CREATE FUNCTION pgcdc_t.wait_flushed(upto pg_lsn) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..300 LOOP
    IF pg_current_wal_flush_lsn() >= upto THEN
      RETURN true;
    END IF;
    PERFORM pg_sleep(0.1);
  END LOOP;
  RETURN false;
END
$$;

-- Masks what differs from run to run in reasons: the sizes and transaction ages measured (the
-- thresholds, chosen by the tests, stay).
CREATE FUNCTION pgcdc_t.mask(reasons text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(regexp_replace(regexp_replace(r,
           '(retains|retaining|the last) [0-9.]+ (bytes|kB|MB|GB|TB)', '\1 SIZE', 'g'),
           '[0-9]+ transactions old, [0-9.]+%', 'N transactions old, P%', 'g') ORDER BY n), '{}')
  FROM unnest(reasons) WITH ORDINALITY AS u(r, n)
$$;
SELECT pgcdc_t.mask(ARRAY['retains 12 MB of WAL (warning from 1024 kB)',
                          'its consumer has not confirmed the last 512 bytes of WAL (warning from 1 bytes)',
                          'catalog_xmin is 1234 transactions old, 0.0% of the way to the wraparound limit: x (warning from 3)']);
SELECT pgcdc_t.mask('{}') AS empty;

-- Waits (up to 30s) until another session holds (granted) or waits for (not granted) the
-- advisory lock key: the drop_stale_slots test pauses the function with its test hook.
CREATE FUNCTION pgcdc_t.wait_advisory(key bigint, granted boolean) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..300 LOOP
    IF EXISTS (SELECT FROM pg_locks AS l
               WHERE l.locktype = 'advisory' AND l.classid = 0 AND l.objid::bigint = key
                 AND l.objsubid = 1 AND l.granted = wait_advisory.granted
                 AND l.pid <> pg_backend_pid()) THEN
      RETURN true;
    END IF;
    PERFORM pg_sleep(0.1);
  END LOOP;
  RETURN false;
END
$$;

-- True on servers that have output_plugin_libraries (15.19+, 16.15+, 17.11+, 18.6+).
CREATE FUNCTION pgcdc_t.has_plugin_list() RETURNS boolean
LANGUAGE sql AS $$ SELECT current_setting('output_plugin_libraries', true) IS NOT NULL $$;
