#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The 4.17 backport as a quilt directory, for distributions that ship
# 4.17 (Debian 12): build/outgoing/4.17-quilt/, holding QUILT_DIR/*.patch
# and a `series` file naming them, to go on top of Debian's own
# debian/patches in the unpacked source package:
#
#   cp -r build/outgoing/4.17-quilt/m2p-4.17 xen-4.17.5+72-g01140da4e8/debian/patches/
#   cat build/outgoing/4.17-quilt/series >>xen-4.17.5+72-g01140da4e8/debian/patches/series
#
# Each patch is a mail of build/outgoing/4.17/ (format-series.sh, run
# first) with a DEP-3 header instead of the mail's: Description (the
# subject and the message), Author (whoever runs this: git config
# user.name and user.email, as for the mails), Origin, Forwarded,
# Last-Update; for a cherry-pick of upstream's commit, Author is the
# commit's and Origin names it.
#   --check  also check it (scripts/series/check-quilt.sh).

set -eu
. "$(dirname "$0")/../lib.sh"

[ "$TARGET" = 4.17 ] || die "the quilt directory is for the 4.17 backport (TARGET=4.17)"

MAILS=$BUILD/outgoing/$TARGET
OUTDIR=$BUILD/outgoing/$TARGET-quilt
# The directory of the patches, as debian/patches/series names them.
QUILT_DIR=m2p-4.17
LIST=xen-devel@lists.xenproject.org

main()
{
    local name email mails m

    name=$(git config user.name || true)
    email=$(git config user.email || true)
    [ -n "$name" ] && [ -n "$email" ] ||
        die "the patches' Author is whoever writes them, and git has no identity: set it with git config --global user.name 'Your Name' and git config --global user.email you@example.org"
    mails=()
    for m in "$MAILS"/[0-9][0-9][0-9][0-9]-*.patch
    do
        [ -e "$m" ] || die "no mails in $MAILS: run TARGET=4.17 scripts/series/format-series.sh first"
        [ "${m##*/}" = 0000-cover-letter.patch ] || mails+=("$m")
    done
    rm -rf "$OUTDIR"
    mkdir -p "$OUTDIR/$QUILT_DIR"
    python3 - "$OUTDIR" "$QUILT_DIR" "$name <$email>" \
        "$(config_file XEN_COMMIT.staging)" "$LIST" "${mails[@]}" <<'PY'
import datetime, email.header, os, re, sys

outdir, qdir, author, staging, lst = sys.argv[1:6]
today = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d')
names = []
for mail in sys.argv[6:]:
    head, _, rest = open(mail).read().partition('\n\n')
    # Unfold the headers; the subject without its [PATCH ...] prefix.
    head = re.sub(r'\n[ \t]+', ' ', head)
    subject = re.search(r'^Subject: (?:\[[^]]*\] )?(.*)$', head, re.M)
    if not subject:
        sys.exit('format-quilt: no Subject in %s' % mail)
    body, sep, diff = rest.partition('\n---\n')
    if not sep:
        sys.exit('format-quilt: no "---" line in %s' % mail)
    desc = [' ' + l if l.strip() else ' .' for l in body.strip('\n').split('\n')]
    picked = re.search(r'^\(cherry picked from commit ([0-9a-f]{40})\)$', body,
                       re.M)
    if picked:
        # Upstream's commit, as its author wrote it.
        by = re.search(r'^From: (.*)$', head, re.M).group(1)
        by = str(email.header.make_header(email.header.decode_header(by)))
        origin = ['Author: ' + by,
                  'Origin: upstream, https://xenbits.xen.org/gitweb/'
                  '?p=xen.git;a=commit;h=' + picked.group(1),
                  'Forwarded: not-needed']
    else:
        origin = ['Author: ' + author,
                  'Origin: backport, a patch of the series for Xen staging '
                  '(%s) sent to %s' % (staging[:12], lst),
                  'Forwarded: ' + lst]
    text = '\n'.join(
        ['Description: ' + subject.group(1)] + desc + origin +
        ['Last-Update: ' + today, '---', diff])
    name = os.path.basename(mail)
    open(os.path.join(outdir, qdir, name), 'w').write(text)
    names.append(qdir + '/' + name)
open(os.path.join(outdir, 'series'), 'w').write(''.join(n + '\n' for n in names))
PY
    say "wrote ${#mails[@]} quilt patches to $OUTDIR/$QUILT_DIR, listed in $OUTDIR/series, by $name <$email>"
    [ "${1:-}" != --check ] || "$TOP/scripts/series/check-quilt.sh"
}

main "$@"
