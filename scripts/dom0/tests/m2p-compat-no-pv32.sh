#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 test on a host booted with pv=no-32: test-m2p-compat, with no
# arguments, must find no 32-bit PV in Xen's capabilities and get
# EOPNOTSUPP for the compat M2P list; and a 64-bit PV guest still saves and
# restores (the save path asks for the compat list only for 32-bit guests).
#
#: boot m2p-compat-no-pv32 targets=staging xen-arg=pv=no-32
#:     file=kernel/linux64.bz file=dom0/domu.cpio

. /test/cases.sh

TESTS=/usr/local/lib/xen/tests

"$TESTS/test-m2p-compat" >/tmp/test-m2p-compat.out 2>&1 && rc=0 || rc=$?
cat /tmp/test-m2p-compat.out
case_run test-m2p-compat test "$rc" = 0
case_run m2p-compat-checked-no-pv32-path \
    grep -q "lack 32-bit PV: checking for EOPNOTSUPP" /tmp/test-m2p-compat.out
linux64_cfg linux64 >/tmp/linux64.cfg
case_run start-64bit-guest guest_start /tmp/linux64.cfg linux64
case_run save-restore-64bit-guest save_restore linux64
case_run 64bit-guest-alive-after-restore answers_shutdown linux64
finish
