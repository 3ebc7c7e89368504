/* Unit tests for src/core/json: escaping, UTF-8 handling, minifying, binary encodings. */
#include "json.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace pgcdc;

namespace
{

std::string Esc(const std::string &s, bool ascii_only = false)
{
	StringSink out;
	WriteJsonString(out, s.data(), s.size(), ascii_only);
	return out.str();
}

std::string Min(const std::string &s, bool ascii_only = false)
{
	StringSink out;
	WriteJsonMinified(out, s.data(), s.size(), ascii_only);
	return out.str();
}

/* What WriteJsonMinified reports: 0 when its output is UTF-8 that jsonb accepts. */
size_t Problems(const std::string &s, bool ascii_only = false)
{
	StringSink out;
	return WriteJsonMinified(out, s.data(), s.size(), ascii_only);
}

std::string B64(const std::string &s)
{
	StringSink out;
	WriteBase64String(out, reinterpret_cast<const unsigned char *>(s.data()), s.size());
	return out.str();
}

} // namespace

TEST(JsonString, PlainTextIsCopied)
{
	EXPECT_EQ(Esc("hello world"), "\"hello world\"");
}

TEST(JsonString, Empty)
{
	EXPECT_EQ(Esc(""), "\"\"");
}

TEST(JsonString, QuoteAndBackslash)
{
	EXPECT_EQ(Esc("a\"b"), "\"a\\\"b\"");
	EXPECT_EQ(Esc("a\\b"), "\"a\\\\b\"");
	EXPECT_EQ(Esc("/"), "\"/\""); /* solidus needs no escape */
}

TEST(JsonString, EveryControlCharacter)
{
	for (int c = 0; c < 0x20; c++) {
		std::string in(1, char(c));
		std::string want;
		switch (c) {
		case '\b':
			want = "\\b";
			break;
		case '\f':
			want = "\\f";
			break;
		case '\n':
			want = "\\n";
			break;
		case '\r':
			want = "\\r";
			break;
		case '\t':
			want = "\\t";
			break;
		default: {
			char buf[8];
			snprintf(buf, sizeof buf, "\\u%04x", c);
			want = buf;
		}
		}
		EXPECT_EQ(Esc(in), "\"" + want + "\"") << "control character " << c;
	}
	/* DEL is not a JSON control character. */
	EXPECT_EQ(Esc("\x7f"), "\"\x7f\"");
}

