/*
 * conn.cpp: connections, queries and errors over libpq.
 */
#include "conn.hpp"

#include <cstdio>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace pgcdc
{

namespace
{

std::string Trimmed(const char *s)
{
	std::string r = s ? s : "";
	while (!r.empty() && (r.back() == '\n' || r.back() == ' '))
		r.pop_back();
	return r;
}

PGconn *ConnectOnce(const ConnSpec &spec, Connection::Kind kind)
{
	std::vector<const char *> keys, values;
	auto add = [&](const char *k, const std::string &v) {
		if (!v.empty()) {
			keys.push_back(k);
			values.push_back(v.c_str());
		}
	};
	/* dbname first: libpq expands it as a connection string, and later keywords override it. */
	add("dbname", spec.dbname);
	add("host", spec.host);
	add("port", spec.port);
	add("user", spec.user);
	add("password", spec.password);
	static const std::string kDatabase = "database", kApp = "pgcdc";
	if (kind == Connection::Kind::Replication)
		add("replication", kDatabase);
	add("fallback_application_name", kApp);
	keys.push_back(nullptr);
	values.push_back(nullptr);
	return PQconnectdbParams(keys.data(), values.data(), 1);
}

} // namespace

PgError PgError::From(PGconn *conn, const PGresult *res, const std::string &context)
{
	if (res == nullptr || PQresultStatus(res) == PGRES_FATAL_ERROR ||
	    PQresultStatus(res) == PGRES_NONFATAL_ERROR) {
		const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
		if (primary != nullptr) {
			const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
			const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
			const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
			return PgError(context + primary, state ? state : "", detail ? detail : "", hint ? hint : "");
		}
		std::string msg = Trimmed(res ? PQresultErrorMessage(res) : nullptr);
		if (msg.empty())
			msg = Trimmed(PQerrorMessage(conn));
		return PgError(context + msg);
	}
	return PgError(context + "unexpected result status " + PQresStatus(PQresultStatus(res)));
}

Connection Connection::Open(ConnSpec &spec, Kind kind, const char *purpose)
{
	if (spec.force_password && spec.password.empty())
		spec.password = PromptPassword("Password: ");
	PGconn *conn = ConnectOnce(spec, kind);
	if (PQstatus(conn) == CONNECTION_BAD && PQconnectionNeedsPassword(conn) && spec.password.empty() &&
	    !spec.no_password) {
		std::string pw = PromptPassword("Password: ");
		if (!pw.empty()) {
			PQfinish(conn);
			spec.password = pw;
			conn = ConnectOnce(spec, kind);
		}
	}
	if (PQstatus(conn) == CONNECTION_BAD) {
		std::string msg = Trimmed(PQerrorMessage(conn));
		PQfinish(conn);
		throw PgError(std::string("could not connect") + (purpose ? std::string(" ") + purpose : "") + ": " +
		              msg);
	}
	return Connection(conn);
}

Connection &Connection::operator=(Connection &&other) noexcept
{
	if (this != &other) {
		Close();
		conn_ = other.conn_;
		other.conn_ = nullptr;
	}
	return *this;
}

Connection::~Connection()
{
	Close();
}

void Connection::Close()
{
	if (conn_ != nullptr) {
		PQfinish(conn_);
		conn_ = nullptr;
	}
}

Result Connection::Exec(const std::string &sql, ExecStatusType expect)
{
	Result res(PQexec(conn_, sql.c_str()));
	if (!res || PQresultStatus(res.get()) != expect)
		throw PgError::From(conn_, res.get(), "");
	return res;
}

Result Connection::ExecParams(const std::string &sql, const std::vector<const char *> &params,
                              ExecStatusType expect)
{
	Result res(
	    PQexecParams(conn_, sql.c_str(), int(params.size()), nullptr, params.data(), nullptr, nullptr, 0));
	if (!res || PQresultStatus(res.get()) != expect)
		throw PgError::From(conn_, res.get(), "");
	return res;
}

std::string Connection::Describe() const
{
	std::string host = PQhost(conn_) ? PQhost(conn_) : "";
	std::string where = host.empty() || host[0] == '/' ? "socket in " + host : "host " + host;
	return where + " port " + (PQport(conn_) ? PQport(conn_) : "") + ", user \"" +
	       (PQuser(conn_) ? PQuser(conn_) : "") + "\", database \"" + (PQdb(conn_) ? PQdb(conn_) : "") +
	       "\"" + (PQsslInUse(conn_) ? ", TLS" : "");
}

std::string Connection::Literal(const std::string &value) const
{
	char *q = PQescapeLiteral(conn_, value.data(), value.size());
	if (q == nullptr)
		throw PgError("could not quote a literal: " + Trimmed(PQerrorMessage(conn_)));
	std::string r(q);
	PQfreemem(q);
	return r;
}

std::string PromptPassword(const std::string &prompt)
{
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return {};
	if (write(fd, prompt.data(), prompt.size()) < 0) {
		close(fd);
		return {};
	}
	termios old{};
	bool restore = tcgetattr(fd, &old) == 0;
	if (restore) {
		termios quiet = old;
		quiet.c_lflag &= ~tcflag_t(ECHO);
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	std::string pw;
	char c;
	while (read(fd, &c, 1) == 1 && c != '\n' && c != '\r')
		pw += c;
	if (restore)
		tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) {
		/* the newline after the prompt is cosmetic */
	}
	close(fd);
	return pw;
}

} // namespace pgcdc
