/*
 * checkpoint.hpp: the client's checkpoint file, the record of how far its output is complete.
 *
 * The output file and its checkpoint together give exactly-once delivery: the checkpoint names
 * the stream it belongs to (slot, server system identifier, database), the WAL position up to
 * which the output holds every transaction (the position a restart resumes after, and the most
 * the client ever confirms to the server), and the file's length at that position (anything
 * beyond it is the torn tail of a transaction and is cut off on restart).
 *
 * It is a short text file, readable by an operator, ending with a CRC-32C of the lines above:
 *
 *   pgcdc checkpoint 1
 *   slot: cdc
 *   system: 7312345678901234567
 *   database: postgres
 *   position: 0/1A2B4F0
 *   offset: 123456
 *   crc32c: 5f3e2a1b
 *
 * Values escape backslash, newline and carriage return as \\, \n and \r. The file is replaced
 * atomically (temporary file, fsync, rename, fsync of the directory) by the client; this module
 * only formats, parses and validates.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core_fence.hpp"

namespace pgcdc
{

struct Checkpoint {
	std::string slot;
	std::string system; /* IDENTIFY_SYSTEM's systemid */
	std::string database;
	uint64_t position = 0; /* the output holds everything up to here */
	uint64_t offset = 0;   /* the output's length at that position */
};

std::string FormatCheckpoint(const Checkpoint &cp);

/*
 * Parses a checkpoint file's contents. Returns false with a reason in *error when it is empty,
 * truncated, corrupt (CRC mismatch, a malformed or missing field) or of another format version.
 */
bool ParseCheckpoint(std::string_view text, Checkpoint *cp, std::string *error);

/* Empty when cp belongs to this stream; otherwise a sentence saying what differs. */
std::string CheckpointMismatch(const Checkpoint &cp, std::string_view slot, std::string_view system,
                               std::string_view database);

/* CRC-32C (Castagnoli), as iSCSI and PostgreSQL's WAL use it; pass the previous value to continue. */
uint32_t Crc32c(const void *data, size_t len, uint32_t crc = 0);

} // namespace pgcdc
