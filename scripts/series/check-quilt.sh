#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The 4.17 quilt directory (format-quilt.sh) applies on top of Debian's
# own patches: Debian's source package (the .dsc and its tarballs, as
# fetch-base.sh's apt-get source left them in build/dl, else downloaded
# the same way) is unpacked with dpkg-source -x, which applies
# debian/patches; our patches are appended to debian/patches/series and
# quilt push -a must apply every one of them, without fuzz (as
# dpkg-source does).  Each file the series touches must then hold
# Debian's changes and the series', as git merge-file merges them (the
# patched tree's file, build/4.17/xen branch series, where no Debian
# patch touches it), and each file the series deletes must be gone.

set -eu
. "$(dirname "$0")/../lib.sh"

[ "$TARGET" = 4.17 ] || die "the quilt directory is for the 4.17 backport (TARGET=4.17)"

DL=$BUILD/dl
QUILT=$BUILD/outgoing/$TARGET-quilt

# dsc: the source package's .dsc in DL, downloaded if missing.
dsc()
{
    local pkg ver file log=$LOGS/apt-source-dsc.log

    pkg=$(config XEN_DEB_PACKAGE)
    ver=$(config XEN_DEB_VERSION)
    file=$DL/${pkg}_${ver#*:}.dsc
    if [ ! -f "$file" ]
    then
        mkdir -p "$DL"
        (cd "$DL" && apt-get source --download-only "$pkg=$ver") >"$log" 2>&1 ||
            die "no $file, and apt-get source $pkg=$ver failed (log: $log; TARGET=4.17 scripts/setup/fetch-base.sh adds the deb-src entry it needs)"
    fi
    printf '%s\n' "$file"
}

# tree_file REV FILE OUT: FILE at REV of the patched tree into OUT,
# empty where REV has no FILE.
tree_file()
{
    git -C "$TREE" show "$1:$2" >"$3" 2>/dev/null || : >"$3"
}

# expected FILE TMP: the quilt-patched FILE (in TMP/src) is Debian's
# (TMP/debian) with the series' change (base..series) merged in.
expected()
{
    local f=$1 tmp=$2 d want=$2/want

    if ! git -C "$TREE" cat-file -e "series:$f" 2>/dev/null
    then
        [ ! -e "$tmp/src/$f" ] ||
            { echo "$f is there, the series deletes it"; return 1; }
        return 0
    fi
    d=$tmp/debian/$f
    [ -e "$d" ] || { d=$tmp/empty; : >"$d"; }
    tree_file base "$f" "$tmp/base"
    tree_file series "$f" "$tmp/series"
    cp "$d" "$want"
    git merge-file -q "$want" "$tmp/base" "$tmp/series" ||
        { echo "$f: Debian's changes and the series' conflict"; return 1; }
    cmp -s "$want" "$tmp/src/$f" ||
        { echo "$f is not Debian's with the series' change"; return 1; }
    [ "$d" = "$tmp/empty" ] || cmp -s "$d" "$tmp/base" ||
        echo "$f: Debian changes it too (merged)"
}

main()
{
    local tmp src f n bad=0 log=$LOGS/quilt-push.log

    [ -f "$QUILT/series" ] ||
        die "no $QUILT/series: run TARGET=4.17 scripts/series/format-quilt.sh first"
    tmp=$(mktemp -d "$BUILD/quilt-check.XXXXXX")
    dpkg-source -x "$(dsc)" "$tmp/src" >"$LOGS/dpkg-source.log" 2>&1 ||
        die "dpkg-source -x failed (log: $LOGS/dpkg-source.log; left in $tmp)"
    src=$tmp/src
    n=$(grep -cv '^[[:space:]]*\(#\|$\)' "$src/debian/patches/series")
    # Debian's version of each file the series touches, before ours.
    mkdir -p "$tmp/debian"
    git -C "$TREE" diff --name-only base series >"$tmp/files"
    while read -r f
    do
        [ ! -e "$src/$f" ] || install -D -m 644 "$src/$f" "$tmp/debian/$f"
    done <"$tmp/files"
    cp -r "$QUILT"/*/ "$src/debian/patches/"
    cat "$QUILT/series" >>"$src/debian/patches/series"
    (cd "$src" && QUILT_PATCHES=debian/patches quilt push -a --fuzz=0) >"$log" 2>&1 ||
        die "quilt push -a on top of Debian's $n patches failed (log: $log; left in $src)"
    while read -r f
    do
        expected "$f" "$tmp" || bad=1
    done <"$tmp/files"
    [ "$bad" = 0 ] ||
        die "quilt push -a does not give the files expected (left in $src)"
    echo "quilt push -a applies $(wc -l <"$QUILT/series") patches on top of Debian's $n; the $(wc -l <"$tmp/files") files the series touches are Debian's with the series' changes"
    rm -rf "$tmp"
}

main "$@"
