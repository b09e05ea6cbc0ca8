# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2034 # TREE and the like: for the sourcing script
#
# Shared helpers of the driver scripts: paths, messages, Config.mk.
# Sourced, never run.
#
# TARGET (staging, the default, or 4.17) picks the series and its base:
# build/TARGET/ holds the target's base, patched tree and dom0, and
# build/logs/TARGET/ its logs.  Downloads (build/dl), the compiler cache
# (build/ccache), the dom0 kernel (build/kernel) and XTF (build/xtf) are
# shared by the targets.  A script about a series, the target's or XTF's,
# says which with scope (below), which sets the paths it works on.
#
# Environment (In: read by every script that sources this):
#   TARGET   staging (default) or 4.17.
#   BUILD    where everything is made (default: build/ of the repository).
#   LOGS     the target's logs (default: $BUILD/logs/$TARGET).
#   Any variable of Config.mk: "config VAR" takes the environment's VAR
#   first (then VAR.$TARGET, then VAR, from Config.mk); so do QEMU_ACCEL
#   (qemu_accel) and, for the driver's own tests, SYSFS and DEV_KVM.
# Out (for the sourcing script): TOP, BUILD, TARGET, TBUILD (build/TARGET),
# XTF_TREE (build/xtf/xtf), CC, and scope's variables.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
TARGET=${TARGET:-staging}
TBUILD=$BUILD/$TARGET
XTF_TREE=$BUILD/xtf/xtf

say()
{
    printf '==> %s\n' "$*" >&2
}

# die MESSAGE: stop, naming what was being made (SCOPE: the target, or
# XTF).
die()
{
    printf 'error (%s): %s\n' "$SCOPE" "$*" >&2
    exit 1
}

# now: the time, in seconds; elapsed START: seconds since START, as
# "1.234", for the "PASS name (1.234s)" lines of the tests.
now()
{
    date +%s.%N
}

elapsed()
{
    awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'
}

# case_line VERDICT NAME SECONDS [WHY]: the line of one test or case,
#     PASS|FAIL|SKIP NAME (SECONDSs)[: WHY]
# the one writer of these lines on the host (in dom0: the one of
# scripts/dom0/tests/cases.sh); run-tests.sh reads them back from the suites.
case_line()
{
    printf '%s %s (%ss)%s\n' "$1" "$2" "$3" "${4:+: $4}"
}

# config VAR: the value of VAR for this target: the environment's VAR,
# else Config.mk's VAR.$TARGET, else its VAR.
config()
{
    local var=$1 val

    val=$(printenv "$var" || true)
    [ -n "$val" ] || val=$(config_file "$var.$TARGET")
    [ -n "$val" ] || val=$(config_file "$var")
    [ -n "$val" ] || die "Config.mk has no value for $var (TARGET=$TARGET)"
    printf '%s\n' "$val"
}

# config_file NAME: NAME's value in Config.mk, or nothing.
config_file()
{
    local name

    name=$(printf '%s' "$1" | sed 's/[.]/[.]/g')
    sed -n "s/^${name}[[:space:]]*=[[:space:]]*//p" "$TOP/Config.mk"
}

case $TARGET in
staging|4.17) ;;
*) SCOPE="TARGET=$TARGET" die "the targets are $(config_file TARGETS)" ;;
esac

# The trees under build/ are git repositories of their own: a git command
# in one of them that is not (yet) one must fail, not act on this
# repository around it.
export GIT_CEILING_DIRECTORIES=$BUILD

# Every build goes through ccache, shared by the trees of a target (the
# patched tree and the per-patch check's worktree): paths under TBUILD
# are hashed relative to it, so a file compiled in one tree is found in
# the cache from the other.
CC="ccache gcc"
export CCACHE_DIR=$BUILD/ccache CCACHE_BASEDIR=$TBUILD CCACHE_NOHASHDIR=1

# scope [xtf]: what the script acts on: XTF's series and tree (shared
# by the targets) with "xtf", else TARGET's.  Sets
#   KIND        xtf or xen;
#   SCOPE       what die() names: "XTF", "TARGET=staging";
#   SBUILD      its part of build/: build/xtf, build/TARGET;
#   TREE, BASE  its patched tree (build/xtf/xtf, build/TARGET/xen) and
#               its pristine base (SBUILD/base);
#   SERIES_DIR  its patches: patches/xtf, patches/TARGET;
#   FILES       where the new files of its series are: xtf/, the top;
#   LOGS        its logs: build/logs/xtf, build/logs/TARGET (or $LOGS);
#   SCOPE_ARG   the argument that gives this scope to a script: xtf, "".
# lib.sh starts in TARGET's scope.
scope()
{
    case ${1:-} in
    xtf)
        KIND=xtf SCOPE=XTF SCOPE_ARG=xtf SBUILD=$BUILD/xtf TREE=$XTF_TREE
        SERIES_DIR=$TOP/patches/xtf FILES=$TOP/xtf LOGS=$BUILD/logs/xtf
        ;;
    "")
        KIND=xen SCOPE="TARGET=$TARGET" SCOPE_ARG='' SBUILD=$TBUILD
        TREE=$TBUILD/xen
        SERIES_DIR=$TOP/patches/$TARGET FILES=$TOP
        LOGS=${LOGS:-$BUILD/logs/$TARGET}
        ;;
    *) die "scope $1: it is xtf or nothing" ;;
    esac
    BASE=$SBUILD/base
    mkdir -p "$LOGS"
}

