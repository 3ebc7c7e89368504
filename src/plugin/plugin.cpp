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
 * are parsed by the core inside a try block that calls no PostgreSQL function, and the error is
 * reported only after the block is left.
 */
#include <new>
#include <type_traits>

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
 */
constexpr const char *kPinnedSettings[][2] = {
    {"DateStyle", "ISO, YMD"},   {"IntervalStyle", "iso_8601"}, {"TimeZone", "UTC"},
    {"extra_float_digits", "1"}, {"bytea_output", "hex"},
};
constexpr int kPinnedCount = sizeof(kPinnedSettings) / sizeof(kPinnedSettings[0]);

PluginState *State(LogicalDecodingContext *ctx)
{
	return static_cast<PluginState *>(ctx->output_plugin_private);
}

void ReportOptionError(const OptionError &err)
{
	int code =
	    err.code == OptionError::Code::SyntaxError ? ERRCODE_SYNTAX_ERROR : ERRCODE_INVALID_PARAMETER_VALUE;
	ereport(ERROR, (errcode(code), errmsg_internal("%s", err.message),
	                err.detail[0] ? errdetail_internal("%s", err.detail) : 0,
	                err.hint[0] ? errhint("%s", err.hint) : 0));
}

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
		bool ok;
		try {
			ok = ApplyOption(&state->opts, elem->defname, value, &err);
		} catch (...) {
			ok = false;
			strlcpy(err.message, "out of memory while parsing pgcdc options", sizeof(err.message));
		}
		if (!ok)
			ReportOptionError(err);
	}
}

/* Compiles a validated pattern list into memory of the current context (cannot fail). */
PatternSet CompilePatterns(const char *text, int nparts)
{
	PatternSet set;
	if (text == nullptr)
		return set;
	std::string_view sv(text);
	char *buf = static_cast<char *>(palloc(PatternBufferSize(sv)));
	auto *patterns = static_cast<Pattern *>(palloc(sizeof(Pattern) * PatternCountBound(sv)));
	PatternError err{};
	long n = ParsePatternList(sv, nparts, buf, patterns, PatternCountBound(sv), &err);
	if (n < 0)
		elog(ERROR, "pattern \"%s\" failed to parse after validation: %s", text, err.message);
	set.buf = buf;
	set.patterns = patterns;
	set.count = static_cast<size_t>(n);
	return set;
}

/*
 * Pins kPinnedSettings. In a transaction (the SQL functions) the previous values come back at
 * shutdown through a GUC nest level, or by the transaction's abort on error. In a walsender the
 * decoding runs outside any transaction, so the values are set for the session and put back at
 * shutdown by hand.
 */
