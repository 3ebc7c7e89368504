#!/usr/bin/env bash
# scripts/test.sh: the README's test command. On a fresh Debian 12 machine, as root, it installs
# what it needs from Debian's packages, builds with -Wall -Wextra -Werror, installs the plugin and
# the pgcdc command, and runs every suite through ctest: the GoogleTest unit tests, the pg_regress
# suites, the stream, query and property tests, and the client's suites (each starts its own
# throw-away cluster as the unprivileged postgres user).
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
ctest --test-dir build --output-on-failure "$@"
