/*
 * conn.hpp: the client's thin layer over libpq.
 *
 * Connection parameters are handed to libpq as they are given (-d takes a connection string or
 * URI, expanded by libpq; -h -p -U override it; everything else, PG* variables, .pgpass, sslmode,
 * sslrootcert, comes from libpq itself). The stream adds replication=database. Passwords are never
 * printed: connections are described by host, port, user and database only.
 */
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <libpq-fe.h>

namespace pgcdc
{

struct ConnSpec {
	std::string dbname; /* a database name, connection string or URI */
	std::string host;
	std::string port;
	std::string user;
	bool no_password = false;    /* -w: never prompt */
	bool force_password = false; /* -W: prompt before connecting */
	/* Set once prompted, reused for reconnects; never printed. */
	std::string password;
};

/* An error reported by libpq or the server, with the server's SQLSTATE when there is one. */
class PgError : public std::runtime_error
{
public:
	PgError(std::string message, std::string sqlstate = {}, std::string detail = {}, std::string hint = {})
	    : std::runtime_error(std::move(message)), sqlstate(std::move(sqlstate)), detail(std::move(detail)),
	      hint(std::move(hint))
	{
	}
	/* From a failed result, or from the connection when res is null. */
	static PgError From(PGconn *conn, const PGresult *res, const std::string &context);

	std::string sqlstate; /* empty when the connection failed rather than the server */
	std::string detail;
	std::string hint;
};

struct ResultDeleter {
	void operator()(PGresult *r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

class Connection
{
public:
	enum class Kind { Ordinary, Replication };

	/* Connects, prompting for a password if the server asks for one (on a terminal, without -w). */
	static Connection Open(ConnSpec &spec, Kind kind, const char *purpose);

	Connection() = default;
	Connection(Connection &&other) noexcept : conn_(other.conn_) { other.conn_ = nullptr; }
	Connection &operator=(Connection &&other) noexcept;
	Connection(const Connection &) = delete;
	Connection &operator=(const Connection &) = delete;
	~Connection();

	PGconn *get() const { return conn_; }
	explicit operator bool() const { return conn_ != nullptr; }
	void Close();

	/* Runs a query (simple protocol, as a walsender needs); throws PgError unless it returns expect. */
	Result Exec(const std::string &sql, ExecStatusType expect = PGRES_TUPLES_OK);
	/* Runs a query with text parameters (nullptr is NULL); ordinary connections only. */
	Result ExecParams(const std::string &sql, const std::vector<const char *> &params,
	                  ExecStatusType expect = PGRES_TUPLES_OK);

	/* "host=... port=... user=... dbname=...", for messages; never the password. */
	std::string Describe() const;

	/* An SQL string literal, quoted for this connection. */
	std::string Literal(const std::string &value) const;

private:
	explicit Connection(PGconn *conn) : conn_(conn) {}
	PGconn *conn_ = nullptr;
};

/* Reads a password from the terminal without echo; empty when there is no terminal. */
std::string PromptPassword(const std::string &prompt);

} // namespace pgcdc
