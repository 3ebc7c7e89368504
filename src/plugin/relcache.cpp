/*
 * relcache.cpp: what the plugin knows about each relation, computed once and reused per change.
 *
 * An entry holds the filter decision, the pre-escaped "schema"/"table" fragment and column keys,
 * how to render each column, which columns form the key, and the optional "types" fragment.
 * Entries are only marked invalid by the invalidation callbacks (as pgoutput's RelationSyncCache
 * does) and rebuilt on next use, so nothing is freed while a change may still be using it.
 */
#include "json.hpp"
#include "pattern.hpp"

#include "state.hpp"

namespace pgcdc
{

namespace
{

/*
 * Invalidation callbacks outlive a decoding session (PostgreSQL cannot unregister them), so they
 * reach the cache through this pointer, which a reset callback on the cache's memory context
 * clears when the session ends, by error or not.
 */
HTAB *g_relcache = nullptr;
bool g_callbacks_registered = false;

void InvalidateAll()
{
	if (g_relcache == nullptr)
		return;
	HASH_SEQ_STATUS status;
	hash_seq_init(&status, g_relcache);
	RelEntry *e;
	while ((e = static_cast<RelEntry *>(hash_seq_search(&status))) != nullptr)
		e->valid = false;
}

void RelcacheCallback(Datum, Oid relid)
{
	if (g_relcache == nullptr)
		return;
	if (!OidIsValid(relid)) {
		InvalidateAll();
		return;
	}
	auto *e = static_cast<RelEntry *>(hash_search(g_relcache, &relid, HASH_FIND, nullptr));
	if (e != nullptr)
		e->valid = false;
}

/* A renamed schema or type changes names we have cached: rare enough to drop everything. */
void SyscacheCallback(Datum, int, uint32)
{
	InvalidateAll();
}

void ForgetCache(void *)
{
	g_relcache = nullptr;
}

/* Appends a JSON string of a catalog name, through a StringInfo in the current context. */
void AppendName(PluginState *state, StringInfo si, const char *name)
{
	Sink s = SinkOver(si);
	WriteDbString(state, s, name, strlen(name));
	SinkFinish(s);
}

/* Marks the key columns of an index (its key attributes, not INCLUDE ones). */
void MarkIndexColumns(Oid indexoid, bool *is_key_att, int natts)
{
	Relation irel = RelationIdGetRelation(indexoid);
	if (!RelationIsValid(irel))
		elog(ERROR, "could not open index with OID %u", indexoid);
	for (int k = 0; k < irel->rd_index->indnkeyatts; k++) {
		AttrNumber a = irel->rd_index->indkey.values[k];
		if (a > 0 && a <= natts)
			is_key_att[a - 1] = true;
	}
	RelationClose(irel);
}

bool TablePasses(PluginState *state, const std::string_view *names)
{
	if (state->include_tables.count > 0 && !PatternSetMatches(state->include_tables, names))
		return false;
	if (state->exclude_tables.count > 0 && PatternSetMatches(state->exclude_tables, names))
		return false;
	return true;
}

void Build(PluginState *state, RelEntry *e, Relation rel)
{
	e->valid = false;
	if (e->cxt == nullptr)
		e->cxt = AllocSetContextCreate(state->cache_cxt, "pgcdc relation", ALLOCSET_SMALL_SIZES);
	else
		MemoryContextReset(e->cxt);
	MemoryContext old = MemoryContextSwitchTo(e->cxt);

	TupleDesc desc = RelationGetDescr(rel);
	const char *nsp = get_namespace_name(RelationGetNamespace(rel));
	const char *relname = RelationGetRelationName(rel);
	if (nsp == nullptr)
		elog(ERROR, "cache lookup failed for namespace %u", RelationGetNamespace(rel));
	std::string_view names[3] = {nsp, relname, {}};

	e->natts = desc->natts;
	e->emit = TablePasses(state, names);
	e->ncols = 0;
	e->keymode = KeyMode::None;
	e->typeslen = 0;
	e->types = nullptr;
	uint64 replacements = state->replacements;

	if (e->emit) {
		StringInfoData si;
		initStringInfo(&si);
		appendStringInfoString(&si, ",\"schema\":");
		AppendName(state, &si, nsp);
		appendStringInfoString(&si, ",\"table\":");
		AppendName(state, &si, relname);
		e->ident = si.data;
		e->identlen = static_cast<uint32>(si.len);

		/* Which attributes form the key. */
		bool *is_key_att = static_cast<bool *>(palloc0(sizeof(bool) * (desc->natts + 1)));
		char replident = rel->rd_rel->relreplident;
		if (replident == REPLICA_IDENTITY_FULL) {
			e->keymode = KeyMode::Full;
			list_free(RelationGetIndexList(rel)); /* makes rd_pkindex valid */
			if (OidIsValid(rel->rd_pkindex))
				MarkIndexColumns(rel->rd_pkindex, is_key_att, desc->natts);
			else
				memset(is_key_att, true, sizeof(bool) * desc->natts);
		} else if (replident != REPLICA_IDENTITY_NOTHING) {
			Oid idx = RelationGetReplicaIndex(rel);
			if (OidIsValid(idx)) {
				e->keymode = KeyMode::Identity;
				MarkIndexColumns(idx, is_key_att, desc->natts);
			}
		}

		e->cols = static_cast<ColumnInfo *>(palloc(sizeof(ColumnInfo) * (desc->natts + 1)));
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
			names[2] = NameStr(att->attname);
			if (state->exclude_columns.count > 0 && PatternSetMatches(state->exclude_columns, names))
				continue;

			ColumnInfo *c = &e->cols[e->ncols++];
			c->attidx = i;
			c->is_key = is_key_att[i];
			c->varlena = att->attlen == -1;
			StringInfoData key;
			initStringInfo(&key);
			AppendName(state, &key, NameStr(att->attname));
			appendStringInfoChar(&key, ':');
			c->key = key.data;
			c->keylen = static_cast<uint32>(key.len);
			c->type = MakeValueType(att->atttypid, true);

			if (state->opts.include_types) {
				appendStringInfoString(&types, types.len == 0 ? ",\"types\":{" : ",");
				appendBinaryStringInfo(&types, c->key, static_cast<int>(c->keylen));
				AppendName(state, &types, format_type_with_typemod(att->atttypid, att->atttypmod));
			}
		}
		if (state->opts.include_types) {
			appendStringInfoString(&types, types.len == 0 ? ",\"types\":{}" : "}");
			e->types = types.data;
			e->typeslen = static_cast<uint32>(types.len);
		}
		e->values = static_cast<Datum *>(palloc(sizeof(Datum) * (desc->natts + 1)));
		e->nulls = static_cast<bool *>(palloc(sizeof(bool) * (desc->natts + 1)));
		e->unchanged = static_cast<int *>(palloc(sizeof(int) * (e->ncols + 1)));
	}

