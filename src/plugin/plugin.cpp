/*
 * plugin.cpp: the pgcdc logical decoding output plugin.
 *
 * Each change becomes one compact JSON record, written as its own message, or with batch-bytes,
 * packed with the other records of its transaction into messages of about that size (PutRecord).
 * Transactions are framed by B and C records, the B written lazily with the first record that
 * survives the filters, so a transaction whose changes are all filtered out writes nothing and only
 * reports progress.
 * The record contract is documented in docs/contract.md; the values' JSON forms in render.cpp.
 *
 * Every callback is extern "C" and keeps C++ objects with destructors out of its frames: options
 * are parsed by the core, which allocates nothing but pattern lists (through palloc) and throws
 * nothing, and its errors are worded and reported here.
 */
#include <new>
#include <type_traits>

#include "budget.hpp"
#include "json.hpp"
#include "options.hpp"
#include "pattern.hpp"
#include "record.hpp"

#include "state.hpp"

extern "C" {
PG_MODULE_MAGIC;

PGDLLEXPORT void _PG_init(void);
PGDLLEXPORT void _PG_output_plugin_init(OutputPluginCallbacks *cb);
}

namespace pgcdc
{

namespace
{

/*
 * Settings that change the text of output functions. Values of "other" types (ranges, composites,
 * user types) are rendered by their output functions, so these are pinned while decoding to make
 * the records independent of the decoding session (the common types never read them).
 * search_path decides which names format_type (include-types) and the reg* types qualify: with
 * only pg_catalog on it, every name outside pg_catalog is schema-qualified; money reads
 * lc_monetary.
 */
constexpr const char *kPinnedSettings[][2] = {
    {"DateStyle", "ISO, YMD"},   {"IntervalStyle", "iso_8601"}, {"TimeZone", "UTC"},
    {"extra_float_digits", "1"}, {"bytea_output", "hex"},       {"search_path", "pg_catalog"},
    {"lc_monetary", "C"},
};
constexpr int kPinnedCount = sizeof(kPinnedSettings) / sizeof(kPinnedSettings[0]);

PluginState *State(LogicalDecodingContext *ctx)
{
	return static_cast<PluginState *>(ctx->output_plugin_private);
}

/* The hint of an option given a value it does not accept, or none: what it accepts. */
int AcceptedValuesHint(const OptionSpec &spec)
{
	switch (spec.kind) {
	case OptionKind::Bool:
		return errhint("Accepted values are PostgreSQL's booleans: true, false, on, off, yes, no, 1, 0.");
	case OptionKind::Enum: {
		StringInfoData list;
		initStringInfo(&list);
		for (const char *const *v = spec.values; *v; v++)
			appendStringInfo(&list, "%s\"%s\"", list.len > 0 ? ", " : "", *v);
		return errhint("Accepted values are %s.", list.data);
	}
	case OptionKind::Actions:
		return errhint("Give a comma-separated list of one or more of \"insert\", \"update\", \"delete\", "
		               "\"truncate\", \"message\".");
	case OptionKind::Integer:
		if (spec.id == OptionId::BatchBytes)
			return errhint(
			    "Accepted values are 0 (one record per message) or a number of bytes from 1 to %u.",
			    spec.max);
		return errhint("Accepted values are numbers of bytes from %u to %u.", spec.min, spec.max);
	case OptionKind::Patterns:
		break;
	}
	return 0;
}

/* The detail of a bad actions list: which item is not an action. */
int BadItemDetail(const OptionError &err)
{
	if (err.spec->kind != OptionKind::Actions)
		return 0;
	if (err.item.empty())
		return errdetail("The list contains an empty item.");
	return errdetail("\"%.*s\" is not an action.", static_cast<int>(err.item.size()), err.item.data());
}

/* Reports a bad option in PostgreSQL's words; name and value as given. */
void ReportOptionError(const OptionError &err, const char *name, const char *value)
{
	const OptionSpec *spec = err.spec;
	switch (err.kind) {
	case OptionError::Kind::Unknown: {
		StringInfoData list;
		initStringInfo(&list);
		for (size_t i = 0; i < kOptionCount; i++)
			appendStringInfo(&list, "%s%s", i > 0 ? ", " : "", kOptions[i].name);
		ereport(ERROR,
		        (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("unrecognized pgcdc option \"%s\"", name),
		         errhint("Valid options are: %s.", list.data)));
		break;
	}
	case OptionError::Kind::Repeated:
		ereport(ERROR,
		        (errcode(ERRCODE_SYNTAX_ERROR), errmsg("conflicting or redundant options"),
		         spec->alias ? errdetail("Option \"%s\" (or its alias \"%s\") is given more than once.",
		                                 spec->name, spec->alias)
		                     : errdetail("Option \"%s\" is given more than once.", spec->name)));
		break;
	case OptionError::Kind::NeedsValue:
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		                errmsg("parameter \"%s\" requires a value", name), AcceptedValuesHint(*spec)));
		break;
	case OptionError::Kind::BadValue:
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		                errmsg("could not parse value \"%s\" for parameter \"%s\"", value, name),
		                BadItemDetail(err), AcceptedValuesHint(*spec)));
		break;
	case OptionError::Kind::BadPattern:
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		                errmsg("invalid pattern in parameter \"%s\" at position %zu: %s", name,
		                       err.pattern.position, _(err.pattern.message)),
		                errdetail("The value is \"%s\".", value)));
		break;
	}
}

