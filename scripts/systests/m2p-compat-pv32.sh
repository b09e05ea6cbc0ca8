#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 test on a host with 32-bit PV: with a 32-bit PV guest running (our
# pv32pae migrate-guest kernel, /test/guest32), test-m2p-compat checks that extent 0
# of xc_machphys_compat_mfn_list() is the frame behind the guest's first
# Xen L2 slot, and that the list has the length the host's memory implies.

. /test/lib.sh

cat >/tmp/guest32.cfg <<CFG
name = "guest32"
type = "pv"
kernel = "/test/guest32"
memory = 64
vcpus = 1
on_crash = "preserve"
CFG

case_run start-32bit-guest xl create /tmp/guest32.cfg
domid=$(xl domid guest32)
test-m2p-compat "$domid" || NR_FAILED=$((NR_FAILED + 1))
case_run 32bit-guest-still-running running guest32
xl destroy guest32
finish
