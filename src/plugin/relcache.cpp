/*
 * relcache.cpp: what the plugin knows about each relation, computed once and reused per change.
 *
 * An entry holds the filter decision and, for a relation whose changes are written, one block
 * (RelData) with the pre-escaped "schema"/"table" fragment and column keys, how to render each
 * column, which columns form the key, and the optional "types" fragment. A table that is
 * filtered out costs its hash entry only. A partition's filter decision also reads its
 * ancestors' names (a pattern naming a partitioned table covers its partitions), and with
 * partition-root its changes are written as changes of an ancestor, its target: its block then
 * holds how its rows map onto the target's columns, and the target's entry holds the rest.
 *
 * Invalidation, as in pgoutput's RelationSyncCache, only marks entries invalid, so nothing is
 * freed while a change may still be using it; but only the entries that depend on what changed:
 * the relation itself, a partitioned ancestor, a namespace or a type whose name or properties the
 * entry holds (each block lists them). Invalid entries are queued, and RelCacheSweep, called
 * where no entry is in use, removes them and frees the blocks that rebuilds replaced, so the
 * entries of dropped relations do not accumulate.
 */
#include "json.hpp"
#include "pattern.hpp"

#include "state.hpp"

extern "C" {
#include "access/attmap.h"
#include "catalog/partition.h"
#include "catalog/pg_index.h"
#include "utils/fmgroids.h"
}

namespace pgcdc
{

namespace
{

/*
 * The cache of the decoding session running in this process, for the invalidation callbacks,
 * which PostgreSQL cannot unregister: set by RelCacheInit, cleared by a reset callback on the
 * cache's memory context when the session ends, by error or not.
 */
RelCache *g_cache = nullptr;

void Invalidate(RelCache *c, RelEntry *e)
{
	e->valid = false;
	if (!e->queued) {
		e->queued = true;
		e->next_dead = c->dead;
		c->dead = e;
	}
}

/* Calls f on every entry; f must not add or remove entries. */
template <typename F>
void ForEachEntry(RelCache *c, F f)
{
	HASH_SEQ_STATUS status;
	hash_seq_init(&status, c->hash);
	RelEntry *e;
	while ((e = static_cast<RelEntry *>(hash_seq_search(&status))) != nullptr)
		f(e);
}

bool HasAncestor(const RelEntry *e, Oid relid)
{
	const RelData *d = e->data;
	for (int k = 0; d != nullptr && k < d->nancestors; k++) {
		if (d->ancestors[k] == relid)
			return true;
	}
	return false;
}

bool DependsOn(const RelEntry *e, int cacheid, uint32 hashvalue)
{
	if (cacheid == NAMESPACEOID && e->nsphash == hashvalue)
		return true;
	const RelData *d = e->data;
	if (d == nullptr)
		return false;
	int from = cacheid == NAMESPACEOID ? 0 : d->nnamespaces;
	int to = cacheid == NAMESPACEOID ? d->nnamespaces : d->nnamespaces + d->ntypes;
	for (int k = from; k < to; k++) {
		if (d->deps[k] == hashvalue)
			return true;
	}
	return false;
}

void RelcacheCallback(Datum, Oid relid)
{
	RelCache *c = g_cache;
	if (c == nullptr)
		return;
	if (!OidIsValid(relid)) {
		ForEachEntry(c, [c](RelEntry *e) { Invalidate(c, e); });
		return;
	}
	auto *e = static_cast<RelEntry *>(hash_search(c->hash, &relid, HASH_FIND, nullptr));
	if (e != nullptr)
		Invalidate(c, e);
	/*
	 * A partitioned table was attached, detached, renamed or altered: its partitions' entries
	 * read its name and position (a partition attached deeper gets no invalidation of its own).
	 */
	bool found;
	hash_search(c->parents, &relid, HASH_REMOVE, &found);
	if (found) {
		ForEachEntry(c, [c, relid](RelEntry *x) {
			if (HasAncestor(x, relid))
				Invalidate(c, x);
		});
	}
}

/* A namespace or a type changed (hashvalue 0: all of them). */
void SyscacheCallback(Datum, int cacheid, uint32 hashvalue)
{
	RelCache *c = g_cache;
	if (c == nullptr)
		return;
	ForEachEntry(c, [c, cacheid, hashvalue](RelEntry *e) {
		if ((e->valid || !e->queued) && (hashvalue == 0 || DependsOn(e, cacheid, hashvalue)))
			Invalidate(c, e);
	});
}

void ForgetCache(void *)
{
	g_cache = nullptr;
}

void FreeData(RelData *d)
{
	if (d->fncxt != nullptr)
		MemoryContextDelete(d->fncxt);
	pfree(d);
}

uint32 NamespaceHash(Oid nspoid)
{
	return GetSysCacheHashValue1(NAMESPACEOID, ObjectIdGetDatum(nspoid));
}

/* Appends a JSON string of a catalog name. */
void AppendName(PluginState *state, StringInfo si, const char *name)
{
	Sink s = SinkOver(si);
	WriteDbString(state, s, name, strlen(name));
	SinkFinish(s);
}

/* A set of syscache hash values, kept as a short array in the current context. */
struct HashSet {
	uint32 *v;
	uint16 n;
	uint16 cap;
};

void AddDep(HashSet *set, uint32 h)
{
	for (int k = 0; k < set->n; k++) {
		if (set->v[k] == h)
			return;
	}
	if (set->n == PG_UINT16_MAX)
		elog(ERROR, "pgcdc: too many dependencies for one relation");
	if (set->n == set->cap) {
		set->cap = static_cast<uint16>(Min(Max(8, 2 * set->cap), PG_UINT16_MAX));
		set->v = static_cast<uint32 *>(set->v == nullptr ? palloc(sizeof(uint32) * set->cap)
		                                                 : repalloc(set->v, sizeof(uint32) * set->cap));
	}
	set->v[set->n++] = h;
}

/*
 * What Build learns about a relation before it packs the entry, in the cache's build context.
 * names[0] is the relation's (schema, table), names[k] its k-th ancestor's, parent first.
 */
struct Scratch {
	Oid relid;
	int nnames;
	std::string_view (*names)[2];
	Oid *ancestors; /* nnames - 1 */
	HashSet namespaces;
	HashSet types;
	uint32 nsphash;

