/*
 * options.cpp: the option table and the parser behind it.
 */
#include "options.hpp"

namespace pgcdc
{

namespace
{

constexpr const char *kNumericValues[] = {"number", "string", nullptr};
constexpr const char *kByteaValues[] = {"hex", "base64", nullptr};
constexpr const char *kOversizedValues[] = {"error", "omit-values", nullptr};

struct ActionName {
	const char *name;
	Action action;
};
constexpr ActionName kActionNames[] = {
    {"insert", kActionInsert},     {"update", kActionUpdate},   {"delete", kActionDelete},
    {"truncate", kActionTruncate}, {"message", kActionMessage},
};

bool EqualsIgnoreCase(std::string_view a, std::string_view b)
{
	if (a.size() != b.size())
		return false;
	for (size_t i = 0; i < a.size(); i++) {
		char x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z')
			x = char(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = char(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return true;
}

/* True when text is a non-empty prefix of word, ignoring case, and at least min_len long. */
bool PrefixOf(std::string_view text, std::string_view word, size_t min_len = 1)
{
	return text.size() >= min_len && text.size() <= word.size() &&
	       EqualsIgnoreCase(text, word.substr(0, text.size()));
}

std::string_view Trim(std::string_view s)
{
	while (!s.empty() && s.front() == ' ')
		s.remove_prefix(1);
	while (!s.empty() && s.back() == ' ')
		s.remove_suffix(1);
	return s;
}

bool Fail(OptionError *err, OptionError::Kind kind, const OptionSpec *spec)
{
	err->kind = kind;
	err->spec = spec;
	return false;
}

bool ApplyActions(Options *opts, const OptionSpec &spec, std::string_view text, OptionError *err)
{
	unsigned actions = 0;
	size_t start = 0;
	for (;;) {
		size_t comma = text.find(',', start);
		std::string_view item =
		    Trim(text.substr(start, comma == std::string_view::npos ? comma : comma - start));
		bool found = false;
		for (const ActionName &a : kActionNames) {
			if (EqualsIgnoreCase(item, a.name)) {
				actions |= a.action;
				found = true;
			}
		}
		if (!found) {
			err->item = item;
			return Fail(err, OptionError::Kind::BadValue, &spec);
		}
		if (comma == std::string_view::npos)
			break;
		start = comma + 1;
	}
	opts->actions = actions;
	return true;
}

PatternSet *PatternsOf(Options *opts, OptionId id)
{
	switch (id) {
	case OptionId::IncludeTables:
		return &opts->include_tables;
	case OptionId::ExcludeTables:
		return &opts->exclude_tables;
	case OptionId::ExcludeColumns:
		return &opts->exclude_columns;
	case OptionId::IncludeMessagePrefixes:
		return &opts->include_message_prefixes;
	case OptionId::ExcludeMessagePrefixes:
		return &opts->exclude_message_prefixes;
	default:
		return nullptr;
	}
}

/* Parses the list once, into memory from alloc, where the plugin will match with it. */
bool ApplyPatterns(Options *opts, const OptionSpec &spec, std::string_view text, OptionAlloc alloc,
                   OptionError *err)
{
	size_t bound = PatternCountBound(text);
	char *buf = static_cast<char *>(alloc(PatternBufferSize(text)));
	auto *patterns = static_cast<Pattern *>(alloc(sizeof(Pattern) * bound));
	long n = ParsePatternList(text, spec.nparts, buf, patterns, bound, &err->pattern);
	if (n < 0)
		return Fail(err, OptionError::Kind::BadPattern, &spec);
	PatternSet *set = PatternsOf(opts, spec.id);
	set->buf = buf;
	set->patterns = patterns;
	set->count = static_cast<size_t>(n);
	return true;
}

} // namespace

const OptionSpec kOptions[] = {
    {"include-transaction", nullptr, OptionKind::Bool, OptionId::IncludeTransaction, 0, nullptr, 0},
    {"include-lsn", nullptr, OptionKind::Bool, OptionId::IncludeLsn, 0, nullptr, 0},
    {"include-types", nullptr, OptionKind::Bool, OptionId::IncludeTypes, 0, nullptr, 0},
    {"include-tables", "add-tables", OptionKind::Patterns, OptionId::IncludeTables, 2, nullptr, 0},
    {"exclude-tables", "filter-tables", OptionKind::Patterns, OptionId::ExcludeTables, 2, nullptr, 0},
    {"exclude-columns", nullptr, OptionKind::Patterns, OptionId::ExcludeColumns, 3, nullptr, 0},
    {"partition-root", nullptr, OptionKind::Bool, OptionId::PartitionRoot, 0, nullptr, 0},
    {"actions", nullptr, OptionKind::Actions, OptionId::Actions, 0, nullptr, 0},
    {"include-message-prefixes", "add-msg-prefixes", OptionKind::Patterns, OptionId::IncludeMessagePrefixes,
     1, nullptr, 0},
    {"exclude-message-prefixes", "filter-msg-prefixes", OptionKind::Patterns,
     OptionId::ExcludeMessagePrefixes, 1, nullptr, 0},
    {"skip-empty-transactions", "skip-empty-xacts", OptionKind::Bool, OptionId::SkipEmptyTransactions, 0,
     nullptr, 0},
    {"only-local", nullptr, OptionKind::Bool, OptionId::OnlyLocal, 0, nullptr, 0},
    {"numeric", nullptr, OptionKind::Enum, OptionId::Numeric, 0, kNumericValues, 0},
    {"bytea", nullptr, OptionKind::Enum, OptionId::Bytea, 0, kByteaValues, 0},
    {"batch-bytes", nullptr, OptionKind::Integer, OptionId::BatchBytes, 0, nullptr, kMaxBatchBytes},
    {"max-record-bytes", nullptr, OptionKind::Integer, OptionId::MaxRecordBytes, 0, nullptr, kMaxRecordBytes,
     kMinRecordBytes},
    {"oversized-records", nullptr, OptionKind::Enum, OptionId::OversizedRecords, 0, kOversizedValues, 0},
};
const size_t kOptionCount = sizeof(kOptions) / sizeof(kOptions[0]);

static_assert(sizeof(kOptions) / sizeof(kOptions[0]) == size_t(OptionId::Count),
              "one table entry per OptionId");

const OptionSpec *FindOption(std::string_view name)
{
	for (const OptionSpec &spec : kOptions) {
		if (name == spec.name || (spec.alias && name == spec.alias))
			return &spec;
	}
	return nullptr;
}

bool ParseBool(std::string_view t, bool *result)
{
	if (t.empty())
		return false;
	switch (t[0]) {
	case 't':
	case 'T':
		return PrefixOf(t, "true") && (*result = true, true);
	case 'f':
	case 'F':
		return PrefixOf(t, "false") && (*result = false, true);
	case 'y':
	case 'Y':
		return PrefixOf(t, "yes") && (*result = true, true);
	case 'n':
	case 'N':
		return PrefixOf(t, "no") && (*result = false, true);
	case 'o':
	case 'O':
		/* "o" alone is ambiguous between on and off */
		if (PrefixOf(t, "on", 2)) {
			*result = true;
			return true;
		}
		if (PrefixOf(t, "off", 2)) {
			*result = false;
			return true;
		}
		return false;
	case '1':
		return t.size() == 1 && (*result = true, true);
	case '0':
		return t.size() == 1 && (*result = false, true);
	default:
		return false;
	}
}

bool ParseUnsigned(std::string_view text, uint32_t max, uint32_t *result)
{
	if (text.empty())
		return false;
	uint64_t v = 0;
	for (char c : text) {
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + uint64_t(c - '0');
		if (v > max)
			return false;
	}
	*result = uint32_t(v);
	return true;
}

bool ApplyOption(Options *opts, const char *name, const char *value, OptionAlloc alloc, OptionError *err)
{
	const OptionSpec *spec = FindOption(name);
	if (spec == nullptr)
		return Fail(err, OptionError::Kind::Unknown, nullptr);
	uint32_t bit = 1u << unsigned(spec->id);
	if (opts->seen & bit)
		return Fail(err, OptionError::Kind::Repeated, spec);
	opts->seen |= bit;

	if (value == nullptr && spec->kind != OptionKind::Bool)
		return Fail(err, OptionError::Kind::NeedsValue, spec);

	switch (spec->kind) {
	case OptionKind::Bool: {
		bool b = true;
		if (value != nullptr && !ParseBool(value, &b))
			return Fail(err, OptionError::Kind::BadValue, spec);
		switch (spec->id) {
		case OptionId::IncludeTransaction:
			opts->include_transaction = b;
			break;
		case OptionId::IncludeLsn:
			opts->include_lsn = b;
			break;
		case OptionId::IncludeTypes:
			opts->include_types = b;
			break;
		case OptionId::SkipEmptyTransactions:
			opts->skip_empty_transactions = b;
			break;
		case OptionId::OnlyLocal:
			opts->only_local = b;
			break;
		case OptionId::PartitionRoot:
			opts->partition_root = b;
			break;
		default:
			break;
		}
		return true;
	}
	case OptionKind::Enum: {
		int index = -1;
		for (int i = 0; spec->values[i]; i++) {
			if (EqualsIgnoreCase(value, spec->values[i]))
				index = i;
		}
		if (index < 0)
			return Fail(err, OptionError::Kind::BadValue, spec);
		if (spec->id == OptionId::Numeric)
			opts->numeric = index == 0 ? NumericMode::Number : NumericMode::String;
		else if (spec->id == OptionId::Bytea)
			opts->bytea = index == 0 ? ByteaMode::Hex : ByteaMode::Base64;
		else
			opts->oversized = index == 0 ? OversizedMode::Error : OversizedMode::OmitValues;
		return true;
	}
	case OptionKind::Actions:
		return ApplyActions(opts, *spec, value, err);
	case OptionKind::Patterns:
		return ApplyPatterns(opts, *spec, value, alloc, err);
	case OptionKind::Integer: {
		uint32_t n = 0;
		if (!ParseUnsigned(value, spec->max, &n) || n < spec->min)
			return Fail(err, OptionError::Kind::BadValue, spec);
		if (spec->id == OptionId::BatchBytes)
			opts->batch_bytes = n;
		else
			opts->max_record_bytes = n;
		return true;
	}
	}
	return false;
}

} // namespace pgcdc
