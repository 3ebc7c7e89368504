-- pgcdc.drop_stale_slots(): lists (dry run, the default) or drops the slots nobody reads; never
-- an active slot, physical ones only when asked, every drop logged. (Lost slots: slot_lost;
-- who may drop: privileges.)
SET synchronous_commit = on;
\set SHOW_CONTEXT never

CREATE TABLE ds_t (id int, pad text);
-- Old slots, about 1MB of WAL behind once the inserts below are written (ds_mine is this
-- session's temporary slot, in use by this session) ...
SELECT 'init' FROM pg_create_logical_replication_slot('ds_old_pgcdc', 'pgcdc');
SELECT 'init' FROM pg_create_logical_replication_slot('ds_old_td', 'test_decoding');
SELECT 'init' FROM pg_create_logical_replication_slot('ds_mine', 'test_decoding', true);
SELECT 'init' FROM pg_create_physical_replication_slot('ds_phys', true);
INSERT INTO ds_t SELECT g, repeat('x', 100) FROM generate_series(1, 6000) AS g;
-- ... and fresh ones that retain next to nothing.
SELECT 'init' FROM pg_create_logical_replication_slot('ds_fresh', 'test_decoding');
SELECT 'init' FROM pg_create_logical_replication_slot('ds_held', 'pgcdc');

-- ds_held is in use by a consumer: pg_recvlogical in the background.
SELECT current_database() AS db \gset
\setenv PGDATABASE :db
\! timeout 120 pg_recvlogical -d "$PGDATABASE" -S ds_held --start --no-loop -f - >/dev/null 2>&1 & echo $! >ds_held.pid
SELECT pgcdc_t.wait_active('ds_held', true);

-- The dry run: the old inactive logical slots would go; ds_mine is listed but skipped, being
-- in use; ds_fresh and ds_held retain too little; ds_phys is physical.
SELECT slot_name, slot_type, database, retained_bytes > pg_size_bytes('512kB') AS retains_it,
       action, regexp_replace(reason, 'retaining [0-9.]+ (bytes|kB|MB)', 'retaining SIZE') AS reason
FROM pgcdc.drop_stale_slots(pg_size_bytes('512kB'), NULL);
-- With no minimum every logical slot is a candidate, and the active ones are still skipped.
SELECT slot_name, action, regexp_replace(reason, 'retaining [0-9.]+ (bytes|kB|MB)', 'retaining SIZE') AS reason
FROM pgcdc.drop_stale_slots(0, NULL);
-- A dry run drops nothing.
SELECT slot_name FROM pg_replication_slots ORDER BY slot_name;

-- How long a slot has been inactive is known from PostgreSQL 17 on: with min_inactive, before
-- 17 a slot is skipped because nobody knows, from 17 because it has not been inactive that long.
SELECT slot_name, action,
       CASE WHEN current_setting('server_version_num')::int >= 170000
            THEN reason = format('inactive for less than min_inactive (%s)', interval '1 hour')
            ELSE reason = 'inactive for an unknown time: pg_replication_slots.inactive_since needs'
                          || ' PostgreSQL 17 (pass min_inactive => NULL to decide on retained WAL alone)'
       END AS reason_as_expected
FROM pgcdc.drop_stale_slots(pg_size_bytes('512kB'), '1 hour', slot_name_like => 'ds\_old%');

-- slot_name_like narrows it down (LIKE: _ must be escaped to mean itself).
SELECT slot_name, action FROM pgcdc.drop_stale_slots(0, NULL, slot_name_like => 'ds\_old\_t%');

-- The real run drops the old inactive slots, logs each drop, and leaves the rest alone; then
-- with no minimum it drops ds_fresh too, and still not the slots in use.
SET client_min_messages = log;
\set VERBOSITY terse
SELECT slot_name, action, regexp_replace(reason, 'retaining [0-9.]+ (bytes|kB|MB)', 'retaining SIZE') AS reason
FROM pgcdc.drop_stale_slots(pg_size_bytes('512kB'), NULL, dry_run => false);
SELECT slot_name, active FROM pg_replication_slots ORDER BY slot_name;
SELECT slot_name, action, regexp_replace(reason, 'retaining [0-9.]+ (bytes|kB|MB)', 'retaining SIZE') AS reason
FROM pgcdc.drop_stale_slots(0, NULL, dry_run => false);
RESET client_min_messages;
\set VERBOSITY default
SELECT slot_name, active FROM pg_replication_slots ORDER BY slot_name;

-- Physical slots only when asked.
SELECT slot_name, slot_type, action FROM pgcdc.drop_stale_slots(0, NULL, false, include_physical => true);
SELECT slot_name, active FROM pg_replication_slots ORDER BY slot_name;

-- Once its consumer is gone, ds_held is stale like the others.
\! kill $(cat ds_held.pid)
SELECT pgcdc_t.wait_active('ds_held', false);
SELECT slot_name, action FROM pgcdc.drop_stale_slots(0, NULL, dry_run => false, slot_name_like => 'ds\_held');

-- Each slot is read again just before it is decided on: one that a consumer used after the
-- listing is kept, even if the consumer has gone again. The test hook pgcdc_test.pause_lock
-- makes the loop wait at that point, between the listing and the second reading, for an
-- advisory lock that a second session holds while it reads the slot (pg_logical_slot_get_changes:
-- active, then idle again).
SELECT 'init' FROM pg_create_logical_replication_slot('ds_race', 'test_decoding');
INSERT INTO ds_t VALUES (0, 'for ds_race to read');
\! timeout 60 psql -X -q -At -c "SELECT 'holds the lock' FROM pg_advisory_lock(8421)" -c "SELECT 'sees drop_stale_slots wait: ' || pgcdc_t.wait_advisory(8421, false)" -c "SELECT 'read the slot: ' || (count(*) > 0) FROM pg_logical_slot_get_changes('ds_race', NULL, NULL)" -c "SELECT 'let go: ' || pg_advisory_unlock(8421)" >ds_race.out 2>&1 & echo $! >ds_race.pid
SELECT pgcdc_t.wait_advisory(8421, true) AS other_session_holds_the_lock;
SET pgcdc_test.pause_lock = 8421;
SELECT slot_name, action, reason FROM pgcdc.drop_stale_slots(0, NULL, dry_run => false, slot_name_like => 'ds\_race');
RESET pgcdc_test.pause_lock;
\! while kill -0 $(cat ds_race.pid) 2>/dev/null; do sleep 0.1; done; cat ds_race.out
SELECT slot_name, active FROM pg_replication_slots WHERE slot_name = 'ds_race';
-- Unused since, it goes.
SELECT slot_name, action FROM pgcdc.drop_stale_slots(0, NULL, dry_run => false, slot_name_like => 'ds\_race');

-- An unexpected error on one slot (here a directory in the way of the rename with which
-- PostgreSQL drops a slot) becomes that slot's row and a WARNING: the other slots are still
-- handled, every row comes back, and the error is not raised again at the end (it would throw
-- away the rows of the slots already dropped).
SELECT 'init' FROM pg_create_logical_replication_slot('ds_err_a', 'test_decoding');
SELECT 'init' FROM pg_create_logical_replication_slot('ds_err_b', 'test_decoding');
SELECT 'init' FROM pg_create_logical_replication_slot('ds_err_c', 'test_decoding');
SELECT current_setting('data_directory') AS datadir \gset
\setenv PGCDC_DATADIR :datadir
\! mkdir -p "$PGCDC_DATADIR/pg_replslot/ds_err_b.tmp/in_the_way"
SELECT slot_name, action, regexp_replace(reason, 'retaining [0-9.]+ (bytes|kB|MB)', 'retaining SIZE') AS reason
FROM pgcdc.drop_stale_slots(0, NULL, dry_run => false, slot_name_like => 'ds\_err\_%');
SELECT slot_name, active FROM pg_replication_slots WHERE slot_name LIKE 'ds\_err\_%';
\! rm -r "$PGCDC_DATADIR/pg_replslot/ds_err_b.tmp"
SELECT slot_name, action FROM pgcdc.drop_stale_slots(0, NULL, dry_run => false, slot_name_like => 'ds\_err\_%');

-- (Before the errors below: an error drops the session's temporary slots.)
SELECT pg_drop_replication_slot('ds_mine');
SELECT count(*) AS slots_left FROM pg_replication_slots;

-- Nothing to do is an empty result, not an error; NULLs are refused.
SELECT count(*) FROM pgcdc.drop_stale_slots(0, NULL, dry_run => false);
SELECT * FROM pgcdc.drop_stale_slots(NULL, NULL);
SELECT * FROM pgcdc.drop_stale_slots(0, NULL, dry_run => NULL);
DROP TABLE ds_t;
