/*
 * stdout_sink.cpp: JSON Lines on standard output.
 *
 * Output that has gone down a pipe cannot be taken back, so a broken connection is handled by
 * skipping repeats instead: the server sends the interrupted transaction again from its start,
 * decoded the same way, and the records already written are recognised by count and dropped (a
 * running hash checks that they are the same). Within one run the output is exactly once. With a
 * checkpoint, a restart resumes after the last position made durable, and the records of a
 * transaction that was being written when the process died come again: across crashes standard
 * output is at least once. "Durable" here means handed to the pipe (and fsynced when standard output
 * is a file).
 */
#include <algorithm>
#include <cerrno>
#include <unistd.h>

#include "checkpoint_store.hpp"
#include "fd_writer.hpp"
#include "log.hpp"
#include "lsn.hpp"
#include "sink.hpp"

namespace pgcdc
{

namespace
{

/*
 * FNV-1a, 64-bit, over a record's length and its first and last 32 bytes: constant work per
 * record, and enough to notice that a repeated transaction is not the one written before.
 */
uint64_t Hash(uint64_t h, std::string_view s)
{
	auto mix = [&h](std::string_view part) {
		for (unsigned char c : part)
			h = (h ^ c) * 0x100000001B3ULL;
	};
	uint64_t n = s.size();
	mix(std::string_view(reinterpret_cast<const char *>(&n), sizeof(n)));
	mix(s.substr(0, 32));
	if (s.size() > 32)
		mix(s.substr(s.size() - std::min<size_t>(32, s.size() - 32)));
	return h;
}
constexpr uint64_t kHashSeed = 0xCBF29CE484222325ULL;

class StdoutSink final : public RecordSink
{
public:
	explicit StdoutSink(std::string checkpoint_path) : store_(std::move(checkpoint_path))
	{
		out_.Attach(STDOUT_FILENO, "standard output", 0);
	}

	uint64_t Open(const StreamIdentity &id) override
	{
		id_ = id;
		Checkpoint cp;
		if (store_.path().empty() || !store_.Read(&cp))
			return 0;
		std::string mismatch = CheckpointMismatch(cp, id.slot, id.system, id.database);
		if (!mismatch.empty())
			throw SinkError("checkpoint file \"" + store_.path() + "\" is not this stream's: " + mismatch);
		position_ = durable_ = cp.position;
		return position_;
	}

	uint64_t Durable() const override { return durable_; }

	void Write(std::string_view record) override
	{
		if (repeats_ > 0) {
			repeats_--;
			repeat_hash_ = Hash(repeat_hash_, record);
			if (repeats_ == 0 && repeat_hash_ != unit_hash_)
				throw SinkError(
				    "the server sent an interrupted transaction again with other records than the first "
				    "time; standard output holds the first version's records");
			return;
		}
		unit_records_++;
		unit_hash_ = Hash(unit_hash_, record);
		out_.Append(record);
		out_.Append('\n');
	}

	void Boundary(uint64_t pos) override
	{
		position_ = pos;
		unit_records_ = 0;
		unit_hash_ = kHashSeed;
	}

	uint64_t Rewind() override
	{
		/* The unit comes again from its start (also when it broke while its repeats were skipped). */
		repeats_ = unit_records_;
		repeat_hash_ = kHashSeed;
		return position_;
	}

	uint64_t MakeDurable() override
	{
		out_.Sync(true);
		if (position_ != durable_ && !store_.path().empty()) {
			Checkpoint cp;
			cp.slot = id_.slot;
			cp.system = id_.system;
			cp.database = id_.database;
			cp.position = position_;
			store_.Write(cp);
		}
		durable_ = position_;
		return durable_;
	}

	void Flush() override { out_.Flush(); }

	void Reopen() override { Log(LogLevel::Verbose, "SIGHUP: standard output has nothing to reopen"); }

	void Close() override { MakeDurable(); }

private:
	CheckpointStore store_;
	StreamIdentity id_;
	FdWriter out_;
	uint64_t position_ = 0;
	uint64_t durable_ = 0;
	uint64_t unit_records_ = 0; /* records of the current unit written so far */
	uint64_t unit_hash_ = kHashSeed;
	uint64_t repeats_ = 0; /* records still to skip after a reconnect */
	uint64_t repeat_hash_ = kHashSeed;
};

} // namespace

std::unique_ptr<RecordSink> MakeStdoutSink(const std::string &checkpoint_path)
{
	return std::make_unique<StdoutSink>(checkpoint_path);
}

} // namespace pgcdc
