/*
 * fd_writer.hpp: a user-space buffer in front of a file descriptor.
 *
 * Records are small and many; one write() per record would dominate. The buffer is handed to the
 * kernel when it fills, when the stream waits for the server (so readers of the output see records
 * without delay), and before an fsync.
 */
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pgcdc
{

class FdWriter
{
public:
	static constexpr size_t kBufferSize = 1 << 20;

	FdWriter() { buf_.reserve(kBufferSize); }
	/* Starts writing to fd, whose current length is written (bytes already in the file). */
	void Attach(int fd, std::string name, uint64_t written)
	{
		fd_ = fd;
		name_ = std::move(name);
		written_ = written;
		buf_.clear();
	}
	int fd() const { return fd_; }
	const std::string &name() const { return name_; }

	void Append(std::string_view data)
	{
		if (buf_.size() + data.size() > kBufferSize)
			Flush();
		if (data.size() >= kBufferSize)
			WriteAll(data);
		else
			buf_.append(data);
	}
	void Append(char c)
	{
		if (buf_.size() + 1 > kBufferSize)
			Flush();
		buf_.push_back(c);
	}
	/* Bytes written so far, buffered ones included. */
	uint64_t Length() const { return written_ + buf_.size(); }
	/* Hands the buffer to the kernel; throws SinkError. */
	void Flush();
	/* Flush, then fdatasync; with ignore_unsupported, a descriptor that cannot be synced (a pipe) is no
	 * error. */
	void Sync(bool ignore_unsupported = false);
	/* Forgets everything after length: from the buffer, or by truncating the file. */
	void CutTo(uint64_t length);

private:
	void WriteAll(std::string_view data);

	int fd_ = -1;
	std::string name_;
	uint64_t written_ = 0; /* bytes handed to the kernel */
	std::string buf_;
};

} // namespace pgcdc
