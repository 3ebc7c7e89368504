/*
 * cli.hpp: command-line parsing for the pgcdc command, pure C++ (unit-tested).
 *
 * Each command declares its options in a table; the parser accepts --name=value, --name value,
 * -x value, -xvalue, bundled short flags (-vv), and "--" before positional arguments. Anything it
 * cannot take is a UsageError naming the option; the command then prints its help and exits 2.
 */
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace pgcdc
{

class UsageError : public std::runtime_error
{
public:
	using std::runtime_error::runtime_error;
};

struct OptionDef {
	const char *name; /* long name, without dashes */
	char short_name;  /* 0 when none */
	bool takes_value;
	bool repeatable;
};

class ParsedArgs
{
public:
	bool Has(const std::string &name) const { return values_.count(name) != 0; }
	/* The value of a single-valued option, or def when absent. */
	std::string Get(const std::string &name, const std::string &def = {}) const;
	/* Every value of a repeatable option, in order (a flag: one empty string per use). */
	const std::vector<std::string> &All(const std::string &name) const;
	const std::vector<std::string> &Positionals() const { return positionals_; }

	std::map<std::string, std::vector<std::string>> values_;
	std::vector<std::string> positionals_;
};

/* Parses args (without the program and command names). */
ParsedArgs ParseArgs(const std::vector<OptionDef> &defs, const std::vector<std::string> &args);

/* Seconds, as a decimal number >= 0 ("10", "0.5"); UsageError naming the option otherwise. */
double ParseSeconds(const std::string &option, const std::string &text);
/* An LSN, X/X. */
uint64_t ParseLsnOption(const std::string &option, const std::string &text);
/*
 * A size as pg_size_bytes reads it: a number with an optional unit B, kB, MB, GB, TB, PB (powers
 * of 1024, case-insensitive, spaces allowed before the unit).
 */
int64_t ParseSize(const std::string &option, const std::string &text);

} // namespace pgcdc
