-- Bad options are errors that name the option (and accepted values or the position of the
-- problem), raised when decoding starts, and they lose nothing: the slot is left where it was.
SET synchronous_commit = on;

CREATE TABLE badopt (id int PRIMARY KEY);
SELECT 'init' FROM pg_create_logical_replication_slot('bad_options', 'pgcdc');
INSERT INTO badopt VALUES (1);

\set VERBOSITY default
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'include-xids', '1');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'include_lsn', '1');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'include-lsn', '1', 'include-lsn', '0');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'skip-empty-xacts', '1',
                                                 'skip-empty-transactions', '1');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'include-transaction', 'maybe');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'include-lsn', '');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'include-types', '2');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'only-local', 'o');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'skip-empty-transactions', 'yess');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'numeric', 'float');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'bytea', 'escape');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'actions', 'insert,upsert');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'actions', 'insert,,delete');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'include-tables', 'badopt');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'include-tables', 'public.a, public');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'exclude-tables', 'public.a.b');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'add-tables', 'public.a,,public.b');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'filter-tables', '');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'include-tables', 'public.\x');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'include-tables', 'public.x\');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'include-tables', '.x');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'exclude-columns', 'public.badopt');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'exclude-columns', 'a.b.c.d');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'include-message-prefixes', 'a,');
SELECT count(*) FROM pg_logical_slot_get_changes('bad_options', NULL, NULL, 'filter-msg-prefixes', 'a\b');

-- Options are checked at startup, even when there is nothing to decode.
SELECT count(*) FROM pg_logical_slot_peek_changes('bad_options', '0/0', NULL, 'bytea', 'hexx');

-- Nothing was lost: the insert is still there.
SELECT * FROM pgcdc_test.changes('bad_options');

SELECT pg_drop_replication_slot('bad_options');
DROP TABLE badopt;
