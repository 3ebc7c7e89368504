#!/usr/bin/env bash
# scripts/demo.sh: the README's demo command. Builds and installs pgcdc (the plugin, the extension,
# the pgcdc command and the Aurora mirror), starts a throw-away Aurora mirror (pgcdc-mirror, in a
# temporary folder), turns logical replication on as on Aurora (the parameter group, then a
# reboot), and creates a CDC user that is not a superuser but a member of rds_replication. It runs
# the pre-flight checks, streams a small workload's changes as JSON Lines with "pgcdc stream" over
# TLS (verify-full) as that user while the workload runs, and shows the slot's health. Cleans
# everything up.
#
#   bash scripts/demo.sh               # PGCDC_DEMO_OPTIONS="-o include-lsn" to pass plugin options
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

scripts/deps.sh test
jobs=$(nproc 2>/dev/null || echo 2)
make -s -j"$jobs"
make -s install
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs" --target pgcdc >/dev/null
cmake --install build >/dev/null

. "$top/test/lib.sh"
dir=$(mktemp -d /tmp/pgcdc-demo.XXXXXX)
chmod 755 "$dir" # the server user creates the mirror's cluster inside
export PGCDC_MIRROR_DIR=$dir/mirror
stream_pid=
cleanup() {
	[ -n "$stream_pid" ] && kill "$stream_pid" 2>/dev/null && wait "$stream_pid" 2>/dev/null
	pgcdc-mirror destroy >/dev/null 2>&1
	rm -rf "$dir"
}
trap cleanup EXIT

step() { printf '\n\033[1m-- %s\033[0m\n' "$*" >&2; }
sql() {
	printf '\033[2m%s\033[0m\n' "$1" >&2
	psql -X -q -v ON_ERROR_STOP=1 -c "$1" >/dev/null
	sleep 0.3
}

step "pgcdc-mirror start: a local PostgreSQL that behaves like Aurora PostgreSQL (roles, TLS, parameter group)"
pgcdc-mirror start --port "$(free_port 58432)"
eval "$(pgcdc-mirror env)" # the master user, over TLS with sslmode=verify-full

step "the parameter group: rds.logical_replication=1, then a reboot, as on Aurora"
pgcdc-mirror set rds.logical_replication=1
pgcdc-mirror reboot

step "a CDC user: not a superuser, a member of rds_replication (as the master user)"
sql "CREATE ROLE cdc LOGIN PASSWORD 'cdc-demo' IN ROLE rds_replication"
sql "CREATE TABLE users (id int PRIMARY KEY, name text, email text, balance numeric(10,2),
     tags text[], profile jsonb, seen timestamptz)"
sql "GRANT SELECT ON users TO cdc"

step "pgcdc check: can this server do CDC? (no extension needed; as the master user)"
pgcdc check --table users || true

step "pgcdc slot create demo, then pgcdc stream --slot demo as the CDC user, over TLS (records appear below as they stream)"
PGUSER=cdc PGPASSWORD=cdc-demo pgcdc slot create demo
# shellcheck disable=SC2086
PGUSER=cdc PGPASSWORD=cdc-demo pgcdc stream --slot demo --fsync-interval 1 --status-interval 1 ${PGCDC_DEMO_OPTIONS:-} &
stream_pid=$!
sleep 1

step "a workload"
sql "INSERT INTO users VALUES (1, 'Ann', 'ann@example.com', 120.50, '{admin,beta}', '{\"theme\": \"dark\"}', now())"
sql "INSERT INTO users VALUES (2, 'Bob', NULL, -3.25, '{}', '{\"langs\": [\"en\", \"fr\"]}', '2026-11-21 10:00:00+01')"
sql "UPDATE users SET balance = balance + 10, seen = now() WHERE id = 1"
sql "BEGIN; UPDATE users SET id = 3 WHERE id = 2; SELECT pg_logical_emit_message(true, 'app', 'renumbered bob'); COMMIT"
sql "BEGIN; INSERT INTO users (id, name) VALUES (9, 'rolled back'); ROLLBACK"
sql "DELETE FROM users WHERE id = 1"
sql "SELECT pg_logical_emit_message(false, 'ops', 'non-transactional')"
sql "TRUNCATE users"

# Wait until the stream has confirmed everything, then stop it (SIGINT: durable, confirmed, exit 0).
end=$(psql -X -At -c "SELECT pg_current_wal_lsn()")
for _ in $(seq 1 50); do
	done_=$(psql -X -At -c "SELECT confirmed_flush_lsn >= '$end' FROM pg_replication_slots WHERE slot_name = 'demo'")
	[ "$done_" = t ] && break
	sleep 0.2
done
kill -INT "$stream_pid"
wait "$stream_pid"
stream_pid=

step "pgcdc slot health: the slot has confirmed everything and retains almost no WAL"
pgcdc slot health

step "the same plugin through the SQL interface, with options (slot 'demo2', include-lsn, include-types)"
psql -X -q -At <<'SQL'
SELECT pg_create_logical_replication_slot('demo2', 'pgcdc') \g /dev/null
INSERT INTO users VALUES (4, 'Dee', 'dee@example.com', 0, '{x}', '{}', '2026-11-21T10:00:00Z');
SELECT data FROM pg_logical_slot_get_changes('demo2', NULL, NULL,
  'include-lsn', 'on', 'include-types', 'on', 'include-tables', 'public.users');
SELECT pg_drop_replication_slot('demo2') \g /dev/null
SQL
pgcdc slot drop demo
step "done"