	bool emit;
	Oid target;
	KeyMode keymode;
	StringInfoData text; /* ident, then column keys, then the types fragment */
	uint32 identlen;
	int ncols;
	ColumnInfo *cols;
	uint32 *keyoffs; /* of each column's key in text */
	uint32 typesoff;
	uint32 typeslen;
	MemoryContext fncxt;
	int tnatts; /* the target's attributes, when it is another relation */
	int16 *map;
	bool *keymask;
};

/* The names of the relation and of its partition ancestors, and the namespaces they depend on. */
void CollectNames(Relation rel, Scratch *b)
{
	List *ancestors = rel->rd_rel->relispartition ? get_partition_ancestors(b->relid) : NIL;
	int nanc = list_length(ancestors);
	b->nnames = 1 + nanc;
	b->names = static_cast<std::string_view(*)[2]>(palloc(sizeof(*b->names) * b->nnames));
	b->ancestors = static_cast<Oid *>(palloc(sizeof(Oid) * (nanc + 1)));

	for (int k = 0; k < b->nnames; k++) {
		Oid relid = k == 0 ? b->relid : list_nth_oid(ancestors, k - 1);
		Oid nspoid = k == 0 ? RelationGetNamespace(rel) : get_rel_namespace(relid);
		const char *relname = k == 0 ? RelationGetRelationName(rel) : get_rel_name(relid);
		const char *nsp = get_namespace_name(nspoid);
		if (nsp == nullptr || relname == nullptr)
			elog(ERROR, "cache lookup failed for relation %u", relid);
		b->names[k][0] = nsp;
		b->names[k][1] = relname;
		if (k > 0)
			b->ancestors[k - 1] = relid;
		else
			b->nsphash = NamespaceHash(nspoid);
		AddDep(&b->namespaces, NamespaceHash(nspoid));
	}
}

/*
 * The filter decision: a pattern matching the relation or any of its ancestors covers it, and
 * exclusion wins. With partition-root, the target is the topmost of them that include-tables
 * matches (the root when include-tables is not given), as pgoutput's publish_via_partition_root
 * takes the topmost published ancestor.
 */
void Decide(PluginState *state, Scratch *b)
{
	bool any_include = state->include_tables.count > 0;
	int topmost = any_include ? -1 : b->nnames - 1;
	for (int k = 0; k < b->nnames; k++) {
		if (state->exclude_tables.count > 0 && PatternSetMatches(state->exclude_tables, b->names[k])) {
			b->emit = false;
			return;
		}
		if (any_include && PatternSetMatches(state->include_tables, b->names[k]))
			topmost = k;
	}
	b->emit = topmost >= 0;
	if (!state->opts.partition_root || topmost <= 0)
		b->target = b->relid;
	else
		b->target = b->ancestors[topmost - 1];
}

/* Marks the key columns of an index (its key attributes, not INCLUDE ones), from pg_index. */
void MarkIndexColumns(Oid indexoid, bool *is_key_att, int natts)
{
	/* The syscache, not the relcache: an index's relcache entry costs kilobytes per table. */
	HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(indexoid));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for index %u", indexoid);
	auto *index = reinterpret_cast<Form_pg_index>(GETSTRUCT(tup));
	for (int k = 0; k < index->indnkeyatts; k++) {
		AttrNumber a = index->indkey.values[k];
		if (a > 0 && a <= natts)
			is_key_att[a - 1] = true;
	}
	ReleaseSysCache(tup);
}

/* The relation's key mode, and which of its attributes form the key. */
KeyMode IdentityColumns(Relation rel, bool *is_key_att)
{
	int natts = RelationGetDescr(rel)->natts;
	char replident = rel->rd_rel->relreplident;
	if (replident == REPLICA_IDENTITY_FULL) {
		list_free(RelationGetIndexList(rel)); /* makes rd_pkindex valid */
		if (OidIsValid(rel->rd_pkindex))
			MarkIndexColumns(rel->rd_pkindex, is_key_att, natts);
		else
			memset(is_key_att, true, sizeof(bool) * natts);
		return KeyMode::Full;
	}
	if (replident == REPLICA_IDENTITY_NOTHING)
		return KeyMode::None;
	Oid idx = RelationGetReplicaIndex(rel);
	if (!OidIsValid(idx))
		return KeyMode::None;
	MarkIndexColumns(idx, is_key_att, natts);
	return KeyMode::Identity;
}

/*
 * The types a column's rendering and "types" name read: the type, its element type and a
 * domain's base types; with include-types, their namespaces too.
 */
void AddTypeDeps(Scratch *b, Oid typid, bool with_namespaces)
{
	while (OidIsValid(typid)) {
		HeapTuple tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(typid));
		if (!HeapTupleIsValid(tup))
			elog(ERROR, "cache lookup failed for type %u", typid);
		auto *t = reinterpret_cast<Form_pg_type>(GETSTRUCT(tup));
		AddDep(&b->types, GetSysCacheHashValue1(TYPEOID, ObjectIdGetDatum(typid)));
		if (with_namespaces)
			AddDep(&b->namespaces, NamespaceHash(t->typnamespace));
		Oid next =
		    t->typtype == TYPTYPE_DOMAIN ? t->typbasetype : (IsTrueArrayType(t) ? t->typelem : InvalidOid);
		ReleaseSysCache(tup);
		typid = next;
	}
}

