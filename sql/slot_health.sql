-- pgcdc.slot_health(): one row per slot with a verdict (ok, warning, critical) and its reasons,
-- for active, inactive, lagging, temporary and physical slots. Thresholds are parameters, NULL
-- switches one off. (Lost and unreserved slots: slot_lost.)
SET synchronous_commit = on;

-- No slots, no rows.
SELECT count(*) FROM pgcdc.slot_health();

CREATE TABLE sh_t (id int PRIMARY KEY, pad text);
SELECT 'init' FROM pg_create_logical_replication_slot('sh_idle', 'pgcdc');
SELECT 'init' FROM pg_create_logical_replication_slot('sh_td', 'test_decoding');
SELECT 'init' FROM pg_create_logical_replication_slot('sh_temp', 'test_decoding', true);
SELECT 'init' FROM pg_create_physical_replication_slot('sh_phys', true);
SELECT 'init' FROM pg_create_physical_replication_slot('sh_phys_lazy');
SELECT 'init' FROM pg_create_logical_replication_slot('sh_active', 'pgcdc');

-- A consumer holds sh_active open: pg_recvlogical in the background, confirming every second.
SELECT current_database() AS db \gset
\setenv PGDATABASE :db
\! timeout 120 pg_recvlogical -d "$PGDATABASE" -S sh_active --start --no-loop -s 1 -F 1 -f - >/dev/null 2>&1 & echo $! >sh_active.pid
SELECT pgcdc_t.wait_active('sh_active', true);

