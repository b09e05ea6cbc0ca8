#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The driver's failures, for $TARGET: each must stop with one message
# naming the target and, where there is one, the patch and the log.  Each
# case runs a driver script in a scratch BUILD directory (nothing of
# build/ is touched) and checks its exit status and its message.  One
# line per case:
#     PASS|FAIL <case> (<seconds>s)[: reason]
#   sha256-mismatch  the pinned tarball in BASES_DIR has another sha256;
#   missing-base     no XEN_SRC, no tarball, and upstream gives nothing;
#   patch-conflict   the series' first patch does not apply to the base;
#   build-failure    the hypervisor build fails.
# For 4.17, missing-base goes through apt-get source as set-up does (it
# adds deb-src entries if the machine has none).  KEEP=1 keeps the
# scratch directory, to read what the scripts printed.

set -eu
. "$(dirname "$0")/lib.sh"

SCRATCH=$(mktemp -d "$BUILD/check-driver.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
[ -z "${KEEP:-}" ] || trap - EXIT

# driver DIR SCRIPT ARG...: run a driver script with DIR as its BUILD,
# its stderr in DIR/err; its exit status in DIR/rc.
driver()
{
    local dir=$1 script=$2 rc=0
    shift 2

    mkdir -p "$dir"
    env -u XEN_SRC -u XTF_SRC BUILD="$dir" LOGS="$dir/logs" \
        "$TOP/scripts/$script" "$@" >"$dir/out" 2>"$dir/err" || rc=$?
    printf '%s\n' "$rc" >"$dir/rc"
}

# expect DIR LINE...: the driver failed and printed each LINE (fixed
# strings); else say what it printed.
expect()
{
    local dir=$1 line
    shift

    if [ "$(cat "$dir/rc")" = 0 ]
    then
        echo "exit status 0, wanted a failure"
        return 1
    fi
    for line in "$@"
    do
        if ! grep -qxF -- "$line" "$dir/err"
        then
            printf 'no line "%s" in:\n' "$line"
            cat "$dir/err"
            return 1
        fi
    done
}

# log_exists FILE: a log a message names is there.
log_exists()
{
    [ -s "$1" ] && return 0
    echo "the message names $1, which is empty or absent"
    return 1
}

case_sha256_mismatch()
{
    local dir=$SCRATCH/sha archive pin got msg

    archive=$(config XEN_ARCHIVE)
    pin=$(config XEN_ARCHIVE_SHA256)
    mkdir -p "$dir/bases"
    echo "not the base" >"$dir/bases/$archive"
    got=$(sha256sum "$dir/bases/$archive" | cut -d' ' -f1)
    BASES_DIR=$dir/bases driver "$dir" fetch-base.sh
    msg="error (TARGET=$TARGET): sha256 mismatch for $dir/bases/$archive"
    expect "$dir" "$msg: got $got, Config.mk pins $pin"
}

case_missing_base()
{
    local dir=$SCRATCH/missing archive log

    archive=$(config XEN_ARCHIVE)
    if [ "$TARGET" = 4.17 ]
    then
        # Debian's mirror has no such version: apt-get source fails.
        BASES_DIR=$dir/none XEN_DEB_VERSION=0-no-such \
            driver "$dir" fetch-base.sh
        expect "$dir" \
            "error (TARGET=4.17): no base for Xen 4.17; tried:" \
            "  - XEN_SRC: not set" \
            "  - BASES_DIR: no $dir/none/$archive" || return 1
        log=$(sed -n "s|^  - apt-get .*(log: \($dir/logs/apt-[a-z-]*\.log\))$|\1|p" \
              "$dir/err")
        if [ -z "$log" ]
        then
            echo "no apt-get line naming its log in:"
            cat "$dir/err"
            return 1
        fi
        log_exists "$log"
    else
        log=$dir/logs/fetch-XEN.log
        BASES_DIR=$dir/none XEN_GIT_URL=$dir/no-such.git \
            driver "$dir" fetch-base.sh
        expect "$dir" \
            "error (TARGET=$TARGET): no base for Xen $TARGET; tried:" \
            "  - XEN_SRC: not set" \
            "  - BASES_DIR: no $dir/none/$archive" \
            "  - $dir/no-such.git: git fetch failed (log: $log)" || return 1
        log_exists "$log"
    fi
}

# The first patch of the series onto a base of one file.
case_patch_conflict()
{
    local dir=$SCRATCH/conflict name delta what base msg

    mkdir -p "$dir/$TARGET/base/src"
    echo "not Xen" >"$dir/$TARGET/base/src/README"
    echo "a base of one file" >"$dir/$TARGET/base/stamp"
    read -r name delta < <(series_entries "$PATCHES/series" | head -n1 |
                           cut -f1)
    case $name in
    staging:*) what="patch 1, $TOP/patches/staging/${name#staging:}" ;;
    *) what="patch 1, $PATCHES/$name" ;;
    esac
    [ -z "$delta" ] || what="$what with $delta"
    driver "$dir" mk-tree.sh
    base="Xen $(config XEN_BASE_VERSION) ($TARGET) base (a base of one file)"
    msg="error (TARGET=$TARGET): $what, does not apply onto \"$base\""
    expect "$dir" "$msg; log: $dir/logs/mk-tree-apply.log" &&
    log_exists "$dir/logs/mk-tree-apply.log"
}

# A tree whose hypervisor Makefile configures, then fails to build.
case_build_failure()
{
    local dir=$SCRATCH/build tree=$SCRATCH/build/tree

    mkdir -p "$tree/xen"
    printf '%s\n' \
        'all:' '	@echo "arch/x86/mm.c:1:1: error: broken on purpose"; exit 1' \
        'defconfig olddefconfig:' '	touch .config' \
        >"$tree/xen/Makefile"
    git -C "$tree" init -q
    git -C "$tree" add xen/Makefile
    git -C "$tree" -c user.name=check -c user.email=check@localhost \
        commit -q -m "a hypervisor that does not build"
    driver "$dir" build-xen.sh "$tree"
    expect "$dir" \
        "arch/x86/mm.c:1:1: error: broken on purpose" \
        "error (TARGET=$TARGET): hypervisor build failed; full log: $dir/logs/build-xen.log" &&
    log_exists "$dir/logs/build-xen.log"
}

main()
{
    local c start out

    for c in sha256-mismatch missing-base patch-conflict build-failure
    do
        start=$(now)
        if out=$("case_${c//-/_}" 2>&1)
        then
            printf 'PASS %s (%ss)\n' "$c" "$(elapsed "$start")"
        else
            printf '%s\n' "$out"
            printf 'FAIL %s (%ss): %s\n' "$c" "$(elapsed "$start")" \
                "$(printf '%s\n' "$out" | head -n1)"
        fi
    done
}

main "$@"