# The one up-to-date check.  A step that makes something (a base, a
# tree, a build, dom0) keeps a stamp: the file .stamp_STEP in the
# directory it makes, as buildroot's .stamp_* files are in a package's
# build directory, holding the key of the inputs it last succeeded with
# (a base's commit and sha256, tree_key's hash of a tree and its
# options...).  A directory made again has none; git trees ignore them
# (mk-tree.sh).
#   stamp_ok DIR STEP KEY   whether STEP last succeeded in DIR with KEY;
#   stamp_set DIR STEP KEY  it just did;
#   stamp_get DIR STEP      the key it last succeeded with, or nothing.
stamp_ok()
{
    [ -f "$1/.stamp_$2" ] && [ "$(cat "$1/.stamp_$2")" = "$3" ]
}

stamp_set()
{
    printf '%s\n' "$3" >"$1/.stamp_$2"
}

stamp_get()
{
    cat "$1/.stamp_$2" 2>/dev/null || true
}

# tree_key TREE PATH WHAT...: a key for what a build of PATH (a directory
# of the git tree TREE, or . for all of it) reads: the committed content,
# local changes to tracked files, and WHAT (options, the compiler...).
tree_key()
{
    local tree=$1 path=$2
    shift 2

    {
        git -C "$tree" rev-parse "HEAD:${path#.}"
        git -C "$tree" status --porcelain --untracked-files=no -- "$path"
        git -C "$tree" diff -- "$path"
        printf '%s\n' "$@"
    } | sha256sum | cut -d' ' -f1
}

# The one reader of series files.  A series file lists patches in
# order, one a line; lines indented under a patch name the new files it
# adds; "#" starts a comment.  A line "[NAME]" or "[NAME: DEP...]"
# starts a part of the series: the patches up to the next such line are
# mailed as a series of their own, NAME, after the parts DEP...  (each
# applies with git am onto the base plus its DEPs).  A file without
# such a line is one part, named "".
# series_entries FILE: one line per patch,
#     "PATCH [DELTA]<TAB>FILE FILE...<TAB>PART<TAB>DEP..."
series_entries()
{
    awk '
        function flush() {
            if (p != "") print p "\t" files "\t" part "\t" deps
            p = ""; files = ""
        }
        /^[[:space:]]*(#|$)/ { next }
        /^\[/ {
            flush()
            h = $0; gsub(/^\[[[:space:]]*|[[:space:]]*\][[:space:]]*$/, "", h)
            part = h; deps = ""
            if (index(h, ":")) {
                part = substr(h, 1, index(h, ":") - 1)
                deps = substr(h, index(h, ":") + 1)
                gsub(/^[[:space:]]+|[[:space:]]+$/, "", deps)
            }
            gsub(/[[:space:]]+/, "", part)
            next
        }
        /^[[:space:]]/ { sub(/^[[:space:]]+/, ""); files = files " " $0; next }
        { flush(); p = $0 }
        END { flush() }' "$1"
}

# series_parts FILE: the parts of FILE, in order, "PART<TAB>DEP...".
series_parts()
{
    series_entries "$1" | awk -F '\t' '!seen[$3]++ { print $3 "\t" $4 }'
}

# qemu_accel: the accelerator of the QEMU boots, from QEMU_ACCEL (kvm,
# tcg, or auto, the default), then "<TAB>why".  auto takes KVM only where
# /dev/kvm is KVM on VMX or SVM with nested virtualisation on (kvm_intel's
# or kvm_amd's "nested" parameter): Xen needs it to run its guests.  Any
# other KVM (KVM-PVM, a software virtualiser, kills Xen at dom0's first
# hypercall) or none gets TCG.  SYSFS (/sys) and DEV_KVM (/dev/kvm) are
# for the driver's tests.
qemu_accel()
{
    local want sys=${SYSFS:-/sys} dev=${DEV_KVM:-/dev/kvm} m n

    want=$(config QEMU_ACCEL)
    case $want in
    kvm|tcg) printf '%s\tQEMU_ACCEL=%s\n' "$want" "$want"; return 0 ;;
    auto) ;;
    *) die "QEMU_ACCEL=$want: it is kvm, tcg or auto" ;;
    esac
    if [ ! -c "$dev" ]
    then
        printf 'tcg\tauto: no %s\n' "$dev"
        return 0
    fi
    for m in kvm_intel kvm_amd
    do
        [ -r "$sys/module/$m/parameters/nested" ] || continue
        n=$(cat "$sys/module/$m/parameters/nested")
        case $n in
        Y|y|1)
            printf 'kvm\tauto: %s with nested=%s\n' "$m" "$n"
            return 0 ;;
        esac
        printf 'tcg\tauto: %s has nested=%s\n' "$m" "$n"
        return 0
    done
    printf 'tcg\tauto: %s is neither kvm_intel nor kvm_amd, but %s\n' "$dev" \
        "$(cd "$sys/module" 2>/dev/null && ls -d kvm_* 2>/dev/null | tr '\n' ' ' | sed 's/ $//')"
}

# run_logged LOG DESCRIPTION CMD...: run CMD with its output in LOG; on
# failure, name the step and the log and show its tail.
run_logged()
{
    local log=$1 what=$2
    shift 2

    mkdir -p "$(dirname "$log")"
    if ! "$@" >"$log" 2>&1
    then
        tail -n 20 "$log" >&2
        die "$what failed; full log: $log"
    fi
}

scope
