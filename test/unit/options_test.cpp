/* Unit tests for src/core/options: the table, booleans, enums, actions, patterns, errors. */
#include "options.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

using namespace pgcdc;

namespace
{

/* The pattern lists' memory, kept until the tests end (the plugin's is the decoding context). */
std::vector<std::unique_ptr<char[]>> g_arena;
size_t g_allocated = 0;

void *ArenaAlloc(size_t size)
{
	g_arena.emplace_back(new char[size]);
	g_allocated += size;
	return g_arena.back().get();
}

struct Result {
	bool ok;
	OptionError err;
};

Result Apply(Options *o, const char *name, const char *value)
{
	Result r{};
	r.ok = ApplyOption(o, name, value, ArenaAlloc, &r.err);
	return r;
}

/* The option's name in an error (the table's name, not an alias). */
std::string SpecName(const Result &r)
{
	return r.err.spec ? r.err.spec->name : "(none)";
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
	EXPECT_EQ(o.max_record_bytes, kMaxRecordBytes);
	EXPECT_EQ(o.oversized, OversizedMode::Error);
	EXPECT_EQ(o.include_tables.count, 0u);
	EXPECT_EQ(o.include_tables.patterns, nullptr);
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
	EXPECT_EQ(o.include_tables.count, 1u);
	EXPECT_TRUE(Apply(&o, "filter-tables", "public.x, public.y").ok);
	EXPECT_EQ(o.exclude_tables.count, 2u);
	EXPECT_TRUE(Apply(&o, "add-msg-prefixes", "app").ok);
	EXPECT_EQ(o.include_message_prefixes.count, 1u);
	EXPECT_TRUE(Apply(&o, "filter-msg-prefixes", "app.debug").ok);
	std::string_view prefix[1] = {"app.debug"};
	EXPECT_TRUE(PatternSetMatches(o.exclude_message_prefixes, prefix));
}

TEST(Options, UnknownOption)
{
	Options o;
	Result r = Apply(&o, "include-xids", "1");
	EXPECT_FALSE(r.ok);
	EXPECT_EQ(r.err.kind, OptionError::Kind::Unknown);
	EXPECT_EQ(r.err.spec, nullptr);
	EXPECT_EQ(o.seen, 0u);
}

TEST(Options, RepeatedOptionIsAnError)
{
	Options o;
	EXPECT_TRUE(Apply(&o, "include-tables", "a.b").ok);
	Result r = Apply(&o, "add-tables", "c.d");
	EXPECT_FALSE(r.ok);
	EXPECT_EQ(r.err.kind, OptionError::Kind::Repeated);
	EXPECT_EQ(SpecName(r), "include-tables");
	Result r2 = Apply(&o, "include-lsn", "1");
	EXPECT_TRUE(r2.ok);
	EXPECT_EQ(Apply(&o, "include-lsn", "1").err.kind, OptionError::Kind::Repeated);
}

TEST(Options, BadBoolean)
{
	Options o;
	Result r = Apply(&o, "include-lsn", "maybe");
	EXPECT_FALSE(r.ok);
	EXPECT_EQ(r.err.kind, OptionError::Kind::BadValue);
	EXPECT_EQ(SpecName(r), "include-lsn");
}

TEST(Options, Enums)
{
	Options o;
	EXPECT_TRUE(Apply(&o, "numeric", "STRING").ok);
	EXPECT_EQ(o.numeric, NumericMode::String);
	EXPECT_TRUE(Apply(&o, "bytea", "base64").ok);
	EXPECT_EQ(o.bytea, ByteaMode::Base64);
	EXPECT_TRUE(Apply(&o, "oversized-records", "omit-values").ok);
	EXPECT_EQ(o.oversized, OversizedMode::OmitValues);
	Options p;
	EXPECT_TRUE(Apply(&p, "oversized-records", "Error").ok);
	EXPECT_EQ(p.oversized, OversizedMode::Error);
	Result r = Apply(&p, "bytea", "escape");
	EXPECT_FALSE(r.ok);
	EXPECT_EQ(r.err.kind, OptionError::Kind::BadValue);
	EXPECT_EQ(SpecName(r), "bytea");
	EXPECT_EQ(Apply(&p, "oversized-records", "omit").err.kind, OptionError::Kind::Repeated);
	Options q;
	EXPECT_EQ(Apply(&q, "oversized-records", "omit").err.kind, OptionError::Kind::BadValue);
	Options t;
	Result r2 = Apply(&t, "numeric", nullptr);
	EXPECT_FALSE(r2.ok);
	EXPECT_EQ(r2.err.kind, OptionError::Kind::NeedsValue);
	EXPECT_EQ(SpecName(r2), "numeric");
}

TEST(Options, Actions)
{
	Options o;
	EXPECT_TRUE(Apply(&o, "actions", " Insert , delete ").ok);
	EXPECT_EQ(o.actions, unsigned(kActionInsert | kActionDelete));
	Options p;
	Result r = Apply(&p, "actions", "insert,upsert");
	EXPECT_FALSE(r.ok);
	EXPECT_EQ(r.err.kind, OptionError::Kind::BadValue);
	EXPECT_EQ(r.err.item, "upsert");
	Options q;
	Result r2 = Apply(&q, "actions", "insert, ,delete");
	EXPECT_FALSE(r2.ok);
	EXPECT_EQ(r2.err.item, "");
	EXPECT_EQ(q.actions, unsigned(kActionAll)); /* untouched */
	Options s;
	EXPECT_EQ(Apply(&s, "actions", nullptr).err.kind, OptionError::Kind::NeedsValue);
}

TEST(Options, PatternsAreParsedOnceIntoTheAllocatorsMemory)
{
	Options o;
	size_t before = g_allocated;
	EXPECT_TRUE(Apply(&o, "include-tables", "public.users, audit.*").ok);
	EXPECT_GT(g_allocated, before);
	ASSERT_EQ(o.include_tables.count, 2u);
	std::string_view users[2] = {"public", "users"}, log[2] = {"audit", "log"}, other[2] = {"public", "x"};
	EXPECT_TRUE(PatternSetMatches(o.include_tables, users));
	EXPECT_TRUE(PatternSetMatches(o.include_tables, log));
	EXPECT_FALSE(PatternSetMatches(o.include_tables, other));
	EXPECT_TRUE(Apply(&o, "exclude-columns", "*.*.secret_*").ok);
	std::string_view col[3] = {"s", "t", "secret_key"};
	EXPECT_TRUE(PatternSetMatches(o.exclude_columns, col));
	/* Options allocates nothing else: other options take no memory. */
	before = g_allocated;
	EXPECT_TRUE(Apply(&o, "actions", "insert").ok);
	EXPECT_FALSE(Apply(&o, "bogus", "1").ok);
	EXPECT_EQ(g_allocated, before);
}

TEST(Options, PatternErrorsSayWhereAndWhy)
{
	Options o;
	Result r = Apply(&o, "include-tables", "public.a, users");
	EXPECT_FALSE(r.ok);
	EXPECT_EQ(r.err.kind, OptionError::Kind::BadPattern);
	EXPECT_EQ(SpecName(r), "include-tables");
	EXPECT_EQ(r.err.pattern.position, 11u);
	EXPECT_STREQ(r.err.pattern.message,
	             "missing dot: a table pattern is schema.table (escape a literal dot as \\.)");
	EXPECT_EQ(o.include_tables.count, 0u);
	Options p;
	Result r2 = Apply(&p, "exclude-columns", "public.users");
	EXPECT_FALSE(r2.ok);
	EXPECT_NE(std::string(r2.err.pattern.message).find("schema.table.column"), std::string::npos);
	Options q;
	EXPECT_TRUE(Apply(&q, "include-message-prefixes", "app").ok);
	Options t;
	EXPECT_EQ(Apply(&t, "filter-tables", "nodot").err.kind, OptionError::Kind::BadPattern);
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
		EXPECT_EQ(r.err.kind, OptionError::Kind::BadValue) << v;
		EXPECT_EQ(SpecName(r), "batch-bytes");
		EXPECT_EQ(o.batch_bytes, 0u) << v;
	}
}

