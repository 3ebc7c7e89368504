/*
 * framing.cpp: record classification and the unit state machine.
 */
#include "framing.hpp"

#include <utility>

#include "lsn.hpp"

namespace pgcdc
{

namespace
{

/* If s starts with lit, drops it and returns true. */
bool Eat(std::string_view *s, std::string_view lit)
{
	if (s->substr(0, lit.size()) != lit)
		return false;
	s->remove_prefix(lit.size());
	return true;
}

/* Takes a JSON string body up to its closing quote (escapes kept as written). */
bool EatStringBody(std::string_view *s, std::string_view *body)
{
	for (size_t i = 0; i < s->size(); i++) {
		if ((*s)[i] == '\\')
			i++;
		else if ((*s)[i] == '"') {
			*body = s->substr(0, i);
			s->remove_prefix(i + 1);
			return true;
		}
	}
	return false;
}

bool EatLsn(std::string_view *s, uint64_t *lsn)
{
	std::string_view text;
	return Eat(s, "\"lsn\":\"") && EatStringBody(s, &text) && ParseLsn(text, lsn);
}

std::string Shorten(std::string_view record)
{
	constexpr size_t kMax = 80;
	if (record.size() <= kMax)
		return std::string(record);
	return std::string(record.substr(0, kMax)) + "...";
}

} // namespace

bool ClassifyRecord(std::string_view record, RecordInfo *info, std::string *error)
{
	std::string_view s = record;
	if (!Eat(&s, "{\"op\":\"") || s.size() < 2 || s[1] != '"') {
		*error = "a record does not start with {\"op\":\"X\": " + Shorten(record);
		return false;
	}
	RecordInfo r;
	r.op = s[0];
	s.remove_prefix(2);
	switch (r.op) {
	case 'B':
	case 'C': {
		/* ,"xid":N,"lsn":"X/X" */
		size_t digits = 0;
		if (Eat(&s, ",\"xid\":"))
			while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9')
				digits++;
		s.remove_prefix(digits);
		if (digits == 0 || !Eat(&s, ",") || !EatLsn(&s, &r.lsn)) {
			*error = std::string("a ") + r.op + " record without xid and lsn: " + Shorten(record);
			return false;
		}
		break;
	}
	case 'M': {
		uint64_t ignored;
		if (Eat(&s, ",") && s.substr(0, 6) == "\"lsn\":" && !(EatLsn(&s, &ignored) && Eat(&s, ","))) {
			*error = "an M record with a malformed lsn: " + Shorten(record);
			return false;
		}
		if (Eat(&s, "\"transactional\":true"))
			r.transactional = true;
		else if (Eat(&s, "\"transactional\":false"))
			r.transactional = false;
		else {
			*error = "an M record without \"transactional\": " + Shorten(record);
			return false;
		}
		if (!Eat(&s, ",\"prefix\":\"") || !EatStringBody(&s, &r.prefix)) {
			*error = "an M record without \"prefix\": " + Shorten(record);
			return false;
		}
		break;
	}
	case 'I':
	case 'U':
	case 'D':
	case 'T':
		break;
	default:
		*error = std::string("a record of unknown op \"") + r.op + "\": " + Shorten(record);
		return false;
	}
	*info = r;
	return true;
}

StreamTracker::StreamTracker(uint64_t position, uint64_t endpos, std::string heartbeat_prefix)
    : position_(position), endpos_(endpos), heartbeat_prefix_(std::move(heartbeat_prefix))
{
}

bool StreamTracker::OnRecord(std::string_view record, uint64_t data_start, Decision *decision,
                             std::string *error)
{
	RecordInfo info;
	if (!ClassifyRecord(record, &info, error))
		return false;
	Decision d;
	switch (info.op) {
	case 'B':
		if (in_txn_) {
			*error = "a B record inside the transaction that began at " + LsnToString(txn_commit_lsn_) +
			         ": the stream lost its framing";
			return false;
		}
		if (endpos_ != 0 && info.lsn >= endpos_) {
			d.verdict = Verdict::Stop;
			break;
		}
		in_txn_ = true;
		txn_commit_lsn_ = info.lsn;
		skip_txn_ = info.lsn < position_;
		d.verdict = skip_txn_ ? Verdict::Skip : Verdict::Write;
		break;
	case 'C':
		if (!in_txn_) {
			*error = "a C record outside any transaction (pgcdc stream needs the B and C records of "
			         "include-transaction)";
			return false;
		}
		in_txn_ = false;
		if (skip_txn_)
			break;
		position_ = info.lsn > position_ ? info.lsn : position_;
		transactions_++;
		d.verdict = Verdict::Write;
		d.boundary = position_;
		d.stop_after = endpos_ != 0 && info.lsn >= endpos_;
		break;
	case 'M':
		if (!info.transactional) {
			if (in_txn_) {
				*error = "a non-transactional message inside the transaction that began at " +
				         LsnToString(txn_commit_lsn_);
				return false;
			}
			/* data_start is the message's LSN: the end of its WAL record. */
			if (endpos_ != 0 && data_start > endpos_) {
				d.verdict = Verdict::Stop;
				break;
			}
			if (data_start <= position_)
				break;
			position_ = data_start;
			d.verdict = info.prefix == heartbeat_prefix_ ? Verdict::Skip : Verdict::Write;
			d.boundary = data_start;
			d.stop_after = endpos_ != 0 && data_start >= endpos_;
			break;
		}
		/* a transactional message is a record of its transaction */
		[[fallthrough]];
	default:
		if (!in_txn_) {
			*error = std::string("a ") + info.op +
			         " record outside any transaction (pgcdc stream needs the B and C records of "
			         "include-transaction)";
			return false;
		}
		d.verdict = skip_txn_ ? Verdict::Skip : Verdict::Write;
	}
	*decision = d;
	return true;
}

Decision StreamTracker::OnKeepalive(uint64_t wal_end)
{
	Decision d;
	if (in_txn_)
		return d;
	if (wal_end > position_) {
		position_ = wal_end;
		d.boundary = wal_end;
	}
	if (endpos_ != 0 && wal_end >= endpos_)
		d.verdict = Verdict::Stop;
	return d;
}

void StreamTracker::Restart(uint64_t position)
{
	position_ = position;
	in_txn_ = false;
	skip_txn_ = false;
}

} // namespace pgcdc
