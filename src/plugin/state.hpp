/*
 * state.hpp: the plugin's per-decoding-session state and its relation cache entries.
 *
 * Everything here is plain data in palloc'd memory (children of the decoding context), so an
 * ERROR anywhere in a callback unwinds without C++ destructors to skip.
 */
#pragma once

#include "budget.hpp"
#include "options.hpp"
#include "pattern.hpp"
#include "sink.hpp"

#include "pg.hpp"

namespace pgcdc
{

/* How a value is rendered; decided once per column type when the relation is cached. */
enum class RenderKind : uint8 {
	Bool,
	Int2,
	Int4,
	Int8,
	Oid,
	Float4,
	Float8,
	Numeric,
	Json,
	Jsonb,
	TimestampTz,
	Timestamp,
	Date,
	Interval,
	Bytea,
	Text,
	Uuid,
	Array,
	Other, /* the type's output function, as a JSON string */
};

struct ValueType {
	RenderKind kind;
	FmgrInfo out; /* output function, for RenderKind::Other */
	/* arrays: element type as stored, and how to render elements */
	Oid elemtype;
	int16 elmlen;
	bool elmbyval;
	char elmalign;
	ValueType *elem;
};

struct ColumnInfo {
	int attidx;      /* index into the relation's tuple descriptor */
	bool is_key;     /* member of the key written in "key" */
	bool varlena;    /* may hold an unchanged-TOAST pointer */
	const char *key; /* "name": pre-escaped, with the colon */
	uint32 keylen;
	ValueType *type;
};

enum class KeyMode : uint8 {
	None,     /* REPLICA IDENTITY NOTHING, or DEFAULT without a primary key */
	Identity, /* DEFAULT with a primary key, or USING INDEX: old key columns, else new row's */
	Full,     /* FULL: "old" is the whole old row; key is the primary key, else the whole row */
};

struct RelEntry {
	Oid relid; /* hash key */
	bool valid;
	bool emit; /* passes include-tables / exclude-tables */
	MemoryContext cxt;
	int natts;
	/* ,"schema":"...","table":"..." */
	char *ident;
	uint32 identlen;
	/* ,"types":{...} when include-types, else empty */
	char *types;
	uint32 typeslen;
	bool names_replaced; /* a name above had bytes that are not UTF-8 (SQL_ASCII): "replaced":true */
	KeyMode keymode;
	int ncols; /* emitted columns (not dropped, not excluded), in attribute order */
	ColumnInfo *cols;
	Datum *values; /* deform buffers, natts long */
	bool *nulls;
	int *unchanged; /* indexes into cols of unchanged TOAST values in the current new row */
};

/* What the record being written is, for an error about its size (see RecordTooLong). */
struct RecordAbout {
	char op;
	Relation rel;       /* I, U, D, T: the table */
	XLogRecPtr lsn;     /* the change's or message's, the commit's for B and C */
	const char *prefix; /* M: the message's prefix */
	int attidx;         /* the column being written, or -1 */
};

struct PluginState {
	Options opts;
	LogicalDecodingContext *ctx;
	/* The pattern lists of opts, parsed there (in the decoding context's memory). */
	PatternSet include_tables;
	PatternSet exclude_tables;
	PatternSet exclude_columns;
	PatternSet include_prefixes;
	PatternSet exclude_prefixes;
	int encoding;    /* the database's */
	bool ascii_only; /* the database encoding is neither UTF8 nor SQL_ASCII: convert and \u-escape */
	/* ascii_only: the conversion to UTF-8, looked up once at startup (see LookUpConversion) */
	FmgrInfo *to_utf8;

	/*
	 * Bumped for each thing written that is not what PostgreSQL holds: bytes that are not UTF-8
	 * (U+FFFD instead), json that jsonb refuses. WriteValue watches it to write such a value as
	 * base64 instead; records list those in "base64" (base64_ptrs: the JSON Pointers, comma
	 * separated, of the record being written, in change_cxt; nullptr when none).
	 */
	uint64 replacements;
	StringInfo base64_ptrs;

	MemoryContext change_cxt; /* reset after every record */
	MemoryContext cache_cxt;
	HTAB *relcache;

	/*
	 * batch-bytes > 0: the records not sent yet, '\n' between them (see PutRecord), in batch_cxt;
	 * nullptr when every record is its own message. pending_keep: the largest buffer kept once sent.
	 */
	MemoryContext batch_cxt;
	StringInfo pending;
	Size pending_keep;
	int pending_start; /* where the record being written begins in pending (see PendingGrow) */

	/*
	 * The record being written: its sink, which keeps it within max-record-bytes, and what it is.
	 * With oversized-records=omit-values, once a record is too long: by column (RelEntry.cols),
	 * whether its values are left out, and whether one was written in this attempt (omit_again:
	 * a column written in key or old was left out of a later part).
	 */
	BoundedSink rec;
	RecordAbout about;
	bool *omitted;
	bool *kept;
	bool omit_again;

	/* The transaction being decoded (no streaming: one at a time). */
	bool txn_begun;
	uint64 txn_nchanges;
	uint32 skipped_changes; /* filtered out since progress was last reported */

	/* Session settings pinned while decoding (see PinSessionSettings). */
	int guc_nest_level;
	char **saved_settings;
	MemoryContextCallback restore_settings; /* on ctx->context: puts saved_settings back */
};

/* A sink over a StringInfo: call SinkFinish before anyone else touches the StringInfo. */
Sink SinkOver(StringInfo si);
void SinkFinish(Sink &sink);

/* relcache.cpp */
void RelCacheInit(PluginState *state);
RelEntry *RelCacheGet(PluginState *state, Relation rel);

/* render.cpp */
ValueType *MakeValueType(Oid typid, bool allow_array);
void WriteDatum(PluginState *state, Sink &out, const ValueType *type, Datum value);
/*
 * Writes a column's value. A value that cannot be written as what it is in UTF-8 that jsonb
 * accepts is written instead as the base64 of its text form (its output function's, in UTF-8;
 * the raw bytes in SQL_ASCII), and WriteValue returns false so that the record says so.
 */
bool WriteValue(PluginState *state, BoundedSink &b, const ValueType *type, Oid typid, Datum value);
/* Looks up the conversion to UTF-8 once (ascii_only only); ToUtf8 calls it without the catalogs. */
void LookUpConversion(PluginState *state, MemoryContext cxt);
/* Converts a string in the database encoding to UTF-8 when the records are ascii_only. */
void ToUtf8(PluginState *state, const char **s, size_t *len);
/*
 * Message content: true when it is text in the database's encoding, then converted to UTF-8
 * (what it is otherwise does not matter: it is written as base64).
 */
bool ContentToUtf8(PluginState *state, const char **s, size_t *len);
/* Writes a string in the database encoding as a JSON string; counts replacements in state. */
void WriteDbString(PluginState *state, Sink &out, const char *s, size_t len);

} // namespace pgcdc
