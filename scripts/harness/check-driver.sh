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
#   build-failure    the hypervisor build fails;
#   unexported-work  mk-tree.sh would reset a tree with commits that are
#                    not in the repository: it stops, the commits kept;
#   upstream-author  a mail with a From: line (a cherry-pick) is
#                    committed as its author's, on its date; the others
#                    as whoever runs mk-tree.sh;
#   qemu-accel       QEMU_ACCEL=auto picks KVM only for nested VMX/SVM
#                    (faked /sys: KVM-PVM, as here, gets TCG);
#   boot-decl        a boot test's declaration (boot_tests in boot.sh):
#                    a KEY.TARGET counts for TARGET only, a wrong key or
#                    value is refused, naming it and the script.
# For 4.17, missing-base goes through apt-get source as set-up does (it
# adds deb-src entries if the machine has none).  KEEP=1 keeps the
# scratch directory, to read what the scripts printed.

set -eu
. "$(dirname "$0")/../lib.sh"

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

# expect_failure DIR LINE...: the driver failed and printed each LINE (fixed
# strings); else say what it printed.
expect_failure()
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
    BASES_DIR=$dir/bases driver "$dir" setup/fetch-base.sh
    msg="error (TARGET=$TARGET): sha256 mismatch for $dir/bases/$archive"
    expect_failure "$dir" "$msg: got $got, Config.mk pins $pin"
}

case_missing_base()
{
    local dir=$SCRATCH/missing archive log

    archive=$(config XEN_ARCHIVE)
    if [ "$TARGET" = 4.17 ]
    then
        # Debian's mirror has no such version: apt-get source fails.
        BASES_DIR=$dir/none XEN_DEB_VERSION=0-no-such \
            driver "$dir" setup/fetch-base.sh
        expect_failure "$dir" \
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
            driver "$dir" setup/fetch-base.sh
        expect_failure "$dir" \
            "error (TARGET=$TARGET): no base for Xen $TARGET; tried:" \
            "  - XEN_SRC: not set" \
            "  - BASES_DIR: no $dir/none/$archive" \
            "  - $dir/no-such.git: git fetch failed (log: $log)" || return 1
        log_exists "$log"
    fi
}

# scratch_base DIR: in DIR (a BUILD), the target's base, of one file
# (README), fetched as fetch-base.sh would have.
scratch_base()
{
    mkdir -p "$1/$TARGET/base/src"
    echo "not Xen" >"$1/$TARGET/base/src/README"
    stamp_set "$1/$TARGET/base" fetched "a base of one file"
}

# The first patch of the series onto a base of one file.
case_patch_conflict()
{
    local dir=$SCRATCH/conflict name delta what base msg

    scratch_base "$dir"
    read -r name delta < <(series_entries "$SERIES_DIR/series" | head -n1 |
                           cut -f1)
    case $name in
    staging:*) what="patch 1, $TOP/patches/staging/${name#staging:}" ;;
    *) what="patch 1, $SERIES_DIR/$name" ;;
    esac
    [ -z "$delta" ] || what="$what with $delta"
    driver "$dir" setup/mk-tree.sh
    base="Xen $(config XEN_BASE_VERSION) ($TARGET) base (a base of one file)"
    msg="error (TARGET=$TARGET): $what, does not apply onto \"$base\""
    expect_failure "$dir" "$msg; log: $dir/logs/mk-tree-apply.log" &&
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
    driver "$dir" setup/build-xen.sh "$tree"
    expect_failure "$dir" \
        "arch/x86/mm.c:1:1: error: broken on purpose" \
        "error (TARGET=$TARGET): hypervisor build failed; full log: $dir/logs/build-xen.log" &&
    log_exists "$dir/logs/build-xen.log"
}

# scratch_repo DIR REPO: in DIR (a BUILD), a base of one file (see
# scratch_base); in REPO, a copy of the driver, with an empty
# patches/TARGET.
scratch_repo()
{
    local dir=$1 repo=$2

    scratch_base "$dir"
    mkdir -p "$repo/patches/$TARGET" "$repo/scripts"
    cp "$TOP/Config.mk" "$repo/"
    cp -r "$TOP/scripts/." "$repo/scripts/"
}

