/* Unit tests for src/core/protocol: replication messages and commands. */
#include "protocol.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace pgcdc;

namespace
{

std::string U64(uint64_t v)
{
	std::string s(8, '\0');
	for (int i = 7; i >= 0; i--, v >>= 8)
		s[size_t(i)] = char(v & 0xFF);
	return s;
}

} // namespace

TEST(Protocol, XLogData)
{
	std::string msg =
	    "w" + U64(0x16B374D848ULL) + U64(0x16B3750000ULL) + U64(0x0102030405060708ULL) + "{\"op\":\"B\"}";
	CopyMessage m;
	std::string err;
	ASSERT_TRUE(ParseCopyMessage(msg.data(), msg.size(), &m, &err)) << err;
	EXPECT_EQ(m.kind, CopyMessageKind::XLogData);
	EXPECT_EQ(m.xlog.data_start, 0x16B374D848ULL);
	EXPECT_EQ(m.xlog.wal_end, 0x16B3750000ULL);
	EXPECT_EQ(m.xlog.send_time, 0x0102030405060708LL);
	EXPECT_EQ(std::string(m.xlog.data, m.xlog.len), "{\"op\":\"B\"}");
}

TEST(Protocol, XLogDataWithoutPayloadAndHighBits)
{
	/* Every bit of the 64-bit fields must survive (no sign extension of bytes >= 0x80). */
	std::string msg =
	    "w" + U64(0xFFFFFFFFFFFFFFFEULL) + U64(0x8000000000000001ULL) + U64(0x80FF80FF80FF80FFULL);
	CopyMessage m;
	std::string err;
	ASSERT_TRUE(ParseCopyMessage(msg.data(), msg.size(), &m, &err)) << err;
	EXPECT_EQ(m.xlog.data_start, 0xFFFFFFFFFFFFFFFEULL);
	EXPECT_EQ(m.xlog.wal_end, 0x8000000000000001ULL);
	EXPECT_EQ(uint64_t(m.xlog.send_time), 0x80FF80FF80FF80FFULL);
	EXPECT_EQ(m.xlog.len, 0u);
}

TEST(Protocol, Keepalive)
{
	std::string msg = "k" + U64(0x1A2B3C4DULL) + U64(123456789) + std::string(1, '\1');
	CopyMessage m;
	std::string err;
	ASSERT_TRUE(ParseCopyMessage(msg.data(), msg.size(), &m, &err)) << err;
	EXPECT_EQ(m.kind, CopyMessageKind::Keepalive);
	EXPECT_EQ(m.keepalive.wal_end, 0x1A2B3C4DULL);
	EXPECT_EQ(m.keepalive.send_time, 123456789);
	EXPECT_TRUE(m.keepalive.reply_requested);
	msg.back() = '\0';
	ASSERT_TRUE(ParseCopyMessage(msg.data(), msg.size(), &m, &err));
	EXPECT_FALSE(m.keepalive.reply_requested);
}

TEST(Protocol, MalformedMessages)
{
	CopyMessage m;
	std::string err;
	EXPECT_FALSE(ParseCopyMessage("", 0, &m, &err));
	EXPECT_EQ(err, "empty CopyData message");
	std::string shortw = "w" + U64(1) + U64(2); /* no sendTime */
	EXPECT_FALSE(ParseCopyMessage(shortw.data(), shortw.size(), &m, &err));
	EXPECT_EQ(err, "XLogData message of 17 bytes is shorter than its header");
	std::string shortk = "k" + U64(1) + U64(2); /* no replyRequested */
	EXPECT_FALSE(ParseCopyMessage(shortk.data(), shortk.size(), &m, &err));
	EXPECT_EQ(err, "keepalive message of 17 bytes, expected 18");
	EXPECT_FALSE(ParseCopyMessage("x123", 4, &m, &err));
	EXPECT_EQ(err, "unexpected CopyData message type 'x'");
	EXPECT_FALSE(ParseCopyMessage("\x01", 1, &m, &err));
	EXPECT_EQ(err, "unexpected CopyData message type 0x01");
}

TEST(Protocol, StatusUpdate)
{
	char buf[kStatusUpdateSize];
	BuildStatusUpdate(buf, 0x0000000100000002ULL, 0x0000000300000004ULL, 0x0000000500000006ULL,
	                  0x0708090A0B0C0D0ELL, true);
	std::string expected = "r" + U64(0x0000000100000002ULL) + U64(0x0000000300000004ULL) +
	                       U64(0x0000000500000006ULL) + U64(0x0708090A0B0C0D0EULL) + std::string(1, '\1');
	EXPECT_EQ(std::string(buf, sizeof(buf)), expected);
	BuildStatusUpdate(buf, 0, 0, 0, 0, false);
	EXPECT_EQ(buf[33], '\0');
	EXPECT_EQ(std::string(buf + 1, 32), std::string(32, '\0'));
}

TEST(Protocol, PgEpoch)
{
	/* 2000-01-01 is 946684800 s after 1970-01-01; now is well after 2026-01-01 in PG's epoch. */
	EXPECT_EQ(kPgEpochOffsetMicros, 946684800000000LL);
	EXPECT_GT(PgNowMicros(), 820454400LL * 1000000LL);
}

TEST(Protocol, Quoting)
{
	EXPECT_EQ(QuoteReplicationIdent("cdc"), "\"cdc\"");
	EXPECT_EQ(QuoteReplicationIdent("we\"ird"), "\"we\"\"ird\"");
	EXPECT_EQ(QuoteReplicationLiteral("it's"), "'it''s'");
	/* A backslash is an ordinary character for the replication command lexer. */
	EXPECT_EQ(QuoteReplicationLiteral("a\\*b"), "'a\\*b'");
}

TEST(Protocol, StartReplication)
{
	EXPECT_EQ(BuildStartReplication("cdc", 0, {}), "START_REPLICATION SLOT \"cdc\" LOGICAL 0/0");
	std::vector<PluginOption> opts = {{"include-lsn", "", false},
	                                  {"exclude-tables", "public.a, o'brien.*", true},
	                                  {"batch-bytes", "65536", true}};
	EXPECT_EQ(BuildStartReplication("s", 0x1A2B3C4D5ULL, opts),
	          "START_REPLICATION SLOT \"s\" LOGICAL 1/A2B3C4D5 (\"include-lsn\", \"exclude-tables\" "
	          "'public.a, o''brien.*', \"batch-bytes\" '65536')");
}
