# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# The tests of the 4.17 backport, run by run-tests.sh (its helpers): its
# patches build one by one and apply as mails; its unit tests; saving,
# restoring and migrating 32-bit and 64-bit PV guests under it.

tests()
{
    local pvk=$BUILD/staging/xen/tools/tests/pv-kernel

    run_suite series "$TOP/scripts/check-series.sh"
    run_test series/git-am "$TOP/scripts/format-series.sh" --check
    BOOT_TIMEOUT=900 suite_start boot/save-failures dom0_cases save-failures "" \
        "$pvk/test-pv64-migrate-guest" "$pvk/test-pv32pae-migrate-guest"
    BOOT_TIMEOUT=900 run_suite boot/migrate-pv dom0_cases migrate-pv "" \
        "$pvk/test-pv32pae-migrate-guest" "$pvk/test-pv64-migrate-guest"
    suite_report boot/save-failures
}
