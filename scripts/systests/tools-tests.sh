#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 test: the tools/tests the series installs into $(LIBEXEC)/tests,
# run as Xen's CI runs them, by Xen's automation/scripts/run-tools-tests
# (given as /test/run-tools-tests): every executable there, without
# arguments.  The cases each program printed are passed on as
# PROGRAM/CASE, then the runner's verdict on the program as PROGRAM.  On
# a host with 32-bit PV, test-m2p-compat must have checked the compat
# list (not merely its absence).

. /test/lib.sh

TESTS_DIR=/usr/local/lib/xen/tests
OUT=/tmp/run-tools-tests

# cases PROGRAM: the PASS/FAIL/SKIP lines PROGRAM printed, as its cases.
cases()
{
    sed -n "\\|^Running $TESTS_DIR/$1\$|,\\|^Running |p" "$OUT" |
        sed -n "s|^\\(PASS\\|FAIL\\|SKIP\\) \\(.*\\)|\\1 $1/\\2|p"
}

# verdict PROGRAM: what the runner said of PROGRAM; PROGRAM's output
# (its diagnostics, such as test-m2p-compat's), shown if it failed.
verdict()
{
    sed -n "\\|^Running $TESTS_DIR/$1\$|,\\|^\\(PASSED\\|FAILED: .*\\)\$|p" "$OUT"
    grep -qx "Running $TESTS_DIR/$1" "$OUT" &&
        ! grep -qx "FAILED: $TESTS_DIR/$1" "$OUT"
}

main()
{
    local p

    ls "$TESTS_DIR"
    bash /test/run-tools-tests "$TESTS_DIR" /tmp/tools-tests.xml >"$OUT" 2>&1
    for p in $(ls "$TESTS_DIR")
    do
        cases "$p"
        case_run "$p" verdict "$p"
    done
    case_run m2p-compat-checked-pv32-path \
        grep -q "have 32-bit PV: checking the compat list" "$OUT"
    finish
}

main
