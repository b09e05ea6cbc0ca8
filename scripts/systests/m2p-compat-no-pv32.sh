#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 test on a host booted with pv=no-32: the compat M2P list is refused
# with EOPNOTSUPP, and a 64-bit PV guest still saves and restores (the
# save path asks for the compat list only for 32-bit guests).

. /test/lib.sh

test-m2p-compat --expect-eopnotsupp || NR_FAILED=$((NR_FAILED + 1))
linux64_cfg linux64 >/tmp/linux64.cfg
case_run start-64bit-guest guest_start /tmp/linux64.cfg linux64
case_run save-restore-64bit-guest save_restore linux64
case_run 64bit-guest-alive-after-restore answers_shutdown linux64
finish