# A tree with a commit made there and not exported, and a series that
# changed since the tree was made: mk-tree.sh stops and keeps the commit.
case_unexported_work()
{
    local dir=$SCRATCH/unexported repo=$SCRATCH/unexported/repo tree c

    scratch_repo "$dir" "$repo"
    printf '# A series of no patch.\n' >"$repo/patches/$TARGET/series"
    BUILD=$dir LOGS=$dir/logs "$repo/scripts/setup/mk-tree.sh" >"$dir/out" 2>&1 ||
        { cat "$dir/out"; return 1; }
    tree=$dir/$TARGET/xen
    echo "work" >"$tree/WORK"
    git -C "$tree" add WORK
    git -C "$tree" -c user.name=check -c user.email=check@localhost \
        commit -q -m "work not exported"
    c=$(git -C "$tree" rev-parse HEAD)
    printf '# A series of no patch, edited.\n' >"$repo/patches/$TARGET/series"
    env -u XEN_SRC BUILD="$dir" LOGS="$dir/logs" \
        "$repo/scripts/setup/mk-tree.sh" >"$dir/out" 2>"$dir/err" &&
        printf '0\n' >"$dir/rc" || printf '%s\n' "$?" >"$dir/rc"
    expect_failure "$dir" "error (TARGET=$TARGET): $tree has commits that are not in $repo/patches/$TARGET (git -C $tree log $(git -C "$tree" rev-parse base)..series): write them back with scripts/series/export-series.sh, or remove $tree to drop them" || return 1
    [ "$(git -C "$tree" rev-parse series)" = "$c" ] ||
        { echo "the commit made in $tree is gone"; return 1; }
}

# A series of a cherry-picked mail (From:, Date:) and one of ours.
case_upstream_author()
{
    local dir=$SCRATCH/author repo=$SCRATCH/author/repo tree got me

    scratch_repo "$dir" "$repo"
    mail_of() # FROM-LINES SUBJECT OLD NEW
    {
        printf '%sSubject: [PATCH] %s\n\nWhy.\n---\n' "$1" "$2"
        printf 'diff --git a/README b/README\n--- a/README\n+++ b/README\n'
        printf '@@ -1 +1 @@\n-%s\n+%s\n' "$3" "$4"
    }
    mail_of 'From: Upstream Author <author@example.org>
Date: Mon, 2 Dec 2024 09:49:38 +0100
' "picked" "not Xen" "picked" >"$repo/patches/$TARGET/picked.patch"
    mail_of "" "ours" "picked" "ours" >"$repo/patches/$TARGET/ours.patch"
    printf 'picked.patch\nours.patch\n' >"$repo/patches/$TARGET/series"
    env -u XEN_SRC BUILD="$dir" LOGS="$dir/logs" \
        "$repo/scripts/setup/mk-tree.sh" >"$dir/out" 2>&1 ||
        { cat "$dir/out"; return 1; }
    tree=$dir/$TARGET/xen
    got=$(git -C "$tree" log -1 --format='%an <%ae> %aI' series^)
    [ "$got" = \
      "Upstream Author <author@example.org> 2024-12-02T09:49:38+01:00" ] ||
        { echo "the cherry-pick is authored as \"$got\""; return 1; }
    got=$(git -C "$tree" log -1 --format='%an <%ae>' series)
    me=$(git -C "$tree" log -1 --format='%an <%ae>' base)
    [ "$got" = "$me" ] ||
        { echo "ours is authored as \"$got\", the base as \"$me\""; return 1; }
}

