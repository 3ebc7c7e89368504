/*
 * progress.cpp: the progress line.
 */
#include "progress.hpp"

#include <cstdio>

#include "log.hpp"
#include "lsn.hpp"

namespace pgcdc
{

std::string FormatProgress(const ProgressFigures &now, const ProgressFigures &before, double seconds)
{
	double s = seconds > 0 ? seconds : 1;
	double rps = double(now.records - before.records) / s;
	double mbps = double(now.bytes - before.bytes) / s / (1024.0 * 1024.0);
	char buf[256];
	std::snprintf(buf, sizeof(buf),
	              "pgcdc: %.0f records/s, %.2f MB/s, %llu transactions, received %s, confirmed %s", rps, mbps,
	              static_cast<unsigned long long>(now.transactions), LsnToString(now.received).c_str(),
	              LsnToString(now.confirmed).c_str());
	std::string line = buf;
	if (now.server == 0)
		line += ", lag unknown";
	else
		line +=
		    ", lag " + std::to_string(now.server > now.received ? now.server - now.received : 0) + " bytes";
	return line;
}

Progress::Clock::time_point Progress::Tick(Clock::time_point now, const ProgressFigures &figures)
{
	if (!enabled_)
		return Clock::time_point::max();
	if (!started_) {
		started_ = true;
		last_ = now;
		before_ = figures;
	} else if (now - last_ >= std::chrono::seconds(1)) {
		LogProgress(FormatProgress(figures, before_, std::chrono::duration<double>(now - last_).count()));
		last_ = now;
		before_ = figures;
	}
	return last_ + std::chrono::seconds(1);
}

} // namespace pgcdc
