# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# The tests of the 4.17 backport, run by run-tests.sh (its helpers): its
# patches build one by one and apply as mails; its unit tests; saving,
# restoring and migrating 32-bit and 64-bit PV guests under it.

tests()
{
    # The set-up just made is up to date: nothing is made again.
    run_test setup/up-to-date up_to_date
    # A wrong sha256, a missing base, a patch that does not apply and a
    # build that fails: each stops with a message naming what it should.
    run_suite driver "$TOP/scripts/harness/check-driver.sh"
    run_suite series "$TOP/scripts/series/check-series.sh"
    run_test series/git-am "$TOP/scripts/series/format-series.sh" --check
    # The same patches as a quilt directory: quilt push -a applies them on
    # top of Debian's own in its unpacked source package.
    run_test series/quilt "$TOP/scripts/series/format-series.sh" --check-quilt
    run_test unit/pv-save make -s -C "$TREE/tools/tests/pv-save" run
    # Saving, restoring and migrating 32-bit and 64-bit PV guests
    # (scripts/dom0/tests/migrate-pv.sh), made to fail the save
    # (save-failures.sh: beside the others, it mostly waits), the unit
    # tests and the dom0 test of the wrapper in dom0 (tools-tests.sh): the
    # boot tests of scripts/dom0/tests/ declared for 4.17 (boot_tests in
    # scripts/harness/boot.sh).
    boot_tests beside
    boot_tests
}
