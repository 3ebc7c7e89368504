/*
 * datetime.hpp: PostgreSQL date/time values as JSON strings, independent of DateStyle, TimeZone
 * and IntervalStyle.
 *
 * Inputs are PostgreSQL's internal representations: microseconds (timestamp, timestamptz) or
 * days (date) since 2000-01-01, and an interval's (time in microseconds, days, months). The text
 * follows PostgreSQL's ISO/XSD conventions, so every value reads back through the type's input
 * function: "2026-11-21T10:00:00.123456Z", fractional digits without trailing zeros and none when
 * zero, years before 1 AD with a " BC" suffix (as PostgreSQL's own to_json writes them), years
 * past 9999 with as many digits as they need, "infinity" and "-infinity".
 */
#pragma once

#include <cstdint>

#include "core_fence.hpp"
#include "sink.hpp"

namespace pgcdc
{

/* Writes a timestamp; with_zone appends "Z" (timestamptz values are UTC instants). */
void WriteTimestamp(Sink &out, int64_t usecs_since_2000, bool with_zone);

/* Writes a date. */
void WriteDate(Sink &out, int32_t days_since_2000);

/*
 * Writes an interval as an ISO 8601 duration, exactly as PostgreSQL prints it with
 * IntervalStyle = iso_8601 ("P1Y2M3DT4H5M6.5S", "PT0S", "P-1Y-2M", "PT-1.5S"). With
 * infinities_exist (PostgreSQL 17 and later) the all-maximum and all-minimum values are
 * written as "infinity" and "-infinity".
 */
void WriteInterval(Sink &out, int64_t time_usecs, int32_t days, int32_t months, bool infinities_exist);

/* Converts days since 2000-01-01 to a proleptic Gregorian date (year 0 is 1 BC). */
void DaysToCivil(int64_t days_since_2000, int64_t *year, unsigned *month, unsigned *day);

} // namespace pgcdc