/* exclude-columns: a pattern naming the relation or any of its ancestors covers the column. */
bool ColumnExcluded(PluginState *state, const Scratch *b, const char *attname)
{
	if (state->exclude_columns.count == 0)
		return false;
	for (int k = 0; k < b->nnames; k++) {
		std::string_view names[3] = {b->names[k][0], b->names[k][1], attname};
		if (PatternSetMatches(state->exclude_columns, names))
			return true;
	}
	return false;
}

/* The columns of a relation that records name: keys, how to render, the "types" fragment. */
void CollectColumns(PluginState *state, Relation rel, Scratch *b)
{
	TupleDesc desc = RelationGetDescr(rel);
	bool *is_key_att = static_cast<bool *>(palloc0(sizeof(bool) * (desc->natts + 1)));
	b->keymode = IdentityColumns(rel, is_key_att);
	b->cols = static_cast<ColumnInfo *>(palloc(sizeof(ColumnInfo) * (desc->natts + 1)));
	b->keyoffs = static_cast<uint32 *>(palloc(sizeof(uint32) * (desc->natts + 1)));
	bool with_types = state->opts.include_types;
	StringInfoData types;
	initStringInfo(&types);
	for (int i = 0; i < desc->natts; i++) {
		Form_pg_attribute att = TupleDescAttr(desc, i);
		if (att->attisdropped)
			continue;
#if PG_VERSION_NUM >= 180000
		if (att->attgenerated == ATTRIBUTE_GENERATED_VIRTUAL)
			continue; /* not stored, so not in the WAL */
#endif
		if (ColumnExcluded(state, b, NameStr(att->attname)))
			continue;
		ColumnInfo *c = &b->cols[b->ncols];
		uint32 keyoff = static_cast<uint32>(b->text.len);
		b->keyoffs[b->ncols++] = keyoff;
		c->attidx = static_cast<int16>(i);
		c->is_key = is_key_att[i];
		c->varlena = att->attlen == -1;
		AppendName(state, &b->text, NameStr(att->attname));
		appendStringInfoChar(&b->text, ':');
		c->keylen = static_cast<uint32>(b->text.len) - keyoff;
		c->key = nullptr; /* set by Pack */
		c->typid = att->atttypid;
		c->type = MakeValueType(att->atttypid, state->cache.cxt, &b->fncxt);
		AddTypeDeps(b, att->atttypid, with_types);
		if (with_types) {
			appendStringInfoString(&types, types.len == 0 ? ",\"types\":{" : ",");
			appendBinaryStringInfo(&types, b->text.data + keyoff, static_cast<int>(c->keylen));
			AppendName(state, &types, format_type_with_typemod(att->atttypid, att->atttypmod));
		}
	}
	if (with_types) {
		appendStringInfoString(&types, types.len == 0 ? ",\"types\":{}" : "}");
		b->typesoff = static_cast<uint32>(b->text.len);
		b->typeslen = static_cast<uint32>(types.len);
		appendBinaryStringInfo(&b->text, types.data, types.len);
	}
}

