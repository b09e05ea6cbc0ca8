# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# The tests of the staging series, run by run-tests.sh (its helpers).

tests()
{
    local pvk=$TREE/tools/tests/pv-kernel probe

    run_suite series "$TOP/scripts/check-series.sh"
    run_test series/git-am "$TOP/scripts/format-series.sh" --check
    run_suite docs "$TOP/scripts/check-docs.sh"
    run_suite unit/m2p-mfn-list make -s -C "$TREE/tools/tests/m2p-mfn-list" run
    run_suite unit/sr-normalise make -s -C "$TREE/tools/tests/sr-normalise" run
    # A guest that never published its p2m, and one that never answers
    # suspend: xl save and xl migrate say which, and the guest runs on.
    # libxl waits 60 s for an answer to a suspend request: this boot is
    # mostly waiting, so it runs beside the others, reported last.
    BOOT_TIMEOUT=900 suite_start boot/save-failures dom0_cases save-failures "" \
        "$pvk/test-pv64-migrate-guest" "$pvk/test-pv32pae-migrate-guest"
    boot_test xl-info "$TOP/scripts/systests/xl-info.sh"
    # The M2P lists seen by 64-bit and 32-bit PV kernels; with 3 GiB the
    # compat list has several extents, and a hole.
    run_test boot/pv64-m2p-list kernel_boot pv64-m2p-list m2p-list pv64
    run_test boot/pv32pae-m2p-list kernel_boot pv32pae-m2p-list m2p-list pv32pae
    run_test boot/pv64-m2p-list-3g kernel_boot pv64-m2p-list-3g m2p-list pv64 "" "" 3072
    run_test boot/pv32pae-m2p-list-3g kernel_boot pv32pae-m2p-list-3g m2p-list pv32pae "" "" 3072
    run_test boot/pv64-m2p-list-no-pv32 kernel_boot pv64-m2p-list-no-pv32 m2p-list pv64 \
        "pv=no-32" "expect-no-pv32"
    run_suite boot/m2p-compat-no-pv32 dom0_cases m2p-compat-no-pv32 "pv=no-32" \
        "$BUILD/kernel/linux64.bz" "$TBUILD/dom0/domu.cpio"
    run_suite boot/m2p-compat-pv32 dom0_cases m2p-compat-pv32 "" \
        "guest32=$pvk/test-pv32pae-migrate-guest"
    # xen-mfndump's dump-m2p and check-xen-slots; pause-probe.so watches
    # what the check does to the guest (see scripts/systests/xen-mfndump.sh).
    probe=$(pause_probe) || probe=
    BOOT_TIMEOUT=900 run_suite boot/xen-mfndump dom0_cases xen-mfndump "" \
        "guest32=$pvk/test-pv32pae-migrate-guest" \
        "guest32p2m=$pvk/test-pv32pae-migrate-guest" \
        "guest64=$pvk/test-pv64-migrate-guest" \
        "pvh-kernel=$BUILD/kernel/linux64.bz" ${probe:+"pause-probe.so=$probe"}
    SCRIPT=xen-mfndump run_suite boot/xen-mfndump-no-pv32 dom0_cases \
        xen-mfndump-no-pv32 "pv=no-32" ${probe:+"pause-probe.so=$probe"}
    # Save, restore and live migration of 32-bit and 64-bit guests.
    BOOT_TIMEOUT=900 run_suite boot/migrate-pv dom0_cases migrate-pv "" \
        "$pvk/test-pv32pae-migrate-guest" "$pvk/test-pv64-migrate-guest"
    suite_report boot/save-failures
}
