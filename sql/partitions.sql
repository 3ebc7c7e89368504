-- Partitioned tables: a filter naming a partitioned table covers its partitions (at every level,
-- truncates too), and partition-root names the root in records, with its columns, key and types.
SET synchronous_commit = on;

CREATE SCHEMA part;
-- The root has a dropped column, so even a partition created by PARTITION OF has another layout.
CREATE TABLE part.root (grp int, gone int, id int, name text, note text, PRIMARY KEY (grp, id))
  PARTITION BY LIST (grp);
ALTER TABLE part.root DROP COLUMN gone;
CREATE TABLE part.p1 PARTITION OF part.root FOR VALUES IN (1);
-- p2: its own column order and a dropped column of its own, attached later.
CREATE TABLE part.p2 (note text, dropme int, name text, id int NOT NULL, grp int NOT NULL);
ALTER TABLE part.p2 DROP COLUMN dropme;
-- p3: sub-partitioned; p3b attached later, at the second level.
CREATE TABLE part.p3 PARTITION OF part.root FOR VALUES IN (3, 4) PARTITION BY LIST (grp);
CREATE TABLE part.p3a PARTITION OF part.p3 FOR VALUES IN (3);
CREATE TABLE part.p3b (id int NOT NULL, grp int NOT NULL, note text, name text);
CREATE TABLE part.plain (id int PRIMARY KEY);
SELECT 'init' FROM pg_create_logical_replication_slot('partitions', 'pgcdc');

INSERT INTO part.root VALUES (1, 1, 'a', 'n1'), (3, 2, 'b', 'n2');
ALTER TABLE part.root ATTACH PARTITION part.p2 FOR VALUES IN (2);
INSERT INTO part.root VALUES (2, 3, 'c', 'n3');
UPDATE part.root SET name = 'c2' WHERE id = 3;
UPDATE part.root SET id = 30 WHERE id = 3;
DELETE FROM part.root WHERE id = 30;
-- row movement: a DELETE in p1 and an INSERT in p3a
UPDATE part.root SET grp = 3 WHERE id = 1;
ALTER TABLE part.p3 ATTACH PARTITION part.p3b FOR VALUES IN (4);
INSERT INTO part.root VALUES (4, 5, 'e', 'n5');
ALTER TABLE part.root DETACH PARTITION part.p2;
INSERT INTO part.p2 VALUES ('n6', 'f', 6, 2);
INSERT INTO part.plain VALUES (1);
TRUNCATE part.p3;
TRUNCATE part.root;
TRUNCATE part.p1;
TRUNCATE part.p2, part.plain;

-- Each partition's changes under its own name (the default).
SELECT * FROM pgcdc_test.peek('partitions', 'include-transaction', '0');
-- Naming the root covers every partition, at every level, while it is one, and TRUNCATE of the
-- root or of a sub-partitioned partition writes a T for each partition under it.
SELECT * FROM pgcdc_test.peek('partitions', 'include-transaction', '0', 'include-tables', 'part.root');
-- Naming a sub-partitioned partition covers its own partitions only.
SELECT * FROM pgcdc_test.peek('partitions', 'include-transaction', '0', 'include-tables', 'part.p3');
-- Exclusion of a parent covers its partitions and wins over an inclusion of the root.
SELECT * FROM pgcdc_test.peek('partitions', 'include-transaction', '0', 'include-tables', 'part.ro*',
                              'exclude-tables', 'part.p3');
SELECT * FROM pgcdc_test.peek('partitions', 'include-transaction', '0', 'exclude-tables', 'part.root');
-- exclude-columns naming the root covers its partitions' columns.
SELECT * FROM pgcdc_test.peek('partitions', 'include-transaction', '0', 'include-tables', 'part.p3',
                              'exclude-columns', 'part.root.note');

-- partition-root: records name the root with its columns in its order, whatever the partition's
-- layout; the key is the root's. A T names the root when the root was truncated, else the
-- topmost truncated table (never the root for a part of it); p2 is its own root once detached.
SELECT * FROM pgcdc_test.peek('partitions', 'include-transaction', '0', 'partition-root', '1');
SELECT * FROM pgcdc_test.peek('partitions', 'include-transaction', '0', 'partition-root', '1',
                              'include-types', '1', 'actions', 'insert');
-- The root is the topmost table that include-tables names.
SELECT * FROM pgcdc_test.peek('partitions', 'include-transaction', '0', 'partition-root', '1',
                              'include-tables', 'part.p3');
SELECT * FROM pgcdc_test.peek('partitions', 'include-transaction', '0', 'partition-root', '1',
                              'include-tables', 'part.p3a, part.p1');
