/*
 * lsn.cpp: LSN text formatting and parsing.
 */
#include "lsn.hpp"

namespace pgcdc
{

namespace
{

char *PutHex32(char *o, uint32_t v)
{
	static constexpr char kHexUpper[] = "0123456789ABCDEF";
	char tmp[8];
	int n = 0;
	do {
		tmp[n++] = kHexUpper[v & 0xF];
		v >>= 4;
	} while (v != 0);
	while (n > 0)
		*o++ = tmp[--n];
	return o;
}

bool ParseHex32(std::string_view s, uint32_t *out)
{
	if (s.empty() || s.size() > 8)
		return false;
	uint32_t v = 0;
	for (char c : s) {
		unsigned d;
		if (c >= '0' && c <= '9')
			d = unsigned(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = unsigned(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = unsigned(c - 'A' + 10);
		else
			return false;
		v = (v << 4) | d;
	}
	*out = v;
	return true;
}

} // namespace

size_t FormatLsn(uint64_t lsn, char *buf)
{
	char *o = PutHex32(buf, static_cast<uint32_t>(lsn >> 32));
	*o++ = '/';
	o = PutHex32(o, static_cast<uint32_t>(lsn));
	*o = '\0';
	return static_cast<size_t>(o - buf);
}

std::string LsnToString(uint64_t lsn)
{
	char buf[18];
	return std::string(buf, FormatLsn(lsn, buf));
}

void WriteLsnString(Sink &out, uint64_t lsn)
{
	out.reserve(20);
	*out.cur++ = '"';
	out.cur += FormatLsn(lsn, out.cur);
	*out.cur++ = '"';
}

bool ParseLsn(std::string_view text, uint64_t *lsn)
{
	size_t slash = text.find('/');
	if (slash == std::string_view::npos)
		return false;
	uint32_t hi, lo;
	if (!ParseHex32(text.substr(0, slash), &hi) || !ParseHex32(text.substr(slash + 1), &lo))
		return false;
	*lsn = (uint64_t(hi) << 32) | lo;
	return true;
}

} // namespace pgcdc
