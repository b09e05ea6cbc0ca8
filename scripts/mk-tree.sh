#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Make $BUILD/xen: a git repo whose first commit is the pristine base
# (tagged "base") followed by one commit per entry of patches/series.
#
# patches/series lists the patches in order; lines indented under a patch
# name the files that patch adds, taken whole from this repository at the
# same path.  A patch file is a mail as git format-patch writes it: its
# headers and message make the commit, its diff edits files of the base.
#
# The chain is built in a side worktree; build/xen is then moved onto it
# with "git reset --hard", which rewrites only the files that changed, so
# the builds there stay incremental.

set -eu
. "$(dirname "$0")/lib.sh"

SERIES=${SERIES:-$TOP/patches/series}
APPLY=$BUILD/apply

# Every file under the series' directories must be claimed by one patch.
check_claims()
{
    local listed unclaimed

    listed=$(grep '^[[:space:]]' "$SERIES" | sed 's/^[[:space:]]*//' | sort)
    unclaimed=$(cd "$TOP" &&
        find xen tools docs automation -type f 2>/dev/null | sort |
        comm -23 - <(printf '%s\n' "$listed"))
    [ -z "$unclaimed" ] ||
        die "files not claimed by any patch in patches/series: $unclaimed"
    [ -z "$(printf '%s\n' "$listed" | uniq -d)" ] ||
        die "files claimed twice in patches/series: $(printf '%s\n' "$listed" | uniq -d)"
}

# The input of the series, to know when build/xen is up to date.
series_stamp()
{
    (
        cat "$BUILD/base/stamp" "$SERIES"
        cd "$TOP"
        find patches xen tools docs automation -type f 2>/dev/null |
            sort | xargs -r sha256sum
    ) | sha256sum | cut -d' ' -f1
}

init_repo()
{
    say "creating $TREE from the pristine base"
    rm -rf "$TREE"
    cp -a "$BUILD/base/src" "$TREE"
    git -C "$TREE" init -q -b series
    git -C "$TREE" add -A -f
    GIT_AUTHOR_DATE='2025-01-01T00:00:00Z' \
    GIT_COMMITTER_DATE='2025-01-01T00:00:00Z' \
        git -C "$TREE" commit -q -m "Xen $(config XEN_BASE_VERSION) base ($(cat "$BUILD/base/stamp"))"
    git -C "$TREE" tag base
}

# apply_patch FILE NEWFILE...: one commit in $APPLY.
apply_patch()
{
    local patch=$1 tmp name email subject date f
    shift

    tmp=$(mktemp -d)
    git mailinfo "$tmp/msg" "$tmp/diff" <"$TOP/patches/$patch" >"$tmp/info" ||
        die "patches/$patch is not a mail git mailinfo can read"
    name=$(sed -n 's/^Author: //p' "$tmp/info")
    email=$(sed -n 's/^Email: //p' "$tmp/info")
    subject=$(sed -n 's/^Subject: //p' "$tmp/info")
    date=$(sed -n 's/^Date: //p' "$tmp/info")
    [ -n "$subject" ] || die "patches/$patch has no Subject"
    if grep -q "^diff --git " "$tmp/diff"
    then
        git -C "$APPLY" apply --index --whitespace=error-all "$tmp/diff" \
            2>"$tmp/err" ||
            { cat "$tmp/err" >&2; die "patches/$patch does not apply"; }
    fi
    for f in "$@"
    do
        [ -f "$TOP/$f" ] || die "patches/series: $patch adds $f, which is not in the repository"
        [ ! -e "$APPLY/$f" ] || die "patches/series: $patch adds $f, which the tree already has"
        mkdir -p "$(dirname "$APPLY/$f")"
        cp -p "$TOP/$f" "$APPLY/$f"
        git -C "$APPLY" add "$f"
    done
    { printf '%s\n\n' "$subject"; cat "$tmp/msg"; } |
        GIT_AUTHOR_NAME=${name:-Xen M2P series} \
        GIT_AUTHOR_EMAIL=${email:-m2p-series@localhost} \
        GIT_AUTHOR_DATE=${date:-2025-01-01T00:00:00Z} \
        GIT_COMMITTER_NAME=${name:-Xen M2P series} \
        GIT_COMMITTER_EMAIL=${email:-m2p-series@localhost} \
        GIT_COMMITTER_DATE=${date:-2025-01-01T00:00:00Z} \
        git -C "$APPLY" commit -q --cleanup=strip -F - ||
        die "patches/$patch: commit failed"
    rm -rf "$tmp"
}

build_chain()
{
    local line patch="" files=()

    git -C "$TREE" worktree remove -f "$APPLY" 2>/dev/null || rm -rf "$APPLY"
    git -C "$TREE" worktree prune
    git -C "$TREE" worktree add -q --detach "$APPLY" base
    while IFS= read -r line || [ -n "$line" ]
    do
        case $line in
        ''|'#'*) continue ;;
        [[:space:]]*)
            [ -n "$patch" ] || die "patches/series: a file before any patch"
            files+=("$(printf '%s' "$line" | sed 's/^[[:space:]]*//')")
            ;;
        *)
            [ -z "$patch" ] || apply_patch "$patch" "${files[@]}"
            patch=$line
            files=()
            ;;
        esac
    done <"$SERIES"
    [ -z "$patch" ] || apply_patch "$patch" "${files[@]}"
    git -C "$APPLY" rev-parse HEAD
}

main()
{
    local stamp head

    [ -f "$SERIES" ] || die "no series file $SERIES"
    # A private series (SERIES=...) covers only part of the repository.
    [ "$SERIES" != "$TOP/patches/series" ] || check_claims
    stamp=$(series_stamp)
    if [ -d "$TREE/.git" ] && [ -f "$BUILD/tree.stamp" ] &&
       [ "$(cat "$BUILD/tree.stamp")" = "$stamp" ]
    then
        return 0
    fi
    if [ ! -d "$TREE/.git" ] ||
       [ "$(git -C "$TREE" log -1 --format=%s base 2>/dev/null)" != \
         "Xen $(config XEN_BASE_VERSION) base ($(cat "$BUILD/base/stamp"))" ]
    then
        init_repo
    fi
    say "applying the series (patches/series) onto the base"
    head=$(build_chain)
    git -C "$TREE" worktree remove -f "$APPLY"
    git -C "$TREE" checkout -q -B series
    git -C "$TREE" reset -q --hard "$head"
    printf '%s\n' "$stamp" >"$BUILD/tree.stamp"
    say "$(git -C "$TREE" rev-list --count base..series) patches applied: git -C $TREE log base..series"
}

main "$@"
