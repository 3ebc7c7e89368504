/*
 * numbers.hpp: JSON numbers for PostgreSQL's integer and floating-point types.
 *
 * Floats are written as the shortest decimal text that reads back to the same value (the same
 * rule as PostgreSQL's float output with extra_float_digits >= 1, independent of that setting).
 * NaN and the infinities have no JSON number form and are written as the strings "NaN",
 * "Infinity" and "-Infinity", as PostgreSQL spells them, so they read back through float8in.
 * Negative zero is written as the string "-0": as a number it would lose its sign when read back
 * through jsonb (jsonb_populate_record), whose numbers are numerics.
 */
#pragma once

#include <cstdint>

#include "core_fence.hpp"
#include "sink.hpp"

namespace pgcdc
{

void WriteInt64(Sink &out, int64_t v);
void WriteUInt64(Sink &out, uint64_t v);
void WriteFloat8(Sink &out, double v);
void WriteFloat4(Sink &out, float v);

/*
 * Writes PostgreSQL numeric output text (as numeric_out prints it) as a JSON value: a number when
 * it is finite, else the string. With as_string every value is written as a JSON string.
 */
void WriteNumericText(Sink &out, const char *text, size_t len, bool as_string);

} // namespace pgcdc
