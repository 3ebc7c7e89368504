#!/usr/bin/env bash
# scripts/test-pg18.sh: runs the server suites against PostgreSQL 18, built from the release source.
#
# Debian 12 packages only PostgreSQL 15. This script takes the 18.6 release tarball (by default
# from ../shared/pg-src beside the repository; PGCDC_PG_SOURCE=DIR for another folder), checks its
# sha256 against the Debian source package's .dsc next to it, and builds and installs it once into
# a cache folder outside the repository:
#
#   $PGCDC_CACHE, or /var/cache/pgcdc as root (the postgres user must be able to run the binaries,
#   and root's home is closed to it), or ${XDG_CACHE_HOME:-~/.cache}/pgcdc otherwise;
#   the server goes to <cache>/pg-18.6, with test_decoding and pg_walinspect, which the suites use.
#
# A build is reused only when <cache>/pg-18.6/.pgcdc-build says it completed with the same tarball
# and options (the file is written last), so an interrupted build is started again from scratch.
# The server is built with assertions (--enable-cassert), which check the plugin's use of the
# server's APIs; Debian's 15 has none.
#
# pgcdc is then built in a fresh copy of the source tree (without any object, library, .deps or
# generated file of the tree, so nothing compiled for 15 is linked for 18 and the tree's own build
# for 15 is left alone), installed into that prefix, and the suites run with PG_CONFIG pointing at
# it: the pg_regress suites (plugin, extension, misconfigured), the stream, queries and property
# tests. They take every binary from that installation (test/lib.sh). Needs no lock on the
# PostgreSQL 15 installation: nothing here touches it. Exits non-zero if anything fails.
set -euo pipefail
umask 022
cd "$(dirname "$0")/.."
top=$(pwd)

version=18.6
major=${version%%.*}
source_dir=${PGCDC_PG_SOURCE:-$top/../shared/pg-src}
tarball=$source_dir/postgresql-$version.tar.bz2
if [ -n "${PGCDC_CACHE:-}" ]; then
	cache=$PGCDC_CACHE
elif [ "$(id -u)" -eq 0 ]; then
	cache=/var/cache/pgcdc
else
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/pgcdc
fi
prefix=$cache/pg-$version
stamp=$prefix/.pgcdc-build
jobs=$(nproc 2>/dev/null || echo 2)
configure_options=(--without-icu --without-readline --with-libxml --enable-cassert --enable-debug)
contribs=(test_decoding pg_walinspect dblink)

say() { echo "test-pg$major: $*"; }
die() {
	echo "test-pg$major: $*" >&2
	exit 1
}

# 1. The tarball, checked against the .dsc (its Checksums-Sha256 entry for the .orig.tar.bz2 that
#    the release tarball is).
[ -f "$tarball" ] || die "$tarball not found (PGCDC_PG_SOURCE names its folder)"
dscs=("$source_dir"/postgresql-"$major"_"$version"-*.dsc)
dsc=${dscs[-1]}
[ -f "$dsc" ] || die "no postgresql-${major}_$version-*.dsc beside $tarball"
expected=$(awk -v f="postgresql-${major}_$version.orig.tar.bz2" '
	/^Checksums-Sha256:/ { in_list = 1; next }
	/^[^ ]/ { in_list = 0 }
	in_list && $3 == f { print $1; exit }' "$dsc")
[ -n "$expected" ] || die "$dsc lists no sha256 for postgresql-${major}_$version.orig.tar.bz2"
actual=$(sha256sum "$tarball" | cut -d' ' -f1)
[ "$actual" = "$expected" ] || die "$tarball: sha256 $actual, but $dsc says $expected"
say "$tarball matches the sha256 in $(basename "$dsc")"

# 2. PostgreSQL, built once. The lock keeps two runs from building (or installing pgcdc into) the
#    same prefix at once.
scripts/deps.sh pg-source
mkdir -p "$cache"
exec 9>"$cache/pg-$version.lock"
flock 9
recipe="postgresql $version sha256 $actual; configure ${configure_options[*]}; contrib ${contribs[*]}"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$recipe" ]; then
	say "reusing the build in $prefix"
else
	started=$SECONDS
	build=$cache/pg-$version.build
	log=$cache/pg-$version.build.log
	say "building PostgreSQL $version into $prefix (log: $log)"
	rm -rf "$prefix" "$build"
	mkdir -p "$build"
	tar -xjf "$tarball" -C "$build" --strip-components=1
	if ! (
		cd "$build"
		./configure --prefix="$prefix" "${configure_options[@]}"
		make -j"$jobs"
		make install
		for c in "${contribs[@]}"; do make -C "contrib/$c" -j"$jobs" install; done
	) >"$log" 2>&1; then
		tail -n 40 "$log" >&2
		die "the PostgreSQL $version build failed; its log is $log"
	fi
	echo "$recipe" >"$stamp.tmp"
	mv "$stamp.tmp" "$stamp"
	rm -rf "$build"
	say "built PostgreSQL $version in $((SECONDS - started)) s"
fi
export PG_CONFIG=$prefix/bin/pg_config

# 3. pgcdc, built in a fresh copy of the tree (nothing built for another server comes along) and
#    installed into the 18 prefix.
copy=$(mktemp -d "${TMPDIR:-/tmp}/pgcdc-pg$major-build.XXXXXX")
trap 'rm -rf "$copy"' EXIT
tar -C "$top" --exclude=./.git --exclude=./build --exclude='*.o' --exclude='*.bc' --exclude='*.so' \
	--exclude=.deps --exclude=./results --exclude=./tmp_check --exclude=./log \
	--exclude=./sql/pgcdc--1.0.sql -cf - . | tar -C "$copy" -xf -
say "building pgcdc in $copy with PG_CONFIG=$PG_CONFIG"
make -C "$copy" -s -j"$jobs" PG_CONFIG="$PG_CONFIG"
make -C "$copy" -s PG_CONFIG="$PG_CONFIG" install

# 4. The suites, with every server binary taken from the 18 installation.
. test/lib.sh
say "server: $("$PG_BINDIR/postgres" --version); bindir $PG_BINDIR"
say "pg_regress: $PG_REGRESS"
say "psql: $(command -v psql), pg_recvlogical: $(command -v pg_recvlogical)"
[ "$(command -v psql)" = "$PG_BINDIR/psql" ] || die "psql is not $PG_BINDIR/psql"
as_server_user test -x "$PG_BINDIR/postgres" ||
	die "the server user ($PGCDC_SERVER_USER) cannot run $PG_BINDIR/postgres: choose a cache it can reach (PGCDC_CACHE)"
failed=()
for suite in regress stream queries property; do
	started=$SECONDS
	say "== $suite (test/$suite/run.sh) on PostgreSQL $version"
	if bash "test/$suite/run.sh"; then
		say "== $suite passed in $((SECONDS - started)) s"
	else
		say "== $suite FAILED after $((SECONDS - started)) s"
		failed+=("$suite")
	fi
done
if [ ${#failed[@]} -ne 0 ]; then
	die "failed on PostgreSQL $version: ${failed[*]}"
fi
say "every suite passed on PostgreSQL $version"
