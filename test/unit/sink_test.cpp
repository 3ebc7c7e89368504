/* Unit tests for src/client's sinks: the output file and its checkpoint, and standard output. */
#include "checkpoint.hpp"
#include "checkpoint_store.hpp"
#include "sink.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace pgcdc;

namespace
{

const StreamIdentity kId = {"cdc", "7312345678901234567", "postgres"};

class SinkTest : public ::testing::Test
{
protected:
	void SetUp() override
	{
		char tmpl[] = "/tmp/pgcdc-sink-test.XXXXXX";
		ASSERT_NE(mkdtemp(tmpl), nullptr);
		dir_ = tmpl;
		file_ = dir_ + "/out.jsonl";
		cp_ = file_ + ".checkpoint";
	}
	void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }

	std::string Read(const std::string &path)
	{
		std::ifstream in(path, std::ios::binary);
		std::stringstream ss;
		ss << in.rdbuf();
		return ss.str();
	}
	void WriteFile(const std::string &path, const std::string &text)
	{
		std::ofstream out(path, std::ios::binary | std::ios::trunc);
		out << text;
	}
	Checkpoint ReadCheckpoint()
	{
		Checkpoint cp;
		EXPECT_TRUE(CheckpointStore(cp_).Read(&cp));
		return cp;
	}
	std::string OpenError(const StreamIdentity &id = kId)
	{
		auto sink = MakeFileSink(file_, cp_);
		try {
			sink->Open(id);
		} catch (const SinkError &e) {
			return e.what();
		}
		return "(opened)";
	}
	/* One transaction of two records, made durable. */
	void Transaction(RecordSink &sink, const std::string &tag, uint64_t end)
	{
		sink.Write("{\"op\":\"B\",\"t\":\"" + tag + "\"}");
		sink.Write("{\"op\":\"C\",\"t\":\"" + tag + "\"}");
		sink.Boundary(end);
	}

	std::string dir_, file_, cp_;
};

} // namespace

TEST_F(SinkTest, FreshOutputThenRestart)
{
	auto sink = MakeFileSink(file_, cp_);
	EXPECT_EQ(sink->Open(kId), 0u);
	EXPECT_EQ(sink->Durable(), 0u);
	struct stat st;
	EXPECT_EQ(stat(file_.c_str(), &st), 0) << "the output file is created at once";
	EXPECT_EQ(ReadCheckpoint().position, 0u) << "a new output has a checkpoint at once";
	EXPECT_EQ(ReadCheckpoint().offset, 0u);
	Transaction(*sink, "a", 0x100);
	EXPECT_EQ(sink->MakeDurable(), 0x100u);
	EXPECT_EQ(ReadCheckpoint().position, 0x100u);
	EXPECT_EQ(ReadCheckpoint().offset, Read(file_).size());
	sink->Write("{\"op\":\"B\",\"t\":\"torn\"}"); /* a transaction in progress */
	sink->Flush();
	sink->Close();
	EXPECT_EQ(Read(file_),
	          "{\"op\":\"B\",\"t\":\"a\"}\n{\"op\":\"C\",\"t\":\"a\"}\n{\"op\":\"B\",\"t\":\"torn\"}\n")
	    << "the file holds a torn transaction, and the checkpoint stays at the last boundary";
	EXPECT_EQ(ReadCheckpoint().position, 0x100u);

	auto again = MakeFileSink(file_, cp_);
	EXPECT_EQ(again->Open(kId), 0x100u);
	EXPECT_EQ(again->Durable(), 0x100u);
	EXPECT_EQ(Read(file_), "{\"op\":\"B\",\"t\":\"a\"}\n{\"op\":\"C\",\"t\":\"a\"}\n")
	    << "the torn tail is cut";
	Transaction(*again, "b", 0x200);
	EXPECT_EQ(again->MakeDurable(), 0x200u);
	EXPECT_EQ(Read(file_).size(), ReadCheckpoint().offset);
}

