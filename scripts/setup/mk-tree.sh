#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Make a patched tree: a git repo whose first commit is the pristine base
# (tagged "base") followed by one commit per entry of a series file.
#   mk-tree.sh       the target's Xen tree, build/TARGET/xen, from
#                    patches/TARGET/series;
#   mk-tree.sh xtf   XTF, build/xtf/xtf, from patches/xtf/series.
#
# A series file lists patches in order.  A patch file is a mail as git
# format-patch writes it: its subject and message make the commit, its
# diff edits files of the base.  Lines indented under a patch name the
# new files it adds, taken whole from this repository at the same path
# (under xtf/ for XTF).  The 4.17 series backports staging patches: a
# line "staging:NAME [DELTA]" applies patches/staging/NAME with the new
# files staging's series lists for it, with patches/4.17/DELTA if given:
# a git diff whose leading text says what differs on 4.17, and whose
# sections edit the staging mail (paths under patches/, applied to it
# first, without fuzz) or the tree (applied after the mail and its new
# files).  The commit message is the mail's, plus a line naming the
# staging patch and that text.  A mail with a From: line is someone
# else's commit (in the 4.17 series, a cherry-pick of upstream's): its
# author and date are kept.
#
# The commits are made as whoever runs this (git config user.name and
# user.email, else the login name), dated now (authored so too, but for
# a mail with a From: line).  The chain is built in a
# side worktree; the tree is then moved onto it with "git reset --hard",
# which rewrites only the files that changed, so builds stay incremental.

set -eu
. "$(dirname "$0")/../lib.sh"

scope "${1:-}"
if [ "$KIND" = xtf ]
then
    BASE_NAME="XTF $(config XTF_COMMIT)"
    CLAIMED="."
else
    BASE_NAME="Xen $(config XEN_BASE_VERSION) ($TARGET)"
    CLAIMED="xen tools docs automation"
fi
SERIES=${SERIES:-$SERIES_DIR/series}
APPLY=$(dirname "$TREE")/apply-$(basename "$TREE")

# staging_files NAME: the new files staging's series lists under NAME.
staging_files()
{
    series_entries "$TOP/patches/staging/series" |
        awk -F '\t' -v p="$1" '$1 == p { print $2 }'
}

# Every file under the series' directories must be claimed by one patch.
check_claims()
{
    local listed unclaimed

    listed=$(series_entries "$SERIES" | cut -f2 | tr ' ' '\n' |
             sed '/^$/d' | sort)
    # shellcheck disable=SC2086 # $CLAIMED: a list
    unclaimed=$(cd "$FILES" && find $CLAIMED -type f 2>/dev/null |
        sed 's|^\./||' | sort | comm -23 - <(printf '%s\n' "$listed"))
    [ -z "$unclaimed" ] ||
        die "files not claimed by any patch in $SERIES: $unclaimed"
    [ -z "$(printf '%s\n' "$listed" | uniq -d)" ] ||
        die "files claimed twice in $SERIES: $(printf '%s\n' "$listed" | uniq -d)"
}

# The input of the series, to know when the tree is up to date.
series_stamp()
{
    (
        stamp_get "$BASE" fetched
        cat "$SERIES"
        cd "$TOP"
        find patches Config.mk -type f | sort | xargs -r sha256sum
        cd "$FILES"
        # shellcheck disable=SC2086 # $CLAIMED: a list
        find $CLAIMED -type f 2>/dev/null | sort | xargs -r sha256sum
        identity
    ) | sha256sum | cut -d' ' -f1
}

# identity: "NAME<TAB>EMAIL" of whoever runs this.
identity()
{
    local name email

    name=$(git config user.name || true)
    email=$(git config user.email || true)
    if [ -z "$name" ] || [ -z "$email" ]
    then
        name=$(id -un)
        email=$(id -un)@$(hostname)
    fi
    printf '%s\t%s\n' "$name" "$email"
}

# commit DIR GIT-COMMIT-ARGS...: commit in DIR as whoever runs this, or,
# for an upstream commit (a mail with a From: line: a backport), authored
# by AUTHOR_NAME <AUTHOR_EMAIL> on AUTHOR_DATE.
commit()
{
    local dir=$1 name email
    shift

    name=$(identity | cut -f1)
    email=$(identity | cut -f2)
    GIT_AUTHOR_NAME=${AUTHOR_NAME:-$name} \
    GIT_AUTHOR_EMAIL=${AUTHOR_EMAIL:-$email} \
    GIT_AUTHOR_DATE=${AUTHOR_DATE:-} \
    GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email \
        git -C "$dir" commit -q "$@"
}

