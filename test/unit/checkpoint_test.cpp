/* Unit tests for src/core/checkpoint: the checkpoint file format and its validation. */
#include "checkpoint.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace pgcdc;

namespace
{

Checkpoint Sample()
{
	Checkpoint cp;
	cp.slot = "cdc";
	cp.system = "7312345678901234567";
	cp.database = "postgres";
	cp.position = 0x1A2B4F0;
	cp.offset = 123456;
	return cp;
}

std::string ParseError(const std::string &text)
{
	Checkpoint cp;
	std::string err;
	EXPECT_FALSE(ParseCheckpoint(text, &cp, &err)) << text;
	return err;
}

} // namespace

TEST(Checkpoint, Crc32cKnownValues)
{
	/* The check value of CRC-32C, and RFC 3720's 32 zero bytes. */
	EXPECT_EQ(Crc32c("123456789", 9), 0xE3069283u);
	std::string zeros(32, '\0');
	EXPECT_EQ(Crc32c(zeros.data(), zeros.size()), 0x8A9136AAu);
	/* Continuing a CRC gives the CRC of the concatenation. */
	EXPECT_EQ(Crc32c("6789", 4, Crc32c("12345", 5)), 0xE3069283u);
}

TEST(Checkpoint, FormatIsReadable)
{
	std::string text = FormatCheckpoint(Sample());
	EXPECT_EQ(text.substr(0, text.find("crc32c")), "pgcdc checkpoint 1\n"
	                                               "slot: cdc\n"
	                                               "system: 7312345678901234567\n"
	                                               "database: postgres\n"
	                                               "position: 0/1A2B4F0\n"
	                                               "offset: 123456\n");
	EXPECT_EQ(text.size() - text.find("crc32c"), std::string("crc32c: 01234567\n").size());
}

TEST(Checkpoint, RoundTrip)
{
	Checkpoint in = Sample();
	in.database = "we\\ird\nname\r"; /* database names may hold anything but NUL */
	in.position = 0xFFFFFFFFFFFFFFFFULL;
	in.offset = 0xFFFFFFFFFFFFFFFFULL;
	Checkpoint out;
	std::string err;
	ASSERT_TRUE(ParseCheckpoint(FormatCheckpoint(in), &out, &err)) << err;
	EXPECT_EQ(out.slot, in.slot);
	EXPECT_EQ(out.system, in.system);
	EXPECT_EQ(out.database, in.database);
	EXPECT_EQ(out.position, in.position);
	EXPECT_EQ(out.offset, in.offset);
}

TEST(Checkpoint, EmptyAndForeignFiles)
{
	EXPECT_EQ(ParseError(""), "the file is empty");
	EXPECT_EQ(ParseError("{\"lsn\":\"0/1\"}\n"),
	          "it is not a pgcdc checkpoint (it does not start with \"pgcdc checkpoint\")");
	std::string v2 = FormatCheckpoint(Sample());
	v2.replace(v2.find(" 1\n"), 3, " 2\n");
	EXPECT_EQ(ParseError(v2), "it has format version \"2\", and this pgcdc reads version 1");
}

TEST(Checkpoint, EveryTruncationIsAnError)
{
	/* A checkpoint cut anywhere is rejected, never read as an older or default position. */
	std::string text = FormatCheckpoint(Sample());
	for (size_t n = 1; n < text.size(); n++) {
		Checkpoint cp;
		std::string err;
		EXPECT_FALSE(ParseCheckpoint(text.substr(0, n), &cp, &err)) << "accepted " << n << " bytes";
		EXPECT_FALSE(err.empty());
	}
	EXPECT_EQ(ParseError(text.substr(0, text.find("offset"))), "it is truncated before its \"offset\" line");
	EXPECT_EQ(ParseError(text.substr(0, text.find("crc32c"))), "it is truncated before its \"crc32c\" line");
}

TEST(Checkpoint, EveryBitFlipIsAnError)
{
	std::string text = FormatCheckpoint(Sample());
	for (size_t i = 0; i < text.size(); i++) {
		for (int bit = 0; bit < 8; bit++) {
			std::string bad = text;
			bad[i] = char(bad[i] ^ (1 << bit));
			Checkpoint cp;
			std::string err;
			EXPECT_FALSE(ParseCheckpoint(bad, &cp, &err)) << "byte " << i << " bit " << bit;
		}
	}
}

TEST(Checkpoint, CorruptFields)
{
	std::string text = FormatCheckpoint(Sample());
	std::string edited = text;
	edited.replace(edited.find("0/1A2B4F0"), 9, "0/1A2B4F1");
	EXPECT_EQ(ParseError(edited), "its CRC does not match its contents (corrupt)");
	EXPECT_EQ(ParseError(text + "x"), "it has data after its \"crc32c\" line (corrupt)");
	std::string swapped = text;
	swapped.replace(swapped.find("slot:"), 5, "SLOT:");
	EXPECT_EQ(ParseError(swapped), "its line \"SLOT: cdc\" is not the expected \"slot\" line");
}

TEST(Checkpoint, MalformedValuesWithAValidCrc)
{
	/* A well-formed file (good CRC) with a bad value is still refused, naming the value. */
	auto with = [](const std::string &field, const std::string &value) {
		std::string body = "pgcdc checkpoint 1\nslot: cdc\nsystem: 1\ndatabase: d\n";
		body += field == "position" ? "position: " + value + "\n" : "position: 0/1\n";
		body += field == "offset" ? "offset: " + value + "\n" : "offset: 0\n";
		char crc[32];
		std::snprintf(crc, sizeof(crc), "crc32c: %08x\n", Crc32c(body.data(), body.size()));
		return body + crc;
	};
	Checkpoint cp;
	std::string err;
	ASSERT_TRUE(ParseCheckpoint(with("", ""), &cp, &err)) << err;
	EXPECT_EQ(ParseError(with("position", "01A2B")), "its position \"01A2B\" is not an LSN");
	EXPECT_EQ(ParseError(with("offset", "-1")), "its offset \"-1\" is not a number");
	EXPECT_EQ(ParseError(with("offset", "18446744073709551616")),
	          "its offset \"18446744073709551616\" is not a number");
}

TEST(Checkpoint, AnotherStream)
{
	Checkpoint cp = Sample();
	EXPECT_EQ(CheckpointMismatch(cp, "cdc", "7312345678901234567", "postgres"), "");
	EXPECT_EQ(CheckpointMismatch(cp, "other", "7312345678901234567", "postgres"),
	          "it belongs to slot \"cdc\" of database \"postgres\" on the server with system identifier "
	          "7312345678901234567, not to slot \"other\" of database \"postgres\" on the server with system "
	          "identifier 7312345678901234567");
	EXPECT_NE(CheckpointMismatch(cp, "cdc", "1", "postgres"), "");
	EXPECT_NE(CheckpointMismatch(cp, "cdc", "7312345678901234567", "app"), "");
}
