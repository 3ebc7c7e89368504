/*
 * main.cpp: the pgcdc command: dispatch to a subcommand, --help, --version.
 */
#include <cstdio>
#include <exception>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "log.hpp"

#ifndef PGCDC_VERSION
#error "PGCDC_VERSION is set by the build"
#endif

namespace
{

const char *const kHelp =
    "pgcdc: change data capture from PostgreSQL with the pgcdc output plugin.\n"
    "\n"
    "Usage:\n"
    "  pgcdc stream --slot=NAME [OPTION]...   stream a slot's changes as JSON Lines, exactly once\n"
    "  pgcdc slot create|drop|list|health ...  manage and check replication slots\n"
    "  pgcdc check [OPTION]...                  pre-flight checks of the server's CDC settings\n"
    "  pgcdc COMMAND --help                     a command's options\n"
    "  pgcdc --version                          the version, then exit\n"
    "\n"
    "Every command takes libpq connection options (-d CONNSTR, -h, -p, -U, and PG* variables).\n"
    "Exit status: 0 done, 1 error, 2 usage, 3 slot missing or invalidated, 4 a check failed.\n";

} // namespace

int main(int argc, char **argv)
{
	using namespace pgcdc;
	if (argc < 2)
		return ReportUsage(kHelp, "no command given");
	std::string command = argv[1];
	Args args(argv + 2, argv + argc);
	try {
		if (command == "--help" || command == "-?" || command == "help") {
			std::fputs(kHelp, stdout);
			return kExitOk;
		}
		if (command == "--version" || command == "-V") {
			std::printf("pgcdc %s\n", PGCDC_VERSION);
			return kExitOk;
		}
		if (command == "stream")
			return StreamCommand(args);
		if (command == "slot")
			return SlotCommand(args);
		if (command == "check")
			return CheckCommand(args);
		return ReportUsage(kHelp, "unknown command \"" + command + "\"");
	} catch (const std::exception &e) {
		Log(LogLevel::Error, e.what());
		return kExitError;
	}
}
