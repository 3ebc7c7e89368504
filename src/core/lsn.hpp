/*
 * lsn.hpp: PostgreSQL's text form of a WAL position, "%X/%X" (high and low 32 bits, upper-case
 * hex, no leading zeros), in both directions.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core_fence.hpp"
#include "sink.hpp"

namespace pgcdc
{

/* Writes the LSN text (without quotes) into buf, which must hold 18 bytes; returns the length. */
size_t FormatLsn(uint64_t lsn, char *buf);
std::string LsnToString(uint64_t lsn);
/* Writes the LSN as a JSON string. */
void WriteLsnString(Sink &out, uint64_t lsn);
/* Parses "X/X" exactly as pg_lsn_in accepts it; false on anything else. */
bool ParseLsn(std::string_view text, uint64_t *lsn);

} // namespace pgcdc
