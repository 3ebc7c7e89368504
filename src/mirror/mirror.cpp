/*
 * mirror.cpp: pgcdc_mirror, the preload library of the Aurora mirror (scripts/pgcdc-mirror).
 *
 * It makes a self-managed PostgreSQL behave like Aurora PostgreSQL in the ways a CDC pipeline
 * notices, and does nothing else:
 *   - the settings Aurora's parameter group shows: rds.logical_replication (static, off by
 *     default: the script derives wal_level from it at reboot), rds.force_ssl (the script turns
 *     it into pg_hba.conf lines), and the interval of rdsadmin's writes;
 *   - roles: membership of rds_replication grants what the REPLICATION attribute grants, and
 *     members of rds_superuser may create FOR ALL TABLES publications (roles.cpp);
 *   - rdsadmin's periodic writes to its own database (worker.cpp), which make an idle database's
 *     slot retain WAL, as on Aurora.
 * It is loaded only through shared_preload_libraries, and is never part of pgcdc.so.
 */
#include "pg.hpp"

extern "C" {
PG_MODULE_MAGIC;

PGDLLEXPORT void _PG_init(void);
}

namespace pgcdc_mirror
{

bool rds_logical_replication = false;
bool rds_force_ssl = false;
int rdsadmin_write_interval = 300;

} // namespace pgcdc_mirror

using namespace pgcdc_mirror;

void _PG_init(void)
{
	if (!process_shared_preload_libraries_in_progress)
		ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
		                errmsg("pgcdc_mirror must be loaded through shared_preload_libraries")));

	DefineCustomBoolVariable(
	    "rds.logical_replication",
	    "Enables logical decoding (Aurora's parameter; the mirror sets wal_level from it at reboot).",
	    nullptr, &rds_logical_replication, false, PGC_POSTMASTER, 0, nullptr, nullptr, nullptr);
	DefineCustomBoolVariable("rds.force_ssl", "Refuses connections without TLS (Aurora's parameter).",
	                         nullptr, &rds_force_ssl, false, PGC_SIGHUP, 0, nullptr, nullptr, nullptr);
	MarkGUCPrefixReserved("rds");

	DefineCustomIntVariable("pgcdc_mirror.rdsadmin_write_interval",
	                        "How often rdsadmin writes to its own database, as Aurora's does (0: never).",
	                        nullptr, &rdsadmin_write_interval, 300, 0, 24 * 3600, PGC_SIGHUP, GUC_UNIT_S,
	                        nullptr, nullptr, nullptr);
	MarkGUCPrefixReserved("pgcdc_mirror");

	InstallUtilityHook();
	RegisterRdsadminWorker();
}
