/*
 * budget.hpp: keeps a record within a size limit (max-record-bytes).
 *
 * A BoundedSink stands between the record writers and the sink of the buffer the record goes to
 * (the inner sink, which must keep everything written contiguous before its cur, as a StringInfo or
 * a std::string does; the buffer may hold other bytes before the record, and its grow function may
 * move the record, as long as the record stays right before cur). Writers reserve before they write,
 * up to kMaxReserve bytes at a time and often more than they use (the JSON escaper reserves six
 * bytes per input byte), so the limit is kept on what was written: a record of exactly `limit`
 * bytes fits, one byte more does not.
 *
 * The window the writers see ends at the limit, so they come back to grow once they reach it.
 * When grow finds the record past the limit, the record is "over": on_over is called (the plugin
 * reports the error there, or returns to leave values out), and from then on whatever the writers
 * write lands in the same few bytes after the point where it went over, so the rest of an
 * oversized value costs time but no memory. The owner then rewinds the record to a length it had
 * before going over (leaving a value out) or gives up. A record can also end up to kMaxReserve bytes
 * past the limit without calling grow again: BoundedOver says so too.
 */
#pragma once

#include <cstddef>

#include "core_fence.hpp"
#include "sink.hpp"

namespace pgcdc
{

struct BoundedSink {
	Sink out;     /* what the writers write to (its state is this BoundedSink) */
	Sink *inner;  /* the buffer's own sink */
	char *start;  /* where the record begins in the inner buffer */
	size_t limit; /* the longest the record may be */
	bool over;    /* went past limit: out is writing over the bytes after over_at */
	size_t over_at;
	/* Called once when grow finds the record past its limit; may not return (ereport). */
	void (*on_over)(void *arg);
	void *on_over_arg;
};

/* Starts a record at inner's cur, to be at most limit bytes long. */
void BoundedBegin(BoundedSink *b, Sink *inner, size_t limit, void (*on_over)(void *), void *arg);

/* The record's length so far; once over, the length it had when it went over. */
size_t BoundedLength(const BoundedSink &b);

/* True when the record is longer than its limit (whether or not grow has noticed yet). */
bool BoundedOver(const BoundedSink &b);

/* Cuts the record back to length bytes (at most BoundedLength); it is no longer over. */
void BoundedRewind(BoundedSink *b, size_t length);

/* Changes the limit for what is written from now on. */
void BoundedSetLimit(BoundedSink *b, size_t limit);

/* Hands the buffer back: inner's cur is at the end of the record (where it went over, if over). */
void BoundedEnd(BoundedSink *b);

} // namespace pgcdc
