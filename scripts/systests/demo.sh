#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 script of the main job: show the hypervisor and what the series
# gives a 64-bit toolstack: the M2P tables, and the Xen slots of a running
# 32-bit PV guest (our test guest, /test/guest32) checked against them.

set -eu

echo "--- xl info (excerpt)"
xl info | grep -E '^(release|xen_version|xen_caps|total_memory) '
echo "--- the native and compat M2P tables (xen-mfndump dump-m2p, without its line per MFN)"
# Through a file: under TCG, piping its million lines is several times
# slower.
xen-mfndump dump-m2p >/tmp/m2p.dump
grep -F -v ' ==> ' /tmp/m2p.dump
cat >/tmp/guest32.cfg <<CFG
name = "guest32"
type = "pv"
kernel = "/test/guest32"
memory = 64
CFG
echo "--- a 32-bit PV guest (xl create; xl list)"
# The test dom0 has no device model: leave out libxl's note about it.
xl create -q /tmp/guest32.cfg 2>/tmp/create.err ||
    { cat /tmp/create.err; exit 1; }
grep -v 'qemu-xen is unavailable' /tmp/create.err || true
xl list
echo "--- its top L2's Xen slots against the compat M2P (xen-mfndump check-xen-slots)"
xen-mfndump check-xen-slots "$(xl domid guest32)"
xl destroy guest32
