/*
 * stream.hpp: pgcdc stream, the replication loop.
 */
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "conn.hpp"
#include "protocol.hpp"

namespace pgcdc
{

struct StreamOptions {
	ConnSpec conn;
	std::string slot;
	bool create_slot = false;
	std::vector<PluginOption> plugin_options; /* -o, as given */
	std::string file = "-";                   /* "-": standard output */
	std::string checkpoint;                   /* empty: FILE.checkpoint for a file, none for stdout */
	uint64_t startpos = 0;
	uint64_t endpos = 0;
	double fsync_interval = 10;
	double status_interval = 10;
	double heartbeat = 0;
	bool loop = true;
	bool progress = false;
};

/* The batch-bytes the client asks the plugin for, unless -o batch-bytes says otherwise. */
constexpr const char *kDefaultBatchBytes = "65536";

/* Streams until --endpos, a signal, or an error that retrying cannot mend; returns the exit code. */
int RunStream(const StreamOptions &opts);

} // namespace pgcdc
