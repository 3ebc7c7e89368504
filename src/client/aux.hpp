/*
 * aux.hpp: the stream's second, ordinary connection, for what the replication connection cannot
 * do while it streams: --heartbeat's logical messages (so a slot on a quiet database still has
 * something to confirm) and, for --progress, the server's current WAL position. Queries are
 * asynchronous, driven by the stream loop's poll(); a failure here is a warning, never the
 * stream's end.
 */
#pragma once

#include <chrono>
#include <cstdint>

#include "conn.hpp"

namespace pgcdc
{

using Clock = std::chrono::steady_clock;

class AuxConnection
{
public:
	/* The prefix of --heartbeat's messages; pgcdc stream never writes such messages out. */
	static constexpr const char *kHeartbeatPrefix = "pgcdc.heartbeat";

	AuxConnection(const ConnSpec &spec, double heartbeat_seconds, bool poll_position);

	bool Enabled() const { return heartbeat_ > Clock::duration::zero() || poll_position_; }
	/* The socket to poll for input, or -1. */
	int Socket() const;
	/* Connects and sends what is due; returns when it next wants to run. */
	Clock::time_point Tick(Clock::time_point now);
	/* Reads what arrived on Socket(). */
	void OnReadable();
	/* The server's current WAL position (0 until known). */
	uint64_t ServerPosition() const { return server_position_; }

private:
	enum class Query { None, Heartbeat, Position };
	void Lost(const std::string &why);
	void Handle(PGresult *res);

	ConnSpec spec_;
	Clock::duration heartbeat_;
	bool poll_position_;
	Connection conn_;
	Query busy_ = Query::None;
	Clock::time_point next_heartbeat_{};
	Clock::time_point next_position_{};
	Clock::time_point retry_at_{};
	uint64_t server_position_ = 0;
	bool warned_ = false;
};

} // namespace pgcdc
