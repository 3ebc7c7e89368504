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

/*
 * How a column's values are rendered, decided when its relation is cached. Held by value in
 * ColumnInfo: only RenderKind::Other (and arrays of it) needs more, an output function, whose
 * FmgrInfo lives in the relation's fncxt.
 */
struct ValueType {
	RenderKind kind;
	RenderKind elemkind; /* arrays: how to render the elements (never Array) */
	/* arrays: the element type as stored */
	bool elmbyval;
	char elmalign;
	int16 elmlen;
	Oid elemtype;
	FmgrInfo *out; /* Other, or an array of Other: the (element) type's output function */
};

struct ColumnInfo {
	int16 attidx;    /* index into the tuple descriptor of the relation the record names */
	bool is_key;     /* member of the key written in "key" */
	bool varlena;    /* may hold an unchanged-TOAST pointer */
	uint32 keylen;   /* of key, the colon included */
	const char *key; /* "name": pre-escaped, with the colon */
	Oid typid;       /* the column's type (for a value written as base64: its output function) */
	ValueType type;
};

enum class KeyMode : uint8 {
	None,     /* REPLICA IDENTITY NOTHING, or DEFAULT without a primary key */
	Identity, /* DEFAULT with a primary key, or USING INDEX: old key columns, else new row's */
	Full,     /* FULL: "old" is the whole old row; key is the primary key, else the whole row */
};

/*
 * What the cache knows of a relation that is written, or that is a partition (whose filter
 * decision depends on its ancestors): one palloc'd block in the cache's context (see Pack in
 * relcache.cpp), freed only at a safe point (RelCacheSweep), never by an invalidation callback.
 */
struct RelData {
	RelData *next_garbage; /* replaced by a rebuild, waiting for RelCacheSweep */
	MemoryContext fncxt;   /* the output functions' memory (fn_extra), nullptr when none */
	int natts;             /* of the relation's tuple descriptor when built */

	/*
	 * Dependencies besides its own relcache entry: syscache hash values of the namespaces whose
	 * names it holds or was filtered by (NAMESPACEOID), then of its columns' types
	 * (TYPEOID); and its partition ancestors, parent first (relcache).
	 */
	uint16 nnamespaces;
	uint16 ntypes;
	uint16 nancestors;
	const uint32 *deps; /* nnamespaces + ntypes */
	const Oid *ancestors;

	/* The rest is set only for a relation whose changes are written. */
	Oid target;      /* the relation records name: partition-root's choice, else this one */
	KeyMode keymode; /* what this relation's changes carry ("old" only for Full) */
	uint32 identlen; /* ,"schema":"...","table":"..." of this relation */
	const char *ident;
	bool names_replaced; /* ident, keys or types had bytes that are not UTF-8 (SQL_ASCII): "replaced" */
	/* When target is this relation: its columns, and the "types" fragment. */
	int ncols; /* emitted columns (not dropped, not excluded), in attribute order */
	const ColumnInfo *cols;
	uint32 typeslen; /* ,"types":{...} when include-types, else 0 */
	const char *types;
	/*
	 * When target is another relation (partition-root): target_natts, the target's attributes
	 * when this was built; for each of them,
	 * this relation's attribute index (-1: none), or nullptr when the descriptors are alike;
	 * and which of the target's columns form the key, or nullptr when the target's own do.
	 */
	int target_natts;
	const int16 *map;
	const bool *keymask;
};

struct RelEntry {
	Oid relid; /* hash key */
	bool valid;
	bool emit;      /* passes include-tables / exclude-tables */
	bool queued;    /* invalidated: on the cache's dead list, see RelCacheSweep */
	uint32 nsphash; /* its namespace's syscache hash (its filter decision reads the name) */
	RelEntry *next_dead;
	RelData *data; /* nullptr for a relation that is filtered out and not a partition */
};

/*
 * The relation cache of a decoding session. Invalidation callbacks only mark entries invalid
 * and queue them; entries are rebuilt on next use, and the memory of replaced and invalid
 * entries is freed by RelCacheSweep, called where no entry is in use.
 */
struct RelCache {
	MemoryContext cxt;       /* the entries' blocks, the hash tables, the row buffers */
	MemoryContext build_cxt; /* scratch of one Build */
	HTAB *hash;              /* RelEntry by relid */
	HTAB *parents;           /* partitioned tables that are ancestors of entries (Oid set) */
	RelEntry *dead;          /* invalidated entries, to be removed */
	RelData *garbage;        /* replaced blocks, to be freed */
	/* deformed rows: the relation's, and the target's (partition-root); bufsize long */
	Datum *values;
	bool *nulls;
	Datum *tvalues;
	bool *tnulls;
	int *unchanged; /* indexes into cols of unchanged TOAST values in the current new row */
	int bufsize;
	/* reported at DEBUG1 when decoding ends, for tests and benchmarks */
	uint64 builds;
	uint64 removed;
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
	RelCache cache;

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
	 * With oversized-records=omit-values, once a record is too long: by column (RelData.cols),
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
void RelCacheRegisterCallbacks();
void RelCacheInit(PluginState *state, MemoryContext parent);
/* Frees what invalidations left behind; call only where no entry or row buffer is in use. */
void RelCacheSweep(PluginState *state);
/* The entry of rel, built if needed. */
RelEntry *RelCacheGet(PluginState *state, Relation rel);
/* The entry of a relation known by its OID and number of attributes (a target), built if needed. */
RelEntry *RelCacheGetById(PluginState *state, Oid relid, int natts);
/* Logs the cache's counters at DEBUG1. */
void RelCacheReport(PluginState *state);

/* render.cpp */
/*
 * Decides how values of a type are rendered; an output function's FmgrInfo goes in *fncxt,
 * created under parent when still nullptr.
 */
ValueType MakeValueType(Oid typid, MemoryContext parent, MemoryContext *fncxt);
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
