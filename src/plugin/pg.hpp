/*
 * pg.hpp: the one place the plugin includes PostgreSQL's headers.
 *
 * Core headers must come before this one (core_fence.hpp refuses postgres.h). Everything here is
 * C; the extern "C" block gives PostgreSQL's functions C linkage. PG_VERSION_NUM guards for the
 * APIs that differ between PostgreSQL 15 and 18 live here too, so the callbacks read the same on
 * every version.
 */
#pragma once

extern "C" {
#include "postgres.h"

#include "fmgr.h"
#include "access/detoast.h"
#include "access/htup_details.h"
#include "access/tupdesc.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "mb/pg_wchar.h"
#include "nodes/pg_list.h"
#include "nodes/value.h"
#include "replication/logical.h"
#include "replication/origin.h"
#include "replication/output_plugin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/resowner.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"
}

/* 15 added ReorderBufferTXN.xact_time and OutputPluginUpdateProgress's skipped_xact argument. */
#if PG_VERSION_NUM < 150000
#error "pgcdc needs PostgreSQL 15 or later"
#endif

/* PostgreSQL 17 replaced ReorderBufferTupleBuf with a plain HeapTuple. */
#if PG_VERSION_NUM >= 170000
#define PGCDC_CHANGE_TUPLE(t) (t)
#else
#define PGCDC_CHANGE_TUPLE(t) ((t) ? &(t)->tuple : (HeapTuple) NULL)
#endif

/* PostgreSQL 17 added infinite intervals. */
#define PGCDC_INTERVAL_INFINITIES (PG_VERSION_NUM >= 170000)
