/*
 * sink.cpp: the std::string-backed sink used by the client and the tests.
 */
#include "sink.hpp"

namespace pgcdc
{

StringSink::StringSink()
{
	buf_.resize(256);
	cur = &buf_[0];
	end = cur + buf_.size();
	grow = &StringSink::Grow;
	state = this;
}

void StringSink::Grow(Sink &sink, size_t need)
{
	auto *self = static_cast<StringSink *>(sink.state);
	size_t used = self->size();
	size_t want = self->buf_.size() * 2;
	if (want < used + need)
		want = used + need;
	self->buf_.resize(want);
	self->cur = &self->buf_[0] + used;
	self->end = &self->buf_[0] + self->buf_.size();
}

} // namespace pgcdc
