-- Savepoints, rollbacks, empty and filtered transactions, prepared transactions, large ones.
SET synchronous_commit = on;

CREATE TABLE tx (id int PRIMARY KEY, v text);
CREATE TABLE tx_other (id int PRIMARY KEY);
SELECT 'init' FROM pg_create_logical_replication_slot('transactions', 'pgcdc');

-- Savepoints: rolled-back subtransactions vanish, released ones stay; n counts what is written.
BEGIN;
INSERT INTO tx VALUES (1, 'kept');
SAVEPOINT a;
INSERT INTO tx VALUES (2, 'rolled back');
ROLLBACK TO a;
INSERT INTO tx VALUES (3, 'kept');
SAVEPOINT b;
UPDATE tx SET v = 'released' WHERE id = 3;
RELEASE b;
COMMIT;
-- An aborted transaction writes nothing.
BEGIN;
INSERT INTO tx VALUES (4, 'aborted');
ROLLBACK;
SELECT * FROM pgcdc_test.changes('transactions');

-- Empty transactions (DDL only) and transactions whose changes are all filtered out write
-- nothing by default, B and C with n = 0 with skip-empty-transactions off.
CREATE TABLE tx_ddl (id int);
INSERT INTO tx_other VALUES (1);
SELECT * FROM pgcdc_test.peek('transactions', 'exclude-tables', 'public.tx_other');
SELECT * FROM pgcdc_test.peek('transactions', 'exclude-tables', 'public.tx_other', 'skip-empty-transactions', 'false');
SELECT * FROM pgcdc_test.peek('transactions', 'exclude-tables', 'public.tx_other', 'skip-empty-xacts', '0',
                              'include-transaction', '0');
-- Skipping still moves the slot past those transactions.
SELECT confirmed_flush_lsn AS before_lsn FROM pg_replication_slots WHERE slot_name = 'transactions' \gset
SELECT count(*) FROM pgcdc_test.changes('transactions', 'exclude-tables', 'public.tx_other');
SELECT confirmed_flush_lsn > :'before_lsn' AS advanced FROM pg_replication_slots WHERE slot_name = 'transactions';
DROP TABLE tx_ddl;

-- Prepared transactions are written when they commit, not when they are prepared.
BEGIN;
INSERT INTO tx VALUES (20, 'prepared');
PREPARE TRANSACTION 'p1';
SELECT count(*) AS before_commit_prepared FROM pgcdc_test.peek('transactions');
COMMIT PREPARED 'p1';
BEGIN;
INSERT INTO tx VALUES (21, 'prepared, rolled back');
PREPARE TRANSACTION 'p2';
ROLLBACK PREPARED 'p2';
SELECT * FROM pgcdc_test.changes('transactions');

-- A transaction larger than logical_decoding_work_mem (64kB here) spills to disk and comes
-- back whole, in order.
INSERT INTO tx SELECT g, repeat('v', 100) FROM generate_series(1000, 5999) g;
CREATE TEMP TABLE big AS
  SELECT ordinality AS pos, data::jsonb AS r FROM pg_logical_slot_get_changes('transactions', NULL, NULL) WITH ORDINALITY;
SELECT count(*) AS records,
       count(*) FILTER (WHERE r->>'op' = 'I') AS inserts,
       (SELECT (r->>'n')::int FROM big WHERE r->>'op' = 'C') AS n,
       bool_and((r->'new'->>'id')::int = pos + 998) FILTER (WHERE r->>'op' = 'I') AS in_order
FROM big;
SELECT spill_txns > 0 AS spilled FROM pg_stat_replication_slots WHERE slot_name = 'transactions';

-- A large transaction that had aborted before it was decoded, with a released subtransaction
-- that wrote rows: PostgreSQL 18 drops its changes once they outgrow logical_decoding_work_mem,
-- marks the subtransaction as streamed, and then asks the plugin to abort a stream it never
-- started (src/plugin/plugin.cpp, pgcdc_stream_abort_unstreamed). It writes nothing, and the
-- transaction after it comes through.
BEGIN;
SAVEPOINT s;
INSERT INTO tx VALUES (30, 'in a released savepoint, aborted');
RELEASE s;
INSERT INTO tx SELECT g, repeat('a', 100) FROM generate_series(10000, 12999) g;
ROLLBACK;
INSERT INTO tx VALUES (31, 'after the aborted one');
SELECT * FROM pgcdc_test.changes('transactions');

SELECT pg_drop_replication_slot('transactions');
DROP TABLE tx, tx_other;
