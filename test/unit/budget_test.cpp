/*
 * Unit tests for src/core/budget: the exact limit, what happens past it (memory stays bounded, the
 * record can be cut back), inner buffers that move, and the writers' kMaxReserve promise.
 */
#include "budget.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "json.hpp"
#include "numbers.hpp"
#include "record.hpp"

using namespace pgcdc;

namespace
{

/* Counts on_over calls. */
void CountOver(void *arg)
{
	++*static_cast<int *>(arg);
}

/* Writes n copies of c through the bounded sink, as writers do (reserve, then write). */
void Fill(Sink &s, size_t n, char c = 'a')
{
	std::string text(n, c);
	s.append(text.data(), text.size());
}

/* A record of len bytes of plain text inside a JSON string: 2 + (len - 2) bytes. */
void WriteQuoted(Sink &s, size_t len)
{
	std::string text(len - 2, 'x');
	WriteJsonString(s, text.data(), text.size());
}

/*
 * An inner sink over a std::string that remembers the largest reservation it was asked for and,
 * like the plugin's batch buffer, can drop a prefix (move the record to the front) when it grows.
 */
struct ProbeSink : Sink {
	std::string buf = std::string(16, '\0');
	size_t max_need = 0;
	size_t drop_prefix_at_grow = 0; /* bytes to drop from the front at the next grow */

	ProbeSink()
	{
		cur = &buf[0];
		end = cur + buf.size();
		grow = Grow;
		state = this;
	}
	size_t used() const { return static_cast<size_t>(cur - buf.data()); }
	std::string str() const { return buf.substr(0, used()); }
	static void Grow(Sink &s, size_t need)
	{
		auto *self = static_cast<ProbeSink *>(s.state);
		self->max_need = std::max(self->max_need, need);
		size_t used = self->used();
		if (self->drop_prefix_at_grow > 0) {
			self->buf.erase(0, self->drop_prefix_at_grow);
			used -= self->drop_prefix_at_grow;
			self->drop_prefix_at_grow = 0;
		}
		size_t want = std::max(self->buf.size() * 2, used + need);
		self->buf.resize(want);
		self->cur = &self->buf[0] + used;
		self->end = &self->buf[0] + self->buf.size();
	}
};

} // namespace

TEST(Budget, ARecordOfExactlyTheLimitFits)
{
	for (size_t limit : {size_t(2), size_t(17), size_t(1024), size_t(100000), size_t(300000)}) {
		ProbeSink inner;
		BoundedSink b;
		int overs = 0;
		BoundedBegin(&b, &inner, limit, CountOver, &overs);
		WriteQuoted(b.out, limit);
		EXPECT_FALSE(BoundedOver(b)) << limit;
		EXPECT_EQ(BoundedLength(b), limit);
		BoundedEnd(&b);
		EXPECT_EQ(inner.used(), limit);
		EXPECT_EQ(overs, 0);
		EXPECT_EQ(inner.str(), "\"" + std::string(limit - 2, 'x') + "\"");
	}
}

TEST(Budget, OneByteMoreIsOver)
{
	for (size_t limit : {size_t(2), size_t(17), size_t(1024), size_t(100000), size_t(300000)}) {
		ProbeSink inner;
		BoundedSink b;
		BoundedBegin(&b, &inner, limit, nullptr, nullptr);
		WriteQuoted(b.out, limit + 1);
		EXPECT_TRUE(BoundedOver(b)) << limit;
	}
}

TEST(Budget, ReservationsBeyondTheLimitAreNotOverflows)
{
	/* The escaper reserves 6 bytes per input byte: a short plain string near the limit still fits. */
	ProbeSink inner;
	BoundedSink b;
	int overs = 0;
	BoundedBegin(&b, &inner, 1000, CountOver, &overs);
	Fill(b.out, 990);
	WriteJsonString(b.out, "12345678", 8); /* reserves far more than the 10 bytes it writes */
	EXPECT_FALSE(BoundedOver(b));
	EXPECT_EQ(BoundedLength(b), 1000u);
	EXPECT_EQ(overs, 0);
}

