/*
 * file_sink.cpp: JSON Lines into a file, exactly once.
 *
 * The file and its checkpoint (position, length) move together: a checkpoint is written only
 * after the file is fsynced up to the length it names, so after a crash the file holds at least
 * that much, and whatever lies beyond it (the torn tail of a transaction that was being written)
 * is cut off at the next start. Transactions at or below the checkpoint's position are skipped when
 * the server sends them again (src/core/framing), so each one ends up in the file exactly once.
 *
 * The file is locked (flock) while open, so two clients cannot append to it at once.
 */
#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
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

class FileSink final : public RecordSink
{
public:
	FileSink(std::string path, std::string checkpoint_path)
	    : path_(std::move(path)), store_(std::move(checkpoint_path))
	{
	}
	~FileSink() override
	{
		if (out_.fd() >= 0)
			close(out_.fd());
	}

	uint64_t Open(const StreamIdentity &id) override
	{
		id_ = id;
		uint64_t size = OpenFile();
		Checkpoint cp;
		bool have = store_.Read(&cp);
		if (!have) {
			if (size > 0)
				throw SinkError(
				    "output file \"" + path_ + "\" holds " + std::to_string(size) +
				        " bytes, but there is no checkpoint \"" + store_.path() +
				        "\": which transactions it holds cannot be known",
				    "Restore the checkpoint, or move the file away to start a new output from the "
				    "slot's position.");
			/* A checkpoint at once: whatever is written before the first durable point is then a
			 * torn tail to cut, not a file without a checkpoint. */
			SyncDirectoryOf(path_);
			WriteCheckpoint(0, 0);
			return 0;
		}
		std::string mismatch = CheckpointMismatch(cp, id.slot, id.system, id.database);
		if (!mismatch.empty())
			throw SinkError("checkpoint file \"" + store_.path() + "\" is not this stream's: " + mismatch,
			                "Give each stream its own --file and --checkpoint.");
		position_ = durable_pos_ = cp.position;
		if (size == 0 && cp.offset > 0) {
			/* A new, empty file at the path (rotated away while pgcdc was not running). */
			Log(LogLevel::Notice, "output file \"" + path_ + "\" is new; continuing after " +
			                          LsnToString(cp.position) + " (checkpoint \"" + store_.path() + "\")");
			cp.offset = 0;
			store_.Write(cp);
		} else if (size < cp.offset) {
			throw SinkError("output file \"" + path_ + "\" is shorter than its checkpoint says (" +
			                    std::to_string(size) + " bytes, checkpoint " + std::to_string(cp.offset) +
			                    "): it was truncated or replaced",
			                "Restore the file, or move the file and \"" + store_.path() +
			                    "\" away to start a new output from the slot's position.");
		} else if (size > cp.offset) {
			Log(LogLevel::Notice, "cut " + std::to_string(size - cp.offset) + " bytes off \"" + path_ +
			                          "\" after its checkpoint: an incomplete transaction, sent again");
			out_.CutTo(cp.offset);
			out_.Sync();
		}
		boundary_offset_ = durable_offset_ = cp.offset;
		Log(LogLevel::Verbose, "resuming \"" + path_ + "\" after " + LsnToString(cp.position) + " at byte " +
		                           std::to_string(cp.offset));
		SyncDirectoryOf(path_);
		return position_;
	}

	uint64_t Durable() const override { return durable_pos_; }

	void Write(std::string_view record) override
	{
		out_.Append(record);
		out_.Append('\n');
	}

	void Boundary(uint64_t pos) override
	{
		position_ = pos;
		boundary_offset_ = out_.Length();
	}

	uint64_t Rewind() override
	{
		out_.CutTo(boundary_offset_);
		return position_;
	}

	uint64_t MakeDurable() override
	{
		if (position_ == durable_pos_ && boundary_offset_ == durable_offset_)
			return durable_pos_;
		out_.Sync();
		WriteCheckpoint(position_, boundary_offset_);
		return durable_pos_;
	}

	void Flush() override { out_.Flush(); }

	void Reopen() override
	{
		MakeDurable();
		close(out_.fd());
		out_.Attach(-1, "", 0);
		uint64_t size = OpenFile();
		SyncDirectoryOf(path_);
		boundary_offset_ = size;
		WriteCheckpoint(position_, size);
		Log(LogLevel::Notice, "reopened output file \"" + path_ + "\" (" + std::to_string(size) + " bytes)");
	}

	void Close() override
	{
		if (out_.fd() < 0)
			return;
		MakeDurable();
		close(out_.fd());
		out_.Attach(-1, "", 0);
	}

private:
	/* Opens (creating) and locks the file; returns its length. */
	uint64_t OpenFile()
	{
		int fd = open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (fd < 0)
			throw SinkError("could not open output file \"" + path_ + "\": " + ErrnoText(errno));
		if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
			int err = errno;
			close(fd);
			if (err == EWOULDBLOCK)
				throw SinkError("output file \"" + path_ + "\" is locked: another pgcdc is writing it");
			throw SinkError("could not lock output file \"" + path_ + "\": " + ErrnoText(err));
		}
		struct stat st;
		if (fstat(fd, &st) != 0) {
			int err = errno;
			close(fd);
			throw SinkError("could not stat output file \"" + path_ + "\": " + ErrnoText(err));
		}
		out_.Attach(fd, "output file \"" + path_ + "\"", uint64_t(st.st_size));
		return uint64_t(st.st_size);
	}

	void WriteCheckpoint(uint64_t pos, uint64_t offset)
	{
		Checkpoint cp;
		cp.slot = id_.slot;
		cp.system = id_.system;
		cp.database = id_.database;
		cp.position = pos;
		cp.offset = offset;
		store_.Write(cp);
		durable_pos_ = pos;
		durable_offset_ = offset;
		Log(LogLevel::Debug, "checkpoint: " + LsnToString(pos) + " at byte " + std::to_string(offset));
	}

	std::string path_;
	CheckpointStore store_;
	StreamIdentity id_;
	FdWriter out_;
	uint64_t position_ = 0;        /* the last boundary */
	uint64_t boundary_offset_ = 0; /* the file's length at the last boundary */
	uint64_t durable_pos_ = 0;
	uint64_t durable_offset_ = 0;
};

} // namespace

std::unique_ptr<RecordSink> MakeFileSink(const std::string &path, const std::string &checkpoint_path)
{
	return std::make_unique<FileSink>(path, checkpoint_path);
}

} // namespace pgcdc
