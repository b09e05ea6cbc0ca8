#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 script of the main job: show the hypervisor and what the series
# gives a 64-bit toolstack: the M2P tables and the Xen slots of a running
# 32-bit PV guest checked against them (xen-mfndump, staging only); the
# guest saved and restored, checking itself after the resume; and the one
# clear error of a save that cannot be done.  The guest is XTF's
# pv-migrate (/xtf).

set -eu

GUEST=/xtf/tests/pv-migrate/test-pv32pae-pv-migrate.cfg

# create NAME [KEY=VALUE...]: the 32-bit guest, as NAME; the test dom0
# has no device model: leave out libxl's note about it.
create()
{
    local name=$1
    shift

    xl create -q "$GUEST" "name=\"$name\"" "$@" 2>/tmp/create.err ||
        { cat /tmp/create.err; exit 1; }
    grep -v 'qemu-xen is unavailable' /tmp/create.err || true
}

# console NAME PATTERN: wait for PATTERN in NAME's console log, print it.
console()
{
    local tries=120

    while ! grep -q "$2" "/var/log/xen/console/guest-$1.log" 2>/dev/null
    do
        tries=$((tries - 1))
        [ "$tries" -gt 0 ] || { echo "no '$2' from $1"; exit 1; }
        sleep 0.5
    done
    grep "$2" "/var/log/xen/console/guest-$1.log" | tr -d '\r'
}

echo "--- xl info (excerpt)"
xl info | grep -E '^(release|xen_version|xen_caps|total_memory) '
if xen-mfndump 2>&1 | grep -q check-xen-slots
then
    echo "--- the compat M2P table (xen-mfndump dump-m2p -c, without its line per MFN)"
    # Through a file: under TCG, piping its million lines is several
    # times slower.
    xen-mfndump dump-m2p -c >/tmp/m2p.dump
    grep -F -v ' ==> ' /tmp/m2p.dump
fi
echo "--- a 32-bit PV guest, XTF's pv-migrate (xl create; xl list)"
create guest32
console guest32 '^pv-migrate: boot: '
xl list
if xen-mfndump 2>&1 | grep -q check-xen-slots
then
    echo "--- its L2s' Xen slots against the compat M2P (xen-mfndump check-xen-slots)"
    xen-mfndump check-xen-slots "$(xl domid guest32)"
fi
echo "--- xl save and xl restore of it; the guest checks itself after the resume"
xl save guest32 /tmp/guest32.save
xl restore /tmp/guest32.save 2>&1 | grep -v 'qemu-xen is unavailable' || true
console guest32 '^pv-migrate: resume 1: '
echo "--- xl save of a guest that never published its p2m: it fails, saying why, and the guest runs on"
create nop2m 'extra="no-p2m"'
console nop2m '^pv-migrate: boot: '
xl save nop2m /tmp/nop2m.save 2>&1 && exit 1 || true
xl list nop2m
xl destroy nop2m
xl destroy guest32
