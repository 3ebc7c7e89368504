-- pgcdc.metrics(): Aurora's CloudWatch figures, computed locally, and the slot and wal sender
-- counts. (A caller without pg_ls_waldir(): privileges.)
SET synchronous_commit = on;

-- No slots: nothing retained. max_replication_slots and max_wal_senders are lib.sh's 20.
SELECT metric, value, unit FROM pgcdc.metrics() WHERE metric <> 'TransactionLogsDiskUsage';
-- pg_wal's size is what pg_ls_waldir() adds up (superuser here).
SELECT m.value = (SELECT sum(size) FROM pg_ls_waldir()) AS is_pg_wal, m.value > 0 AS positive
FROM pgcdc.metrics() AS m WHERE m.metric = 'TransactionLogsDiskUsage';

-- m_old pins WAL from before a segment switch, m_new from after it; m_lazy pins nothing.
CREATE TABLE m_t (id int);
SELECT 'init' FROM pg_create_logical_replication_slot('m_old', 'pgcdc');
INSERT INTO m_t VALUES (1);
SELECT pg_switch_wal() IS NOT NULL AS switched;
SELECT 'init' FROM pg_create_logical_replication_slot('m_new', 'test_decoding');
SELECT 'init' FROM pg_create_physical_replication_slot('m_lazy');

-- OldestReplicationSlotLag is what the worst slot (m_old) retains, measured between two reads
-- of the current position; ReplicationSlotDiskUsage counts whole segments: m_old's and the
-- current one.
SELECT pg_current_wal_lsn() AS lsn_before, restart_lsn AS old_restart FROM pg_replication_slots WHERE slot_name = 'm_old' \gset
CREATE TEMP TABLE m AS SELECT * FROM pgcdc.metrics();
SELECT pg_current_wal_lsn() AS lsn_after \gset
SELECT value BETWEEN pg_wal_lsn_diff(:'lsn_before', :'old_restart') AND pg_wal_lsn_diff(:'lsn_after', :'old_restart')
       AS worst_slot
FROM m WHERE metric = 'OldestReplicationSlotLag';
SELECT value = 2 * pg_size_bytes(current_setting('wal_segment_size')) AS two_segments
FROM m WHERE metric = 'ReplicationSlotDiskUsage';
SELECT metric, value FROM m WHERE unit = 'Count';

-- A consumer on m_new: one wal sender, one slot fewer inactive.
SELECT current_database() AS db \gset
\setenv PGDATABASE :db
\! timeout 120 pg_recvlogical -d "$PGDATABASE" -S m_new --start --no-loop -f - >/dev/null 2>&1 & echo $! >m_new.pid
SELECT pgcdc_t.wait_active('m_new', true);
SELECT metric, value FROM pgcdc.metrics() WHERE unit = 'Count';
\! kill $(cat m_new.pid)
SELECT pgcdc_t.wait_active('m_new', false);

-- Without slots, back to nothing retained.
SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots ORDER BY slot_name;
SELECT metric, value FROM pgcdc.metrics() WHERE metric IN ('OldestReplicationSlotLag', 'ReplicationSlotDiskUsage');
DROP TABLE m_t;
