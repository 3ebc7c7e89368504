/*
 * Unit tests for src/client/queries.hpp: each embedded query is its sql/query/ file as
 * sql/include.awk expands it (expanded again here, by the same rule written independently, so
 * the generator is not trusted to check itself), takes exactly the parameters documented, and
 * does not depend on the extension.
 */
#include "queries.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace pgcdc;

namespace
{

const std::string kQueryDir = std::string(PGCDC_SOURCE_DIR) + "/sql/query/";

std::string ReadFile(const std::string &path)
{
	std::ifstream in(path, std::ios::binary);
	if (!in)
		throw std::runtime_error("cannot read " + path);
	std::ostringstream text;
	text << in.rdbuf();
	return text.str();
}

/* The lines of a text, without their newlines (a last line may lack one, as awk reads it). */
std::vector<std::string> Lines(const std::string &text)
{
	std::vector<std::string> lines;
	size_t start = 0;
	while (start < text.size()) {
		size_t end = text.find('\n', start);
		if (end == std::string::npos)
			end = text.size();
		lines.push_back(text.substr(start, end - start));
		start = end + 1;
	}
	return lines;
}

/*
 * sql/include.awk's rule: a line holding only "--@include PATH" (after optional blanks) becomes
 * the lines of PATH, relative to the including file's directory, each non-empty one indented
 * like the directive; every line ends with a newline.
 */
std::string Expand(const std::string &path, const std::string &indent = "", int depth = 0)
{
	if (depth > 16)
		throw std::runtime_error("includes nested too deep at " + path);
	const std::string dir = path.substr(0, path.rfind('/') + 1);
	const std::string directive = "--@include";
	std::string out;
	for (const std::string &line : Lines(ReadFile(path))) {
		size_t lead = line.find_first_not_of(" \t");
		if (lead != std::string::npos && line.compare(lead, directive.size(), directive) == 0) {
			size_t from = line.find_first_not_of(" \t", lead + directive.size());
			size_t to = line.find_last_not_of(" \t");
			std::string target = line.substr(from, to + 1 - from);
			out += Expand(target[0] == '/' ? target : dir + target, indent + line.substr(0, lead), depth + 1);
		} else {
			out += (line.empty() ? "" : indent + line) + "\n";
		}
	}
	return out;
}

/* What a query holds outside comments and string literals: its code, and its $n parameters. */
struct Code {
	std::string text;
	std::set<int> params;
};

Code ScanCode(const std::string &sql)
{
	Code code;
	size_t i = 0;
	while (i < sql.size()) {
		if (sql.compare(i, 2, "--") == 0) {
			i = sql.find('\n', i);
			if (i == std::string::npos)
				break;
		} else if (sql.compare(i, 2, "/*") == 0) {
			i = sql.find("*/", i);
			if (i == std::string::npos)
				break;
			i += 2;
		} else if (sql[i] == '\'' || sql[i] == '"') {
			/* A literal's text is dropped, an identifier kept; '' inside a literal (or "" inside
			 * an identifier) reads as two adjacent ones, which comes to the same. */
			size_t end = sql.find(sql[i], i + 1);
			if (end == std::string::npos)
				break;
			code.text += sql[i] == '\'' ? std::string("''") : sql.substr(i, end + 1 - i);
			i = end + 1;
		} else if (sql[i] == '$' && i + 1 < sql.size() && isdigit(static_cast<unsigned char>(sql[i + 1]))) {
			size_t end = i + 1;
			while (end < sql.size() && isdigit(static_cast<unsigned char>(sql[end])))
				end++;
			code.params.insert(std::stoi(sql.substr(i + 1, end - i - 1)));
			code.text += sql.substr(i, end - i);
			i = end;
		} else {
			code.text += sql[i++];
		}
	}
	return code;
}

std::set<int> OneTo(int n)
{
	std::set<int> all;
	for (int i = 1; i <= n; i++)
		all.insert(i);
	return all;
}

} // namespace

TEST(Queries, ScannerSkipsCommentsAndLiterals)
{
	Code code = ScanCode("SELECT $1::bigint, '$9 it''s', \"$8\" -- $7\n/* $6 */ FROM x WHERE y = $2");
	EXPECT_EQ(code.params, (std::set<int>{1, 2}));
	EXPECT_EQ(code.text, "SELECT $1::bigint, '''', \"$8\" \n FROM x WHERE y = $2");
}

TEST(Queries, SlotHealthIsTheExpandedFile)
{
	EXPECT_EQ(queries::kSlotHealth, Expand(kQueryDir + "slot_health.sql"));
}

TEST(Queries, PreflightIsTheExpandedFile)
{
	EXPECT_EQ(queries::kPreflight, Expand(kQueryDir + "preflight.sql"));
}

TEST(Queries, IncludesAreExpanded)
{
	for (const char *sql : {queries::kSlotHealth, queries::kPreflight}) {
		EXPECT_EQ(std::string(sql).find("--@"), std::string::npos);
		/* the shared parsing of output_plugin_libraries */
		EXPECT_NE(std::string(sql).find("regexp_matches(s.setting, "), std::string::npos);
	}
	EXPECT_NE(std::string(queries::kSlotHealth).find("pg_last_wal_replay_lsn()"), std::string::npos);
}

TEST(Queries, SlotHealthTakesEightParameters)
{
	EXPECT_EQ(ScanCode(queries::kSlotHealth).params, OneTo(8));
}

TEST(Queries, PreflightTakesThreeParameters)
{
	EXPECT_EQ(ScanCode(queries::kPreflight).params, OneTo(3));
}

TEST(Queries, NeedNoExtension)
{
	/* Hints may name pgcdc.slot_health() in their text; the code itself must not. */
	for (const char *sql : {queries::kSlotHealth, queries::kPreflight}) {
		std::string code = ScanCode(sql).text;
		EXPECT_EQ(code.find("pgcdc"), std::string::npos) << code;
		/* a single statement: no semicolon outside literals */
		EXPECT_EQ(code.find(';'), std::string::npos);
	}
}
