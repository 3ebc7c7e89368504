-- batch-bytes: whole records packed into fewer messages, '\n' between them. The records are the
-- same, in the same order; a message is sent once it holds batch-bytes or more, and at the end of
-- each transaction; a record of batch-bytes or more and a non-transactional message go alone.
SET synchronous_commit = on;

CREATE TABLE batch_t (id int PRIMARY KEY, val text);
CREATE TABLE batch_noise (id int PRIMARY KEY);
SELECT 'init' FROM pg_create_logical_replication_slot('batch', 'pgcdc');

INSERT INTO batch_t VALUES (1, 'one');
INSERT INTO batch_t SELECT g, 'row ' || g FROM generate_series(2, 30) g;
UPDATE batch_t SET val = repeat('x', 3000) WHERE id = 2;
BEGIN;
SELECT 'm' FROM pg_logical_emit_message(true, 'app', 'in a transaction');
DELETE FROM batch_t WHERE id = 3;
COMMIT;
SELECT 'm' FROM pg_logical_emit_message(false, 'app', 'non-transactional');
INSERT INTO batch_noise VALUES (1);
BEGIN;
INSERT INTO batch_noise VALUES (2);
INSERT INTO batch_t VALUES (31, 'thirty-one');
UPDATE batch_t SET val = '31' WHERE id = 31;
COMMIT;
INSERT INTO batch_t VALUES (32, 'last');

-- Each row of a peek split into its records, with the row's number, lsn and xid.
CREATE FUNCTION pgcdc_test.records(slot name, VARIADIC options text[] DEFAULT '{}')
RETURNS TABLE (msg bigint, pos bigint, lsn pg_lsn, xid xid, rec text)
LANGUAGE sql AS $$
  SELECT m.msg, r.pos, m.lsn, m.xid, r.rec
  FROM pg_logical_slot_peek_changes(slot, NULL, NULL, VARIADIC options) WITH ORDINALITY AS m(lsn, xid, data, msg),
       string_to_table(m.data, E'\n') WITH ORDINALITY AS r(rec, pos)
  ORDER BY m.msg, r.pos
$$;

-- Decodes with options, then with options and batch-bytes = cap, and checks the batched rows:
--   records         the records without batch-bytes (over_cap: how many have cap bytes or more)
--   fewer_rows      fewer rows than records
--   same_records    split on '\n', the same records in the same order
--   same_xids       each record is in a row of its own transaction (the xid column)
--   c_ends_row      a C is the last record of its row, whose lsn is the C's (the commit's end)
--   in_txn_rows     each row's records fall between one B and its C (NULL without B and C)
--   big_alone       a record of cap bytes or more is alone in its row
--   nontx_alone     a non-transactional message is alone in its row
--   sent_when_due   a row was sent when it reached cap bytes, and not before, or at the end of its
--                   transaction, or just before a record of cap bytes or more
CREATE FUNCTION pgcdc_test.batch_check(slot name, cap int, VARIADIC options text[] DEFAULT '{}')
RETURNS TABLE (records bigint, over_cap bigint, fewer_rows boolean, same_records boolean, same_xids boolean,
               c_ends_row boolean, in_txn_rows boolean, big_alone boolean, nontx_alone boolean,
               sent_when_due boolean)
LANGUAGE sql AS $$
WITH plain AS (
  SELECT row_number() OVER (ORDER BY msg, pos) AS i, xid, rec FROM pgcdc_test.records(slot, VARIADIC options)
), batched AS (
  SELECT row_number() OVER (ORDER BY msg, pos) AS i, msg, pos, lsn, xid, rec, rec::jsonb AS j,
         count(*) OVER (PARTITION BY msg) AS nrec, max(pos) OVER (PARTITION BY msg) AS lastpos
  FROM pgcdc_test.records(slot, VARIADIC options || ARRAY['batch-bytes', cap::text])
), framed AS (
  -- b: B records so far; c: C records before this one. Inside a transaction b = c + 1.
  SELECT msg, count(*) FILTER (WHERE j->>'op' = 'B') OVER w AS b,
         count(*) FILTER (WHERE j->>'op' = 'C') OVER w - (j->>'op' = 'C')::int AS c
  FROM batched WINDOW w AS (ORDER BY i)
), msgs AS (
  SELECT msg, (array_agg(xid::text))[1] AS xid, count(*) AS nrec,
         sum(octet_length(rec)) + count(*) - 1 AS len,
         (array_agg(octet_length(rec) ORDER BY pos DESC))[1] AS lastlen
  FROM batched GROUP BY msg
), due AS (
  SELECT msgs.*, lead(nrec) OVER w AS next_nrec, lead(len) OVER w AS next_len, lead(xid) OVER w AS next_xid
  FROM msgs WINDOW w AS (ORDER BY msg)
)
SELECT
  (SELECT count(*) FROM plain),
  (SELECT count(*) FROM plain WHERE octet_length(rec) >= cap),
  (SELECT count(*) FROM msgs) < (SELECT count(*) FROM plain),
  (SELECT array_agg(rec ORDER BY i) FROM plain) = (SELECT array_agg(rec ORDER BY i) FROM batched),
  (SELECT bool_and(p.xid = b.xid) AND count(*) = (SELECT count(*) FROM plain) FROM plain p JOIN batched b USING (i)),
  (SELECT coalesce(bool_and(pos = lastpos AND (j->>'lsn')::pg_lsn = lsn), true) FROM batched WHERE j->>'op' = 'C'),
  (SELECT bool_and(ok) FROM (SELECT (count(*) = 1 AND bool_and(b = c)) OR (bool_and(b = c + 1) AND min(b) = max(b)) AS ok
                             FROM framed GROUP BY msg) s WHERE EXISTS (SELECT FROM framed WHERE b > 0)),
  (SELECT coalesce(bool_and(nrec = 1), true) FROM batched WHERE octet_length(rec) >= cap),
  (SELECT coalesce(bool_and(nrec = 1), true) FROM batched WHERE j->>'op' = 'M' AND NOT (j->>'transactional')::boolean),
  (SELECT bool_and((len >= cap OR next_xid IS DISTINCT FROM xid OR (next_nrec = 1 AND next_len >= cap))
                   AND (nrec = 1 OR len - lastlen - 1 < cap)) FROM due)