/*
 * partition-root, for a relation whose records name another (its target): how its attributes map
 * onto the target's, and which key its changes can carry. The key columns are the target's; the
 * WAL holds what the relation's own replica identity logs, so a key column outside it is left
 * out, and "old" is written only when the relation is FULL as well (docs/options.md).
 */
void CollectMapping(Relation rel, Scratch *b)
{
	Relation trel = RelationIdGetRelation(b->target);
	if (!RelationIsValid(trel))
		elog(ERROR, "could not open relation with OID %u", b->target);
	TupleDesc desc = RelationGetDescr(rel);
	TupleDesc tdesc = RelationGetDescr(trel);
	b->tnatts = tdesc->natts;
#if PG_VERSION_NUM >= 160000
	AttrMap *attrmap = build_attrmap_by_name_if_req(desc, tdesc, false);
#else
	AttrMap *attrmap = build_attrmap_by_name_if_req(desc, tdesc);
#endif
	if (attrmap != nullptr) {
		b->map = static_cast<int16 *>(palloc(sizeof(int16) * (tdesc->natts + 1)));
		for (int i = 0; i < tdesc->natts; i++)
			b->map[i] = static_cast<int16>(attrmap->attnums[i] - 1);
	}

	bool *tkey = static_cast<bool *>(palloc0(sizeof(bool) * (tdesc->natts + 1)));
	bool *key = static_cast<bool *>(palloc0(sizeof(bool) * (desc->natts + 1)));
	KeyMode tmode = IdentityColumns(trel, tkey);
	KeyMode mode = IdentityColumns(rel, key);
	RelationClose(trel);

	if (mode == KeyMode::Full || tmode == KeyMode::None) {
		b->keymode = tmode; /* the WAL has the whole old row */
		return;
	}
	b->keymode = KeyMode::None;
	if (mode == KeyMode::None)
		return;
	bool same = tmode == KeyMode::Identity;
	b->keymask = static_cast<bool *>(palloc0(sizeof(bool) * (tdesc->natts + 1)));
	for (int i = 0; i < tdesc->natts; i++) {
		int a = b->map != nullptr ? b->map[i] : i;
		b->keymask[i] = tkey[i] && a >= 0 && key[a];
		same = same && b->keymask[i] == tkey[i];
		if (b->keymask[i])
			b->keymode = KeyMode::Identity;
	}
	if (same)
		b->keymask = nullptr; /* the target's key columns, as they are */
}

