/*
 * render.cpp: PostgreSQL values as JSON values.
 *
 * The common types are rendered from their binary form without calling output functions
 * (integers, floats, booleans, text, bytea, uuid, dates and timestamps, intervals, jsonb, arrays);
 * numeric goes through numeric_out for its exact digits; every other type is its output function's
 * text as a JSON string. The RenderKind of a column is decided once, when its relation is cached.
 *
 * Records are UTF-8 that jsonb accepts, whatever the database holds: text in a database encoding
 * other than UTF8 and SQL_ASCII is converted (by the conversion looked up at startup, so that
 * non-transactional messages, decoded outside any transaction, need no catalog access); a value
 * that still cannot be written as it is (bytes that are not UTF-8 in SQL_ASCII, json that jsonb
 * refuses) is written as the base64 of its text (WriteValue).
 *
 * Runs inside the plugin's per-change memory context; detoasted copies are freed when it resets.
 */
#include "budget.hpp"
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
	/* A record is kept within max-record-bytes (budget.hpp), so a buffer never nears 1 GB. */
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
	/*
	 * int2vector and oidvector are arrays to PostgreSQL, but zero-based ones: as JSON arrays they
	 * would read back (jsonb_populate_record) as one-based arrays, which are not equal to the
	 * original and not valid vectors. Their text ("1 2 3") reads back exactly.
	 */
	bool vector = base == INT2VECTOROID || base == OIDVECTOROID;
	Oid elem = vector ? InvalidOid : get_element_type(base);
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

void LookUpConversion(PluginState *state, MemoryContext cxt)
{
	/*
	 * FindDefaultConversionProc reads the catalogs, which needs a transaction: the SQL functions
	 * call the startup callback in theirs, a walsender in none, so start a short one there (and
	 * leave the walsender's memory context and resource owner as they were). The search path is
	 * pinned already, so the conversion found is pg_catalog's.
	 */
	MemoryContext old = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	bool own_xact = !IsTransactionState();
	if (own_xact)
		StartTransactionCommand();
	Oid proc = FindDefaultConversionProc(state->encoding, PG_UTF8);
	if (!OidIsValid(proc))
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_FUNCTION),
		                errmsg("default conversion function for encoding \"%s\" to \"%s\" does not exist",
		                       pg_encoding_to_char(state->encoding), pg_encoding_to_char(PG_UTF8))));
	state->to_utf8 = static_cast<FmgrInfo *>(MemoryContextAllocZero(cxt, sizeof(FmgrInfo)));
	fmgr_info_cxt(proc, state->to_utf8, cxt);
	if (own_xact) {
		CommitTransactionCommand();
		CurrentResourceOwner = owner;
	}
	MemoryContextSwitchTo(old);
}

namespace
{

bool IsAscii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (static_cast<unsigned char>(s[i]) >= 0x80)
			return false;
	return true;
}

/* Calls the conversion (as pg_do_encoding_conversion does); returns how many bytes it took. */
int Convert(PluginState *state, const char *s, size_t len, char **result, bool no_error)
{
	if (len >= MaxAllocHugeSize / MAX_CONVERSION_GROWTH)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("out of memory"),
		                errdetail("String of %zu bytes is too long for encoding conversion.", len)));
	*result =
	    static_cast<char *>(MemoryContextAllocHuge(CurrentMemoryContext, len * MAX_CONVERSION_GROWTH + 1));
	Datum taken = FunctionCall6(state->to_utf8, Int32GetDatum(state->encoding), Int32GetDatum(PG_UTF8),
	                            CStringGetDatum(s), CStringGetDatum(*result),
	                            Int32GetDatum(static_cast<int>(len)), BoolGetDatum(no_error));
	return DatumGetInt32(taken);
}

} // namespace

void ToUtf8(PluginState *state, const char **s, size_t *len)
{
	/* UTF8 or SQL_ASCII: the bytes go out as they are (what is not UTF-8 is caught by the writers) */
	if (state->to_utf8 == nullptr || IsAscii(*s, *len))
		return;
	char *utf8;
	Convert(state, *s, *len, &utf8, false);
	*s = utf8;
	*len = strlen(utf8);
}

bool ContentToUtf8(PluginState *state, const char **s, size_t *len)
{
	if (state->to_utf8 == nullptr || IsAscii(*s, *len))
		return true;
	if (!pg_verify_mbstr(state->encoding, *s, static_cast<int>(*len), true))
		return false;
	char *utf8;
	if (static_cast<size_t>(Convert(state, *s, *len, &utf8, true)) != *len)
		return false; /* a character without a Unicode equivalent */
	*s = utf8;
	*len = strlen(utf8);
	return true;
}

void WriteDbString(PluginState *state, Sink &out, const char *s, size_t len)
{
	ToUtf8(state, &s, &len);
	state->replacements += WriteJsonString(out, s, len, state->ascii_only);
}

bool WriteValue(PluginState *state, BoundedSink &b, const ValueType *type, Oid typid, Datum value)
{
	Sink &out = b.out;
	size_t mark = BoundedLength(b);
	uint64 before = state->replacements;
	WriteDatum(state, out, type, value);
	if (state->replacements == before)
		return true;

	/* Take back what was written (the buffer may have moved: the record's sink goes by length). */
	state->replacements = before;
	BoundedRewind(&b, mark);
	const char *s;
	size_t len;
	if (type->kind == RenderKind::Text || type->kind == RenderKind::Json) {
		text *t = DatumGetTextPP(value);
		s = VARDATA_ANY(t);
		len = VARSIZE_ANY_EXHDR(t);
	} else {
		Oid outfn;
		bool isvarlena;
		getTypeOutputInfo(typid, &outfn, &isvarlena);
		s = OidOutputFunctionCall(outfn, value);
		len = strlen(s);
	}
	ToUtf8(state, &s, &len);
	WriteBase64String(out, reinterpret_cast<const unsigned char *>(s), len);
	return false;
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
		state->replacements += WriteJsonMinified(out, s, len, state->ascii_only);
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
