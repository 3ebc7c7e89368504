/*
 * checkpoint_store.hpp: reading and atomically replacing a checkpoint file.
 *
 * A write goes to PATH.tmp, is fsynced, renamed over PATH, and the directory is fsynced: after a
 * crash at any moment the file holds either the old or the new checkpoint, whole.
 */
#pragma once

#include <string>

#include "checkpoint.hpp"

namespace pgcdc
{

class CheckpointStore
{
public:
	explicit CheckpointStore(std::string path) : path_(std::move(path)) {}

	const std::string &path() const { return path_; }
	/* False when there is no checkpoint file; throws SinkError when it cannot be read or parsed. */
	bool Read(Checkpoint *cp) const;
	/* Replaces the checkpoint durably; throws SinkError. */
	void Write(const Checkpoint &cp) const;

private:
	std::string path_;
};

/* fsyncs the directory holding path (so a new or renamed entry survives a crash). */
void SyncDirectoryOf(const std::string &path);

/* "strerror(errno)" text for messages. */
std::string ErrnoText(int err);

} // namespace pgcdc
