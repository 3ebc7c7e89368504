# sql/include.awk: expands "--@include" lines, so that each query is written once, in
# sql/query/, and used both by the extension's install script and by the client, which embeds
# the expanded text (Makefile and CMakeLists.txt both run this).
#
#   awk -f sql/include.awk sql/pgcdc--1.0.sql.in >sql/pgcdc--1.0.sql
#
# A line that holds only "--@include PATH" (after optional indentation) is replaced by the text
# of PATH, a path relative to the directory of the file that includes it; each non-empty
# included line is indented like the directive. Included files may include others. Every other
# line is copied as it is. Any other line starting with "--@", a file that cannot be read, and
# a file that includes itself (directly or not) are errors: the build must fail rather than
# embed something else.
#
# Plain POSIX awk (Debian's mawk included): no gawk extensions.

function fail(msg) {
	print "include.awk: " msg >"/dev/stderr"
	exit 1
}

function expand(path, indent, from, depth,    line, rc, dir, target, lead, n) {
	# A file being expanded must not be included again: awk would go on reading its open stream.
	# (The depth limit catches a cycle spelled with different paths to the same file.)
	if (path in active || depth > 32)
		fail(from ": " path " includes itself")
	active[path] = 1
	dir = path
	sub(/[^\/]*$/, "", dir)
	n = 0
	while ((rc = (getline line < path)) > 0) {
		n++
		if (line ~ /^[ \t]*--@/) {
			if (line !~ /^[ \t]*--@include[ \t]+[^ \t]+[ \t]*$/)
				fail(path ":" n ": malformed directive (expected --@include PATH): " line)
			lead = line
			sub(/--@.*$/, "", lead)
			target = line
			sub(/^[ \t]*--@include[ \t]+/, "", target)
			sub(/[ \t]+$/, "", target)
			if (target !~ /^\//)
				target = dir target
			expand(target, indent lead, path ":" n, depth + 1)
		} else if (line == "") {
			print ""
		} else {
			print indent line
		}
	}
	if (rc < 0)
		fail((from == "" ? "" : from ": ") "cannot read " path)
	close(path)
	delete active[path]
}

BEGIN {
	if (ARGC != 2)
		fail("usage: awk -f include.awk FILE")
	expand(ARGV[1], "", "", 0)
	exit 0
}
