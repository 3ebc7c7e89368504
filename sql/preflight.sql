-- pgcdc.preflight() on a well configured server (this suite's settings), then what it says
-- about captured tables, publications, roles and session settings. (A badly configured server:
-- the misconfigured suite.)
SET synchronous_commit = on;
\set SHOW_CONTEXT never

CREATE TABLE pf_pk (id int PRIMARY KEY);

-- Everything passes. (Servers without output_plugin_libraries describe that row differently.)
SELECT "check", status, CASE WHEN "check" = 'output_plugin_libraries' THEN '-' ELSE detail END AS detail, hint
FROM pgcdc.preflight();
SELECT status, detail = CASE WHEN pgcdc_t.has_plugin_list()
                             THEN 'output_plugin_libraries is ''pgoutput, test_decoding, pgcdc'', which lists pgcdc'
                             ELSE 'this server has no output_plugin_libraries setting: every installed output plugin may be used' END
         AS detail_as_expected
FROM pgcdc.preflight() WHERE "check" = 'output_plugin_libraries';

-- Tables: with a primary key, REPLICA IDENTITY FULL or USING INDEX they are fine; without a
-- key, with REPLICA IDENTITY NOTHING or with the identity index dropped, their UPDATE and
-- DELETE records carry no key. A partitioned table stands for its partitions.
CREATE TABLE pf_full (a int);
ALTER TABLE pf_full REPLICA IDENTITY FULL;
CREATE TABLE pf_index (a int NOT NULL);
CREATE UNIQUE INDEX pf_index_a ON pf_index (a);
ALTER TABLE pf_index REPLICA IDENTITY USING INDEX pf_index_a;
CREATE TABLE pf_nopk (a int);
CREATE TABLE pf_nothing (id int PRIMARY KEY);
ALTER TABLE pf_nothing REPLICA IDENTITY NOTHING;
CREATE TABLE pf_gone (a int NOT NULL);
CREATE UNIQUE INDEX pf_gone_a ON pf_gone (a);
ALTER TABLE pf_gone REPLICA IDENTITY USING INDEX pf_gone_a;
DROP INDEX pf_gone_a;
CREATE TABLE pf_part (id int, k int) PARTITION BY RANGE (k);
CREATE TABLE pf_part_1 PARTITION OF pf_part FOR VALUES FROM (0) TO (10);
CREATE TABLE pf_part_2 (id int PRIMARY KEY, k int);
ALTER TABLE pf_part ATTACH PARTITION pf_part_2 FOR VALUES FROM (10) TO (20);
CREATE UNLOGGED TABLE pf_unlogged (id int PRIMARY KEY);
CREATE VIEW pf_view AS SELECT 1 AS one;

-- Every permanent table of the database (the unlogged one never reaches a slot: not listed).
SELECT "check", status, detail, hint FROM pgcdc.preflight() WHERE "check" IN ('captured_tables', 'replica_identity');
-- Listed tables only; a view or an unlogged table listed is reported.
SELECT "check", status, detail, hint
FROM pgcdc.preflight(tables => '{pf_pk, pf_full, pf_index, pf_part, pf_unlogged, pf_view}')
WHERE "check" IN ('captured_tables', 'replica_identity');

-- What is listed but never decoded is said to be so, an error as a view is (CREATE PUBLICATION
-- refuses both): a system catalog (PostgreSQL never decodes catalog changes; that pg_class has
-- REPLICA IDENTITY NOTHING is beside the point), a catalog's TOAST table, a table's TOAST table
-- (its values come with the table's changes). information_schema's tables were made by initdb:
-- pgcdc decodes them (they are checked like any table), pgoutput never publishes them.
CREATE TABLE pf_toasted (id int PRIMARY KEY, doc text);
SELECT "check", status, detail, hint FROM pgcdc.preflight(tables => '{pg_class}')
WHERE "check" IN ('captured_tables', 'replica_identity', 'table_privilege');
SELECT "check", status, regexp_replace(detail, 'pg_toast_[0-9]+', 'pg_toast_N') AS detail, hint
FROM pgcdc.preflight(tables => ARRAY['pg_class'::regclass, 'pg_toast.pg_toast_1262',
                                     'information_schema.sql_features',
                                     (SELECT c.reltoastrelid FROM pg_class AS c WHERE c.oid = 'pf_toasted'::regclass),
                                     'pf_pk'])
WHERE "check" IN ('captured_tables', 'replica_identity', 'table_privilege');
SELECT "check", status, detail, hint
FROM pgcdc.preflight(plugin => 'pgoutput', tables => '{information_schema.sql_features, pg_catalog.pg_proc, pf_pk}')
WHERE "check" IN ('captured_tables', 'replica_identity', 'table_privilege');
-- The default set (no tables, no publication) leaves the system schemas out.
SELECT count(*) AS system_tables_mentioned FROM pgcdc.preflight()
WHERE detail ~ '(pg_catalog|information_schema|pg_toast)\.';
DROP TABLE pf_toasted;

-- In a publication that publishes updates, a table without a replica identity refuses UPDATE
-- and DELETE: an error, whether or not that publication is the one checked.
CREATE PUBLICATION pf_pub FOR TABLE pf_pk, pf_nopk;
CREATE PUBLICATION pf_pub_inserts FOR TABLE pf_nothing WITH (publish = 'insert');
INSERT INTO pf_nopk VALUES (1);
UPDATE pf_nopk SET a = 2;
SELECT "check", status, detail, hint FROM pgcdc.preflight(plugin => 'pgoutput', publication => 'pf_pub')
WHERE "check" IN ('publication', 'captured_tables', 'replica_identity');
SELECT "check", status, detail FROM pgcdc.preflight(tables => '{pf_nopk, pf_nothing}') WHERE "check" = 'replica_identity';
SELECT "check", status, detail FROM pgcdc.preflight(plugin => 'pgoutput', publication => 'pf_pub_inserts')
WHERE "check" IN ('publication', 'replica_identity');
-- pgoutput without a publication, and a publication that does not exist.
SELECT "check", status, detail, hint FROM pgcdc.preflight(plugin => 'pgoutput') WHERE "check" = 'publication';
SELECT "check", status, detail, hint FROM pgcdc.preflight(publication => 'pf_nope') WHERE "check" IN ('publication', 'replica_identity');
DROP PUBLICATION pf_pub;
DROP PUBLICATION pf_pub_inserts;

-- The role: a pg_monitor member without REPLICATION, and one that cannot read every table.
CREATE ROLE regress_pgcdc_pf IN ROLE pg_monitor;
GRANT SELECT ON pf_pk TO regress_pgcdc_pf;
SET ROLE regress_pgcdc_pf;
SELECT "check", status, detail, hint FROM pgcdc.preflight(tables => '{pf_pk, pf_full}')
WHERE "check" IN ('replication_privilege', 'table_privilege');
SELECT "check", status, detail FROM pgcdc.preflight(tables => '{pf_pk}') WHERE "check" = 'table_privilege';
RESET ROLE;
-- On Amazon RDS and Aurora, membership of rds_replication is how a role gets to replicate; that
-- is recognised there (simulated here by the rds.logical_replication setting RDS defines), and
-- nowhere else.
CREATE ROLE rds_replication;
GRANT rds_replication TO regress_pgcdc_pf;
SET ROLE regress_pgcdc_pf;
SELECT "check", status, detail FROM pgcdc.preflight() WHERE "check" = 'replication_privilege';
SET rds.logical_replication = 1;
SELECT "check", status, detail, hint FROM pgcdc.preflight() WHERE "check" = 'replication_privilege';
RESET rds.logical_replication;
SELECT "check", status FROM pgcdc.preflight() WHERE "check" = 'replication_privilege';
RESET ROLE;
ALTER ROLE regress_pgcdc_pf REPLICATION;
SET ROLE regress_pgcdc_pf;
SELECT "check", status, detail FROM pgcdc.preflight() WHERE "check" = 'replication_privilege';
RESET ROLE;
DROP ROLE rds_replication;
REVOKE SELECT ON pf_pk FROM regress_pgcdc_pf;
DROP ROLE regress_pgcdc_pf;

-- Settings a session can change: short wal_sender_timeout, little decoding memory.
SET wal_sender_timeout = '5s';
SET logical_decoding_work_mem = '64kB';
SELECT "check", status, detail, hint FROM pgcdc.preflight()
WHERE "check" IN ('wal_sender_timeout', 'logical_decoding_work_mem');
RESET wal_sender_timeout;
RESET logical_decoding_work_mem;

DROP VIEW pf_view;
DROP TABLE pf_pk, pf_full, pf_index, pf_nopk, pf_nothing, pf_gone, pf_part, pf_unlogged;