/* Copies what Build learnt into one block of the cache's context. */
RelData *Pack(RelCache *c, Scratch *b, int natts)
{
	/* The block's layout: each piece at a MAXALIGNed offset, the text last. */
	Size size = 0;
	auto reserve = [&size](Size bytes) {
		Size at = size;
		size += MAXALIGN(bytes);
		return at;
	};
	int nanc = b->nnames - 1;
	int tmap = b->map != nullptr ? b->tnatts : 0;
	int tmask = b->keymask != nullptr ? b->tnatts : 0;
	(void) reserve(sizeof(RelData)); /* at 0 */
	Size cols_at = reserve(sizeof(ColumnInfo) * b->ncols);
	Size deps_at = reserve(sizeof(uint32) * (b->namespaces.n + b->types.n));
	Size anc_at = reserve(sizeof(Oid) * nanc);
	Size map_at = reserve(sizeof(int16) * tmap);
	Size mask_at = reserve(sizeof(bool) * tmask);
	Size text_at = reserve(b->text.len + 1);

	char *block = static_cast<char *>(MemoryContextAllocZero(c->cxt, size));
	auto place = [block](Size at, const void *src, Size bytes) {
		if (bytes > 0)
			memcpy(block + at, src, bytes);
		return block + at;
	};
	auto *d = reinterpret_cast<RelData *>(block);
	d->fncxt = b->fncxt;
	d->natts = natts;
	d->nnamespaces = b->namespaces.n;
	d->ntypes = b->types.n;
	d->nancestors = static_cast<uint16>(nanc);
	auto *deps =
	    reinterpret_cast<uint32 *>(place(deps_at, b->namespaces.v, sizeof(uint32) * b->namespaces.n));
	place(deps_at + sizeof(uint32) * b->namespaces.n, b->types.v, sizeof(uint32) * b->types.n);
	d->deps = deps;
	d->ancestors = reinterpret_cast<Oid *>(place(anc_at, b->ancestors, sizeof(Oid) * nanc));

	const char *text = place(text_at, b->text.data, b->text.len + 1);
	d->target = b->target;
	d->keymode = b->keymode;
	d->ident = text;
	d->identlen = b->identlen;
	auto *cols = reinterpret_cast<ColumnInfo *>(place(cols_at, b->cols, sizeof(ColumnInfo) * b->ncols));
	for (int i = 0; i < b->ncols; i++)
		cols[i].key = text + b->keyoffs[i];
	d->ncols = b->ncols;
	d->cols = cols;
	d->types = text + b->typesoff;
	d->typeslen = b->typeslen;
	d->target_natts = b->tnatts;
	if (tmap > 0)
		d->map = reinterpret_cast<int16 *>(place(map_at, b->map, sizeof(int16) * tmap));
	if (tmask > 0)
		d->keymask = reinterpret_cast<bool *>(place(mask_at, b->keymask, sizeof(bool) * tmask));
	return d;
}

/* The row buffers hold the widest relation built so far. */
void EnsureBuffers(RelCache *c, int n)
{
	if (n <= c->bufsize)
		return;
	n = Max(n, 2 * c->bufsize);
	if (c->bufsize > 0) {
		pfree(c->values);
		pfree(c->nulls);
		pfree(c->tvalues);
		pfree(c->tnulls);
		pfree(c->unchanged);
	}
	c->values = static_cast<Datum *>(MemoryContextAlloc(c->cxt, sizeof(Datum) * n));
	c->nulls = static_cast<bool *>(MemoryContextAlloc(c->cxt, sizeof(bool) * n));
	c->tvalues = static_cast<Datum *>(MemoryContextAlloc(c->cxt, sizeof(Datum) * n));
	c->tnulls = static_cast<bool *>(MemoryContextAlloc(c->cxt, sizeof(bool) * n));
	c->unchanged = static_cast<int *>(MemoryContextAlloc(c->cxt, sizeof(int) * n));
	c->bufsize = n;
}

void Build(PluginState *state, RelEntry *e, Relation rel)
{
	RelCache *c = &state->cache;
	e->valid = false;
	MemoryContextReset(c->build_cxt);
	MemoryContext old = MemoryContextSwitchTo(c->build_cxt);

	Scratch b{};
	uint64 replacements = state->replacements;
	b.relid = RelationGetRelid(rel);
	b.keymode = KeyMode::None;
	initStringInfo(&b.text);
	CollectNames(rel, &b);
	Decide(state, &b);
	if (b.emit) {
		appendStringInfoString(&b.text, ",\"schema\":");
		AppendName(state, &b.text, b.names[0][0].data());
		appendStringInfoString(&b.text, ",\"table\":");
		AppendName(state, &b.text, b.names[0][1].data());
		b.identlen = static_cast<uint32>(b.text.len);
		if (b.target == b.relid)
			CollectColumns(state, rel, &b);
		else
			CollectMapping(rel, &b);
	}
	int natts = RelationGetDescr(rel)->natts;
	RelData *data = b.emit || b.nnames > 1 ? Pack(c, &b, natts) : nullptr;
	if (data != nullptr)
		data->names_replaced = state->replacements != replacements; /* SQL_ASCII: a name was not UTF-8 */
	for (int k = 0; k < b.nnames - 1; k++)
		(void) hash_search(c->parents, &b.ancestors[k], HASH_ENTER, nullptr);
	EnsureBuffers(c, Max(natts, b.tnatts));

	MemoryContextSwitchTo(old);
	MemoryContextReset(c->build_cxt);
	if (e->data != nullptr) {
		e->data->next_garbage = c->garbage;
		c->garbage = e->data;
	}
	e->data = data;
	e->emit = b.emit;
	e->nsphash = b.nsphash;
	e->valid = true;
	c->builds++;
}

