/* Unit tests for src/core/options: the table, booleans, enums, actions, patterns, errors. */
#include "options.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace pgcdc;

namespace
{

struct Result {
	bool ok;
	OptionError err;
};

Result Apply(Options *o, const char *name, const char *value)
{
	Result r{};
	r.ok = ApplyOption(o, name, value, &r.err);
	return r;
}

} // namespace

TEST(Options, Defaults)
{
	Options o;
	EXPECT_TRUE(o.include_transaction);
	EXPECT_FALSE(o.include_lsn);
	EXPECT_FALSE(o.include_types);
	EXPECT_TRUE(o.skip_empty_transactions);
	EXPECT_FALSE(o.only_local);
	EXPECT_FALSE(o.partition_root);
	EXPECT_EQ(o.actions, unsigned(kActionAll));
	EXPECT_EQ(o.numeric, NumericMode::Number);
	EXPECT_EQ(o.bytea, ByteaMode::Hex);
	EXPECT_EQ(o.batch_bytes, 0u);
	EXPECT_EQ(o.include_tables, nullptr);
}

TEST(Options, TableIsComplete)
{
	EXPECT_EQ(kOptionCount, size_t(OptionId::Count));
	for (size_t i = 0; i < kOptionCount; i++) {
		EXPECT_EQ(FindOption(kOptions[i].name), &kOptions[i]);
		if (kOptions[i].alias) {
			EXPECT_EQ(FindOption(kOptions[i].alias), &kOptions[i]);
		}
	}
	EXPECT_EQ(FindOption("include_lsn"), nullptr); /* names use dashes, exactly */
}

TEST(Options, Booleans)
{
	const char *yes[] = {"true", "TRUE", "t", "tr", "yes", "y", "on", "ON", "1"};
	const char *no[] = {"false", "f", "fal", "no", "n", "off", "of", "0"};
	for (const char *v : yes) {
		bool b = false;
		EXPECT_TRUE(ParseBool(v, &b)) << v;
		EXPECT_TRUE(b) << v;
	}
	for (const char *v : no) {
		bool b = true;
		EXPECT_TRUE(ParseBool(v, &b)) << v;
		EXPECT_FALSE(b) << v;
	}
	const char *bad[] = {"", "o", "truex", "2", "10", "yess", " true", "onn", "offf", "nope"};
	for (const char *v : bad) {
		bool b;
		EXPECT_FALSE(ParseBool(v, &b)) << v;
	}
}

TEST(Options, BooleanWithoutValueMeansTrue)
{
	Options o;
	EXPECT_TRUE(Apply(&o, "include-lsn", nullptr).ok);
	EXPECT_TRUE(o.include_lsn);
	EXPECT_TRUE(Apply(&o, "include-transaction", "off").ok);
	EXPECT_FALSE(o.include_transaction);
}

TEST(Options, Aliases)
{
	Options o;
	EXPECT_TRUE(Apply(&o, "skip-empty-xacts", "false").ok);
	EXPECT_FALSE(o.skip_empty_transactions);
	EXPECT_TRUE(Apply(&o, "add-tables", "public.*").ok);
	EXPECT_STREQ(o.include_tables, "public.*");
	EXPECT_TRUE(Apply(&o, "filter-tables", "public.x").ok);
	EXPECT_STREQ(o.exclude_tables, "public.x");
	EXPECT_TRUE(Apply(&o, "add-msg-prefixes", "app").ok);
	EXPECT_TRUE(Apply(&o, "filter-msg-prefixes", "app.debug").ok);
	EXPECT_STREQ(o.exclude_message_prefixes, "app.debug");
}

TEST(Options, UnknownOptionNamesItAndListsTheValidOnes)
{
	Options o;
	Result r = Apply(&o, "include-xids", "1");
	EXPECT_FALSE(r.ok);
	EXPECT_STREQ(r.err.message, "unrecognized pgcdc option \"include-xids\"");
	EXPECT_NE(std::string(r.err.hint).find("include-transaction"), std::string::npos);
	EXPECT_NE(std::string(r.err.hint).find("bytea"), std::string::npos);
}

