-- pgcdc.heartbeat(): a non-transactional logical message, so slots on a quiet database have
-- something to read and advance; it returns the message's LSN.
SET synchronous_commit = on;
\set SHOW_CONTEXT never

SELECT 'init' FROM pg_create_logical_replication_slot('hb_td', 'test_decoding');
SELECT 'init' FROM pg_create_logical_replication_slot('hb_pgcdc', 'pgcdc');
SELECT confirmed_flush_lsn AS start_lsn FROM pg_replication_slots WHERE slot_name = 'hb_td' \gset

SELECT pgcdc.heartbeat() AS hb \gset
-- The WAL writer flushes it once the transaction has ended (so consumers can read it).
SELECT pgcdc_t.wait_flushed(:'hb');
-- test_decoding shows the message, non-transactional, at the LSN returned; the content is the
-- time of the call in ISO 8601, UTC.
SELECT lsn = :'hb' AS same_lsn,
       regexp_replace(data, 'content:.*$', 'content:-') AS data,
       data ~ 'content:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$' AS iso_utc,
       abs(extract(epoch FROM now() - substring(data FROM 'content:(.*)$')::timestamptz)) < 60 AS recent
FROM pg_logical_slot_peek_changes('hb_td', NULL, NULL);
-- pgcdc shows it as one M record, with no transaction around it.
SELECT data::jsonb - 'content' AS record, (data::jsonb ->> 'content')::timestamptz <= now() AS content_is_time
FROM pg_logical_slot_peek_changes('hb_pgcdc', NULL, NULL);

-- Consuming it moves the slot on, although no table changed.
SELECT count(*) FROM pg_logical_slot_get_changes('hb_td', NULL, NULL);
SELECT confirmed_flush_lsn >= :'hb' AS advanced, confirmed_flush_lsn > :'start_lsn' AS moved
FROM pg_replication_slots WHERE slot_name = 'hb_td';

-- Any prefix, taken as a value; non-transactional, so a rollback does not take it back.
BEGIN;
SELECT pgcdc.heartbeat(E'app''s "beat"; DROP TABLE x; --') IS NOT NULL AS emitted;
ROLLBACK;
SELECT pgcdc.heartbeat('after') AS hb2 \gset
SELECT pgcdc_t.wait_flushed(:'hb2');
SELECT regexp_replace(data, 'content:.*$', 'content:-') AS data FROM pg_logical_slot_get_changes('hb_td', NULL, NULL);

SELECT pgcdc.heartbeat(NULL);

SELECT pg_drop_replication_slot('hb_td');
SELECT pg_drop_replication_slot('hb_pgcdc');
