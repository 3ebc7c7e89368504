/*
 * check_command.cpp: pgcdc check, the pre-flight checks of pgcdc.preflight() without the
 * extension: the query is embedded from sql/query/preflight.sql at build time.
 */
#include <cstdio>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "queries.hpp"

namespace pgcdc
{

namespace
{

const char *const kCheckHelp =
    "pgcdc check: can this server and this role run change data capture? (the checks of\n"
    "pgcdc.preflight(), without the extension)\n"
    "\n"
    "Usage:\n"
    "  pgcdc check [--plugin=NAME] [--table=NAME]... [--publication=NAME] [--format=table|json] "
    "[CONNECTION]\n"
    "\n"
    "Options:\n"
    "      --plugin=NAME        the output plugin the consumer will use (default pgcdc)\n"
    "      --table=NAME         a table to capture (repeatable; as in SQL: schema.table, quote\n"
    "                           mixed-case names); default: every permanent table\n"
    "      --publication=NAME   a publication to check, and whose tables to capture (pgoutput)\n"
    "      --format=table|json  output: one line per check with its hint (default), or JSON objects\n"
    "      --help               show this help, then exit\n"
    "\n"
    "Exit status: 0 no check failed (warnings allowed), 1 error, 2 usage, 4 a check failed.\n";

std::vector<OptionDef> CheckOptionDefs()
{
	std::vector<OptionDef> defs = {
	    {"plugin", 0, true, false},
	    {"table", 0, true, true},
	    {"publication", 0, true, false},
	    {"format", 0, true, false},
	};
	return defs;
}

/* An array literal of the names, each quoted as an array element. */
std::string ArrayLiteral(const std::vector<std::string> &names)
{
	std::string out = "{";
	for (size_t i = 0; i < names.size(); i++) {
		out += i == 0 ? "\"" : ",\"";
		for (char c : names[i]) {
			if (c == '"' || c == '\\')
				out += '\\';
			out += c;
		}
		out += '"';
	}
	return out + "}";
}

} // namespace

int CheckCommand(const Args &argv)
{
	return RunCommand(kCheckHelp, CheckOptionDefs(), argv, [&](const ParsedArgs &args) {
		if (!args.Positionals().empty())
			throw UsageError("unexpected argument \"" + args.Positionals()[0] + "\"");
		std::string format = args.Get("format", "table");
		if (format != "table" && format != "json")
			throw UsageError("invalid value \"" + format + "\" for --format: expected table or json");
		std::string plugin = args.Get("plugin", "pgcdc");
		std::string publication = args.Get("publication");
		ConnSpec spec = ConnSpecFrom(args);
		Connection conn = Connection::Open(spec, Connection::Kind::Ordinary, nullptr);
		/* Table names are resolved as the user's session resolves them, before the path is pinned. */
		std::vector<std::string> oids;
		for (const std::string &t : args.All("table")) {
			Result r = conn.ExecParams("SELECT $1::pg_catalog.regclass::pg_catalog.oid::pg_catalog.text",
			                           {t.c_str()});
			oids.push_back(PQgetvalue(r.get(), 0, 0));
		}
		std::string tables = oids.empty() ? "" : ArrayLiteral(oids);
		PinSession(conn);
		Result r =
		    conn.ExecParams("SELECT row_to_json(c)::text, c.\"check\", c.status, c.detail, c.hint FROM " +
		                        AsSubquery(queries::kPreflight) + " AS c",
		                    {plugin.c_str(), tables.empty() ? nullptr : tables.c_str(),
		                     publication.empty() ? nullptr : publication.c_str()});
		bool failed = false;
		for (int i = 0; i < PQntuples(r.get()); i++) {
			std::string status = PQgetvalue(r.get(), i, 2);
			failed = failed || status == "error";
			if (format == "json") {
				std::printf("%s\n", PQgetvalue(r.get(), i, 0));
				continue;
			}
			std::printf("%-8s %-26s %s\n", status.c_str(), PQgetvalue(r.get(), i, 1),
			            PQgetvalue(r.get(), i, 3));
			if (!PQgetisnull(r.get(), i, 4))
				std::printf("%-8s %-26s hint: %s\n", "", "", PQgetvalue(r.get(), i, 4));
		}
		return failed ? int(kExitCheckFailed) : int(kExitOk);
	});
}

} // namespace pgcdc
