#!/usr/bin/env bash
# check_deps.sh - is everything tests/needs.txt names here? (make check-deps;
# run by make check and .ci/run before any suite.) Each tool must be on
# PATH, each Python module import (in python3 on PATH or /usr/bin/python3,
# as the suites run them), each file and pkg-config module exist, each font
# family (and style) be found by fontconfig - among the fonts of
# RG_FONT_PACKAGES (the Makefile's FONT_PACKAGES, tests/fonts-conf.sh) when
# that is set, as the suites see them. Prints one line per missing thing,
# "missing: qpdf (package qpdf)", and exits 1; else one line and exit 0.
# With --build, only what the build set needs (make build-deps).
set -u
cd "$(dirname "$0")/.."
only= for="the build and the tests need"
[ "${1:-}" = --build ] && only=build for="the build needs"
missing=0 n=0
miss() { missing=$((missing + 1)); echo "missing: $1 (package $2)"; }

pythons=()
for py in python3 /usr/bin/python3; do
    command -v "$py" >/dev/null 2>&1 && pythons+=("$py")
done
has_module() {
    local py
    for py in "${pythons[@]}"; do "$py" -c "import $1" >/dev/null 2>&1 && return 0; done
    return 1
}

fonts_ok=1
if ! command -v fc-list >/dev/null 2>&1; then
    fonts_ok=0                  # named by its own line (tool fc-list)
elif [ -n "${RG_FONT_PACKAGES:-}" ]; then
    conf=$(mktemp)
    trap 'rm -f "$conf"' EXIT
    # shellcheck disable=SC2086
    if tests/fonts-conf.sh $RG_FONT_PACKAGES >"$conf" 2>"$conf.err"; then
        export FONTCONFIG_FILE=$conf
    else                        # names the font package that is not installed
        sed 's/^/  /' "$conf.err"
        missing=$((missing + 1))
    fi
    rm -f "$conf.err"
fi
# has_font FAMILY[:STYLE]: a face of that family and style (bold: weight
# 200 and up; italic: any slant) among the fonts fontconfig sees
has_font() {
    local family=${1%%:*} style= want_b=0 want_i=0
    [ "$family" != "$1" ] && style=${1#*:}
    case $style in bold) want_b=1 ;; italic) want_i=1 ;; bolditalic) want_b=1 want_i=1 ;; esac
    fc-list --format '%{family}\t%{weight}\t%{slant}\n' "$family" 2>/dev/null |
        awk -F'\t' -v fam="$family" -v b="$want_b" -v i="$want_i" '
            { n = split($1, names, ","); hit = 0
              for (k = 1; k <= n; k++) if (tolower(names[k]) == tolower(fam)) hit = 1
              if (hit && (($2 + 0 >= 200) == b) && (($3 + 0 > 0) == i)) found = 1 }
            END { exit !found }'
}

while read -r set kind pkg what; do
    case $set in ''|'#'*) continue ;; esac
    [ -n "$only" ] && [ "$set" != "$only" ] && continue
    n=$((n + 1))
    case $kind in
    tool)      command -v "$what" >/dev/null 2>&1 || miss "$what" "$pkg" ;;
    module)    has_module "$what" || miss "Python module $what" "$pkg" ;;
    file)      [ -e "$what" ] || miss "$what" "$pkg" ;;
    glob)      compgen -G "$what" >/dev/null || miss "$what" "$pkg" ;;
    pkgconfig) command -v pkg-config >/dev/null 2>&1 && ! pkg-config --exists "$what" &&
                   miss "pkg-config module $what" "$pkg" ;;
    font)      [ "$fonts_ok" = 1 ] && ! has_font "$what" && miss "font '$what'" "$pkg" ;;
    *)         echo "check_deps.sh: tests/needs.txt: unknown kind '$kind'"; missing=$((missing + 1)) ;;
    esac
done <tests/needs.txt

if [ "$missing" -gt 0 ]; then
    echo "check_deps: $missing of the $n things $for are missing (make ${only:+build-}deps installs them, as root)"
    exit 1
fi
echo "check_deps: all $n things $for are here"
