#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 test: xl save + xl restore, then a live xl migrate to localhost, of
# XTF's pv-migrate guest, pv32pae then pv64, from the xl configs XTF
# generated (/xtf/tests/pv-migrate/test-ENV-pv-migrate.cfg).  After each
# resume the guest checks its memory, pagetables, P2M and its stale
# pagetables itself, and prints "pv-migrate: resume N: OK" (or FAILURE) on
# its console, which xenconsoled (--log=guest) writes to its log.
#
# What xl printed (-v for save and restore, -vvv for the migration, each
# line of which is stamped with dom0's uptime) is shown for each guest.
#
# It runs through Xen's own CI job (automation/scripts/qemu-pv-migrate-
# x86_64.sh), after the job's steps: the two are one wait of console.exp
# (for PASSED after "Domain-0"), which a failure ends at once.  On
# staging, Xen and dom0 are loaded as the job does upstream, by iPXE from
# binaries/ over QEMU's TFTP; on 4.17 by QEMU's own loader.
#: boot migrate-pv runner=ci timeout=2700 loader.staging=ipxe

. /test/cases.sh

LOGDIR=/var/log/xen/console
XTF=/xtf/tests/pv-migrate
# Settable in /test/conf: ENVS, which of the guests (default: both); MEM,
# the guests' memory in MiB (default: as in XTF's config).
ENVS="pv32pae pv64"
MEM=
[ ! -r /test/conf ] || . /test/conf

# console_log NAME: what the guest printed in all its incarnations
# (a migrated domain starts as NAME--incoming).
console_log()
{
    cat "$LOGDIR/guest-$1.log" "$LOGDIR/guest-$1--incoming.log" \
        2>/dev/null | tr -d '\r'
}

# guest_reports NAME WHAT: wait for "pv-migrate: WHAT: OK" exactly (a
# cancelled suspend adds a note, and is not what a save or a migration
# should give); fail at once on "pv-migrate: WHAT: FAILURE...".
guest_reports()
{
    local name=$1 what=$2 tries=240

    while [ "$tries" -gt 0 ]
    do
        if console_log "$name" | grep -q "^pv-migrate: $what: FAILURE"
        then
            console_log "$name" | grep -E "^(pv-migrate|Failure)"
            return 1
        fi
        console_log "$name" | grep -qx "pv-migrate: $what: OK" && return 0
        running "$name" || tries=1
        tries=$((tries - 1))
        sleep 0.5
    done
    echo "no \"pv-migrate: $what: OK\" from $name; its console said:"
    console_log "$name" | tail -n 20
    return 1
}

# timed: each line of stdin, prefixed with dom0's uptime (seconds), with
# builtins only (a fork per line costs under emulation).
timed()
{
    local line up rest

    while IFS= read -r line
    do
        read -r up rest </proc/uptime
        echo "$up $line"
    done
}

booted()
{
    if [ -n "$MEM" ]
    then
        guest_start "$1" "$2" "memory=$MEM" "maxmem=$MEM"
    else
        guest_start "$1" "$2"
    fi && guest_reports "$2" boot
}

saved()
{
    xl -v save "$1" "/tmp/$1.save" >"/tmp/$1.save.out" 2>&1 &&
    ! running "$1" &&
    wc -c <"/tmp/$1.save" >"/tmp/$1.savesize"
}

restored()
{
    xl -v restore "/tmp/$1.save" >"/tmp/$1.restore.out" 2>&1 &&
    rm -f "/tmp/$1.save" && running "$1"
}

