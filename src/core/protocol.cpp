/*
 * protocol.cpp: replication protocol messages and commands.
 */
#include "protocol.hpp"

#include <chrono>

#include "lsn.hpp"

namespace pgcdc
{

namespace
{

uint64_t GetU64(const char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | static_cast<unsigned char>(p[i]);
	return v;
}

void PutU64(char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = static_cast<char>(v & 0xFF);
		v >>= 8;
	}
}

constexpr size_t kXLogDataHeader = 1 + 8 + 8 + 8;
constexpr size_t kKeepaliveSize = 1 + 8 + 8 + 1;

std::string Quote(std::string_view text, char quote)
{
	std::string out;
	out.reserve(text.size() + 2);
	out += quote;
	for (char c : text) {
		if (c == quote)
			out += quote;
		out += c;
	}
	out += quote;
	return out;
}

} // namespace

int64_t PgNowMicros()
{
	auto now = std::chrono::system_clock::now().time_since_epoch();
	return std::chrono::duration_cast<std::chrono::microseconds>(now).count() - kPgEpochOffsetMicros;
}

bool ParseCopyMessage(const char *buf, size_t len, CopyMessage *msg, std::string *error)
{
	if (len == 0) {
		*error = "empty CopyData message";
		return false;
	}
	switch (buf[0]) {
	case 'w':
		if (len < kXLogDataHeader) {
			*error = "XLogData message of " + std::to_string(len) + " bytes is shorter than its header";
			return false;
		}
		msg->kind = CopyMessageKind::XLogData;
		msg->xlog.data_start = GetU64(buf + 1);
		msg->xlog.wal_end = GetU64(buf + 9);
		msg->xlog.send_time = static_cast<int64_t>(GetU64(buf + 17));
		msg->xlog.data = buf + kXLogDataHeader;
		msg->xlog.len = len - kXLogDataHeader;
		return true;
	case 'k':
		if (len < kKeepaliveSize) {
			*error = "keepalive message of " + std::to_string(len) + " bytes, expected " +
			         std::to_string(kKeepaliveSize);
			return false;
		}
		msg->kind = CopyMessageKind::Keepalive;
		msg->keepalive.wal_end = GetU64(buf + 1);
		msg->keepalive.send_time = static_cast<int64_t>(GetU64(buf + 9));
		msg->keepalive.reply_requested = buf[17] != 0;
		return true;
	default: {
		unsigned char c = static_cast<unsigned char>(buf[0]);
		char code[8];
		if (c >= 0x20 && c < 0x7F) {
			code[0] = '\'';
			code[1] = static_cast<char>(c);
			code[2] = '\'';
			code[3] = '\0';
		} else {
			static constexpr char kHex[] = "0123456789abcdef";
			code[0] = '0';
			code[1] = 'x';
			code[2] = kHex[c >> 4];
			code[3] = kHex[c & 0xF];
			code[4] = '\0';
		}
		*error = std::string("unexpected CopyData message type ") + code;
		return false;
	}
	}
}

void BuildStatusUpdate(char *out, uint64_t write, uint64_t flush, uint64_t apply, int64_t now,
                       bool reply_requested)
{
	out[0] = 'r';
	PutU64(out + 1, write);
	PutU64(out + 9, flush);
	PutU64(out + 17, apply);
	PutU64(out + 25, static_cast<uint64_t>(now));
	out[33] = reply_requested ? 1 : 0;
}

std::string QuoteReplicationIdent(std::string_view name)
{
	return Quote(name, '"');
}

std::string QuoteReplicationLiteral(std::string_view value)
{
	return Quote(value, '\'');
}

std::string BuildStartReplication(std::string_view slot, uint64_t start,
                                  const std::vector<PluginOption> &options)
{
	std::string cmd =
	    "START_REPLICATION SLOT " + QuoteReplicationIdent(slot) + " LOGICAL " + LsnToString(start);
	for (size_t i = 0; i < options.size(); i++) {
		cmd += i == 0 ? " (" : ", ";
		cmd += QuoteReplicationIdent(options[i].name);
		if (options[i].has_value) {
			cmd += ' ';
			cmd += QuoteReplicationLiteral(options[i].value);
		}
	}
	if (!options.empty())
		cmd += ')';
	return cmd;
}

} // namespace pgcdc
