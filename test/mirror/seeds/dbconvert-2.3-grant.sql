-- dbconvert-2.3-grant.sql: DBConvert, "AWS Aurora PostgreSQL CDC Setup Guide" (seed 002), section
-- 2.3 "Grant Replication Privileges", run as the master user
-- Verbatim from the seed (lines 54-58), placeholders filled: your_user as dbconvert_user.

-- Grant replication privilege to your user
ALTER USER dbconvert_user WITH REPLICATION;

-- Grant table access
GRANT SELECT ON ALL TABLES IN SCHEMA public TO dbconvert_user;
