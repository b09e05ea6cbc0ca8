#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Write a series as mails, signed by whoever runs this (git config
# user.name and user.email; refused when unset):
#   format-series.sh       TARGET's series, to build/outgoing/TARGET/;
#   format-series.sh xtf   XTF's, to build/outgoing/xtf/.
# git format-patch with a cover letter (subject and text from the
# series' cover-letter file: first line the subject, then a blank line,
# then the text), a Signed-off-by on every patch, To:/Cc: lines from the
# base's scripts/add_maintainers.pl (Xen's MAINTAINERS; XTF has none: To
# xen-devel), and the pinned upstream commit as base-commit.
#   --check  also apply the mails with git am onto the pristine base and
#            check that the result is the patched tree, to the byte.
# For TARGET=4.17, it also writes the patches as a quilt directory for
# Debian's source package (format-quilt.sh);
#   --check-quilt  writes the mails and checks that directory only
#            (check-quilt.sh).

set -eu
. "$(dirname "$0")/lib.sh"

LIST=xen-devel@lists.xenproject.org

if [ "${1:-}" = xtf ]
then
    shift
    xtf_scope
    TREE=$BUILD/xtf/xtf
    OUTDIR=$BUILD/outgoing/xtf
    COVER=$TOP/patches/xtf/cover-letter
    PREFIX="XTF PATCH"
    BASE_COMMIT=$(config XTF_COMMIT)
else
    OUTDIR=$BUILD/outgoing/$TARGET
    COVER=$PATCHES/cover-letter
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
# committed by the sender, now.
signed_clone()
{
    local dir=$1

    git clone -q --branch series "$TREE" "$dir"
    # git -c passes the identity on to the git commands rebase runs.
    git -C "$dir" -c user.name="$NAME" -c user.email="$EMAIL" \
        rebase -q --exec "git commit -q --amend --no-edit --reset-author" \
        base >/dev/null 2>&1 ||
        die "cannot re-sign the commits of $TREE in $dir"
}

# fill_cover MAIL: the cover letter's subject and text, and base-commit.
fill_cover()
{
    python3 - "$1" "$COVER" "$BASE_COMMIT" <<'PY'
import sys
mail, cover, base = sys.argv[1:4]
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

write_series()
{
    local n tmp

    [ -f "$COVER" ] || die "no cover letter $COVER"
    n=$(git -C "$TREE" rev-list --count base..series)
    [ "$n" -gt 0 ] || die "the series has no patches"
    sender
    tmp=$(mktemp -d)
    signed_clone "$tmp/signed"
    rm -rf "$OUTDIR"
    git -C "$tmp/signed" format-patch -q --cover-letter --no-signature \
        --signoff --thread=shallow --subject-prefix="$PREFIX" \
        -o "$OUTDIR" base..series
    fill_cover "$OUTDIR/0000-cover-letter.patch"
    add_cc "$OUTDIR" "$TREE"
    rm -rf "$tmp"
    say "wrote $((n + 1)) mails to $OUTDIR, signed by $NAME <$EMAIL>"
}

# The mails apply with git am onto the pristine base and give the tree.
check_series()
{
    local tmp want got mails m

    tmp=$(mktemp -d)
    git clone -q --no-checkout "$TREE" "$tmp/am"
    git -C "$tmp/am" checkout -q -b am "$(git -C "$TREE" rev-parse base)"
    mails=()
    for m in "$OUTDIR"/*.patch
    do
        [ "$m" = "$OUTDIR/0000-cover-letter.patch" ] || mails+=("$m")
    done
    git -C "$tmp/am" -c user.name="$NAME" -c user.email="$EMAIL" \
        am -q "${mails[@]}" ||
        die "git am of $OUTDIR onto the base failed (clone left in $tmp/am)"
    want=$(git -C "$TREE" rev-parse 'series^{tree}')
    got=$(git -C "$tmp/am" rev-parse 'HEAD^{tree}')
    [ "$want" = "$got" ] ||
        die "git am of the mails gives tree $got, the series is $want (clone left in $tmp/am)"
    # Every patch is signed by the sender, and nothing else signs.
    for m in "${mails[@]}"
    do
        [ "$(grep -c '^Signed-off-by: ' "$m")" = 1 ] &&
            grep -qxF "Signed-off-by: $NAME <$EMAIL>" "$m" ||
            die "$m is not signed off by $NAME <$EMAIL> alone"
    done
    rm -rf "$tmp"
    echo "git am of $OUTDIR onto the base gives the patched tree"
}

main()
{
    write_series
    [ "${1:-}" != --check ] || check_series
    # For the distributions that ship 4.17, the same patches for quilt.
    if [ "$OUTDIR" = "$BUILD/outgoing/4.17" ]
    then
        "$TOP/scripts/format-quilt.sh"
        [ "${1:-}" != --check-quilt ] || "$TOP/scripts/check-quilt.sh"
    fi
}

main "$@"
