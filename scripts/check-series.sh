#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Every patch of the series builds on its own: check out each commit of
# $BUILD/xen in turn in a worktree ($BUILD/bisect) and build the
# hypervisor and the toolstack there.  Incremental: only what a commit
# changes is rebuilt, and ccache ($BUILD/ccache) makes going back to an
# earlier patch cheap.  One PASS/FAIL line per patch.  A commit whose tree
# built before with the same configuration and compiler is not built
# again: the tree's hash fixes the content.  Nor is a build (hypervisor,
# toolstack) whose sources a commit leaves as its parent, which built,
# had them: a tools-only patch does not build the hypervisor again.

set -eu
. "$(dirname "$0")/lib.sh"

WT=$TBUILD/bisect
OK=$TBUILD/bisect-ok

# What besides the commit decides whether it builds.
build_key()
{
    { config XEN_KCONFIG; config TOOLS_CONFIGURE; config TOOLS_DIRS; gcc --version; } |
        sha256sum | cut -c1-16
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

# builds_touched C: which builds ("xen", "tools") C can change against
# its parent.  The hypervisor's build reads nothing under tools/; the
# toolstack's reads parts of xen/ (public headers, libelf, lib/x86);
# neither reads automation/ or docs/.
builds_touched()
{
    git -C "$TREE" diff --name-only "$1^" "$1" | awk '
        /^(automation|docs)\// || /(^|\/)\.gitignore$/ { next }
        /^tools\// { t = 1; next }
        { x = 1; t = 1 }
        END { if (x) print "xen"; if (t) print "tools" }'
}

# build_commit C BUILD...: check out C and run the given builds.
build_commit()
{
    local c=$1 b
    shift

    git -C "$WT" checkout -q --detach "$c" || return 1
    for b
    do
        CCACHE_DIR=$BUILD/ccache M2P_CC="ccache gcc" \
            "$TOP/scripts/build-$b.sh" "$WT" || return 1
    done
}

main()
{
    local c n=0 subject start log key verdict why tree builds parent_ok=0

    key=$(build_key)
    mkdir -p "$OK"
    for c in $(git -C "$TREE" rev-list --reverse base..series)
    do
        n=$((n + 1))
        tree=$(git -C "$TREE" rev-parse "$c^{tree}")
        subject=$(git -C "$TREE" log -1 --format=%s "$c")
        log=$LOGS/check-series-$n.log
        start=$(now)
        why=
        # What the parent built need not be built again.
        builds="xen tools"
        [ "$parent_ok" = 0 ] || builds=$(builds_touched "$c")
        # shellcheck disable=SC2086 # $builds: a list
        if [ -f "$OK/$tree-$key" ]
        then
            verdict=PASS
            why=": built before, same tree and configuration"
        elif prepare_worktree &&
             LOGS=$LOGS/check-series-$n build_commit "$c" $builds >"$log" 2>&1
        then
            verdict=PASS
            : >"$OK/$tree-$key"
            [ -n "$builds" ] || why=": builds as its parent did, changes neither"
        else
            verdict=FAIL
            why=": does not build; log: $log"
        fi
        printf '%s %02d %s (%ss)%s\n' "$verdict" "$n" "$subject" \
            "$(elapsed "$start")" "$why"
        parent_ok=$([ "$verdict" = PASS ] && echo 1 || echo 0)
    done
    [ "$n" -gt 0 ] || printf 'SKIP none (0.000s): the series has no patches yet\n'
}

main "$@"