init_repo()
{
    say "creating $TREE from the pristine base"
    rm -rf "$TREE"
    cp -a "$BASE/src" "$TREE"
    git -C "$TREE" init -q -b series
    git -C "$TREE" add -A -f
    commit "$TREE" -m "$BASE_NAME base ($(stamp_get "$BASE" fetched))"
    git -C "$TREE" tag base
}

# ignore_stamps: git in the tree (and its worktrees) ignores the stamps
# of the steps that build there (lib.sh's stamp_set).
ignore_stamps()
{
    local exclude

    exclude=$(git -C "$TREE" rev-parse --path-format=absolute \
              --git-common-dir)/info/exclude
    mkdir -p "$(dirname "$exclude")"
    grep -qxF '.stamp_*' "$exclude" 2>/dev/null ||
        printf '%s\n' '.stamp_*' >>"$exclude"
}

# apply_diff FILE WHAT: apply the diff in FILE (a mail or a bare diff);
# git apply's complaints go to $LOGS/mk-tree-apply.log.
apply_diff()
{
    local log=$LOGS/mk-tree-apply.log

    grep -q '^diff --git ' "$1" || return 0
    if ! git -C "$APPLY" apply --index --whitespace=error-all "$1" >"$log" 2>&1
    then
        cat "$log" >&2
        die "$2 does not apply onto \"$(git -C "$APPLY" log -1 --format=%s)\"; log: $log"
    fi
}