void *PallocForOptions(size_t size)
{
	return palloc(size);
}

/* Applies the options in the current memory context, where pattern lists are parsed to. */
void ParseOptions(PluginState *state, List *options)
{
	ListCell *lc;
	foreach (lc, options) {
		DefElem *elem = static_cast<DefElem *>(lfirst(lc));
		const char *value = nullptr;
		if (elem->arg != nullptr) {
			if (!IsA(elem->arg, String))
				elog(ERROR, "option \"%s\" has a value that is not a string", elem->defname);
			value = strVal(elem->arg);
		}
		OptionError err;
		if (!ApplyOption(&state->opts, elem->defname, value, PallocForOptions, &err))
			ReportOptionError(err, elem->defname, value);
	}
}

/* Puts back the settings a walsender saved, if they are still pinned. */
void RestoreSavedSettings(void *arg)
{
	auto *state = static_cast<PluginState *>(arg);
	char **saved = state->saved_settings;
	if (saved == nullptr)
		return;
	state->saved_settings = nullptr;
	for (int i = 0; i < kPinnedCount; i++)
		(void) set_config_option(kPinnedSettings[i][0], saved[i], PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SET,
		                         true, 0, false);
}

/*
 * Pins kPinnedSettings. In a transaction (the SQL functions) the previous values come back at
 * shutdown through a GUC nest level, or by the transaction's abort on error. In a walsender the
 * decoding runs outside any transaction, so the values are set for the session and put back by
 * hand: at shutdown, or, when an error ends the decoding (the walsender then lives on, and takes
 * other commands), when the decoding context is freed, by a reset callback on it.
 */
void PinSessionSettings(LogicalDecodingContext *ctx, PluginState *state)
{
	GucAction action = GUC_ACTION_SET;
	if (IsTransactionState()) {
		state->guc_nest_level = NewGUCNestLevel();
		action = GUC_ACTION_SAVE;
	} else {
		char **saved =
		    static_cast<char **>(MemoryContextAllocZero(ctx->context, sizeof(char *) * kPinnedCount));
		for (int i = 0; i < kPinnedCount; i++)
			saved[i] =
			    MemoryContextStrdup(ctx->context, GetConfigOption(kPinnedSettings[i][0], false, false));
		state->saved_settings = saved;
		state->restore_settings.func = RestoreSavedSettings;
		state->restore_settings.arg = state;
		MemoryContextRegisterResetCallback(ctx->context, &state->restore_settings);
	}
	for (int i = 0; i < kPinnedCount; i++)
		(void) set_config_option(kPinnedSettings[i][0], kPinnedSettings[i][1], PGC_USERSET, PGC_S_SESSION,
		                         action, true, 0, false);
}

void RestoreSessionSettings(PluginState *state)
{
	if (state->guc_nest_level > 0) {
		AtEOXact_GUC(false, state->guc_nest_level);
		state->guc_nest_level = 0;
	} else {
		RestoreSavedSettings(state);
	}
}

/*
 * A change that writes nothing. Before PostgreSQL 16 the walsender only sends keepalives during
 * a long transaction if the plugin reports progress (pgoutput does it every 100 changes), so a
 * large transaction that is filtered out could otherwise make the consumer time out; 16 reports
 * progress from the reorder buffer itself.
 */
void ChangeSkipped(LogicalDecodingContext *ctx, PluginState *state)
{
#if PG_VERSION_NUM < 160000
	if (++state->skipped_changes >= 100) {
		state->skipped_changes = 0;
		OutputPluginUpdateProgress(ctx, false);
	}
#else
	(void) ctx;
	(void) state;
#endif
}

/*
 * Where a record goes. With batch-bytes 0 every record is a message of its own. With batch-bytes
 * > 0 the records of a transaction are appended to state->pending, '\n' between them, and sent
 * from there: once the pending records reach batch-bytes, and at the end of the transaction.
 */
enum class Place : uint8 {
	Own,    /* a message of its own: a non-transactional message */
	Txn,    /* a record of the transaction being decoded */
	TxnEnd, /* the transaction's last record, its C: sent at once with what is pending */
};

/*
 * Sends bytes as one message. Only called from the callback whose record made it due, so in a
 * walsender the message carries that callback's position (a C's: the end of the commit record).
 */
void SendMessage(LogicalDecodingContext *ctx, const char *data, int len)
{
	OutputPluginPrepareWrite(ctx, true);
	appendBinaryStringInfo(ctx->out, data, len);
	OutputPluginWrite(ctx, true);
}

/* Empties the pending buffer; frees it when a record of batch-bytes or more made it outgrow a batch. */
void ClearPending(PluginState *state)
{
	StringInfo p = state->pending;
	if (static_cast<Size>(p->maxlen) > state->pending_keep) {
		pfree(p->data);
		MemoryContext old = MemoryContextSwitchTo(state->batch_cxt);
		initStringInfo(p);
		MemoryContextSwitchTo(old);
	} else {
		resetStringInfo(p);
	}
}

/* Sends the pending records, if any, as one message. */
void FlushPending(LogicalDecodingContext *ctx, PluginState *state)
{
	StringInfo p = state->pending;
	if (p == nullptr || p->len == 0)
		return;
	SendMessage(ctx, p->data, p->len);
	ClearPending(state);
}

