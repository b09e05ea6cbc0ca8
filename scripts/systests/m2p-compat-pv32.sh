#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 test on a host with 32-bit PV: the tools tests this series installs
# into $(LIBEXEC)/tests, run as automation/scripts/run-tools-tests runs
# them, with no arguments.  test-m2p-compat must find 32-bit PV in Xen's
# capabilities and check the compat M2P list; test-sr-normalise runs the
# save code's unit tests against dom0's installed libraries.

. /test/lib.sh

TESTS=/usr/local/lib/xen/tests

# run_tool TEST: run TEST, its output kept in /tmp/TEST.out.
run_tool()
{
    "$TESTS/$1" >"/tmp/$1.out" 2>&1 && rc=0 || rc=$?
    cat "/tmp/$1.out"
    [ "$rc" = 0 ] || NR_FAILED=$((NR_FAILED + 1))
}

run_tool test-m2p-compat
case_run m2p-compat-checked-pv32-path \
    grep -q "have 32-bit PV: checking the compat list" /tmp/test-m2p-compat.out
run_tool test-sr-normalise
finish
