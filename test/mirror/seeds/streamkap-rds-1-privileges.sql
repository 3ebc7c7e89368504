-- streamkap-rds-1-privileges.sql: Streamkap, "PostgreSQL Change Data Capture Setup on Amazon RDS
-- with Streamkap" (seed 003), section "Granting Privileges", run as the master user
-- Verbatim from the seed (lines 15-26), placeholders filled: '{password}' as 'Streamkap-Secret-1';
-- "{database}" as "postgres"; "{schema}" as "public".

-- Replace { ... } placeholders as required
CREATE USER streamkap_user PASSWORD 'Streamkap-Secret-1';

-- Create a role for Streamkap
CREATE ROLE streamkap_role;
GRANT streamkap_role TO streamkap_user;
GRANT rds_replication TO streamkap_role;

-- Grant Streamkap permissions on the database, schema and all tables to capture
GRANT CREATE ON DATABASE "postgres" TO streamkap_role;
GRANT CREATE, USAGE ON SCHEMA "public" TO streamkap_role;
GRANT SELECT ON ALL TABLES IN SCHEMA "public" TO streamkap_role;
