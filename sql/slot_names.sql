-- Names are values, never SQL: slot names that are keywords or start with a digit, a database,
-- tables, a publication and a role whose names need quotes, and strings that try injection.
-- Messages quote names the way PostgreSQL does ("name"); hints quote them as SQL.
SET synchronous_commit = on;
\set SHOW_CONTEXT never
CREATE TABLE victim (id int PRIMARY KEY);

-- PostgreSQL only allows a-z, 0-9 and _ in slot names ...
SELECT pg_create_logical_replication_slot('x"; drop table victim; --', 'pgcdc');
-- ... so a hostile slot name can only be looked for, and is not found.
SELECT * FROM pgcdc.advance_slot('x"; DROP TABLE victim; --', '0/1');
SELECT * FROM pgcdc.advance_slot(E'x''); DROP TABLE victim; --', '0/1');
SELECT count(*) FROM pgcdc.drop_stale_slots(0, NULL, dry_run => false, slot_name_like => E'%''; DROP TABLE victim; --');

-- Slot names that SQL would need to quote.
SELECT 'init' FROM pg_create_logical_replication_slot('select', 'pgcdc');
SELECT 'init' FROM pg_create_logical_replication_slot('1st', 'test_decoding');
SELECT slot_name, plugin, status FROM pgcdc.slot_health();
INSERT INTO victim VALUES (1);
SELECT pg_current_wal_lsn() AS target \gset
INSERT INTO victim VALUES (2);
SELECT slot_name, end_lsn = :'target' AS advanced FROM pgcdc.advance_slot('select', :'target');
SELECT slot_name, end_lsn = :'target' AS advanced FROM pgcdc.advance_slot('1st', :'target');
SET client_min_messages = log;
\set VERBOSITY terse
SELECT slot_name, action FROM pgcdc.drop_stale_slots(0, NULL, dry_run => false);
RESET client_min_messages;
\set VERBOSITY default

-- A database whose name needs quotes: its slot is listed, can be dropped from here, but a
-- logical slot can only be advanced from its own database.
SELECT current_database() AS home \gset
CREATE DATABASE "pgcdc Odd ""db""";
\c "pgcdc Odd ""db"""
SELECT 'init' FROM pg_create_logical_replication_slot('odd_db_slot', 'pgcdc');
\c :home
SET synchronous_commit = on;
\set SHOW_CONTEXT never
SELECT slot_name, database, status FROM pgcdc.slot_health();
SELECT * FROM pgcdc.advance_slot('odd_db_slot', pg_current_wal_lsn());
SELECT slot_name, database, action FROM pgcdc.drop_stale_slots(0, NULL, dry_run => false);
DROP DATABASE "pgcdc Odd ""db""";

-- preflight: a hostile publication name, and a table and a role that need quotes; the hints'
-- SQL can be pasted as it is.
SELECT "check", status, detail, hint FROM pgcdc.preflight(publication => 'x"; DROP TABLE victim; --')
WHERE "check" = 'publication';
CREATE TABLE "Weird ""Tab""" (a int);
SELECT "check", status, detail, hint FROM pgcdc.preflight(tables => ARRAY['"Weird ""Tab"""'::regclass])
WHERE "check" = 'replica_identity';
CREATE ROLE "regress pgcdc ""odd""" IN ROLE pg_monitor;
SET ROLE "regress pgcdc ""odd""";
SELECT "check", status, detail, hint FROM pgcdc.preflight(tables => ARRAY['"Weird ""Tab"""'::regclass])
WHERE "check" IN ('replication_privilege', 'table_privilege');
RESET ROLE;
DROP ROLE "regress pgcdc ""odd""";
DROP TABLE "Weird ""Tab""";

-- Nothing was dropped along the way.
SELECT count(*) AS victim_rows FROM victim;
SELECT count(*) AS slots_left FROM pg_replication_slots;
DROP TABLE victim;