# QEMU_ACCEL=auto against faked /sys and /dev/kvm.
case_qemu_accel()
{
    local sys=$SCRATCH/sys dev=$SCRATCH/kvm got m n want

    mkdir -p "$sys/module/kvm_pvm"
    got=$(QEMU_ACCEL=auto SYSFS=$sys DEV_KVM=/dev/null qemu_accel | cut -f1)
    [ "$got" = tcg ] || { echo "KVM-PVM: $got, wanted tcg"; return 1; }
    got=$(QEMU_ACCEL=auto SYSFS=$sys DEV_KVM=$dev qemu_accel | cut -f1)
    [ "$got" = tcg ] || { echo "no /dev/kvm: $got, wanted tcg"; return 1; }
    for m in kvm_intel kvm_amd
    do
        for n in Y N 1 0
        do
            rm -rf "$sys/module"
            mkdir -p "$sys/module/$m/parameters"
            echo "$n" >"$sys/module/$m/parameters/nested"
            want=tcg
            case $n in Y|1) want=kvm ;; esac
            got=$(QEMU_ACCEL=auto SYSFS=$sys DEV_KVM=/dev/null qemu_accel | cut -f1)
            [ "$got" = "$want" ] ||
                { echo "$m nested=$n: $got, wanted $want"; return 1; }
        done
    done
    got=$(QEMU_ACCEL=tcg SYSFS=$sys DEV_KVM=/dev/null qemu_accel | cut -f1)
    [ "$got" = tcg ] || { echo "QEMU_ACCEL=tcg: $got"; return 1; }
}

# Declarations of boots, good and bad (boot_decls and boot_decl of
# boot.sh).
case_boot_decl()
{
    local rc other=4.17 w got t=$SCRATCH/t.sh

    . "$TOP/scripts/harness/boot.sh"
    printf '%s\n' '#: boot a mem=1' '#:     timeout=2' '#: boot b' '#' \
        '#: not=this' '#: boot a file=f' >"$t"
    got=$(boot_decls "$t" | tr '\t' '|')
    [ "$got" = "$t|a|mem=1 timeout=2 file=f
$t|b|" ] || { echo "boot_decls read: $got"; return 1; }
    [ "$TARGET" != 4.17 ] || other=staging
    boot_decl t.sh b "targets=$TARGET mem=3072 runner=ci loader.$other=ipxe \
        timeout=9" && rc=0 || rc=$?
    [ "$rc" = 0 ] || { echo "a good ci declaration: $rc, $B_ERROR"; return 1; }
    [ "$B_RUNNER $B_LOADER $B_TIMEOUT" = "ci kernel 9" ] ||
        { echo "read: $B_RUNNER $B_LOADER $B_TIMEOUT"; return 1; }
    boot_decl t.sh b "targets=$TARGET mem=3072 \
        xen-arg=pv=no-32 xen-arg=x file=a:xtf/b" && rc=0 || rc=$?
    [ "$rc" = 0 ] || { echo "a good declaration: $rc, $B_ERROR"; return 1; }
    [ "$B_MEM $B_XEN_ARGS ${B_FILES[*]}" = "3072 pv=no-32 x a:xtf/b" ] ||
        { echo "read: $B_MEM $B_XEN_ARGS ${B_FILES[*]}"; return 1; }
    boot_decl t.sh b "targets=$other" && rc=0 || rc=$?
    [ "$rc" = 1 ] || { echo "another target's boot: $rc, wanted 1"; return 1; }
    for w in mem=lots runner=kvm beside timeot=3 "loader.$TARGET=pxe" \
             "loader=ipxe" "xen-arg=x runner=ci"
    do
        boot_decl t.sh b "$w" && rc=0 || rc=$?
        [ "$rc" = 2 ] || { echo "'$w': $rc, wanted 2"; return 1; }
        case $B_ERROR in
        "t.sh: boot b: '${w%%=*}"*) ;;
        *) echo "'$w': the error says: $B_ERROR"; return 1 ;;
        esac
    done
}

main()
{
    local c start out

    for c in sha256-mismatch missing-base patch-conflict build-failure \
             unexported-work upstream-author qemu-accel boot-decl
    do
        start=$(now)
        if out=$("case_${c//-/_}" 2>&1)
        then
            case_line PASS "$c" "$(elapsed "$start")"
        else
            printf '%s\n' "$out"
            case_line FAIL "$c" "$(elapsed "$start")" \
                "$(printf '%s\n' "$out" | head -n1)"
        fi
    done
}

main "$@"
