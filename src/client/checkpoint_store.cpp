/*
 * checkpoint_store.cpp: checkpoint files on disk.
 */
#include "checkpoint_store.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include "sink.hpp"

namespace pgcdc
{

std::string ErrnoText(int err)
{
	return std::strerror(err);
}

void SyncDirectoryOf(const std::string &path)
{
	size_t slash = path.rfind('/');
	std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
	int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		throw SinkError("could not open directory \"" + dir + "\": " + ErrnoText(errno));
	if (fsync(fd) != 0) {
		int err = errno;
		close(fd);
		throw SinkError("could not fsync directory \"" + dir + "\": " + ErrnoText(err));
	}
	close(fd);
}

bool CheckpointStore::Read(Checkpoint *cp) const
{
	int fd = open(path_.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return false;
		throw SinkError("could not open checkpoint file \"" + path_ + "\": " + ErrnoText(errno));
	}
	std::string text;
	char buf[4096];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;
			close(fd);
			throw SinkError("could not read checkpoint file \"" + path_ + "\": " + ErrnoText(err));
		}
		if (n == 0)
			break;
		text.append(buf, size_t(n));
		if (text.size() > 1 << 20)
			break;
	}
	close(fd);
	std::string error;
	if (!ParseCheckpoint(text, cp, &error))
		throw SinkError("checkpoint file \"" + path_ + "\" is unusable: " + error,
		                "pgcdc will not guess where its output ends. Restore the checkpoint from a backup, "
		                "or move the output file and the checkpoint away to start a new output from the "
		                "slot's position.");
	return true;
}

void CheckpointStore::Write(const Checkpoint &cp) const
{
	std::string tmp = path_ + ".tmp";
	std::string text = FormatCheckpoint(cp);
	int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		throw SinkError("could not create \"" + tmp + "\": " + ErrnoText(errno));
	size_t done = 0;
	while (done < text.size()) {
		ssize_t n = write(fd, text.data() + done, text.size() - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;
			close(fd);
			throw SinkError("could not write \"" + tmp + "\": " + ErrnoText(err));
		}
		done += size_t(n);
	}
	if (fsync(fd) != 0) {
		int err = errno;
		close(fd);
		throw SinkError("could not fsync \"" + tmp + "\": " + ErrnoText(err));
	}
	close(fd);
	if (rename(tmp.c_str(), path_.c_str()) != 0)
		throw SinkError("could not rename \"" + tmp + "\" to \"" + path_ + "\": " + ErrnoText(errno));
	SyncDirectoryOf(path_);
}

} // namespace pgcdc
