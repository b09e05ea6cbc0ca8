#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot a hypervisor, a dom0 kernel and its modules under qemu-system-x86_64
# (TCG) and decide pass or fail from the serial console alone: QEMU exits
# 0 after a crash as after a clean power-off, so its status means nothing.
#
#   qemu-run.sh --xen XEN [--xen-args ARGS] --kernel DOM0 [--kernel-args ARGS]
#               [--module FILE]... --log LOG [--timeout SECS] [--mem MIB]
#               --pass REGEX [--fail REGEX]
#
# Exit 0 when a serial line matches --pass (an extended regular expression)
# before the timeout and none matches --fail or a crash of Xen or dom0;
# exit 1 otherwise, naming the reason and the log.  Exit 2 on bad usage.

set -eu

XEN=
XEN_ARGS=
KERNEL=
KERNEL_ARGS=
MODULES=()
LOG=
TIMEOUT=120
MEM=2048
PASS=
FAIL=
# A crash of Xen or dom0 fails any test, whatever its own markers say.
CRASH='Panic on CPU|Assertion .* failed|Hardware Dom0 crashed|Kernel panic|FATAL TRAP'
BASE_XEN_ARGS="console=com1 com1=115200,8n1 dom0_mem=512M loglvl=all guest_loglvl=all console_timestamps=boot"

usage()
{
    sed -n '8,10p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

die_usage()
{
    echo "qemu-run: $*" >&2
    usage
}

parse_args()
{
    while [ $# -gt 0 ]
    do
        [ $# -ge 2 ] || die_usage "$1 needs a value"
        case $1 in
        --xen) XEN=$2 ;;
        --xen-args) XEN_ARGS=$2 ;;
        --kernel) KERNEL=$2 ;;
        --kernel-args) KERNEL_ARGS=$2 ;;
        --module) MODULES+=("$2") ;;
        --log) LOG=$2 ;;
        --timeout) TIMEOUT=$2 ;;
        --mem) MEM=$2 ;;
        --pass) PASS=$2 ;;
        --fail) FAIL=$2 ;;
        *) die_usage "unknown option $1" ;;
        esac
        shift 2
    done
    [ -n "$XEN" ] && [ -n "$KERNEL" ] && [ -n "$LOG" ] && [ -n "$PASS" ] ||
        die_usage "--xen, --kernel, --log and --pass are required"
    for f in "$XEN" "$KERNEL" ${MODULES[@]+"${MODULES[@]}"}
    do
        [ -r "$f" ] || die_usage "cannot read $f"
    done
    case $TIMEOUT in
    ''|*[!0-9]*|0) die_usage "--timeout takes a whole number of seconds, not '$TIMEOUT'" ;;
    esac
    case $MEM in
    ''|*[!0-9]*|0) die_usage "--mem takes a whole number of MiB, not '$MEM'" ;;
    esac
}

# QEMU's -initrd separates modules with commas; a comma inside a module's
# command line is doubled.
initrd_arg()
{
    local arg m

    arg="${KERNEL//,/,,}${KERNEL_ARGS:+ ${KERNEL_ARGS//,/,,}}"
    for m in ${MODULES[@]+"${MODULES[@]}"}
    do
        arg="$arg,${m//,/,,}"
    done
    printf '%s\n' "$arg"
}

# verdict: PASS, FAIL:<line> or nothing yet.
verdict()
{
    local bad

    bad=$CRASH${FAIL:+|$FAIL}
    if grep -aEm1 -- "$bad" "$LOG" >/dev/null 2>&1
    then
        printf 'FAIL:%s\n' "$(grep -aEm1 -- "$bad" "$LOG" | tr -d '\r')"
    elif grep -aEq -- "$PASS" "$LOG" 2>/dev/null
    then
        echo PASS
    fi
}

stop_qemu()
{
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

main()
{
    local pid start now v="" waited=0

    parse_args "$@"
    mkdir -p "$(dirname "$LOG")"
    : >"$LOG"
    qemu-system-x86_64 -machine q35 -accel tcg -cpu qemu64 -m "$MEM" -smp 2 \
        -nographic -no-reboot -monitor none -serial stdio \
        -kernel "$XEN" -append "$BASE_XEN_ARGS${XEN_ARGS:+ $XEN_ARGS}" \
        -initrd "$(initrd_arg)" </dev/null >>"$LOG" 2>&1 &
    pid=$!
    start=$(date +%s)
    while :
    do
        v=$(verdict)
        # After a pass, give a crash a moment to show: a dom0 that prints
        # its marker and then dies has not passed.
        if [ "$v" = PASS ] && [ "$waited" -lt 5 ] && kill -0 "$pid" 2>/dev/null
        then
            waited=$((waited + 1))
        elif [ -n "$v" ] || ! kill -0 "$pid" 2>/dev/null
        then
            break
        fi
        now=$(date +%s)
        if [ $((now - start)) -ge "$TIMEOUT" ]
        then
            stop_qemu "$pid"
            echo "qemu-run: FAIL: no verdict within ${TIMEOUT}s (hang?); serial log: $LOG" >&2
            return 1
        fi
        sleep 0.2
    done
    stop_qemu "$pid"
    v=$(verdict)
    case $v in
    PASS) return 0 ;;
    FAIL:*)
        echo "qemu-run: FAIL: serial shows '${v#FAIL:}'; serial log: $LOG" >&2
        return 1
        ;;
    *)
        tail -n 5 "$LOG" >&2
        echo "qemu-run: FAIL: QEMU exited without a verdict; serial log: $LOG" >&2
        return 1
        ;;
    esac
}

main "$@"
