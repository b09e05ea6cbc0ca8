#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Obtain a pristine base, checked against its pin in Config.mk:
#   fetch-base.sh        the target's Xen, into build/TARGET/base/src;
#   fetch-base.sh xtf    XTF, into build/xtf/base/src.
# From, in this order:
#   1. XEN_SRC / XTF_SRC: a git clone holding the pinned commit, whose
#      content at that commit is used (not its work tree);
#   2. BASES_DIR (Config.mk): the pinned tarball, checked by sha256;
#   3. upstream: the pinned commit fetched from the project's git
#      repository (staging, XTF), or Debian's source package through the
#      machine's apt sources (4.17), checked by commit id or sha256.
# If none works, one message names everything that was tried.  A tarball
# with the wrong sha256 or a repository giving another commit stops at
# once.  A second run reuses what the first one obtained.

set -eu
. "$(dirname "$0")/../lib.sh"

DL=$BUILD/dl
SRC_LIST=/etc/apt/sources.list.d/xen-m2p-deb-src.sources
TRIED=()

# bases_dir: the directory of pinned tarballs, if there is one.
bases_dir()
{
    local d

    if [ "${BASES_DIR+set}" = set ]
    then
        d=$BASES_DIR
    else
        d=$(config_file BASES_DIR)
    fi
    [ -n "$d" ] || return 1
    case $d in
    /*) ;;
    *) d=$TOP/$d ;;
    esac
    printf '%s\n' "$d"
}

# untar FILE DEST: unpack FILE, whose content is one top directory, as
# DEST.
untar()
{
    local file=$1 dest=$2 tmp

    tmp=$(mktemp -d "$(dirname "$dest")/unpack.XXXXXX")
    tar -xf "$file" -C "$tmp" || die "cannot unpack $file"
    [ "$(find "$tmp" -mindepth 1 -maxdepth 1 | wc -l)" = 1 ] ||
        die "$file does not hold exactly one top directory"
    mv "$tmp"/* "$dest"
    rmdir "$tmp"
}

# check_sha256 FILE SHA256: stop unless FILE has that sha256.
check_sha256()
{
    local got

    got=$(sha256sum "$1" | cut -d' ' -f1)
    [ "$got" = "$2" ] ||
        die "sha256 mismatch for $1: got $got, Config.mk pins $2"
}

# from_clone VAR DIR COMMIT DEST: git archive of COMMIT out of the clone
# DIR (given as VAR).
from_clone()
{
    local var=$1 dir=$2 commit=$3 dest=$4 full

    if ! git -C "$dir" rev-parse --git-dir >/dev/null 2>&1
    then
        TRIED+=("$var=$dir: not a git repository")
        return 1
    fi
    if ! full=$(git -C "$dir" rev-parse -q --verify "$commit^{commit}")
    then
        TRIED+=("$var=$dir: has no commit $commit")
        return 1
    fi
    say "taking commit $full from $var=$dir"
    mkdir -p "$dest"
    git -C "$dir" archive --format=tar "$full" | tar -xf - -C "$dest"
}

# from_cache ARCHIVE SHA256 DEST: the tarball ARCHIVE in BASES_DIR.
from_cache()
{
    local archive=$1 sha=$2 dest=$3 dir

    if ! dir=$(bases_dir)
    then
        TRIED+=("BASES_DIR: not set")
        return 1
    fi
    if [ ! -f "$dir/$archive" ]
    then
        TRIED+=("BASES_DIR: no $dir/$archive")
        return 1
    fi
    check_sha256 "$dir/$archive" "$sha"
    say "unpacking $dir/$archive"
    untar "$dir/$archive" "$dest"
}

# from_git URL COMMIT DEST LOG: fetch COMMIT from URL.
from_git()
{
    local url=$1 commit=$2 dest=$3 log=$4 repo got

    repo=$DL/git-$(basename "$url" .git)
    mkdir -p "$repo"
    git -C "$repo" init -q
    say "fetching commit $commit from $url (log: $log)"
    # Most servers let a client fetch a commit by id; else the branches.
    if ! { git -C "$repo" fetch -q --depth 1 "$url" "$commit" ||
           git -C "$repo" fetch -q "$url"; } >"$log" 2>&1
    then
        TRIED+=("$url: git fetch failed (log: $log)")
        return 1
    fi
    if ! got=$(git -C "$repo" rev-parse -q --verify "$commit^{commit}")
    then
        TRIED+=("$url: has no commit $commit (log: $log)")
        return 1
    fi
    [ "$got" = "$commit" ] ||
        die "$url gave commit $got for the pinned $commit"
    mkdir -p "$dest"
    git -C "$repo" archive --format=tar "$commit" | tar -xf - -C "$dest"
}

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
    if [ ! -r "$f" ]
    then
        TRIED+=("apt-get source: no deb-src entry, and no $f to derive one from")
        return 1
    fi
    say "adding deb-src entries derived from $f"
    sed -n 's/^Types:[[:space:]]*deb[[:space:]]*$/Types: deb-src/;p' "$f" >"$SRC_LIST"
    apt-get update >"$LOGS/apt-update-src.log" 2>&1 || {
        TRIED+=("apt-get update (deb-src) failed (log: $LOGS/apt-update-src.log)")
        return 1
    }
}

# from_debian DEST: Debian's source package, its orig tarball checked.
from_debian()
{
    local dest=$1 pkg ver archive log=$LOGS/apt-source.log

    pkg=$(config XEN_DEB_PACKAGE)
    ver=$(config XEN_DEB_VERSION)
    archive=$(config XEN_ARCHIVE)
    if [ ! -f "$DL/$archive" ]
    then
        ensure_deb_src || return 1
        mkdir -p "$DL"
        say "downloading Debian source package $pkg=$ver (log: $log)"
        if ! (cd "$DL" && apt-get source --download-only "$pkg=$ver") \
            >"$log" 2>&1 || [ ! -f "$DL/$archive" ]
        then
            TRIED+=("apt-get source $pkg=$ver: no $archive (log: $log)")
            return 1
        fi
    fi
    check_sha256 "$DL/$archive" "$(config XEN_ARCHIVE_SHA256)"
    say "unpacking $archive"
    untar "$DL/$archive" "$dest"
}

# obtain WHAT VAR: into $DEST/src, from VAR (XEN_SRC, XTF_SRC), the
# cache or upstream; WHAT names the base in messages.
obtain()
{
    local what=$1 var=$2 prefix=${2%_SRC} src

    src=$(printenv "$var" || true)
    if [ -n "$src" ]
    then
        from_clone "$var" "$src" "$(config "${prefix}_COMMIT")" "$DEST/src" &&
            return 0
    else
        TRIED+=("$var: not set")
    fi
    from_cache "$(config "${prefix}_ARCHIVE")" \
        "$(config "${prefix}_ARCHIVE_SHA256")" "$DEST/src" && return 0
    if [ "$what" = "Xen $TARGET" ] && [ "$TARGET" = 4.17 ]
    then
        from_debian "$DEST/src" && return 0
    else
        from_git "$(config "${prefix}_GIT_URL")" "$(config "${prefix}_COMMIT")" \
            "$DEST/src" "$LOGS/fetch-$prefix.log" && return 0
    fi
    printf 'error (%s): no base for %s; tried:\n' "$SCOPE" "$what" >&2
    printf '  - %s\n' "${TRIED[@]}" >&2
    exit 1
}

main()
{
    local what var stamp want got

    scope "${1:-}"
    DEST=$BASE
    if [ "$KIND" = xtf ]
    then
        what=XTF
        var=XTF_SRC
        stamp="xtf $(config XTF_COMMIT)"
    else
        what="Xen $TARGET"
        var=XEN_SRC
        stamp="xen $(config XEN_COMMIT) $(config XEN_ARCHIVE_SHA256)"
    fi
    if [ -d "$DEST/src" ] && stamp_ok "$DEST" fetched "$stamp"
    then
        return 0
    fi
    rm -rf "$DEST"
    mkdir -p "$DEST"
    obtain "$what" "$var"
    if [ "$what" != XTF ]
    then
        want=$(config XEN_BASE_VERSION)
        got=$(make -s -C "$DEST/src/xen" xenversion 2>/dev/null || true)
        [ "$got" = "$want" ] ||
            die "the base reports Xen version '$got', the series needs $want"
    fi
    stamp_set "$DEST" fetched "$stamp"
}

main "$@"
