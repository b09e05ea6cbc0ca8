#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Every patch of a series builds on its own:
#   check-series.sh       TARGET's series: the hypervisor and the toolstack;
#   check-series.sh xtf   XTF's: the whole of XTF, or the tests a patch
#                         changes.
# Each commit of the patched tree is checked out in turn in a worktree
# (build/TARGET/bisect, build/xtf/bisect) and built there.  Incremental:
# only what a commit changes is rebuilt, and ccache (build/ccache) makes
# going back to an earlier patch cheap.  One PASS/FAIL line per patch.  A
# commit whose tree built before with the same configuration and compiler
# is not built again: the tree's hash fixes the content.  Nor is a build
# (hypervisor, toolstack) whose code a commit leaves as its parent, which
# built, had it: a tools-only patch does not build the hypervisor again,
# and one that changes only comments (as the compiler sees the files)
# builds nothing.

set -eu
. "$(dirname "$0")/../lib.sh"

scope "${1:-}"
WT=$SBUILD/bisect
[ "$KIND" = xen ] || CCACHE_BASEDIR=$SBUILD

# What besides the commit decides whether it builds.
build_key()
{
    {
        [ "$KIND" = xtf ] ||
            { config XEN_KCONFIG; config TOOLS_CONFIGURE; config TOOLS_DIRS; }
        gcc --version
    } | sha256sum | cut -c1-16
}

prepare_worktree()
{
    if [ ! -d "$WT/.git" ] && [ ! -f "$WT/.git" ]
    then
        rm -rf "$WT"
        git -C "$TREE" worktree prune
        git -C "$TREE" worktree add -q --detach "$WT" base
    fi
}

# code REV FILE: FILE at REV without its comments, as the compiler sees
# it (gcc's preprocessor on already preprocessed input: comments go,
# directives and macros stay as they are).
code()
{
    git -C "$TREE" show "$1:$2" 2>/dev/null |
        gcc -fpreprocessed -dD -E -P -x c - 2>/dev/null
}

# code_changed C FILE: whether C changes more than comments in FILE (a
# C source or header; any other file counts as changed).
code_changed()
{
    case $2 in
    *.c|*.h) ;;
    *) return 0 ;;
    esac
    ! cmp -s <(code "$1^" "$2") <(code "$1" "$2")
}

# builds_touched C: which builds ("xen", "tools") C can change against
# its parent.  The hypervisor's build reads nothing under tools/; the
# toolstack's reads parts of xen/ (public headers, libelf, lib/x86);
# neither reads automation/ or docs/; a change to comments only changes
# neither.
builds_touched()
{
    local f

    git -C "$TREE" diff --name-only "$1^" "$1" | while IFS= read -r f
    do
        code_changed "$1" "$f" && printf '%s\n' "$f"
    done | awk '
        /^(automation|docs)\// || /(^|\/)\.gitignore$/ { next }
        /^tools\// { t = 1; next }
        { x = 1; t = 1 }
        END { if (x) print "xen"; if (t) print "tools" }'
}

# xtf_builds_touched C: for an XTF commit, the tests (tests/NAME) to
# build if C changes only them (and docs), else "all".
xtf_builds_touched()
{
    git -C "$TREE" diff --name-only "$1^" "$1" | awk -F/ '
        $1 == "docs" { next }
        $1 == "tests" && NF > 2 { t[$1 "/" $2] = 1; next }
        { all = 1 }
        END { if (all) print "all"; else for (i in t) print i }'
}

# build_commit C BUILD...: check out C and run the given builds: for
# Xen, "xen" and/or "tools"; for XTF, "all" or tests/NAME....
build_commit()
{
    local c=$1 b
    shift

    git -C "$WT" checkout -q --detach "$c" || return 1
    if [ "$KIND" = xtf ]
    then
        [ $# -gt 0 ] || return 0
        if [ "$*" = all ]
        then
            make -C "$WT" -j"$(nproc)" CC="$CC"
        else
            make -C "$WT" -j"$(nproc)" CC="$CC" TESTS="$*"
        fi
        return
    fi
    for b
    do
        "$TOP/scripts/setup/build-$b.sh" "$WT" || return 1
    done
}

main()
{
    local c n=0 subject start log key verdict why tree builds parent_ok=0

    key=$(build_key)
    for c in $(git -C "$TREE" rev-list --reverse base..series)
    do
        n=$((n + 1))
        tree=$(git -C "$TREE" rev-parse "$c^{tree}")
        subject=$(git -C "$TREE" log -1 --format=%s "$c")
        log=$LOGS/check-series-$n.log
        [ "$KIND" = xen ] || log=$LOGS/check-xtf-series-$n.log
        start=$(now)
        why=
        # What the parent built need not be built again.
        if [ "$KIND" = xtf ]
        then
            builds=all
            [ "$parent_ok" = 0 ] || builds=$(xtf_builds_touched "$c")
        else
            builds="xen tools"
            [ "$parent_ok" = 0 ] || builds=$(builds_touched "$c")
        fi
        # shellcheck disable=SC2086 # $builds: a list
        if stamp_ok "$WT" "$tree" "$key"
        then
            verdict=PASS
            why="built before, same tree and configuration"
        elif prepare_worktree &&
             LOGS=$LOGS/check-series-$n build_commit "$c" $builds >"$log" 2>&1
        then
            verdict=PASS
            stamp_set "$WT" "$tree" "$key"
            [ -n "$builds" ] || why="builds as its parent did, changes neither"
        else
            verdict=FAIL
            why="does not build; log: $log"
        fi
        case_line "$verdict" "$(printf '%02d' "$n") $subject" \
            "$(elapsed "$start")" "$why"
        parent_ok=$([ "$verdict" = PASS ] && echo 1 || echo 0)
    done
    [ "$n" -gt 0 ] || case_line SKIP none 0.000 "the series has no patches yet"
}

main "$@"
