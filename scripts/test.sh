#!/usr/bin/env bash
# scripts/test.sh: the README's test command. On a fresh Debian 12 machine, as root, it installs
# what it needs from Debian's packages, builds with -Wall -Wextra -Werror, installs the plugin and
# the pgcdc command, and runs every suite through ctest: the GoogleTest unit tests, the pg_regress
# suites, the stream, query and property tests, and the client's suites (each starts its own
# throw-away cluster as the unprivileged postgres user).
# Then, when the PostgreSQL 18.6 release tarball is beside the repository
# (../shared/pg-src/postgresql-18.6.tar.bz2, as in CI), scripts/test-pg18.sh builds that server
# once into a cache outside the repository and runs the server suites against it as well
# (PGCDC_SKIP_PG18=1 skips it).
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh test

jobs=$(nproc 2>/dev/null || echo 2)
make -s -j"$jobs"
make -s install
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPGCDC_SERVER_TESTS=ON >/dev/null
cmake --build build -j"$jobs"
# The client's suites drive the installed command, as a user would (/usr/local/bin/pgcdc).
cmake --install build >/dev/null
status=0
ctest --test-dir build --output-on-failure "$@" || status=$?

pg18_tarball=${PGCDC_PG_SOURCE:-../shared/pg-src}/postgresql-18.6.tar.bz2
if [ -n "${PGCDC_SKIP_PG18:-}" ]; then
	echo "== PostgreSQL 18: skipped (PGCDC_SKIP_PG18 is set)"
elif [ -f "$pg18_tarball" ]; then
	echo "== PostgreSQL 18: the pg_regress suites (plugin, extension, misconfigured), the stream, queries"
	echo "== and property tests against 18.6 built from $pg18_tarball (scripts/test-pg18.sh)"
	bash scripts/test-pg18.sh || status=1
else
	echo "== PostgreSQL 18: skipped ($pg18_tarball not found; tested on 15 only)"
fi
exit $status
