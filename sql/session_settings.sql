-- The records do not depend on the decoding session's DateStyle, IntervalStyle, TimeZone,
-- extra_float_digits, bytea_output or search_path, and decoding leaves the session's settings as
-- they were. (lc_monetary, which money reads, is pinned too; test/stream/run.sh tests it, where a
-- locale other than C can be counted on.)
SET synchronous_commit = on;

CREATE TYPE sess_pair AS (f float8, t timestamptz, i interval);
CREATE TABLE sess (id int PRIMARY KEY, tstz timestamptz, ts timestamp, d date, iv interval, f4 float4, f8 float8,
                   r tstzrange, dr daterange, comp sess_pair, tm timetz, b bytea, ab bytea[], af float8[]);
-- A type whose output function fails (enum_out, given a value no enum has), for below.
-- (PostgreSQL's notices about the shell type differ between releases: not shown.)
SET client_min_messages = warning;
CREATE TYPE sess_broken;
CREATE FUNCTION sess_broken_in(cstring) RETURNS sess_broken LANGUAGE internal IMMUTABLE STRICT AS 'int4in';
CREATE FUNCTION sess_broken_out(sess_broken) RETURNS cstring LANGUAGE internal IMMUTABLE STRICT AS 'enum_out';
CREATE TYPE sess_broken (INPUT = sess_broken_in, OUTPUT = sess_broken_out, LIKE = int4);
RESET client_min_messages;
CREATE TABLE sess_fails (id int, b sess_broken);
-- Names outside pg_catalog come out schema-qualified (include-types, regclass, regtype, regproc),
-- whatever the session's search_path.
CREATE SCHEMA sess_hid;
CREATE TYPE sess_mood AS ENUM ('ok');
CREATE TYPE sess_hid.hmood AS ENUM ('x');
CREATE FUNCTION sess_hid.f() RETURNS int LANGUAGE sql RETURN 1;
CREATE TABLE sess_hid.names (id int PRIMARY KEY, m sess_mood, h sess_hid.hmood, ah sess_hid.hmood[], rc regclass,
                             rt regtype, rt2 regtype, rp regproc, mo money, builtin text);
SELECT 'init' FROM pg_create_logical_replication_slot('session_settings', 'pgcdc');
INSERT INTO sess_hid.names VALUES (1, 'ok', 'x', '{x}', 'sess_hid.names', 'sess_mood', 'sess_hid.hmood[]',
                                   'sess_hid.f', 1234.5, 'pg_class');
INSERT INTO sess VALUES (1, '2026-11-21 10:00:00.25+00', '2026-11-21 10:00:00.25', '2026-11-21',
  '1 day 02:03:04.5', 0.1, 1.0/3, '[2026-01-01 00:00:00+00,2026-01-02 00:00:00+00)', '[2026-01-01,2026-02-01)',
  ROW(1.0/3, '2026-11-21 10:00:00+00', '-1 hour'), '10:00:00+02', '\xdead', '{"\\xbeef"}', '{0.1,1e-7}');

CREATE TEMP TABLE reference AS
  SELECT data FROM pg_logical_slot_peek_changes('session_settings', NULL, NULL, 'include-transaction', '0',
                                                'include-types', '1');
SELECT data FROM reference;

SET DateStyle = 'SQL, DMY';
SET IntervalStyle = 'sql_standard';
SET TimeZone = 'Asia/Kolkata';
SET extra_float_digits = -3;
SET bytea_output = 'escape';
SET search_path = sess_hid, public;
SELECT r.data = p.data AS same_record
FROM (SELECT data, row_number() OVER () AS n FROM reference) r
JOIN (SELECT data, row_number() OVER () AS n
      FROM pg_logical_slot_peek_changes('session_settings', NULL, NULL, 'include-transaction', '0',
                                        'include-types', '1')) p USING (n);
-- The session's settings are untouched by decoding.
SHOW DateStyle;
SHOW IntervalStyle;
SHOW TimeZone;
SHOW extra_float_digits;
SHOW bytea_output;
SHOW search_path;
SELECT now() IS NOT NULL AS ok, '1 day'::interval AS iv, 1.0::float8 / 3 AS f;

-- Also when decoding fails half way, after the settings were pinned (here: a value of the type
-- whose output function fails), they are restored. Here the failing transaction does it;
-- test/stream/run.sh tests a walsender, where the plugin must. (terse: the error's context has an
-- LSN.)
INSERT INTO sess_fails VALUES (1, '12345');
\set VERBOSITY terse
SELECT count(*) FROM pg_logical_slot_peek_changes('session_settings', NULL, NULL);
\set VERBOSITY default
SHOW DateStyle;
SHOW TimeZone;
SHOW search_path;
-- And when it fails in the startup callback (a bad option).
SELECT count(*) FROM pg_logical_slot_peek_changes('session_settings', NULL, NULL, 'bytea', 'oct');
SHOW DateStyle;
RESET ALL;
SET synchronous_commit = on;

SELECT pg_drop_replication_slot('session_settings');
DROP TABLE sess, sess_fails;
DROP TYPE sess_pair, sess_broken CASCADE;
DROP SCHEMA sess_hid CASCADE;
DROP TYPE sess_mood;
