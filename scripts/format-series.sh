#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Write the series as mails to $BUILD/outgoing: git format-patch with a cover
# letter whose subject and text come from patches/TARGET/cover-letter (first
# line the subject, then a blank line, then the text).
#   --check  also apply the mails with git am onto a pristine base and check
#            that the result is the patched tree, to the byte.

set -eu
. "$(dirname "$0")/lib.sh"

OUTDIR=$BUILD/outgoing
COVER=$PATCHES/cover-letter

write_series()
{
    local n

    [ -f "$COVER" ] || die "no $COVER"
    rm -rf "$OUTDIR"
    n=$(git -C "$TREE" rev-list --count base..series)
    [ "$n" -gt 0 ] || die "the series has no patches"
    git -C "$TREE" format-patch -q --cover-letter --no-signature \
        --subject-prefix="PATCH" -o "$OUTDIR" base..series
    python3 - "$OUTDIR"/0000-cover-letter.patch "$COVER" <<'PY'
import sys
mail, cover = sys.argv[1], sys.argv[2]
lines = open(cover).read().split('\n')
subject, body = lines[0].strip(), '\n'.join(lines[2:]).rstrip('\n')
text = open(mail).read()
for marker, value in (('*** SUBJECT HERE ***', subject),
                      ('*** BLURB HERE ***', body)):
    if marker not in text:
        sys.exit('format-series: no %r in %s' % (marker, mail))
    text = text.replace(marker, value)
open(mail, 'w').write(text)
PY
    say "wrote $((n + 1)) mails to $OUTDIR"
}

# The mails apply with git am onto the pristine base and give the tree.
check_series()
{
    local tmp want got mails m

    tmp=$(mktemp -d)
    git clone -q --no-checkout "$TREE" "$tmp/am"
    git -C "$tmp/am" checkout -q -b am base
    mails=()
    for m in "$OUTDIR"/*.patch
    do
        [ "$m" = "$OUTDIR/0000-cover-letter.patch" ] || mails+=("$m")
    done
    git -C "$tmp/am" -c user.name=check -c user.email=check@localhost \
        am -q "${mails[@]}" ||
        die "git am of $OUTDIR onto the base failed (clone left in $tmp/am)"
    want=$(git -C "$TREE" rev-parse 'series^{tree}')
    got=$(git -C "$tmp/am" rev-parse 'HEAD^{tree}')
    [ "$want" = "$got" ] ||
        die "git am of the mails gives tree $got, the series is $want (clone left in $tmp/am)"
    rm -rf "$tmp"
    echo "git am of $OUTDIR onto the base gives the patched tree"
}

main()
{
    write_series
    [ "${1:-}" != --check ] || check_series
}

main "$@"
