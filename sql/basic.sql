-- Inserts, updates and deletes; B/C framing and what its lsn, ts, xid and n mean.
SET synchronous_commit = on;

CREATE TABLE basic (id int PRIMARY KEY, name text, score numeric(6,2));
SELECT 'init' FROM pg_create_logical_replication_slot('basic', 'pgcdc');

INSERT INTO basic VALUES (1, 'ann', 1.5);
INSERT INTO basic VALUES (2, NULL, NULL), (3, 'carl', -0.25);
UPDATE basic SET name = 'bob' WHERE id = 1;
DELETE FROM basic WHERE id = 3;
SELECT * FROM pgcdc_test.changes('basic');
-- Consumed: a second read returns nothing.
SELECT count(*) FROM pgcdc_test.changes('basic');

-- Framing, checked against the WAL itself: B's lsn is the commit record's start, C's lsn its end
-- (what a consumer confirms), xid the transaction's, ts the commit time, n the records written.
CREATE EXTENSION pg_walinspect;
SELECT pg_current_wal_insert_lsn() AS start_lsn, now() AS t0 \gset
BEGIN;
INSERT INTO basic VALUES (10, 'x', 1);
INSERT INTO basic VALUES (11, 'y', 2);
UPDATE basic SET score = 3 WHERE id = 10;
COMMIT;
CREATE TEMP TABLE frame_records AS
  SELECT ordinality AS pos, lsn AS row_lsn, xid AS row_xid, data, data::jsonb AS r
  FROM pg_logical_slot_get_changes('basic', NULL, NULL) WITH ORDINALITY;
SELECT pos, r->>'op' AS op FROM frame_records ORDER BY pos;
SELECT b.r->>'xid' = c.r->>'xid' AS same_xid,
       (b.r->>'xid')::xid = c.row_xid AS xid_is_the_transactions,
       (c.r->>'n')::int AS n,
       b.r->>'ts' = c.r->>'ts' AS same_ts,
       (b.r->>'ts')::timestamptz BETWEEN :'t0' AND now() AS ts_is_commit_time,
       (c.r->>'lsn')::pg_lsn = c.row_lsn AS c_lsn_is_confirmable_position
FROM frame_records b, frame_records c
WHERE b.r->>'op' = 'B' AND c.r->>'op' = 'C';
SELECT w.resource_manager, w.record_type,
       w.start_lsn = (b.r->>'lsn')::pg_lsn AS b_lsn_is_commit_start,
       w.end_lsn = (c.r->>'lsn')::pg_lsn AS c_lsn_is_commit_end
FROM frame_records b, frame_records c,
     pg_get_wal_records_info(:'start_lsn', pg_current_wal_lsn()) w
WHERE b.r->>'op' = 'B' AND c.r->>'op' = 'C'
  AND w.resource_manager = 'Transaction' AND w.record_type = 'COMMIT'
  AND w.xid = (b.r->>'xid')::xid;
-- Every record is compact: no whitespace outside JSON strings.
SELECT count(*) FILTER (WHERE regexp_replace(data, '"(\\.|[^"\\])*"', '""', 'g') !~ '\s') AS compact,
       count(*) AS records
FROM frame_records;

SELECT pg_drop_replication_slot('basic');
DROP TABLE basic, frame_records;
DROP EXTENSION pg_walinspect;
