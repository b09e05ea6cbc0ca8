#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Every patch of the series builds on its own: check out each commit of
# $BUILD/xen in turn in a worktree ($BUILD/bisect) and build the
# hypervisor and the toolstack there.  Incremental: only what a commit
# changes is rebuilt, and ccache ($BUILD/ccache) makes going back to an
# earlier patch cheap.  One PASS/FAIL line per patch.  A commit whose tree
# built before with the same configuration and compiler is not built
# again: the tree's hash fixes the content.

set -eu
. "$(dirname "$0")/lib.sh"

WT=$BUILD/bisect
OK=$BUILD/bisect-ok

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

build_commit()
{
    local c=$1

    git -C "$WT" checkout -q --detach "$c" &&
    CCACHE_DIR=$BUILD/ccache M2P_CC="ccache gcc" \
        "$TOP/scripts/build-xen.sh" "$WT" &&
    CCACHE_DIR=$BUILD/ccache M2P_CC="ccache gcc" \
        "$TOP/scripts/build-tools.sh" "$WT"
}

main()
{
    local c n=0 subject start log key verdict why tree

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
        if [ -f "$OK/$tree-$key" ]
        then
            verdict=PASS
            why=": built before, same tree and configuration"
        elif prepare_worktree &&
             LOGS=$LOGS/check-series-$n build_commit "$c" >"$log" 2>&1
        then
            verdict=PASS
            : >"$OK/$tree-$key"
        else
            verdict=FAIL
            why=": does not build; log: $log"
        fi
        printf '%s %02d %s (%ss)%s\n' "$verdict" "$n" "$subject" \
            "$(elapsed "$start")" "$why"
    done
    [ "$n" -gt 0 ] || printf 'SKIP none (0.000s): the series has no patches yet\n'
}

main "$@"
