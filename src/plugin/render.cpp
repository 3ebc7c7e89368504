/*
 * render.cpp: PostgreSQL values as JSON values.
 *
 * The common types are rendered from their binary form without calling output functions
 * (integers, floats, booleans, text, bytea, uuid, dates and timestamps, intervals, jsonb, arrays);
 * numeric goes through numeric_out for its exact digits; every other type is its output function's
 * text as a JSON string. The RenderKind of a column is decided once, when its relation is cached.
 *
 * Runs inside the plugin's per-change memory context; detoasted copies are freed when it resets.
 */
#include "datetime.hpp"
#include "json.hpp"
#include "numbers.hpp"

#include "state.hpp"

namespace pgcdc
{

namespace
{

void SinkGrow(Sink &sink, size_t need)
{
	StringInfo si = static_cast<StringInfo>(sink.state);
	si->len = static_cast<int>(sink.cur - si->data);
	if (need >= MaxAllocSize - static_cast<size_t>(si->len))
		ereport(ERROR,
		        (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("pgcdc change record would exceed 1 GB"),
		         errdetail("The record has %d bytes and needs %zu more.", si->len, need)));
	enlargeStringInfo(si, static_cast<int>(need));
	sink.cur = si->data + si->len;
	sink.end = si->data + si->maxlen - 1;
}

void WriteJsonb(PluginState *state, Sink &out, JsonbContainer *root);

void WriteJsonbScalar(PluginState *state, Sink &out, const JsonbValue &v)
{
	switch (v.type) {
	case jbvNull:
		out.literal("null");
		break;
	case jbvBool:
		if (v.val.boolean)
			out.literal("true");
		else
			out.literal("false");
		break;
	case jbvString:
		WriteDbString(state, out, v.val.string.val, static_cast<size_t>(v.val.string.len));
		break;
	case jbvNumeric: {
		char *s = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v.val.numeric)));
		out.append(s, strlen(s));
		break;
	}
	default:
		elog(ERROR, "unexpected jsonb value type %d", static_cast<int>(v.type));
	}
}

/* jsonb without the spaces jsonb_out puts after ':' and ','. */
void WriteJsonb(PluginState *state, Sink &out, JsonbContainer *root)
{
	JsonbValue v;
	if (JsonContainerIsScalar(root)) {
		if (!JsonbExtractScalar(root, &v))
			elog(ERROR, "could not extract jsonb scalar");
		WriteJsonbScalar(state, out, v);
		return;
	}
	JsonbIterator *it = JsonbIteratorInit(root);
	JsonbIteratorToken tok;
	bool need_comma = false;
	while ((tok = JsonbIteratorNext(&it, &v, false)) != WJB_DONE) {
		switch (tok) {
		case WJB_BEGIN_ARRAY:
		case WJB_BEGIN_OBJECT:
			if (need_comma)
				out.put(',');
			out.put(tok == WJB_BEGIN_ARRAY ? '[' : '{');
			need_comma = false;
			break;
		case WJB_END_ARRAY:
		case WJB_END_OBJECT:
			out.put(tok == WJB_END_ARRAY ? ']' : '}');
			need_comma = true;
			break;
		case WJB_KEY:
			if (need_comma)
				out.put(',');
			WriteDbString(state, out, v.val.string.val, static_cast<size_t>(v.val.string.len));
			out.put(':');
			need_comma = false;
			break;
		case WJB_VALUE:
		case WJB_ELEM:
			if (need_comma)
				out.put(',');
			WriteJsonbScalar(state, out, v);
			need_comma = true;
			break;
		default:
			break;
		}
	}
}

