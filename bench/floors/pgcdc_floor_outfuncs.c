/*
 * pgcdc_floor_outfuncs: a logical decoding output plugin that, for every INSERT, UPDATE and
 * DELETE, deforms the new and old tuples and calls the output function of each non-null,
 * non-dropped column, then throws the text away. It writes nothing.
 *
 * The benchmark's upper floor: what decoding costs when every value is turned into text the
 * generic way (a type-output lookup and an fmgr call per value), before any formatting or
 * writing. Unchanged TOAST values (on-disk pointers the WAL does not carry) are skipped, as a
 * real plugin must. Memory is reset after each change. Streaming is left off, as pgcdc leaves it.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "replication/logical.h"
#include "replication/output_plugin.h"
#include "replication/reorderbuffer.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

PG_MODULE_MAGIC;

extern PGDLLEXPORT void _PG_output_plugin_init(OutputPluginCallbacks *cb);

/* PostgreSQL 17 passes the change's tuples as HeapTuples; earlier ones as ReorderBufferTupleBufs. */
#if PG_VERSION_NUM >= 170000
#define FLOOR_CHANGE_TUPLE(t) (t)
#else
#define FLOOR_CHANGE_TUPLE(t) ((t) != NULL ? &(t)->tuple : NULL)
#endif

typedef struct FloorState {
	MemoryContext change_cxt;
	uint64 nvalues; /* values converted, so the calls cannot be optimized away */
} FloorState;

static void floor_startup(LogicalDecodingContext *ctx, OutputPluginOptions *opt, bool is_init)
{
	FloorState *state;

	(void) is_init;
	state = MemoryContextAllocZero(ctx->context, sizeof(FloorState));
	state->change_cxt =
	    AllocSetContextCreate(ctx->context, "pgcdc_floor_outfuncs change", ALLOCSET_DEFAULT_SIZES);
	ctx->output_plugin_private = state;
	opt->output_type = OUTPUT_PLUGIN_TEXTUAL_OUTPUT;
	opt->receive_rewrites = false;
	ctx->streaming = false;
}

static void floor_shutdown(LogicalDecodingContext *ctx)
{
	FloorState *state = ctx->output_plugin_private;

	if (state != NULL)
		elog(DEBUG1, "pgcdc_floor_outfuncs: " UINT64_FORMAT " values converted", state->nvalues);
}

static void floor_begin(LogicalDecodingContext *ctx, ReorderBufferTXN *txn)
{
	(void) ctx;
	(void) txn;
}

static void floor_commit(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, XLogRecPtr commit_lsn)
{
	(void) ctx;
	(void) txn;
	(void) commit_lsn;
}

/* Deforms a tuple and runs each non-null, non-dropped, non-unchanged-TOAST value through its output function.
 */
static void convert_tuple(FloorState *state, TupleDesc desc, HeapTuple tuple)
{
	Datum *values = palloc(sizeof(Datum) * desc->natts);
	bool *nulls = palloc(sizeof(bool) * desc->natts);
	int i;

	heap_deform_tuple(tuple, desc, values, nulls);
	for (i = 0; i < desc->natts; i++) {
		Form_pg_attribute att = TupleDescAttr(desc, i);
		Oid typoutput;
		bool typisvarlena;
		char *text;

		if (att->attisdropped || att->attnum < 0 || nulls[i])
			continue;
		if (att->attlen == -1 && VARATT_IS_EXTERNAL_ONDISK(DatumGetPointer(values[i])))
			continue;
		getTypeOutputInfo(att->atttypid, &typoutput, &typisvarlena);
		text = OidOutputFunctionCall(typoutput, values[i]);
		state->nvalues += text[0] != '\0';
	}
}

static void floor_change(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, Relation rel,
                         ReorderBufferChange *change)
{
	FloorState *state = ctx->output_plugin_private;
	TupleDesc desc = RelationGetDescr(rel);
	HeapTuple oldtuple;
	HeapTuple newtuple;
	MemoryContext old;

	(void) txn;
	switch (change->action) {
	case REORDER_BUFFER_CHANGE_INSERT:
	case REORDER_BUFFER_CHANGE_UPDATE:
	case REORDER_BUFFER_CHANGE_DELETE:
		break;
	default:
		return;
	}
	oldtuple = FLOOR_CHANGE_TUPLE(change->data.tp.oldtuple);
	newtuple = FLOOR_CHANGE_TUPLE(change->data.tp.newtuple);

	old = MemoryContextSwitchTo(state->change_cxt);
	if (newtuple != NULL)
		convert_tuple(state, desc, newtuple);
	if (oldtuple != NULL)
		convert_tuple(state, desc, oldtuple);
	MemoryContextSwitchTo(old);
	MemoryContextReset(state->change_cxt);
}

void _PG_output_plugin_init(OutputPluginCallbacks *cb)
{
	cb->startup_cb = floor_startup;
	cb->begin_cb = floor_begin;
	cb->change_cb = floor_change;
	cb->commit_cb = floor_commit;
	cb->shutdown_cb = floor_shutdown;
}
