# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# The tests of the 4.17 backport, run by run-tests.sh (its helpers): its
# patches build one by one and apply as mails; its unit tests; saving,
# restoring and migrating 32-bit and 64-bit PV guests under it.

tests()
{
    local share

    # A wrong sha256, a missing base, a patch that does not apply and a
    # build that fails: each stops with a message naming what it should.
    run_suite driver "$TOP/scripts/check-driver.sh"
    run_suite series "$TOP/scripts/check-series.sh"
    run_test series/git-am "$TOP/scripts/format-series.sh" --check
    # The same patches as a quilt directory: quilt push -a applies them on
    # top of Debian's own in its unpacked source package.
    run_test series/quilt "$TOP/scripts/format-series.sh" --check-quilt
    run_test unit/pv-save make -s -C "$TREE/tools/tests/pv-save" run
    # The same, and the dom0 test of the wrapper, installed in dom0, run by
    # Xen's automation/scripts/run-tools-tests (from staging: 4.17 has
    # none).
    run_suite boot/tools-tests dom0_cases tools-tests "" \
        "run-tools-tests=$(staging_script run-tools-tests)"
    # XTF's pv-migrate guest (/xtf in dom0), through staging's
    # automation/scripts/qemu-pv-migrate-x86_64.sh, Xen's own CI job, in two
    # boots, each after the job's own steps: made to fail the save
    # (scripts/dom0/tests/save-failures.sh; libxl waits 60 s for a guest that
    # does not answer: that boot runs beside the others), and saved,
    # restored and migrated (scripts/dom0/tests/migrate-pv.sh).  gnt-share is
    # dom0's sharer of the grant the guest of the grant cases maps.
    share=$(gnt_share) || share=$TBUILD/gnt-share
    BOOT_TIMEOUT=1200 suite_start boot/save-failures ci_cases save-failures \
        "$TOP/scripts/dom0/tests/save-failures.sh" "gnt-share=$share"
    # The job's steps and migrate-pv.sh's are one wait of console.exp
    # (for PASSED after "Domain-0"); a failure ends the boot at once.
    BOOT_TIMEOUT=2700 run_suite boot/migrate-pv ci_cases migrate-pv \
        "$TOP/scripts/dom0/tests/migrate-pv.sh"
    suite_report boot/save-failures
}
