# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# The tests of the staging series, run by run-tests.sh (its helpers).

# xtf_no_pv32 NAME VARIANT: machphys-mfn-list under pv=no-32 passes, and
# checked that the compat list is refused.
xtf_no_pv32()
{
    xtf_boot "$1" "$2" machphys-mfn-list pv=no-32 &&
    grep -a '32bit PV unavailable: checking XENMEM_machphys_compat_mfn_list fails with -EOPNOTSUPP' \
        "$LOGS/boot-$1.log"
}

XTF_GUEST32=$BUILD/xtf/xtf/tests/pv-migrate/test-pv32pae-pv-migrate

tests()
{
    local probe

    # A wrong sha256, a missing base, a patch that does not apply and a
    # build that fails: each stops with a message naming what it should.
    run_suite driver "$TOP/scripts/check-driver.sh"
    run_suite series "$TOP/scripts/check-series.sh"
    run_test series/git-am "$TOP/scripts/format-series.sh" --check
    # XTF's series: it is shared by the targets, and checked once, here.
    run_suite xtf-series "$TOP/scripts/check-series.sh" xtf
    run_test xtf-series/git-am "$TOP/scripts/format-series.sh" xtf --check
    run_suite docs "$TOP/scripts/check-docs.sh"
    run_suite unit/m2p-mfn-list make -s -C "$TREE/tools/tests/m2p-mfn-list" run
    run_test unit/pv-save make -s -C "$TREE/tools/tests/pv-save" run
    # A guest that never published its p2m, and one that never answers
    # suspend: xl save and xl migrate say which, and the guest runs on.
    # libxl waits 60 s for an answer to a suspend request: this boot is
    # mostly waiting, so it runs beside the others, reported last.
    BOOT_TIMEOUT=900 suite_start boot/save-failures dom0_cases save-failures
    boot_test xl-info "$TOP/scripts/systests/xl-info.sh"
    # The M2P lists seen by 64-bit and 32-bit PV and by HVM guests (XTF's
    # machphys-mfn-list, as dom0); with 3 GiB the lists have several
    # extents, and holes; without 32-bit PV the compat list is refused.
    run_test boot/xtf-pv64 xtf_boot xtf-pv64 pv64 machphys-mfn-list
    run_test boot/xtf-pv32pae xtf_boot xtf-pv32pae pv32pae machphys-mfn-list
    run_test boot/xtf-hvm64 xtf_boot xtf-hvm64 hvm64 machphys-mfn-list
    run_test boot/xtf-pv64-3g xtf_boot xtf-pv64-3g pv64 machphys-mfn-list "" 3072
    run_test boot/xtf-pv32pae-3g xtf_boot xtf-pv32pae-3g pv32pae machphys-mfn-list "" 3072
    run_test boot/xtf-pv64-no-pv32 xtf_no_pv32 xtf-pv64-no-pv32 pv64
    run_test boot/xtf-hvm64-no-pv32 xtf_no_pv32 xtf-hvm64-no-pv32 hvm64
    run_suite boot/m2p-compat-no-pv32 dom0_cases m2p-compat-no-pv32 "pv=no-32" \
        "$BUILD/kernel/linux64.bz" "$TBUILD/dom0/domu.cpio"
    # The series' tools/tests, installed in dom0, run by Xen's own
    # automation/scripts/run-tools-tests.
    run_suite boot/tools-tests dom0_cases tools-tests "" \
        "run-tools-tests=$TREE/automation/scripts/run-tools-tests"
    # xen-mfndump's dump-m2p and check-xen-slots; pause-probe.so watches
    # what the check does to the guest (see scripts/systests/xen-mfndump.sh).
    # Without it the pause cases fail (they see no read of the guest).
    probe=$(pause_probe) || probe=$TBUILD/pause-probe.so
    BOOT_TIMEOUT=900 run_suite boot/xen-mfndump dom0_cases xen-mfndump "" \
        "guest32=$XTF_GUEST32" "guest32p2m=$XTF_GUEST32" \
        "guest64=$BUILD/xtf/xtf/tests/pv-migrate/test-pv64-pv-migrate" \
        "pvh-kernel=$BUILD/kernel/linux64.bz" "pause-probe.so=$probe"
    SCRIPT=xen-mfndump run_suite boot/xen-mfndump-no-pv32 dom0_cases \
        xen-mfndump-no-pv32 "pv=no-32" "pause-probe.so=$probe"
    # Save, restore and live migration of 32-bit and 64-bit guests.
    BOOT_TIMEOUT=900 run_suite boot/migrate-pv dom0_cases migrate-pv
    suite_report boot/save-failures
}
