-- Who may call what. Nothing is SECURITY DEFINER: roles get EXECUTE from an administrator
-- (pg_monitor has the read-only functions), and dropping or advancing a slot also needs
-- superuser or REPLICATION, as pg_drop_replication_slot() itself does.
SET synchronous_commit = on;
\set SHOW_CONTEXT never

CREATE ROLE regress_pgcdc_plain;
CREATE ROLE regress_pgcdc_monitor IN ROLE pg_monitor;
CREATE ROLE regress_pgcdc_repl REPLICATION;
CREATE TABLE priv_t (id int PRIMARY KEY);
SELECT 'init' FROM pg_create_logical_replication_slot('priv_slot', 'pgcdc');

-- A plain role: a permission error from every function, not a partial result.
SET ROLE regress_pgcdc_plain;
SELECT count(*) FROM pgcdc.slot_health();
SELECT count(*) FROM pgcdc.metrics();
SELECT count(*) FROM pgcdc.preflight();
SELECT count(*) FROM pgcdc.drop_stale_slots(0, NULL);
SELECT count(*) FROM pgcdc.advance_slot('priv_slot', '0/1');
SELECT pgcdc.heartbeat();
RESET ROLE;

-- A pg_monitor member reads everything, pg_wal's size included, and changes nothing.
SET ROLE regress_pgcdc_monitor;
SELECT slot_name, status, reasons FROM pgcdc.slot_health();
SELECT metric, value IS NOT NULL AS known FROM pgcdc.metrics();
SELECT "check", status, detail FROM pgcdc.preflight() WHERE "check" = 'replication_privilege';
SELECT count(*) FROM pgcdc.drop_stale_slots(0, NULL);
SELECT count(*) FROM pgcdc.advance_slot('priv_slot', '0/1');
SELECT pgcdc.heartbeat();
RESET ROLE;

-- A REPLICATION role may use slots, but has no EXECUTE (nor the read-only functions: it is not
-- in pg_monitor) until an administrator grants it.
SET ROLE regress_pgcdc_repl;
SELECT count(*) FROM pgcdc.drop_stale_slots(0, NULL);
SELECT count(*) FROM pgcdc.slot_health();
RESET ROLE;
GRANT EXECUTE ON FUNCTION pgcdc.drop_stale_slots(bigint, interval, boolean, boolean, text),
                          pgcdc.advance_slot(name, pg_lsn, text), pgcdc.heartbeat(text)
  TO regress_pgcdc_repl;
INSERT INTO priv_t VALUES (1);
SELECT pg_current_wal_lsn() AS target \gset
INSERT INTO priv_t VALUES (2);
SET ROLE regress_pgcdc_repl;
SELECT pgcdc.heartbeat() IS NOT NULL AS beat;
SELECT slot_name, end_lsn = :'target' AS advanced FROM pgcdc.advance_slot('priv_slot', :'target');
SELECT slot_name, action FROM pgcdc.drop_stale_slots(0, NULL, dry_run => false);
RESET ROLE;
SELECT count(*) AS slots_left FROM pg_replication_slots;

-- EXECUTE without REPLICATION: a dry run works; dropping or advancing is refused before
-- anything happens.
SELECT 'init' FROM pg_create_logical_replication_slot('priv_slot2', 'pgcdc');
GRANT EXECUTE ON FUNCTION pgcdc.drop_stale_slots(bigint, interval, boolean, boolean, text),
                          pgcdc.advance_slot(name, pg_lsn, text)
  TO regress_pgcdc_plain;
SET ROLE regress_pgcdc_plain;
SELECT slot_name, action FROM pgcdc.drop_stale_slots(0, NULL);
SELECT slot_name, action FROM pgcdc.drop_stale_slots(0, NULL, dry_run => false);
SELECT * FROM pgcdc.advance_slot('priv_slot2', :'target');
RESET ROLE;
SELECT slot_name FROM pg_replication_slots;

-- metrics() outside pg_monitor: pg_wal's size is unknown to the caller (NULL, not an error).
GRANT EXECUTE ON FUNCTION pgcdc.metrics() TO regress_pgcdc_plain;
SET ROLE regress_pgcdc_plain;
SELECT metric, value IS NOT NULL AS known FROM pgcdc.metrics();
RESET ROLE;

-- search_path is pinned: functions a caller puts before pg_catalog are not used. (Here they
-- would make every retained size 0 bytes and every reason 'hacked'.)
CREATE SCHEMA priv_evil;
CREATE FUNCTION priv_evil.pg_wal_lsn_diff(pg_lsn, pg_lsn) RETURNS numeric LANGUAGE sql AS 'SELECT 0::numeric';
CREATE FUNCTION priv_evil.pg_size_pretty(bigint) RETURNS text LANGUAGE sql AS $$ SELECT 'hacked' $$;
SET search_path = priv_evil, pg_catalog;
SELECT pg_wal_lsn_diff('0/2', '0/1') AS shadowed, pg_size_pretty(1::bigint) AS shadowed;
SELECT slot_name, retained_bytes > 0 AS measured, pgcdc_t.mask(reasons) AS reasons
FROM pgcdc.slot_health(retained_warning => 1);
SELECT slot_name, retained_bytes > 0 AS measured, regexp_replace(reason, '[0-9.]+ (bytes|kB)', 'SIZE') AS reason
FROM pgcdc.drop_stale_slots(1, NULL);
RESET search_path;
DROP SCHEMA priv_evil CASCADE;

SELECT pg_drop_replication_slot('priv_slot2');
REVOKE ALL ON FUNCTION pgcdc.drop_stale_slots(bigint, interval, boolean, boolean, text),
                       pgcdc.advance_slot(name, pg_lsn, text), pgcdc.heartbeat(text), pgcdc.metrics()
  FROM regress_pgcdc_plain, regress_pgcdc_repl;
DROP ROLE regress_pgcdc_plain;
DROP ROLE regress_pgcdc_monitor;
DROP ROLE regress_pgcdc_repl;
DROP TABLE priv_t;
