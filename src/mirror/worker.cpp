/*
 * worker.cpp: rdsadmin's writes. Aurora's own agent writes to its rdsadmin database every few
 * minutes (rds_heartbeat2); that WAL is not in any user database, so a logical slot on an idle
 * database has nothing to decode and confirm past it, and retains it. The mirror reproduces this
 * with a background worker that updates rdsadmin's rds_heartbeat2 every
 * pgcdc_mirror.rdsadmin_write_interval seconds (0: never).
 *
 * The worker connects to database rdsadmin as role rdsadmin (the script creates both); until they
 * exist it exits and the postmaster restarts it ten seconds later. It exits on SIGTERM and when the
 * postmaster dies, and rereads its interval on SIGHUP.
 */
#include "pg.hpp"

extern "C" {
PGDLLEXPORT void pgcdc_mirror_rdsadmin_main(Datum arg);
}

namespace pgcdc_mirror
{

namespace
{

void WriteHeartbeat()
{
	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	SPI_connect();
	PushActiveSnapshot(GetTransactionSnapshot());
	pgstat_report_activity(STATE_RUNNING, "rdsadmin heartbeat");
	int rc = SPI_execute(
	    "UPDATE rds_heartbeat2 SET value = (extract(epoch FROM now()) * 1000)::bigint WHERE id = 1", false,
	    0);
	if (rc != SPI_OK_UPDATE)
		elog(ERROR, "pgcdc_mirror: updating rds_heartbeat2 failed: %s", SPI_result_code_string(rc));
	SPI_finish();
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_activity(STATE_IDLE, nullptr);
}

} // namespace

void RegisterRdsadminWorker()
{
	BackgroundWorker worker;
	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = 10;
	strlcpy(worker.bgw_library_name, "pgcdc_mirror", BGW_MAXLEN);
	strlcpy(worker.bgw_function_name, "pgcdc_mirror_rdsadmin_main", BGW_MAXLEN);
	strlcpy(worker.bgw_name, "pgcdc_mirror rdsadmin writes", BGW_MAXLEN);
	strlcpy(worker.bgw_type, "pgcdc_mirror rdsadmin", BGW_MAXLEN);
	RegisterBackgroundWorker(&worker);
}

} // namespace pgcdc_mirror

using namespace pgcdc_mirror;

void pgcdc_mirror_rdsadmin_main(Datum)
{
	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection("rdsadmin", "rdsadmin", 0);

	for (;;) {
		long timeout = rdsadmin_write_interval > 0 ? rdsadmin_write_interval * 1000L : -1;
		int events = WL_LATCH_SET | WL_EXIT_ON_PM_DEATH | (timeout > 0 ? WL_TIMEOUT : 0);
		int rc = WaitLatch(MyLatch, events, timeout, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending) {
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
			continue; /* a new interval starts now */
		}
		if ((rc & WL_TIMEOUT) && rdsadmin_write_interval > 0)
			WriteHeartbeat();
	}
}
