/*
 * log.hpp: the client's messages on stderr, in the PostgreSQL tools' shape:
 *   pgcdc: error: could not connect ...
 *   pgcdc: detail: ...
 *   pgcdc: hint: ...
 * Errors and warnings always print; notices print unless --quiet is ever added; -v shows
 * verbose messages (connections, checkpoints), -v -v debug ones.
 */
#pragma once

#include <string>

namespace pgcdc
{

enum class LogLevel { Error, Warning, Notice, Verbose, Debug };

void SetVerbosity(int verbose);
bool LogEnabled(LogLevel level);
void Log(LogLevel level, const std::string &message);
void LogDetail(const std::string &detail);
void LogHint(const std::string &hint);

/* The progress line is redrawn in place on a terminal; other messages first clear it. */
void LogProgress(const std::string &line);

} // namespace pgcdc
