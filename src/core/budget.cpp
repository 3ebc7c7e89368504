/*
 * budget.cpp: the size-limited sink.
 */
#include "budget.hpp"

namespace pgcdc
{

namespace
{

/* Ends the writers' window at the limit (or after `need` bytes, if that is further). */
void SetWindow(BoundedSink *b, size_t need)
{
	Sink &s = b->out;
	s.end = b->inner->end;
	if (b->over)
		return;
	size_t len = static_cast<size_t>(s.cur - b->start);
	size_t room = len < b->limit ? b->limit - len : 0;
	if (room < need)
		room = need;
	if (room < static_cast<size_t>(s.end - s.cur))
		s.end = s.cur + room;
}

void BoundedGrow(Sink &s, size_t need)
{
	auto *b = static_cast<BoundedSink *>(s.state);
	size_t len = static_cast<size_t>(s.cur - b->start);
	if (!b->over && len > b->limit) {
		b->over = true;
		b->over_at = len;
		if (b->on_over != nullptr)
			b->on_over(b->on_over_arg);
	}
	if (b->over) {
		/* What was written past over_at is of no use: write over it. */
		len = b->over_at;
		s.cur = b->start + len;
	}
	Sink *in = b->inner;
	in->cur = s.cur;
	if (static_cast<size_t>(in->end - in->cur) < need) {
		in->grow(*in, need);
		b->start = in->cur - len; /* the buffer may have moved */
	}
	s.cur = in->cur;
	SetWindow(b, need);
}

} // namespace

void BoundedBegin(BoundedSink *b, Sink *inner, size_t limit, void (*on_over)(void *), void *arg)
{
	b->inner = inner;
	b->start = inner->cur;
	b->limit = limit;
	b->over = false;
	b->over_at = 0;
	b->on_over = on_over;
	b->on_over_arg = arg;
	b->out.cur = inner->cur;
	b->out.grow = BoundedGrow;
	b->out.state = b;
	SetWindow(b, 0);
}

size_t BoundedLength(const BoundedSink &b)
{
	return b.over ? b.over_at : static_cast<size_t>(b.out.cur - b.start);
}

bool BoundedOver(const BoundedSink &b)
{
	return b.over || static_cast<size_t>(b.out.cur - b.start) > b.limit;
}

void BoundedRewind(BoundedSink *b, size_t length)
{
	if (length > BoundedLength(*b))
		length = BoundedLength(*b);
	b->over = false;
	b->out.cur = b->start + length;
	SetWindow(b, 0);
}

void BoundedSetLimit(BoundedSink *b, size_t limit)
{
	b->limit = limit;
	SetWindow(b, 0);
}

void BoundedEnd(BoundedSink *b)
{
	b->inner->cur = b->start + BoundedLength(*b);
}

} // namespace pgcdc
