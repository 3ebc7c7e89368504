/*
 * aux.cpp: heartbeats and the server position, on an ordinary connection.
 */
#include "aux.hpp"

#include <string>

#include "log.hpp"
#include "lsn.hpp"

namespace pgcdc
{

namespace
{

/* The same content as pgcdc.heartbeat(): the time, ISO 8601 in UTC. */
const char *const kHeartbeatSql = "SELECT pg_catalog.pg_logical_emit_message(false, 'pgcdc.heartbeat', "
                                  "pg_catalog.to_char(pg_catalog.clock_timestamp() AT TIME ZONE 'UTC', "
                                  "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'))";
const char *const kPositionSql =
    "SELECT CASE WHEN pg_catalog.pg_is_in_recovery() THEN "
    "pg_catalog.pg_last_wal_replay_lsn() ELSE pg_catalog.pg_current_wal_lsn() END";
constexpr auto kPositionEvery = std::chrono::seconds(1);
constexpr auto kRetryEvery = std::chrono::seconds(5);

} // namespace

AuxConnection::AuxConnection(const ConnSpec &spec, double heartbeat_seconds, bool poll_position)
    : spec_(spec), heartbeat_(std::chrono::duration_cast<Clock::duration>(
                       std::chrono::duration<double>(heartbeat_seconds))),
      poll_position_(poll_position)
{
}

int AuxConnection::Socket() const
{
	return conn_ ? PQsocket(conn_.get()) : -1;
}

void AuxConnection::Lost(const std::string &why)
{
	if (!warned_)
		Log(LogLevel::Warning, why);
	warned_ = true;
	conn_.Close();
	busy_ = Query::None;
	retry_at_ = Clock::now() + kRetryEvery;
}

Clock::time_point AuxConnection::Tick(Clock::time_point now)
{
	if (!Enabled())
		return Clock::time_point::max();
	if (!conn_) {
		if (now < retry_at_)
			return retry_at_;
		try {
			conn_ =
			    Connection::Open(spec_, Connection::Kind::Ordinary, "for heartbeats and the server position");
			PQsetnonblocking(conn_.get(), 1);
			if (warned_)
				Log(LogLevel::Notice, "connected again for heartbeats and the server position");
			warned_ = false;
		} catch (const PgError &e) {
			Lost(e.what());
			return retry_at_;
		}
	}
	if (busy_ == Query::None) {
		const char *sql = nullptr;
		if (heartbeat_ > Clock::duration::zero() && now >= next_heartbeat_) {
			sql = kHeartbeatSql;
			busy_ = Query::Heartbeat;
			next_heartbeat_ = now + heartbeat_;
		} else if (poll_position_ && now >= next_position_) {
			sql = kPositionSql;
			busy_ = Query::Position;
			next_position_ = now + kPositionEvery;
		}
		if (sql != nullptr && (!PQsendQuery(conn_.get(), sql) || PQflush(conn_.get()) < 0)) {
			Lost(std::string("heartbeat connection lost: ") + PQerrorMessage(conn_.get()));
			return retry_at_;
		}
	}
	Clock::time_point next = Clock::time_point::max();
	if (heartbeat_ > Clock::duration::zero())
		next = std::min(next, next_heartbeat_);
	if (poll_position_)
		next = std::min(next, next_position_);
	return next;
}

void AuxConnection::OnReadable()
{
	if (!conn_)
		return;
	if (!PQconsumeInput(conn_.get())) {
		Lost(std::string("heartbeat connection lost: ") + PQerrorMessage(conn_.get()));
		return;
	}
	while (!PQisBusy(conn_.get())) {
		PGresult *res = PQgetResult(conn_.get());
		if (res == nullptr) {
			busy_ = Query::None;
			return;
		}
		Handle(res);
		PQclear(res);
	}
}

void AuxConnection::Handle(PGresult *res)
{
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		PgError e = PgError::From(conn_.get(), res, busy_ == Query::Heartbeat ? "heartbeat failed: " : "");
		if (!warned_) {
			Log(LogLevel::Warning, e.what());
			LogHint(e.hint);
		}
		warned_ = true;
		return;
	}
	warned_ = false;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0))
		return;
	if (busy_ == Query::Heartbeat) {
		Log(LogLevel::Debug, std::string("heartbeat at ") + PQgetvalue(res, 0, 0));
	} else {
		uint64_t lsn;
		if (ParseLsn(PQgetvalue(res, 0, 0), &lsn))
			server_position_ = lsn;
	}
}

} // namespace pgcdc
