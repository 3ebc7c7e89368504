/* Unit tests for src/core/framing: record classification and the exactly-once state machine. */
#include "framing.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace pgcdc;

namespace
{

std::string B(const char *lsn)
{
	return std::string("{\"op\":\"B\",\"xid\":741,\"lsn\":\"") + lsn + "\",\"ts\":\"2026-11-21T10:00:00Z\"}";
}
std::string C(const char *lsn)
{
	return std::string("{\"op\":\"C\",\"xid\":741,\"lsn\":\"") + lsn +
	       "\",\"ts\":\"2026-11-21T10:00:00Z\",\"n\":1}";
}
const std::string kInsert = "{\"op\":\"I\",\"schema\":\"public\",\"table\":\"t\",\"new\":{\"id\":1}}";
std::string Msg(bool transactional, const char *prefix)
{
	return std::string("{\"op\":\"M\",\"transactional\":") + (transactional ? "true" : "false") +
	       ",\"prefix\":\"" + prefix + "\",\"content\":\"x\"}";
}

/* Feeds records (with their dataStart) and returns one letter per decision: W, S or X (stop). */
std::string Feed(StreamTracker &t, const std::vector<std::pair<std::string, uint64_t>> &records,
                 std::vector<uint64_t> *boundaries = nullptr)
{
	std::string out;
	for (const auto &r : records) {
		Decision d;
		std::string err;
		EXPECT_TRUE(t.OnRecord(r.first, r.second, &d, &err)) << err;
		out += d.verdict == Verdict::Write ? 'W' : d.verdict == Verdict::Skip ? 'S' : 'X';
		if (d.stop_after)
			out += '!';
		if (boundaries && d.boundary)
			boundaries->push_back(d.boundary);
	}
	return out;
}

} // namespace

TEST(Framing, Classify)
{
	RecordInfo info;
	std::string err;
	ASSERT_TRUE(ClassifyRecord(B("0/1A2B3C8"), &info, &err)) << err;
	EXPECT_EQ(info.op, 'B');
	EXPECT_EQ(info.lsn, 0x1A2B3C8u);
	ASSERT_TRUE(ClassifyRecord(C("1/0"), &info, &err));
	EXPECT_EQ(info.op, 'C');
	EXPECT_EQ(info.lsn, 0x100000000u);
	ASSERT_TRUE(ClassifyRecord(kInsert, &info, &err));
	EXPECT_EQ(info.op, 'I');
	ASSERT_TRUE(ClassifyRecord(Msg(false, "pgcdc.heartbeat"), &info, &err));
	EXPECT_FALSE(info.transactional);
	EXPECT_EQ(info.prefix, "pgcdc.heartbeat");
	/* include-lsn puts "lsn" before "transactional"; escapes in the prefix are kept as written. */
	ASSERT_TRUE(ClassifyRecord("{\"op\":\"M\",\"lsn\":\"0/10\",\"transactional\":true,\"prefix\":\"a\\\"b\","
	                           "\"content\":\"\"}",
	                           &info, &err))
	    << err;
	EXPECT_TRUE(info.transactional);
	EXPECT_EQ(info.prefix, "a\\\"b");
	ASSERT_TRUE(
	    ClassifyRecord("{\"op\":\"T\",\"lsn\":\"0/10\",\"schema\":\"s\",\"table\":\"t\"}", &info, &err));
	EXPECT_EQ(info.op, 'T');
}

TEST(Framing, RecordsThatLeftValuesOutAreFramedAsAnyOther)
{
	/* oversized-records=omit-values: "omitted" at the end of a change, a message without content. */
	const std::string update = "{\"op\":\"U\",\"schema\":\"public\",\"table\":\"t\",\"key\":{\"id\":1},"
	                           "\"new\":{\"id\":1},\"unchanged\":[\"doc\"],\"omitted\":[\"big\"]}";
	const std::string nontx = "{\"op\":\"M\",\"lsn\":\"0/50\",\"transactional\":false,\"prefix\":\"ops\","
	                          "\"omitted\":[\"content\"]}";
	const std::string tx =
	    "{\"op\":\"M\",\"transactional\":true,\"prefix\":\"app\",\"omitted\":[\"content\"]}";
	RecordInfo info;
	std::string err;
	ASSERT_TRUE(ClassifyRecord(update, &info, &err)) << err;
	EXPECT_EQ(info.op, 'U');
	ASSERT_TRUE(ClassifyRecord(nontx, &info, &err)) << err;
	EXPECT_FALSE(info.transactional);
	EXPECT_EQ(info.prefix, "ops");
	StreamTracker t(0, 0, "pgcdc.heartbeat");
	std::vector<uint64_t> boundaries;
	EXPECT_EQ(Feed(t, {{nontx, 0x50}, {B("0/60"), 0x70}, {update, 0x70}, {tx, 0x70}, {C("0/70"), 0x70}},
	               &boundaries),
	          "WWWWW");
	EXPECT_EQ(boundaries, (std::vector<uint64_t>{0x50, 0x70}));
}

