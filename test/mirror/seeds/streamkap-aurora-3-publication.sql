-- streamkap-aurora-3-publication.sql: Streamkap, "PostgreSQL Change Data Capture Setup on Amazon
-- RDS Aurora with Streamkap" (seed 004), section "Create Publication(s) & Slot", run as the master
-- user.
-- The guide gives both options in one block: run as written, Option 2 finds the publication
-- Option 1 made, and the ALTER PUBLICATION meets a FOR ALL TABLES publication (both errors are
-- PostgreSQL's, and the suite expects them)
-- Verbatim from the seed (lines 98-121), placeholders filled: table1, table2, table3, ... as
-- table1, table2, table3.

-- Note: You must have table ownership privileges on the table(s)

-- Create a publication for all tables or specific table(s) to replicate

-- Option 1: All Tables
CREATE PUBLICATION streamkap_pub FOR ALL TABLES;

-- Option 2: Specific Tables
CREATE PUBLICATION streamkap_pub FOR TABLE table1, table2, table3;

-- If you didn't add ALL TABLES, add our signal table to the publication
ALTER PUBLICATION streamkap_pub ADD TABLE streamkap_signal;

-- If you need to drop a table
-- ALTER PUBLICATION streamkap_pub DROP TABLE table5;

-- PostgreSQL 13 or later, enable the adding of partitioned tables
-- CREATE PUBLICATION streamkap_pub FOR ALL TABLES WITH (publish_via_partition_root=true);

-- Create a logical replication slot
SELECT pg_create_logical_replication_slot('streamkap_pgoutput_slot', 'pgoutput');

-- Verify the table(s) to replicate were added to the publication
SELECT * FROM pg_publication_tables;
