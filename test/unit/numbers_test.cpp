/* Unit tests for src/core/numbers: integers, shortest round-trip floats, numeric text. */
#include "numbers.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <random>
#include <string>

using namespace pgcdc;

namespace
{

template <typename F>
std::string Fmt(void (*fn)(Sink &, F), F v)
{
	StringSink out;
	fn(out, v);
	return out.str();
}

std::string Num(const char *text, bool as_string = false)
{
	StringSink out;
	WriteNumericText(out, text, strlen(text), as_string);
	return out.str();
}

} // namespace

TEST(Integers, Extremes)
{
	EXPECT_EQ(Fmt<int64_t>(WriteInt64, 0), "0");
	EXPECT_EQ(Fmt<int64_t>(WriteInt64, -1), "-1");
	EXPECT_EQ(Fmt<int64_t>(WriteInt64, std::numeric_limits<int64_t>::max()), "9223372036854775807");
	EXPECT_EQ(Fmt<int64_t>(WriteInt64, std::numeric_limits<int64_t>::min()), "-9223372036854775808");
	EXPECT_EQ(Fmt<int64_t>(WriteInt64, -32768), "-32768");
	EXPECT_EQ(Fmt<uint64_t>(WriteUInt64, 4294967295u), "4294967295");
	EXPECT_EQ(Fmt<uint64_t>(WriteUInt64, std::numeric_limits<uint64_t>::max()), "18446744073709551615");
}

TEST(Floats, SpecialValuesAreStrings)
{
	EXPECT_EQ(Fmt<double>(WriteFloat8, std::nan("")), "\"NaN\"");
	EXPECT_EQ(Fmt<double>(WriteFloat8, std::numeric_limits<double>::infinity()), "\"Infinity\"");
	EXPECT_EQ(Fmt<double>(WriteFloat8, -std::numeric_limits<double>::infinity()), "\"-Infinity\"");
	EXPECT_EQ(Fmt<float>(WriteFloat4, std::nanf("")), "\"NaN\"");
	EXPECT_EQ(Fmt<float>(WriteFloat4, -std::numeric_limits<float>::infinity()), "\"-Infinity\"");
}

TEST(Floats, ShortestForms)
{
	EXPECT_EQ(Fmt<double>(WriteFloat8, 0.0), "0");
	EXPECT_EQ(Fmt<double>(WriteFloat8, -0.0), "\"-0\"");
	EXPECT_EQ(Fmt<float>(WriteFloat4, -0.0f), "\"-0\"");
	EXPECT_EQ(Fmt<double>(WriteFloat8, 0.1), "0.1");
	EXPECT_EQ(Fmt<double>(WriteFloat8, 1.5), "1.5");
	EXPECT_EQ(Fmt<double>(WriteFloat8, 100.0), "100");
	EXPECT_EQ(Fmt<double>(WriteFloat8, 1e20), "1e+20");
	EXPECT_EQ(Fmt<double>(WriteFloat8, 1e-5), "1e-05");
	EXPECT_EQ(Fmt<double>(WriteFloat8, std::numeric_limits<double>::max()), "1.7976931348623157e+308");
	EXPECT_EQ(Fmt<double>(WriteFloat8, std::numeric_limits<double>::denorm_min()), "5e-324");
	EXPECT_EQ(Fmt<float>(WriteFloat4, 0.1f), "0.1");
	EXPECT_EQ(Fmt<float>(WriteFloat4, std::numeric_limits<float>::max()), "3.4028235e+38");
	EXPECT_EQ(Fmt<float>(WriteFloat4, std::numeric_limits<float>::denorm_min()), "1e-45");
}

TEST(Floats, RoundTripRandomBits)
{
	std::mt19937_64 rng(20261121);
	for (int i = 0; i < 200000; i++) {
		uint64_t bits = rng();
		double d;
		memcpy(&d, &bits, sizeof d);
		if (!std::isfinite(d))
			continue;
		std::string s = Fmt<double>(WriteFloat8, d);
		if (s == "\"-0\"")
			s = "-0";
		double back = strtod(s.c_str(), nullptr);
		ASSERT_EQ(memcmp(&back, &d, sizeof d), 0) << s;
	}
	for (int i = 0; i < 200000; i++) {
		uint32_t bits = uint32_t(rng());
		float f;
		memcpy(&f, &bits, sizeof f);
		if (!std::isfinite(f))
			continue;
		std::string s = Fmt<float>(WriteFloat4, f);
		float back = strtof(s.c_str(), nullptr);
		ASSERT_EQ(memcmp(&back, &f, sizeof f), 0) << s;
	}
}

TEST(Floats, OutputIsAJsonNumber)
{
	/* JSON forbids leading '+', leading zeros, bare '.', and "inf"/"nan". */
	std::mt19937_64 rng(7);
	for (int i = 0; i < 20000; i++) {
		uint64_t bits = rng();
		double d;
		memcpy(&d, &bits, sizeof d);
		if (!std::isfinite(d) || d == 0)
			continue;
		std::string s = Fmt<double>(WriteFloat8, d);
		size_t k = 0;
		if (s[k] == '-')
			k++;
		ASSERT_TRUE(isdigit(static_cast<unsigned char>(s[k]))) << s;
		if (s[k] == '0') {
			ASSERT_TRUE(k + 1 == s.size() || s[k + 1] == '.' || s[k + 1] == 'e') << s;
		}
	}
}

TEST(Numeric, FiniteIsANumber)
{
	EXPECT_EQ(Num("123.4500"), "123.4500");
	EXPECT_EQ(Num("-0.000001"), "-0.000001");
	EXPECT_EQ(Num("0"), "0");
}

TEST(Numeric, SpecialValuesAreStrings)
{
	EXPECT_EQ(Num("NaN"), "\"NaN\"");
	EXPECT_EQ(Num("Infinity"), "\"Infinity\"");
	EXPECT_EQ(Num("-Infinity"), "\"-Infinity\"");
}

TEST(Numeric, StringMode)
{
	EXPECT_EQ(Num("123.4500", true), "\"123.4500\"");
	EXPECT_EQ(Num("-5", true), "\"-5\"");
}
