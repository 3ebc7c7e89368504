/*
 * framing.hpp: what a consumer of pgcdc's records needs to know about each one, and the state
 * machine that turns the stream into whole units for exactly-once delivery.
 *
 * A unit is either a transaction (its B ... C records) or a non-transactional message (one M
 * record outside any transaction). Each unit has a position, the WAL position a consumer has
 * everything up to once the unit is in its output:
 *   - a transaction: the end of its commit record, the "lsn" of its C record;
 *   - a non-transactional message: the end of its WAL record, which logical decoding reports as the
 *     message's LSN (the XLogData's dataStart, and its "lsn" with include-lsn).
 * Both are ends of WAL records, so positions increase strictly along the stream, and a server
 * asked to start at one sends only what begins at or after it (decoding skips a commit or a
 * message whose record starts before the start position). A unit whose position is at or below the
 * tracker's position is already in the output and is skipped; a transaction is recognised at its
 * B: its commit starts before the position exactly when it ends at or before it.
 *
 * --endpos keeps the units that end at or before it, as pg_recvlogical does for an end position at
 * a record boundary: a transaction is written when its commit starts before endpos, a message when
 * it ends at or before it.
 */
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core_fence.hpp"

namespace pgcdc
{

struct RecordInfo {
	char op = 0;               /* B C I U D T M */
	uint64_t lsn = 0;          /* B: the commit record's LSN; C: its end */
	bool transactional = true; /* M: false for a non-transactional message */
	std::string_view prefix;   /* M: the prefix as written in the record (JSON-escaped) */
};

/*
 * Reads what the framing needs from one record of the contract: {"op":"X",...}. Returns false
 * with a reason in *error when the record does not have the contract's shape.
 */
bool ClassifyRecord(std::string_view record, RecordInfo *info, std::string *error);

enum class Verdict {
	Write, /* write the record */
	Skip,  /* do not write it (already in the output, or a heartbeat) */
	Stop,  /* do not write it, and stop: --endpos is reached */
};

struct Decision {
	Verdict verdict = Verdict::Skip;
	/* Non-zero: after acting on the record, the output is complete up to this position. */
	uint64_t boundary = 0;
	/* Write, then stop: this unit reaches --endpos. */
	bool stop_after = false;
};

class StreamTracker
{
public:
	/*
	 * position: what the output already holds (0: nothing yet); endpos: stop after the last
	 * unit that ends at or before it (0: never); heartbeat_prefix: non-transactional messages
	 * with this prefix advance the position but are not written.
	 */
	StreamTracker(uint64_t position, uint64_t endpos, std::string heartbeat_prefix);

	/* One record of an XLogData message whose dataStart is data_start. */
	bool OnRecord(std::string_view record, uint64_t data_start, Decision *decision, std::string *error);

	/*
	 * A keepalive: the server has sent everything up to wal_end. With no transaction open, that
	 * is a boundary; past --endpos it is the end.
	 */
	Decision OnKeepalive(uint64_t wal_end);

	/* After a reconnect: the open transaction will come again from its B; resume after position. */
	void Restart(uint64_t position);

	bool InTransaction() const { return in_txn_; }
	uint64_t Position() const { return position_; }
	uint64_t Transactions() const { return transactions_; }

private:
	uint64_t position_;
	uint64_t endpos_;
	std::string heartbeat_prefix_;
	bool in_txn_ = false;
	bool skip_txn_ = false;
	uint64_t txn_commit_lsn_ = 0;
	uint64_t transactions_ = 0;
};

} // namespace pgcdc