TEST(Budget, OnOverIsCalledOnceWhenGrowFindsTheRecordPastItsLimit)
{
	ProbeSink inner;
	BoundedSink b;
	int overs = 0;
	BoundedBegin(&b, &inner, 100, CountOver, &overs);
	Fill(b.out, 5000); /* one reservation: granted, as the record was within its limit */
	EXPECT_EQ(overs, 0);
	EXPECT_TRUE(BoundedOver(b));
	Fill(b.out, 10);
	EXPECT_EQ(overs, 1);
	Fill(b.out, 5000);
	EXPECT_EQ(overs, 1);
	EXPECT_EQ(BoundedLength(b), 5000u);
	/* Past the limit at the end of a write, without another grow: over all the same. */
	ProbeSink inner2;
	BoundedSink b2;
	int overs2 = 0;
	BoundedBegin(&b2, &inner2, 100, CountOver, &overs2);
	Fill(b2.out, 99);
	WriteJsonString(b2.out, "abc", 3);
	EXPECT_EQ(overs2, 0);
	EXPECT_TRUE(BoundedOver(b2));
}

TEST(Budget, PastTheLimitMemoryStaysBounded)
{
	/* 10 MB of control characters, escaped to 60 MB, into a 4 kB record. */
	ProbeSink inner;
	BoundedSink b;
	BoundedBegin(&b, &inner, 4096, nullptr, nullptr);
	WriteJsonString(b.out, "{", 1);
	std::string controls(10 * 1024 * 1024, '\x01');
	WriteJsonString(b.out, controls.data(), controls.size());
	EXPECT_TRUE(BoundedOver(b));
	EXPECT_LE(inner.buf.size(), size_t(4096 + 4 * kMaxReserve));
	EXPECT_LE(inner.max_need, kMaxReserve);
	EXPECT_LE(BoundedLength(b), 4096 + kMaxReserve);
}

TEST(Budget, RewindLeavesAValueOutAndGoesOn)
{
	ProbeSink inner;
	Fill(inner, 3, 'p'); /* bytes before the record, as in a batch */
	BoundedSink b;
	BoundedBegin(&b, &inner, 200, nullptr, nullptr);
	b.out.literal("{\"a\":1");
	size_t mark = BoundedLength(b);
	b.out.literal(",\"big\":");
	std::string big(100000, '\n');
	WriteJsonString(b.out, big.data(), big.size());
	ASSERT_TRUE(BoundedOver(b));
	BoundedRewind(&b, mark);
	EXPECT_FALSE(BoundedOver(b));
	EXPECT_EQ(BoundedLength(b), mark);
	b.out.literal(",\"c\":2}");
	BoundedEnd(&b);
	EXPECT_EQ(inner.str(), "ppp{\"a\":1,\"c\":2}");
}

TEST(Budget, RewindAfterGoingOverWithoutGrow)
{
	ProbeSink inner;
	BoundedSink b;
	BoundedBegin(&b, &inner, 10, nullptr, nullptr);
	b.out.literal("0123456789");
	b.out.literal("ab"); /* the window ended at the limit: grow, which lets it pass */
	EXPECT_TRUE(BoundedOver(b));
	BoundedRewind(&b, 10);
	EXPECT_FALSE(BoundedOver(b));
	BoundedEnd(&b);
	EXPECT_EQ(inner.str(), "0123456789");
}

TEST(Budget, SetLimitKeepsRoomForTheEnd)
{
	ProbeSink inner;
	BoundedSink b;
	BoundedBegin(&b, &inner, 100, nullptr, nullptr);
	BoundedSetLimit(&b, 90);
	Fill(b.out, 91);
	EXPECT_TRUE(BoundedOver(b));
	BoundedRewind(&b, 80);
	BoundedSetLimit(&b, 100);
	Fill(b.out, 20);
	EXPECT_FALSE(BoundedOver(b));
	EXPECT_EQ(BoundedLength(b), 100u);
}

