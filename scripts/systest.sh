# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Boot the built Xen with the test dom0 running a given script.  Sourced
# after lib.sh, by run-tests.sh and demo.sh.

RUNNER=$TOP/automation/scripts/qemu-run.sh
DOM0_ARGS="console=hvc0 earlyprintk=xen"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-300}

# dom0_boot NAME SCRIPT [XEN_ARGS [FILE...]]: boot with SCRIPT as dom0's
# /test/run and FILEs beside it in /test; serial log in
# $LOGS/boot-NAME.log.  A FILE given as NAME=PATH is put there as NAME.
# Returns the runner's verdict.
dom0_boot()
{
    local name=$1 script=$2 xen_args=${3:-} ov f
    shift 2
    [ $# -eq 0 ] || shift

    ov=$BUILD/overlay/$name
    rm -rf "$ov"
    mkdir -p "$ov/root/test"
    cp "$script" "$ov/root/test/run"
    chmod +x "$ov/root/test/run"
    cp "$TOP/scripts/systests/lib.sh" "$ov/root/test/lib.sh"
    for f in "$@"
    do
        case $f in
        *=*) cp "${f#*=}" "$ov/root/test/${f%%=*}" ;;
        *) cp "$f" "$ov/root/test/" ;;
        esac
    done
    (cd "$ov/root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$ov/overlay.cpio"
    cat "$BUILD/dom0/base.cpio" "$ov/overlay.cpio" >"$ov/initrd.cpio"
    "$RUNNER" --xen "$TREE/xen/xen" --xen-args "$xen_args" \
        --kernel "$BUILD/dom0/vmlinux" --kernel-args "$DOM0_ARGS" \
        --module "$ov/initrd.cpio" --log "$LOGS/boot-$name.log" \
        --timeout "$BOOT_TIMEOUT" \
        --pass '^M2P-DOM0: PASS' --fail '^M2P-DOM0: FAIL'
}

# dom0_cases NAME [XEN_ARGS [FILE...]]: boot with scripts/systests/NAME.sh
# (or scripts/systests/$SCRIPT.sh) and report the cases dom0 printed, then
# the boot's own verdict, as a suite of tests.
dom0_cases()
{
    local name=$1 start rc
    shift

    start=$(now)
    dom0_boot "$name" "$TOP/scripts/systests/${SCRIPT:-$name}.sh" "$@" &&
        rc=0 || rc=$?
    dom0_output "$name" | grep -aE '^(PASS|FAIL|SKIP) ' || true
    printf '%s boot (%ss)%s\n' "$([ "$rc" = 0 ] && echo PASS || echo FAIL)" \
        "$(elapsed "$start")" \
        "$([ "$rc" = 0 ] || echo ": dom0 verdict not PASS; serial log: $LOGS/boot-$name.log")"
    return "$rc"
}

# kernel_boot NAME TEST ARCH [XEN_ARGS [KERNEL_ARGS [MEM]]]: boot the PV
# test kernel tools/tests/pv-kernel test-ARCH-TEST as dom0; it prints
# "Test result: SUCCESS" or "Test result: FAILURE".
kernel_boot()
{
    local name=$1 test=$2 arch=$3 xen_args=${4:-} kernel_args=${5:-} mem=${6:-2048}

    "$RUNNER" --xen "$TREE/xen/xen" --xen-args "$xen_args" \
        --kernel "$TREE/tools/tests/pv-kernel/test-$arch-$test" \
        --kernel-args "$kernel_args" --mem "$mem" \
        --log "$LOGS/boot-$name.log" --timeout "$BOOT_TIMEOUT" \
        --pass '^Test result: SUCCESS' --fail '^Test result: FAILURE'
}

# dom0_output NAME: what dom0's test script printed, from the serial log.
dom0_output()
{
    sed -n '/^M2P-DOM0: toolstack up/,/^M2P-DOM0: /p' "$LOGS/boot-$1.log" |
        tr -d '\r' | grep -v '^M2P-DOM0: toolstack up' |
        grep -av '^\[ *[0-9]*\.[0-9]*\] \|^(XEN) '
}
