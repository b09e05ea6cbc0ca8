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
. "$(dirname "$0")/../lib.sh"

[ "${1:-}" != xtf ] || scope xtf
if [ "$KIND" = xtf ]
then
    shift
else
    [ "$TARGET" = staging ] || die "only staging's series is exported; 4.17's is written by hand"
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

# old_part NAME: the part of the old series file that had patch NAME.
old_part()
{
    printf '%s\n' "$OLD" | awk -F '\t' -v p="$1" '$1 == p { print $3; exit }'
}

# part_header PART: the line that starts PART ("[PART: DEP...]").
part_header()
{
    series_parts "$SERIES_DIR/series" |
        awk -F '\t' -v p="$1" '$1 == p { print "[" p ($2 == "" ? "" : ": " $2) "]" }'
}

main()
{
    local c n=0 name head tmp f part cur= done_parts=" " headers=

    git -C "$TREE" rev-parse -q --verify "$REV^{commit}" >/dev/null ||
        die "$TREE has no commit $REV"
    [ -f "$SERIES_DIR/series" ] || die "no series file $SERIES_DIR/series"
    OLD=$(series_entries "$SERIES_DIR/series")
    # A commit whose patch is new goes to the part of the one before it
    # (the first part for the first commit).
    cur=$(printf '%s\n' "$OLD" | head -n1 | cut -f3)
    tmp=$(mktemp -d)
    # The leading comment of the series file, and each part's header.
    head=$(sed -n '/^[^#]/q;p' "$SERIES_DIR/series")
    [ -z "$head" ] || printf '%s\n' "$head" >"$tmp/series"
    while IFS= read -r part
    do
        headers="$headers$part	$(part_header "$part")
"
    done < <(series_parts "$SERIES_DIR/series" | cut -f1)
    # shellcheck disable=SC2046 # the series' patches: a list
    (cd "$SERIES_DIR" && rm -f $(printf '%s\n' "$OLD" | cut -f1))
    for c in $(git -C "$TREE" rev-list --reverse "base..$REV")
    do
        n=$((n + 1))
        name=$(git -C "$TREE" log -1 --format=%f "$c" | cut -c1-60 |
               sed 's/-*$//').patch
        [ ! -e "$SERIES_DIR/$name" ] || die "two patches named $name: reword one subject"
        part=$(old_part "$name")
        part=${part:-$cur}
        if [ "$n" = 1 ] || [ "$part" != "$cur" ]
        then
            case $done_parts in
            *" $part "*)
                die "the patches of the part \"$part\" are not together in $TREE: reorder them" ;;
            esac
            done_parts="$done_parts$part "
            [ -z "$part" ] ||
                printf '%s\n' "$headers" | awk -F '\t' -v p="$part" '$1 == p { print $2 }' >>"$tmp/series"
        fi
        cur=$part
        write_patch "$c" "$SERIES_DIR/$name"
        printf '%s\n' "$name" >>"$tmp/series"
        write_files "$c" >>"$tmp/series"
    done
    mv "$tmp/series" "$SERIES_DIR/series"
    rmdir "$tmp"
    # Files the series no longer adds.
    comm -23 <(printf '%s\n' "$OLD" | cut -f2 | tr ' ' '\n' | sed '/^$/d' | sort) \
             <(series_entries "$SERIES_DIR/series" | cut -f2 | tr ' ' '\n' | sed '/^$/d' | sort) |
        while IFS= read -r f
        do
            rm -f "$FILES/$f"
        done
    say "wrote $n patches to $SERIES_DIR (and their new files under $FILES)"
}

main "$@"
