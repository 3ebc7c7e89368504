# pgcdc: one shared library that is both the logical decoding output plugin ("pgcdc") and the
# library behind CREATE EXTENSION pgcdc. Built with PGXS:
#
#   make && sudo make install            # PG_CONFIG=/path/to/pg_config to pick a server
#
# The unit tests, the client and the benchmarks are built by CMake (see CMakeLists.txt);
# scripts/test.sh runs everything.

MODULE_big = pgcdc
EXTENSION = pgcdc
# The install script is generated (see the rule at the end); static scripts, such as future
# upgrade scripts, are installed as they are.
DATA_built = sql/pgcdc--1.0.sql
DATA = $(filter-out $(DATA_built),$(wildcard sql/pgcdc--*.sql))
PGFILEDESC = "pgcdc - logical decoding to compact JSON, and replication slot health"

CORE_OBJS = src/core/sink.o src/core/json.o src/core/numbers.o src/core/datetime.o \
	src/core/lsn.o src/core/pattern.o src/core/options.o src/core/record.o
PLUGIN_OBJS = src/plugin/plugin.o src/plugin/relcache.o src/plugin/render.o
OBJS = $(CORE_OBJS) $(PLUGIN_OBJS)

PG_CONFIG ?= pg_config

# Server headers as system headers, so -Wall -Wextra -Werror applies to our code only.
PG_CPPFLAGS = -isystem $(shell $(PG_CONFIG) --includedir-server) -I$(srcdir)/src/core
PG_CXXFLAGS = -std=c++17 -Wall -Wextra -Werror -Wno-register -fno-rtti
# PGXS links with the C compiler.
SHLIB_LINK = -lstdc++
# No LLVM bitcode: JIT inlining of an output plugin buys nothing, and it would need clang.
override with_llvm = no
# Track header dependencies (.deps/), so a changed header rebuilds every object that includes it.
override autodepend = yes

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# The install script takes the queries of sql/query/ (shared with the client, which embeds them
# through CMake) at its "--@include" lines; sql/include.awk fails on a file it cannot read.
# Written after include $(PGXS), so that "all" stays the default goal; this rule replaces PGXS's
# own %.sql: %.sql.in (a MODULE_PATHNAME substitution, which the script does not use).
sql/pgcdc--1.0.sql: sql/pgcdc--1.0.sql.in sql/include.awk $(wildcard $(srcdir)/sql/query/*.sql)
	@mkdir -p $(@D)
	$(AWK) -f $(srcdir)/sql/include.awk $< >$@.tmp || { rm -f $@.tmp; exit 1; }
	mv $@.tmp $@

# The Aurora mirror's preload library (src/mirror), built and installed with pgcdc.so but never
# linked into it.
all: mirror
install: install-mirror
clean: clean-mirror
mirror:
	$(MAKE) -C src/mirror PG_CONFIG=$(PG_CONFIG)
install-mirror:
	$(MAKE) -C src/mirror PG_CONFIG=$(PG_CONFIG) install
clean-mirror:
	$(MAKE) -C src/mirror PG_CONFIG=$(PG_CONFIG) clean
.PHONY: mirror install-mirror clean-mirror
