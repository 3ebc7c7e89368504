/*
 * stream_command.cpp: pgcdc stream's options.
 */
#include <cstdio>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "log.hpp"
#include "options.hpp"
#include "stream.hpp"

namespace pgcdc
{

namespace
{

const char *const kStreamHelp =
    "pgcdc stream: streams a pgcdc slot's changes as JSON Lines, exactly once into a file.\n"
    "\n"
    "Usage:\n"
    "  pgcdc stream --slot=NAME [OPTION]...\n"
    "\n"
    "Options:\n"
    "  -S, --slot=NAME              replication slot to read (plugin pgcdc)\n"
    "      --create-slot            create the slot if it does not exist\n"
    "  -o, --option=NAME[=VALUE]    pass an option to the pgcdc plugin (filters, include-types, ...)\n"
    "  -f, --file=PATH              write to PATH (default: -, standard output)\n"
    "      --checkpoint=PATH        checkpoint file (default: PATH.checkpoint; none for standard output)\n"
    "  -I, --startpos=LSN           for a new output: start after LSN instead of the slot's position\n"
    "  -E, --endpos=LSN             stop after the last transaction whose commit starts before LSN\n"
    "  -F, --fsync-interval=SECS    make the output durable and confirm it this often (default 10;\n"
    "                               0: after every transaction)\n"
    "  -s, --status-interval=SECS   send the server a status update at least this often (default 10)\n"
    "      --heartbeat=SECS         emit a logical message this often on a second connection, so a\n"
    "                               slot on a quiet database advances (default 0: off)\n"
    "      --no-loop                exit when the connection is lost instead of reconnecting\n"
    "      --progress               show a progress line on stderr, about once a second\n"
    "  -v, --verbose                say more (twice: debug)\n"
    "      --help                   show this help, then exit\n"
    "\n"
    "Signals: SIGINT and SIGTERM stop after making everything durable; SIGHUP reopens the file.\n"
    "Exit status: 0 done or stopped, 1 error, 2 usage, 3 slot missing or invalidated.\n";

std::vector<OptionDef> StreamOptionDefs()
{
	std::vector<OptionDef> defs = {
	    {"slot", 'S', true, false},
	    {"create-slot", 0, false, false},
	    {"option", 'o', true, true},
	    {"file", 'f', true, false},
	    {"checkpoint", 0, true, false},
	    {"startpos", 'I', true, false},
	    {"endpos", 'E', true, false},
	    {"fsync-interval", 'F', true, false},
	    {"status-interval", 's', true, false},
	    {"heartbeat", 0, true, false},
	    {"no-loop", 0, false, false},
	    {"progress", 0, false, false},
	    {"verbose", 'v', false, true},
	};
	return defs;
}

PluginOption ParsePluginOption(const std::string &text)
{
	size_t eq = text.find('=');
	PluginOption o;
	o.name = text.substr(0, eq);
	if (eq != std::string::npos)
		o.value = text.substr(eq + 1);
	o.has_value = eq != std::string::npos;
	if (o.name.empty())
		throw UsageError("invalid plugin option \"" + text + "\": expected NAME or NAME=VALUE");
	/* Exactly-once needs the transaction framing. */
	const OptionSpec *spec = FindOption(o.name);
	bool framing = true;
	if (spec != nullptr && spec->id == OptionId::IncludeTransaction && o.has_value &&
	    (!ParseBool(o.value, &framing) || !framing))
		throw UsageError("-o " + text + ": pgcdc stream needs the B and C records (include-transaction) to " +
		                 "deliver whole transactions exactly once");
	return o;
}

} // namespace

int StreamCommand(const Args &argv)
{
	return RunCommand(kStreamHelp, StreamOptionDefs(), argv, [&](const ParsedArgs &args) {
		if (!args.Positionals().empty())
			throw UsageError("unexpected argument \"" + args.Positionals()[0] + "\"");
		StreamOptions o;
		o.conn = ConnSpecFrom(args);
		o.slot = args.Get("slot");
		if (o.slot.empty())
			throw UsageError("no slot given: --slot is required");
		o.create_slot = args.Has("create-slot");
		for (const std::string &text : args.All("option"))
			o.plugin_options.push_back(ParsePluginOption(text));
		o.file = args.Get("file", "-");
		if (o.file.empty())
			throw UsageError("--file needs a path, or - for standard output");
		o.checkpoint = args.Get("checkpoint");
		if (args.Has("checkpoint") && o.checkpoint.empty())
			throw UsageError("--checkpoint needs a path");
		if (!o.checkpoint.empty() && o.checkpoint == o.file)
			throw UsageError("--checkpoint and --file name the same file");
		if (args.Has("startpos"))
			o.startpos = ParseLsnOption("--startpos", args.Get("startpos"));
		if (args.Has("endpos"))
			o.endpos = ParseLsnOption("--endpos", args.Get("endpos"));
		if (o.startpos != 0 && o.endpos != 0 && o.startpos > o.endpos)
			throw UsageError("--startpos " + args.Get("startpos") + " is after --endpos " +
			                 args.Get("endpos"));
		if (args.Has("fsync-interval"))
			o.fsync_interval = ParseSeconds("--fsync-interval", args.Get("fsync-interval"));
		if (args.Has("status-interval"))
			o.status_interval = ParseSeconds("--status-interval", args.Get("status-interval"));
		if (args.Has("heartbeat"))
			o.heartbeat = ParseSeconds("--heartbeat", args.Get("heartbeat"));
		o.loop = !args.Has("no-loop");
		o.progress = args.Has("progress");
		SetVerbosity(int(args.All("verbose").size()));
		return RunStream(o);
	});
}

} // namespace pgcdc