/*
 * Grows the batch buffer while a record is written into it. A record that reaches batch-bytes goes
 * out as a message of its own, after what was pending before it: that is sent at once and the
 * record moved to the front, so the buffer never holds a big record behind a batch (a record may
 * be as long as max-record-bytes, the buffer at most 1 GB).
 */
void PendingGrow(Sink &s, size_t need)
{
	auto *state = static_cast<PluginState *>(s.state);
	StringInfo p = state->pending;
	p->len = static_cast<int>(s.cur - p->data);
	int start = state->pending_start;
	if (start > 0 && p->len - start >= static_cast<int>(state->opts.batch_bytes)) {
		SendMessage(state->ctx, p->data, start - 1); /* without the '\n' before the record */
		memmove(p->data, p->data + start, p->len - start);
		p->len -= start;
		state->pending_start = 0;
	}
	enlargeStringInfo(p, static_cast<int>(need));
	s.cur = p->data + p->len;
	s.end = p->data + p->maxlen - 1; /* keep room for the terminating NUL */
}

/* LSN_FORMAT_ARGS, whose type check C++ cannot compile. */
#define PGCDC_LSN_ARGS(lsn) static_cast<uint32>((lsn) >> 32), static_cast<uint32>(lsn)

/* The hint of a record longer than max-record-bytes: how to get past it. */
int OversizedHint(const PluginState *state)
{
	uint32 limit = state->opts.max_record_bytes;
	if (state->opts.oversized == OversizedMode::OmitValues)
		return limit < kMaxRecordBytes ? errhint("Raise max-record-bytes (at most %u).", kMaxRecordBytes) : 0;
	if (limit < kMaxRecordBytes)
		return errhint(
		    "Raise max-record-bytes (at most %u), or give the option oversized-records=omit-values "
		    "to leave out the values that do not fit; the record lists them in \"omitted\".",
		    kMaxRecordBytes);
	return errhint("To decode past it, give the option oversized-records=omit-values: the values that do not "
	               "fit are left out of the record, which lists them in \"omitted\".");
}

/* The detail of a change's record longer than max-record-bytes: where, and in which column. */
int OversizedChangeDetail(const PluginState *state)
{
	const RecordAbout &a = state->about;
	if (state->opts.oversized == OversizedMode::OmitValues)
		return errdetail("Even without its values, the record of the change at %X/%X is longer than that.",
		                 PGCDC_LSN_ARGS(a.lsn));
	if (a.attidx >= 0)
		return errdetail("The change at %X/%X passes the limit in column \"%s\"; decoding stops at this "
		                 "change each time it is retried.",
		                 PGCDC_LSN_ARGS(a.lsn),
		                 NameStr(TupleDescAttr(RelationGetDescr(a.rel), a.attidx)->attname));
	return errdetail("The change is at %X/%X; decoding stops at this change each time it is retried.",
	                 PGCDC_LSN_ARGS(a.lsn));
}

/*
 * Reports a record longer than max-record-bytes: from the record's sink when it goes past the
 * limit (with oversized-records=error), or once the record is written and still too long.
 */
void RecordTooLong(void *arg)
{
	auto *state = static_cast<PluginState *>(arg);
	const RecordAbout &a = state->about;
	uint32 limit = state->opts.max_record_bytes;
	if (a.rel != nullptr) {
		const char *nsp = get_namespace_name(RelationGetNamespace(a.rel));
		ereport(ERROR,
		        (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
		         errmsg("pgcdc record for a change of table \"%s.%s\" exceeds max-record-bytes (%u bytes)",
		                nsp ? nsp : "?", RelationGetRelationName(a.rel), limit),
		         OversizedChangeDetail(state), OversizedHint(state)));
	} else if (a.prefix != nullptr) {
		int len = pg_mbcliplen(a.prefix, static_cast<int>(strlen(a.prefix)), 64);
		ereport(ERROR,
		        (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
		         errmsg("pgcdc record for a logical message with prefix \"%.*s\" exceeds max-record-bytes "
		                "(%u bytes)",
		                len, a.prefix, limit),
		         state->opts.oversized == OversizedMode::OmitValues
		             ? errdetail("Even without its content, the record of the message at %X/%X is longer "
		                         "than that.",
		                         PGCDC_LSN_ARGS(a.lsn))
		             : errdetail("The message is at %X/%X; decoding stops at it each time it is retried.",
		                         PGCDC_LSN_ARGS(a.lsn)),
		         OversizedHint(state)));
	} else {
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
		                errmsg("pgcdc record exceeds max-record-bytes (%u bytes)", limit),
		                errdetail("The record is at %X/%X.", PGCDC_LSN_ARGS(a.lsn)), OversizedHint(state)));
	}
}

/*
 * Writes one record into the sink s through state->rec, which keeps it within max-record-bytes:
 * body(BoundedSink &) writes the record, and may leave values out when it goes past the limit;
 * a record still too long after that is an error.
 */
template <typename Body>
void WriteRecord(PluginState *state, Sink *s, const RecordAbout &about, Body body)
{
	BoundedSink *b = &state->rec;
	state->about = about;
	bool stop = state->opts.oversized == OversizedMode::Error;
	BoundedBegin(b, s, state->opts.max_record_bytes, stop ? RecordTooLong : nullptr, state);
	body(*b);
	if (BoundedOver(*b))
		RecordTooLong(state);
	BoundedEnd(b);
}