$$;

-- The records, one per row, without batch-bytes (the big value shortened here).
SELECT replace(r, repeat('x', 3000), 'x...x') AS record FROM pgcdc_test.peek('batch', 'exclude-tables', 'public.batch_noise') r;

-- A small cap: many rows hold several records, some one (the big value, the non-transactional
-- message, the ends of transactions).
SELECT * FROM pgcdc_test.batch_check('batch', 200, 'exclude-tables', 'public.batch_noise');
SELECT * FROM pgcdc_test.batch_check('batch', 200, 'exclude-tables', 'public.batch_noise', 'include-lsn', 'on');
-- Without B and C, a transaction's last row is sent at its end all the same.
SELECT * FROM pgcdc_test.batch_check('batch', 200, 'exclude-tables', 'public.batch_noise',
                                     'include-transaction', 'off');
-- A cap above every transaction: one row per transaction, and the non-transactional message.
SELECT * FROM pgcdc_test.batch_check('batch', 65536, 'exclude-tables', 'public.batch_noise');
SELECT msg, string_agg(rec::jsonb->>'op', ' ' ORDER BY pos) AS ops, count(*) AS records
FROM pgcdc_test.records('batch', 'exclude-tables', 'public.batch_noise', 'batch-bytes', '65536')
GROUP BY msg ORDER BY msg;
SELECT msg, string_agg(rec::jsonb->>'op', ' ' ORDER BY pos) AS ops
FROM pgcdc_test.records('batch', 'exclude-tables', 'public.batch_noise', 'batch-bytes', '65536',
                        'include-transaction', 'off')
GROUP BY msg ORDER BY msg;
-- The rows are the records joined by '\n', with no newline at the end.
SELECT count(*) AS rows, bool_and(data NOT LIKE E'%\n') AS no_trailing_newline,
       string_agg(data, E'\n' ORDER BY n) = (SELECT string_agg(data, E'\n' ORDER BY n)
                                              FROM pg_logical_slot_peek_changes('batch', NULL, NULL) WITH ORDINALITY AS p(l, x, data, n))
         AS same_text
FROM pg_logical_slot_peek_changes('batch', NULL, NULL, 'batch-bytes', '65536') WITH ORDINALITY AS p(l, x, data, n);
-- 1 byte: every record is alone, as without batch-bytes; 0 is the default.
SELECT * FROM pgcdc_test.batch_check('batch', 1, 'exclude-tables', 'public.batch_noise');
SELECT array_agg(data ORDER BY n) = (SELECT array_agg(data ORDER BY n)
                                     FROM pg_logical_slot_peek_changes('batch', NULL, NULL) WITH ORDINALITY AS p(l, x, data, n))
         AS zero_is_off
FROM pg_logical_slot_peek_changes('batch', NULL, NULL, 'batch-bytes', '0') WITH ORDINALITY AS p(l, x, data, n);

-- Bad values.
SELECT count(*) FROM pg_logical_slot_peek_changes('batch', NULL, NULL, 'batch-bytes', '-1');
SELECT count(*) FROM pg_logical_slot_peek_changes('batch', NULL, NULL, 'batch-bytes', '268435457');
SELECT count(*) FROM pg_logical_slot_peek_changes('batch', NULL, NULL, 'batch-bytes', '64kB');
SELECT count(*) FROM pg_logical_slot_peek_changes('batch', NULL, NULL, 'batch-bytes', '');
SELECT count(*) FROM pg_logical_slot_peek_changes('batch', NULL, NULL, 'batch-bytes', '1', 'batch-bytes', '2');
-- The largest value is accepted.
SELECT count(*) FROM pg_logical_slot_peek_changes('batch', NULL, NULL, 'batch-bytes', '268435456');

DROP FUNCTION pgcdc_test.batch_check(name, int, text[]), pgcdc_test.records(name, text[]);
SELECT pg_drop_replication_slot('batch');
DROP TABLE batch_t, batch_noise;
