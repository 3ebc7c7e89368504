/*
 * fd_writer.cpp: buffered writes, syncs and truncation.
 */
#include "fd_writer.hpp"

#include <cerrno>
#include <unistd.h>

#include "checkpoint_store.hpp"
#include "sink.hpp"

namespace pgcdc
{

void FdWriter::WriteAll(std::string_view data)
{
	while (!data.empty()) {
		ssize_t n = write(fd_, data.data(), data.size());
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			throw SinkError("could not write to " + name_ + ": " + ErrnoText(errno));
		data.remove_prefix(size_t(n));
		written_ += uint64_t(n);
	}
}

void FdWriter::Flush()
{
	if (buf_.empty())
		return;
	WriteAll(buf_);
	buf_.clear();
}

void FdWriter::Sync(bool ignore_unsupported)
{
	Flush();
	if (fdatasync(fd_) != 0) {
		if (ignore_unsupported && (errno == EINVAL || errno == EROFS))
			return;
		throw SinkError("could not fsync " + name_ + ": " + ErrnoText(errno));
	}
}

void FdWriter::CutTo(uint64_t length)
{
	if (length >= written_) {
		buf_.resize(size_t(length - written_));
		return;
	}
	buf_.clear();
	if (ftruncate(fd_, off_t(length)) != 0)
		throw SinkError("could not truncate " + name_ + ": " + ErrnoText(errno));
	written_ = length;
}

} // namespace pgcdc
