/*
 * options.hpp: the output plugin's options, parsed from name/value pairs.
 *
 * One table describes every option (name, alias, kind, accepted values), and one function applies
 * a pair to a plain Options struct, reporting errors in PostgreSQL's words so the plugin can
 * ereport them unchanged. Options is trivially destructible: the plugin keeps it in palloc'd
 * memory. Pattern options are validated here and kept as text; the plugin compiles them into
 * its own memory with ParsePatternList.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core_fence.hpp"

namespace pgcdc
{

enum Action : unsigned {
	kActionInsert = 1u << 0,
	kActionUpdate = 1u << 1,
	kActionDelete = 1u << 2,
	kActionTruncate = 1u << 3,
	kActionMessage = 1u << 4,
	kActionAll = (1u << 5) - 1,
};

enum class NumericMode : uint8_t { Number, String };
enum class ByteaMode : uint8_t { Hex, Base64 };

enum class OptionId : uint8_t {
	IncludeTransaction,
	IncludeLsn,
	IncludeTypes,
	IncludeTables,
	ExcludeTables,
	ExcludeColumns,
	PartitionRoot,
	Actions,
	IncludeMessagePrefixes,
	ExcludeMessagePrefixes,
	SkipEmptyTransactions,
	OnlyLocal,
	Numeric,
	Bytea,
	BatchBytes,
	Count
};

enum class OptionKind : uint8_t { Bool, Enum, Actions, Patterns, Integer };

/* The largest batch-bytes (256 MB), so a batch of records stays far from PostgreSQL's 1 GB limit. */
constexpr uint32_t kMaxBatchBytes = 256u * 1024 * 1024;

struct OptionSpec {
	const char *name;
	const char *alias; /* nullptr when none */
	OptionKind kind;
	OptionId id;
	int nparts;                /* Patterns: parts per pattern */
	const char *const *values; /* Enum: accepted values, nullptr-terminated */
	uint32_t max;              /* Integer: accepted values are 0 to max, in decimal digits */
};

/* Every option, in documentation order; kOptionCount entries. */
extern const OptionSpec kOptions[];
extern const size_t kOptionCount;

/* The option called name (by its name or its alias), or nullptr. */
const OptionSpec *FindOption(std::string_view name);

struct Options {
	bool include_transaction = true;
	bool include_lsn = false;
	bool include_types = false;
	bool skip_empty_transactions = true;
	bool only_local = false;
	/* Records of a partition's changes name its root (see docs/options.md), not the partition. */
	bool partition_root = false;
	unsigned actions = kActionAll;
	NumericMode numeric = NumericMode::Number;
	ByteaMode bytea = ByteaMode::Hex;
	/* 0: one record per message; else records share a message until it holds this many bytes. */
	uint32_t batch_bytes = 0;
	/* Validated pattern lists, as given (pointing into the caller's strings); nullptr when absent. */
	const char *include_tables = nullptr;
	const char *exclude_tables = nullptr;
	const char *exclude_columns = nullptr;
	const char *include_message_prefixes = nullptr;
	const char *exclude_message_prefixes = nullptr;
	/* Which options have been given, by OptionId bit, to reject repeats. */
	uint32_t seen = 0;
};

/* An error in PostgreSQL's shape: a SQLSTATE class, a message, and optional detail and hint. */
struct OptionError {
	enum class Code : uint8_t { InvalidParameterValue, SyntaxError } code = Code::InvalidParameterValue;
	char message[512] = {};
	char detail[512] = {};
	char hint[512] = {};
};

/*
 * Applies one option. value is nullptr when the option was given without a value, which means
 * true for a boolean and is an error otherwise. On error returns false and fills *err.
 */
bool ApplyOption(Options *opts, const char *name, const char *value, OptionError *err);

/* PostgreSQL's boolean spellings (parse_bool): true/false, yes/no, on/off, 1/0 and prefixes. */
bool ParseBool(std::string_view text, bool *result);

/* A decimal number from 0 to max: digits only (no sign, spaces or unit), at least one. */
bool ParseUnsigned(std::string_view text, uint32_t max, uint32_t *result);

} // namespace pgcdc
