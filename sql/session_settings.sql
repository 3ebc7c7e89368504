-- The records do not depend on the decoding session's DateStyle, IntervalStyle, TimeZone,
-- extra_float_digits or bytea_output, and decoding leaves the session's settings as they were.
SET synchronous_commit = on;

CREATE TYPE sess_pair AS (f float8, t timestamptz, i interval);
CREATE TABLE sess (id int PRIMARY KEY, tstz timestamptz, ts timestamp, d date, iv interval, f4 float4, f8 float8,
                   r tstzrange, dr daterange, comp sess_pair, tm timetz, b bytea, ab bytea[], af float8[]);
SELECT 'init' FROM pg_create_logical_replication_slot('session_settings', 'pgcdc');
INSERT INTO sess VALUES (1, '2026-11-21 10:00:00.25+00', '2026-11-21 10:00:00.25', '2026-11-21',
  '1 day 02:03:04.5', 0.1, 1.0/3, '[2026-01-01 00:00:00+00,2026-01-02 00:00:00+00)', '[2026-01-01,2026-02-01)',
  ROW(1.0/3, '2026-11-21 10:00:00+00', '-1 hour'), '10:00:00+02', '\xdead', '{"\\xbeef"}', '{0.1,1e-7}');

CREATE TEMP TABLE reference AS
  SELECT data FROM pg_logical_slot_peek_changes('session_settings', NULL, NULL, 'include-transaction', '0');
SELECT data FROM reference;

SET DateStyle = 'SQL, DMY';
SET IntervalStyle = 'sql_standard';
SET TimeZone = 'Asia/Kolkata';
SET extra_float_digits = -3;
SET bytea_output = 'escape';
SELECT data = (SELECT data FROM reference) AS same_record
FROM pg_logical_slot_peek_changes('session_settings', NULL, NULL, 'include-transaction', '0');
-- The session's settings are untouched by decoding.
SHOW DateStyle;
SHOW IntervalStyle;
SHOW TimeZone;
SHOW extra_float_digits;
SHOW bytea_output;
SELECT now() IS NOT NULL AS ok, '1 day'::interval AS iv, 1.0::float8 / 3 AS f;

-- Also when decoding fails half way (here: a bad option), the settings are restored.
SELECT count(*) FROM pg_logical_slot_peek_changes('session_settings', NULL, NULL, 'bytea', 'oct');
SHOW DateStyle;
SHOW TimeZone;
RESET ALL;
SET synchronous_commit = on;

SELECT pg_drop_replication_slot('session_settings');
DROP TABLE sess;
DROP TYPE sess_pair;
