/*
 * record.cpp: framing records.
 */
#include "record.hpp"

#include "datetime.hpp"
#include "json.hpp"
#include "lsn.hpp"
#include "numbers.hpp"

namespace pgcdc
{

void WriteBeginRecord(Sink &out, uint32_t xid, uint64_t commit_lsn, int64_t commit_time)
{
	out.literal("{\"op\":\"B\",\"xid\":");
	WriteUInt64(out, xid);
	out.literal(",\"lsn\":");
	WriteLsnString(out, commit_lsn);
	out.literal(",\"ts\":");
	WriteTimestamp(out, commit_time, true);
	out.put('}');
}

void WriteCommitRecord(Sink &out, uint32_t xid, uint64_t end_lsn, int64_t commit_time, uint64_t nchanges)
{
	out.literal("{\"op\":\"C\",\"xid\":");
	WriteUInt64(out, xid);
	out.literal(",\"lsn\":");
	WriteLsnString(out, end_lsn);
	out.literal(",\"ts\":");
	WriteTimestamp(out, commit_time, true);
	out.literal(",\"n\":");
	WriteUInt64(out, nchanges);
	out.put('}');
}

namespace
{

/* {"op":"M"[,"lsn":"..."],"transactional":true,"prefix":"app"; returns the prefix's replaced bytes. */
size_t WriteMessageStart(Sink &out, const uint64_t *lsn, bool transactional, const char *prefix,
                         size_t prefix_len, bool ascii_only)
{
	WriteChangeRecordStart(out, 'M', lsn);
	if (transactional)
		out.literal(",\"transactional\":true,\"prefix\":");
	else
		out.literal(",\"transactional\":false,\"prefix\":");
	return WriteJsonString(out, prefix, prefix_len, ascii_only);
}

void WriteReplacedAndClose(Sink &out, size_t replaced)
{
	if (replaced > 0)
		out.literal(",\"replaced\":true");
	out.put('}');
}

} // namespace

void WriteMessageRecord(Sink &out, const uint64_t *lsn, bool transactional, const char *prefix,
                        size_t prefix_len, const char *content, size_t content_len, bool may_be_text,
                        bool ascii_only)
{
	size_t replaced = WriteMessageStart(out, lsn, transactional, prefix, prefix_len, ascii_only);
	out.literal(",\"content\":");
	/* Text when it is UTF-8 without NUL bytes (which PostgreSQL's text and jsonb cannot hold). */
	if (may_be_text && Utf8Valid(content, content_len) &&
	    std::memchr(content, '\0', content_len) == nullptr) {
		WriteJsonString(out, content, content_len, ascii_only);
	} else {
		WriteBase64String(out, reinterpret_cast<const unsigned char *>(content), content_len);
		out.literal(",\"encoding\":\"base64\"");
	}
	WriteReplacedAndClose(out, replaced);
}

void WriteMessageRecordOmitted(Sink &out, const uint64_t *lsn, bool transactional, const char *prefix,
                               size_t prefix_len, bool ascii_only)
{
	size_t replaced = WriteMessageStart(out, lsn, transactional, prefix, prefix_len, ascii_only);
	out.literal(",\"omitted\":[\"content\"]");
	WriteReplacedAndClose(out, replaced);
}

void WriteChangeRecordStart(Sink &out, char op, const uint64_t *lsn)
{
	out.reserve(12);
	std::memcpy(out.cur, "{\"op\":\"X\"", 9);
	out.cur[7] = op;
	out.cur += 9;
	if (lsn) {
		out.literal(",\"lsn\":");
		WriteLsnString(out, *lsn);
	}
}

} // namespace pgcdc
