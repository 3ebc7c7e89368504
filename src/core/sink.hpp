/*
 * sink.hpp: the byte sink every core writer appends to.
 *
 * The sink is a plain window [cur, end) over someone else's buffer plus a grow function. Writers
 * reserve what they need and then write straight into the window, so the per-token cost is a
 * compare and a memcpy, with no virtual call. The plugin grows a StringInfo (and may ereport from
 * grow, which is why no core writer keeps an object with a destructor alive across a reserve),
 * the client and the unit tests grow a std::string.
 *
 * No writer reserves more than kMaxReserve bytes at once: longer text is written in pieces. So a
 * sink that stops a record at a size limit (budget.hpp) is never asked for much more than the limit.
 */
#pragma once

#include <cstddef>
#include <cstring>
#include <string>

#include "core_fence.hpp"

namespace pgcdc
{

/* The most any writer reserves at once. */
constexpr size_t kMaxReserve = 64 * 1024;

struct Sink {
	char *cur = nullptr;
	char *end = nullptr;
	/* Make at least `need` bytes available at cur; must not return otherwise. */
	void (*grow)(Sink &sink, size_t need) = nullptr;
	void *state = nullptr;

	void reserve(size_t need)
	{
		if (static_cast<size_t>(end - cur) < need)
			grow(*this, need);
	}
	void put(char c)
	{
		reserve(1);
		*cur++ = c;
	}
	void append(const char *s, size_t n)
	{
		while (n > kMaxReserve) {
			reserve(kMaxReserve);
			std::memcpy(cur, s, kMaxReserve);
			cur += kMaxReserve;
			s += kMaxReserve;
			n -= kMaxReserve;
		}
		reserve(n);
		std::memcpy(cur, s, n);
		cur += n;
	}
	template <size_t N>
	void literal(const char (&s)[N])
	{
		append(s, N - 1);
	}
};

/* A sink over a std::string, for the client and the tests. Call str() to read what was written. */
class StringSink : public Sink
{
public:
	StringSink();
	StringSink(const StringSink &) = delete;
	StringSink &operator=(const StringSink &) = delete;

	/* What has been written so far. */
	std::string str() const { return std::string(buf_.data(), size()); }
	size_t size() const { return static_cast<size_t>(cur - buf_.data()); }
	void clear() { cur = &buf_[0]; }

private:
	static void Grow(Sink &sink, size_t need);
	std::string buf_;
};

} // namespace pgcdc
