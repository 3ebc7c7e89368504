-- Records longer than max-record-bytes. By default such a record stops decoding, with an error that
-- says where and how to get past it; with oversized-records=omit-values, the values that do not fit
-- are left out of the record and listed in "omitted". The limit is small here (its default is
-- 1 GB less 4 MB, where a 180 MB text of control characters ends), so a few kB show every case.
SET synchronous_commit = on;

CREATE TABLE over_t (id int PRIMARY KEY, a text, b text, c text);
-- REPLICA IDENTITY FULL without a primary key: "key" is the whole old row, as "old" is.
CREATE TABLE over_full (id int, big text, note text);
ALTER TABLE over_full REPLICA IDENTITY FULL;
-- With a primary key: "key" is the id, "old" and "new" the whole rows.
CREATE TABLE over_fullpk (id int PRIMARY KEY, big text, note text);
ALTER TABLE over_fullpk REPLICA IDENTITY FULL;
CREATE TABLE over_toast (id int PRIMARY KEY, doc text, big text);
ALTER TABLE over_toast ALTER COLUMN doc SET STORAGE EXTERNAL;
CREATE TABLE over_types (id int PRIMARY KEY, bin bytea, arr text[], js json, jb jsonb, num numeric);

SELECT 'init' FROM pg_create_logical_replication_slot('oversized', 'pgcdc');

-- The records of a peek or a get, masked, with runs of a character shortened for reading, and the
-- length of those without LSNs or times; or the error, with its LSNs masked. The slot is read in a
-- session of its own (dblink): a slot function's error caught here, in a subtransaction, would
-- leave the slot acquired by this session (PostgreSQL releases it when a top-level transaction
-- ends; a server built with assertions stops at the next use).
CREATE EXTENSION dblink;
CREATE FUNCTION pgcdc_test.over(consume boolean, VARIADIC options text[])
RETURNS TABLE (len int, record text)
LANGUAGE plpgsql AS $$
DECLARE
  m text; d text; h text;
  conn text := format('host=%s port=%s dbname=%s',
                      split_part(current_setting('unix_socket_directories'), ',', 1),
                      current_setting('port'), current_database());
  q text := format('SELECT data FROM pg_logical_slot_%s_changes(%L, NULL, NULL, VARIADIC %L::text[])',
                   CASE WHEN consume THEN 'get' ELSE 'peek' END, 'oversized', options);
BEGIN
  RETURN QUERY
    SELECT CASE WHEN data !~ '^\{"op":"[BC]"' THEN octet_length(data) END,
           regexp_replace(regexp_replace(pgcdc_test.mask(data), '(\\u00[0-9a-f]{2}|[a-z])\1{3,}', '\1...', 'g'),
                          '"\\\\x(..)\1{3,}', '"\\\\x\1...', 'g')
    FROM dblink(conn, q) AS r(data text);
EXCEPTION WHEN program_limit_exceeded THEN
  GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT;
  len := NULL;
  record := 'ERROR:  ' || m || E'\nDETAIL:  ' || regexp_replace(d, '[0-9A-F]+/[0-9A-F]+', 'X/X', 'g')
            || coalesce(E'\nHINT:  ' || h, '');
  RETURN NEXT;
END
$$;

-- 1. The limit is exact: b's 300 control characters take 1800 bytes; the record of exactly
--    max-record-bytes is written as it is, one byte less is an error, or without b.
INSERT INTO over_t VALUES (1, 'a', repeat(chr(1), 300), 'c');
SELECT max(octet_length(data)) AS full_length FROM pg_logical_slot_peek_changes('oversized', NULL, NULL) \gset
SELECT :full_length AS full_length;
SELECT array_agg(data) = (SELECT array_agg(data) FROM pg_logical_slot_peek_changes('oversized', NULL, NULL))
         AS exactly_the_limit_fits
FROM pg_logical_slot_peek_changes('oversized', NULL, NULL, 'max-record-bytes', :'full_length');
SELECT :full_length - 1 AS one_less \gset
SELECT record FROM pgcdc_test.over(false, 'max-record-bytes', :'one_less');
SELECT * FROM pgcdc_test.over(true, 'max-record-bytes', :'one_less', 'oversized-records', 'omit-values');

