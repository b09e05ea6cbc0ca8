#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Render the documents the series adds under docs/ with the base's docs
# machinery (docs/configure, docs/Makefile: pandoc, pod2man, pod2html) in
# the patched tree, and check them: one line per document,
#     PASS|FAIL <path under docs/> (<seconds>s)[: reason]
# A document fails if it does not render, if podchecker finds an error or
# a warning in a pod page, or if a relative link in its HTML points at no
# rendered file (or one docs/Makefile renders).  docs/Makefile skips, and succeeds, when a tool is
# missing: the check looks for its outputs instead.

set -eu
. "$(dirname "$0")/../lib.sh"

DOCS=$TREE/docs
DLOGS=$LOGS/docs

# outputs SRC: the files docs/Makefile renders from SRC (relative to docs/).
outputs()
{
    local src=$1 base sec

    case $src in
    man/*.pod)
        base=${src#man/}
        base=${base%.pod}
        sec=${base##*.}
        printf '%s\n' "man$sec/$base" "html/man/$base.html"
        ;;
    *.pandoc)
        printf '%s\n' "html/${src%.pandoc}.html" "txt/${src%.pandoc}.txt"
        ;;
    *)
        return 1
        ;;
    esac
}

# renders LINK DIR: LINK, relative to DIR under docs/, is a rendered file
# or one that docs/Makefile renders from a source the tree has (the xl
# pages, say, which only a full docs build renders).
renders()
{
    local path=$1/$2 src ext

    [ -e "$DOCS/$path" ] && return 0
    path=$(realpath -m --relative-to="$DOCS" "$DOCS/$path")
    case $path in
    html/*.html)
        src=${path#html/}
        src=${src%.html}
        for ext in pandoc md pod pod.in
        do
            [ -e "$DOCS/$src.$ext" ] && return 0
        done
        ;;
    esac
    return 1
}

# broken_links HTML: the relative links of HTML that lead nowhere.
broken_links()
{
    local html=$1 dir link

    dir=$(dirname "$html")
    grep -o 'href="[^"]*"' "$html" | sed 's/^href="//; s/"$//; s/#.*//' |
        grep -v -e '^$' -e ':' | sort -u |
        while IFS= read -r link
        do
            renders "$dir" "$link" || printf '%s ' "$link"
        done
}

# check_doc SRC: render SRC and check what came out; prints the reason
# of a failure on stdout.
check_doc()
{
    local src=$1 out outs bad log

    log=$DLOGS/${src//\//_}.log
    mapfile -t outs < <(outputs "$src") ||
        { echo "no rule for $src"; return 1; }
    rm -f "${outs[@]/#/$DOCS/}"
    if ! make -C "$DOCS" "${outs[@]}" >"$log" 2>&1
    then
        echo "make failed; log: $log"
        return 1
    fi
    for out in "${outs[@]}"
    do
        if [ ! -s "$DOCS/$out" ]
        then
            echo "$out not rendered (a tool missing?); log: $log"
            return 1
        fi
    done
    case $src in
    *.pod)
        if ! podchecker -warnings "$DOCS/$src" >>"$log" 2>&1 ||
            grep -q WARNING "$log"
        then
            echo "podchecker: $(grep -m1 -E 'ERROR|WARNING' "$log")"
            return 1
        fi
        ;;
    esac
    for out in "${outs[@]}"
    do
        case $out in
        *.html)
            bad=$(broken_links "$out")
            if [ -n "$bad" ]
            then
                echo "$out links to missing $bad"
                return 1
            fi
            ;;
        esac
    done
}

configure_docs()
{
    [ -f "$TREE/config/Docs.mk" ] && return 0
    say "configuring docs/ in $TREE"
    (cd "$DOCS" && ./configure) >"$DLOGS/configure.log" 2>&1 ||
        die "docs/configure failed; log: $DLOGS/configure.log"
}

main()
{
    local src start why n=0 failed=0

    mkdir -p "$DLOGS"
    configure_docs
    # Every document the series adds, as the repository holds them.
    while IFS= read -r src
    do
        start=$(now)
        n=$((n + 1))
        if why=$(cd "$DOCS" && check_doc "$src")
        then
            case_line PASS "$src" "$(elapsed "$start")"
        else
            case_line FAIL "$src" "$(elapsed "$start")" "$why"
            failed=1
        fi
    done < <(cd "$TOP/docs" && find . -type f \( -name '*.pod' -o -name '*.pandoc' \) |
             sed 's|^\./||' | sort)
    [ "$n" -gt 0 ] || die "no documents under $TOP/docs"
    [ "$failed" = 0 ]
}

main "$@"
