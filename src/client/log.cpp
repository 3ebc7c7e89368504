/*
 * log.cpp: stderr messages.
 */
#include "log.hpp"

#include <cstdio>
#include <unistd.h>

namespace pgcdc
{

namespace
{

int g_verbose = 0;
bool g_progress_shown = false;

void ClearProgress()
{
	if (g_progress_shown) {
		std::fputs("\r\033[K", stderr);
		g_progress_shown = false;
	}
}

void Print(const char *tag, const std::string &text)
{
	ClearProgress();
	std::fprintf(stderr, "pgcdc: %s%s\n", tag, text.c_str());
}

} // namespace

void SetVerbosity(int verbose)
{
	g_verbose = verbose;
}

bool LogEnabled(LogLevel level)
{
	switch (level) {
	case LogLevel::Verbose:
		return g_verbose >= 1;
	case LogLevel::Debug:
		return g_verbose >= 2;
	default:
		return true;
	}
}

void Log(LogLevel level, const std::string &message)
{
	if (!LogEnabled(level))
		return;
	switch (level) {
	case LogLevel::Error:
		Print("error: ", message);
		break;
	case LogLevel::Warning:
		Print("warning: ", message);
		break;
	default:
		Print("", message);
	}
}

void LogDetail(const std::string &detail)
{
	if (!detail.empty())
		Print("detail: ", detail);
}

void LogHint(const std::string &hint)
{
	if (!hint.empty())
		Print("hint: ", hint);
}

void LogProgress(const std::string &line)
{
	static const bool tty = isatty(STDERR_FILENO) == 1;
	if (tty) {
		std::fprintf(stderr, "\r\033[K%s", line.c_str());
		g_progress_shown = true;
	} else {
		std::fprintf(stderr, "%s\n", line.c_str());
	}
	std::fflush(stderr);
}

} // namespace pgcdc