TEST(Budget, TheInnerBufferMayMoveTheRecord)
{
	/* The plugin's batch buffer sends what was pending before a big record and moves it forward. */
	ProbeSink inner;
	Fill(inner, 10, 'p');
	inner.put('\n');
	BoundedSink b;
	BoundedBegin(&b, &inner, 50000, nullptr, nullptr);
	b.out.literal("{\"a\":\"");
	inner.drop_prefix_at_grow = 11;
	Fill(b.out, 40000, 'z');
	b.out.literal("\"}");
	EXPECT_FALSE(BoundedOver(b));
	EXPECT_EQ(BoundedLength(b), 40008u);
	BoundedEnd(&b);
	EXPECT_EQ(inner.str(), "{\"a\":\"" + std::string(40000, 'z') + "\"}");
}

TEST(Budget, NoWriterReservesMoreThankMaxReserve)
{
	ProbeSink inner;
	std::string plain(3 * 1024 * 1024, 'a');
	std::string controls(1024 * 1024, '\x02');
	std::string json = "{\"k\":\"" + plain + "\",\"n\":" + std::string(200000, '7') + "}";
	WriteJsonString(inner, plain.data(), plain.size());
	WriteJsonString(inner, controls.data(), controls.size(), true);
	WriteJsonMinified(inner, json.data(), json.size());
	WriteBase64String(inner, reinterpret_cast<const unsigned char *>(plain.data()), plain.size());
	WriteByteaHexString(inner, reinterpret_cast<const unsigned char *>(plain.data()), plain.size());
	WriteNumericText(inner, plain.data(), 200000, true);
	WriteNumericText(inner, plain.data(), 200000, false);
	WriteMessageRecord(inner, nullptr, true, "p", 1, plain.data(), plain.size(), true, false);
	inner.append(plain.data(), plain.size());
	EXPECT_LE(inner.max_need, kMaxReserve);
	EXPECT_GT(inner.used(), 20u * 1024 * 1024);
}

TEST(Budget, PiecesWriteWhatOneReservationDid)
{
	/* base64 and hex in pieces: every length around the piece boundaries. */
	std::vector<unsigned char> data(3 * 4096 + 5);
	for (size_t i = 0; i < data.size(); i++)
		data[i] = static_cast<unsigned char>(i * 7);
	for (size_t n : {size_t(0), size_t(1), size_t(2), size_t(3), size_t(4095), size_t(4096), size_t(4097),
	                 size_t(3 * 4096 - 1), size_t(3 * 4096), size_t(3 * 4096 + 5)}) {
		StringSink hex, b64;
		WriteByteaHexString(hex, data.data(), n);
		WriteBase64String(b64, data.data(), n);
		std::string h = hex.str(), s = b64.str();
		ASSERT_EQ(h.size(), 2 * n + 5) << n;
		EXPECT_EQ(h.substr(0, 4), "\"\\\\x");
		for (size_t i = 0; i < n; i++) {
			static const char kHex[] = "0123456789abcdef";
			ASSERT_EQ(h[4 + 2 * i], kHex[data[i] >> 4]) << n << " " << i;
			ASSERT_EQ(h[5 + 2 * i], kHex[data[i] & 15]) << n << " " << i;
		}
		EXPECT_EQ(s.size(), (n + 2) / 3 * 4 + 2) << n;
		EXPECT_EQ(s.front(), '"');
		EXPECT_EQ(s.back(), '"');
	}
	StringSink b64;
	WriteBase64String(b64, reinterpret_cast<const unsigned char *>("Man is"), 6);
	EXPECT_EQ(b64.str(), "\"TWFuIGlz\"");
}

TEST(Budget, MessageWithoutContent)
{
	StringSink out;
	uint64_t lsn = 0x16B3748;
	WriteMessageRecordOmitted(out, &lsn, false, "app", 3, false);
	EXPECT_EQ(out.str(), "{\"op\":\"M\",\"lsn\":\"0/"
	                     "16B3748\",\"transactional\":false,\"prefix\":\"app\",\"omitted\":[\"content\"]}");
}