void WriteArrayLevel(PluginState *state, Sink &out, const ValueType *elem, int ndim, const int *dims,
                     int level, const Datum *elems, const bool *nulls, int *index)
{
	out.put('[');
	for (int i = 0; i < dims[level]; i++) {
		if (i > 0)
			out.put(',');
		if (level + 1 < ndim) {
			WriteArrayLevel(state, out, elem, ndim, dims, level + 1, elems, nulls, index);
		} else {
			int k = (*index)++;
			if (nulls[k])
				out.literal("null");
			else
				WriteDatum(state, out, elem, elems[k]);
		}
	}
	out.put(']');
}

void WriteArray(PluginState *state, Sink &out, const ValueType *type, Datum value)
{
	ArrayType *arr = DatumGetArrayTypeP(value);
	int ndim = ARR_NDIM(arr);
	if (ndim == 0) {
		out.literal("[]");
		return;
	}
	Datum *elems;
	bool *nulls;
	int n;
	deconstruct_array(arr, type->elemtype, type->elmlen, type->elmbyval, type->elmalign, &elems, &nulls, &n);
	ValueType elem{};
	elem.kind = type->elemkind;
	elem.out = type->out;
	int index = 0;
	WriteArrayLevel(state, out, &elem, ndim, ARR_DIMS(arr), 0, elems, nulls, &index);
}

RenderKind KindOf(Oid base)
{
	switch (base) {
	case BOOLOID:
		return RenderKind::Bool;
	case INT2OID:
		return RenderKind::Int2;
	case INT4OID:
		return RenderKind::Int4;
	case INT8OID:
		return RenderKind::Int8;
	case OIDOID:
		return RenderKind::Oid;
	case FLOAT4OID:
		return RenderKind::Float4;
	case FLOAT8OID:
		return RenderKind::Float8;
	case NUMERICOID:
		return RenderKind::Numeric;
	case JSONOID:
		return RenderKind::Json;
	case JSONBOID:
		return RenderKind::Jsonb;
	case TIMESTAMPTZOID:
		return RenderKind::TimestampTz;
	case TIMESTAMPOID:
		return RenderKind::Timestamp;
	case DATEOID:
		return RenderKind::Date;
	case INTERVALOID:
		return RenderKind::Interval;
	case BYTEAOID:
		return RenderKind::Bytea;
	case TEXTOID:
	case VARCHAROID:
	case BPCHAROID:
		return RenderKind::Text;
	case UUIDOID:
		return RenderKind::Uuid;
	default:
		return RenderKind::Other;
	}
}

} // namespace

Sink SinkOver(StringInfo si)
{
	Sink sink;
	sink.state = si;
	sink.grow = SinkGrow;
	sink.cur = si->data + si->len;
	sink.end = si->data + si->maxlen - 1; /* keep room for the terminating NUL */
	return sink;
}

void SinkFinish(Sink &sink)
{
	StringInfo si = static_cast<StringInfo>(sink.state);
	si->len = static_cast<int>(sink.cur - si->data);
	si->data[si->len] = '\0';
}

ValueType MakeValueType(Oid typid, MemoryContext parent, MemoryContext *fncxt)
{
	ValueType t{};
	Oid base = getBaseType(typid);
	t.kind = KindOf(base);
	if (t.kind != RenderKind::Other)
		return t;
	Oid outtype = typid;
	Oid elem = get_element_type(base);
	if (OidIsValid(elem)) {
		t.kind = RenderKind::Array;
		t.elemtype = elem;
		get_typlenbyvalalign(elem, &t.elmlen, &t.elmbyval, &t.elmalign);
		t.elemkind = KindOf(getBaseType(elem));
		if (t.elemkind != RenderKind::Other)
			return t;
		outtype = elem;
	}
	Oid outfn;
	bool isvarlena;
	getTypeOutputInfo(outtype, &outfn, &isvarlena);
	/*
	 * Output functions may keep state in fn_extra, allocated in fn_mcxt (ranges and composites
	 * do): a context of the relation's own, so that it goes with the entry.
	 */
	if (*fncxt == nullptr)
		*fncxt = AllocSetContextCreate(parent, "pgcdc output functions", ALLOCSET_SMALL_SIZES);
	t.out = static_cast<FmgrInfo *>(MemoryContextAlloc(*fncxt, sizeof(FmgrInfo)));
	fmgr_info_cxt(outfn, t.out, *fncxt);
	return t;
}

