#!/usr/bin/env bash
# test/client/recovery.sh: pgcdc stream keeps going, losing and repeating nothing, through
#   1. the server restarted with pg_ctl restart -m immediate (a crash) while it streams;
#   2. a second consumer holding the slot ("is active for PID") until it is killed;
#   3. the connection cut by a TCP proxy that the test breaks three times and restores.
# Each time writers commit transactions all along; afterwards the file must be exactly what the
# plugin writes for the same changes through SQL (a twin slot created beside the slot).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/test/lib.sh"
. "$here/common.sh"

proxy_bin=${PGCDC_TCP_PROXY:-$top/build/tcp_proxy}
[ -x "$proxy_bin" ] || { echo "no TCP proxy at $proxy_bin (cmake --build build)" >&2; exit 1; }

port=$(free_port 56632)
PGCDC_LISTEN_TCP=1 start_suite client-recovery "$port"
psql_q -c "CREATE TABLE t (id bigserial PRIMARY KEY, scenario text, body text)"

# writer NAME: commits small transactions (and one of 2000 rows in ten) until $dir/stop.NAME
# exists, starting a new session when the server drops one.
writer() {
	local name=$1 i=0
	while [ ! -e "$dir/stop.$name" ]; do
		while [ ! -e "$dir/stop.$name" ]; do
			i=$((i + 1))
			if [ $((i % 10)) -eq 0 ]; then
				echo "INSERT INTO t (scenario, body) SELECT '$name', md5(g::text) FROM generate_series(1, 2000) g;"
			else
				echo "INSERT INTO t (scenario, body) VALUES ('$name', 'row $i');"
			fi
			sleep 0.01
		done | psql -X -q -v ON_ERROR_STOP=1 >/dev/null 2>>"$dir/writer.err" || sleep 0.2
	done
}

# finish_scenario NAME CLIENT_PID: stops the writer, lets the client catch up, stops it (SIGTERM),
# and compares its file with the twin's records.
finish_scenario() {
	local name=$1 pid=$2 end rc=0
	touch "$dir/stop.$name"
	wait "$writer_pid" 2>/dev/null || true
	end=$(wal_lsn)
	check "$name: the client catches up with the server" wait_until 60 slot_reached "$name" "$end"
	stop_bg "$pid" TERM || rc=$?
	check "$name: SIGTERM, exit 0 (got $rc)" test "$rc" -eq 0
	twin_records "twin_$name" "$end" >"$dir/$name.twin"
	check "$name: the file is exactly the twin's $(lines "$dir/$name.twin") records" cmp -s "$dir/$name.jsonl" "$dir/$name.twin"
	check "$name: rows were written during the scenario" test "$(psql_q -c "SELECT count(*) FROM t WHERE scenario = '$name'")" -gt 100
}

start_scenario() {
	"$PGCDC" slot create "$1" >/dev/null
	"$PGCDC" slot create "twin_$1" >/dev/null
	writer "$1" &
	writer_pid=$!
}

# 1. A crash restart of the server.
start_scenario crash
pgcdc_bg crash stream --slot crash -f "$dir/crash.jsonl" --fsync-interval 0.2 --status-interval 0.5
client=$bg_pid
sleep 2
as_server_user "$PG_BINDIR/pg_ctl" -D "$dir/data" -m immediate -w restart -l "$dir/server.log" >/dev/null
sleep 3
finish_scenario crash "$client"
check "crash: the client said it reconnected" grep -q "reconnecting in" "$dir/crash.err"

# 2. Another consumer holds the slot; pgcdc retries until the slot is free. pg_recvlogical with
#    hour-long status and fsync intervals confirms nothing before it is killed.
"$PGCDC" slot create held >/dev/null
"$PGCDC" slot create twin_held >/dev/null
"$PG_BINDIR/pg_recvlogical" -d postgres -S held --start -f /dev/null -F 3600 -s 3600 2>/dev/null &
other=$!
check "held: the other consumer holds the slot" wait_until 10 slot_active held
writer held &
writer_pid=$!
pgcdc_bg held stream --slot held -f "$dir/held.jsonl" --fsync-interval 0.2 --status-interval 0.5
client=$bg_pid
check "held: pgcdc retries while the slot is active for another PID" wait_until 20 grep -q "is active for PID" "$dir/held.err"
check "held: and is still running" kill -0 "$client"
kill -9 "$other"
wait "$other" 2>/dev/null || true
finish_scenario held "$client"

# 3. The connection cut by a TCP proxy, three times.
proxy_port=$(free_port $((port + 1)))
"$proxy_bin" "$proxy_port" "$port" >"$dir/proxy.pid" &
proxy=$!
wait_until 5 test -s "$dir/proxy.pid"
start_scenario proxy
PGHOST=127.0.0.1 PGPORT=$proxy_port pgcdc_bg proxy stream --slot proxy -f "$dir/proxy.jsonl" \
	--fsync-interval 0.2 --status-interval 0.5
client=$bg_pid
for cut in 1 2 3; do
	sleep 1.5
	kill -USR1 "$proxy"
	sleep 1.5
	kill -USR2 "$proxy"
done
sleep 1
finish_scenario proxy "$client"
kill "$proxy" 2>/dev/null || true
check "proxy: the client reconnected after each of the 3 cuts" test "$(grep -c "reconnecting in" "$dir/proxy.err")" -ge 3
check "proxy: it said why (connection lost)" grep -q "connection lost\|server closed the connection\|could not" "$dir/proxy.err"

finish