-- 2. Values are written in column order; each one that does not fit is left out and the next ones
--    tried: here b (6000 bytes) does not fit, a and c (500 each) do.
INSERT INTO over_t VALUES (2, repeat('x', 500), repeat(chr(2), 1000), repeat('y', 500));
-- Each of a and b fits alone, not both: b is left out, c still fits.
INSERT INTO over_t VALUES (3, repeat('x', 1500), repeat('y', 1500), 'c');
-- NULLs are values like others; the record stays valid JSON; the default is the error.
INSERT INTO over_t VALUES (4, NULL, repeat(chr(3), 1000), NULL);
SELECT record FROM pgcdc_test.over(false, 'max-record-bytes', '2048', 'include-transaction', 'off');
SELECT * FROM pgcdc_test.over(false, 'max-record-bytes', '2048', 'oversized-records', 'omit-values',
                              'include-transaction', 'off');
SELECT bool_and(data::jsonb IS NOT NULL) AS valid_json, max(octet_length(data)) <= 2048 AS within_limit,
       bool_and(NOT (data::jsonb->'new' ? 'b')) AS b_never_written
FROM pg_logical_slot_get_changes('oversized', NULL, NULL, 'max-record-bytes', '2048',
                                 'oversized-records', 'omit-values', 'include-transaction', 'off');

-- 3. A column left out is left out of key, old and new alike. FULL without a primary key: the key
--    is the whole old row.
INSERT INTO over_full VALUES (1, repeat(chr(4), 500), 'n');
UPDATE over_full SET note = 'm';
DELETE FROM over_full;
SELECT * FROM pgcdc_test.over(true, 'max-record-bytes', '2048', 'oversized-records', 'omit-values',
                              'include-transaction', 'off');
-- Also when the value fits where it comes first and not where it comes again: old.big (1500 bytes)
-- fits, new.big would not; the record is written again without big anywhere.
INSERT INTO over_fullpk VALUES (1, repeat(chr(5), 250), 'n');
UPDATE over_fullpk SET note = 'm';
SELECT * FROM pgcdc_test.over(false, 'max-record-bytes', '2048', 'oversized-records', 'omit-values',
                              'include-transaction', 'off');
SELECT count(*) FROM pg_logical_slot_get_changes('oversized', NULL, NULL);

-- 4. "omitted" is not "unchanged": an unchanged TOASTed value is listed in "unchanged", a value left
--    out for its size in "omitted".
INSERT INTO over_toast VALUES (1, repeat('d', 10000), 'small');
UPDATE over_toast SET big = repeat(chr(6), 1000);
SELECT * FROM pgcdc_test.over(true, 'max-record-bytes', '4096', 'oversized-records', 'omit-values',
                              'include-transaction', 'off', 'include-types', 'on');

-- 5. Every kind of value: bytea, arrays, json, jsonb, numeric.
INSERT INTO over_types VALUES (1, decode(repeat('ab', 3100), 'hex'), ARRAY[repeat(chr(16), 1000), 'x'],
                               json_build_object('k', repeat(chr(17), 1000)), jsonb_build_object('k', repeat(chr(18), 1000)),
                               repeat('9', 5000)::numeric);
INSERT INTO over_types VALUES (2, '\x01', '{}', '{}', '{}', 1.5);
SELECT * FROM pgcdc_test.over(true, 'max-record-bytes', '4096', 'oversized-records', 'omit-values',
                              'include-transaction', 'off', 'bytea', 'base64', 'numeric', 'string');

-- 6. Messages: the content is left out.
SELECT 'm' FROM pg_logical_emit_message(false, 'app.nt', repeat(chr(1), 1000));
SELECT 'm' FROM pg_logical_emit_message(false, 'app.bin', decode(repeat('ff', 2000), 'hex'));
-- (The commit flushes the WAL, which makes the non-transactional messages visible.)
BEGIN;
SELECT 'm' FROM pg_logical_emit_message(true, 'app', repeat(chr(1), 1000));
SELECT 'm' FROM pg_logical_emit_message(true, 'app', 'fits');
COMMIT;
SELECT record FROM pgcdc_test.over(false, 'max-record-bytes', '2048');
SELECT * FROM pgcdc_test.over(true, 'max-record-bytes', '2048', 'oversized-records', 'omit-values');

-- 7. A record that is too long even without its values is an error either way (here the types and
--    the room kept for the lists of 40 long column names).
SELECT format('CREATE TABLE over_wide (%s)', string_agg(format('column_with_a_long_name_%s int', g), ', '))
FROM generate_series(1, 40) g \gexec
INSERT INTO over_wide (column_with_a_long_name_1) VALUES (1);
SELECT record FROM pgcdc_test.over(false, 'max-record-bytes', '1024', 'include-types', 'on');
SELECT record FROM pgcdc_test.over(false, 'max-record-bytes', '1024', 'include-types', 'on',
                                   'oversized-records', 'omit-values');
