/*
 * sink.hpp: where the stream's records go, and what "durable" means there.
 *
 * The stream loop knows nothing of files (or, later, Kafka): it hands the sink records and
 * boundaries, asks it to make what it has durable, and confirms to the server only the position
 * the sink returns. A boundary says that everything written so far forms whole units (see
 * src/core/framing.hpp) up to a WAL position; the sink keeps its own checkpoint, because what
 * durable means differs for each sink. Every method may throw SinkError; the stream then stops
 * without confirming anything more.
 */
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace pgcdc
{

/* The stream a sink's output and checkpoint belong to. */
struct StreamIdentity {
	std::string slot;
	std::string system; /* the server's system identifier */
	std::string database;
};

class SinkError : public std::runtime_error
{
public:
	explicit SinkError(const std::string &message, std::string hint = {})
	    : std::runtime_error(message), hint(std::move(hint))
	{
	}
	std::string hint;
};

class RecordSink
{
public:
	virtual ~RecordSink() = default;

	/*
	 * Opens the output for the stream and recovers it: returns the position it holds everything
	 * up to (0: nothing yet, start where the slot is). Refuses (SinkError) output and checkpoint
	 * that do not agree, or that belong to another stream.
	 */
	virtual uint64_t Open(const StreamIdentity &id) = 0;
	/* The position Open recovered from a checkpoint, 0 without one: what may be confirmed at once. */
	virtual uint64_t Durable() const = 0;

	/* Appends one record (without its newline). */
	virtual void Write(std::string_view record) = 0;
	/* Everything written so far is whole up to WAL position pos. */
	virtual void Boundary(uint64_t pos) = 0;
	/*
	 * The stream broke: the records written since the last boundary will be sent again. Returns
	 * the position to resume after.
	 */
	virtual uint64_t Rewind() = 0;
	/* Makes everything up to the last boundary durable; returns the durable position. */
	virtual uint64_t MakeDurable() = 0;
	/* Hands buffered output to the operating system, so that readers see it (not durable). */
	virtual void Flush() = 0;
	/* Reopens the output (log rotation); called only at a boundary. */
	virtual void Reopen() = 0;
	/* Makes everything durable and closes. */
	virtual void Close() = 0;
};

/* JSON Lines into a file, exactly once, with its checkpoint at checkpoint_path. */
std::unique_ptr<RecordSink> MakeFileSink(const std::string &path, const std::string &checkpoint_path);
/* JSON Lines on standard output; the checkpoint is optional (empty path: none). */
std::unique_ptr<RecordSink> MakeStdoutSink(const std::string &checkpoint_path);

} // namespace pgcdc
