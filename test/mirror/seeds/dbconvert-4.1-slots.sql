-- dbconvert-4.1-slots.sql: DBConvert, "AWS Aurora PostgreSQL CDC Setup Guide" (seed 002), section
-- 4.1 "Check Replication Slots"
-- Verbatim from the seed (lines 89-96).

-- List replication slots
SELECT * FROM pg_replication_slots;

-- List publications
SELECT * FROM pg_publication;

-- List subscriptions (if any)
SELECT * FROM pg_subscription;
