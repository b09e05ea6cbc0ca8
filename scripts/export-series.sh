#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The reverse of mk-tree.sh, for a developer: write the commits of a
# patched tree back into this repository, one patch file per commit.
#   export-series.sh [REV]       staging's tree (build/staging/xen):
#                                patches/staging and the new files;
#   export-series.sh xtf [REV]   XTF's (build/xtf/xtf): patches/xtf and
#                                the new files under xtf/.
# REV (default "series") is the last commit of the series; "base" is its
# start.  Each commit becomes <subject>.patch (the series file gives the
# order, as quilt's does): its message and the
# diff of the files it changes; the files it adds are written whole at
# their path in the tree, and listed under it in the series file.  The
# old patch files of that series are removed first; the series file keeps
# its leading comment.  The 4.17 backport is edited by hand (its deltas
# are small, see mk-tree.sh).

set -eu
. "$(dirname "$0")/lib.sh"

if [ "${1:-}" = xtf ]
then
    shift
    xtf_scope
    TREE=$BUILD/xtf/xtf
    OUT=$TOP/patches/xtf
    FILES=$TOP/xtf
else
    [ "$TARGET" = staging ] || die "only staging's series is exported; 4.17's is written by hand"
    OUT=$PATCHES
    FILES=$TOP
fi
REV=${1:-series}

# write_patch C FILE: the message and diff of commit C, minus the files C
# adds, as a mail that git mailinfo reads.
write_patch()
{
    local c=$1 file=$2 f
    local paths=(.)

    while IFS= read -r f
    do
        [ -z "$f" ] || paths+=(":(exclude)$f")
    done < <(git -C "$TREE" diff --name-only --diff-filter=A "$c^" "$c")
    {
        printf 'Subject: [PATCH] %s\n\n' "$(git -C "$TREE" log -1 --format=%s "$c")"
        git -C "$TREE" log -1 --format=%b "$c" | sed -e '/^Signed-off-by: /d' |
            sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
        printf -- '---\n'
        git -C "$TREE" diff --stat=72 --summary "$c^" "$c" -- "${paths[@]}"
        printf '\n'
        git -C "$TREE" diff "$c^" "$c" -- "${paths[@]}"
    } >"$file"
}

# write_files C: the files commit C adds, whole, under $FILES.
write_files()
{
    local c=$1 f

    git -C "$TREE" diff --name-only --diff-filter=A "$c^" "$c" |
        while IFS= read -r f
        do
            mkdir -p "$(dirname "$FILES/$f")"
            git -C "$TREE" show "$c:$f" >"$FILES/$f"
            if [ "$(git -C "$TREE" ls-tree "$c" -- "$f" | cut -d' ' -f1)" = 100755 ]
            then
                chmod 755 "$FILES/$f"
            else
                chmod 644 "$FILES/$f"
            fi
            printf '    %s\n' "$f"
        done
}

# series_patches FILE: the patch files FILE names.
series_patches()
{
    [ -f "$1" ] || return 0
    sed -n 's/^\([^#[:space:]][^[:space:]]*\).*/\1/p' "$1"
}

# series_files FILE: the new files FILE lists.
series_files()
{
    [ -f "$1" ] || return 0
    sed -n 's/^[[:space:]][[:space:]]*//p' "$1"
}

main()
{
    local c n=0 name head tmp old_files f

    git -C "$TREE" rev-parse -q --verify "$REV^{commit}" >/dev/null ||
        die "$TREE has no commit $REV"
    tmp=$(mktemp)
    # The leading comment of the series file.
    head=$(sed -n '/^[^#]/q;p' "$OUT/series" 2>/dev/null || true)
    [ -z "$head" ] || printf '%s\n' "$head" >"$tmp"
    old_files=$(series_files "$OUT/series")
    # shellcheck disable=SC2046 # the series' patches: a list
    (cd "$OUT" && rm -f $(series_patches "$OUT/series"))
    for c in $(git -C "$TREE" rev-list --reverse "base..$REV")
    do
        n=$((n + 1))
        name=$(git -C "$TREE" log -1 --format=%f "$c" | cut -c1-60 |
               sed 's/-*$//').patch
        [ ! -e "$OUT/$name" ] || die "two patches named $name: reword one subject"
        write_patch "$c" "$OUT/$name"
        printf '%s\n' "$name" >>"$tmp"
        write_files "$c" >>"$tmp"
    done
    mv "$tmp" "$OUT/series"
    # Files the series no longer adds.
    comm -23 <(printf '%s\n' "$old_files" | sed '/^$/d' | sort) \
             <(series_files "$OUT/series" | sort) |
        while IFS= read -r f
        do
            rm -f "$FILES/$f"
        done
    say "wrote $n patches to $OUT (and their new files under $FILES)"
}

main "$@"
