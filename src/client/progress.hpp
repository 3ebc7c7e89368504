/*
 * progress.hpp: --progress, one line on stderr about once a second: the rates over the last
 * interval, the totals, the positions received and confirmed, and how far the server's WAL is
 * ahead of what was received.
 */
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace pgcdc
{

struct ProgressFigures {
	uint64_t records = 0;
	uint64_t bytes = 0;
	uint64_t transactions = 0;
	uint64_t received = 0;
	uint64_t confirmed = 0;
	uint64_t server = 0; /* 0: unknown */
};

/* The line for the figures now, given the figures and time of the previous line. */
std::string FormatProgress(const ProgressFigures &now, const ProgressFigures &before, double seconds);

class Progress
{
public:
	using Clock = std::chrono::steady_clock;

	explicit Progress(bool enabled) : enabled_(enabled) {}
	bool Enabled() const { return enabled_; }
	/* Prints a line when a second has passed; returns when the next one is due. */
	Clock::time_point Tick(Clock::time_point now, const ProgressFigures &figures);

private:
	bool enabled_;
	bool started_ = false;
	Clock::time_point last_{};
	ProgressFigures before_{};
};

} // namespace pgcdc