TEST_F(SinkTest, RewindDropsTheUnitInProgress)
{
	auto sink = MakeFileSink(file_, cp_);
	sink->Open(kId);
	Transaction(*sink, "a", 0x100);
	sink->Write("{\"op\":\"B\",\"t\":\"b\"}");
	EXPECT_EQ(sink->Rewind(), 0x100u) << "still in the buffer";
	sink->Write("{\"op\":\"B\",\"t\":\"c\"}");
	sink->Flush();
	EXPECT_EQ(sink->Rewind(), 0x100u) << "already in the file: truncated";
	sink->Flush();
	EXPECT_EQ(Read(file_), "{\"op\":\"B\",\"t\":\"a\"}\n{\"op\":\"C\",\"t\":\"a\"}\n");
	Transaction(*sink, "d", 0x300);
	sink->Close();
	EXPECT_EQ(Read(file_),
	          "{\"op\":\"B\",\"t\":\"a\"}\n{\"op\":\"C\",\"t\":\"a\"}\n{\"op\":\"B\",\"t\":\"d\"}\n{\"op\":"
	          "\"C\",\"t\":\"d\"}\n");
	EXPECT_EQ(ReadCheckpoint().position, 0x300u);
}

TEST_F(SinkTest, KeepaliveBoundaryAdvancesWithoutData)
{
	auto sink = MakeFileSink(file_, cp_);
	sink->Open(kId);
	Transaction(*sink, "a", 0x100);
	sink->MakeDurable();
	uint64_t len = Read(file_).size();
	sink->Boundary(0x5000);
	EXPECT_EQ(sink->MakeDurable(), 0x5000u);
	EXPECT_EQ(ReadCheckpoint().position, 0x5000u);
	EXPECT_EQ(ReadCheckpoint().offset, len);
}

TEST_F(SinkTest, AFileWithoutItsCheckpointIsRefused)
{
	WriteFile(file_, "{\"op\":\"B\"}\n");
	EXPECT_EQ(OpenError(), "output file \"" + file_ + "\" holds 11 bytes, but there is no checkpoint \"" +
	                           cp_ + "\": which transactions it holds cannot be known");
	EXPECT_EQ(Read(file_), "{\"op\":\"B\"}\n") << "nothing is lost";
}

TEST_F(SinkTest, BadCheckpointsAreRefused)
{
	{
		auto sink = MakeFileSink(file_, cp_);
		sink->Open(kId);
		Transaction(*sink, "a", 0x100);
		sink->Close();
	}
	std::string good = Read(cp_), data = Read(file_);
	WriteFile(cp_, good.substr(0, good.find("offset")));
	EXPECT_EQ(OpenError(),
	          "checkpoint file \"" + cp_ + "\" is unusable: it is truncated before its \"offset\" line");
	WriteFile(cp_, "");
	EXPECT_EQ(OpenError(), "checkpoint file \"" + cp_ + "\" is unusable: the file is empty");
	std::string flipped = good;
	flipped[flipped.find("0/100")] = '1';
	WriteFile(cp_, flipped);
	EXPECT_EQ(OpenError(),
	          "checkpoint file \"" + cp_ + "\" is unusable: its CRC does not match its contents (corrupt)");
	WriteFile(cp_, good);
	std::string foreign = OpenError({"other", kId.system, kId.database});
	EXPECT_EQ(foreign.substr(0, foreign.find(" of database")),
	          "checkpoint file \"" + cp_ + "\" is not this stream's: it belongs to slot \"cdc\"");
	EXPECT_NE(OpenError({kId.slot, "1", kId.database}).find("is not this stream's"), std::string::npos);
	EXPECT_EQ(Read(file_), data) << "a refused open changes nothing";
	EXPECT_EQ(OpenError(), "(opened)");
}

