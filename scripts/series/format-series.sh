#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Write a series as mails, signed by whoever runs this (git config
# user.name and user.email; refused when unset):
#   format-series.sh       TARGET's series, to build/outgoing/TARGET/,
#                          or, if its series file has parts ("[NAME]",
#                          see series_entries in lib.sh), each part to
#                          build/outgoing/TARGET-NAME/;
#   format-series.sh xtf   XTF's, to build/outgoing/xtf/.
# git format-patch with a cover letter (subject and text from the
# series' cover-letter file, cover-letter.NAME for a part: first line the
# subject, then a blank line, then the text), a Signed-off-by on every
# patch, To:/Cc: lines from the base's scripts/add_maintainers.pl (Xen's
# MAINTAINERS; XTF has none: To xen-devel), and the pinned upstream
# commit as base-commit, with a prerequisite-patch-id line for each patch
# of the parts a part depends on.
#   --check  also apply each series' mails with git am onto the pristine
#            base (after those of the parts it depends on) and check that
#            the result is the patched tree, to the byte (for a part
#            that does not depend on all the parts before it: the files
#            it changes).
# For TARGET=4.17, it also writes the patches as a quilt directory for
# Debian's source package (format-quilt.sh);
#   --check-quilt  writes the mails and checks that directory only
#            (check-quilt.sh).
# Environment (In): lib.sh's; SERIES_PREFIX (Config.mk, per target).

set -eu
. "$(dirname "$0")/../lib.sh"

LIST=xen-devel@lists.xenproject.org

[ "${1:-}" != xtf ] || scope xtf
if [ "$KIND" = xtf ]
then
    shift
    OUTNAME=xtf
    PREFIX="XTF PATCH"
    BASE_COMMIT=$(config XTF_COMMIT)
else
    OUTNAME=$TARGET
    PREFIX=$(config SERIES_PREFIX)
    BASE_COMMIT=$(config XEN_COMMIT)
fi

# The sender: git's identity, as git config gives it.
sender()
{
    NAME=$(git config user.name || true)
    EMAIL=$(git config user.email || true)
    [ -n "$NAME" ] && [ -n "$EMAIL" ] ||
        die "the mails are signed as whoever sends them, and git has no identity: set it with git config --global user.name 'Your Name' and git config --global user.email you@example.org"
}

# signed_clone DIR: a clone of the tree whose commits are authored and
# committed by the sender, now; but for upstream's commits that a series
# backports (authored by someone else than the tree's base commit, see
# mk-tree.sh), which keep their author.
signed_clone()
{
    local dir=$1 maker

    git clone -q --branch series "$TREE" "$dir"
    maker=$(git -C "$dir" log -1 --format=%ae base)
    # git -c passes the identity on to the git commands rebase runs.
    git -C "$dir" -c user.name="$NAME" -c user.email="$EMAIL" \
        rebase -q --exec "[ \"\$(git log -1 --format=%ae)\" != '$maker' ] || git commit -q --amend --no-edit --reset-author" \
        base >/dev/null 2>&1 ||
        die "cannot re-sign the commits of $TREE in $dir"
}

# fill_cover MAIL COVER PREREQ: the cover letter's subject and text from
# COVER, and base-commit (then the lines of the file PREREQ).
fill_cover()
{
    python3 - "$1" "$2" "$BASE_COMMIT" "$3" <<'PY'
import sys
mail, cover, base, prereq = sys.argv[1:5]
lines = open(cover).read().split('\n')
subject, body = lines[0].strip(), '\n'.join(lines[2:]).rstrip('\n')
text = open(mail).read()
for marker, value in (('*** SUBJECT HERE ***', subject),
                      ('*** BLURB HERE ***', body)):
    if marker not in text:
        sys.exit('format-series: no %r in %s' % (marker, mail))
    text = text.replace(marker, value)
# git format-patch puts base-commit after the diffstat, before the
# signature; there is no signature here.
text = text.rstrip('\n') + '\n\nbase-commit: %s\n' % base
text += open(prereq).read()
open(mail, 'w').write(text)
PY
}

