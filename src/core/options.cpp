/*
 * options.cpp: the option table and the parser behind it.
 */
#include "options.hpp"

#include <cstdarg>
#include <cstdio>
#include <string>

#include "pattern.hpp"

namespace pgcdc
{

namespace
{

constexpr const char *kNumericValues[] = {"number", "string", nullptr};
constexpr const char *kByteaValues[] = {"hex", "base64", nullptr};

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

__attribute__((format(printf, 2, 3))) void Format(char (&buf)[512], const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	std::vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
}

/* Errors name the option as the user spelled it (an alias stays an alias). */
bool BadValue(OptionError *err, const char *given_name, const char *value)
{
	err->code = OptionError::Code::InvalidParameterValue;
	Format(err->message, "could not parse value \"%s\" for parameter \"%s\"", value, given_name);
	return false;
}

void AcceptedValuesHint(OptionError *err, const char *const *values)
{
	std::string list;
	for (const char *const *v = values; *v; v++) {
		if (!list.empty())
			list += ", ";
		list += '"';
		list += *v;
		list += '"';
	}
	Format(err->hint, "Accepted values are %s.", list.c_str());
}

/* The hint of an integer option; batch-bytes is the only one, so it says what its 0 means. */
void IntegerHint(OptionError *err, const OptionSpec &spec)
{
	Format(err->hint, "Accepted values are 0 (one record per message) or a number of bytes from 1 to %u.",
	       unsigned(spec.max));
}

bool ApplyActions(Options *opts, const char *given_name, std::string_view text, const char *value,
                  OptionError *err)
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
			BadValue(err, given_name, value);
			if (item.empty())
				Format(err->detail, "The list contains an empty item.");
			else
				Format(err->detail, "\"%.*s\" is not an action.", int(item.size()), item.data());
			Format(err->hint,
			       "Give a comma-separated list of one or more of \"insert\", \"update\", \"delete\", "
			       "\"truncate\", \"message\".");
			return false;
		}
		if (comma == std::string_view::npos)
			break;
		start = comma + 1;
	}
	opts->actions = actions;
	return true;
}

bool ApplyPatterns(Options *opts, const OptionSpec &spec, const char *given_name, const char *value,
                   OptionError *err)
{
	PatternList list;
	PatternError perr{};
	if (!list.Parse(value, spec.nparts, &perr)) {
		err->code = OptionError::Code::InvalidParameterValue;
		Format(err->message, "invalid pattern in parameter \"%s\" at position %zu: %s", given_name,
		       perr.position, perr.message);
		Format(err->detail, "The value is \"%s\".", value);
		return false;
	}
	switch (spec.id) {
	case OptionId::IncludeTables:
		opts->include_tables = value;
		break;
	case OptionId::ExcludeTables:
		opts->exclude_tables = value;
		break;
	case OptionId::ExcludeColumns:
		opts->exclude_columns = value;
		break;
	case OptionId::IncludeMessagePrefixes:
		opts->include_message_prefixes = value;
		break;
	case OptionId::ExcludeMessagePrefixes:
		opts->exclude_message_prefixes = value;
		break;
	default:
		break;
	}
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

bool ApplyOption(Options *opts, const char *name, const char *value, OptionError *err)
{
	const OptionSpec *spec = FindOption(name);
	if (spec == nullptr) {
		err->code = OptionError::Code::InvalidParameterValue;
		Format(err->message, "unrecognized pgcdc option \"%s\"", name);
		std::string list;
		for (const OptionSpec &s : kOptions) {
			if (!list.empty())
				list += ", ";
			list += s.name;
		}
		Format(err->hint, "Valid options are: %s.", list.c_str());
		return false;
	}
	uint32_t bit = 1u << unsigned(spec->id);
	if (opts->seen & bit) {
		err->code = OptionError::Code::SyntaxError;
		Format(err->message, "conflicting or redundant options");
		if (spec->alias)
			Format(err->detail, "Option \"%s\" (or its alias \"%s\") is given more than once.", spec->name,
			       spec->alias);
		else
			Format(err->detail, "Option \"%s\" is given more than once.", spec->name);
		return false;
	}
	opts->seen |= bit;

	if (value == nullptr && spec->kind != OptionKind::Bool) {
		err->code = OptionError::Code::InvalidParameterValue;
		Format(err->message, "parameter \"%s\" requires a value", name);
		if (spec->kind == OptionKind::Enum)
			AcceptedValuesHint(err, spec->values);
		else if (spec->kind == OptionKind::Integer)
			IntegerHint(err, *spec);
		return false;
	}

	switch (spec->kind) {
	case OptionKind::Bool: {
		bool b = true;
		if (value != nullptr && !ParseBool(value, &b)) {
			BadValue(err, name, value);
			Format(err->hint,
			       "Accepted values are PostgreSQL's booleans: true, false, on, off, yes, no, 1, 0.");
			return false;
		}
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
		if (index < 0) {
			BadValue(err, name, value);
			AcceptedValuesHint(err, spec->values);
			return false;
		}
		if (spec->id == OptionId::Numeric)
			opts->numeric = index == 0 ? NumericMode::Number : NumericMode::String;
		else
			opts->bytea = index == 0 ? ByteaMode::Hex : ByteaMode::Base64;
		return true;
	}
	case OptionKind::Actions:
		return ApplyActions(opts, name, value, value, err);
	case OptionKind::Patterns:
		return ApplyPatterns(opts, *spec, name, value, err);
	case OptionKind::Integer: {
		uint32_t n = 0;
		if (!ParseUnsigned(value, spec->max, &n)) {
			BadValue(err, name, value);
			IntegerHint(err, *spec);
			return false;
		}
		if (spec->id == OptionId::BatchBytes)
			opts->batch_bytes = n;
		return true;
	}
	}
	return false;
}

} // namespace pgcdc