/*
 * The one path every record takes to the consumer: body(BoundedSink &) writes the record (see
 * WriteRecord), at the place place says. Without batching, into ctx->out between
 * OutputPluginPrepareWrite and OutputPluginWrite; with batching, into state->pending, which is sent
 * when due. What was pending is less than batch-bytes, so a record of batch-bytes or more goes out
 * alone, after it (PendingGrow sends it already when the record reaches batch-bytes).
 */
template <typename Body>
void PutRecord(LogicalDecodingContext *ctx, PluginState *state, Place place, const RecordAbout &about,
               Body body)
{
	StringInfo p = state->pending;
	if (p == nullptr || place == Place::Own) {
		FlushPending(ctx, state);
		OutputPluginPrepareWrite(ctx, true);
		Sink s = SinkOver(ctx->out);
		WriteRecord(state, &s, about, body);
		SinkFinish(s);
		OutputPluginWrite(ctx, true);
		return;
	}
	int before = p->len;
	Sink s;
	s.cur = p->data + p->len;
	s.end = p->data + p->maxlen - 1;
	s.grow = PendingGrow;
	s.state = state;
	state->pending_start = 0;
	if (before > 0)
		s.put('\n');
	state->pending_start = before > 0 ? before + 1 : 0;
	WriteRecord(state, &s, about, body);
	p->len = static_cast<int>(s.cur - p->data);
	p->data[p->len] = '\0';
	int start = state->pending_start; /* 0 if PendingGrow sent what was before the record */
	int cap = static_cast<int>(state->opts.batch_bytes);
	if (start > 0 && p->len - start >= cap) {
		SendMessage(ctx, p->data, start - 1);
		SendMessage(ctx, p->data + start, p->len - start);
		ClearPending(state);
	} else if (place == Place::TxnEnd || p->len >= cap) {
		FlushPending(ctx, state);
	}
}

/* Writes the B record if this is the first record of the transaction. */
void BeginIfNeeded(LogicalDecodingContext *ctx, PluginState *state, ReorderBufferTXN *txn)
{
	if (state->txn_begun)
		return;
	state->txn_begun = true;
	if (!state->opts.include_transaction)
		return;
	PutRecord(ctx, state, Place::Txn, RecordAbout{'B', nullptr, txn->final_lsn, nullptr, -1},
	          [&](BoundedSink &b) {
		          WriteBeginRecord(b.out, txn->xid, txn->final_lsn, txn->xact_time.commit_time);
	          });
}

/*
 * Notes that the value of column c in section ("key", "old", "new") was written as base64: a JSON
 * Pointer (RFC 6901) to it, for the record's "base64" list. c->key is the name as a JSON string
 * with its colon, and JSON's escapes never produce the two characters a pointer escapes.
 */
void NoteBase64(PluginState *state, const char *section, const ColumnInfo *c)
{
	if (state->base64_ptrs == nullptr)
		state->base64_ptrs = makeStringInfo();
	else
		appendStringInfoChar(state->base64_ptrs, ',');
	appendStringInfo(state->base64_ptrs, "\"/%s/", section);
	for (uint32 i = 1; i + 2 < c->keylen; i++) {
		char ch = c->key[i];
		if (ch == '~')
			appendStringInfoString(state->base64_ptrs, "~0");
		else if (ch == '/')
			appendStringInfoString(state->base64_ptrs, "~1");
		else
			appendStringInfoChar(state->base64_ptrs, ch);
	}
	appendStringInfoChar(state->base64_ptrs, '"');
}

/* A row deformed for writing: values and nulls by attribute of the relation the record names. */
struct Row {
	const Datum *values;
	const bool *nulls;
};

/*
 * Deforms a tuple of rel, whose entry is src, for a record of the relation rec (the same, or its
 * partition-root target, whose attributes src->map locates in rel's).
 */
Row Deform(RelCache *c, const RelData *src, const RelData *rec, HeapTuple tuple, Relation rel)
{
	heap_deform_tuple(tuple, RelationGetDescr(rel), c->values, c->nulls);
	if (src->map == nullptr)
		return Row{c->values, c->nulls};
	for (int i = 0; i < rec->natts; i++) {
		int a = src->map[i];
		c->tvalues[i] = a >= 0 ? c->values[a] : (Datum) 0;
		c->tnulls[i] = a < 0 || c->nulls[a];
	}
	return Row{c->tvalues, c->tnulls};
}

/*
 * Writes {"name":value,...} for the columns of a deformed row; only key columns (keymask, else
 * the columns' own flags) when key_only. With an unchanged array, unchanged TOAST values are left
 * out and their columns' indexes stored there (returns how many); otherwise such values, which
 * cannot occur there, are skipped.
 * When the record goes past its limit in a value: while leaving values out (state->omitted), the
 * value is cut out again and its column left out; otherwise writing stops and -1 is returned.
 * section names the row in the record ("key", "old", "new"), for the "base64" list.
 */