# add_cc DIR: To:/Cc: lines from the base's scripts/add_maintainers.pl.
add_cc()
{
    local dir=$1 base=$2 log=$LOGS/add-maintainers.log

    if [ -x "$base/scripts/add_maintainers.pl" ]
    then
        (cd "$base" && ./scripts/add_maintainers.pl -d "$dir") >"$log" 2>&1 ||
            die "scripts/add_maintainers.pl failed; log: $log"
    else
        sed -i "0,/^Subject: /s//To: $LIST\n&/" "$dir"/*.patch
    fi
}

# The parts of the series, "PART|DEP...|FIRST|LAST": FIRST and LAST
# count the patches from 1, as the commits after base.
parts()
{
    series_entries "$SERIES_DIR/series" |
        awk -F '\t' '
            $3 != part || NR == 1 { if (NR > 1) print part "|" deps "|" first "|" NR - 1
                                    part = $3; deps = $4; first = NR }
            END { if (NR) print part "|" deps "|" first "|" NR }'
}

# outdir PART, cover PART: where the mails of PART go, its cover letter.
outdir()
{
    printf '%s\n' "$BUILD/outgoing/$OUTNAME${1:+-$1}"
}

cover()
{
    printf '%s\n' "$SERIES_DIR/cover-letter${1:+.$1}"
}

# nth CLONE N: the Nth commit after base in CLONE ("base" for 0).
nth()
{
    if [ "$2" = 0 ]
    then
        git -C "$1" rev-parse base
    else
        git -C "$1" rev-list --reverse base..series | sed -n "$2p"
    fi
}

# part_range PART: "FIRST LAST" of PART.
part_range()
{
    parts | awk -F '|' -v p="$1" '$1 == p { print $3, $4 }'
}

# write_part CLONE PART DEP...: the mails of PART, from the signed CLONE.
write_part()
{
    local clone=$1 part=$2 dir cover first last dep c d l prereq
    shift 2

    dir=$(outdir "$part")
    cover=$(cover "$part")
    [ -f "$cover" ] || die "no cover letter $cover"
    read -r first last <<<"$(part_range "$part")"
    prereq=$(mktemp)
    for dep in "$@"
    do
        read -r d l <<<"$(part_range "$dep")"
        [ -n "$d" ] || die "$SERIES_DIR/series: part \"$part\" depends on \"$dep\", which it does not have"
        [ "$l" -lt "$first" ] || die "$SERIES_DIR/series: part \"$part\" depends on \"$dep\", which comes after it"
        for c in $(git -C "$clone" rev-list --reverse "$(nth "$clone" $((d - 1)))..$(nth "$clone" "$l")")
        do
            printf 'prerequisite-patch-id: %s\n' \
                "$(git -C "$clone" show "$c" | git patch-id --stable | cut -d' ' -f1)"
        done >>"$prereq"
    done
    rm -rf "$dir"
    git -C "$clone" format-patch -q --cover-letter --no-signature \
        --signoff --thread=shallow --subject-prefix="$PREFIX" \
        -o "$dir" "$(nth "$clone" $((first - 1)))..$(nth "$clone" "$last")"
    fill_cover "$dir/0000-cover-letter.patch" "$cover" "$prereq"
    rm -f "$prereq"
    add_cc "$dir" "$TREE"
    say "wrote $((last - first + 2)) mails to $dir, signed by $NAME <$EMAIL>"
}

write_series()
{
    local n tmp part deps

    n=$(git -C "$TREE" rev-list --count base..series)
    [ "$n" -gt 0 ] || die "the series has no patches"
    [ "$n" = "$(series_entries "$SERIES_DIR/series" | wc -l)" ] ||
        die "$TREE has $n patches, $SERIES_DIR/series $(series_entries "$SERIES_DIR/series" | wc -l): export or remake the tree"
    sender
    tmp=$(mktemp -d)
    signed_clone "$tmp/signed"
    while IFS='|' read -r part deps _
    do
        # shellcheck disable=SC2086 # $deps: a list
        write_part "$tmp/signed" "$part" $deps
    done < <(parts)
    rm -rf "$tmp"
}

# mails DIR: the patches of DIR, without its cover letter.
mails()
{
    local m

    for m in "$1"/*.patch
    do
        [ "$m" = "$1/0000-cover-letter.patch" ] || printf '%s\n' "$m"
    done
}

# check_part PART DEP...: PART's mails apply with git am onto the
# pristine base after those of its DEPs, and give the patched tree.
check_part()
{
    local part=$1 tmp want got m first last dep all=yes prev
    local -a list
    shift

    tmp=$(mktemp -d)
    git clone -q --no-checkout "$TREE" "$tmp/am"
    git -C "$tmp/am" checkout -q -b am "$(git -C "$TREE" rev-parse base)"
    read -r first last <<<"$(part_range "$part")"
    # Whether the DEPs are all the parts before this one (bracketed: the
    # first part may be the unnamed one, "").
    prev=$(parts | awk -F '|' -v f="$first" '$4 < f { print "[" $1 "]" }' | sort)
    [ "$prev" = "$(for dep in "$@"; do printf '[%s]\n' "$dep"; done | sort)" ] ||
        all=
    list=()
    for dep in "$@"
    do
        mapfile -t -O "${#list[@]}" list < <(mails "$(outdir "$dep")")
    done
    [ "${#list[@]}" = 0 ] ||
        git -C "$tmp/am" -c user.name="$NAME" -c user.email="$EMAIL" \
            am -q "${list[@]}" ||
        die "git am of the parts $* onto the base failed (clone left in $tmp/am)"
    mapfile -t list < <(mails "$(outdir "$part")")
    git -C "$tmp/am" -c user.name="$NAME" -c user.email="$EMAIL" \
        am -q "${list[@]}" ||
        die "git am of $(outdir "$part") onto the base${1:+ and $*} failed (clone left in $tmp/am)"
    want=$(nth "$TREE" "$last")
    if [ -n "$all" ]
    then
        want=$(git -C "$TREE" rev-parse "$want^{tree}")
        got=$(git -C "$tmp/am" rev-parse 'HEAD^{tree}')
        [ "$want" = "$got" ] ||
            die "git am of the mails gives tree $got, the series is $want (clone left in $tmp/am)"
    else
        git -C "$tmp/am" diff --quiet "$want" HEAD -- \
            $(git -C "$TREE" diff --name-only "$(nth "$TREE" $((first - 1)))" "$want") ||
            die "git am of $(outdir "$part") gives other files than the series (clone left in $tmp/am)"
    fi
    # Every patch is signed by the sender, last; a patch the sender wrote
    # (From: the sender), by the sender alone.
    for m in "${list[@]}"
    do
        [ "$(grep '^Signed-off-by: ' "$m" | tail -n1)" = \
          "Signed-off-by: $NAME <$EMAIL>" ] &&
            [ "$(grep -cxF "Signed-off-by: $NAME <$EMAIL>" "$m")" = 1 ] ||
            die "$m is not signed off by $NAME <$EMAIL>, last"
        case $(grep -m1 '^From: ' "$m") in
        *"<$EMAIL>")
            [ "$(grep -c '^Signed-off-by: ' "$m")" = 1 ] ||
                die "$m is not signed off by $NAME <$EMAIL> alone"
            ;;
        esac
    done
    rm -rf "$tmp"
    echo "git am of $(outdir "$part") onto the base${1:+ and $*} gives the patched tree"
}

check_series()
{
    local part deps

    while IFS='|' read -r part deps _
    do
        # shellcheck disable=SC2086 # $deps: a list
        check_part "$part" $deps
    done < <(parts)
}

main()
{
    write_series
    [ "${1:-}" != --check ] || check_series
    # For the distributions that ship 4.17, the same patches for quilt.
    if [ "$OUTNAME" = 4.17 ]
    then
        "$TOP/scripts/series/format-quilt.sh"
        [ "${1:-}" != --check-quilt ] || "$TOP/scripts/series/check-quilt.sh"
    fi
}

main "$@"
