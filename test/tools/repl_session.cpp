/*
 * repl_session: runs commands one after the other in one replication connection, as the stream
 * test needs and neither psql (which cannot take a COPY BOTH) nor pg_recvlogical (which stops at
 * the first error) can: what a walsender session looks like after a START_REPLICATION that
 * failed half way.
 *
 *   repl_session CONNINFO COMMAND...
 *
 * For each command it prints the rows of a result ("row: a|b"), "error: MESSAGE" for an error, and
 * for START_REPLICATION each XLogData payload ("data: ..."), until the server ends the stream (by
 * an error, as the tests make it). Keepalives asking for a reply get one. Exits 0 when every
 * command ran (errors included), 1 when the connection is lost, 2 on usage errors.
 */
#include <libpq-fe.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "protocol.hpp"

namespace
{

/* Answers a keepalive with a standby status update that confirms nothing. */
bool Reply(PGconn *conn, uint64_t walend)
{
	char msg[pgcdc::kStatusUpdateSize];
	pgcdc::BuildStatusUpdate(msg, walend, 0, 0, 0, false);
	return PQputCopyData(conn, msg, sizeof(msg)) == 1 && PQflush(conn) == 0;
}

/* Reads a COPY BOTH stream until the server ends it. */
void Stream(PGconn *conn)
{
	for (;;) {
		char *buf = nullptr;
		int n = PQgetCopyData(conn, &buf, 0);
		if (n < 0)
			return; /* -1: the server ended the copy; -2: an error, reported by PQgetResult */
		pgcdc::CopyMessage msg;
		std::string error;
		if (!pgcdc::ParseCopyMessage(buf, size_t(n), &msg, &error))
			std::printf("bad message: %s\n", error.c_str());
		else if (msg.kind == pgcdc::CopyMessageKind::XLogData && msg.xlog.len > 0)
			std::printf("data: %.*s\n", int(msg.xlog.len), msg.xlog.data);
		else if (msg.keepalive.reply_requested)
			Reply(conn, msg.keepalive.wal_end);
		PQfreemem(buf);
	}
}

} // namespace

int main(int argc, char **argv)
{
	if (argc < 3) {
		std::fprintf(stderr, "usage: repl_session CONNINFO COMMAND...\n");
		return 2;
	}
	PGconn *conn = PQconnectdb(argv[1]);
	if (PQstatus(conn) != CONNECTION_OK) {
		std::fprintf(stderr, "repl_session: %s", PQerrorMessage(conn));
		PQfinish(conn);
		return 1;
	}
	for (int i = 2; i < argc; i++) {
		if (!PQsendQuery(conn, argv[i])) {
			std::fprintf(stderr, "repl_session: %s", PQerrorMessage(conn));
			PQfinish(conn);
			return 1;
		}
		PGresult *res;
		while ((res = PQgetResult(conn)) != nullptr) {
			switch (PQresultStatus(res)) {
			case PGRES_COPY_BOTH:
				Stream(conn);
				break;
			case PGRES_TUPLES_OK:
				for (int r = 0; r < PQntuples(res); r++) {
					std::printf("row: ");
					for (int c = 0; c < PQnfields(res); c++)
						std::printf("%s%s", c > 0 ? "|" : "", PQgetvalue(res, r, c));
					std::printf("\n");
				}
				break;
			case PGRES_FATAL_ERROR: {
				const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
				std::printf("error: %s\n", msg != nullptr ? msg : PQerrorMessage(conn));
				break;
			}
			default:
				break;
			}
			PQclear(res);
		}
		if (PQstatus(conn) != CONNECTION_OK) {
			std::fprintf(stderr, "repl_session: connection lost: %s", PQerrorMessage(conn));
			PQfinish(conn);
			return 1;
		}
	}
	PQfinish(conn);
	return 0;
}
