/*
 * protocol.hpp: the parts of PostgreSQL's streaming replication protocol a logical consumer
 * speaks inside COPY BOTH mode, and the text of the replication commands it sends.
 *
 * PostgreSQL does not install its frontend helpers (streamutil.c), so the messages are built and
 * parsed here, as pure functions over bytes, and unit-tested:
 *   XLogData              'w' dataStart walEnd sendTime data...           (server -> client)
 *   Primary keepalive     'k' walEnd sendTime replyRequested              (server -> client)
 *   Standby status update 'r' write flush apply sendTime replyRequested   (client -> server)
 * Integers are big-endian; times are microseconds since 2000-01-01 00:00:00 UTC.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core_fence.hpp"

namespace pgcdc
{

/* Microseconds between the Unix epoch and PostgreSQL's (2000-01-01 00:00:00 UTC). */
constexpr int64_t kPgEpochOffsetMicros = 946684800LL * 1000000LL;

/* The current time in PostgreSQL's epoch, microseconds. */
int64_t PgNowMicros();

struct XLogData {
	uint64_t data_start; /* WAL position of the data (for logical decoding: of the change) */
	uint64_t wal_end;
	int64_t send_time;
	const char *data; /* points into the message */
	size_t len;
};

struct Keepalive {
	uint64_t wal_end;
	int64_t send_time;
	bool reply_requested;
};

enum class CopyMessageKind { XLogData, Keepalive };

struct CopyMessage {
	CopyMessageKind kind;
	XLogData xlog;
	Keepalive keepalive;
};

/*
 * Parses one CopyData message from the server. On a message that is too short or of an unknown
 * type, returns false and says why in *error.
 */
bool ParseCopyMessage(const char *buf, size_t len, CopyMessage *msg, std::string *error);

constexpr size_t kStatusUpdateSize = 34;

/* Builds a standby status update ('r') into out, which must hold kStatusUpdateSize bytes. */
void BuildStatusUpdate(char *out, uint64_t write, uint64_t flush, uint64_t apply, int64_t now,
                       bool reply_requested);

/* An identifier for a replication command: "name", inner quotes doubled. */
std::string QuoteReplicationIdent(std::string_view name);
/* A string literal for a replication command: 'value', inner quotes doubled (no E'' escapes:
 * the replication command lexer does not know them). */
std::string QuoteReplicationLiteral(std::string_view value);

/* A plugin option; one given without a value ("-o include-lsn") is sent as a bare name. */
struct PluginOption {
	std::string name;
	std::string value;
	bool has_value = true;
};

/* START_REPLICATION SLOT "slot" LOGICAL X/X ("name" 'value', "bare", ...) */
std::string BuildStartReplication(std::string_view slot, uint64_t start,
                                  const std::vector<PluginOption> &options);

} // namespace pgcdc