	MemoryContextSwitchTo(old);
	e->names_replaced = state->replacements != replacements;
	e->valid = true;
}

} // namespace

void RelCacheInit(PluginState *state)
{
	HASHCTL ctl;
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(Oid);
	ctl.entrysize = sizeof(RelEntry);
	ctl.hcxt = state->cache_cxt;
	state->relcache = hash_create("pgcdc relation cache", 128, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);

	MemoryContextCallback *cb = static_cast<MemoryContextCallback *>(
	    MemoryContextAlloc(state->cache_cxt, sizeof(MemoryContextCallback)));
	cb->func = ForgetCache;
	cb->arg = nullptr;
	MemoryContextRegisterResetCallback(state->cache_cxt, cb);
	g_relcache = state->relcache;

	if (!g_callbacks_registered) {
		CacheRegisterRelcacheCallback(RelcacheCallback, (Datum) 0);
		CacheRegisterSyscacheCallback(NAMESPACEOID, SyscacheCallback, (Datum) 0);
		CacheRegisterSyscacheCallback(TYPEOID, SyscacheCallback, (Datum) 0);
		g_callbacks_registered = true;
	}
}

RelEntry *RelCacheGet(PluginState *state, Relation rel)
{
	Oid relid = RelationGetRelid(rel);
	bool found;
	auto *e = static_cast<RelEntry *>(hash_search(state->relcache, &relid, HASH_ENTER, &found));
	if (!found) {
		e->valid = false;
		e->cxt = nullptr;
	}
	if (!e->valid || e->natts != RelationGetDescr(rel)->natts)
		Build(state, e, rel);
	return e;
}

} // namespace pgcdc
