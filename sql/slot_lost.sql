-- A slot that falls more than max_slot_wal_keep_size (32MB in this suite) behind: unreserved,
-- then lost at the next checkpoint. slot_health calls both critical, metrics no longer count its
-- WAL, drop_stale_slots drops a lost slot whatever it retains, advance_slot refuses it.
SET synchronous_commit = on;
\set SHOW_CONTEXT never
SHOW max_slot_wal_keep_size;

CREATE TABLE lost_t (id int);
SELECT 'init' FROM pg_create_logical_replication_slot('lost_one', 'test_decoding');
SELECT slot_name, wal_status, status, reasons FROM pgcdc.slot_health();

-- Four segment switches put its restart_lsn more than 32MB behind the current position; until
-- the next checkpoint its WAL is still there.
INSERT INTO lost_t VALUES (1);
SELECT pg_switch_wal() IS NOT NULL AS switched;
INSERT INTO lost_t VALUES (2);
SELECT pg_switch_wal() IS NOT NULL AS switched;
INSERT INTO lost_t VALUES (3);
SELECT pg_switch_wal() IS NOT NULL AS switched;
INSERT INTO lost_t VALUES (4);
SELECT pg_switch_wal() IS NOT NULL AS switched;
SELECT slot_name, wal_status, safe_wal_size <= 0 AS nothing_safe, retained_bytes > pg_size_bytes('32MB') AS beyond_keep_size,
       status, pgcdc_t.mask(reasons) AS reasons
FROM pgcdc.slot_health();
-- Which wal_status values are critical is a parameter.
SELECT slot_name, status, pgcdc_t.mask(reasons) AS reasons FROM pgcdc.slot_health(critical_wal_status => '{lost}');

-- The checkpoint invalidates it and removes its WAL: lost, and nothing retained any more. Its
-- catalog_xmin is still shown but no longer holds vacuum back, so no age is reported even with
-- a threshold of 0.
CHECKPOINT;
-- From PostgreSQL 17 on, the reason names the cause the server gives (invalidation_reason).
SELECT slot_name, wal_status, restart_lsn, retained_bytes, catalog_xmin_age IS NOT NULL AS shows_catalog_xmin,
       status, replace(reasons::text, 'lost (wal_removed):', 'lost:')::text[] AS reasons,
       (reasons::text LIKE '%lost (wal_removed):%') = (current_setting('server_version_num')::int >= 170000)
         AS cause_as_expected
FROM pgcdc.slot_health(xmin_age_warning => 0);
SELECT count(*) FROM pg_logical_slot_peek_changes('lost_one', NULL, NULL);
SELECT metric, value FROM pgcdc.metrics()
WHERE metric IN ('OldestReplicationSlotLag', 'ReplicationSlotDiskUsage', 'ReplicationSlots');

-- advance_slot cannot help it.
SELECT * FROM pgcdc.advance_slot('lost_one', pg_current_wal_lsn());

-- drop_stale_slots treats a lost slot as stale whatever min_retained_bytes asks for.
SELECT slot_name, retained_bytes, action, reason FROM pgcdc.drop_stale_slots(pg_size_bytes('1TB'), NULL);
SET client_min_messages = log;
\set VERBOSITY terse
SELECT slot_name, action, reason FROM pgcdc.drop_stale_slots(pg_size_bytes('1TB'), NULL, dry_run => false);
RESET client_min_messages;
\set VERBOSITY default
SELECT count(*) AS slots_left FROM pg_replication_slots;
DROP TABLE lost_t;
