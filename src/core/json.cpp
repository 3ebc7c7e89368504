/*
 * json.cpp: JSON string escaping, UTF-8 validation, minifying and binary-to-text encodings.
 *
 * These run once per value in the plugin's hot path, so the escaper works on the sink's window
 * directly: it reserves the worst case for a chunk of input (6 output bytes per input byte, for
 * \u00XX) and copies runs of plain bytes with a table lookup per byte.
 */
#include "json.hpp"

namespace pgcdc
{

namespace
{

/* Byte classes: 0 copy as is, 1 must be escaped (C0 control, quote, backslash), 2 non-ASCII. */
struct ByteClasses {
	unsigned char v[256];
	constexpr ByteClasses() : v()
	{
		for (int i = 0; i < 256; i++)
			v[i] = (i < 0x20 || i == '"' || i == '\\') ? 1 : (i >= 0x80 ? 2 : 0);
	}
};
constexpr ByteClasses kClass;

constexpr char kHex[] = "0123456789abcdef";
constexpr size_t kChunk = 4096;

inline char *PutU16(char *o, unsigned v)
{
	o[0] = '\\';
	o[1] = 'u';
	o[2] = kHex[(v >> 12) & 0xF];
	o[3] = kHex[(v >> 8) & 0xF];
	o[4] = kHex[(v >> 4) & 0xF];
	o[5] = kHex[v & 0xF];
	return o + 6;
}

inline char *PutEscape(char *o, unsigned char c)
{
	*o++ = '\\';
	switch (c) {
	case '"':
		*o++ = '"';
		return o;
	case '\\':
		*o++ = '\\';
		return o;
	case '\b':
		*o++ = 'b';
		return o;
	case '\f':
		*o++ = 'f';
		return o;
	case '\n':
		*o++ = 'n';
		return o;
	case '\r':
		*o++ = 'r';
		return o;
	case '\t':
		*o++ = 't';
		return o;
	default:
		return PutU16(o - 1, c);
	}
}

unsigned DecodeUtf8(const unsigned char *p, int len)
{
	switch (len) {
	case 2:
		return ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
	case 3:
		return ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
	default:
		return ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
	}
}

/*
 * The escaper behind the public functions. With escape_specials false, quotes, backslashes and
 * controls are copied untouched (used to re-encode the inside of an already valid JSON string).
 * Returns how many invalid UTF-8 sequences it replaced by U+FFFD.
 */
size_t EscapeBody(Sink &out, const char *s, size_t n, bool ascii_only, bool escape_specials)
{
	const auto *p = reinterpret_cast<const unsigned char *>(s);
	const auto *end = p + n;
	size_t replaced = 0;

	while (p < end) {
		size_t chunk = static_cast<size_t>(end - p) < kChunk ? static_cast<size_t>(end - p) : kChunk;
		/* 6 bytes per input byte covers every case; +12 covers a sequence that crosses the stop. */
		out.reserve(chunk * 6 + 12);
		char *o = out.cur;
		const unsigned char *stop = p + chunk;

		while (p < stop) {
			unsigned char c = *p;
			unsigned char cls = kClass.v[c];
			if (cls == 0) {
				*o++ = static_cast<char>(c);
				p++;
			} else if (cls == 1) {
				if (escape_specials)
					o = PutEscape(o, c);
				else
					*o++ = static_cast<char>(c);
				p++;
			} else {
				int len = Utf8SequenceLength(p, static_cast<size_t>(end - p));
				if (len == 0) {
					o = PutU16(o, 0xFFFD);
					p++;
					replaced++;
				} else if (!ascii_only) {
					std::memcpy(o, p, static_cast<size_t>(len));
					o += len;
					p += len;
				} else {
					unsigned cp = DecodeUtf8(p, len);
					if (cp >= 0x10000) {
						cp -= 0x10000;
						o = PutU16(o, 0xD800 + (cp >> 10));
						o = PutU16(o, 0xDC00 + (cp & 0x3FF));
					} else {
						o = PutU16(o, cp);
					}
					p += len;
				}
			}
		}
		out.cur = o;
	}
	return replaced;
}

inline bool IsJsonSpace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

inline bool IsDigit(char c)
{
	return c >= '0' && c <= '9';
}

/* The value of 4 hex digits, or -1. */
long Hex4(const char *s)
{
	long v = 0;
	for (int k = 0; k < 4; k++) {
		char c = s[k];
		int d = IsDigit(c)               ? c - '0'
		        : (c >= 'a' && c <= 'f') ? c - 'a' + 10
		        : (c >= 'A' && c <= 'F') ? c - 'A' + 10
		                                 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/*
 * Counts the escapes in the body of a JSON string that jsonb refuses: \u0000, and surrogate
 * escapes that are not a high one directly followed by a low one.
 */
size_t CountJsonbRefusedEscapes(const char *b, size_t len)
{
	size_t refused = 0;
	size_t k = 0;
	while (k < len) {
		const void *bs = std::memchr(b + k, '\\', len - k);
		if (bs == nullptr)
			break;
		k = static_cast<size_t>(static_cast<const char *>(bs) - b);
		if (k + 6 > len || b[k + 1] != 'u') {
			k += 2;
			continue;
		}
		long v = Hex4(b + k + 2);
		k += 6;
		if (v == 0 || (v >= 0xDC00 && v <= 0xDFFF)) {
			refused++;
		} else if (v >= 0xD800 && v <= 0xDBFF) {
			long low = (k + 6 <= len && b[k] == '\\' && b[k + 1] == 'u') ? Hex4(b + k + 2) : -1;
			if (low >= 0xDC00 && low <= 0xDFFF)
				k += 6;
			else
				refused++;
		}
	}
	return refused;
}

/* Counts the numbers in a run of JSON tokens (no strings, no whitespace) that numeric refuses. */
size_t CountOutOfRangeNumbers(const char *s, size_t n)
{
	size_t refused = 0;
	size_t k = 0;
	while (k < n) {
		if (s[k] != '-' && !IsDigit(s[k])) {
			k++;
			continue;
		}
		size_t e = k + 1;
		bool exponent = false;
		while (e < n &&
		       (IsDigit(s[e]) || s[e] == '.' || s[e] == 'e' || s[e] == 'E' || s[e] == '+' || s[e] == '-')) {
			exponent = exponent || s[e] == 'e' || s[e] == 'E';
			e++;
		}
		/* Without an exponent only a number of thousands of digits can be out of range. */
		if ((exponent || e - k > 16000) && !JsonNumberFitsNumeric(s + k, e - k))
			refused++;
		k = e;
	}
	return refused;
}

} // namespace

bool JsonNumberFitsNumeric(const char *s, size_t n)
{
	/* numeric's limits: a weight (in base-10000 digits) that fits int16, and at most 16383
	 * digits after the decimal point; numeric_in refuses exponents of INT_MAX / 2 and more. */
	constexpr int64_t kMaxExponent = 1073741823;
	constexpr int64_t kMaxScale = 16383;
	size_t p = 0;
	if (p < n && s[p] == '-')
		p++;
	size_t int_start = p;
	while (p < n && IsDigit(s[p]))
		p++;
	int64_t nint = static_cast<int64_t>(p - int_start);
	/* decimal weight of the first non-zero digit, if any */
	bool nonzero = false;
	int64_t weight = 0;
	for (size_t k = int_start; k < p && !nonzero; k++) {
		if (s[k] != '0') {
			nonzero = true;
			weight = nint - 1 - static_cast<int64_t>(k - int_start);
		}
	}
	int64_t nfrac = 0;
	if (p < n && s[p] == '.') {
		p++;
		size_t frac_start = p;
		while (p < n && IsDigit(s[p])) {
			if (!nonzero && s[p] != '0') {
				nonzero = true;
				weight = -1 - static_cast<int64_t>(p - frac_start);
			}
			p++;
		}
		nfrac = static_cast<int64_t>(p - frac_start);
	}
	int64_t exponent = 0;
	if (p < n && (s[p] == 'e' || s[p] == 'E')) {
		p++;
		bool neg = false;
		if (p < n && (s[p] == '+' || s[p] == '-'))
			neg = s[p++] == '-';
		while (p < n && IsDigit(s[p])) {
			exponent = exponent * 10 + (s[p++] - '0');
			if (exponent >= kMaxExponent)
				return false;
		}
		if (neg)
			exponent = -exponent;
	}
	int64_t scale = nfrac - exponent;
	if (scale > kMaxScale)
		return false;
	if (!nonzero)
		return true;
	int64_t dweight = weight + exponent;
	int64_t nbase_weight = dweight >= 0 ? dweight / 4 : -((-dweight - 1) / 4 + 1);
	return nbase_weight >= -32768 && nbase_weight <= 32767;
}

int Utf8SequenceLength(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	auto cont = [&](size_t i, unsigned char lo, unsigned char hi) {
		return i < avail && s[i] >= lo && s[i] <= hi;
	};
	if (c >= 0xC2 && c <= 0xDF)
		return cont(1, 0x80, 0xBF) ? 2 : 0;
	if (c == 0xE0)
		return cont(1, 0xA0, 0xBF) && cont(2, 0x80, 0xBF) ? 3 : 0;
	if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
		return cont(1, 0x80, 0xBF) && cont(2, 0x80, 0xBF) ? 3 : 0;
	if (c == 0xED) /* excludes the UTF-16 surrogates U+D800..U+DFFF */
		return cont(1, 0x80, 0x9F) && cont(2, 0x80, 0xBF) ? 3 : 0;
	if (c == 0xF0)
		return cont(1, 0x90, 0xBF) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
	if (c >= 0xF1 && c <= 0xF3)
		return cont(1, 0x80, 0xBF) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
	if (c == 0xF4)
		return cont(1, 0x80, 0x8F) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
	return 0;
}

bool Utf8Valid(const char *s, size_t n)
{
	const auto *p = reinterpret_cast<const unsigned char *>(s);
	size_t i = 0;
	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		int len = Utf8SequenceLength(p + i, n - i);
		if (len == 0)
			return false;
		i += static_cast<size_t>(len);
	}
	return true;
}

size_t WriteJsonStringBody(Sink &out, const char *s, size_t n, bool ascii_only)
{
	return EscapeBody(out, s, n, ascii_only, true);
}

size_t WriteJsonString(Sink &out, const char *s, size_t n, bool ascii_only)
{
	out.put('"');
	size_t replaced = EscapeBody(out, s, n, ascii_only, true);
	out.put('"');
	return replaced;
}

size_t WriteJsonMinified(Sink &out, const char *s, size_t n, bool ascii_only)
{
	size_t problems = 0;
	size_t i = 0;
	while (i < n) {
		char c = s[i];
		if (IsJsonSpace(c)) {
			i++;
			continue;
		}
		if (c != '"') {
			size_t j = i + 1;
			while (j < n && s[j] != '"' && !IsJsonSpace(s[j]))
				j++;
			problems += CountOutOfRangeNumbers(s + i, j - i);
			out.append(s + i, j - i);
			i = j;
			continue;
		}
		/* A string: find its closing quote, stepping over escapes. */
		size_t j = i + 1;
		bool escapes = false;
		while (j < n && s[j] != '"') {
			if (s[j] == '\\') {
				escapes = true;
				j += 2;
			} else {
				j++;
			}
		}
		if (j > n)
			j = n;
		size_t stop = j < n ? j + 1 : n;
		const char *body = s + i + 1;
		size_t body_len = (j < n ? j : n) - (i + 1);
		if (escapes)
			problems += CountJsonbRefusedEscapes(body, body_len);
		if (ascii_only) {
			out.put('"');
			problems += EscapeBody(out, body, body_len, true, false);
			if (j < n)
				out.put('"');
		} else {
			if (!Utf8Valid(body, body_len))
				problems++;
			out.append(s + i, stop - i);
		}
		i = stop;
	}
	return problems;
}

void WriteBase64String(Sink &out, const unsigned char *data, size_t n)
{
	static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	/* Whole groups of three bytes, a piece at a time (see kMaxReserve). */
	constexpr size_t kPiece = kChunk / 3 * 3;
	out.put('"');
	size_t i = 0;
	while (n - i >= 3) {
		size_t stop = i + (n - i) / 3 * 3;
		if (stop - i > kPiece)
			stop = i + kPiece;
		out.reserve((stop - i) / 3 * 4);
		char *o = out.cur;
		for (; i < stop; i += 3) {
			unsigned v = (unsigned(data[i]) << 16) | (unsigned(data[i + 1]) << 8) | data[i + 2];
			*o++ = kAlphabet[(v >> 18) & 63];
			*o++ = kAlphabet[(v >> 12) & 63];
			*o++ = kAlphabet[(v >> 6) & 63];
			*o++ = kAlphabet[v & 63];
		}
		out.cur = o;
	}
	out.reserve(5);
	char *o = out.cur;
	if (n - i == 1) {
		unsigned v = unsigned(data[i]) << 16;
		*o++ = kAlphabet[(v >> 18) & 63];
		*o++ = kAlphabet[(v >> 12) & 63];
		*o++ = '=';
		*o++ = '=';
	} else if (n - i == 2) {
		unsigned v = (unsigned(data[i]) << 16) | (unsigned(data[i + 1]) << 8);
		*o++ = kAlphabet[(v >> 18) & 63];
		*o++ = kAlphabet[(v >> 12) & 63];
		*o++ = kAlphabet[(v >> 6) & 63];
		*o++ = '=';
	}
	*o++ = '"';
	out.cur = o;
}

void WriteByteaHexString(Sink &out, const unsigned char *data, size_t n)
{
	out.literal("\"\\\\x");
	size_t i = 0;
	while (i < n) {
		size_t stop = n - i > kChunk ? i + kChunk : n;
		out.reserve((stop - i) * 2);
		char *o = out.cur;
		for (; i < stop; i++) {
			*o++ = kHex[data[i] >> 4];
			*o++ = kHex[data[i] & 0xF];
		}
		out.cur = o;
	}
	out.put('"');
}

void WriteUuidString(Sink &out, const unsigned char *uuid16)
{
	out.reserve(38);
	char *o = out.cur;
	*o++ = '"';
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		*o++ = kHex[uuid16[i] >> 4];
		*o++ = kHex[uuid16[i] & 0xF];
	}
	*o++ = '"';
	out.cur = o;
}

} // namespace pgcdc
