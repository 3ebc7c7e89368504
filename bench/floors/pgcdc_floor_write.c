/*
 * pgcdc_floor_write: a logical decoding output plugin that writes the two bytes "{}" as one
 * message per INSERT, UPDATE and DELETE, and nothing else.
 *
 * The benchmark's transport floor: what one message per change costs by itself (the walsender's
 * per-message work and the consumer's), with no rendering at all. Any plugin that writes one
 * message per change, as pgcdc, pgoutput and wal2json format 2 do, pays at least this much.
 */
#include "postgres.h"

#include "fmgr.h"
#include "replication/logical.h"
#include "replication/output_plugin.h"
#include "replication/reorderbuffer.h"

PG_MODULE_MAGIC;

extern PGDLLEXPORT void _PG_output_plugin_init(OutputPluginCallbacks *cb);

static void write_startup(LogicalDecodingContext *ctx, OutputPluginOptions *opt, bool is_init)
{
	(void) ctx;
	(void) is_init;
	opt->output_type = OUTPUT_PLUGIN_TEXTUAL_OUTPUT;
	opt->receive_rewrites = false;
}

static void write_begin(LogicalDecodingContext *ctx, ReorderBufferTXN *txn)
{
	(void) ctx;
	(void) txn;
}

static void write_commit(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, XLogRecPtr commit_lsn)
{
	(void) ctx;
	(void) txn;
	(void) commit_lsn;
}

static void write_change(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, Relation rel,
                         ReorderBufferChange *change)
{
	(void) txn;
	(void) rel;
	switch (change->action) {
	case REORDER_BUFFER_CHANGE_INSERT:
	case REORDER_BUFFER_CHANGE_UPDATE:
	case REORDER_BUFFER_CHANGE_DELETE:
		OutputPluginPrepareWrite(ctx, true);
		appendBinaryStringInfo(ctx->out, "{}", 2);
		OutputPluginWrite(ctx, true);
		break;
	default:
		break;
	}
}

void _PG_output_plugin_init(OutputPluginCallbacks *cb)
{
	cb->startup_cb = write_startup;
	cb->begin_cb = write_begin;
	cb->change_cb = write_change;
	cb->commit_cb = write_commit;
}
