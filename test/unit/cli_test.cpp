/* Unit tests for src/client/cli and src/client/retry: option parsing and the retry policy. */
#include "cli.hpp"
#include "retry.hpp"

#include <gtest/gtest.h>

using namespace pgcdc;

namespace
{

const std::vector<OptionDef> kDefs = {
    {"slot", 'S', true, false},   {"option", 'o', true, true}, {"verbose", 'v', false, true},
    {"no-loop", 0, false, false}, {"file", 'f', true, false},
};

std::string UsageMessage(const std::vector<std::string> &args)
{
	try {
		ParseArgs(kDefs, args);
	} catch (const UsageError &e) {
		return e.what();
	}
	return "(accepted)";
}

} // namespace

TEST(Cli, Spellings)
{
	ParsedArgs a =
	    ParseArgs(kDefs, {"--slot=cdc", "-o", "include-lsn", "-oexclude-tables=a.b", "--option",
	                      "numeric=string", "-vv", "--no-loop", "-f-", "pos1", "--", "--not-an-option"});
	EXPECT_EQ(a.Get("slot"), "cdc");
	EXPECT_EQ(a.All("option"),
	          (std::vector<std::string>{"include-lsn", "exclude-tables=a.b", "numeric=string"}));
	EXPECT_EQ(a.All("verbose").size(), 2u);
	EXPECT_TRUE(a.Has("no-loop"));
	EXPECT_EQ(a.Get("file"), "-");
	EXPECT_EQ(a.Positionals(), (std::vector<std::string>{"pos1", "--not-an-option"}));
	EXPECT_FALSE(a.Has("missing"));
	EXPECT_EQ(a.Get("missing", "def"), "def");
	/* A lone "-" is a positional (standard output), and "--slot -" takes "-" as the value. */
	ParsedArgs b = ParseArgs(kDefs, {"-S", "-", "-"});
	EXPECT_EQ(b.Get("slot"), "-");
	EXPECT_EQ(b.Positionals(), (std::vector<std::string>{"-"}));
}

TEST(Cli, Errors)
{
	EXPECT_EQ(UsageMessage({"--bogus"}), "unrecognized option \"--bogus\"");
	EXPECT_EQ(UsageMessage({"--bogus=1"}), "unrecognized option \"--bogus\"");
	EXPECT_EQ(UsageMessage({"-x"}), "unrecognized option \"-x\"");
	EXPECT_EQ(UsageMessage({"--slot"}), "option --slot needs a value");
	EXPECT_EQ(UsageMessage({"-S"}), "option -S (--slot) needs a value");
	EXPECT_EQ(UsageMessage({"--no-loop=yes"}), "option --no-loop takes no value");
	EXPECT_EQ(UsageMessage({"--slot=a", "-S", "b"}), "option --slot given more than once");
	EXPECT_EQ(UsageMessage({"-vx"}), "unrecognized option \"-x\"");
}

TEST(Cli, Seconds)
{
	EXPECT_EQ(ParseSeconds("--x", "10"), 10.0);
	EXPECT_EQ(ParseSeconds("--x", "0.25"), 0.25);
	EXPECT_EQ(ParseSeconds("--x", "0"), 0.0);
	for (const char *bad : {"", "-1", "ten", "1s", "nan", "inf", "1e300"}) {
		try {
			ParseSeconds("--fsync-interval", bad);
			ADD_FAILURE() << "accepted " << bad;
		} catch (const UsageError &e) {
			EXPECT_EQ(std::string(e.what()),
			          std::string("invalid value \"") + bad +
			              "\" for --fsync-interval: expected seconds, a number from 0");
		}
	}
}

TEST(Cli, Lsn)
{
	EXPECT_EQ(ParseLsnOption("--endpos", "16/B374D848"), 0x16B374D848ULL);
	EXPECT_THROW(ParseLsnOption("--endpos", "16B374D848"), UsageError);
	EXPECT_THROW(ParseLsnOption("--endpos", ""), UsageError);
}

TEST(Cli, Sizes)
{
	EXPECT_EQ(ParseSize("--s", "0"), 0);
	EXPECT_EQ(ParseSize("--s", "1234"), 1234);
	EXPECT_EQ(ParseSize("--s", "16MB"), 16LL << 20);
	EXPECT_EQ(ParseSize("--s", "1 GB"), 1LL << 30);
	EXPECT_EQ(ParseSize("--s", "10gb"), 10LL << 30);
	EXPECT_EQ(ParseSize("--s", "8kB"), 8192);
	EXPECT_EQ(ParseSize("--s", "3 bytes"), 3);
	EXPECT_EQ(ParseSize("--s", "2TB"), 2LL << 40);
	for (const char *bad : {"", "GB", "1.5GB", "-1", "1XB", "9999999999PB"})
		EXPECT_THROW(ParseSize("--s", bad), UsageError) << bad;
}

TEST(Retry, ConnectErrors)
{
	/* Before the stream has started once, only what looks transient is retried. */
	EXPECT_EQ(ClassifyConnectError("could not connect to server: Connection refused", false), Outcome::Retry);
	EXPECT_EQ(
	    ClassifyConnectError("connection to server on socket \"/tmp/.s.PGSQL.5432\" failed: No such file or "
	                         "directory",
	                         false),
	    Outcome::Retry);
	EXPECT_EQ(ClassifyConnectError("FATAL:  the database system is starting up", false), Outcome::Retry);
	EXPECT_EQ(ClassifyConnectError("FATAL:  password authentication failed for user \"x\"", false),
	          Outcome::Fatal);
	EXPECT_EQ(ClassifyConnectError("FATAL:  database \"nope\" does not exist", false), Outcome::Fatal);
	EXPECT_EQ(ClassifyConnectError("FATAL:  must be superuser or replication role to start walsender", false),
	          Outcome::Fatal);
	/* Once it has streamed, a failure to reconnect is retried whatever it says. */
	EXPECT_EQ(ClassifyConnectError("FATAL:  password authentication failed for user \"x\"", true),
	          Outcome::Retry);
}

TEST(Retry, ServerErrors)
{
	EXPECT_EQ(ClassifyServerError("42704", false), Outcome::SlotGone);
	EXPECT_EQ(ClassifyServerError("42704", true), Outcome::SlotGone);
	EXPECT_EQ(ClassifyServerError("55006", false), Outcome::Retry); /* slot active for another PID */
	EXPECT_EQ(ClassifyServerError("57P01", false), Outcome::Retry);
	EXPECT_EQ(ClassifyServerError("08006", false), Outcome::Retry);
	EXPECT_EQ(ClassifyServerError("22023", false), Outcome::Usage); /* a bad plugin option */
	EXPECT_EQ(ClassifyServerError("42601", false), Outcome::Usage);
	EXPECT_EQ(ClassifyServerError("42501", false), Outcome::Fatal);
	EXPECT_EQ(ClassifyServerError("42501", true), Outcome::Retry);
}

TEST(Retry, Backoff)
{
	Backoff b(1, 30);
	std::vector<double> seen;
	for (int i = 0; i < 8; i++)
		seen.push_back(b.Next());
	EXPECT_EQ(seen, (std::vector<double>{1, 2, 4, 8, 16, 30, 30, 30}));
	b.Reset();
	EXPECT_EQ(b.Next(), 1);
}
