#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 script of the main job: show the hypervisor and what the series
# gives a 64-bit toolstack.

set -eu

echo "--- xl info (excerpt)"
xl info | grep -E '^(host|release|xen_version|xen_caps|xen_commandline|total_memory|free_memory) '
echo "--- xl list"
xl list
if command -v xen-m2p >/dev/null 2>&1
then
    echo "--- the compat M2P MFN list (xen-m2p)"
    xen-m2p compat
fi
