/*
 * retry.hpp: which failures the stream retries, and how long it waits (pure, unit-tested).
 *
 * A lost connection, a server restart and a slot held by another consumer are retried with a
 * capped exponential back-off. A slot that does not exist or was invalidated is its own exit code,
 * never a loop. Before the stream has started once, an error that does not look transient
 * (authentication, a missing database, no replication privilege, a bad option) ends the run at
 * once, as pg_recvlogical does; after that, everything but a missing slot is retried.
 */
#pragma once

#include <string>

namespace pgcdc
{

enum class Outcome {
	Done,     /* endpos reached or stopped by a signal */
	Retry,    /* reconnect after a back-off (unless --no-loop) */
	Fatal,    /* exit 1 */
	SlotGone, /* exit 3 */
	Usage,    /* exit 2: the plugin refused an option */
};

/* A connection attempt failed with libpq's message (connection failures carry no SQLSTATE). */
Outcome ClassifyConnectError(const std::string &message, bool streamed_before);
/* A command (IDENTIFY_SYSTEM, START_REPLICATION, ...) failed with this SQLSTATE. */
Outcome ClassifyServerError(const std::string &sqlstate, bool streamed_before);

/* 1 s, 2 s, 4 s, ... up to the cap. */
class Backoff
{
public:
	explicit Backoff(double first = 1, double cap = 30) : first_(first), cap_(cap), next_(first) {}
	double Next()
	{
		double d = next_;
		next_ = next_ * 2 > cap_ ? cap_ : next_ * 2;
		return d;
	}
	void Reset() { next_ = first_; }

private:
	double first_, cap_, next_;
};

} // namespace pgcdc