TEST(Options, RepeatedOptionIsAnError)
{
	Options o;
	EXPECT_TRUE(Apply(&o, "include-tables", "a.b").ok);
	Result r = Apply(&o, "add-tables", "c.d");
	EXPECT_FALSE(r.ok);
	EXPECT_EQ(r.err.code, OptionError::Code::SyntaxError);
	EXPECT_STREQ(r.err.message, "conflicting or redundant options");
	EXPECT_STREQ(r.err.detail,
	             "Option \"include-tables\" (or its alias \"add-tables\") is given more than once.");
	Result r2 = Apply(&o, "include-lsn", "1");
	EXPECT_TRUE(r2.ok);
	EXPECT_FALSE(Apply(&o, "include-lsn", "1").ok);
}

TEST(Options, BadBoolean)
{
	Options o;
	Result r = Apply(&o, "include-lsn", "maybe");
	EXPECT_FALSE(r.ok);
	EXPECT_STREQ(r.err.message, "could not parse value \"maybe\" for parameter \"include-lsn\"");
	EXPECT_NE(std::string(r.err.hint).find("true, false"), std::string::npos);
}

TEST(Options, Enums)
{
	Options o;
	EXPECT_TRUE(Apply(&o, "numeric", "STRING").ok);
	EXPECT_EQ(o.numeric, NumericMode::String);
	EXPECT_TRUE(Apply(&o, "bytea", "base64").ok);
	EXPECT_EQ(o.bytea, ByteaMode::Base64);
	Options p;
	Result r = Apply(&p, "bytea", "escape");
	EXPECT_FALSE(r.ok);
	EXPECT_STREQ(r.err.message, "could not parse value \"escape\" for parameter \"bytea\"");
	EXPECT_STREQ(r.err.hint, "Accepted values are \"hex\", \"base64\".");
	Options q;
	Result r2 = Apply(&q, "numeric", nullptr);
	EXPECT_FALSE(r2.ok);
	EXPECT_STREQ(r2.err.message, "parameter \"numeric\" requires a value");
}

TEST(Options, Actions)
{
	Options o;
	EXPECT_TRUE(Apply(&o, "actions", " Insert , delete ").ok);
	EXPECT_EQ(o.actions, unsigned(kActionInsert | kActionDelete));
	Options p;
	Result r = Apply(&p, "actions", "insert,upsert");
	EXPECT_FALSE(r.ok);
	EXPECT_STREQ(r.err.message, "could not parse value \"insert,upsert\" for parameter \"actions\"");
	EXPECT_STREQ(r.err.detail, "\"upsert\" is not an action.");
	EXPECT_NE(std::string(r.err.hint).find("\"truncate\""), std::string::npos);
	Options q;
	Result r2 = Apply(&q, "actions", "");
	EXPECT_FALSE(r2.ok);
	EXPECT_STREQ(r2.err.detail, "The list contains an empty item.");
	Options s;
	EXPECT_FALSE(Apply(&s, "actions", nullptr).ok);
}

TEST(Options, PatternErrorsNamePositionAndOption)
{
	Options o;
	Result r = Apply(&o, "include-tables", "public.a, users");
	EXPECT_FALSE(r.ok);
	EXPECT_STREQ(r.err.message,
	             "invalid pattern in parameter \"include-tables\" at position 11: missing dot: a "
	             "table pattern is schema.table (escape a literal dot as \\.)");
	EXPECT_STREQ(r.err.detail, "The value is \"public.a, users\".");
	Options p;
	Result r2 = Apply(&p, "exclude-columns", "public.users");
	EXPECT_FALSE(r2.ok);
	EXPECT_NE(std::string(r2.err.message).find("schema.table.column"), std::string::npos);
	Options q;
	EXPECT_TRUE(Apply(&q, "include-message-prefixes", "app").ok);
}

TEST(Options, ErrorsNameTheAliasAsGiven)
{
	Options o;
	Result r = Apply(&o, "filter-tables", "nodot");
	EXPECT_FALSE(r.ok);
	EXPECT_NE(std::string(r.err.message).find("parameter \"filter-tables\""), std::string::npos);
	Options p;
	Result r2 = Apply(&p, "skip-empty-xacts", "perhaps");
	EXPECT_STREQ(r2.err.message, "could not parse value \"perhaps\" for parameter \"skip-empty-xacts\"");
}