TEST(Framing, ClassifyRejectsWhatIsNotTheContract)
{
	RecordInfo info;
	std::string err;
	EXPECT_FALSE(ClassifyRecord("", &info, &err));
	EXPECT_FALSE(ClassifyRecord("table public.t: INSERT: id[integer]:1", &info, &err));
	EXPECT_EQ(err, "a record does not start with {\"op\":\"X\": table public.t: INSERT: id[integer]:1");
	EXPECT_FALSE(ClassifyRecord("{\"op\":\"Z\"}", &info, &err));
	EXPECT_EQ(err, "a record of unknown op \"Z\": {\"op\":\"Z\"}");
	EXPECT_FALSE(ClassifyRecord("{\"op\":\"B\",\"xid\":1}", &info, &err));
	EXPECT_FALSE(ClassifyRecord("{\"op\":\"C\",\"xid\":,\"lsn\":\"0/1\"}", &info, &err));
	EXPECT_FALSE(ClassifyRecord("{\"op\":\"C\",\"xid\":1,\"lsn\":\"zz\"}", &info, &err));
	EXPECT_FALSE(ClassifyRecord("{\"op\":\"M\",\"prefix\":\"p\"}", &info, &err));
	EXPECT_FALSE(
	    ClassifyRecord("{\"op\":\"M\",\"transactional\":false,\"prefix\":\"unterminated", &info, &err));
	/* Long records are shortened in errors. */
	EXPECT_FALSE(ClassifyRecord(std::string(500, 'x'), &info, &err));
	EXPECT_LT(err.size(), 150u);
}

TEST(Framing, FreshStreamWritesEverythingWithBoundaries)
{
	/* A non-transactional message's dataStart is the end of its WAL record. */
	StreamTracker t(0, 0, "pgcdc.heartbeat");
	std::vector<uint64_t> b;
	EXPECT_EQ(Feed(t,
	               {{B("0/100"), 0x90},
	                {kInsert, 0x90},
	                {Msg(true, "app"), 0x98},
	                {C("0/130"), 0x130},
	                {Msg(false, "app"), 0x190}},
	               &b),
	          "WWWWW");
	EXPECT_EQ(b, (std::vector<uint64_t>{0x130, 0x190}));
	EXPECT_EQ(t.Position(), 0x190u);
	EXPECT_EQ(t.Transactions(), 1u);
	EXPECT_FALSE(t.InTransaction());
}

TEST(Framing, ResentUnitsAtOrBelowThePositionAreSkipped)
{
	/* The output holds everything up to the message ending at 0/200. */
	StreamTracker t(0x200, 0, "pgcdc.heartbeat");
	std::vector<uint64_t> b;
	EXPECT_EQ(Feed(t,
	               {
	                   {B("0/1A0"), 0x190}, /* commit 0/1A0..0/1D0: already there */
	                   {kInsert, 0x190},
	                   {C("0/1D0"), 0x1D0},
	                   {Msg(false, "app"), 0x200}, /* ends at 0/200: already there */
	                   {B("0/200"), 0x1F8},        /* its commit starts where the message ended: new */
	                   {kInsert, 0x1F8},
	                   {C("0/230"), 0x230},
	                   {Msg(false, "app"), 0x290}, /* new */
	               },
	               &b),
	          "SSSSWWWW");
	EXPECT_EQ(b, (std::vector<uint64_t>{0x230, 0x290}));
	EXPECT_EQ(t.Transactions(), 1u);
}

TEST(Framing, HeartbeatsAdvanceButAreNotWritten)
{
	StreamTracker t(0, 0, "pgcdc.heartbeat");
	std::vector<uint64_t> b;
	EXPECT_EQ(Feed(t,
	               {{Msg(false, "pgcdc.heartbeat"), 0x500},
	                {Msg(false, "pgcdc.heartbeatx"), 0x600},
	                {B("0/700"), 0x700},
	                {Msg(true, "pgcdc.heartbeat"), 0x700},
	                {C("0/720"), 0x720}},
	               &b),
	          "SWWWW");
	EXPECT_EQ(b, (std::vector<uint64_t>{0x500, 0x600, 0x720}));
}