RelEntry *Lookup(RelCache *c, Oid relid)
{
	bool found;
	auto *e = static_cast<RelEntry *>(hash_search(c->hash, &relid, HASH_ENTER, &found));
	if (!found) {
		e->valid = false;
		e->emit = false;
		e->queued = false;
		e->nsphash = 0;
		e->next_dead = nullptr;
		e->data = nullptr;
	}
	return e;
}

} // namespace

void RelCacheRegisterCallbacks()
{
	CacheRegisterRelcacheCallback(RelcacheCallback, (Datum) 0);
	CacheRegisterSyscacheCallback(NAMESPACEOID, SyscacheCallback, (Datum) 0);
	CacheRegisterSyscacheCallback(TYPEOID, SyscacheCallback, (Datum) 0);
}

void RelCacheInit(PluginState *state, MemoryContext parent)
{
	RelCache *c = &state->cache;
	/*
	 * Blocks of at most 8 kB: an entry of more than about 2 kB (a wide table) then gets a block of
	 * its own, of its size, instead of a chunk rounded up to a power of 2, and the context never
	 * holds a doubled block that is mostly empty.
	 */
	c->cxt = AllocSetContextCreate(parent, "pgcdc cache", ALLOCSET_DEFAULT_MINSIZE, ALLOCSET_DEFAULT_INITSIZE,
	                               ALLOCSET_DEFAULT_INITSIZE);
	c->build_cxt = AllocSetContextCreate(parent, "pgcdc cache build", ALLOCSET_DEFAULT_SIZES);

	HASHCTL ctl;
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(Oid);
	ctl.entrysize = sizeof(RelEntry);
	ctl.hcxt = c->cxt;
	c->hash = hash_create("pgcdc relation cache", 128, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	ctl.entrysize = sizeof(Oid);
	c->parents = hash_create("pgcdc partition parents", 16, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);

	auto *cb =
	    static_cast<MemoryContextCallback *>(MemoryContextAlloc(c->cxt, sizeof(MemoryContextCallback)));
	cb->func = ForgetCache;
	cb->arg = nullptr;
	MemoryContextRegisterResetCallback(c->cxt, cb);
	g_cache = c;
}

void RelCacheSweep(PluginState *state)
{
	RelCache *c = &state->cache;
	while (c->garbage != nullptr) {
		RelData *d = c->garbage;
		c->garbage = d->next_garbage;
		FreeData(d);
	}
	while (c->dead != nullptr) {
		RelEntry *e = c->dead;
		c->dead = e->next_dead;
		e->queued = false;
		e->next_dead = nullptr;
		if (e->valid)
			continue; /* rebuilt since */
		if (e->data != nullptr)
			FreeData(e->data);
		Oid relid = e->relid;
		(void) hash_search(c->hash, &relid, HASH_REMOVE, nullptr);
		c->removed++;
	}
}

RelEntry *RelCacheGet(PluginState *state, Relation rel)
{
	RelEntry *e = Lookup(&state->cache, RelationGetRelid(rel));
	if (!e->valid || (e->data != nullptr && e->data->natts != RelationGetDescr(rel)->natts))
		Build(state, e, rel);
	return e;
}

RelEntry *RelCacheGetById(PluginState *state, Oid relid, int natts)
{
	RelEntry *e = Lookup(&state->cache, relid);
	if (e->valid && (e->data == nullptr || e->data->natts == natts))
		return e;
	Relation rel = RelationIdGetRelation(relid);
	if (!RelationIsValid(rel))
		elog(ERROR, "could not open relation with OID %u", relid);
	Build(state, e, rel);
	RelationClose(rel);
	return e;
}

void RelCacheReport(PluginState *state)
{
	RelCache *c = &state->cache;
	elog(DEBUG1, "pgcdc relation cache: %llu built, %llu removed, %ld entries, %zu bytes",
	     static_cast<unsigned long long>(c->builds), static_cast<unsigned long long>(c->removed),
	     hash_get_num_entries(c->hash), MemoryContextMemAllocated(c->cxt, true));
}

} // namespace pgcdc
