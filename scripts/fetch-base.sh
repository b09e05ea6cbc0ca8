#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Obtain the pristine base into $BUILD/base/src:
#  - XEN_SRC=/path: copy an existing Xen 4.17.5 tree (e.g. a git checkout);
#  - otherwise Debian's xen source package, its orig tarball checked
#    against the sha256 pinned in Config.mk.
# A second run reuses what the first one obtained.

set -eu
. "$(dirname "$0")/lib.sh"

DL=$BUILD/dl
BASE=$BUILD/base
SRC_LIST=/etc/apt/sources.list.d/xen-m2p-deb-src.sources

# Write deb-src twins of the machine's Debian deb822 entries, so that
# apt-get source works; the mirror is whatever the machine already uses.
ensure_deb_src()
{
    local f

    if [ -e "$SRC_LIST" ] ||
       grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/*.sources ||
       grep -qs '^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list
    then
        return 0
    fi
    f=/etc/apt/sources.list.d/debian.sources
    [ -r "$f" ] || die "no deb-src entry and no $f to derive one from"
    say "adding deb-src entries derived from $f"
    sed -n 's/^Types:[[:space:]]*deb[[:space:]]*$/Types: deb-src/;p' "$f" >"$SRC_LIST"
    run_logged "$LOGS/apt-update-src.log" "apt-get update (deb-src)" apt-get update
}

download_orig()
{
    local pkg ver tarball

    pkg=$(config XEN_DEB_PACKAGE)
    ver=$(config XEN_DEB_VERSION)
    tarball=$(config XEN_ORIG_TARBALL)
    [ -f "$DL/$tarball" ] && return 0
    ensure_deb_src
    mkdir -p "$DL"
    say "downloading Debian source package $pkg=$ver"
    (cd "$DL" && run_logged "$LOGS/apt-source.log" \
        "apt-get source --download-only $pkg=$ver" \
        apt-get source --download-only "$pkg=$ver")
    [ -f "$DL/$tarball" ] || die "apt-get source did not produce $DL/$tarball; log: $LOGS/apt-source.log"
}

verify_orig()
{
    local tarball want got

    tarball=$DL/$(config XEN_ORIG_TARBALL)
    want=$(config XEN_ORIG_SHA256)
    got=$(sha256sum "$tarball" | cut -d' ' -f1)
    if [ "$got" != "$want" ]
    then
        die "sha256 mismatch for $tarball: got $got, Config.mk pins $want (delete the file to download it again)"
    fi
}

# tree_version DIR: the Xen version a source tree says it is.
tree_version()
{
    make -s -C "$1/xen" xenversion 2>/dev/null
}

from_tarball()
{
    local tarball

    download_orig
    verify_orig
    tarball=$DL/$(config XEN_ORIG_TARBALL)
    say "unpacking $(basename "$tarball")"
    mkdir -p "$BASE/unpack"
    tar -xf "$tarball" -C "$BASE/unpack"
    mv "$BASE/unpack"/* "$BASE/src"
    rmdir "$BASE/unpack"
}

from_existing()
{
    local src=$1

    [ -d "$src/xen" ] || die "XEN_SRC=$src is not a Xen tree (no xen/ in it)"
    say "copying base from XEN_SRC=$src"
    mkdir -p "$BASE/src"
    # Only a tree that is itself the top of a git checkout is archived; a
    # plain tree that happens to sit inside some other repository is not.
    if [ "$(git -C "$src" rev-parse --show-toplevel 2>/dev/null)" = \
         "$(cd "$src" && pwd -P)" ]
    then
        # Committed content only: no build products, no local edits.
        git -C "$src" archive --format=tar HEAD | tar -xf - -C "$BASE/src"
    else
        cp -a "$src/." "$BASE/src/"
    fi
}

main()
{
    local want got stamp

    want=$(config XEN_BASE_VERSION)
    stamp="${XEN_SRC:-debian:$(config XEN_DEB_VERSION):$(config XEN_ORIG_SHA256)}"
    if [ -f "$BASE/stamp" ] && [ "$(cat "$BASE/stamp")" = "$stamp" ]
    then
        return 0
    fi
    rm -rf "$BASE"
    mkdir -p "$BASE"
    if [ -n "${XEN_SRC:-}" ]
    then
        from_existing "$XEN_SRC"
    else
        from_tarball
    fi
    got=$(tree_version "$BASE/src")
    [ "$got" = "$want" ] || die "base reports Xen version '$got', the series needs $want"
    printf '%s\n' "$stamp" >"$BASE/stamp"
}

main "$@"
