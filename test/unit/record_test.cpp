/* Unit tests for src/core/record: the exact bytes of the framing records. */
#include "record.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace pgcdc;

TEST(Record, Begin)
{
	StringSink out;
	WriteBeginRecord(out, 741, 0x1A2B3C8, 848570400123456);
	EXPECT_EQ(out.str(),
	          "{\"op\":\"B\",\"xid\":741,\"lsn\":\"0/1A2B3C8\",\"ts\":\"2026-11-21T10:00:00.123456Z\"}");
}

TEST(Record, Commit)
{
	StringSink out;
	WriteCommitRecord(out, 741, 0x1A2B4F0, 848570400123456, 3);
	EXPECT_EQ(
	    out.str(),
	    "{\"op\":\"C\",\"xid\":741,\"lsn\":\"0/1A2B4F0\",\"ts\":\"2026-11-21T10:00:00.123456Z\",\"n\":3}");
}

TEST(Record, MessageText)
{
	StringSink out;
	WriteMessageRecord(out, nullptr, true, "app", 3, "hello", 5, true, false);
	EXPECT_EQ(out.str(), "{\"op\":\"M\",\"transactional\":true,\"prefix\":\"app\",\"content\":\"hello\"}");
}

TEST(Record, MessageBinaryIsBase64)
{
	StringSink out;
	uint64_t lsn = 0x10;
	WriteMessageRecord(out, &lsn, false, "bin", 3, "\xff\x00\x01", 3, true, false);
	EXPECT_EQ(
	    out.str(),
	    "{\"op\":\"M\",\"lsn\":\"0/10\",\"transactional\":false,\"prefix\":\"bin\",\"content\":\"/wAB\","
	    "\"encoding\":\"base64\"}");
}

TEST(Record, MessageWithNulIsBase64)
{
	StringSink out;
	WriteMessageRecord(out, nullptr, true, "p", 1, "a\0b", 3, true, false);
	EXPECT_EQ(out.str(), "{\"op\":\"M\",\"transactional\":true,\"prefix\":\"p\",\"content\":\"YQBi\","
	                     "\"encoding\":\"base64\"}");
}

TEST(Record, MessageEscapes)
{
	StringSink out;
	WriteMessageRecord(out, nullptr, false, "p\"", 2, "a\nb", 3, true, false);
	EXPECT_EQ(out.str(), "{\"op\":\"M\",\"transactional\":false,\"prefix\":\"p\\\"\",\"content\":\"a\\nb\"}");
}

TEST(Record, MessageNotTextIsBase64EvenIfUtf8)
{
	/* In a LATIN1 database, bytes that are not LATIN1 text go out as they are, whatever they look like. */
	StringSink out;
	WriteMessageRecord(out, nullptr, true, "p", 1, "\xc3\xa9", 2, false, true);
	EXPECT_EQ(out.str(), "{\"op\":\"M\",\"transactional\":true,\"prefix\":\"p\",\"content\":\"w6k=\","
	                     "\"encoding\":\"base64\"}");
}

TEST(Record, MessageAsciiOnly)
{
	StringSink out;
	WriteMessageRecord(out, nullptr, false, "pr\xc3\xa9", 4, "caf\xc3\xa9", 5, true, true);
	EXPECT_EQ(out.str(),
	          "{\"op\":\"M\",\"transactional\":false,\"prefix\":\"pr\\u00e9\",\"content\":\"caf\\u00e9\"}");
}

TEST(Record, MessagePrefixNotUtf8IsReplacedAndSaysSo)
{
	StringSink out;
	WriteMessageRecord(out, nullptr, true, "p\xe9", 2, "x\xe9", 2, true, false);
	EXPECT_EQ(out.str(), "{\"op\":\"M\",\"transactional\":true,\"prefix\":\"p\\ufffd\",\"content\":\"eOk=\","
	                     "\"encoding\":\"base64\",\"replaced\":true}");
	StringSink out2;
	WriteMessageRecord(out2, nullptr, true, "\xff", 1, "ok", 2, true, false);
	EXPECT_EQ(
	    out2.str(),
	    "{\"op\":\"M\",\"transactional\":true,\"prefix\":\"\\ufffd\",\"content\":\"ok\",\"replaced\":true}");
}

TEST(Record, ChangeStart)
{
	StringSink out;
	WriteChangeRecordStart(out, 'U', nullptr);
	EXPECT_EQ(out.str(), "{\"op\":\"U\"");
	StringSink out2;
	uint64_t lsn = 0x100000001ULL;
	WriteChangeRecordStart(out2, 'T', &lsn);
	EXPECT_EQ(out2.str(), "{\"op\":\"T\",\"lsn\":\"1/1\"");
}
