/* Unit tests for src/core/pattern: parsing, errors with positions, glob matching. */
#include "pattern.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace pgcdc;

namespace
{

PatternList Parse(const std::string &text, int nparts = 2)
{
	PatternList list;
	PatternError err{};
	EXPECT_TRUE(list.Parse(text, nparts, &err)) << text << ": " << (err.message ? err.message : "");
	return list;
}

/* Returns "position: message" of the error, or "ok". */
std::string Error(const std::string &text, int nparts = 2)
{
	PatternList list;
	PatternError err{};
	if (list.Parse(text, nparts, &err))
		return "ok";
	return std::to_string(err.position) + ": " + err.message;
}

} // namespace

TEST(PatternParse, SimpleList)
{
	PatternList l = Parse("public.users, audit.*");
	ASSERT_EQ(l.size(), 2u);
	EXPECT_EQ(l.PartText(0, 0), "public");
	EXPECT_EQ(l.PartText(0, 1), "users");
	EXPECT_EQ(l.Kind(0, 1), PartKind::Literal);
	EXPECT_EQ(l.Kind(1, 1), PartKind::Any);
}

TEST(PatternParse, SpacesAroundPatternsAndDotsAreIgnored)
{
	PatternList l = Parse("  public . users  ,\tx.y");
	ASSERT_EQ(l.size(), 2u);
	EXPECT_EQ(l.PartText(0, 0), "public");
	EXPECT_EQ(l.PartText(0, 1), "users");
	/* A tab is not a space: it is part of the name. */
	EXPECT_EQ(l.PartText(1, 0), "\tx");
}

TEST(PatternParse, InteriorSpacesAreKept)
{
	PatternList l = Parse("my schema.my table");
	EXPECT_TRUE(l.Matches("my schema", "my table"));
	EXPECT_FALSE(l.Matches("myschema", "mytable"));
}

TEST(PatternParse, Escapes)
{
	PatternList l = Parse("a\\.b.c\\,d, s.\\*\\?\\\\, s.x\\ ");
	ASSERT_EQ(l.size(), 3u);
	EXPECT_EQ(l.PartText(0, 0), "a.b");
	EXPECT_EQ(l.PartText(0, 1), "c,d");
	EXPECT_EQ(l.Kind(1, 1), PartKind::Literal);
	EXPECT_EQ(l.PartText(1, 1), "*?\\");
	EXPECT_EQ(l.PartText(2, 1), "x "); /* an escaped trailing space is kept */
	EXPECT_TRUE(l.Matches("a.b", "c,d"));
	EXPECT_TRUE(l.Matches("s", "*?\\"));
	EXPECT_FALSE(l.Matches("s", "x?\\"));
}

TEST(PatternParse, ColumnPatterns)
{
	PatternList l = Parse("public.users.password, *.*.secret_*", 3);
	EXPECT_TRUE(l.Matches("public", "users", "password"));
	EXPECT_TRUE(l.Matches("x", "y", "secret_key"));
	EXPECT_FALSE(l.Matches("public", "users", "name"));
}

TEST(PatternParse, SinglePartKeepsDots)
{
	PatternList l = Parse("app.audit, debezium.*", 1);
	EXPECT_TRUE(l.Matches("app.audit"));
	EXPECT_TRUE(l.Matches("debezium.heartbeat"));
	EXPECT_FALSE(l.Matches("app"));
}

TEST(PatternErrors, Positions)
{
	EXPECT_EQ(Error("public"),
	          "1: missing dot: a table pattern is schema.table (escape a literal dot as \\.)");
	EXPECT_EQ(Error("a.b, public"),
	          "6: missing dot: a table pattern is schema.table (escape a literal dot as \\.)");
	EXPECT_EQ(Error("a.b.c"),
	          "4: too many dots: a table pattern is schema.table (escape a literal dot as \\.)");
	EXPECT_EQ(Error("a.b", 3),
	          "1: missing dot: a column pattern is schema.table.column (escape a literal dot as \\.)");
	EXPECT_EQ(Error("a.b,,c.d"), "5: empty pattern");
	EXPECT_EQ(Error("a.b,"), "5: empty pattern");
	EXPECT_EQ(Error(""), "1: empty pattern");
	EXPECT_EQ(Error("   "), "4: empty pattern");
	EXPECT_EQ(Error(".t"), "1: empty name in pattern");
	EXPECT_EQ(Error("s. "), "4: empty name in pattern");
	EXPECT_EQ(Error("s.t\\"), "4: a backslash at the end of a pattern escapes nothing");
	EXPECT_EQ(Error("s.\\t"),
	          "3: invalid escape: a backslash may only precede *, ?, '.', ',', space or another backslash");
}

TEST(Glob, Basics)
{
	auto m = [](const char *p, const char *s) { return MatchGlob(p, strlen(p), s, strlen(s)); };
	EXPECT_TRUE(m("*", ""));
	EXPECT_TRUE(m("*", "anything"));
	EXPECT_TRUE(m("user*", "users"));
	EXPECT_TRUE(m("user*", "user"));
	EXPECT_FALSE(m("user*", "use"));
	EXPECT_TRUE(m("*_log", "audit_log"));
	EXPECT_FALSE(m("*_log", "audit_logs"));
	EXPECT_TRUE(m("a*b*c", "aXXbYYc"));
	EXPECT_TRUE(m("a*b*c", "abcbc"));
	EXPECT_FALSE(m("a*b*c", "aXXbYY"));
	EXPECT_TRUE(m("t?", "t1"));
	EXPECT_FALSE(m("t?", "t"));
	EXPECT_FALSE(m("t?", "t12"));
	EXPECT_TRUE(m("**", "x"));
	EXPECT_TRUE(m("a\\*", "a*"));
	EXPECT_FALSE(m("a\\*", "ab"));
	EXPECT_TRUE(m("a\\?", "a?"));
	EXPECT_FALSE(m("a\\?", "ab"));
	EXPECT_TRUE(m("a\\\\", "a\\"));
}

TEST(Glob, QuestionMarkIsOneCharacter)
{
	auto m = [](const char *p, const char *s) { return MatchGlob(p, strlen(p), s, strlen(s)); };
	EXPECT_TRUE(m("caf?", "caf\xc3\xa9"));
	EXPECT_TRUE(m("?", "\xf0\x9f\x98\x80"));
	EXPECT_FALSE(m("??", "\xf0\x9f\x98\x80"));
	EXPECT_TRUE(m("*\xc3\xa9", "caf\xc3\xa9"));
}

TEST(Glob, PathologicalInputIsNotExponential)
{
	std::string s(5000, 'a');
	std::string p;
	for (int i = 0; i < 50; i++)
		p += "a*";
	p += "b";
	EXPECT_FALSE(MatchGlob(p.data(), p.size(), s.data(), s.size()));
}

TEST(PatternMatch, CaseSensitiveAndExact)
{
	PatternList l = Parse("public.Users");
	EXPECT_TRUE(l.Matches("public", "Users"));
	EXPECT_FALSE(l.Matches("public", "users"));
	EXPECT_FALSE(l.Matches("public", "Users2"));
	EXPECT_FALSE(l.Matches("publi", "Users"));
}

TEST(PatternMatch, AnyPatternOfTheList)
{
	PatternList l = Parse("a.x, b.y?, *.z");
	EXPECT_TRUE(l.Matches("a", "x"));
	EXPECT_TRUE(l.Matches("b", "y1"));
	EXPECT_TRUE(l.Matches("q", "z"));
	EXPECT_FALSE(l.Matches("a", "y"));
}