SELECT count(*) FROM pg_logical_slot_get_changes('oversized', NULL, NULL);
DROP TABLE over_wide;

-- 8. With batch-bytes the limit is the record's, whatever is pending before it: 40 small records,
--    then one of exactly max-record-bytes, in one transaction.
BEGIN;
INSERT INTO over_t SELECT g, 'row', 'row', 'row' FROM generate_series(10, 49) g;
INSERT INTO over_t VALUES (50, 'a', repeat(chr(1), 300), 'c');
INSERT INTO over_t VALUES (52, 'last', 'b', 'c');
COMMIT;
SELECT pg_current_wal_lsn() AS end_a \gset
SELECT max(octet_length(data)) AS rec50 FROM pg_logical_slot_peek_changes('oversized', NULL, NULL) \gset
SELECT :rec50 > 1024 AS rec50_is_long,
       count(*) AS records, count(DISTINCT m.n) AS messages,
       array_agg(r.rec ORDER BY m.n, r.pos) = (SELECT array_agg(data) FROM pg_logical_slot_peek_changes('oversized', :'end_a', NULL))
         AS same_records
FROM pg_logical_slot_peek_changes('oversized', :'end_a', NULL, 'batch-bytes', '65536', 'max-record-bytes', :'rec50')
     WITH ORDINALITY m(lsn, xid, data, n)
   , string_to_table(m.data, E'\n') WITH ORDINALITY r(rec, pos);
-- One byte less: the record of id 50 is too long, not the pending batch.
SELECT :rec50 - 1 AS one_less \gset
SELECT record FROM pgcdc_test.over(false, 'batch-bytes', '65536', 'max-record-bytes', :'one_less');
-- Records longer than batch-bytes go alone, after what was pending before them (sent as soon as
-- the big record reaches batch-bytes): the same records as without batch-bytes.
BEGIN;
INSERT INTO over_t SELECT g, 'row', 'row', 'row' FROM generate_series(60, 69) g;
INSERT INTO over_t VALUES (51, repeat('z', 100000), 'b', 'c');
INSERT INTO over_t VALUES (53, 'last', 'b', 'c');
COMMIT;
SELECT count(*) AS records, count(DISTINCT msg) AS messages,
       count(*) FILTER (WHERE big AND nrec = 1) AS big_alone, count(*) FILTER (WHERE big) AS big,
       array_agg(rec ORDER BY msg, pos) = (SELECT array_agg(data) FROM pg_logical_slot_peek_changes('oversized', NULL, NULL))
         AS same_records
FROM (SELECT m.n AS msg, r.pos, r.rec, octet_length(r.rec) >= 1024 AS big, count(*) OVER (PARTITION BY m.n) AS nrec
      FROM pg_logical_slot_peek_changes('oversized', NULL, NULL, 'batch-bytes', '1024', 'max-record-bytes', '200000')
           WITH ORDINALITY m(lsn, xid, data, n)
         , string_to_table(m.data, E'\n') WITH ORDINALITY r(rec, pos)) s;
SELECT count(*) FROM pg_logical_slot_get_changes('oversized', NULL, NULL);

-- 9. The options' values.
\set VERBOSITY default
SELECT count(*) FROM pg_logical_slot_peek_changes('oversized', NULL, NULL, 'max-record-bytes', '1023');
SELECT count(*) FROM pg_logical_slot_peek_changes('oversized', NULL, NULL, 'max-record-bytes', '1069547521');
SELECT count(*) FROM pg_logical_slot_peek_changes('oversized', NULL, NULL, 'max-record-bytes', '64MB');
SELECT count(*) FROM pg_logical_slot_peek_changes('oversized', NULL, NULL, 'oversized-records', 'omit');
SELECT count(*) FROM pg_logical_slot_peek_changes('oversized', NULL, NULL, 'max-record-bytes', '1069547520',
                                                  'oversized-records', 'ERROR');
\set VERBOSITY terse

DROP FUNCTION pgcdc_test.over(boolean, text[]);
DROP EXTENSION dblink;
SELECT pg_drop_replication_slot('oversized');
DROP TABLE over_t, over_full, over_fullpk, over_toast, over_types;