# A live migration to localhost: -s "" makes xl run the "host" argument
# as the receiving command instead of "ssh host xl migrate-receive".
# countpipe (scripts/dom0/countpipe.c) counts the stream on its way (see
# resent()): busybox's tee and wc, with their small reads and writes, added
# 80 s to a migration of a 32M guest here; dd with 64K blocks nothing
# measurable, but gives no byte count.
migrated()
{
    local old rc=0

    old=$(xl domid "$1") || return 1
    rm -f "/tmp/$1.bytes"
    { xl -vvv migrate -s "" "$1" \
          "countpipe /tmp/$1.bytes | xl migrate-receive" 2>&1 ||
          echo "rc=$?"; } |
        timed >"/tmp/$1.migrate.out"
    rc=$(sed -n 's/^[0-9.]* rc=//p' "/tmp/$1.migrate.out")
    rc=${rc:-0}
    if [ "$rc" = 0 ]
    then
        running "$1" && [ "$(xl domid "$1")" != "$old" ] &&
            ! running "$1--migratedaway" || rc=1
    fi
    [ "$rc" = 0 ] || cat "/tmp/$1.migrate.out"
    return "$rc"
}

# resent NAME: the live stream was larger than the save file (one copy of
# each page) by at least 8 pages: pages the guest changed during the
# rounds were sent again.
resent()
{
    local stream saved

    wait_for 10 test -s "/tmp/$1.bytes" || return 1
    stream=$(cat "/tmp/$1.bytes")
    saved=$(cat "/tmp/$1.savesize")
    echo "live stream $stream bytes, save file $saved bytes:" \
        "about $(((stream - saved) / 4096)) pages sent again"
    [ "$stream" -ge "$((saved + 8 * 4096))" ]
}

powered_off()
{
    answers_shutdown "$1" &&
    console_log "$1" | grep -x "Test result: SUCCESS"
}

# prereq NAME CMD...: a case the following ones depend on; once one failed,
# the rest of this guest's cases are skipped.
prereq()
{
    local failed=$NR_FAILED

    if [ -n "$BROKEN" ]
    then
        case_line SKIP "$1" 0 "$BROKEN failed"
        return
    fi
    case_run "$@"
    [ "$NR_FAILED" = "$failed" ] || BROKEN=$1
}

# check NAME CMD...: a case nothing depends on (a guest that found a
# problem keeps running).
check()
{
    if [ -n "$BROKEN" ]
    then
        case_line SKIP "$1" 0 "$BROKEN failed"
        return
    fi
    case_run "$@"
}

# show_file FILE TITLE: FILE indented, under TITLE.
show_file()
{
    [ -s "$1" ] || return 0
    echo "$2:"
    tr -d '\r' <"$1" | sed 's/^/    /'
}

# test_guest ENV
test_guest()
{
    local env=$1 name="pvm-$1" mem

    BROKEN=
    mem=${MEM:-$(sed -n 's/^memory *= *//p' "$XTF/test-$env-pv-migrate.cfg" |
                 tail -n 1)}
    prereq "$env-boot-${mem}MiB" booted "$XTF/test-$env-pv-migrate.cfg" "$name"
    prereq "$env-save" saved "$name"
    prereq "$env-restore" restored "$name"
    check "$env-check-after-restore" guest_reports "$name" "resume 1"
    prereq "$env-live-migrate" migrated "$name"
    check "$env-live-rounds" resent "$name"
    sed 's/^/    /' "/tmp/case-$env-live-rounds.log" 2>/dev/null
    check "$env-check-after-migrate" guest_reports "$name" "resume 2"
    check "$env-poweroff" powered_off "$name"
    xl destroy "$name" 2>/dev/null || true
    show_file "/tmp/$name.save.out" "xl save of $name said"
    show_file "/tmp/$name.restore.out" "xl restore of $name said"
    show_file "/tmp/$name.migrate.out" "xl migrate of $name said"
    show_console "$name"
}

show_console()
{
    echo "console of $1:"
    console_log "$1" | sed 's/^/    /'
}

mkdir -p "$LOGDIR"
found=
for env in $ENVS
do
    [ -r "$XTF/test-$env-pv-migrate.cfg" ] || continue
    found=1
    test_guest "$env"
done
[ -n "$found" ] || case_run kernels-given false
finish
