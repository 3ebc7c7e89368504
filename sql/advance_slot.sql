-- pgcdc.advance_slot(): a deliberate, logged skip; the consumer never sees the changes skipped.
-- Forward only, never past the current position, not for a slot in use. (Lost slots: slot_lost;
-- who may advance: privileges; another database's slot: slot_names.)
SET synchronous_commit = on;
\set SHOW_CONTEXT never

CREATE TABLE adv_t (id int PRIMARY KEY);
SELECT 'init' FROM pg_create_logical_replication_slot('adv', 'pgcdc');
SELECT confirmed_flush_lsn AS start_lsn FROM pg_replication_slots WHERE slot_name = 'adv' \gset
INSERT INTO adv_t VALUES (1);
INSERT INTO adv_t VALUES (2);
SELECT pg_current_wal_lsn() AS mid \gset
INSERT INTO adv_t VALUES (3);

-- Skip the first two inserts.
SELECT slot_name, slot_type, previous_lsn = :'start_lsn' AS from_start, end_lsn = :'mid' AS to_mid,
       skipped_bytes = pg_wal_lsn_diff(:'mid', :'start_lsn') AS skipped_bytes
FROM pgcdc.advance_slot('adv', :'mid', reason => 'ticket 42: consumer reloaded from a snapshot');
-- The consumer now only gets the third insert.
SELECT data::jsonb ->> 'op' AS op, data::jsonb -> 'new' AS new
FROM pg_logical_slot_peek_changes('adv', NULL, NULL, 'include-transaction', 'off');
SELECT confirmed_flush_lsn = :'mid' AS at_mid FROM pg_replication_slots WHERE slot_name = 'adv';
-- The server log has it, with the positions, the role and the reason (this suite's log is
-- log/postmaster.log in the directory pg_regress runs psql in).
\! grep -A1 'pg_regress/advance_slot LOG:  pgcdc: advanced replication slot' log/postmaster.log | sed -e 's/^.*\(LOG\|DETAIL\): */\1: /' -e 's/[0-9A-F]*\/[0-9A-F]*/X\/X/g' -e 's/([0-9]* bytes/(N bytes/' -e 's/by role "[^"]*"/by role R/'

-- To where it already is: nothing skipped.
SELECT skipped_bytes, end_lsn = :'mid' AS still_mid FROM pgcdc.advance_slot('adv', :'mid');

-- A physical slot moves its restart_lsn; this session's own temporary slot may be advanced.
-- (The inserts make sure the target is flushed: the server stops at the flushed position.)
SELECT 'init' FROM pg_create_physical_replication_slot('adv_phys', true);
SELECT 'init' FROM pg_create_logical_replication_slot('adv_mine', 'test_decoding', true);
SELECT restart_lsn AS phys_start FROM pg_replication_slots WHERE slot_name = 'adv_phys' \gset
INSERT INTO adv_t VALUES (4);
SELECT pg_current_wal_lsn() AS target \gset
INSERT INTO adv_t VALUES (5);
SELECT slot_type, previous_lsn = :'phys_start' AS from_start, end_lsn = :'target' AS to_target, skipped_bytes > 0 AS skipped
FROM pgcdc.advance_slot('adv_phys', :'target');
SELECT restart_lsn = :'target' AS moved FROM pg_replication_slots WHERE slot_name = 'adv_phys';
SELECT slot_name, end_lsn = :'target' AS to_target FROM pgcdc.advance_slot('adv_mine', :'target');
-- (Before the errors below: an error drops the session's temporary slots.)
SELECT pg_drop_replication_slot('adv_mine');

-- Backwards, beyond the current position, unknown slots, NULLs: errors that say so.
\set VERBOSITY terse
SELECT * FROM pgcdc.advance_slot('adv', '0/1');
SELECT * FROM pgcdc.advance_slot('adv', 'FFFFFFFF/0');
\set VERBOSITY default
SELECT * FROM pgcdc.advance_slot('no_such_slot', '0/1');
SELECT * FROM pgcdc.advance_slot(NULL, '0/1');
SELECT * FROM pgcdc.advance_slot('adv', NULL);
SELECT confirmed_flush_lsn = :'mid' AS unmoved FROM pg_replication_slots WHERE slot_name = 'adv';

-- A slot in use by another session is refused.
SELECT current_database() AS db \gset
\setenv PGDATABASE :db
\! timeout 120 pg_recvlogical -d "$PGDATABASE" -S adv --start --no-loop -f - >/dev/null 2>&1 & echo $! >adv.pid
SELECT pgcdc_t.wait_active('adv', true);
SELECT * FROM pgcdc.advance_slot('adv', pg_current_wal_lsn());
\! kill $(cat adv.pid)
SELECT pgcdc_t.wait_active('adv', false);

SELECT pg_drop_replication_slot('adv');
SELECT pg_drop_replication_slot('adv_phys');
DROP TABLE adv_t;
