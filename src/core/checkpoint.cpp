/*
 * checkpoint.cpp: the checkpoint file's format.
 */
#include "checkpoint.hpp"

#include <array>
#include <cstdio>

#include "lsn.hpp"

namespace pgcdc
{

namespace
{

constexpr std::string_view kHeader = "pgcdc checkpoint ";
constexpr int kVersion = 1;

std::array<uint32_t, 256> MakeCrcTable()
{
	std::array<uint32_t, 256> table{};
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
		table[i] = c;
	}
	return table;
}

std::string Escape(std::string_view v)
{
	std::string out;
	for (char c : v) {
		switch (c) {
		case '\\':
			out += "\\\\";
			break;
		case '\n':
			out += "\\n";
			break;
		case '\r':
			out += "\\r";
			break;
		default:
			out += c;
		}
	}
	return out;
}

bool Unescape(std::string_view v, std::string *out)
{
	out->clear();
	for (size_t i = 0; i < v.size(); i++) {
		if (v[i] != '\\') {
			*out += v[i];
			continue;
		}
		if (++i == v.size())
			return false;
		switch (v[i]) {
		case '\\':
			*out += '\\';
			break;
		case 'n':
			*out += '\n';
			break;
		case 'r':
			*out += '\r';
			break;
		default:
			return false;
		}
	}
	return true;
}

bool ParseU64(std::string_view s, uint64_t *v)
{
	if (s.empty() || s.size() > 20)
		return false;
	uint64_t r = 0;
	for (char c : s) {
		if (c < '0' || c > '9')
			return false;
		uint64_t d = uint64_t(c - '0');
		if (r > (UINT64_MAX - d) / 10)
			return false;
		r = r * 10 + d;
	}
	*v = r;
	return true;
}

/* Takes the next line (without its newline) off *text; false if there is no complete line. */
bool NextLine(std::string_view *text, std::string_view *line)
{
	size_t nl = text->find('\n');
	if (nl == std::string_view::npos)
		return false;
	*line = text->substr(0, nl);
	text->remove_prefix(nl + 1);
	return true;
}

} // namespace

uint32_t Crc32c(const void *data, size_t len, uint32_t crc)
{
	static const std::array<uint32_t, 256> table = MakeCrcTable();
	const auto *p = static_cast<const unsigned char *>(data);
	crc = ~crc;
	for (size_t i = 0; i < len; i++)
		crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
	return ~crc;
}

std::string FormatCheckpoint(const Checkpoint &cp)
{
	std::string body = std::string(kHeader) + std::to_string(kVersion) + "\n";
	body += "slot: " + Escape(cp.slot) + "\n";
	body += "system: " + Escape(cp.system) + "\n";
	body += "database: " + Escape(cp.database) + "\n";
	body += "position: " + LsnToString(cp.position) + "\n";
	body += "offset: " + std::to_string(cp.offset) + "\n";
	char crc[16];
	std::snprintf(crc, sizeof(crc), "%08x", Crc32c(body.data(), body.size()));
	return body + "crc32c: " + crc + "\n";
}

bool ParseCheckpoint(std::string_view text, Checkpoint *cp, std::string *error)
{
	if (text.empty()) {
		*error = "the file is empty";
		return false;
	}
	const std::string_view all = text;
	std::string_view line;
	if (!NextLine(&text, &line) || line.substr(0, kHeader.size()) != kHeader) {
		*error = "it is not a pgcdc checkpoint (it does not start with \"pgcdc checkpoint\")";
		return false;
	}
	if (line.substr(kHeader.size()) != std::to_string(kVersion)) {
		*error = "it has format version \"" + std::string(line.substr(kHeader.size())) +
		         "\", and this pgcdc reads version " + std::to_string(kVersion);
		return false;
	}

	struct Field {
		const char *name;
		std::string value;
	};
	Field fields[] = {{"slot", {}}, {"system", {}}, {"database", {}}, {"position", {}}, {"offset", {}}};
	for (Field &f : fields) {
		if (!NextLine(&text, &line)) {
			*error = std::string("it is truncated before its \"") + f.name + "\" line";
			return false;
		}
		std::string prefix = std::string(f.name) + ": ";
		if (line.substr(0, prefix.size()) != prefix) {
			*error = std::string("its line \"") + std::string(line) + "\" is not the expected \"" + f.name +
			         "\" line";
			return false;
		}
		if (!Unescape(line.substr(prefix.size()), &f.value)) {
			*error = std::string("its \"") + f.name + "\" value has an invalid escape";
			return false;
		}
	}
	size_t body_len = all.size() - text.size();
	if (!NextLine(&text, &line)) {
		*error = "it is truncated before its \"crc32c\" line";
		return false;
	}
	char expected[24];
	std::snprintf(expected, sizeof(expected), "crc32c: %08x", Crc32c(all.data(), body_len));
	if (line != expected) {
		*error = "its CRC does not match its contents (corrupt)";
		return false;
	}
	if (!text.empty()) {
		*error = "it has data after its \"crc32c\" line (corrupt)";
		return false;
	}

	Checkpoint r;
	r.slot = fields[0].value;
	r.system = fields[1].value;
	r.database = fields[2].value;
	if (!ParseLsn(fields[3].value, &r.position)) {
		*error = "its position \"" + fields[3].value + "\" is not an LSN";
		return false;
	}
	if (!ParseU64(fields[4].value, &r.offset)) {
		*error = "its offset \"" + fields[4].value + "\" is not a number";
		return false;
	}
	*cp = r;
	return true;
}

std::string CheckpointMismatch(const Checkpoint &cp, std::string_view slot, std::string_view system,
                               std::string_view database)
{
	auto describe = [](std::string_view s, std::string_view sys, std::string_view db) {
		return "slot \"" + std::string(s) + "\" of database \"" + std::string(db) +
		       "\" on the server with system identifier " + std::string(sys);
	};
	if (cp.slot == slot && cp.system == system && cp.database == database)
		return {};
	return "it belongs to " + describe(cp.slot, cp.system, cp.database) + ", not to " +
	       describe(slot, system, database);
}

} // namespace pgcdc
