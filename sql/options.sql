-- Every option, with its default and its aliases.
SET synchronous_commit = on;

CREATE TABLE opt (id int PRIMARY KEY, name varchar(20), amount numeric(8,2), data bytea, at timestamptz(3));
CREATE TABLE opt_other (id int PRIMARY KEY);
SELECT 'init' FROM pg_create_logical_replication_slot('options', 'pgcdc');

INSERT INTO opt VALUES (1, 'ann', 12.50, '\x68656c6c6f', '2026-11-21 10:00:00.5+00');
UPDATE opt SET amount = -0.01 WHERE id = 1;
INSERT INTO opt_other VALUES (1);
DELETE FROM opt_other;
SELECT 'm' FROM pg_logical_emit_message(true, 'app', 'msg');
TRUNCATE opt_other;

-- Defaults.
SELECT * FROM pgcdc_test.peek('options');
-- include-transaction
SELECT * FROM pgcdc_test.peek('options', 'include-transaction', 'false');
-- include-lsn (masked to "-" by the helper only when it has the X/X shape) ...
SELECT * FROM pgcdc_test.peek('options', 'include-lsn', 'true', 'include-transaction', 'off');
-- ... and it is the change's own position, the lsn column of the SQL interface.
SELECT bool_and((data::jsonb->>'lsn')::pg_lsn = lsn) AS lsn_is_the_changes, count(*)
FROM pg_logical_slot_peek_changes('options', NULL, NULL, 'include-lsn', '1', 'include-transaction', '0');
-- (An option given without a value, which means true for a boolean, can only come through the
-- replication protocol: test/stream checks it with pg_recvlogical -o include-lsn.)
-- include-types
SELECT * FROM pgcdc_test.peek('options', 'include-types', 'yes', 'include-transaction', 'no',
                              'include-tables', 'public.opt');
-- include-tables / add-tables, exclude-tables / filter-tables
SELECT * FROM pgcdc_test.peek('options', 'include-tables', 'public.opt_other');
SELECT * FROM pgcdc_test.peek('options', 'add-tables', 'public.opt*', 'filter-tables', 'public.opt');
-- exclude-columns
SELECT * FROM pgcdc_test.peek('options', 'exclude-columns', 'public.opt.data, public.opt.at', 'include-types', '1',
                              'include-transaction', '0');
-- actions
SELECT * FROM pgcdc_test.peek('options', 'actions', 'delete, truncate', 'include-transaction', '0');
SELECT * FROM pgcdc_test.peek('options', 'actions', 'message', 'include-transaction', '0');
-- numeric
SELECT * FROM pgcdc_test.peek('options', 'numeric', 'string', 'include-tables', 'public.opt', 'include-transaction', 'f');
-- bytea
SELECT * FROM pgcdc_test.peek('options', 'bytea', 'base64', 'include-tables', 'public.opt', 'include-transaction', 'f',
                              'actions', 'insert');
SELECT convert_from(decode(data::jsonb->'new'->>'data', 'base64'), 'UTF8') AS decoded
FROM pg_logical_slot_peek_changes('options', NULL, NULL, 'bytea', 'base64', 'include-tables', 'public.opt',
                                  'include-transaction', 'f', 'actions', 'insert');
-- skip-empty-transactions / skip-empty-xacts
SELECT * FROM pgcdc_test.peek('options', 'include-tables', 'public.nothing', 'skip-empty-transactions', 'off');
SELECT * FROM pgcdc_test.peek('options', 'include-tables', 'public.nothing', 'skip-empty-xacts', 'on');

-- only-local: changes that came from a replication origin are skipped.
SELECT pg_replication_origin_create('remote_origin') > 0 AS origin_created;
SELECT count(*) AS consumed FROM pgcdc_test.changes('options');
SELECT pg_replication_origin_session_setup('remote_origin');
INSERT INTO opt VALUES (2, 'from remote', 1, NULL, NULL);
SELECT 'm' FROM pg_logical_emit_message(true, 'app', 'from remote');
SELECT pg_replication_origin_session_reset();
INSERT INTO opt VALUES (3, 'local', 1, NULL, NULL);
SELECT * FROM pgcdc_test.peek('options', 'only-local', 'true');
SELECT * FROM pgcdc_test.peek('options', 'only-local', 'false');
SELECT pg_replication_origin_drop('remote_origin');

SELECT pg_drop_replication_slot('options');
DROP TABLE opt, opt_other;
