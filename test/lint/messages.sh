#!/usr/bin/env bash
# test/lint/messages.sh: the plugin's error messages can be translated.
#
# PostgreSQL translates a message when its format is a literal given to errmsg(), errdetail() or
# errhint() (or a string marked gettext_noop() and passed through _()), which is where its message
# extraction (xgettext with the backend's GETTEXT_TRIGGERS) finds them; a message formatted
# elsewhere and passed as errmsg_internal("%s", text) cannot be. This extracts the plugin's
# messages as PostgreSQL would, then checks that every ERROR, DETAIL and HINT line the plugin
# writes in the listed expected outputs comes from one of them (%s and numbers matching any text),
# and so does the reason in an "invalid pattern" message.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
outputs=(bad_options batch oversized)

work=$(mktemp -d "${TMPDIR:-/tmp}/pgcdc-messages.XXXXXX")
trap 'rm -rf "$work"' EXIT

xgettext --language=C++ --from-code=UTF-8 --no-wrap --omit-header -o "$work/pgcdc.pot" \
	-k_ -kgettext_noop -kerrmsg -kerrdetail -kerrhint -kerrcontext \
	"$top"/src/plugin/*.cpp "$top"/src/core/*.cpp

# Each msgid as an extended regular expression matching the whole line. A msgid without words of
# its own ("%s") translates nothing: it is left out.
sed -n 's/^msgid "\(.*\)"$/\1/p' "$work/pgcdc.pot" | grep -v '^\(%[.*a-z]*\)*$' |
	sed -e 's/\\"/"/g' -e 's/\\\\/\\/g' |
	sed -e 's/[][\.*+?^$(){}|]/\\&/g' \
		-e 's/%\\\.\\\*s/.*/g' -e 's/%s/.*/g' -e 's/%z\{0,1\}[ud]/[0-9]+/g' -e 's/%X/[0-9A-F]+/g' \
		>"$work/patterns"
echo "$(wc -l <"$work/patterns") messages extracted"

failures=0
for out in "${outputs[@]}"; do
	file=$top/expected/$out.out
	while IFS= read -r line; do
		text=${line#*:  }
		if ! grep -Eqx -f "$work/patterns" <<<"$text"; then
			echo "not ok - $out.out: not from a translatable message: $line"
			failures=$((failures + 1))
			continue
		fi
		if [[ $text =~ ^invalid\ pattern\ in\ parameter\ .*\ at\ position\ [0-9]+:\ (.*)$ ]] &&
			! grep -Fqx "${BASH_REMATCH[1]}" <(sed -e 's/\\\(.\)/\1/g' "$work/patterns"); then
			echo "not ok - $out.out: the pattern error is not translatable: ${BASH_REMATCH[1]}"
			failures=$((failures + 1))
		fi
	done < <(grep -E '^(ERROR|DETAIL|HINT):  ' "$file")
	echo "checked $(grep -cE '^(ERROR|DETAIL|HINT):  ' "$file") lines of $out.out"
done
if [ "$failures" -ne 0 ]; then
	echo "$failures message(s) cannot be translated" >&2
	exit 1
fi
echo "all messages can be translated"