int WriteRow(PluginState *state, BoundedSink &b, const RelData *rec, const bool *keymask, Row row,
             const char *section, bool key_only, int *unchanged)
{
	Sink &s = b.out;
	int nunchanged = 0;
	bool first = true;
	s.put('{');
	for (int i = 0; i < rec->ncols; i++) {
		const ColumnInfo *c = &rec->cols[i];
		if (key_only && !(keymask != nullptr ? keymask[c->attidx] : c->is_key))
			continue;
		if (state->omitted != nullptr && state->omitted[i])
			continue;
		Datum v = row.values[c->attidx];
		bool isnull = row.nulls[c->attidx];
		if (!isnull && c->varlena && VARATT_IS_EXTERNAL_ONDISK(DatumGetPointer(v))) {
			if (unchanged != nullptr)
				unchanged[nunchanged++] = i;
			continue;
		}
		if (BoundedOver(b))
			return -1; /* already too long before this value */
		size_t mark = BoundedLength(b);
		state->about.attidx = c->attidx;
		if (!first)
			s.put(',');
		s.append(c->key, c->keylen);
		bool base64 = false;
		if (isnull)
			s.literal("null");
		else
			base64 = !WriteValue(state, b, &c->type, c->typid, v);
		if (BoundedOver(b)) {
			if (state->omitted == nullptr)
				return -1;
			BoundedRewind(&b, mark);
			state->omitted[i] = true;
			state->omit_again |= state->kept[i];
		} else {
			if (state->kept != nullptr)
				state->kept[i] = true;
			if (base64)
				NoteBase64(state, section, c);
			first = false;
		}
		state->about.attidx = -1;
	}
	s.put('}');
	return nunchanged;
}

/*
 * The end of an I/U/D/T record: the values written as base64, and whether names had bytes that
 * are not UTF-8 (see docs/contract.md).
 */
void WriteRecordEnd(PluginState *state, Sink &s, const RelData *rec)
{
	if (state->base64_ptrs != nullptr) {
		s.literal(",\"base64\":[");
		s.append(state->base64_ptrs->data, static_cast<size_t>(state->base64_ptrs->len));
		s.put(']');
		state->base64_ptrs = nullptr;
	}
	if (rec->names_replaced)
		s.literal(",\"replaced\":true");
	s.put('}');
}

/* Writes name (,"list":[) and the columns idx[0..n) of rec, then ']'; nothing when n is 0. */
void WriteColumnList(Sink &s, const char *name, size_t namelen, const RelData *rec, const int *idx, int n)
{
	if (n == 0)
		return;
	s.append(name, namelen);
	for (int k = 0; k < n; k++) {
		const ColumnInfo *c = &rec->cols[idx[k]];
		if (k > 0)
			s.put(',');
		s.append(c->key, c->keylen - 1); /* the key without its colon */
	}
	s.put(']');
}

/*
 * One attempt at a change's record; false when it went past its limit. Values are kept within
 * values_limit, so that the lists that end the record fit within max-record-bytes. The change is
 * to rel, whose entry is src; the record is written as a change of rec: rel's own entry, or with
 * partition-root its target's. The key mode and key columns are src's (what the WAL holds for
 * rel), the names, columns and types rec's.
 */
bool WriteChangeAttempt(BoundedSink &b, PluginState *state, const RelData *src, const RelData *rec,
                        Relation rel, ReorderBufferChange *change, char op, size_t values_limit)
{
	RelCache *c = &state->cache;
	HeapTuple oldtuple = PGCDC_CHANGE_TUPLE(change->data.tp.oldtuple);
	HeapTuple newtuple = PGCDC_CHANGE_TUPLE(change->data.tp.newtuple);
	uint64 lsn = change->lsn;
	Sink &s = b.out;

	state->base64_ptrs = nullptr;
	BoundedSetLimit(&b, values_limit);
	WriteChangeRecordStart(s, op, state->opts.include_lsn ? &lsn : nullptr);
	s.append(rec->ident, rec->identlen);
	if (rec->typeslen > 0)
		s.append(rec->types, rec->typeslen);

	Row row{};
	HeapTuple deformed = nullptr;
	if (op != 'I' && src->keymode != KeyMode::None) {
		/*
		 * "key" comes from the old row when the WAL has one (key changed, DELETE, FULL); with
		 * an index identity and an unchanged key, from the new row. FULL adds "old".
		 */
		HeapTuple keysrc =
		    oldtuple != nullptr ? oldtuple : (src->keymode == KeyMode::Identity ? newtuple : nullptr);
		if (keysrc != nullptr) {
			row = Deform(c, src, rec, keysrc, rel);
			deformed = keysrc;
			s.literal(",\"key\":");
			if (WriteRow(state, b, rec, src->keymask, row, "key", true, nullptr) < 0)
				return false;
			if (src->keymode == KeyMode::Full && oldtuple != nullptr) {
				s.literal(",\"old\":");
				if (WriteRow(state, b, rec, nullptr, row, "old", false, nullptr) < 0)
					return false;
			}
		}
	}
	int nunchanged = 0;
	if (op != 'D' && newtuple != nullptr) {
		if (deformed != newtuple)
			row = Deform(c, src, rec, newtuple, rel);
		s.literal(",\"new\":");
		nunchanged = WriteRow(state, b, rec, nullptr, row, "new", false, c->unchanged);
		if (nunchanged < 0)
			return false;
	}
	BoundedSetLimit(&b, state->opts.max_record_bytes);
	WriteColumnList(s, ",\"unchanged\":[", 14, rec, c->unchanged, nunchanged);
	if (state->omitted != nullptr) {
		int n = 0;
		for (int i = 0; i < rec->ncols; i++) {
			if (state->omitted[i])
				c->unchanged[n++] = i; /* the list of unchanged columns is written: reuse it */
		}
		WriteColumnList(s, ",\"omitted\":[", 12, rec, c->unchanged, n);
	}
	WriteRecordEnd(state, s, rec);
	return !BoundedOver(b);
}

