-- The current position, which slot figures are measured from: the end of WAL on a primary, the
-- replay position on a standby (where logical slots exist from PostgreSQL 16).
SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
            ELSE pg_current_wal_lsn() END AS lsn
