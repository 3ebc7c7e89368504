/*
 * numbers.cpp: integer and shortest round-trip float formatting via std::to_chars.
 */
#include "numbers.hpp"

#include <charconv>
#include <cmath>

namespace pgcdc
{

void WriteInt64(Sink &out, int64_t v)
{
	out.reserve(21);
	out.cur = std::to_chars(out.cur, out.end, v).ptr;
}

void WriteUInt64(Sink &out, uint64_t v)
{
	out.reserve(21);
	out.cur = std::to_chars(out.cur, out.end, v).ptr;
}

namespace
{

template <typename F>
void WriteFloat(Sink &out, F v)
{
	if (std::isnan(v)) {
		out.literal("\"NaN\"");
		return;
	}
	if (std::isinf(v)) {
		if (v > 0)
			out.literal("\"Infinity\"");
		else
			out.literal("\"-Infinity\"");
		return;
	}
	if (v == 0 && std::signbit(v)) {
		/* jsonb keeps numbers as numeric, which has no negative zero: a string reads back exactly. */
		out.literal("\"-0\"");
		return;
	}
	/* The shortest form of any double fits in 24 characters ("-2.2250738585072014e-308"). */
	out.reserve(32);
	out.cur = std::to_chars(out.cur, out.end, v).ptr;
}

} // namespace

void WriteFloat8(Sink &out, double v)
{
	WriteFloat(out, v);
}
void WriteFloat4(Sink &out, float v)
{
	WriteFloat(out, v);
}

void WriteNumericText(Sink &out, const char *text, size_t len, bool as_string)
{
	/* numeric_out prints digits, '-', '.' only, or NaN / Infinity / -Infinity. */
	bool finite =
	    len > 0 && (text[0] != 'N' && text[0] != 'I' && !(text[0] == '-' && len > 1 && text[1] == 'I'));
	if (as_string || !finite) {
		out.put('"');
		out.append(text, len);
		out.put('"');
		return;
	}
	out.append(text, len);
}

} // namespace pgcdc