TEST(JsonString, ValidUtf8IsCopied)
{
	EXPECT_EQ(Esc("caf\xc3\xa9"), "\"caf\xc3\xa9\"");           /* U+00E9 */
	EXPECT_EQ(Esc("\xe2\x82\xac"), "\"\xe2\x82\xac\"");         /* U+20AC */
	EXPECT_EQ(Esc("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\""); /* U+1F600 */
	EXPECT_EQ(Esc("\xef\xbf\xbf"), "\"\xef\xbf\xbf\"");         /* U+FFFF */
	EXPECT_EQ(Esc("\xf4\x8f\xbf\xbf"), "\"\xf4\x8f\xbf\xbf\""); /* U+10FFFF */
	EXPECT_EQ(Esc("\xe2\x80\xa8"), "\"\xe2\x80\xa8\"");         /* U+2028 is valid JSON */
}

TEST(JsonString, InvalidUtf8BecomesReplacementCharacter)
{
	const char *r = "\\ufffd";
	EXPECT_EQ(Esc("\x80"), std::string("\"") + r + "\"");                         /* lone continuation */
	EXPECT_EQ(Esc("\xc0\xaf"), std::string("\"") + r + r + "\"");                 /* overlong '/' */
	EXPECT_EQ(Esc("\xc1\xbf"), std::string("\"") + r + r + "\"");                 /* overlong */
	EXPECT_EQ(Esc("\xe0\x80\xaf"), std::string("\"") + r + r + r + "\"");         /* overlong 3-byte */
	EXPECT_EQ(Esc("\xed\xa0\x80"), std::string("\"") + r + r + r + "\"");         /* surrogate U+D800 */
	EXPECT_EQ(Esc("\xf4\x90\x80\x80"), std::string("\"") + r + r + r + r + "\""); /* > U+10FFFF */
	EXPECT_EQ(Esc("\xf5\x80"), std::string("\"") + r + r + "\"");
	EXPECT_EQ(Esc("\xff"), std::string("\"") + r + "\"");
	EXPECT_EQ(Esc("a\xc3"), std::string("\"a") + r + "\"");       /* truncated at end */
	EXPECT_EQ(Esc("\xe2\x82"), std::string("\"") + r + r + "\""); /* truncated 3-byte */
	EXPECT_EQ(Esc("\xc3(x"), std::string("\"") + r + "(x\"");     /* bad continuation */
}

TEST(JsonString, CountsReplacements)
{
	StringSink out;
	EXPECT_EQ(WriteJsonString(out, "caf\xc3\xa9 \"\n", 8), 0u);
	EXPECT_EQ(WriteJsonString(out, "\xff", 1), 1u);
	EXPECT_EQ(WriteJsonString(out,
	                          "a\xe9"
	                          "b\xc0\xaf",
	                          5),
	          3u);
	EXPECT_EQ(WriteJsonString(out, "\xe9\xe8", 2, true), 2u);
	EXPECT_EQ(WriteJsonStringBody(out, "\xed\xa0\x80", 3), 3u);
}

TEST(JsonString, AsciiOnlyEscapesNonAscii)
{
	EXPECT_EQ(Esc("caf\xc3\xa9", true), "\"caf\\u00e9\"");
	EXPECT_EQ(Esc("\xe2\x82\xac", true), "\"\\u20ac\"");
	EXPECT_EQ(Esc("\xf0\x9f\x98\x80", true), "\"\\ud83d\\ude00\"");
	EXPECT_EQ(Esc("\xf4\x8f\xbf\xbf", true), "\"\\udbff\\udfff\"");
	EXPECT_EQ(Esc("\xff", true), "\"\\ufffd\"");
	EXPECT_EQ(Esc("a\"\n", true), "\"a\\\"\\n\"");
}

TEST(JsonString, LongInputsAcrossChunks)
{
	/* Multi-byte sequences straddling the escaper's 4096-byte chunks must survive intact. */
	for (size_t pad = 4090; pad < 4100; pad++) {
		std::string in(pad, 'x');
		in += "\xf0\x9f\x98\x80\"\xc3\xa9";
		in += std::string(5000, '\n');
		std::string want = "\"" + std::string(pad, 'x') + "\xf0\x9f\x98\x80\\\"\xc3\xa9";
		for (int i = 0; i < 5000; i++)
			want += "\\n";
		want += "\"";
		ASSERT_EQ(Esc(in), want) << "pad " << pad;
	}
}

TEST(JsonString, WorstCaseGrowth)
{
	/* Every byte a control character: six output bytes each. */
	std::string in(100000, '\x01');
	std::string out = Esc(in);
	EXPECT_EQ(out.size(), 100000u * 6 + 2);
	EXPECT_EQ(out.substr(1, 6), "\\u0001");
}

TEST(Utf8, Validation)
{
	EXPECT_TRUE(Utf8Valid("", 0));
	EXPECT_TRUE(Utf8Valid("hello", 5));
	EXPECT_TRUE(Utf8Valid("a\0b", 3));
	EXPECT_TRUE(Utf8Valid("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9));
	EXPECT_FALSE(Utf8Valid("\x80", 1));
	EXPECT_FALSE(Utf8Valid("\xc3", 1));
	EXPECT_FALSE(Utf8Valid("\xed\xbf\xbf", 3));
	EXPECT_FALSE(Utf8Valid("\xf8\x88\x80\x80\x80", 5));
	EXPECT_FALSE(Utf8Valid("ok\xfe", 3));
}

TEST(Utf8, SequenceLength)
{
	auto len = [](const char *s, size_t n) {
		return Utf8SequenceLength(reinterpret_cast<const unsigned char *>(s), n);
	};
	EXPECT_EQ(len("a", 1), 1);
	EXPECT_EQ(len("\xc2\x80", 2), 2);
	EXPECT_EQ(len("\xc2\x80", 1), 0);
	EXPECT_EQ(len("\xe0\xa0\x80", 3), 3);
	EXPECT_EQ(len("\xe0\x9f\x80", 3), 0);
	EXPECT_EQ(len("\xf0\x90\x80\x80", 4), 4);
	EXPECT_EQ(len("\xf0\x8f\x80\x80", 4), 0);
}

TEST(JsonMinify, DropsWhitespaceBetweenTokens)
{
	EXPECT_EQ(Min("{ \"a\" : [1, 2,\n\t3 ] ,\r\n \"b\": null }"), "{\"a\":[1,2,3],\"b\":null}");
	EXPECT_EQ(Min("  42  "), "42");
	EXPECT_EQ(Min("\"x\""), "\"x\"");
}

TEST(JsonMinify, KeepsStringsVerbatim)
{
	EXPECT_EQ(Min("{\"a b\" : \" c  d \"}"), "{\"a b\":\" c  d \"}");
	EXPECT_EQ(Min("[\"q\\\" x \", \"\\\\\" , 1]"), "[\"q\\\" x \",\"\\\\\",1]");
	EXPECT_EQ(Min("[\"\\u0041 \\n\"]"), "[\"\\u0041 \\n\"]");
}

TEST(JsonMinify, AsciiOnly)
{
	EXPECT_EQ(Min("{\"caf\xc3\xa9\": \"\\\"\xe2\x82\xac\"}", true), "{\"caf\\u00e9\":\"\\\"\\u20ac\"}");
}

TEST(JsonMinify, ReportsNothingForWhatJsonbAccepts)
{
	EXPECT_EQ(Problems("{ \"a\" : [1, -2.5e3, 1e131071, 0e1000000, 1e-16383, true, null] }"), 0u);
	EXPECT_EQ(Problems("[\"\\ud83d\\ude00\", \"\\u0001\\\\u0000\", \"\\uD800\\uDC00\"]"), 0u);
	EXPECT_EQ(Problems("\"caf\xc3\xa9\""), 0u);
	EXPECT_EQ(Problems("\"caf\xc3\xa9\"", true), 0u);
	EXPECT_EQ(Problems("[\"e\", -0, 0.0, \"1e999999\"]"), 0u);
}

TEST(JsonMinify, ReportsEscapesJsonbRefuses)
{
	EXPECT_EQ(Problems("\"\\u0000\""), 1u);
	EXPECT_EQ(Problems("{\"a\\u0000\": \"\\u0000\"}"), 2u);
	EXPECT_EQ(Problems("\"\\ud800\""), 1u);
	EXPECT_EQ(Problems("\"\\udfff\\ud800\""), 2u);
	EXPECT_EQ(Problems("\"\\uDBFF x\\uDC00\""), 2u);
	EXPECT_EQ(Problems("\"\\ud800\\u0041\""), 1u);
	EXPECT_EQ(Problems("\"\\ud800\\\\udc00\""), 1u); /* the low one is text: \\udc00 */
	EXPECT_EQ(Problems("[\"x\", \"\\ud800\"]", true), 1u);
	/* Escaped backslashes before a u are not escapes. */
	EXPECT_EQ(Problems("\"\\\\u0000\""), 0u);
	/* What is written is still the minified text (the caller decides what to do with it). */
	EXPECT_EQ(Min("[ \"\\u0000\" ]"), "[\"\\u0000\"]");
}

TEST(JsonMinify, ReportsBytesThatAreNotUtf8)
{
	EXPECT_EQ(Problems("\"a\xe9\""), 1u);
	EXPECT_EQ(Problems("{\"\xff\": \"\xc3\"}"), 2u);
	EXPECT_EQ(Problems("\"a\xe9\"", true), 1u);
	EXPECT_EQ(Problems("\"\xe9\xe8\"", true), 2u);
}

TEST(JsonMinify, ReportsNumbersOutsideNumeric)
{
	EXPECT_EQ(Problems("[1e131072]"), 1u);
	EXPECT_EQ(Problems("[1e131071, 9.99e131071, 1E+131072, -1e131072]"), 2u);
	EXPECT_EQ(Problems("{\"a\":1e-16384,\"b\":0e-1000000}"), 2u);
	EXPECT_EQ(Problems("1e2147483647"), 1u);
	EXPECT_EQ(Problems("[" + std::string(131072, '9') + "]"), 0u);
	EXPECT_EQ(Problems("[1" + std::string(131072, '0') + "]"), 1u);
	EXPECT_EQ(Problems("[0." + std::string(16384, '0') + "]"), 1u);
}

TEST(JsonNumber, NumericRange)
{
	auto fits = [](const std::string &s) { return JsonNumberFitsNumeric(s.data(), s.size()); };
	/* Checked against PostgreSQL 15's '[x]'::json::jsonb. */
	EXPECT_TRUE(fits("0"));
	EXPECT_TRUE(fits("-0.5e-3"));
	EXPECT_TRUE(fits("1e131071"));
	EXPECT_TRUE(fits("9.9e131071"));
	EXPECT_TRUE(fits("1.0e131071"));
	EXPECT_FALSE(fits("1e131072"));
	EXPECT_FALSE(fits("0.1e131073"));
	EXPECT_FALSE(fits("100000e131067"));
	EXPECT_TRUE(fits("1e-16383"));
	EXPECT_TRUE(fits("1.5e-16382"));
	EXPECT_FALSE(fits("1.5e-16383"));
	EXPECT_FALSE(fits("1e-1000000"));
	EXPECT_FALSE(fits("0e-1000000"));
	EXPECT_TRUE(fits("0e1000000000"));
	EXPECT_TRUE(fits("0.0000e-16379"));
	EXPECT_FALSE(fits("0.0000e-16381"));
	EXPECT_FALSE(fits("1e2147483647"));
	EXPECT_FALSE(fits("1e-2147483648"));
	EXPECT_FALSE(fits("0e1073741823"));
	EXPECT_TRUE(fits("0e1073741822"));
}

TEST(Base64, Rfc4648Vectors)
{
	EXPECT_EQ(B64(""), "\"\"");
	EXPECT_EQ(B64("f"), "\"Zg==\"");
	EXPECT_EQ(B64("fo"), "\"Zm8=\"");
	EXPECT_EQ(B64("foo"), "\"Zm9v\"");
	EXPECT_EQ(B64("foob"), "\"Zm9vYg==\"");
	EXPECT_EQ(B64("fooba"), "\"Zm9vYmE=\"");
	EXPECT_EQ(B64("foobar"), "\"Zm9vYmFy\"");
	EXPECT_EQ(B64(std::string("\xff\xfe\x00", 3)), "\"//4A\"");
}

TEST(Bytea, HexAsPostgresPrintsIt)
{
	StringSink out;
	const unsigned char bytes[] = {0x01, 0x02, 0xff, 0x00};
	WriteByteaHexString(out, bytes, sizeof bytes);
	EXPECT_EQ(out.str(), "\"\\\\x0102ff00\"");
	StringSink empty;
	WriteByteaHexString(empty, bytes, 0);
	EXPECT_EQ(empty.str(), "\"\\\\x\"");
}

TEST(Uuid, CanonicalForm)
{
	const unsigned char u[16] = {0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8,
	                             0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11};
	StringSink out;
	WriteUuidString(out, u);
	EXPECT_EQ(out.str(), "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"");
}

TEST(Sink, GrowsFromSmallWindow)
{
	StringSink out;
	std::string big(10000, 'z');
	out.append(big.data(), big.size());
	out.put('!');
	EXPECT_EQ(out.size(), 10001u);
	EXPECT_EQ(out.str().back(), '!');
	out.clear();
	EXPECT_EQ(out.str(), "");
}
