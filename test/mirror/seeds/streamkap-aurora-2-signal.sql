-- streamkap-aurora-2-signal.sql: Streamkap, "PostgreSQL Change Data Capture Setup on Amazon RDS
-- Aurora with Streamkap" (seed 004), section "Enable Snapshots", run as the master user
-- Verbatim from the seed (lines 39-53).

-- Create the schema
CREATE SCHEMA streamkap;

-- Switch to the newly created schema
SET search_path TO streamkap;

-- Create the table
CREATE TABLE streamkap_signal (
  id VARCHAR(255) PRIMARY KEY, 
  type VARCHAR(32) NOT NULL, 
  data VARCHAR(2000) NULL
);

-- Grant necessary privileges on the table to the role
GRANT SELECT, UPDATE, INSERT ON TABLE streamkap_signal TO streamkap_role;