TEST(Options, BatchBytes)
{
	const struct {
		const char *text;
		uint32_t value;
	} good[] = {{"0", 0}, {"1", 1}, {"64", 64}, {"65536", 65536}, {"0064", 64}, {"268435456", 268435456}};
	for (const auto &g : good) {
		Options o;
		Result r = Apply(&o, "batch-bytes", g.text);
		EXPECT_TRUE(r.ok) << g.text;
		EXPECT_EQ(o.batch_bytes, g.value) << g.text;
	}
	EXPECT_EQ(kMaxBatchBytes, 268435456u);
	const char *bad[] = {"",    "268435457", "4294967296", "99999999999999999999",
	                     "-1",  "+1",        " 1",         "1 ",
	                     "1k",  "64kB",      "0x10",       "1.5",
	                     "1e3", "many"};
	for (const char *v : bad) {
		Options o;
		Result r = Apply(&o, "batch-bytes", v);
		EXPECT_FALSE(r.ok) << v;
		EXPECT_EQ(r.err.code, OptionError::Code::InvalidParameterValue) << v;
		EXPECT_EQ(std::string(r.err.message),
		          std::string("could not parse value \"") + v + "\" for parameter \"batch-bytes\"");
		EXPECT_STREQ(r.err.hint, "Accepted values are 0 (one record per message) or a number of bytes "
		                         "from 1 to 268435456.");
		EXPECT_EQ(o.batch_bytes, 0u) << v;
	}
}

TEST(Options, BatchBytesNeedsAValueAndOnlyOnce)
{
	Options o;
	Result r = Apply(&o, "batch-bytes", nullptr);
	EXPECT_FALSE(r.ok);
	EXPECT_STREQ(r.err.message, "parameter \"batch-bytes\" requires a value");
	EXPECT_NE(std::string(r.err.hint).find("from 1 to 268435456"), std::string::npos);
	Options p;
	EXPECT_TRUE(Apply(&p, "batch-bytes", "100").ok);
	Result r2 = Apply(&p, "batch-bytes", "200");
	EXPECT_FALSE(r2.ok);
	EXPECT_STREQ(r2.err.message, "conflicting or redundant options");
	EXPECT_EQ(p.batch_bytes, 100u);
	Result r3 = Apply(&p, "batch_bytes", "1");
	EXPECT_STREQ(r3.err.message, "unrecognized pgcdc option \"batch_bytes\"");
	EXPECT_NE(std::string(r3.err.hint).find("batch-bytes"), std::string::npos);
}

TEST(Options, PartitionRoot)
{
	const struct {
		const char *text;
		bool value;
	} good[] = {{nullptr, true}, {"true", true}, {"on", true}, {"1", true}, {"false", false}, {"off", false}};
	for (const auto &g : good) {
		Options o;
		o.partition_root = !g.value;
		EXPECT_TRUE(Apply(&o, "partition-root", g.text).ok) << (g.text ? g.text : "(no value)");
		EXPECT_EQ(o.partition_root, g.value) << (g.text ? g.text : "(no value)");
	}
	Options p;
	Result r = Apply(&p, "partition-root", "root");
	EXPECT_FALSE(r.ok);
	EXPECT_STREQ(r.err.message, "could not parse value \"root\" for parameter \"partition-root\"");
	EXPECT_FALSE(p.partition_root);
	Options q;
	EXPECT_TRUE(Apply(&q, "partition-root", "yes").ok);
	Result r2 = Apply(&q, "partition-root", "yes");
	EXPECT_STREQ(r2.err.message, "conflicting or redundant options");
	EXPECT_STREQ(r2.err.detail, "Option \"partition-root\" is given more than once.");
	/* pgoutput's name for it is not an alias */
	Options s;
	Result r3 = Apply(&s, "publish_via_partition_root", "true");
	EXPECT_STREQ(r3.err.message, "unrecognized pgcdc option \"publish_via_partition_root\"");
	EXPECT_NE(std::string(r3.err.hint).find("partition-root"), std::string::npos);
}

TEST(Options, ParseUnsigned)
{
	uint32_t v = 7;
	EXPECT_TRUE(ParseUnsigned("4294967295", UINT32_MAX, &v));
	EXPECT_EQ(v, UINT32_MAX);
	EXPECT_FALSE(ParseUnsigned("4294967296", UINT32_MAX, &v));
	EXPECT_TRUE(ParseUnsigned("10", 10, &v));
	EXPECT_EQ(v, 10u);
	EXPECT_FALSE(ParseUnsigned("11", 10, &v));
	EXPECT_FALSE(ParseUnsigned("", 10, &v));
	EXPECT_EQ(v, 10u); /* untouched on failure */
}
