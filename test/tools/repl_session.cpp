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
#include <cstring>

namespace
{

void PutInt64(char *p, int64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = static_cast<char>(v & 0xFF);
		v >>= 8;
	}
}

int64_t GetInt64(const char *p)
{
	int64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | static_cast<unsigned char>(p[i]);
	return v;
}

/* Answers a keepalive with a standby status update that confirms nothing. */
bool Reply(PGconn *conn, int64_t walend)
{
	char msg[34];
	msg[0] = 'r';
	PutInt64(msg + 1, walend);
	PutInt64(msg + 9, 0);
	PutInt64(msg + 17, 0);
	PutInt64(msg + 25, 0);
	msg[33] = 0;
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
		if (n > 25 && buf[0] == 'w')
			std::printf("data: %.*s\n", n - 25, buf + 25);
		else if (n >= 18 && buf[0] == 'k' && buf[17] != 0)
			Reply(conn, GetInt64(buf + 1));
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
