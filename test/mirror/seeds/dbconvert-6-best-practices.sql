-- dbconvert-6-best-practices.sql: DBConvert, "AWS Aurora PostgreSQL CDC Setup Guide" (seed 002),
-- section 6 "Best Practices".
-- Its first statement has no FROM clause, so "active" names no column: PostgreSQL refuses it
-- (column "active" does not exist). Kept as written
-- Verbatim from the seed (lines 137-144), placeholders filled: 'slot_name' as 'dbconvert_slot'.

-- Clean up unused replication slots
SELECT pg_drop_replication_slot('dbconvert_slot')
WHERE NOT active;

-- Monitor slot lag
SELECT slot_name, 
       pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)) as replication_lag
FROM pg_replication_slots;
