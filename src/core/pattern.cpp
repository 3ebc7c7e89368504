/*
 * pattern.cpp: parsing and matching of name patterns.
 */
#include "pattern.hpp"

#include <cstring>

#include "json.hpp"

/*
 * The plugin writes the error messages below into its option errors, translated (PostgreSQL's
 * gettext_noop marks them for message extraction, as in c.h; core code cannot include c.h).
 */
#define gettext_noop(x) (x)

namespace pgcdc
{

namespace
{

constexpr const char *kMissingDot[] = {
    "", "", gettext_noop("missing dot: a table pattern is schema.table (escape a literal dot as \\.)"),
    gettext_noop("missing dot: a column pattern is schema.table.column (escape a literal dot as \\.)")};
constexpr const char *kExtraDot[] = {
    "", "", gettext_noop("too many dots: a table pattern is schema.table (escape a literal dot as \\.)"),
    gettext_noop("too many dots: a column pattern is schema.table.column (escape a literal dot as \\.)")};

size_t CharLength(const char *s, size_t avail)
{
	int len = Utf8SequenceLength(reinterpret_cast<const unsigned char *>(s), avail);
	return len == 0 ? 1 : static_cast<size_t>(len);
}

/* Decides the kind of a finished part; a literal part is unescaped in place. Returns its length. */
uint32_t FinishPart(char *buf, uint32_t start, uint32_t end, bool wild, PartKind *kind)
{
	if (wild) {
		*kind = (end - start == 1 && buf[start] == '*') ? PartKind::Any : PartKind::Glob;
		return end - start;
	}
	*kind = PartKind::Literal;
	uint32_t o = start;
	for (uint32_t i = start; i < end; i++) {
		if (buf[i] == '\\')
			i++;
		buf[o++] = buf[i];
	}
	return o - start;
}

} // namespace

size_t PatternBufferSize(std::string_view text)
{
	return text.size() + 1;
}

size_t PatternCountBound(std::string_view text)
{
	size_t commas = 0;
	for (char c : text)
		commas += (c == ',');
	return commas + 1;
}

long ParsePatternList(std::string_view text, int nparts, char *buf, Pattern *patterns, size_t max_patterns,
                      PatternError *err)
{
	const size_t n = text.size();
	size_t i = 0;
	size_t count = 0;
	uint32_t w = 0;

	auto fail = [err](size_t pos, const char *msg) {
		err->position = pos + 1;
		err->message = msg;
		return -1L;
	};

	if (nparts < 1 || nparts > 3)
		return fail(0, "internal error: patterns have 1 to 3 parts");

	for (;;) {
		Pattern pat{};
		size_t pattern_start = i;
		while (pattern_start < n && text[pattern_start] == ' ')
			pattern_start++;

		for (;;) {
			while (i < n && text[i] == ' ')
				i++;
			size_t part_pos = i;
			uint32_t part_start = w;
			uint32_t significant_end = w;
			bool wild = false;

			while (i < n) {
				char c = text[i];
				if (c == '\\') {
					if (i + 1 >= n)
						return fail(i, gettext_noop("a backslash at the end of a pattern escapes nothing"));
					char d = text[i + 1];
					if (d == '*' || d == '?' || d == '\\') {
						buf[w++] = '\\';
						buf[w++] = d;
					} else if (d == '.' || d == ',' || d == ' ') {
						buf[w++] = d;
					} else {
						return fail(i, gettext_noop("invalid escape: a backslash may only precede *, ?, "
						                            "'.', ',', space or another backslash"));
					}
					significant_end = w;
					i += 2;
					continue;
				}
				if (c == ',' || (c == '.' && nparts > 1))
					break;
				if (c == '*' || c == '?')
					wild = true;
				buf[w++] = c;
				i++;
				if (c != ' ')
					significant_end = w;
			}
			w = significant_end;

			if (w == part_start) {
				if (pat.nparts == 0 && (i >= n || text[i] == ','))
					return fail(part_pos, gettext_noop("empty pattern"));
				return fail(part_pos, gettext_noop("empty name in pattern"));
			}
			PatternPart &part = pat.parts[pat.nparts++];
			part.offset = part_start;
			part.length = FinishPart(buf, part_start, w, wild, &part.kind);
			w = part_start + part.length;

			if (i < n && text[i] == '.' && nparts > 1) {
				if (pat.nparts == nparts)
					return fail(i, kExtraDot[nparts]);
				i++;
				continue;
			}
			break;
		}
		if (pat.nparts < nparts)
			return fail(pattern_start, kMissingDot[nparts]);
		if (count >= max_patterns)
			return fail(pattern_start, "internal error: pattern buffer too small");
		patterns[count++] = pat;

		if (i >= n)
			break;
		i++; /* the comma */
	}
	return static_cast<long>(count);
}

bool MatchGlob(const char *pat, size_t plen, const char *s, size_t slen)
{
	size_t p = 0, i = 0;
	size_t star_p = SIZE_MAX, star_i = 0;

	while (i < slen) {
		if (p < plen) {
			char c = pat[p];
			if (c == '*') {
				star_p = ++p;
				star_i = i;
				continue;
			}
			if (c == '?') {
				i += CharLength(s + i, slen - i);
				p++;
				continue;
			}
			size_t step = 1;
			if (c == '\\' && p + 1 < plen) {
				c = pat[p + 1];
				step = 2;
			}
			if (c == s[i]) {
				p += step;
				i++;
				continue;
			}
		}
		if (star_p == SIZE_MAX)
			return false;
		/* Let the last star swallow one more character and retry from there. */
		star_i += CharLength(s + star_i, slen - star_i);
		i = star_i;
		p = star_p;
	}
	while (p < plen && pat[p] == '*')
		p++;
	return p == plen;
}

bool PatternSetMatches(const PatternSet &set, const std::string_view *names)
{
	for (size_t k = 0; k < set.count; k++) {
		const Pattern &pat = set.patterns[k];
		bool all = true;
		for (int j = 0; j < pat.nparts && all; j++) {
			const PatternPart &part = pat.parts[j];
			const char *text = set.buf + part.offset;
			switch (part.kind) {
			case PartKind::Any:
				break;
			case PartKind::Literal:
				all = names[j].size() == part.length && std::memcmp(names[j].data(), text, part.length) == 0;
				break;
			case PartKind::Glob:
				all = MatchGlob(text, part.length, names[j].data(), names[j].size());
				break;
			}
		}
		if (all)
			return true;
	}
	return false;
}

bool PatternList::Parse(std::string_view text, int nparts, PatternError *err)
{
	buf_.assign(PatternBufferSize(text), '\0');
	patterns_.resize(PatternCountBound(text));
	long n = ParsePatternList(text, nparts, &buf_[0], patterns_.data(), patterns_.size(), err);
	if (n < 0) {
		buf_.clear();
		patterns_.clear();
		return false;
	}
	patterns_.resize(static_cast<size_t>(n));
	return true;
}

bool PatternList::Matches(std::string_view a) const
{
	std::string_view names[1] = {a};
	return PatternSetMatches(View(), names);
}

bool PatternList::Matches(std::string_view a, std::string_view b) const
{
	std::string_view names[2] = {a, b};
	return PatternSetMatches(View(), names);
}

bool PatternList::Matches(std::string_view a, std::string_view b, std::string_view c) const
{
	std::string_view names[3] = {a, b, c};
	return PatternSetMatches(View(), names);
}

std::string PatternList::PartText(size_t i, int j) const
{
	const PatternPart &part = patterns_[i].parts[j];
	return std::string(buf_.data() + part.offset, part.length);
}

} // namespace pgcdc
