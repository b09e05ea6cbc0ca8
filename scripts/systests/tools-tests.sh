#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 test: the series' tools/tests, as installed in $LIBEXEC/tests, run
# by Xen's own automation/scripts/run-tools-tests (given as
# /test/run-tools-tests), as Xen's CI runs them: every executable there,
# without arguments.  One case per test program, from what the runner
# printed; the programs' own output is in the case logs.

. /test/lib.sh

TESTS_DIR=/usr/local/lib/xen/tests

# tool_test NAME: the runner's verdict on NAME, from /tmp/run-tools-tests.
tool_test()
{
    grep -A1000 "^Running $TESTS_DIR/$1\$" /tmp/run-tools-tests |
        sed -n '2,/^Running /p' | grep -v '^Running '
    grep -qx "FAILED: $TESTS_DIR/$1" /tmp/run-tools-tests && return 1
    grep -qx "Running $TESTS_DIR/$1" /tmp/run-tools-tests
}

main()
{
    local t

    [ -d "$TESTS_DIR" ] || { echo "no $TESTS_DIR"; return 1; }
    bash /test/run-tools-tests "$TESTS_DIR" /tmp/tools-tests.xml \
        >/tmp/run-tools-tests 2>&1
    for t in $(ls "$TESTS_DIR")
    do
        case_run "$t" tool_test "$t"
    done
    finish
}

main
