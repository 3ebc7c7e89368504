/*
 * json.hpp: JSON text primitives shared by the plugin, the client and the tests.
 *
 * Strings are escaped per RFC 8259: '"', '\\' and the C0 controls are escaped (\b \f \n \r \t,
 * others as \u00XX), everything else is copied. Input is treated as UTF-8; a byte that does not
 * start a well-formed sequence (overlong, surrogate, above U+10FFFF, truncated) becomes \ufffd, so
 * the output is always valid UTF-8 whatever the input. In ascii_only mode every non-ASCII
 * character is written as \uXXXX (a surrogate pair above U+FFFF), which the plugin uses when the
 * database encoding is not UTF-8 so the record is valid in both.
 */
#pragma once

#include <cstddef>
#include <cstdint>

#include "core_fence.hpp"
#include "sink.hpp"

namespace pgcdc
{

/*
 * Writes s as a JSON string, quotes included. Returns how many invalid UTF-8 sequences became
 * \ufffd (0 for valid UTF-8), so a caller can tell that the string is not what it was given.
 */
size_t WriteJsonString(Sink &out, const char *s, size_t n, bool ascii_only = false);

/* Writes the escaped body of a JSON string, without quotes; returns as WriteJsonString. */
size_t WriteJsonStringBody(Sink &out, const char *s, size_t n, bool ascii_only = false);

/* Length of the well-formed UTF-8 sequence at s (1..4), or 0 if s does not start one. */
int Utf8SequenceLength(const unsigned char *s, size_t avail);

/* True when all n bytes are well-formed UTF-8 (NUL bytes included, which are valid UTF-8). */
bool Utf8Valid(const char *s, size_t n);

/*
 * Copies a valid JSON text, dropping the whitespace between tokens. The input must be valid JSON
 * (PostgreSQL's json type guarantees it); string contents are kept byte for byte except that, in
 * ascii_only mode, non-ASCII characters are written as \u escapes.
 *
 * Returns 0 when what it wrote is UTF-8 that jsonb accepts. Otherwise it returns how many things
 * it found that are not: string bytes that are not UTF-8, the escapes jsonb refuses (\u0000, and
 * a surrogate escape that is not a high one followed by a low one), numbers outside numeric's
 * range; what it wrote is then not for a record (the plugin writes such a value another way).
 */
size_t WriteJsonMinified(Sink &out, const char *s, size_t n, bool ascii_only = false);

/*
 * True when the JSON number s (valid JSON number syntax) is within numeric's range, as jsonb
 * needs: at most 16383 digits after the point, a magnitude below 10^131072, and an exponent below
 * 2^30 - 1 (numeric_in's own limit on exponents, even for zero).
 */
bool JsonNumberFitsNumeric(const char *s, size_t n);

/* Writes the bytes as a JSON string of standard base64 with padding. */
void WriteBase64String(Sink &out, const unsigned char *data, size_t n);

/* Writes the bytes as PostgreSQL's hex bytea text inside a JSON string: "\\x0102ff". */
void WriteByteaHexString(Sink &out, const unsigned char *data, size_t n);

/* Writes 16 bytes as a JSON string in the canonical 8-4-4-4-12 lower-case form. */
void WriteUuidString(Sink &out, const unsigned char *uuid16);

} // namespace pgcdc