/*
 * Writes a change's record. One longer than max-record-bytes is an error, or with
 * oversized-records=omit-values, written again leaving out each value that does not fit (in the
 * order values are written), with room kept for the lists that end the record, and listing their
 * columns in "omitted". A column left out is left out of key, old and new alike: when one was
 * already written earlier in the record, the record is written once more without it.
 */
void WriteChange(BoundedSink &b, PluginState *state, const RelData *src, const RelData *rec, Relation rel,
                 ReorderBufferChange *change, char op)
{
	size_t limit = state->opts.max_record_bytes;
	state->omitted = nullptr;
	state->kept = nullptr;
	if (WriteChangeAttempt(b, state, src, rec, rel, change, op, limit) ||
	    state->opts.oversized == OversizedMode::Error)
		return; /* it fits, or WriteRecord reports it */

	size_t lists = 48;                   /* ,"unchanged":[] ,"omitted":[] ,"replaced":true } */
	for (int i = 0; i < rec->ncols; i++) /* "name" in each list, pointers "/section/name" in "base64" */
		lists += 2 * rec->cols[i].keylen + 3 * (rec->cols[i].keylen + 8);
	state->omitted = static_cast<bool *>(palloc0(sizeof(bool) * rec->ncols));
	state->kept = static_cast<bool *>(palloc(sizeof(bool) * rec->ncols));
	do {
		state->omit_again = false;
		memset(state->kept, 0, sizeof(bool) * rec->ncols);
		BoundedRewind(&b, 0);
		if (!WriteChangeAttempt(b, state, src, rec, rel, change, op, limit > lists ? limit - lists : 0))
			break; /* too long without its values: WriteRecord reports it */
	} while (state->omit_again);
	state->omitted = nullptr;
	state->kept = nullptr;
}

/*
 * The entry whose names and columns a record of a change to e's relation takes: e's own, or
 * with partition-root its target's. Call after e's own RelCacheGet; may build the target's entry.
 */
const RelData *RecordLayout(PluginState *state, const RelEntry *e)
{
	const RelData *d = e->data;
	if (d->target == e->relid)
		return d;
	const RelEntry *t = RelCacheGetById(state, d->target, d->target_natts);
	if (!t->emit || t->data->target != t->relid || t->data->natts != d->target_natts)
		elog(ERROR, "pgcdc: the cached layout of relation %u does not fit its partition %u", t->relid,
		     e->relid);
	return t->data;
}

/*
 * partition-root: the T records of a TRUNCATE, as indexes into relations[] (in tops, returning
 * how many). A relation that passes the filters stands for its target when the target is
 * truncated too; otherwise for the topmost of its ancestors that is, or for itself: a T never
 * names a table that was only partly emptied.
 */
int TruncateTops(PluginState *state, int nrelations, Relation relations[], int *tops)
{
	auto index_of = [&](Oid relid) {
		for (int k = 0; k < nrelations; k++) {
			if (RelationGetRelid(relations[k]) == relid)
				return k;
		}
		return -1;
	};
	int ntops = 0;
	for (int i = 0; i < nrelations; i++) {
		const RelEntry *e = RelCacheGet(state, relations[i]);
		if (!e->emit)
			continue;
		const RelData *d = e->data;
		int top = index_of(d->target);
		if (top < 0) {
			top = i;
			for (int k = 0; k < d->nancestors; k++) {
				int a = index_of(d->ancestors[k]);
				if (a >= 0)
					top = a;
			}
		}
		bool seen = false;
		for (int k = 0; k < ntops && !seen; k++)
			seen = tops[k] == top;
		if (!seen)
			tops[ntops++] = top;
	}
	return ntops;
}

/*
 * Writes one record: in the per-change memory context, after the transaction's B when this is its
 * first record (in_txn), counted in the C's n; the context is reset after. A record outside a
 * transaction (a non-transactional message) is a message of its own. body(BoundedSink &) writes
 * the record itself; about says what it is, for errors.
 */
template <typename Body>
void EmitRecord(LogicalDecodingContext *ctx, PluginState *state, ReorderBufferTXN *txn, bool in_txn,
                const RecordAbout &about, Body body)
{
	MemoryContext old = MemoryContextSwitchTo(state->change_cxt);
	if (in_txn)
		BeginIfNeeded(ctx, state, txn);
	PutRecord(ctx, state, in_txn ? Place::Txn : Place::Own, about, body);
	if (in_txn)
		state->txn_nchanges++;
	MemoryContextSwitchTo(old);
	MemoryContextReset(state->change_cxt);
}

} // namespace

} // namespace pgcdc

using namespace pgcdc;

