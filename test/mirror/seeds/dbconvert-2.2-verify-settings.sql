-- dbconvert-2.2-verify-settings.sql: DBConvert, "AWS Aurora PostgreSQL CDC Setup Guide" (seed
-- 002), section 2.2 "Verify Settings"
-- Verbatim from the seed (lines 36-47).

-- Check WAL level
SHOW wal_level;  -- Should return 'logical'

-- Verify replication settings
SELECT name, setting 
FROM pg_settings 
WHERE name IN (
    'wal_level',
    'max_replication_slots',
    'max_wal_senders',
    'rds.logical_replication'
);
