/*
 * pg.hpp: the one place the mirror library includes PostgreSQL's headers (C, in extern "C").
 */
#pragma once

extern "C" {
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/indexing.h"
#include "catalog/pg_authid.h"
#include "catalog/pg_database.h"
#include "commands/publicationcmds.h"
#include "executor/spi.h"
#include "nodes/parsenodes.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "tcop/utility.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/snapmgr.h"
#include "utils/wait_event.h"
}

#if PG_VERSION_NUM < 150000
#error "the pgcdc mirror needs PostgreSQL 15 or later"
#endif

/* PostgreSQL 16 moved pg_database_aclcheck() to object_aclcheck(). */
#if PG_VERSION_NUM >= 160000
#define MIRROR_DATABASE_ACLCHECK(db, role, mode) object_aclcheck(DatabaseRelationId, (db), (role), (mode))
#else
#define MIRROR_DATABASE_ACLCHECK(db, role, mode) pg_database_aclcheck((db), (role), (mode))
#endif

namespace pgcdc_mirror
{

/* mirror.cpp: the settings */
extern bool rds_logical_replication;
extern bool rds_force_ssl;
extern int rdsadmin_write_interval; /* seconds; 0: off */

/* roles.cpp */
void InstallUtilityHook();

/* worker.cpp */
void RegisterRdsadminWorker();

} // namespace pgcdc_mirror
