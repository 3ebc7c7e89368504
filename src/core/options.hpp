/*
 * options.hpp: the output plugin's options, parsed from name/value pairs.
 *
 * One table describes every option (name, alias, kind, accepted values), and one function applies
 * a pair to a plain Options struct. Errors come back as what went wrong (OptionError), not as text:
 * the plugin words them itself, in ereport calls whose formats can be translated. Options is
 * trivially destructible: the plugin keeps it in palloc'd memory. Pattern lists are parsed once,
 * here, into memory the caller's allocator gives (palloc in the plugin).
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core_fence.hpp"
#include "pattern.hpp"

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
/* What a record longer than max-record-bytes does: stop decoding, or leave values out. */
enum class OversizedMode : uint8_t { Error, OmitValues };

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
	MaxRecordBytes,
	OversizedRecords,
	Count
};

enum class OptionKind : uint8_t { Bool, Enum, Actions, Patterns, Integer };

/* The largest batch-bytes (256 MB), so a batch of records stays far from PostgreSQL's 1 GB limit. */
constexpr uint32_t kMaxBatchBytes = 256u * 1024 * 1024;

/*
 * max-record-bytes: its default and largest value, 1 GB less 4 MB. A record goes to the consumer as
 * one message, which PostgreSQL holds in one allocation of at most 1 GB (MaxAllocSize) together with
 * the protocol's header; the 4 MB also cover what writers reserve beyond what they write (see
 * budget.hpp). Its smallest value leaves room for the framing records and a table's name.
 */
constexpr uint32_t kMaxRecordBytes = 1024u * 1024 * 1024 - 4u * 1024 * 1024;
constexpr uint32_t kMinRecordBytes = 1024;

struct OptionSpec {
	const char *name;
	const char *alias; /* nullptr when none */
	OptionKind kind;
	OptionId id;
	int nparts;                /* Patterns: parts per pattern */
	const char *const *values; /* Enum: accepted values, nullptr-terminated */
	uint32_t max;              /* Integer: accepted values are min to max, in decimal digits */
	uint32_t min = 0;
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
	/* The longest record, in bytes, and what a longer one does. */
	uint32_t max_record_bytes = kMaxRecordBytes;
	OversizedMode oversized = OversizedMode::Error;
	/* Parsed pattern lists, in the allocator's memory; empty (count 0) when absent. */
	PatternSet include_tables;
	PatternSet exclude_tables;
	PatternSet exclude_columns;
	PatternSet include_message_prefixes;
	PatternSet exclude_message_prefixes;
	/* Which options have been given, by OptionId bit, to reject repeats. */
	uint32_t seen = 0;
};

/*
 * What is wrong with an option. The caller words the error (it knows the name and the value as
 * given: errors name an alias as the user spelled it).
 */
struct OptionError {
	enum class Kind : uint8_t {
		Unknown,    /* no option has this name */
		Repeated,   /* given twice, by its name or its alias (spec) */
		NeedsValue, /* given without a value, and not a boolean (spec) */
		BadValue,   /* a value spec does not accept; for actions, item says which item */
		BadPattern, /* a pattern list that does not parse: pattern says where and why */
	} kind = Kind::Unknown;
	const OptionSpec *spec = nullptr; /* nullptr for Unknown */
	std::string_view item; /* BadValue of actions: the item that is not an action ("" when empty) */
	PatternError pattern{};
};

/* Memory for parsed pattern lists; must not return without it (palloc in the plugin). */
using OptionAlloc = void *(*) (size_t size);

/*
 * Applies one option. value is nullptr when the option was given without a value, which means
 * true for a boolean and is an error otherwise. On error returns false and fills *err. Allocates
 * nothing but pattern lists, through alloc.
 */
bool ApplyOption(Options *opts, const char *name, const char *value, OptionAlloc alloc, OptionError *err);

/* PostgreSQL's boolean spellings (parse_bool): true/false, yes/no, on/off, 1/0 and prefixes. */
bool ParseBool(std::string_view text, bool *result);

/* A decimal number from 0 to max: digits only (no sign, spaces or unit), at least one. */
bool ParseUnsigned(std::string_view text, uint32_t max, uint32_t *result);

} // namespace pgcdc
