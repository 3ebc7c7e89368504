/*
 * commands.hpp: the pgcdc command's subcommands and what they share (connection options, help).
 *
 * Each command takes its arguments (after the command's name), parses them with its own option
 * table (cli.hpp), and returns an exit code (exit_codes.hpp). A usage error prints what is wrong
 * and the command's help, and returns kExitUsage.
 */
#pragma once

#include <string>
#include <vector>

#include "cli.hpp"
#include "conn.hpp"

namespace pgcdc
{

using Args = std::vector<std::string>;

int StreamCommand(const Args &args);
int SlotCommand(const Args &args);
int CheckCommand(const Args &args);

/* -d -h -p -U -w -W: appended to each command's option table. */
void AddConnectionOptions(std::vector<OptionDef> &defs);
ConnSpec ConnSpecFrom(const ParsedArgs &args);
extern const char *const kConnectionHelp;

/*
 * Parses argv with defs (connection options added), prints help and returns kExitOk for --help,
 * and otherwise runs body(args). A UsageError becomes the message, the help and kExitUsage; a
 * PgError an error with its detail and hint, and kExitError.
 */
template <typename Body>
int RunCommand(const char *help, std::vector<OptionDef> defs, const Args &argv, Body body);
int ReportUsage(const char *help, const std::string &message);
int ReportPgError(const PgError &e);
int PrintHelp(const char *help);

template <typename Body>
int RunCommand(const char *help, std::vector<OptionDef> defs, const Args &argv, Body body)
{
	try {
		AddConnectionOptions(defs);
		ParsedArgs args = ParseArgs(defs, argv);
		if (args.Has("help"))
			return PrintHelp(help);
		return body(args);
	} catch (const UsageError &e) {
		return ReportUsage(help, e.what());
	} catch (const PgError &e) {
		return ReportPgError(e);
	}
}

/* Pins search_path (pg_catalog, pg_temp) and turns JIT off for the shared queries. */
void PinSession(Connection &conn);
/* An embedded query as a parenthesised subquery (without its trailing semicolon). */
std::string AsSubquery(const char *sql);

/* Prints rows as psql's aligned format does (header, rule, rows). */
void PrintTable(const std::vector<std::string> &headers, const std::vector<std::vector<std::string>> &rows);

} // namespace pgcdc
