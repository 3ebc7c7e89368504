-- dbconvert-4.2-monitor.sql: DBConvert, "AWS Aurora PostgreSQL CDC Setup Guide" (seed 002),
-- section 4.2 "Monitor Replication"
-- Verbatim from the seed (lines 102-107).

-- Check replication status
SELECT * FROM pg_stat_replication;

-- Check WAL sender processes
SELECT * FROM pg_stat_activity 
WHERE backend_type = 'walsender';
