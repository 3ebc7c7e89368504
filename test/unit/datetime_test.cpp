/* Unit tests for src/core/datetime: dates, timestamps and ISO 8601 intervals. */
#include "datetime.hpp"

#include <gtest/gtest.h>

#include <ctime>
#include <limits>
#include <random>
#include <string>

using namespace pgcdc;

namespace
{

constexpr int64_t kDay = 86400000000LL;

std::string Ts(int64_t usecs, bool zone = true)
{
	StringSink out;
	WriteTimestamp(out, usecs, zone);
	return out.str();
}

std::string Date(int32_t days)
{
	StringSink out;
	WriteDate(out, days);
	return out.str();
}

std::string Iv(int64_t time, int32_t days, int32_t months, bool infinities = true)
{
	StringSink out;
	WriteInterval(out, time, days, months, infinities);
	return out.str();
}

} // namespace

TEST(Timestamp, Epoch)
{
	EXPECT_EQ(Ts(0), "\"2000-01-01T00:00:00Z\"");
	EXPECT_EQ(Ts(0, false), "\"2000-01-01T00:00:00\"");
}

TEST(Timestamp, FractionsDropTrailingZeros)
{
	EXPECT_EQ(Ts(848570400123456), "\"2026-11-21T10:00:00.123456Z\"");
	EXPECT_EQ(Ts(848570400500000), "\"2026-11-21T10:00:00.5Z\"");
	EXPECT_EQ(Ts(848570400000010), "\"2026-11-21T10:00:00.00001Z\"");
	EXPECT_EQ(Ts(848570400000001), "\"2026-11-21T10:00:00.000001Z\"");
}

TEST(Timestamp, BeforeEpoch)
{
	EXPECT_EQ(Ts(-1), "\"1999-12-31T23:59:59.999999Z\"");
	EXPECT_EQ(Ts(-kDay), "\"1999-12-31T00:00:00Z\"");
}

TEST(Timestamp, Limits)
{
	/* PostgreSQL's range: 4713-01-01 00:00:00 BC to 294276-12-31 23:59:59.999999. */
	EXPECT_EQ(Ts(-211810204800000000LL), "\"4713-01-01T00:00:00Z BC\"");
	EXPECT_EQ(Ts(9223371331199999999LL, false), "\"294276-12-31T23:59:59.999999\"");
	EXPECT_EQ(Ts(std::numeric_limits<int64_t>::max()), "\"infinity\"");
	EXPECT_EQ(Ts(std::numeric_limits<int64_t>::min()), "\"-infinity\"");
}

TEST(Timestamp, BcAndLongYears)
{
	/* 0001-01-01 BC is proleptic year 0; 1 AD follows it directly. */
	EXPECT_EQ(Date(-730119), "\"0001-01-01\"");
	EXPECT_EQ(Date(-730120), "\"0001-12-31 BC\"");
	EXPECT_EQ(Date(2921939), "\"9999-12-31\"");
	EXPECT_EQ(Date(2921940), "\"10000-01-01\"");
	EXPECT_EQ(Ts(-730120 * kDay + 1000), "\"0001-12-31T00:00:00.001Z BC\"");
}

TEST(Date, Limits)
{
	EXPECT_EQ(Date(0), "\"2000-01-01\"");
	EXPECT_EQ(Date(-2451507), "\"4713-01-01 BC\"");
	EXPECT_EQ(Date(2145031948), "\"5874897-12-31\"");
	EXPECT_EQ(Date(std::numeric_limits<int32_t>::max()), "\"infinity\"");
	EXPECT_EQ(Date(std::numeric_limits<int32_t>::min()), "\"-infinity\"");
	EXPECT_EQ(Date(60), "\"2000-03-01\""); /* 2000 is a leap year */
	EXPECT_EQ(Date(59), "\"2000-02-29\"");
	EXPECT_EQ(Date(36583), "\"2100-02-28\""); /* 2100 is not */
	EXPECT_EQ(Date(36584), "\"2100-03-01\"");
}

TEST(Date, AgreesWithLibcOverTheGregorianRange)
{
	/* Cross-check the civil calendar against glibc's gmtime_r, which is proleptic too. */
	std::mt19937 rng(42);
	std::uniform_int_distribution<int64_t> dist(-2451507, 2921939 * 10);
	for (int i = 0; i < 100000; i++) {
		int64_t days = dist(rng);
		time_t t = static_cast<time_t>((days + 10957) * 86400);
		struct tm tm;
		ASSERT_NE(gmtime_r(&t, &tm), nullptr);
		int64_t year;
		unsigned month, day;
		DaysToCivil(days, &year, &month, &day);
		ASSERT_EQ(year, int64_t(tm.tm_year) + 1900) << days;
		ASSERT_EQ(month, unsigned(tm.tm_mon + 1)) << days;
		ASSERT_EQ(day, unsigned(tm.tm_mday)) << days;
	}
}

TEST(Interval, MatchesPostgresIso8601Style)
{
	const int64_t s = 1000000, m = 60 * s, h = 60 * m;
	EXPECT_EQ(Iv(0, 0, 0), "\"PT0S\"");
	EXPECT_EQ(Iv(4 * h + 5 * m + 6 * s + 500000, 3, 14), "\"P1Y2M3DT4H5M6.5S\"");
	EXPECT_EQ(Iv(-(4 * h + 5 * m + 6 * s), 3, -14), "\"P-1Y-2M3DT-4H-5M-6S\"");
	EXPECT_EQ(Iv(-h, 1, 0), "\"P1DT-1H\"");
	EXPECT_EQ(Iv(-1500000, 0, 0), "\"PT-1.5S\"");
	EXPECT_EQ(Iv(-1, 0, 0), "\"PT-0.000001S\"");
	EXPECT_EQ(Iv(0, 0, std::numeric_limits<int32_t>::min()), "\"P-178956970Y-8M\"");
	EXPECT_EQ(Iv(std::numeric_limits<int64_t>::max(), 0, 0), "\"PT2562047788H54.775807S\"");
	EXPECT_EQ(Iv(0, 0, 12), "\"P1Y\"");
	EXPECT_EQ(Iv(m, 0, 0), "\"PT1M\"");
}

TEST(Interval, Infinities)
{
	const int32_t imax = std::numeric_limits<int32_t>::max(), imin = std::numeric_limits<int32_t>::min();
	const int64_t lmax = std::numeric_limits<int64_t>::max(), lmin = std::numeric_limits<int64_t>::min();
	EXPECT_EQ(Iv(lmax, imax, imax), "\"infinity\"");
	EXPECT_EQ(Iv(lmin, imin, imin), "\"-infinity\"");
	/* Before PostgreSQL 17 those bit patterns are ordinary (huge) intervals. */
	EXPECT_NE(Iv(lmax, imax, imax, false), "\"infinity\"");
	EXPECT_EQ(Iv(lmin, imin, imin, false).substr(0, 3), "\"P-");
}
