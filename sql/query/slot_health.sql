-- Slot health: one row per replication slot (logical and physical, temporary ones included),
-- ordered by name, with a verdict (ok, warning, critical: the worst of its reasons) and the
-- reasons in words. The body of pgcdc.slot_health() and of the client's "pgcdc slot health";
-- it needs no extension and only reads.
--
-- Parameters, in pgcdc.slot_health's order (its defaults are documented there); NULL switches
-- a check off. Each is cast here, once, so a client may send them all as untyped text:
--   $1 retained_warning, $2 retained_critical         bytes of WAL the slot retains
--   $3 lag_warning, $4 lag_critical                   bytes its consumer has not confirmed
--   $5 xmin_age_warning, $6 xmin_age_critical         transactions since xmin / catalog_xmin
--   $7 inactive_retained_warning                      bytes retained by an inactive slot
--   $8 critical_wal_status                            text[] of wal_status values
WITH param AS (
  SELECT $1::bigint AS retained_warning, $2::bigint AS retained_critical,
         $3::bigint AS lag_warning, $4::bigint AS lag_critical,
         $5::bigint AS xmin_age_warning, $6::bigint AS xmin_age_critical,
         $7::bigint AS inactive_retained_warning, $8::text[] AS critical_wal_status
), pos AS (
  --@include current_position.sql
), allowed AS (
  --@include allowed_output_plugins.sql
), s AS (
  SELECT r.slot_name, r.plugin, r.slot_type, r.database, r.temporary, r.active, r.active_pid,
         r.restart_lsn, r.confirmed_flush_lsn, r.wal_status, r.safe_wal_size,
         pg_wal_lsn_diff(pos.lsn, r.restart_lsn)::bigint AS retained,
         CASE WHEN r.slot_type = 'logical'
              THEN pg_wal_lsn_diff(pos.lsn, r.confirmed_flush_lsn)::bigint END AS lag,
         age(r.catalog_xmin) AS catalog_age,
         age(r.xmin) AS data_age,
         -- Columns a release lacks read as NULL through to_jsonb (inactive_since: 17).
         (to_jsonb(r) ->> 'inactive_since')::timestamptz AS inactive_at,
         to_jsonb(r) ->> 'invalidation_reason' AS invalidated_by,
         r.plugin <> ALL (allowed.plugins) AS plugin_refused
  FROM pg_replication_slots AS r CROSS JOIN pos CROSS JOIN allowed
)
-- Named as pgcdc.slot_health's columns, so that a client prints the same headers.
SELECT s.slot_name, s.plugin, s.slot_type, s.database, s.temporary, s.active, s.active_pid,
       s.restart_lsn, s.confirmed_flush_lsn, s.retained AS retained_bytes, s.lag AS lag_bytes,
       s.wal_status, s.safe_wal_size, s.catalog_age AS catalog_xmin_age, s.data_age AS xmin_age,
       st.spill_txns, st.spill_count, st.spill_bytes, st.stream_txns, st.stream_count,
       st.stream_bytes, st.total_txns, st.total_bytes,
       s.inactive_at AS inactive_since, v.status, v.reasons
FROM s
CROSS JOIN param AS p
LEFT JOIN pg_stat_replication_slots AS st ON st.slot_name = s.slot_name
CROSS JOIN LATERAL (
  -- One row per check: level 2 is critical, 1 a warning, NULL passed.
  SELECT CASE max(c.level) WHEN 2 THEN 'critical' WHEN 1 THEN 'warning' ELSE 'ok' END AS status,
         coalesce(array_agg(c.reason ORDER BY c.ord) FILTER (WHERE c.level IS NOT NULL),
                  '{}') AS reasons
  FROM (VALUES
    (1, CASE WHEN s.wal_status = ANY (p.critical_wal_status) THEN 2 END,
     CASE s.wal_status
       WHEN 'lost' THEN
         'wal_status is lost' || coalesce(' (' || s.invalidated_by || ')', '')
         || ': the slot was invalidated and can never be read again; drop and recreate it'
       WHEN 'unreserved' THEN
         'wal_status is unreserved: it retains more than max_slot_wal_keep_size, and the WAL'
         || ' it needs is removed at the next checkpoint unless its consumer catches up'
       ELSE format('wal_status is %s', s.wal_status)
     END),
    (2, CASE WHEN s.retained >= p.retained_critical THEN 2
             WHEN s.retained >= p.retained_warning THEN 1 END,
     format('retains %s of WAL (%s)', pg_size_pretty(s.retained),
            CASE WHEN s.retained >= p.retained_critical
                 THEN 'critical from ' || pg_size_pretty(p.retained_critical)
                 ELSE 'warning from ' || pg_size_pretty(p.retained_warning) END)),
    (3, CASE WHEN s.lag >= p.lag_critical THEN 2
             WHEN s.lag >= p.lag_warning THEN 1 END,
     format('its consumer has not confirmed the last %s of WAL (%s)', pg_size_pretty(s.lag),
            CASE WHEN s.lag >= p.lag_critical
                 THEN 'critical from ' || pg_size_pretty(p.lag_critical)
                 ELSE 'warning from ' || pg_size_pretty(p.lag_warning) END)),
    -- An invalidated slot still shows its old xmins, but they no longer hold vacuum back.
    (4, CASE WHEN s.wal_status IS DISTINCT FROM 'lost' THEN
          CASE WHEN s.catalog_age >= p.xmin_age_critical THEN 2
               WHEN s.catalog_age >= p.xmin_age_warning THEN 1 END END,
     format('catalog_xmin is %s transactions old, %s%% of the way to the wraparound limit:'
            || ' vacuum cannot remove catalog rows deleted since (%s)', s.catalog_age,
            round(100.0 * s.catalog_age / 2147483648, 1),
            CASE WHEN s.catalog_age >= p.xmin_age_critical
                 THEN 'critical from ' || p.xmin_age_critical
                 ELSE 'warning from ' || p.xmin_age_warning END)),
    (5, CASE WHEN s.wal_status IS DISTINCT FROM 'lost' THEN
          CASE WHEN s.data_age >= p.xmin_age_critical THEN 2
               WHEN s.data_age >= p.xmin_age_warning THEN 1 END END,
     format('xmin is %s transactions old, %s%% of the way to the wraparound limit:'
            || ' vacuum cannot remove rows deleted since (%s)', s.data_age,
            round(100.0 * s.data_age / 2147483648, 1),
            CASE WHEN s.data_age >= p.xmin_age_critical
                 THEN 'critical from ' || p.xmin_age_critical
                 ELSE 'warning from ' || p.xmin_age_warning END)),
    (6, CASE WHEN NOT s.active AND s.retained >= p.inactive_retained_warning THEN 1 END,
     format('inactive, and retains %s of WAL that nobody is reading (warning from %s)',
            pg_size_pretty(s.retained), pg_size_pretty(p.inactive_retained_warning))),
    (7, CASE WHEN s.slot_type = 'logical' AND s.plugin_refused THEN 2 END,
     format('its output plugin %s is not listed in output_plugin_libraries, so the slot'
            || ' cannot be read', s.plugin))
  ) AS c(ord, level, reason)
) AS v
ORDER BY s.slot_name
