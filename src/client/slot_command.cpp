/*
 * slot_command.cpp: pgcdc slot create|drop|list|health.
 *
 * Plain SQL over an ordinary connection, so they work where the pgcdc extension cannot be
 * installed (Amazon RDS, Aurora): health runs the very query behind pgcdc.slot_health(),
 * embedded from sql/query/slot_health.sql at build time.
 */
#include <cstdio>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "log.hpp"
#include "queries.hpp"

namespace pgcdc
{

namespace
{

const char *const kSlotHelp =
    "pgcdc slot: manages and checks replication slots.\n"
    "\n"
    "Usage:\n"
    "  pgcdc slot create NAME [--plugin=NAME] [--if-not-exists] [CONNECTION]\n"
    "  pgcdc slot drop NAME [--if-exists] [CONNECTION]\n"
    "  pgcdc slot list [--format=table|json] [CONNECTION]\n"
    "  pgcdc slot health [--slot=NAME] [THRESHOLDS] [--format=table|json] [--fail-on=LEVEL] [CONNECTION]\n"
    "\n"
    "create/drop options:\n"
    "      --plugin=NAME            output plugin of a new slot (default pgcdc)\n"
    "      --if-not-exists          a slot that exists already is no error\n"
    "      --if-exists              a slot that does not exist is no error\n"
    "\n"
    "health options (the checks of pgcdc.slot_health(), without the extension; sizes such as 16MB\n"
    "or 1GB, ages in transactions; \"off\" switches a check off):\n"
    "      --slot=NAME                       only this slot\n"
    "      --retained-warning=SIZE           WAL retained (default 1GB)\n"
    "      --retained-critical=SIZE          (default 10GB)\n"
    "      --lag-warning=SIZE                WAL not confirmed by the consumer (default 256MB)\n"
    "      --lag-critical=SIZE               (default off)\n"
    "      --xmin-age-warning=N              age of catalog_xmin and xmin (default 200000000)\n"
    "      --xmin-age-critical=N             (default 1000000000)\n"
    "      --inactive-retained-warning=SIZE  inactive and retaining WAL (default 16MB)\n"
    "      --critical-wal-status=LIST        wal_status values that are critical (default unreserved,lost)\n"
    "      --fail-on=warning|critical        exit 4 when a slot is at that level or worse\n"
    "\n"
    "  --format=table|json      output: an aligned table (default), or one JSON object per slot\n"
    "  --help                   show this help, then exit\n"
    "\n"
    "Exit status: 0 done, 1 error, 2 usage, 3 the slot to drop does not exist, 4 --fail-on matched.\n";

std::vector<OptionDef> SlotOptionDefs()
{
	std::vector<OptionDef> defs = {
	    {"plugin", 0, true, false},
	    {"if-not-exists", 0, false, false},
	    {"if-exists", 0, false, false},
	    {"format", 0, true, false},
	    {"slot", 0, true, false},
	    {"retained-warning", 0, true, false},
	    {"retained-critical", 0, true, false},
	    {"lag-warning", 0, true, false},
	    {"lag-critical", 0, true, false},
	    {"xmin-age-warning", 0, true, false},
	    {"xmin-age-critical", 0, true, false},
	    {"inactive-retained-warning", 0, true, false},
	    {"critical-wal-status", 0, true, false},
	    {"fail-on", 0, true, false},
	};
	return defs;
}

/* Options that only some subcommands take: using one elsewhere is a usage error. */
void OnlyFor(const ParsedArgs &args, const std::string &sub, std::initializer_list<const char *> allowed)
{
	static const char *const kSpecific[] = {"plugin",
	                                        "if-not-exists",
	                                        "if-exists",
	                                        "format",
	                                        "slot",
	                                        "retained-warning",
	                                        "retained-critical",
	                                        "lag-warning",
	                                        "lag-critical",
	                                        "xmin-age-warning",
	                                        "xmin-age-critical",
	                                        "inactive-retained-warning",
	                                        "critical-wal-status",
	                                        "fail-on"};
	for (const char *name : kSpecific) {
		if (!args.Has(name))
			continue;
		bool ok = false;
		for (const char *a : allowed)
			ok = ok || std::string(a) == name;
		if (!ok)
			throw UsageError(std::string("option --") + name + " does not apply to \"slot " + sub + "\"");
	}
}

std::string NameArgument(const ParsedArgs &args, const std::string &sub)
{
	if (args.Positionals().size() < 2)
		throw UsageError("\"slot " + sub + "\" needs the slot's name");
	if (args.Positionals().size() > 2)
		throw UsageError("unexpected argument \"" + args.Positionals()[2] + "\"");
	return args.Positionals()[1];
}

bool JsonFormat(const ParsedArgs &args)
{
	std::string f = args.Get("format", "table");
	if (f != "table" && f != "json")
		throw UsageError("invalid value \"" + f + "\" for --format: expected table or json");
	return f == "json";
}

/* A threshold: a size (or an age), or off (NULL). */
std::string Threshold(const ParsedArgs &args, const char *name, const char *def, bool is_size)
{
	std::string v = args.Get(name, def);
	if (v == "off")
		return "";
	std::string option = std::string("--") + name;
	if (is_size)
		return std::to_string(ParseSize(option, v));
	if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos)
		throw UsageError("invalid value \"" + v + "\" for " + option +
		                 ": expected a number of transactions, or off");
	return v;
}

int Create(const ParsedArgs &args)
{
	OnlyFor(args, "create", {"plugin", "if-not-exists"});
	std::string name = NameArgument(args, "create");
	std::string plugin = args.Get("plugin", "pgcdc");
	ConnSpec spec = ConnSpecFrom(args);
	Connection conn = Connection::Open(spec, Connection::Kind::Ordinary, nullptr);
	try {
		Result r = conn.ExecParams("SELECT lsn FROM pg_catalog.pg_create_logical_replication_slot($1, $2)",
		                           {name.c_str(), plugin.c_str()});
		std::printf("created replication slot \"%s\" (plugin %s) at %s\n", name.c_str(), plugin.c_str(),
		            PQgetvalue(r.get(), 0, 0));
	} catch (const PgError &e) {
		if (e.sqlstate != "42710" || !args.Has("if-not-exists"))
			throw;
		Log(LogLevel::Notice, "replication slot \"" + name + "\" already exists");
	}
	return int(kExitOk);
}

int Drop(const ParsedArgs &args)
{
	OnlyFor(args, "drop", {"if-exists"});
	std::string name = NameArgument(args, "drop");
	ConnSpec spec = ConnSpecFrom(args);
	Connection conn = Connection::Open(spec, Connection::Kind::Ordinary, nullptr);
	try {
		conn.ExecParams("SELECT pg_catalog.pg_drop_replication_slot($1)", {name.c_str()});
		std::printf("dropped replication slot \"%s\"\n", name.c_str());
	} catch (const PgError &e) {
		if (e.sqlstate != "42704")
			throw;
		if (args.Has("if-exists")) {
			Log(LogLevel::Notice, "replication slot \"" + name + "\" does not exist");
			return int(kExitOk);
		}
		ReportPgError(e);
		return int(kExitSlotGone);
	}
	return int(kExitOk);
}

int List(const ParsedArgs &args)
{
	OnlyFor(args, "list", {"format"});
	if (args.Positionals().size() > 1)
		throw UsageError("unexpected argument \"" + args.Positionals()[1] + "\"");
	bool json = JsonFormat(args);
	ConnSpec spec = ConnSpecFrom(args);
	Connection conn = Connection::Open(spec, Connection::Kind::Ordinary, nullptr);
	Result r = conn.Exec(
	    "SELECT row_to_json(l)::text, l.* FROM (SELECT s.slot_name, s.plugin, s.slot_type, s.database, "
	    "s.temporary, "
	    "s.active, s.active_pid, s.restart_lsn, s.confirmed_flush_lsn, s.wal_status, "
	    "pg_catalog.pg_wal_lsn_diff(p.lsn, s.restart_lsn)::bigint AS retained_bytes "
	    "FROM pg_catalog.pg_replication_slots s CROSS JOIN (SELECT CASE WHEN pg_catalog.pg_is_in_recovery() "
	    "THEN pg_catalog.pg_last_wal_replay_lsn() ELSE pg_catalog.pg_current_wal_lsn() END AS lsn) p "
	    "ORDER BY s.slot_name) l");
	int rows = PQntuples(r.get());
	if (json) {
		for (int i = 0; i < rows; i++)
			std::printf("%s\n", PQgetvalue(r.get(), i, 0));
		return int(kExitOk);
	}
	std::vector<std::string> headers;
	for (int c = 1; c < PQnfields(r.get()); c++)
		headers.push_back(PQfname(r.get(), c));
	std::vector<std::vector<std::string>> table;
	for (int i = 0; i < rows; i++) {
		std::vector<std::string> row;
		for (int c = 1; c < PQnfields(r.get()); c++)
			row.push_back(PQgetvalue(r.get(), i, c));
		table.push_back(row);
	}
	PrintTable(headers, table);
	return int(kExitOk);
}

int Health(const ParsedArgs &args)
{
	OnlyFor(args, "health",
	        {"format", "slot", "retained-warning", "retained-critical", "lag-warning", "lag-critical",
	         "xmin-age-warning", "xmin-age-critical", "inactive-retained-warning", "critical-wal-status",
	         "fail-on"});
	if (args.Positionals().size() > 1)
		throw UsageError("unexpected argument \"" + args.Positionals()[1] + "\"");
	bool json = JsonFormat(args);
	std::string fail_on = args.Get("fail-on");
	if (!fail_on.empty() && fail_on != "warning" && fail_on != "critical")
		throw UsageError("invalid value \"" + fail_on + "\" for --fail-on: expected warning or critical");
	/* The defaults of pgcdc.slot_health()'s parameters (the test suite compares the two). */
	std::vector<std::string> p = {
	    Threshold(args, "retained-warning", "1GB", true),
	    Threshold(args, "retained-critical", "10GB", true),
	    Threshold(args, "lag-warning", "256MB", true),
	    Threshold(args, "lag-critical", "off", true),
	    Threshold(args, "xmin-age-warning", "200000000", false),
	    Threshold(args, "xmin-age-critical", "1000000000", false),
	    Threshold(args, "inactive-retained-warning", "16MB", true),
	};
	std::string statuses = args.Get("critical-wal-status", "unreserved,lost");
	p.push_back(statuses == "off" ? "" : "{" + statuses + "}");
	std::string slot = args.Get("slot");
	std::vector<const char *> params;
	for (const std::string &v : p)
		params.push_back(v.empty() ? nullptr : v.c_str());
	params.push_back(slot.empty() ? nullptr : slot.c_str());

	ConnSpec spec = ConnSpecFrom(args);
	Connection conn = Connection::Open(spec, Connection::Kind::Ordinary, nullptr);
	PinSession(conn);
	Result r = conn.ExecParams(
	    "SELECT row_to_json(h)::text, h.slot_name, h.status, h.plugin, h.active::text, h.wal_status, "
	    "pg_catalog.pg_size_pretty(h.retained_bytes), pg_catalog.pg_size_pretty(h.lag_bytes), "
	    "pg_catalog.array_to_string(h.reasons, '; ') FROM " +
	        AsSubquery(queries::kSlotHealth) + " AS h WHERE $9::name IS NULL OR h.slot_name = $9::name",
	    params);
	int rows = PQntuples(r.get());
	int worst = 0;
	std::vector<std::vector<std::string>> table;
	for (int i = 0; i < rows; i++) {
		std::string status = PQgetvalue(r.get(), i, 2);
		worst = std::max(worst, status == "critical" ? 2 : status == "warning" ? 1 : 0);
		if (json) {
			std::printf("%s\n", PQgetvalue(r.get(), i, 0));
			continue;
		}
		std::vector<std::string> row;
		for (int c = 1; c < PQnfields(r.get()); c++)
			row.push_back(PQgetvalue(r.get(), i, c));
		table.push_back(row);
	}
	if (!json)
		PrintTable({"slot_name", "status", "plugin", "active", "wal_status", "retained", "lag", "reasons"},
		           table);
	if (!slot.empty() && rows == 0) {
		Log(LogLevel::Error, "replication slot \"" + slot + "\" does not exist");
		return int(kExitSlotGone);
	}
	int level = fail_on == "warning" ? 1 : fail_on == "critical" ? 2 : 3;
	return worst >= level ? int(kExitCheckFailed) : int(kExitOk);
}

} // namespace

int SlotCommand(const Args &argv)
{
	return RunCommand(kSlotHelp, SlotOptionDefs(), argv, [&](const ParsedArgs &args) {
		if (args.Positionals().empty())
			throw UsageError("\"slot\" needs a subcommand: create, drop, list or health");
		const std::string &sub = args.Positionals()[0];
		if (sub == "create")
			return Create(args);
		if (sub == "drop")
			return Drop(args);
		if (sub == "list")
			return List(args);
		if (sub == "health")
			return Health(args);
		throw UsageError("unknown subcommand \"slot " + sub + "\": expected create, drop, list or health");
	});
}

} // namespace pgcdc