TEST_F(SinkTest, AFileShorterThanItsCheckpointIsRefused)
{
	{
		auto sink = MakeFileSink(file_, cp_);
		sink->Open(kId);
		Transaction(*sink, "a", 0x100);
		sink->Close();
	}
	WriteFile(file_, "{}\n");
	EXPECT_EQ(OpenError(), "output file \"" + file_ +
	                           "\" is shorter than its checkpoint says (3 bytes, checkpoint " +
	                           std::to_string(ReadCheckpoint().offset) + "): it was truncated or replaced");
}

TEST_F(SinkTest, AnEmptyFileIsARotatedOne)
{
	{
		auto sink = MakeFileSink(file_, cp_);
		sink->Open(kId);
		Transaction(*sink, "a", 0x100);
		sink->Close();
	}
	ASSERT_EQ(rename(file_.c_str(), (file_ + ".1").c_str()), 0);
	auto sink = MakeFileSink(file_, cp_);
	EXPECT_EQ(sink->Open(kId), 0x100u) << "continues after the checkpoint in a new file";
	EXPECT_EQ(ReadCheckpoint().offset, 0u) << "and says so at once, before anything is written";
	Transaction(*sink, "b", 0x200);
	sink->Close();
	EXPECT_EQ(Read(file_), "{\"op\":\"B\",\"t\":\"b\"}\n{\"op\":\"C\",\"t\":\"b\"}\n");
}

TEST_F(SinkTest, ReopenAfterRotation)
{
	auto sink = MakeFileSink(file_, cp_);
	sink->Open(kId);
	Transaction(*sink, "a", 0x100);
	ASSERT_EQ(rename(file_.c_str(), (file_ + ".1").c_str()), 0);
	sink->Reopen();
	EXPECT_EQ(Read(file_ + ".1"), "{\"op\":\"B\",\"t\":\"a\"}\n{\"op\":\"C\",\"t\":\"a\"}\n")
	    << "the rotated file got everything written before the reopen";
	EXPECT_EQ(ReadCheckpoint().position, 0x100u);
	EXPECT_EQ(ReadCheckpoint().offset, 0u);
	Transaction(*sink, "b", 0x200);
	sink->Close();
	EXPECT_EQ(Read(file_), "{\"op\":\"B\",\"t\":\"b\"}\n{\"op\":\"C\",\"t\":\"b\"}\n");
	auto again = MakeFileSink(file_, cp_);
	EXPECT_EQ(again->Open(kId), 0x200u);
}

TEST_F(SinkTest, TheFileIsLocked)
{
	auto first = MakeFileSink(file_, cp_);
	first->Open(kId);
	EXPECT_EQ(OpenError(), "output file \"" + file_ + "\" is locked: another pgcdc is writing it");
	first->Close();
}

TEST_F(SinkTest, StdoutSkipsTheRepeatsOfAnInterruptedUnit)
{
	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	int fd = open(file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ASSERT_GE(fd, 0);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	std::string error;
	{
		auto sink = MakeStdoutSink(cp_);
		EXPECT_EQ(sink->Open(kId), 0u);
		Transaction(*sink, "a", 0x100);
		sink->Write("r1");
		sink->Write("r2");
		sink->Flush();
		EXPECT_EQ(sink->Rewind(), 0x100u);
		/* The server sends the unit again, from its start. */
		sink->Write("r1");
		sink->Write("r2");
		sink->Write("r3");
		sink->Boundary(0x200);
		sink->Write("x1");
		sink->Rewind();
		try {
			sink->Write("y1"); /* not what was written the first time */
		} catch (const SinkError &e) {
			error = e.what();
		}
		sink->MakeDurable();
	}
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	EXPECT_EQ(Read(file_), "{\"op\":\"B\",\"t\":\"a\"}\n{\"op\":\"C\",\"t\":\"a\"}\nr1\nr2\nr3\nx1\n");
	EXPECT_EQ(error,
	          "the server sent an interrupted transaction again with other records than the first time; "
	          "standard output holds the first version's records");
	EXPECT_EQ(ReadCheckpoint().position, 0x200u);
}
