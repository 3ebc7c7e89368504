-- Logical messages: transactional ones inside B/C, non-transactional ones alone.
SET synchronous_commit = on;

CREATE TABLE msg_t (id int PRIMARY KEY);
SELECT 'init' FROM pg_create_logical_replication_slot('messages', 'pgcdc');

SELECT 'm' FROM pg_logical_emit_message(false, 'app', 'non-transactional');
BEGIN;
SELECT 'm' FROM pg_logical_emit_message(true, 'app', 'in a transaction');
INSERT INTO msg_t VALUES (1);
COMMIT;
BEGIN;
SELECT 'm' FROM pg_logical_emit_message(true, 'app', 'rolled back: never written');
SELECT 'm' FROM pg_logical_emit_message(false, 'app', 'non-transactional survives the rollback');
ROLLBACK;
-- (Non-transactional messages do not flush the WAL, and the SQL functions only read flushed WAL:
-- the transactional messages after them make them visible.)
SELECT 'm' FROM pg_logical_emit_message(false, 'empty', '');
SELECT 'm' FROM pg_logical_emit_message(false, E'pr\u00e9"fix', 'x');
SELECT 'm' FROM pg_logical_emit_message(false, 'app.audit', 'dotted prefix');
SELECT 'm' FROM pg_logical_emit_message(true, 'bin', '\x00ff10'::bytea);
SELECT 'm' FROM pg_logical_emit_message(true, 'text', E'h\u00e9llo "q" \\ \n\t\u2603');
-- Content with a NUL byte is binary: PostgreSQL's text and jsonb cannot hold \u0000.
SELECT 'm' FROM pg_logical_emit_message(true, 'nul', '\x610062'::bytea);
SELECT * FROM pgcdc_test.peek('messages');

-- Base64 content decodes back to the bytes.
SELECT decode(data::jsonb->>'content', 'base64') AS bytes, data::jsonb->>'encoding' AS encoding
FROM pg_logical_slot_peek_changes('messages', NULL, NULL) WHERE data::jsonb->>'prefix' IN ('bin', 'nul');

-- Prefix filters (and their aliases); a transaction of filtered messages writes nothing.
SELECT * FROM pgcdc_test.peek('messages', 'include-message-prefixes', 'app, app.*');
SELECT * FROM pgcdc_test.peek('messages', 'add-msg-prefixes', 'app*', 'filter-msg-prefixes', 'app.audit');
SELECT * FROM pgcdc_test.peek('messages', 'exclude-message-prefixes', '*', 'include-transaction', 'off');
SELECT * FROM pgcdc_test.peek('messages', 'include-message-prefixes', 'b?n, nul', 'include-lsn', 'on');
SELECT count(*) FROM pgcdc_test.peek('messages', 'actions', 'insert');

SELECT pg_drop_replication_slot('messages');
DROP TABLE msg_t;
