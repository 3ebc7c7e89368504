/*
 * pattern.hpp: the name patterns of include-tables, exclude-tables, exclude-columns and the
 * message-prefix options.
 *
 * A list is comma-separated. A table pattern is schema.table, a column pattern
 * schema.table.column, a message-prefix pattern a single part in which dots are ordinary. In a
 * part, '*' matches any run of characters and '?' exactly one character (one UTF-8 character, not
 * one byte); a backslash makes the next '*', '?', '.', ',', ' ' or '\' literal. Spaces around a
 * pattern and around its dots are ignored. Names are compared exactly as stored in the catalog
 * (case-sensitive, no identifier quoting).
 *
 * Parsing never allocates: it writes into buffers the caller sizes from the text
 * (PatternBufferSize, PatternCountBound), so the plugin can hand it palloc'd memory.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core_fence.hpp"

namespace pgcdc
{

enum class PartKind : uint8_t {
	Literal, /* text holds the name itself, compared with memcmp */
	Glob,    /* text holds wildcards, with \* \? \\ for literal ones */
	Any,     /* the part is "*": matches every name */
};

struct PatternPart {
	uint32_t offset; /* into the normalized buffer */
	uint32_t length;
	PartKind kind;
};

struct Pattern {
	PatternPart parts[3];
	uint8_t nparts;
};

struct PatternError {
	size_t position;     /* 1-based byte position in the list text */
	const char *message; /* static text */
};

/* A parsed list: the normalized buffer and the patterns, owned by whoever allocated them. */
struct PatternSet {
	const char *buf = nullptr;
	const Pattern *patterns = nullptr;
	size_t count = 0;
};

/* Upper bounds for the buffers ParsePatternList needs. */
size_t PatternBufferSize(std::string_view text);
size_t PatternCountBound(std::string_view text);

/*
 * Parses a comma-separated list of patterns of exactly nparts parts (1, 2 or 3). On success
 * returns the number of patterns written to patterns (and their text to buf); on error returns
 * -1 and fills *err.
 */
long ParsePatternList(std::string_view text, int nparts, char *buf, Pattern *patterns, size_t max_patterns,
                      PatternError *err);

/* Glob match of one normalized pattern part against a name. */
bool MatchGlob(const char *pat, size_t plen, const char *s, size_t slen);

/* True when any pattern of the set matches the names (as many names as the patterns' parts). */
bool PatternSetMatches(const PatternSet &set, const std::string_view *names);

/* An owning list, for the client and the tests. */
class PatternList
{
public:
	/* Returns false and fills *err on a bad list; the list is then empty. */
	bool Parse(std::string_view text, int nparts, PatternError *err);
	bool Matches(std::string_view a) const;
	bool Matches(std::string_view a, std::string_view b) const;
	bool Matches(std::string_view a, std::string_view b, std::string_view c) const;
	size_t size() const { return patterns_.size(); }
	/* The normalized text of pattern i, part j (for tests). */
	std::string PartText(size_t i, int j) const;
	PartKind Kind(size_t i, int j) const { return patterns_[i].parts[j].kind; }

private:
	PatternSet View() const { return PatternSet{buf_.data(), patterns_.data(), patterns_.size()}; }
	std::string buf_;
	std::vector<Pattern> patterns_;
};

} // namespace pgcdc