void ToUtf8(PluginState *state, const char **s, size_t *len)
{
	if (!state->ascii_only)
		return; /* UTF8 or SQL_ASCII: the bytes go out as they are (invalid UTF-8 as U+FFFD) */
	char *utf8 = pg_server_to_any(*s, static_cast<int>(*len), PG_UTF8);
	if (utf8 != *s) {
		*s = utf8;
		*len = strlen(utf8);
	}
}

void WriteDbString(PluginState *state, Sink &out, const char *s, size_t len)
{
	ToUtf8(state, &s, &len);
	WriteJsonString(out, s, len, state->ascii_only);
}

void WriteDatum(PluginState *state, Sink &out, const ValueType *type, Datum value)
{
	switch (type->kind) {
	case RenderKind::Bool:
		if (DatumGetBool(value))
			out.literal("true");
		else
			out.literal("false");
		break;
	case RenderKind::Int2:
		WriteInt64(out, DatumGetInt16(value));
		break;
	case RenderKind::Int4:
		WriteInt64(out, DatumGetInt32(value));
		break;
	case RenderKind::Int8:
		WriteInt64(out, DatumGetInt64(value));
		break;
	case RenderKind::Oid:
		WriteUInt64(out, DatumGetObjectId(value));
		break;
	case RenderKind::Float4:
		WriteFloat4(out, DatumGetFloat4(value));
		break;
	case RenderKind::Float8:
		WriteFloat8(out, DatumGetFloat8(value));
		break;
	case RenderKind::Numeric: {
		char *s = DatumGetCString(DirectFunctionCall1(numeric_out, value));
		WriteNumericText(out, s, strlen(s), state->opts.numeric == NumericMode::String);
		break;
	}
	case RenderKind::Json: {
		text *t = DatumGetTextPP(value);
		const char *s = VARDATA_ANY(t);
		size_t len = VARSIZE_ANY_EXHDR(t);
		ToUtf8(state, &s, &len);
		WriteJsonMinified(out, s, len, state->ascii_only);
		break;
	}
	case RenderKind::Jsonb:
		WriteJsonb(state, out, &DatumGetJsonbP(value)->root);
		break;
	case RenderKind::TimestampTz:
		WriteTimestamp(out, DatumGetTimestampTz(value), true);
		break;
	case RenderKind::Timestamp:
		WriteTimestamp(out, DatumGetTimestamp(value), false);
		break;
	case RenderKind::Date:
		WriteDate(out, DatumGetDateADT(value));
		break;
	case RenderKind::Interval: {
		Interval *iv = DatumGetIntervalP(value);
		WriteInterval(out, iv->time, iv->day, iv->month, PGCDC_INTERVAL_INFINITIES);
		break;
	}
	case RenderKind::Bytea: {
		bytea *b = DatumGetByteaPP(value);
		auto *data = reinterpret_cast<const unsigned char *>(VARDATA_ANY(b));
		size_t len = VARSIZE_ANY_EXHDR(b);
		if (state->opts.bytea == ByteaMode::Base64)
			WriteBase64String(out, data, len);
		else
			WriteByteaHexString(out, data, len);
		break;
	}
	case RenderKind::Text: {
		text *t = DatumGetTextPP(value);
		WriteDbString(state, out, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
		break;
	}
	case RenderKind::Uuid:
		WriteUuidString(out, DatumGetUUIDP(value)->data);
		break;
	case RenderKind::Array:
		WriteArray(state, out, type, value);
		break;
	case RenderKind::Other: {
		char *s = OutputFunctionCall(type->out, value);
		WriteDbString(state, out, s, strlen(s));
		break;
	}
	}
}

} // namespace pgcdc
