/*
 * retry.cpp: failure classification.
 */
#include "retry.hpp"

namespace pgcdc
{

Outcome ClassifyConnectError(const std::string &message, bool streamed_before)
{
	/* libpq's and the server's wording for a server that is down, starting, stopping or full. */
	static const char *const kTransient[] = {
	    "Connection refused",
	    "No such file or directory", /* no Unix socket: the server is not running */
	    "the database system is starting up",
	    "the database system is shutting down",
	    "the database system is in recovery mode",
	    "the database system is not yet accepting connections",
	    "the database system is not accepting connections",
	    "sorry, too many clients already",
	    "remaining connection slots are reserved",
	    "timeout expired",
	    "Connection timed out",
	    "server closed the connection unexpectedly",
	    "Connection reset by peer",
	    "could not receive data from server",
	    "could not send data to server",
	    "Network is unreachable",
	    "No route to host",
	    "terminating connection",
	    "number of requested standby connections exceeds",
	};
	if (streamed_before)
		return Outcome::Retry;
	for (const char *p : kTransient)
		if (message.find(p) != std::string::npos)
			return Outcome::Retry;
	return Outcome::Fatal;
}

Outcome ClassifyServerError(const std::string &sqlstate, bool streamed_before)
{
	if (sqlstate == "42704") /* undefined_object: the slot does not exist */
		return Outcome::SlotGone;
	if (sqlstate == "55006" ||               /* object_in_use: another consumer has the slot */
	    sqlstate.compare(0, 2, "08") == 0 || /* connection exceptions */
	    sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03" || /* shutdown, crash, starting */
	    sqlstate == "53300" || sqlstate == "53400" || /* too many connections, limits */
	    sqlstate == "40001" || sqlstate == "40P01")   /* serialization, deadlock */
		return Outcome::Retry;
	if (sqlstate == "22023" || sqlstate == "42601") /* the plugin refused an option */
		return Outcome::Usage;
	return streamed_before ? Outcome::Retry : Outcome::Fatal;
}

} // namespace pgcdc
