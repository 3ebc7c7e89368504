/*
 * record.hpp: the framing records of the pgcdc JSON contract (B, C and M records and the start
 * of change records), so their exact bytes are defined and unit-tested in one place.
 *
 * Keys come in the contract's order; optional keys ("lsn" and the message "encoding") come right
 * where docs/contract.md documents them. The plugin writes the body of I/U/D/T records itself from its
 * relation cache, through the same sink.
 */
#pragma once

#include <cstddef>
#include <cstdint>

#include "core_fence.hpp"
#include "sink.hpp"

namespace pgcdc
{

/* {"op":"B","xid":741,"lsn":"0/1A2B3C8","ts":"2026-11-21T10:00:00.123456Z"} */
void WriteBeginRecord(Sink &out, uint32_t xid, uint64_t commit_lsn, int64_t commit_time);

/* {"op":"C","xid":741,"lsn":"0/1A2B4F0","ts":"...","n":3} */
void WriteCommitRecord(Sink &out, uint32_t xid, uint64_t end_lsn, int64_t commit_time, uint64_t nchanges);

/*
 * {"op":"M"[,"lsn":"..."],"transactional":true,"prefix":"app","content":"hello"}. lsn is written
 * when non-null. prefix must already be UTF-8 (in ascii_only mode it is written with \u escapes).
 *
 * content is written as a JSON string when may_be_text and it is UTF-8 without NUL bytes (which
 * PostgreSQL's text and jsonb cannot hold); otherwise as base64, followed by
 * ,"encoding":"base64". The caller passes may_be_text false for content that it knows is not
 * text (bytes not valid in the database's encoding), even if they happen to be UTF-8.
 *
 * A prefix that is not UTF-8 (only possible in a SQL_ASCII database) has its bad bytes replaced by
 * U+FFFD, and the record ends with ,"replaced":true.
 */
void WriteMessageRecord(Sink &out, const uint64_t *lsn, bool transactional, const char *prefix,
                        size_t prefix_len, const char *content, size_t content_len, bool may_be_text,
                        bool ascii_only);

/*
 * {"op":"M"[,"lsn":"..."],"transactional":true,"prefix":"app","omitted":["content"]}: a message
 * whose record would exceed max-record-bytes, with oversized-records=omit-values.
 */
void WriteMessageRecordOmitted(Sink &out, const uint64_t *lsn, bool transactional, const char *prefix,
                               size_t prefix_len, bool ascii_only);

/* {"op":"X"[,"lsn":"..."] : the open start of an I, U, D or T record. */
void WriteChangeRecordStart(Sink &out, char op, const uint64_t *lsn);

} // namespace pgcdc