TEST(Options, BatchBytesNeedsAValueAndOnlyOnce)
{
	Options o;
	Result r = Apply(&o, "batch-bytes", nullptr);
	EXPECT_FALSE(r.ok);
	EXPECT_EQ(r.err.kind, OptionError::Kind::NeedsValue);
	Options p;
	EXPECT_TRUE(Apply(&p, "batch-bytes", "100").ok);
	Result r2 = Apply(&p, "batch-bytes", "200");
	EXPECT_FALSE(r2.ok);
	EXPECT_EQ(r2.err.kind, OptionError::Kind::Repeated);
	EXPECT_EQ(p.batch_bytes, 100u);
	EXPECT_EQ(Apply(&p, "batch_bytes", "1").err.kind, OptionError::Kind::Unknown);
}

TEST(Options, MaxRecordBytes)
{
	EXPECT_EQ(kMaxRecordBytes, 1069547520u); /* 1 GB less 4 MB */
	EXPECT_EQ(kMinRecordBytes, 1024u);
	const struct {
		const char *text;
		uint32_t value;
	} good[] = {{"1024", 1024}, {"01024", 1024}, {"4194304", 4194304}, {"1069547520", kMaxRecordBytes}};
	for (const auto &g : good) {
		Options o;
		EXPECT_TRUE(Apply(&o, "max-record-bytes", g.text).ok) << g.text;
		EXPECT_EQ(o.max_record_bytes, g.value) << g.text;
	}
	const char *bad[] = {"",           "0",          "1",  "1023", "1069547521",
	                     "1073741824", "4294967296", "-1", "1MB",  " 2048"};
	for (const char *v : bad) {
		Options o;
		Result r = Apply(&o, "max-record-bytes", v);
		EXPECT_FALSE(r.ok) << v;
		EXPECT_EQ(r.err.kind, OptionError::Kind::BadValue) << v;
		EXPECT_EQ(SpecName(r), "max-record-bytes");
		EXPECT_EQ(o.max_record_bytes, kMaxRecordBytes) << v;
	}
	Options o;
	EXPECT_EQ(Apply(&o, "max-record-bytes", nullptr).err.kind, OptionError::Kind::NeedsValue);
	const OptionSpec *spec = FindOption("max-record-bytes");
	ASSERT_NE(spec, nullptr);
	EXPECT_EQ(spec->min, kMinRecordBytes);
	EXPECT_EQ(spec->max, kMaxRecordBytes);
	EXPECT_EQ(FindOption("batch-bytes")->min, 0u);
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
	EXPECT_EQ(r.err.kind, OptionError::Kind::BadValue);
	EXPECT_EQ(SpecName(r), "partition-root");
	EXPECT_FALSE(p.partition_root);
	Options q;
	EXPECT_TRUE(Apply(&q, "partition-root", "yes").ok);
	Result r2 = Apply(&q, "partition-root", "yes");
	EXPECT_EQ(r2.err.kind, OptionError::Kind::Repeated);
	EXPECT_EQ(SpecName(r2), "partition-root");
	/* pgoutput's name for it is not an alias */
	Options s;
	EXPECT_EQ(Apply(&s, "publish_via_partition_root", "true").err.kind, OptionError::Kind::Unknown);
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
