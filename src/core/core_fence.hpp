/*
 * core_fence.hpp: keeps src/core free of PostgreSQL headers.
 *
 * Every core header includes this. If postgres.h was included before a core header, the build
 * fails here: core code must stay pure C++ so it can be unit-tested and linked into the client.
 * (The plugin includes core headers before its PostgreSQL bridge header for that reason.)
 */
#pragma once

#ifdef POSTGRES_H
static_assert(false, "src/core must not be compiled together with postgres.h; include core headers first");
#endif
