/*
 * pgcdc_floor_null: a logical decoding output plugin that decodes and writes nothing.
 *
 * The benchmark's lower floor: what PostgreSQL itself spends reading the WAL, reassembling
 * transactions and looking up the relations, with an output plugin that costs nothing. Every
 * callback is present and does nothing; streaming is left off, as pgcdc leaves it.
 */
#include "postgres.h"

#include "fmgr.h"
#include "replication/logical.h"
#include "replication/output_plugin.h"
#include "replication/reorderbuffer.h"

PG_MODULE_MAGIC;

extern PGDLLEXPORT void _PG_output_plugin_init(OutputPluginCallbacks *cb);

static void null_startup(LogicalDecodingContext *ctx, OutputPluginOptions *opt, bool is_init)
{
	(void) is_init;
	opt->output_type = OUTPUT_PLUGIN_TEXTUAL_OUTPUT;
	opt->receive_rewrites = false;
	ctx->streaming = false;
}

static void null_shutdown(LogicalDecodingContext *ctx)
{
	(void) ctx;
}

static void null_begin(LogicalDecodingContext *ctx, ReorderBufferTXN *txn)
{
	(void) ctx;
	(void) txn;
}

static void null_commit(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, XLogRecPtr commit_lsn)
{
	(void) ctx;
	(void) txn;
	(void) commit_lsn;
}

static void null_change(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, Relation rel,
                        ReorderBufferChange *change)
{
	(void) ctx;
	(void) txn;
	(void) rel;
	(void) change;
}

static void null_truncate(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, int nrelations,
                          Relation relations[], ReorderBufferChange *change)
{
	(void) ctx;
	(void) txn;
	(void) nrelations;
	(void) relations;
	(void) change;
}

static void null_message(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, XLogRecPtr message_lsn,
                         bool transactional, const char *prefix, Size message_size, const char *message)
{
	(void) ctx;
	(void) txn;
	(void) message_lsn;
	(void) transactional;
	(void) prefix;
	(void) message_size;
	(void) message;
}

static bool null_filter_by_origin(LogicalDecodingContext *ctx, RepOriginId origin_id)
{
	(void) ctx;
	(void) origin_id;
	return false;
}

static bool null_filter_prepare(LogicalDecodingContext *ctx, TransactionId xid, const char *gid)
{
	(void) ctx;
	(void) xid;
	(void) gid;
	return false;
}

static void null_begin_prepare(LogicalDecodingContext *ctx, ReorderBufferTXN *txn)
{
	(void) ctx;
	(void) txn;
}

static void null_prepare(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, XLogRecPtr prepare_lsn)
{
	(void) ctx;
	(void) txn;
	(void) prepare_lsn;
}

static void null_commit_prepared(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, XLogRecPtr commit_lsn)
{
	(void) ctx;
	(void) txn;
	(void) commit_lsn;
}

static void null_rollback_prepared(LogicalDecodingContext *ctx, ReorderBufferTXN *txn,
                                   XLogRecPtr prepare_end_lsn, TimestampTz prepare_time)
{
	(void) ctx;
	(void) txn;
	(void) prepare_end_lsn;
	(void) prepare_time;
}

static void null_stream_start(LogicalDecodingContext *ctx, ReorderBufferTXN *txn)
{
	(void) ctx;
	(void) txn;
}

static void null_stream_stop(LogicalDecodingContext *ctx, ReorderBufferTXN *txn)
{
	(void) ctx;
	(void) txn;
}

static void null_stream_abort(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, XLogRecPtr abort_lsn)
{
	(void) ctx;
	(void) txn;
	(void) abort_lsn;
}

static void null_stream_prepare(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, XLogRecPtr prepare_lsn)
{
	(void) ctx;
	(void) txn;
	(void) prepare_lsn;
}

static void null_stream_commit(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, XLogRecPtr commit_lsn)
{
	(void) ctx;
	(void) txn;
	(void) commit_lsn;
}

void _PG_output_plugin_init(OutputPluginCallbacks *cb)
{
	cb->startup_cb = null_startup;
	cb->begin_cb = null_begin;
	cb->change_cb = null_change;
	cb->truncate_cb = null_truncate;
	cb->commit_cb = null_commit;
	cb->message_cb = null_message;
	cb->filter_by_origin_cb = null_filter_by_origin;
	cb->shutdown_cb = null_shutdown;
	cb->filter_prepare_cb = null_filter_prepare;
	cb->begin_prepare_cb = null_begin_prepare;
	cb->prepare_cb = null_prepare;
	cb->commit_prepared_cb = null_commit_prepared;
	cb->rollback_prepared_cb = null_rollback_prepared;
	cb->stream_start_cb = null_stream_start;
	cb->stream_stop_cb = null_stream_stop;
	cb->stream_abort_cb = null_stream_abort;
	cb->stream_prepare_cb = null_stream_prepare;
	cb->stream_commit_cb = null_stream_commit;
	cb->stream_change_cb = null_change;
	cb->stream_message_cb = null_message;
	cb->stream_truncate_cb = null_truncate;
}