TEST(Framing, EndposKeepsTheUnitsEndingAtOrBeforeIt)
{
	StreamTracker t(0, 0x300, "pgcdc.heartbeat");
	EXPECT_EQ(Feed(t, {{B("0/100"), 0x90},
	                   {kInsert, 0x90},
	                   {C("0/130"), 0x130},
	                   {Msg(false, "m"), 0x2F0},
	                   {B("0/300"), 0x2F8}}),
	          "WWWWX");
	/* A transaction ending exactly at endpos is the last one written. */
	StreamTracker u(0, 0x130, "pgcdc.heartbeat");
	EXPECT_EQ(Feed(u, {{B("0/100"), 0x90}, {C("0/130"), 0x130}}), "WW!");
	/* A message ending at endpos is the last one written, one ending past it is not. */
	StreamTracker v(0, 0x200, "pgcdc.heartbeat");
	EXPECT_EQ(Feed(v, {{Msg(false, "m"), 0x200}}), "W!");
	StreamTracker w(0, 0x200, "pgcdc.heartbeat");
	EXPECT_EQ(Feed(w, {{Msg(false, "m"), 0x201}}), "X");
	/* A heartbeat ending at endpos: not written, but the end. */
	StreamTracker x(0, 0x200, "pgcdc.heartbeat");
	EXPECT_EQ(Feed(x, {{Msg(false, "pgcdc.heartbeat"), 0x200}}), "S!");
}

TEST(Framing, Keepalives)
{
	StreamTracker t(0x100, 0, "pgcdc.heartbeat");
	Decision d = t.OnKeepalive(0x180);
	EXPECT_EQ(d.boundary, 0x180u);
	EXPECT_EQ(d.verdict, Verdict::Skip);
	/* No going back, and nothing new is no boundary. */
	EXPECT_EQ(t.OnKeepalive(0x150).boundary, 0u);
	EXPECT_EQ(t.OnKeepalive(0x180).boundary, 0u);
	/* Inside a transaction a keepalive confirms nothing. */
	EXPECT_EQ(Feed(t, {{B("0/200"), 0x1F0}}), "W");
	EXPECT_EQ(t.OnKeepalive(0x1F8).boundary, 0u);
	EXPECT_EQ(Feed(t, {{C("0/220"), 0x220}}), "W");
	EXPECT_EQ(t.OnKeepalive(0x300).boundary, 0x300u);
	/* A unit the keepalive already covered is not written again. */
	EXPECT_EQ(Feed(t, {{Msg(false, "m"), 0x2F0}}), "S");
	EXPECT_EQ(Feed(t, {{Msg(false, "m"), 0x300}}), "S");
}

TEST(Framing, KeepalivePastEndposStops)
{
	StreamTracker t(0, 0x300, "pgcdc.heartbeat");
	EXPECT_EQ(t.OnKeepalive(0x2FF).verdict, Verdict::Skip);
	EXPECT_EQ(t.OnKeepalive(0x300).verdict, Verdict::Stop);
	StreamTracker u(0, 0x300, "pgcdc.heartbeat");
	EXPECT_EQ(Feed(u, {{B("0/200"), 0x100}}), "W");
	EXPECT_EQ(u.OnKeepalive(0x400).verdict, Verdict::Skip); /* the open transaction comes first */
}

TEST(Framing, RestartDropsTheOpenTransaction)
{
	StreamTracker t(0, 0, "pgcdc.heartbeat");
	EXPECT_EQ(Feed(t, {{B("0/100"), 0x90}, {C("0/130"), 0x130}, {B("0/200"), 0x190}, {kInsert, 0x190}}),
	          "WWWW");
	EXPECT_TRUE(t.InTransaction());
	t.Restart(0x130);
	EXPECT_FALSE(t.InTransaction());
	/* The server sends the broken transaction again, from its B. */
	EXPECT_EQ(Feed(t, {{B("0/200"), 0x190}, {kInsert, 0x190}, {C("0/230"), 0x230}}), "WWW");
}

TEST(Framing, BrokenFramingIsAnError)
{
	auto fails = [](std::vector<std::pair<std::string, uint64_t>> records, const std::string &expect) {
		StreamTracker t(0, 0, "pgcdc.heartbeat");
		Decision d;
		std::string err;
		for (size_t i = 0; i + 1 < records.size(); i++)
			ASSERT_TRUE(t.OnRecord(records[i].first, records[i].second, &d, &err)) << err;
		EXPECT_FALSE(t.OnRecord(records.back().first, records.back().second, &d, &err));
		EXPECT_EQ(err.substr(0, expect.size()), expect);
	};
	fails({{B("0/100"), 1}, {B("0/200"), 2}}, "a B record inside the transaction that began at 0/100");
	fails({{C("0/100"), 1}}, "a C record outside any transaction");
	fails({{kInsert, 1}}, "a I record outside any transaction");
	fails({{Msg(true, "p"), 1}}, "a M record outside any transaction");
	fails({{B("0/100"), 1}, {Msg(false, "p"), 2}}, "a non-transactional message inside the transaction");
}
