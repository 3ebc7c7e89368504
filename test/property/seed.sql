-- test/property/seed.sql: one seed of the property test, in a fresh copy of the template database
-- (run.sh sets :seed, :ntx, :mutation, which is "none" except in run.sh's self-test, :walsender,
-- and with walsender on, :records_file). Prints a short summary, the problems found, and a last
-- line "result: pass" or "result: FAIL".
\set ON_ERROR_STOP 1
\pset tuples_only on
\pset format unaligned
SET client_min_messages = warning;
SET synchronous_commit = on; -- the SQL interface only decodes WAL that is flushed
SET prop.n = 0;
SET prop.mutation = 'none';

-- Seeded initial rows and definition changes; the images start as copies of the tables.
SELECT prop.setup(:seed) \g /dev/null
SELECT pg_create_logical_replication_slot(current_database(), 'pgcdc') \g /dev/null

-- The workload, in a time zone with an odd offset (timestamptz values must not depend on it).
SET TimeZone = 'Pacific/Chatham';
CALL prop.workload(:ntx);

-- Two-phase transactions: one committed, one rolled back.
BEGIN;
SET prop.n = 0;
SELECT prop.random_statement() FROM generate_series(1, 6) \g /dev/null
SELECT prop.log_prepared() \g /dev/null
PREPARE TRANSACTION 'prop_commit';
COMMIT PREPARED 'prop_commit';
BEGIN;
SET prop.n = 0;
SELECT prop.random_statement() FROM generate_series(1, 6) \g /dev/null
SELECT prop.log_prepared() \g /dev/null
PREPARE TRANSACTION 'prop_rollback';
ROLLBACK PREPARED 'prop_rollback';

-- Decode everything, in a session whose settings would change the text of output functions if
-- the plugin did not pin them; it must put them back afterwards. Through the SQL functions, or
-- through a walsender (pg_recvlogical, its records read back from its file; it has its own such
-- settings).
SET DateStyle = 'SQL, DMY';
SET IntervalStyle = 'sql_standard';
SET TimeZone = 'America/St_Johns';
SET extra_float_digits = 0;
SET bytea_output = 'escape';
CREATE TEMP TABLE settings_before AS
  SELECT name, setting FROM pg_settings
  WHERE name IN ('DateStyle', 'IntervalStyle', 'TimeZone', 'extra_float_digits', 'bytea_output');
\if :walsender
SELECT pg_current_wal_lsn() AS prop_endpos, current_database() AS prop_db \gset
\setenv PROP_ENDPOS :prop_endpos
\setenv PROP_DB :prop_db
\setenv PROP_RECORDS_FILE :records_file
\! PGOPTIONS='-c DateStyle=SQL,DMY -c IntervalStyle=sql_standard -c TimeZone=America/St_Johns -c extra_float_digits=0 -c bytea_output=escape -c search_path=img,public' "$PROP_PG_RECVLOGICAL" -d "$PROP_DB" -S "$PROP_DB" --start -E "$PROP_ENDPOS" --no-loop -f "$PROP_RECORDS_FILE"; chmod a+r "$PROP_RECORDS_FILE"
INSERT INTO prop.records (pos, data)
  SELECT n, line FROM regexp_split_to_table(pg_read_file(:'records_file'), E'\n') WITH ORDINALITY AS l(line, n)
  WHERE line <> '';
\else
INSERT INTO prop.records (pos, lsn, xid, data)
  SELECT ordinality, lsn, xid, data FROM pg_logical_slot_get_changes(current_database(), NULL, NULL) WITH ORDINALITY;
\endif
INSERT INTO prop.problems (what, detail)
  SELECT 'decoding left a session setting changed', format('%s was %s, is %s', b.name, b.setting, s.setting)
  FROM settings_before b JOIN pg_settings s USING (name) WHERE s.setting IS DISTINCT FROM b.setting;
RESET DateStyle;
RESET IntervalStyle;
RESET extra_float_digits;
RESET bytea_output;
SET TimeZone = 'Asia/Kathmandu';
UPDATE prop.records SET j = prop.try_jsonb(data);
UPDATE prop.records r SET txn = s.txn
FROM (SELECT pos, count(*) FILTER (WHERE j->>'op' = 'B') OVER (ORDER BY pos) AS txn FROM prop.records) s
WHERE s.pos = r.pos;
SELECT prop.mutate(:'mutation') \g /dev/null

-- Replay into the images, check the records, compare.
SELECT prop.replay() \g /dev/null
SELECT prop.check_records() \g /dev/null
SELECT prop.compare() AS rows_compared \gset
SELECT pg_drop_replication_slot(current_database()) \g /dev/null

SELECT format('seed %s: %s transactions committed (%s with changes), %s rolled back, %s prepared; '
              'savepoints: %s rolled back, %s released; %s statements kept, %s failed and rolled back, %s truncates, '
              '%s DDL',
              :seed, s->>'transactions committed', (SELECT count(*) FROM prop.txlog), s->>'transactions rolled back',
              (SELECT count(*) FROM prop.txlog WHERE kind = 'prepared'),
              s->>'savepoints rolled back', s->>'savepoints released', s->>'statements',
              coalesce(s->>'failed statements (rolled back)', '0'), coalesce(s->>'truncate statements', '0'),
              coalesce(s->>'DDL statements', '0'))
FROM (SELECT jsonb_object_agg(name, value) AS s FROM prop.stats) st;
SELECT format('  records: %s (B %s, C %s, I %s, U %s [%s with "unchanged", %s with "old"], D %s, T %s, '
              'M %s [%s DDL, %s base64, %s non-transactional]; %s with values in base64), %s MB',
              count(*), count(*) FILTER (WHERE op = 'B'), count(*) FILTER (WHERE op = 'C'),
              count(*) FILTER (WHERE op = 'I'), count(*) FILTER (WHERE op = 'U'),
              count(*) FILTER (WHERE op = 'U' AND j ? 'unchanged'), count(*) FILTER (WHERE op = 'U' AND j ? 'old'),
              count(*) FILTER (WHERE op = 'D'), count(*) FILTER (WHERE op = 'T'), count(*) FILTER (WHERE op = 'M'),
              count(*) FILTER (WHERE op = 'M' AND j->>'prefix' = 'prop.ddl'), count(*) FILTER (WHERE j ? 'encoding'),
              count(*) FILTER (WHERE op = 'M' AND j->'transactional' = 'false'), count(*) FILTER (WHERE j ? 'base64'),
              round(sum(octet_length(data)) / 1048576.0, 1))
FROM (SELECT j->>'op' AS op, j, data FROM prop.records) r;
SELECT format('  tables: %s (%s); rows compared: %s; content digest %s',
              count(*), string_agg(name || CASE WHEN count_only THEN ' (count only)' ELSE '' END, ', ' ORDER BY name),
              :rows_compared, prop.digest())
FROM prop.meta WHERE ver = 0;

SELECT format('  PROBLEM%s%s: %s%s', ' at record ' || pos, ' in ' || tbl, what, E'\n      ' || detail)
FROM prop.problems ORDER BY seq LIMIT 40;
SELECT format('  ... and %s more problems', count(*) - 40) FROM prop.problems HAVING count(*) > 40;
SELECT CASE WHEN count(*) = 0 THEN 'result: pass' ELSE format('result: FAIL (%s problems)', count(*)) END FROM prop.problems;