-- Fresh slots are healthy. The temporary slot is active: this session holds it. sh_phys_lazy
-- has reserved no WAL yet, so nothing is measured for it. (A physical slot reserves WAL from
-- the last checkpoint's redo position, a logical one from the current position.)
SELECT slot_name, plugin, slot_type, database, temporary, active, active_pid IS NOT NULL AS has_pid,
       restart_lsn IS NOT NULL AS has_restart_lsn, confirmed_flush_lsn IS NOT NULL AS has_confirmed,
       retained_bytes BETWEEN 0 AND CASE slot_type WHEN 'logical' THEN 1048576 ELSE 1073741824 END AS retains_little,
       lag_bytes BETWEEN 0 AND 1048576 AS lags_little,
       wal_status, safe_wal_size > 0 AS has_safe_size, catalog_xmin_age >= 0 AS has_catalog_xmin, xmin_age,
       total_txns IS NOT NULL AS has_stats,
       -- pg_replication_slots has inactive_since from PostgreSQL 17 on, set when a slot is
       -- released: a temporary slot stays active (held by its session) but has one
       (inactive_since IS NOT NULL) = ((NOT active OR temporary)
                                       AND current_setting('server_version_num')::int >= 170000)
         AS inactive_since_as_expected,
       status, reasons
FROM pgcdc.slot_health() ORDER BY slot_name;
SELECT slot_name, active_pid = pg_backend_pid() AS held_by_me FROM pgcdc.slot_health() WHERE temporary;

-- About 2MB of WAL that nobody but sh_active reads.
SELECT pg_current_wal_lsn() AS before \gset
INSERT INTO sh_t SELECT g, repeat('x', 100) FROM generate_series(1, 12000) AS g;
SELECT pg_current_wal_lsn() AS after \gset
SELECT pg_wal_lsn_diff(:'after', :'before') > pg_size_bytes('1MB') AS enough_wal;
SELECT pgcdc_t.wait_confirmed('sh_active', :'after');

-- What the slots measure: every slot retains (and every inactive logical slot lags by) at least
-- the WAL written since; sh_active's consumer has confirmed it.
SELECT slot_name, retained_bytes >= pg_wal_lsn_diff(:'after', :'before') AS retains_it,
       lag_bytes >= pg_wal_lsn_diff(:'after', :'before') AS lags_by_it
FROM pgcdc.slot_health() ORDER BY slot_name;
-- The default thresholds are far away.
SELECT slot_name, status, reasons FROM pgcdc.slot_health() ORDER BY slot_name;

-- Lag: a warning, or with lag_critical a critical; the physical slots have no lag.
SELECT slot_name, status, pgcdc_t.mask(reasons) AS reasons
FROM pgcdc.slot_health(lag_warning => pg_size_bytes('1MB'))
WHERE slot_name <> 'sh_active' ORDER BY slot_name;
SELECT slot_name, status, pgcdc_t.mask(reasons) AS reasons
FROM pgcdc.slot_health(lag_critical => pg_size_bytes('1MB'))
WHERE slot_name <> 'sh_active' ORDER BY slot_name;

-- Retained WAL: warning, critical (the higher level wins and is the one named).
SELECT slot_name, status, pgcdc_t.mask(reasons) AS reasons
FROM pgcdc.slot_health(retained_warning => pg_size_bytes('1MB'))
WHERE slot_name <> 'sh_active' ORDER BY slot_name;
SELECT slot_name, status, pgcdc_t.mask(reasons) AS reasons
FROM pgcdc.slot_health(retained_warning => pg_size_bytes('1MB'), retained_critical => pg_size_bytes('1MB'))
WHERE slot_name <> 'sh_active' ORDER BY slot_name;

-- Inactive and retaining WAL: a warning for every slot nobody has open, never for active ones
-- (sh_active, and sh_temp, which this session holds).
SELECT slot_name, active, status, pgcdc_t.mask(reasons) AS reasons
FROM pgcdc.slot_health(inactive_retained_warning => 0) ORDER BY slot_name;

-- Several reasons at once, in a fixed order; and NULL switches every check off.
SELECT slot_name, status, pgcdc_t.mask(reasons) AS reasons
FROM pgcdc.slot_health(retained_warning => 0, lag_warning => 0, inactive_retained_warning => 0)
WHERE slot_name = 'sh_idle';
SELECT slot_name, status, reasons
FROM pgcdc.slot_health(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
WHERE slot_name = 'sh_idle';

-- catalog_xmin age: five more transaction ids make every logical slot's catalog_xmin (not
-- sh_active's, which its consumer moves on) at least five transactions old.
DO $$ BEGIN FOR i IN 1..5 LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$;
SELECT slot_name, catalog_xmin_age >= 5 AS old_enough, xmin_age FROM pgcdc.slot_health()
WHERE slot_name <> 'sh_active' ORDER BY slot_name;
SELECT slot_name, status, pgcdc_t.mask(reasons) AS reasons
FROM pgcdc.slot_health(xmin_age_warning => 5)
WHERE slot_name <> 'sh_active' ORDER BY slot_name;
SELECT slot_name, status, pgcdc_t.mask(reasons) AS reasons
FROM pgcdc.slot_health(xmin_age_critical => 5)
WHERE slot_name <> 'sh_active' ORDER BY slot_name;

-- The decoding counters of pg_stat_replication_slots (logical slots only). With 64kB of
-- decoding memory the big transaction spills; reading the slot also ends its lag.
SET logical_decoding_work_mem = '64kB';
SELECT count(*) > 12000 AS decoded FROM pg_logical_slot_get_changes('sh_td', NULL, NULL);
RESET logical_decoding_work_mem;
SELECT slot_name, spill_txns > 0 AS spilled, spill_count > 0 AS spill_count, spill_bytes > 0 AS spill_bytes,
       stream_txns, stream_count, stream_bytes, total_txns > 0 AS total_txns, total_bytes > 0 AS total_bytes
FROM pgcdc.slot_health() WHERE slot_name IN ('sh_td', 'sh_idle', 'sh_phys') ORDER BY slot_name;
SELECT slot_name, status, pgcdc_t.mask(reasons) AS reasons
FROM pgcdc.slot_health(lag_warning => pg_size_bytes('1MB')) WHERE slot_name IN ('sh_td', 'sh_idle') ORDER BY slot_name;

-- A logical slot whose plugin output_plugin_libraries does not list cannot be read: critical.
-- (A superuser may change the list in a session. Servers without the setting allow every
-- plugin, so there nothing is refused.)
DO $$ BEGIN
  IF pgcdc_t.has_plugin_list() THEN PERFORM set_config('output_plugin_libraries', 'pgoutput, "test_decoding"', false); END IF;
END $$;
SELECT slot_name,
       status = CASE WHEN pgcdc_t.has_plugin_list() AND plugin = 'pgcdc' THEN 'critical' ELSE 'ok' END AS status_as_expected,
       reasons = CASE WHEN pgcdc_t.has_plugin_list() AND plugin = 'pgcdc'
                      THEN '{"its output plugin pgcdc is not listed in output_plugin_libraries, so the slot cannot be read"}'
                      ELSE '{}'::text[] END AS reasons_as_expected
FROM pgcdc.slot_health() ORDER BY slot_name;
SELECT count(*) AS refused FROM pgcdc.slot_health() WHERE status = 'critical';
RESET output_plugin_libraries;

-- The consumer goes away: sh_active is inactive, with no pid.
\! kill $(cat sh_active.pid)
SELECT pgcdc_t.wait_active('sh_active', false);
SELECT slot_name, active, active_pid FROM pgcdc.slot_health() WHERE slot_name = 'sh_active';

SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE NOT temporary ORDER BY slot_name;
SELECT pg_drop_replication_slot('sh_temp');
SELECT count(*) FROM pgcdc.slot_health();
DROP TABLE sh_t;
