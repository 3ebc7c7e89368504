/*
 * cli.cpp: the option parser and value parsers.
 */
#include "cli.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "lsn.hpp"

namespace pgcdc
{

namespace
{

const OptionDef *FindLong(const std::vector<OptionDef> &defs, const std::string &name)
{
	for (const OptionDef &d : defs)
		if (name == d.name)
			return &d;
	return nullptr;
}

const OptionDef *FindShort(const std::vector<OptionDef> &defs, char c)
{
	for (const OptionDef &d : defs)
		if (d.short_name != 0 && d.short_name == c)
			return &d;
	return nullptr;
}

std::string Spelling(const OptionDef &d)
{
	return std::string("--") + d.name;
}

void Store(ParsedArgs &out, const OptionDef &d, const std::string &value)
{
	auto &vals = out.values_[d.name];
	if (!vals.empty() && !d.repeatable)
		throw UsageError("option " + Spelling(d) + " given more than once");
	vals.push_back(value);
}

std::string Lower(std::string s)
{
	for (char &c : s)
		c = char(std::tolower(static_cast<unsigned char>(c)));
	return s;
}

} // namespace

std::string ParsedArgs::Get(const std::string &name, const std::string &def) const
{
	auto it = values_.find(name);
	return it == values_.end() ? def : it->second.back();
}

const std::vector<std::string> &ParsedArgs::All(const std::string &name) const
{
	static const std::vector<std::string> kNone;
	auto it = values_.find(name);
	return it == values_.end() ? kNone : it->second;
}

ParsedArgs ParseArgs(const std::vector<OptionDef> &defs, const std::vector<std::string> &args)
{
	ParsedArgs out;
	for (size_t i = 0; i < args.size(); i++) {
		const std::string &a = args[i];
		if (a == "--") {
			out.positionals_.insert(out.positionals_.end(), args.begin() + long(i) + 1, args.end());
			break;
		}
		if (a.size() > 2 && a[0] == '-' && a[1] == '-') {
			size_t eq = a.find('=');
			std::string name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
			const OptionDef *d = FindLong(defs, name);
			if (d == nullptr)
				throw UsageError("unrecognized option \"--" + name + "\"");
			if (!d->takes_value) {
				if (eq != std::string::npos)
					throw UsageError("option " + Spelling(*d) + " takes no value");
				Store(out, *d, "");
			} else if (eq != std::string::npos) {
				Store(out, *d, a.substr(eq + 1));
			} else if (i + 1 < args.size()) {
				Store(out, *d, args[++i]);
			} else {
				throw UsageError("option " + Spelling(*d) + " needs a value");
			}
			continue;
		}
		if (a.size() > 1 && a[0] == '-') {
			for (size_t k = 1; k < a.size(); k++) {
				const OptionDef *d = FindShort(defs, a[k]);
				if (d == nullptr)
					throw UsageError(std::string("unrecognized option \"-") + a[k] + "\"");
				if (!d->takes_value) {
					Store(out, *d, "");
					continue;
				}
				if (k + 1 < a.size())
					Store(out, *d, a.substr(k + 1));
				else if (i + 1 < args.size())
					Store(out, *d, args[++i]);
				else
					throw UsageError(std::string("option -") + a[k] + " (" + Spelling(*d) +
					                 ") needs a value");
				break;
			}
			continue;
		}
		out.positionals_.push_back(a);
	}
	return out;
}

double ParseSeconds(const std::string &option, const std::string &text)
{
	char *end = nullptr;
	double v = std::strtod(text.c_str(), &end);
	if (text.empty() || end == nullptr || *end != '\0' || !std::isfinite(v) || v < 0 || v > 86400.0 * 365)
		throw UsageError("invalid value \"" + text + "\" for " + option +
		                 ": expected seconds, a number from 0");
	return v;
}

uint64_t ParseLsnOption(const std::string &option, const std::string &text)
{
	uint64_t lsn;
	if (!ParseLsn(text, &lsn))
		throw UsageError("invalid value \"" + text + "\" for " + option +
		                 ": expected an LSN such as 0/16B3748");
	return lsn;
}

int64_t ParseSize(const std::string &option, const std::string &text)
{
	size_t i = 0;
	while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
		i++;
	std::string digits = text.substr(0, i);
	while (i < text.size() && text[i] == ' ')
		i++;
	std::string unit = Lower(text.substr(i));
	static const struct {
		const char *name;
		int shift;
	} kUnits[] = {{"", 0},    {"b", 0},   {"bytes", 0}, {"kb", 10},
	              {"mb", 20}, {"gb", 30}, {"tb", 40},   {"pb", 50}};
	int shift = -1;
	for (const auto &u : kUnits)
		if (unit == u.name)
			shift = u.shift;
	bool ok = !digits.empty() && digits.size() <= 18 && shift >= 0;
	int64_t v = ok ? std::strtoll(digits.c_str(), nullptr, 10) : 0;
	if (ok && v > (INT64_MAX >> shift))
		ok = false;
	if (!ok)
		throw UsageError("invalid value \"" + text + "\" for " + option +
		                 ": expected a size such as 16MB or 1GB (units B, kB, MB, GB, TB, PB)");
	return v << shift;
}

} // namespace pgcdc
