#!/usr/bin/env bash
# Installing and packaging (issue 11): the man page renders without warnings
# and documents exactly the options the binary takes; `cmake --install`
# puts bin/wharf and man1/wharf.1.gz under a prefix; `cpack -G DEB` makes a
# .deb with the right name, version, section and library dependencies, whose
# binary runs and whose man page man(1) finds; dpkg installs and removes it
# cleanly in a private dpkg root. Uses the build tree of $WHARF_BIN (no new
# compile) and no server; nothing is installed on the system.
. "$(dirname "$0")/../harness/lib.sh"

B=$(cd "$(dirname "$WHARF_BIN")" && pwd)
[ -f "$B/CPackConfig.cmake" ] && [ -f "$B/cmake_install.cmake" ] ||
    fail "$B is not a configured build tree (no CPackConfig.cmake / cmake_install.cmake)"
MAN_SRC=$WHARF_SOURCE_DIR/docs/wharf.1
version=$("$WHARF_BIN" --version | awk '{print $2}')
[ -n "$version" ] || fail "wharf --version printed no version"

# --- the man page source ---------------------------------------------------
warn=$(groff -man -ww -z "$MAN_SRC" 2>&1) || fail "groff failed on docs/wharf.1: $warn"
[ -z "$warn" ] || fail "groff warns on docs/wharf.1: $warn"
th_version=$(awk '$1 == ".TH" { for (i = 1; i <= NF; i++) if ($i == "\"wharf") { v = $(i + 1); sub(/"$/, "", v); print v } }' "$MAN_SRC")
[ "$th_version" = "$version" ] || fail "docs/wharf.1 says version '$th_version', the binary '$version'"
ok "docs/wharf.1: groff -ww silent, .TH version $version is the binary's"

# Every long option the binary lists is in the page, and every option the
# page describes (the tag of a .TP item) is one the binary takes.
# The binary's options: the option lines of the --help texts (dump's
# --help-all has the connection group too), and wharf's own usage line.
# wharf copy's target options are listed several to a line.
bin_opts=$({ "$WHARF_BIN" --help | grep '^usage:'
             { "$WHARF_BIN" dump --help-all; "$WHARF_BIN" load --help; } | grep -oE -- '^ +(-[^ ], )?--[a-z][a-z-]*'
             "$WHARF_BIN" copy --help | grep -E -- '^ +--' | grep -oE -- '--[a-z][a-z-]*'
           } | grep -oE -- '--[a-z][a-z-]*' | sort -u)
page=$(sed 's/\\-/-/g' "$MAN_SRC")
n=0
while IFS= read -r o; do
    grep -qE -- "(^|[^a-z-])$o([^a-z-]|\$)" <<<"$page" || fail "the man page does not document $o"
    n=$((n + 1))
done <<<"$bin_opts"
# load's hidden aliases, --databases and --tables, are in dump's list.
tags=$(awk 'tp { print; tp = 0 } $1 == ".TP" { tp = 1 }' <<<"$page" | grep -oE -- '--[a-z][a-z-]*' | sort -u)
m=0
while IFS= read -r o; do
    grep -qxF -- "$o" <<<"$bin_opts" || fail "the man page describes $o, which no --help lists"
    m=$((m + 1))
done <<<"$tags"
[ "$n" -gt 60 ] && [ "$m" -gt 60 ] || fail "too few options compared ($n listed, $m described)"
ok "man page and --help agree: $n long options listed by the binary, $m described by the page"

# --- cmake --install ----------------------------------------------------------
P=$T/prefix
out=$(cmake --install "$B" --prefix "$P" 2>&1) || fail "cmake --install: $out"
[ -x "$P/bin/wharf" ] || fail "cmake --install put no executable bin/wharf under $P"
[ "$("$P/bin/wharf" --version | awk '{print $2}')" = "$version" ] || fail "installed bin/wharf is not version $version"
MAN_GZ=$P/share/man/man1/wharf.1.gz
[ -f "$MAN_GZ" ] || fail "cmake --install put no share/man/man1/wharf.1.gz under $P"
gzip -t "$MAN_GZ" || fail "$MAN_GZ is not a valid gzip file"
zcat "$MAN_GZ" | cmp -s - "$MAN_SRC" || fail "$MAN_GZ is not docs/wharf.1"
[ -f "$P/share/doc/wharf/FORMAT.md" ] || fail "cmake --install put no share/doc/wharf/FORMAT.md under $P"
ok "cmake --install --prefix: bin/wharf (runs, version $version), share/man/man1/wharf.1.gz (= docs/wharf.1), share/doc/wharf/FORMAT.md"

# man(1) renders the installed page, without warnings, and finds it by name.
rendered=$(MANWIDTH=80 man --warnings -l "$MAN_GZ" 2>"$T/man.err") || fail "man -l $MAN_GZ failed: $(cat "$T/man.err")"
[ ! -s "$T/man.err" ] || fail "man --warnings -l $MAN_GZ warns: $(cat "$T/man.err")"
for s in NAME SYNOPSIS DESCRIPTION COMMANDS "CONNECTION OPTIONS" "DUMP OPTIONS" "LOAD OPTIONS" "EXIT STATUS" FILES EXAMPLES "SEE ALSO"; do
    grep -q "^$s\$" <<<"$rendered" || fail "the rendered page has no section $s"
