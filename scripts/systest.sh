# SPDX-License-Identifier: GPL-2.0-only
#
# Boot the built Xen with the test dom0 running a given script.  Sourced
# after lib.sh, by run-tests.sh and demo.sh.

RUNNER=$TOP/automation/scripts/qemu-run.sh
DOM0_ARGS="console=hvc0 earlyprintk=xen"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-300}

# dom0_boot NAME SCRIPT [XEN_ARGS [FILE...]]: boot with SCRIPT as dom0's
# /test/run and FILEs beside it in /test; serial log in
# $LOGS/boot-NAME.log.  Returns the runner's verdict.
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
    for f in "$@"
    do
        cp "$f" "$ov/root/test/"
    done
    (cd "$ov/root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$ov/overlay.cpio"
    cat "$BUILD/dom0/base.cpio" "$ov/overlay.cpio" >"$ov/initrd.cpio"
    "$RUNNER" --xen "$TREE/xen/xen" --xen-args "$xen_args" \
        --kernel "$BUILD/dom0/vmlinux" --kernel-args "$DOM0_ARGS" \
        --module "$ov/initrd.cpio" --log "$LOGS/boot-$name.log" \
        --timeout "$BOOT_TIMEOUT" \
        --pass '^M2P-DOM0: PASS' --fail '^M2P-DOM0: FAIL'
}

# dom0_output NAME: what dom0's test script printed, from the serial log.
dom0_output()
{
    sed -n '/^M2P-DOM0: toolstack up/,/^M2P-DOM0: /p' "$LOGS/boot-$1.log" |
        tr -d '\r' | grep -v '^M2P-DOM0: toolstack up' |
        grep -av '^\[ *[0-9]*\.[0-9]*\] \|^(XEN) '
}
