-- TRUNCATE: one T per truncated table that passes the filters; cascade and restart_identity.
SET synchronous_commit = on;

CREATE TABLE tr_a (id int PRIMARY KEY);
CREATE TABLE tr_b (id int PRIMARY KEY, a int REFERENCES tr_a);
CREATE TABLE tr_c (id serial PRIMARY KEY);
SELECT 'init' FROM pg_create_logical_replication_slot('truncate', 'pgcdc');

TRUNCATE tr_c;
TRUNCATE tr_c RESTART IDENTITY;
TRUNCATE tr_a CASCADE;
TRUNCATE tr_a, tr_b, tr_c RESTART IDENTITY CASCADE;
SELECT * FROM pgcdc_test.peek('truncate');
-- Filters apply per table; a truncate of only filtered tables writes nothing.
SELECT * FROM pgcdc_test.peek('truncate', 'exclude-tables', 'public.tr_b, public.tr_c');
-- Without the truncate action there is nothing at all.
SELECT count(*) FROM pgcdc_test.peek('truncate', 'actions', 'insert,update,delete');
SELECT * FROM pgcdc_test.changes('truncate', 'include-lsn', '1', 'include-transaction', 'false');

-- A partitioned table: one T per partition (records name partitions, as I/U/D records do).
CREATE TABLE tr_p (grp int, id int) PARTITION BY LIST (grp);
CREATE TABLE tr_p1 PARTITION OF tr_p FOR VALUES IN (1);
CREATE TABLE tr_p2 PARTITION OF tr_p FOR VALUES IN (2);
INSERT INTO tr_p VALUES (1, 1), (2, 2);
TRUNCATE tr_p;
SELECT * FROM pgcdc_test.changes('truncate');

SELECT pg_drop_replication_slot('truncate');
DROP TABLE tr_b, tr_a, tr_c, tr_p;
