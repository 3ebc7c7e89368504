/* Unit tests for src/core/lsn. */
#include "lsn.hpp"

#include <gtest/gtest.h>

using namespace pgcdc;

TEST(Lsn, Format)
{
	EXPECT_EQ(LsnToString(0), "0/0");
	EXPECT_EQ(LsnToString(0x1A2B3C8), "0/1A2B3C8");
	EXPECT_EQ(LsnToString(0x100000000ULL), "1/0");
	EXPECT_EQ(LsnToString(0xFFFFFFFFFFFFFFFFULL), "FFFFFFFF/FFFFFFFF");
	StringSink out;
	WriteLsnString(out, 0x16B3748ULL);
	EXPECT_EQ(out.str(), "\"0/16B3748\"");
}

TEST(Lsn, Parse)
{
	uint64_t v = 1;
	EXPECT_TRUE(ParseLsn("0/0", &v));
	EXPECT_EQ(v, 0u);
	EXPECT_TRUE(ParseLsn("16/B374D848", &v));
	EXPECT_EQ(v, 0x16B374D848ULL);
	EXPECT_TRUE(ParseLsn("ffffffff/ffffffff", &v));
	EXPECT_EQ(v, 0xFFFFFFFFFFFFFFFFULL);
	EXPECT_FALSE(ParseLsn("", &v));
	EXPECT_FALSE(ParseLsn("0", &v));
	EXPECT_FALSE(ParseLsn("/1", &v));
	EXPECT_FALSE(ParseLsn("1/", &v));
	EXPECT_FALSE(ParseLsn("1/g", &v));
	EXPECT_FALSE(ParseLsn("123456789/0", &v));
	EXPECT_FALSE(ParseLsn("0/0/0", &v));
}

TEST(Lsn, RoundTrip)
{
	for (uint64_t v : {0ULL, 1ULL, 0xDEADBEEFULL, 0x123456789ABCDEFULL, ~0ULL}) {
		uint64_t back = 0;
		ASSERT_TRUE(ParseLsn(LsnToString(v), &back));
		EXPECT_EQ(back, v);
	}
}
