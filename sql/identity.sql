-- Keys under every replica identity, with and without key changes.
SET synchronous_commit = on;

CREATE TABLE id_pk (id int PRIMARY KEY, v text);
CREATE TABLE id_pk2 (b int, a int, v text, PRIMARY KEY (a, b));
CREATE TABLE id_nopk (id int, v text);
CREATE TABLE id_index (a int NOT NULL, b int NOT NULL, v text);
CREATE UNIQUE INDEX id_index_ba ON id_index (b, a);
ALTER TABLE id_index REPLICA IDENTITY USING INDEX id_index_ba;
CREATE TABLE id_full_pk (id int PRIMARY KEY, v text, w int);
ALTER TABLE id_full_pk REPLICA IDENTITY FULL;
CREATE TABLE id_full (id int, v text);
ALTER TABLE id_full REPLICA IDENTITY FULL;
CREATE TABLE id_nothing (id int PRIMARY KEY, v text);
ALTER TABLE id_nothing REPLICA IDENTITY NOTHING;

SELECT 'init' FROM pg_create_logical_replication_slot('identity', 'pgcdc');

-- DEFAULT with a primary key: key from the new row when unchanged, the old key when changed.
INSERT INTO id_pk VALUES (1, 'a');
UPDATE id_pk SET v = 'b' WHERE id = 1;
UPDATE id_pk SET id = 2 WHERE id = 1;
DELETE FROM id_pk WHERE id = 2;
-- A composite key is written in the table's column order.
INSERT INTO id_pk2 VALUES (1, 2, 'x');
UPDATE id_pk2 SET v = 'y';
UPDATE id_pk2 SET b = 5;
DELETE FROM id_pk2;
SELECT * FROM pgcdc_test.changes('identity', 'include-transaction', 'off');

-- DEFAULT without a primary key, and NOTHING: U and D are still written, without "key".
INSERT INTO id_nopk VALUES (1, 'a');
UPDATE id_nopk SET v = 'b';
DELETE FROM id_nopk;
INSERT INTO id_nothing VALUES (1, 'a');
UPDATE id_nothing SET v = 'b';
DELETE FROM id_nothing;
SELECT * FROM pgcdc_test.changes('identity', 'include-transaction', 'off');

-- USING INDEX: the index's columns.
INSERT INTO id_index VALUES (1, 2, 'a');
UPDATE id_index SET v = 'b';
UPDATE id_index SET a = 3;
DELETE FROM id_index;
SELECT * FROM pgcdc_test.changes('identity', 'include-transaction', 'off');

-- FULL: "old" is the whole old row; "key" is the primary key, else the whole old row.
INSERT INTO id_full_pk VALUES (1, 'a', NULL);
UPDATE id_full_pk SET v = 'b', w = 7;
UPDATE id_full_pk SET id = 2;
DELETE FROM id_full_pk;
INSERT INTO id_full VALUES (1, 'a'), (1, 'a');
UPDATE id_full SET v = NULL;
DELETE FROM id_full;
SELECT * FROM pgcdc_test.changes('identity', 'include-transaction', 'off');

-- Changing the identity is picked up by the relation cache.
INSERT INTO id_nothing VALUES (5, 'e');
ALTER TABLE id_nothing REPLICA IDENTITY FULL;
UPDATE id_nothing SET v = 'f';
ALTER TABLE id_nothing REPLICA IDENTITY DEFAULT;
UPDATE id_nothing SET v = 'g';
SELECT * FROM pgcdc_test.changes('identity', 'include-transaction', 'off');

SELECT pg_drop_replication_slot('identity');
DROP TABLE id_pk, id_pk2, id_nopk, id_index, id_full_pk, id_full, id_nothing;