done
found=$(MANPATH=$P/share/man man -w wharf) || fail "man -w wharf with MANPATH=$P/share/man found nothing"
[ "$found" = "$MAN_GZ" ] || fail "man -w wharf found $found, not $MAN_GZ"
ok "man -l renders the installed page (every section, no warnings); man -w wharf finds it"

# --- cpack -G DEB ----------------------------------------------------------
out=$(cpack -G DEB -B "$T/pkg" --config "$B/CPackConfig.cmake" 2>&1) || fail "cpack -G DEB: $out"
arch=$(dpkg --print-architecture)
DEB=$T/pkg/wharf_${version}_${arch}.deb
[ -f "$DEB" ] || fail "cpack made no $(basename "$DEB"): $(ls "$T/pkg")"
ok "cpack -G DEB made $(basename "$DEB")"

dpkg-deb -I "$DEB" >"$T/info" || fail "dpkg-deb -I $DEB failed"
field() { dpkg-deb -f "$DEB" "$1"; }
[ "$(field Package)" = wharf ] || fail "Package is '$(field Package)', not wharf"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', not $version"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture is '$(field Architecture)', not $arch"
[ "$(field Section)" = database ] || fail "Section is '$(field Section)', not database"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
[ -n "$(field Description)" ] || fail "no Description"
depends=$(field Depends)
for lib in libc6 libglib2.0-0 libmariadb3 libzstd1 zlib1g; do
    grep -qE "(^|, )$lib( |,|\$)" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
# Each dependency names a package installed here at a version that satisfies it.
while IFS= read -r dep; do
    dep=${dep# }
    name=${dep%% *}
    have=$(dpkg-query -W -f='${Version}' "$name" 2>/dev/null) || fail "Depends names $name, which is not an installed package here"
    if [[ $dep =~ \((\>=|\<=|\>\>|\<\<|=)\ ([^\)]+)\) ]]; then
        dpkg --compare-versions "$have" "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" ||
            fail "Depends: $dep, but $name $have is installed here"
    fi
done < <(tr ',' '\n' <<<"$depends")
ok "dpkg-deb -I: Package wharf, Version $version, Section database, Depends: $depends (all satisfied here)"

dpkg-deb -c "$DEB" >"$T/contents" || fail "dpkg-deb -c $DEB failed"
grep -qE '^-rwxr-xr-x root/root .* \./usr/bin/wharf$' "$T/contents" || fail "the package has no ./usr/bin/wharf (0755 root): $(cat "$T/contents")"
grep -qE '^-rw-r--r-- root/root .* \./usr/share/man/man1/wharf\.1\.gz$' "$T/contents" || fail "the package has no ./usr/share/man/man1/wharf.1.gz: $(cat "$T/contents")"
outside=$(awk '{print $NF}' "$T/contents" | grep -vE '^\./usr/(bin|share)(/|$)|^\./usr/$' || true)
[ -z "$outside" ] || fail "the package has files outside /usr/bin and /usr/share: $outside"
ok "dpkg-deb -c: ./usr/bin/wharf (0755), ./usr/share/man/man1/wharf.1.gz (0644), nothing outside /usr/bin and /usr/share"

dpkg-deb -x "$DEB" "$T/x" || fail "dpkg-deb -x failed"
got=$("$T/x/usr/bin/wharf" --version) || fail "the packaged wharf --version failed"
[ "$(awk '{print $2}' <<<"$got")" = "$version" ] || fail "the packaged wharf says '$got'"
"$T/x/usr/bin/wharf" dump --help | grep -q -- '--outputdir' || fail "the packaged wharf dump --help lists no --outputdir"
zcat "$T/x/usr/share/man/man1/wharf.1.gz" | cmp -s - "$MAN_SRC" || fail "the packaged man page is not docs/wharf.1"
ok "dpkg-deb -x: the packaged binary runs ($got), the packaged man page is docs/wharf.1"

# --- dpkg -i / -r, in a private dpkg root ------------------------------------
# The system's package database is never touched: a fresh one under $T, so
# dependencies are forced (they are checked against the system above).
R=$T/root
mkdir -p "$R/var/lib/dpkg/updates" "$R/var/lib/dpkg/info"
: >"$R/var/lib/dpkg/status"
dpkg_r() {
    local extra=()
    [ "$(id -u)" = 0 ] || extra+=(--force-not-root)
    dpkg --root="$R" --log=/dev/null --force-depends --force-script-chrootless --path-include='/*' "${extra[@]}" "$@"
}
out=$(dpkg_r -i "$DEB" 2>&1) || fail "dpkg -i into a private root: $out"
dpkg_r -s wharf 2>/dev/null | grep -qx 'Status: install ok installed' || fail "dpkg -s wharf: not 'install ok installed'"
[ "$("$R/usr/bin/wharf" --version | awk '{print $2}')" = "$version" ] || fail "the dpkg-installed wharf does not run"
found=$(MANPATH=$R/usr/share/man man -w wharf) || fail "man -w wharf finds no dpkg-installed page"
[ "$found" = "$R/usr/share/man/man1/wharf.1.gz" ] || fail "man -w wharf found $found"
out=$(dpkg_r -r wharf 2>&1) || fail "dpkg -r wharf: $out"
left=$(find "$R" -path "$R/var" -prune -o ! -type d -print)
[ -z "$left" ] || fail "dpkg -r wharf left files: $left"
ok "dpkg -i in a private root: installed, binary runs, man -w finds the page; dpkg -r removes every file"