void PinSessionSettings(PluginState *state)
{
	GucAction action = GUC_ACTION_SET;
	if (IsTransactionState()) {
		state->guc_nest_level = NewGUCNestLevel();
		action = GUC_ACTION_SAVE;
	} else {
		state->saved_settings = static_cast<char **>(palloc0(sizeof(char *) * kPinnedCount));
		for (int i = 0; i < kPinnedCount; i++)
			state->saved_settings[i] = pstrdup(GetConfigOption(kPinnedSettings[i][0], false, false));
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
	} else if (state->saved_settings != nullptr) {
		for (int i = 0; i < kPinnedCount; i++)
			(void) set_config_option(kPinnedSettings[i][0], state->saved_settings[i], PGC_USERSET,
			                         PGC_S_SESSION, GUC_ACTION_SET, true, 0, false);
		state->saved_settings = nullptr;
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
		PGCDC_UPDATE_PROGRESS(ctx, false);
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
 * The one path every record takes to the consumer: body(Sink &) writes the record, at the place
 * place says. Without batching, into ctx->out between OutputPluginPrepareWrite and
 * OutputPluginWrite; with batching, into state->pending, which is sent when due. What was pending
 * is less than batch-bytes, so a record of batch-bytes or more goes out alone, after it.
 */
template <typename Body>
void PutRecord(LogicalDecodingContext *ctx, PluginState *state, Place place, Body body)
{
	StringInfo p = state->pending;
	if (p == nullptr || place == Place::Own) {
		FlushPending(ctx, state);
		OutputPluginPrepareWrite(ctx, true);
		Sink s = SinkOver(ctx->out);
		body(s);
		SinkFinish(s);
		OutputPluginWrite(ctx, true);
		return;
	}
	int before = p->len;
	Sink s = SinkOver(p);
	if (before > 0)
		s.put('\n');
	body(s);
	SinkFinish(s);
	int start = before > 0 ? before + 1 : 0;
	int cap = static_cast<int>(state->opts.batch_bytes);
	if (before > 0 && p->len - start >= cap) {
		SendMessage(ctx, p->data, before);
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
	PutRecord(ctx, state, Place::Txn,
	          [&](Sink &s) { WriteBeginRecord(s, txn->xid, txn->final_lsn, txn->xact_time.commit_time); });
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
 */
int WriteRow(PluginState *state, Sink &s, const RelData *rec, const bool *keymask, Row row, bool key_only,
             int *unchanged)
{
	int nunchanged = 0;
	bool first = true;
	s.put('{');
	for (int i = 0; i < rec->ncols; i++) {
		const ColumnInfo *c = &rec->cols[i];
		if (key_only && !(keymask != nullptr ? keymask[c->attidx] : c->is_key))
			continue;
		Datum v = row.values[c->attidx];
		bool isnull = row.nulls[c->attidx];
		if (!isnull && c->varlena && VARATT_IS_EXTERNAL_ONDISK(DatumGetPointer(v))) {
			if (unchanged != nullptr)
				unchanged[nunchanged++] = i;
			continue;
		}
		if (!first)
			s.put(',');
		first = false;
		s.append(c->key, c->keylen);
		if (isnull)
			s.literal("null");
		else
			WriteDatum(state, s, &c->type, v);
	}
	s.put('}');
	return nunchanged;
}

/*
 * Writes an I/U/D record of a change to rel, whose entry is src, as a change of rec: rel's own
 * entry, or with partition-root its target's. The key mode and key columns are src's (what the
 * WAL holds for rel), the names, columns and types rec's.
 */
void WriteChange(Sink &s, PluginState *state, const RelData *src, const RelData *rec, Relation rel,
                 ReorderBufferChange *change, char op)
{
	RelCache *c = &state->cache;
	HeapTuple oldtuple = PGCDC_CHANGE_TUPLE(change->data.tp.oldtuple);
	HeapTuple newtuple = PGCDC_CHANGE_TUPLE(change->data.tp.newtuple);
	uint64 lsn = change->lsn;

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
			WriteRow(state, s, rec, src->keymask, row, true, nullptr);
			if (src->keymode == KeyMode::Full && oldtuple != nullptr) {
				s.literal(",\"old\":");
				WriteRow(state, s, rec, nullptr, row, false, nullptr);
			}
		}
	}
	if (op != 'D' && newtuple != nullptr) {
		if (deformed != newtuple)
			row = Deform(c, src, rec, newtuple, rel);
		s.literal(",\"new\":");
		int nunchanged = WriteRow(state, s, rec, nullptr, row, false, c->unchanged);
		if (nunchanged > 0) {
			s.literal(",\"unchanged\":[");
			for (int k = 0; k < nunchanged; k++) {
				const ColumnInfo *col = &rec->cols[c->unchanged[k]];
				if (k > 0)
					s.put(',');
				s.append(col->key, col->keylen - 1); /* the key without its colon */
			}
			s.put(']');
		}
	}
	s.put('}');
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
 * transaction (a non-transactional message) is a message of its own. body(Sink &) writes the
 * record itself.
 */
template <typename Body>
void EmitRecord(LogicalDecodingContext *ctx, PluginState *state, ReorderBufferTXN *txn, bool in_txn,
                Body body)
{
	MemoryContext old = MemoryContextSwitchTo(state->change_cxt);
	if (in_txn)
		BeginIfNeeded(ctx, state, txn);
	PutRecord(ctx, state, in_txn ? Place::Txn : Place::Own, body);
	if (in_txn)
		state->txn_nchanges++;
	MemoryContextSwitchTo(old);
	MemoryContextReset(state->change_cxt);
}

} // namespace

} // namespace pgcdc

using namespace pgcdc;

extern "C" {

static void pgcdc_decode_startup(LogicalDecodingContext *ctx, OutputPluginOptions *opt, bool is_init)
{
	MemoryContext old = MemoryContextSwitchTo(ctx->context);
	auto *state = static_cast<PluginState *>(palloc0(sizeof(PluginState)));
	new (&state->opts) Options();
	ctx->output_plugin_private = state;
	opt->output_type = OUTPUT_PLUGIN_TEXTUAL_OUTPUT;
	opt->receive_rewrites = false;

	state->change_cxt = AllocSetContextCreate(ctx->context, "pgcdc change", ALLOCSET_DEFAULT_SIZES);
	int encoding = GetDatabaseEncoding();
	state->ascii_only = encoding != PG_UTF8 && encoding != PG_SQL_ASCII;

	ParseOptions(state, ctx->output_plugin_options);
	state->include_tables = CompilePatterns(state->opts.include_tables, 2);
	state->exclude_tables = CompilePatterns(state->opts.exclude_tables, 2);
	state->exclude_columns = CompilePatterns(state->opts.exclude_columns, 3);
	state->include_prefixes = CompilePatterns(state->opts.include_message_prefixes, 1);
	state->exclude_prefixes = CompilePatterns(state->opts.exclude_message_prefixes, 1);

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

	if (!is_init)
		PinSessionSettings(state);
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

	PGCDC_UPDATE_PROGRESS(ctx, !state->txn_begun && !write_commit);
	if (!write_commit) {
		/* Without C records, the transaction's last batch goes out here, at its end position. */
		FlushPending(ctx, state);
		return;
	}

	BeginIfNeeded(ctx, state, txn);
	PutRecord(ctx, state, Place::TxnEnd, [&](Sink &s) {
		WriteCommitRecord(s, txn->xid, txn->end_lsn, txn->xact_time.commit_time, state->txn_nchanges);
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

	EmitRecord(ctx, state, txn, true, [&](Sink &s) { WriteChange(s, state, e->data, rec, rel, change, op); });
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
	auto write_truncate = [&](const RelEntry *e) {
		EmitRecord(ctx, state, txn, true, [&](Sink &s) {
			WriteChangeRecordStart(s, 'T', state->opts.include_lsn ? &lsn : nullptr);
			s.append(e->data->ident, e->data->identlen);
			if (change->data.truncate.cascade)
				s.literal(",\"cascade\":true");
			if (change->data.truncate.restart_seqs)
				s.literal(",\"restart_identity\":true");
			s.put('}');
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
				write_truncate(e);
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
		write_truncate(e);
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
	EmitRecord(ctx, state, txn, transactional, [&](Sink &s) {
		const char *p = prefix;
		size_t plen = strlen(prefix);
		ToUtf8(state, &p, &plen);
		WriteMessageRecord(s, state->opts.include_lsn ? &lsn : nullptr, transactional, p, plen, message,
		                   message_size, state->ascii_only);
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
