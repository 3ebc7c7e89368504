/*
 * common.cpp: what the commands share: connection options, error reporting, table output.
 */
#include <cstdio>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "log.hpp"

namespace pgcdc
{

const char *const kConnectionHelp =
    "Connection options (libpq reads PG* variables, .pgpass and sslmode as usual):\n"
    "  -d, --dbname=CONNSTR     database name, connection string or URI\n"
    "  -h, --host=HOST          server host or socket directory\n"
    "  -p, --port=PORT          server port\n"
    "  -U, --username=NAME      user name\n"
    "  -w, --no-password        never prompt for a password\n"
    "  -W, --password           prompt for a password before connecting\n";

void AddConnectionOptions(std::vector<OptionDef> &defs)
{
	defs.push_back({"dbname", 'd', true, false});
	defs.push_back({"host", 'h', true, false});
	defs.push_back({"port", 'p', true, false});
	defs.push_back({"username", 'U', true, false});
	defs.push_back({"no-password", 'w', false, false});
	defs.push_back({"password", 'W', false, false});
	defs.push_back({"help", 0, false, false});
}

ConnSpec ConnSpecFrom(const ParsedArgs &args)
{
	ConnSpec spec;
	spec.dbname = args.Get("dbname");
	spec.host = args.Get("host");
	spec.port = args.Get("port");
	spec.user = args.Get("username");
	spec.no_password = args.Has("no-password");
	spec.force_password = args.Has("password");
	if (spec.no_password && spec.force_password)
		throw UsageError("options -w/--no-password and -W/--password cannot be used together");
	return spec;
}

void PinSession(Connection &conn)
{
	/*
	 * The shared queries call functions unqualified: with pg_catalog alone on the path, a function
	 * someone created elsewhere cannot be picked up. JIT only slows down their one-off plans.
	 */
	conn.Exec("SET search_path = pg_catalog, pg_temp", PGRES_COMMAND_OK);
	conn.Exec("SET jit = off", PGRES_COMMAND_OK);
}

std::string AsSubquery(const char *sql)
{
	std::string s = sql;
	while (!s.empty() && (s.back() == ';' || s.back() == '\n' || s.back() == ' ' || s.back() == '\t'))
		s.pop_back();
	return "(\n" + s + "\n)";
}

int ReportUsage(const char *help, const std::string &message)
{
	Log(LogLevel::Error, message);
	std::fputs(help, stderr);
	return kExitUsage;
}

int PrintHelp(const char *help)
{
	std::fputs(help, stdout);
	return kExitOk;
}

int ReportPgError(const PgError &e)
{
	Log(LogLevel::Error, e.what());
	LogDetail(e.detail);
	LogHint(e.hint);
	return kExitError;
}

void PrintTable(const std::vector<std::string> &headers, const std::vector<std::vector<std::string>> &rows)
{
	std::vector<size_t> width(headers.size());
	/* Widths in characters: count UTF-8 lead bytes only. */
	auto chars = [](const std::string &s) {
		size_t n = 0;
		for (unsigned char c : s)
			n += (c & 0xC0) != 0x80;
		return n;
	};
	for (size_t i = 0; i < headers.size(); i++)
		width[i] = chars(headers[i]);
	for (const auto &row : rows)
		for (size_t i = 0; i < row.size() && i < width.size(); i++)
			width[i] = std::max(width[i], chars(row[i]));
	auto line = [&](const std::vector<std::string> &cells, bool center) {
		std::string out;
		for (size_t i = 0; i < width.size(); i++) {
			const std::string &c = i < cells.size() ? cells[i] : std::string();
			size_t pad = width[i] - chars(c);
			size_t left = center ? pad / 2 : 0;
			out += (i == 0 ? " " : " | ") + std::string(left, ' ') + c;
			if (i + 1 < width.size())
				out += std::string(pad - left, ' ');
		}
		std::printf("%s\n", out.c_str());
	};
	line(headers, true);
	std::string rule;
	for (size_t i = 0; i < width.size(); i++)
		rule += (i == 0 ? "" : "+") + std::string(width[i] + 2, '-');
	std::printf("%s\n", rule.c_str());
	for (const auto &row : rows)
		line(row, false);
	std::printf("(%zu row%s)\n", rows.size(), rows.size() == 1 ? "" : "s");
}

} // namespace pgcdc