extern "C" {

#if PG_VERSION_NUM >= 180000
/*
 * Replaces the reorder buffer's stream_abort callback: pgcdc never streams in-progress
 * transactions (it has no stream callbacks, so ctx->streaming is false), yet PostgreSQL 18 can
 * call it. When the reorder buffer exceeds logical_decoding_work_mem and the transaction it would
 * spill has already aborted, 18 discards its changes (ReorderBufferCheckAndTruncateAbortedTXN),
 * and ReorderBufferTruncateTXN marks the subtransactions that held changes as streamed; the abort
 * record then calls stream_abort for them, which fails with "logical streaming requires a
 * stream_abort_cb callback" (with assertions on, an assertion failure), on every retry, so the
 * slot could never move past it (18.6 does it; test_decoding, which has the callback, crashes
 * the server). Nothing of such a transaction was sent, so there is nothing to abort:
 * ReorderBufferAbort goes on to apply the subtransaction's invalidations and free it.
 */
static void pgcdc_stream_abort_unstreamed(ReorderBuffer *, ReorderBufferTXN *, XLogRecPtr) {}
#endif

static void pgcdc_decode_startup(LogicalDecodingContext *ctx, OutputPluginOptions *opt, bool is_init)
{
	MemoryContext old = MemoryContextSwitchTo(ctx->context);
	auto *state = static_cast<PluginState *>(palloc0(sizeof(PluginState)));
	new (&state->opts) Options();
	ctx->output_plugin_private = state;
	state->ctx = ctx;
	opt->output_type = OUTPUT_PLUGIN_TEXTUAL_OUTPUT;
	opt->receive_rewrites = false;

	state->change_cxt = AllocSetContextCreate(ctx->context, "pgcdc change", ALLOCSET_DEFAULT_SIZES);
	state->encoding = GetDatabaseEncoding();
	state->ascii_only = state->encoding != PG_UTF8 && state->encoding != PG_SQL_ASCII;

	ParseOptions(state, ctx->output_plugin_options);
	state->include_tables = state->opts.include_tables;
	state->exclude_tables = state->opts.exclude_tables;
	state->exclude_columns = state->opts.exclude_columns;
	state->include_prefixes = state->opts.include_message_prefixes;
	state->exclude_prefixes = state->opts.exclude_message_prefixes;

	if (state->opts.batch_bytes > 0) {
		state->batch_cxt = AllocSetContextCreate(ctx->context, "pgcdc batch", ALLOCSET_DEFAULT_SIZES);
		MemoryContextSwitchTo(state->batch_cxt);
		state->pending = makeStringInfo();
		/*
		 * While every record is smaller than batch-bytes, a message is shorter than twice that,
		 * and the buffer, doubling from 1 kB, grows no larger than this; after a bigger record it
		 * is freed once sent.
		 */
		state->pending_keep = 1024;
		while (state->pending_keep < 2 * static_cast<Size>(state->opts.batch_bytes))
			state->pending_keep *= 2;
		MemoryContextSwitchTo(ctx->context);
	}

	RelCacheInit(state, ctx->context);
	MemoryContextSwitchTo(old);

#if PG_VERSION_NUM >= 180000
	Assert(!ctx->streaming);
	ctx->reorder->stream_abort = pgcdc_stream_abort_unstreamed;
#endif

	if (!is_init) {
		PinSessionSettings(ctx, state);
		if (state->ascii_only)
			LookUpConversion(state, ctx->context);
	}
}

static void pgcdc_decode_shutdown(LogicalDecodingContext *ctx)
{
	PluginState *state = State(ctx);
	if (state != nullptr) {
		RestoreSessionSettings(state);
		RelCacheSweep(state);
		RelCacheReport(state);
	}
}

static void pgcdc_decode_begin(LogicalDecodingContext *ctx, ReorderBufferTXN *)
{
	PluginState *state = State(ctx);
	Assert(state->pending == nullptr || state->pending->len == 0);
	RelCacheSweep(state);
	state->txn_begun = false;
	state->txn_nchanges = 0;
}

static void pgcdc_decode_commit(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, XLogRecPtr)
{
	PluginState *state = State(ctx);
	bool write_commit =
	    state->opts.include_transaction && (state->txn_begun || !state->opts.skip_empty_transactions);

	OutputPluginUpdateProgress(ctx, !state->txn_begun && !write_commit);
	if (!write_commit) {
		/* Without C records, the transaction's last batch goes out here, at its end position. */
		FlushPending(ctx, state);
		return;
	}

	BeginIfNeeded(ctx, state, txn);
	PutRecord(
	    ctx, state, Place::TxnEnd, RecordAbout{'C', nullptr, txn->end_lsn, nullptr, -1}, [&](BoundedSink &b) {
		    WriteCommitRecord(b.out, txn->xid, txn->end_lsn, txn->xact_time.commit_time, state->txn_nchanges);
	    });
}

static void pgcdc_decode_change(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, Relation rel,
                                ReorderBufferChange *change)
{
	PluginState *state = State(ctx);
	char op;
	unsigned action;
	switch (change->action) {
	case REORDER_BUFFER_CHANGE_INSERT:
		op = 'I';
		action = kActionInsert;
		break;
	case REORDER_BUFFER_CHANGE_UPDATE:
		op = 'U';
		action = kActionUpdate;
		break;
	case REORDER_BUFFER_CHANGE_DELETE:
		op = 'D';
		action = kActionDelete;
		break;
	default:
		return;
	}
	if ((state->opts.actions & action) == 0) {
		ChangeSkipped(ctx, state);
		return;
	}
	RelCacheSweep(state);
	RelEntry *e = RelCacheGet(state, rel);
	if (!e->emit) {
		ChangeSkipped(ctx, state);
		return;
	}
	const RelData *rec = RecordLayout(state, e);

	EmitRecord(ctx, state, txn, true, RecordAbout{op, rel, change->lsn, nullptr, -1},
	           [&](BoundedSink &b) { WriteChange(b, state, e->data, rec, rel, change, op); });
}

static void pgcdc_decode_truncate(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, int nrelations,
                                  Relation relations[], ReorderBufferChange *change)
{
	PluginState *state = State(ctx);
	if ((state->opts.actions & kActionTruncate) == 0) {
		ChangeSkipped(ctx, state);
		return;
	}
	RelCacheSweep(state);
	uint64 lsn = change->lsn;
	auto write_truncate = [&](Relation rel, const RelEntry *e) {
		EmitRecord(ctx, state, txn, true, RecordAbout{'T', rel, lsn, nullptr, -1}, [&](BoundedSink &b) {
			Sink &s = b.out;
			WriteChangeRecordStart(s, 'T', state->opts.include_lsn ? &lsn : nullptr);
			s.append(e->data->ident, e->data->identlen);
			if (change->data.truncate.cascade)
				s.literal(",\"cascade\":true");
			if (change->data.truncate.restart_seqs)
				s.literal(",\"restart_identity\":true");
			state->base64_ptrs = nullptr;
			WriteRecordEnd(state, s, e->data);
		});
	};
	if (state->opts.partition_root) {
		/* Not in change_cxt, which each record resets. */
		int *tops = static_cast<int *>(MemoryContextAlloc(ctx->context, sizeof(int) * nrelations));
		int ntops = TruncateTops(state, nrelations, relations, tops);
		if (ntops == 0)
			ChangeSkipped(ctx, state);
		for (int k = 0; k < ntops; k++) {
			const RelEntry *e = RelCacheGet(state, relations[tops[k]]);
			if (e->emit) /* it is: see TruncateTops */
				write_truncate(relations[tops[k]], e);
		}
		pfree(tops);
		return;
	}
	for (int i = 0; i < nrelations; i++) {
		/*
		 * A partitioned table holds no rows: its partitions come in the same list, and records
		 * name the partitions (as I/U/D records do), so the parent gets no T of its own.
		 */
		if (relations[i]->rd_rel->relkind == RELKIND_PARTITIONED_TABLE)
			continue;
		RelEntry *e = RelCacheGet(state, relations[i]);
		if (!e->emit) {
			ChangeSkipped(ctx, state);
			continue;
		}
		write_truncate(relations[i], e);
	}
}

static void pgcdc_decode_message(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, XLogRecPtr message_lsn,
                                 bool transactional, const char *prefix, Size message_size,
                                 const char *message)
{
	PluginState *state = State(ctx);
	std::string_view names[1] = {prefix};
	if ((state->opts.actions & kActionMessage) == 0 ||
	    (state->include_prefixes.count > 0 && !PatternSetMatches(state->include_prefixes, names)) ||
	    (state->exclude_prefixes.count > 0 && PatternSetMatches(state->exclude_prefixes, names))) {
		if (transactional)
			ChangeSkipped(ctx, state);
		return;
	}

	uint64 lsn = message_lsn;
	EmitRecord(ctx, state, txn, transactional, RecordAbout{'M', nullptr, message_lsn, prefix, -1},
	           [&](BoundedSink &b) {
		           /* The prefix is text in the database's encoding; the content is text when it is valid
		            * there. */
		           const char *p = prefix;
		           size_t plen = strlen(prefix);
		           ToUtf8(state, &p, &plen);
		           const char *content = message;
		           size_t clen = message_size;
		           bool may_be_text = ContentToUtf8(state, &content, &clen);
		           WriteMessageRecord(b.out, state->opts.include_lsn ? &lsn : nullptr, transactional, p, plen,
		                              content, clen, may_be_text, state->ascii_only);
		           if (BoundedOver(b) && state->opts.oversized == OversizedMode::OmitValues) {
			           BoundedRewind(&b, 0);
			           WriteMessageRecordOmitted(b.out, state->opts.include_lsn ? &lsn : nullptr,
			                                     transactional, p, plen, state->ascii_only);
		           }
	           });
}

static bool pgcdc_decode_filter_by_origin(LogicalDecodingContext *ctx, RepOriginId origin_id)
{
	return State(ctx)->opts.only_local && origin_id != InvalidRepOriginId;
}

/* Registers the relation cache's invalidation callbacks, once per process. */
void _PG_init(void)
{
	RelCacheRegisterCallbacks();
}

void _PG_output_plugin_init(OutputPluginCallbacks *cb)
{
	static_assert(std::is_same<decltype(&_PG_output_plugin_init), LogicalOutputPluginInit>::value,
	              "_PG_output_plugin_init has the signature logical.c calls");
	cb->startup_cb = pgcdc_decode_startup;
	cb->begin_cb = pgcdc_decode_begin;
	cb->change_cb = pgcdc_decode_change;
	cb->truncate_cb = pgcdc_decode_truncate;
	cb->commit_cb = pgcdc_decode_commit;
	cb->message_cb = pgcdc_decode_message;
	cb->filter_by_origin_cb = pgcdc_decode_filter_by_origin;
	cb->shutdown_cb = pgcdc_decode_shutdown;
}

} /* extern "C" */