# split_delta DELTA DIR: DELTA's leading text to DIR/note, its sections
# for patches/ (edits of the staging mail) to DIR/mail.diff, the others
# (edits of the tree) to DIR/tree.diff.
split_delta()
{
    awk -v dir="$2" '
        /^diff --git / { out = ($3 ~ /^a\/patches\//) ? "mail.diff" : "tree.diff" }
        { print > (dir "/" (out == "" ? "note" : out)) }' "$1"
    touch "$2/note" "$2/mail.diff" "$2/tree.diff"
}

# apply_patch ENTRY N: one commit in $APPLY for the series entry ENTRY
# ("PATCH [DELTA]<TAB>FILE..."), the Nth.
apply_patch()
{
    local entry=$1 n=$2 patch delta dir files tmp subject f note= mail
    local author author_email author_date

    read -r patch delta <<<"$(printf '%s' "$entry" | cut -f1)"
    files=$(printf '%s' "$entry" | cut -f2)
    dir=$SERIES_DIR
    tmp=$(mktemp -d)
    case $patch in
    staging:*)
        patch=${patch#staging:}
        dir=$TOP/patches/staging
        [ -z "$files" ] || die "$SERIES: staging:$patch takes staging's files, list none"
        files=$(staging_files "$patch")
        note="Backport of \"$(sed -n 's/^Subject: \(\[[^]]*\] \)\{0,1\}//p' "$dir/$patch" | head -n1)\" from the staging series."
        ;;
    esac
    [ -f "$dir/$patch" ] || die "$SERIES: no patch $dir/$patch"
    mail=$tmp/root/patches/staging/$patch
    mkdir -p "$(dirname "$mail")" "$tmp/delta"
    cp "$dir/$patch" "$mail"
    if [ -n "$delta" ]
    then
        [ -f "$SERIES_DIR/$delta" ] || die "$SERIES: no delta $SERIES_DIR/$delta"
        split_delta "$SERIES_DIR/$delta" "$tmp/delta"
        if [ -s "$tmp/delta/mail.diff" ] &&
           ! patch -s -p1 -F0 --no-backup-if-mismatch -d "$tmp/root" \
               <"$tmp/delta/mail.diff" >&2
        then
            die "patch $n: the delta $SERIES_DIR/$delta does not apply to $dir/$patch"
        fi
        note="$note $TARGET: $(tr '\n' ' ' <"$tmp/delta/note" | sed 's/ *$//')"
    fi
    git mailinfo "$tmp/msg" "$tmp/diff" <"$mail" >"$tmp/info" ||
        die "$dir/$patch is not a mail git mailinfo can read"
    subject=$(sed -n 's/^Subject: //p' "$tmp/info")
    [ -n "$subject" ] || die "$dir/$patch has no Subject"
    author=$(sed -n 's/^Author: //p' "$tmp/info")
    author_email=$(sed -n 's/^Email: //p' "$tmp/info")
    author_date=$(sed -n 's/^Date: //p' "$tmp/info")
    apply_diff "$tmp/diff" "patch $n, $dir/$patch${delta:+ with $delta},"
    for f in $files
    do
        [ -f "$FILES/$f" ] || die "$SERIES: patch $n ($patch) adds $f, which is not in the repository"
        [ ! -e "$APPLY/$f" ] || die "$SERIES: patch $n ($patch) adds $f, which the tree already has"
        mkdir -p "$(dirname "$APPLY/$f")"
        cp -p "$FILES/$f" "$APPLY/$f"
        git -C "$APPLY" add -f "$f"
    done
    [ -z "$delta" ] ||
        apply_diff "$tmp/delta/tree.diff" "patch $n, the delta $SERIES_DIR/$delta,"
    {
        printf '%s\n\n' "$subject"
        cat "$tmp/msg"
        [ -z "$note" ] || printf '\n%s\n' "$note" | fmt -w 72
    } | AUTHOR_NAME=$author AUTHOR_EMAIL=$author_email \
        AUTHOR_DATE=$author_date commit "$APPLY" --cleanup=strip -F - ||
        die "patch $n ($patch): commit failed"
    rm -rf "$tmp"
}

build_chain()
{
    local entry n=0

    git -C "$TREE" worktree remove -f "$APPLY" 2>/dev/null || rm -rf "$APPLY"
    git -C "$TREE" worktree prune
    git -C "$TREE" worktree add -q --detach "$APPLY" base
    while IFS= read -r entry
    do
        n=$((n + 1))
        apply_patch "$entry" "$n"
    done < <(series_entries "$SERIES")
    git -C "$APPLY" rev-parse HEAD
}

# keep_work HEAD: stop rather than reset the tree to HEAD (the series
# as the repository has it) if someone committed there since it was
# made, and the repository does not have that work (export-series.sh
# writes it back).
keep_work()
{
    local made now

    made=$(stamp_get "$TREE" made)
    [ -n "$made" ] || return 0
    now=$(git -C "$TREE" rev-parse -q --verify series) || return 0
    [ "$now" != "$made" ] || return 0
    [ "$(git -C "$TREE" rev-parse "$now^{tree}")" != \
      "$(git -C "$TREE" rev-parse "$1^{tree}")" ] || return 0
    die "$TREE has commits that are not in $SERIES_DIR (git -C $TREE log $made..series): write them back with scripts/series/export-series.sh${SCOPE_ARG:+ $SCOPE_ARG}, or remove $TREE to drop them"
}

main()
{
    local stamp head

    [ -f "$SERIES" ] || die "no series file $SERIES"
    # A private series (SERIES=...) covers only part of the repository;
    # a backport takes what it needs.
    [ "$SERIES" != "$SERIES_DIR/series" ] || [ "$SERIES_DIR" = "$TOP/patches/4.17" ] ||
        check_claims
    stamp=$(series_stamp)
    if [ -d "$TREE/.git" ] && stamp_ok "$TREE" patched "$stamp"
    then
        return 0
    fi
    if [ ! -d "$TREE/.git" ] ||
       [ "$(git -C "$TREE" log -1 --format=%s base 2>/dev/null)" != \
         "$BASE_NAME base ($(stamp_get "$BASE" fetched))" ]
    then
        init_repo
    fi
    ignore_stamps
    say "applying $SERIES onto the base"
    head=$(build_chain)
    git -C "$TREE" worktree remove -f "$APPLY"
    keep_work "$head"
    git -C "$TREE" checkout -q -B series
    git -C "$TREE" reset -q --hard "$head"
    stamp_set "$TREE" patched "$stamp"
    stamp_set "$TREE" made "$head"
    say "$(git -C "$TREE" rev-list --count base..series) patches applied: git -C $TREE log base..series"
}

main "$@"
