-- streamkap-rds-2-signal.sql: Streamkap, "PostgreSQL Change Data Capture Setup on Amazon RDS with
-- Streamkap" (seed 003), section "Enable Snapshots", run as the master user.
-- The guide's CREATE TABLE lacks its closing ");": PostgreSQL reads the GRANT as part of it and
-- fails (syntax error at or near "GRANT"), so neither statement runs. Kept as written
-- Verbatim from the seed (lines 37-41).

CREATE TABLE streamkap_signal (
  type VARCHAR(32) NOT NULL, 
  data VARCHAR(2000) NULL

GRANT SELECT, UPDATE, INSERT ON streamkap_signal TO streamkap_role;
