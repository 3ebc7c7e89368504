-- pgcdc.preflight() on a server that cannot do logical decoding (misconfigured.conf): wal_level
-- replica, one replication slot (taken below), no wal senders, pgcdc not an allowed plugin,
-- wal_sender_timeout 0, max_slot_wal_keep_size unlimited, 64kB of decoding memory. Next to
-- each hint, the error it quotes.
SET synchronous_commit = on;
\set SHOW_CONTEXT never
CREATE EXTENSION pgcdc;
SELECT 'init' FROM pg_create_physical_replication_slot('only_slot', true);

SELECT "check", status, detail, hint FROM pgcdc.preflight() WHERE "check" <> 'output_plugin_libraries';
-- (Servers without output_plugin_libraries allow every plugin.)
SELECT status = CASE WHEN has_list THEN 'error' ELSE 'ok' END AS status_as_expected,
       CASE WHEN has_list THEN hint END AS hint
FROM pgcdc.preflight() AS p,
     LATERAL (SELECT current_setting('output_plugin_libraries', true) IS NOT NULL) AS x(has_list)
WHERE p."check" = 'output_plugin_libraries';

-- The errors the hints quote.
SELECT pg_create_logical_replication_slot('pf_slot', 'pgcdc');
SELECT pg_create_physical_replication_slot('second_slot');
SELECT current_database() AS db \gset
\setenv PGDATABASE :db
\! psql -X "dbname=$PGDATABASE replication=database" -c IDENTIFY_SYSTEM 2>&1 | sed 's/^.*FATAL: */FATAL:  /'
CREATE ROLE regress_pgcdc_norepl IN ROLE pg_monitor;
SET ROLE regress_pgcdc_norepl;
SELECT "check", status, detail, hint FROM pgcdc.preflight() WHERE "check" = 'replication_privilege';
SELECT pg_drop_replication_slot('only_slot');
RESET ROLE;
DROP ROLE regress_pgcdc_norepl;

-- The other functions work on such a server too.
SELECT slot_name, slot_type, wal_status, status, reasons FROM pgcdc.slot_health();
SELECT metric, value FROM pgcdc.metrics() WHERE unit = 'Count';
SELECT pgcdc.heartbeat() IS NOT NULL AS beat;
SELECT slot_name, slot_type, action FROM pgcdc.drop_stale_slots(0, NULL, dry_run => false, include_physical => true);
SELECT "check", status, detail FROM pgcdc.preflight() WHERE "check" = 'replication_slots';
DROP EXTENSION pgcdc;
