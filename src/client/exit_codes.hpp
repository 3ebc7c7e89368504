/*
 * exit_codes.hpp: what the pgcdc command's exit status means (documented in docs/client.md).
 */
#pragma once

namespace pgcdc
{

enum ExitCode : int {
	kExitOk = 0,          /* done: --endpos reached, stopped by SIGINT/SIGTERM, or the command succeeded */
	kExitError = 1,       /* an error: connection, server, output, checkpoint */
	kExitUsage = 2,       /* a wrong, missing or conflicting option or argument (also a bad -o) */
	kExitSlotGone = 3,    /* the slot does not exist, or was invalidated and can never be read again */
	kExitCheckFailed = 4, /* pgcdc check found an error, or slot health a slot at --fail-on's level */
};

} // namespace pgcdc