SELECT * FROM pgcdc_test.peek('partitions', 'include-transaction', '0', 'partition-root', '1',
                              'include-tables', 'part.*', 'exclude-tables', 'part.p1',
                              'exclude-columns', 'part.root.note');
-- Both modes agree on which changes they write.
SELECT (SELECT count(*) FROM pg_logical_slot_peek_changes('partitions', NULL, NULL, 'actions', 'insert,update,delete'))
     = (SELECT count(*) FROM pg_logical_slot_peek_changes('partitions', NULL, NULL, 'actions', 'insert,update,delete',
                                                          'partition-root', 'on')) AS same_count;
SELECT pg_drop_replication_slot('partitions');

-- Replica identity: the WAL holds what each partition's own identity logs. With partition-root
-- the key columns are the root's, but only those the partition logs, and "old" only for a FULL
-- partition of a FULL root.
CREATE TABLE part.ident (a int, b int, c text, PRIMARY KEY (a, b)) PARTITION BY RANGE (a);
CREATE TABLE part.ident_same PARTITION OF part.ident FOR VALUES FROM (0) TO (10);
CREATE TABLE part.ident_full PARTITION OF part.ident FOR VALUES FROM (10) TO (20);
ALTER TABLE part.ident_full REPLICA IDENTITY FULL;
CREATE TABLE part.ident_a PARTITION OF part.ident FOR VALUES FROM (20) TO (30);
CREATE UNIQUE INDEX ident_a_a ON part.ident_a (a);
ALTER TABLE part.ident_a REPLICA IDENTITY USING INDEX ident_a_a;
CREATE TABLE part.ident_none PARTITION OF part.ident FOR VALUES FROM (30) TO (40);
ALTER TABLE part.ident_none REPLICA IDENTITY NOTHING;
CREATE TABLE part.whole (a int, b text) PARTITION BY LIST (a);
ALTER TABLE part.whole REPLICA IDENTITY FULL;
CREATE TABLE part.whole_full PARTITION OF part.whole FOR VALUES IN (1);
ALTER TABLE part.whole_full REPLICA IDENTITY FULL;
CREATE TABLE part.whole_default PARTITION OF part.whole FOR VALUES IN (2);
SELECT 'init' FROM pg_create_logical_replication_slot('partitions', 'pgcdc');
INSERT INTO part.ident VALUES (1, 1, 'x'), (11, 1, 'x'), (21, 1, 'x'), (31, 1, 'x');
UPDATE part.ident SET c = 'y';
UPDATE part.ident SET b = 2;
DELETE FROM part.ident;
INSERT INTO part.whole VALUES (1, 'x'), (2, 'x');
UPDATE part.whole SET b = 'y';
DELETE FROM part.whole;
SELECT * FROM pgcdc_test.peek('partitions', 'include-transaction', '0', 'actions', 'update,delete');
SELECT * FROM pgcdc_test.peek('partitions', 'include-transaction', '0', 'actions', 'update,delete',
                              'partition-root', '1');
SELECT pg_drop_replication_slot('partitions');

-- The cache follows the tree: a sub-partitioned table attached under a root (its partitions get
-- no invalidation of their own), a renamed root, a root moved to another schema.
CREATE TABLE part.top (k int, v text) PARTITION BY LIST (k);
CREATE TABLE part.mid (k int, v text) PARTITION BY LIST (k);
CREATE TABLE part.leaf PARTITION OF part.mid FOR VALUES IN (1);
CREATE SCHEMA part2;
SELECT 'init' FROM pg_create_logical_replication_slot('partitions', 'pgcdc');
INSERT INTO part.mid VALUES (1, 'under mid');
ALTER TABLE part.top ATTACH PARTITION part.mid FOR VALUES IN (1);
INSERT INTO part.mid VALUES (1, 'under top');
ALTER TABLE part.top RENAME TO top2;
INSERT INTO part.mid VALUES (1, 'under top2');
ALTER TABLE part.top2 SET SCHEMA part2;
INSERT INTO part.mid VALUES (1, 'under part2.top2');
ALTER TABLE part2.top2 DETACH PARTITION part.mid;
INSERT INTO part.mid VALUES (1, 'under mid again');
-- In one decoding session each: the cache sees every change of the tree as it happens.
SELECT * FROM pgcdc_test.peek('partitions', 'include-transaction', '0', 'include-tables', 'part.top*, part2.*');
SELECT * FROM pgcdc_test.peek('partitions', 'include-transaction', '0', 'partition-root', '1');
SELECT pg_drop_replication_slot('partitions');

DROP SCHEMA part, part2 CASCADE;
