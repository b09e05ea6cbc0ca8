#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 test: xl save + xl restore, then a live xl migrate to localhost, of
# the PV test guest tools/tests/pv-kernel migrate-guest, for each of its
# kernels given as files (test-pv32pae-migrate-guest, test-pv64-...).
# After each resume the guest checks its memory and page tables itself
# and prints "migrate-guest: resume N: OK" (or FAILURE) on its console,
# which xenconsoled (--log=guest) writes to its log.
#
# MIGRATE_MEM (MiB, default 64) can be set in /test/migrate.conf.

. /test/lib.sh

LOGDIR=/var/log/xen/console
MIGRATE_MEM=64
[ ! -r /test/migrate.conf ] || . /test/migrate.conf

guest_cfg()
{
    cat <<CFG
name = "$1"
type = "pv"
kernel = "$2"
extra = "${3:-}"
memory = $MIGRATE_MEM
maxmem = $MIGRATE_MEM
vcpus = 1
on_crash = "preserve"
CFG
}

# console_log NAME: what the guest printed in all its incarnations
# (a migrated domain starts as NAME--incoming).
console_log()
{
    cat "$LOGDIR/guest-$1.log" "$LOGDIR/guest-$1--incoming.log" \
        2>/dev/null | tr -d '\r'
}

# guest_reports NAME WHAT: wait for "migrate-guest: WHAT: OK" exactly
# (a cancelled suspend adds a note, and is not what a save or a migration
# should give); fail at once on "migrate-guest: WHAT: FAILURE...".
guest_reports()
{
    local name=$1 what=$2 tries=240

    while [ "$tries" -gt 0 ]
    do
        if console_log "$name" | grep -q "^migrate-guest: $what: FAILURE"
        then
            console_log "$name" | grep -E "^(migrate-guest|Failure)"
            return 1
        fi
        console_log "$name" | grep -qx "migrate-guest: $what: OK" && return 0
        running "$name" || tries=1
        tries=$((tries - 1))
        sleep 0.5
    done
    echo "no \"migrate-guest: $what: OK\" from $name; its console said:"
    console_log "$name" | tail -n 20
    return 1
}

booted()
{
    guest_start "$1" "$2" && guest_reports "$2" boot
}

saved()
{
    xl save "$1" "/tmp/$1.save" && ! running "$1" &&
    wc -c <"/tmp/$1.save" >"/tmp/$1.savesize"
}

restored()
{
    xl restore "/tmp/$1.save" && rm -f "/tmp/$1.save" && running "$1"
}

# A live migration to localhost: -s "" makes xl run the "host" argument
# as the receiving command instead of "ssh host xl migrate-receive"; tee
# copies the stream into a FIFO for wc to count its bytes (see resent()).
migrated()
{
    local old rc=0

    old=$(xl domid "$1") || return 1
    rm -f "/tmp/$1.fifo" "/tmp/$1.bytes"
    mkfifo "/tmp/$1.fifo" || return 1
    wc -c <"/tmp/$1.fifo" >"/tmp/$1.bytes" &
    xl migrate -s "" "$1" \
        "tee /tmp/$1.fifo | xl migrate-receive" 2>"/tmp/$1.migrate" ||
        rc=$?
    if [ "$rc" = 0 ]
    then
        running "$1" && [ "$(xl domid "$1")" != "$old" ] &&
            ! running "$1--migratedaway" || rc=1
    fi
    [ "$rc" = 0 ] || cat "/tmp/$1.migrate"
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

# step NAME CMD...: a case the following ones depend on; once one failed,
# the rest of this guest's cases are skipped.
step()
{
    local failed=$NR_FAILED

    if [ -n "$BROKEN" ]
    then
        echo "SKIP $1 (0.00s): $BROKEN failed"
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
        echo "SKIP $1 (0.00s): $BROKEN failed"
        return
    fi
    case_run "$@"
}

# test_guest KERNEL TAG
test_guest()
{
    local kernel=$1 tag=$2 name="mg-$2"

    BROKEN=
    guest_cfg "$name" "$kernel" >"/tmp/$name.cfg"
    step "$tag-boot-${MIGRATE_MEM}MiB" booted "/tmp/$name.cfg" "$name"
    step "$tag-save" saved "$name"
    step "$tag-restore" restored "$name"
    check "$tag-check-after-restore" guest_reports "$name" "resume 1"
    step "$tag-live-migrate" migrated "$name"
    check "$tag-live-rounds" resent "$name"
    sed 's/^/    /' "/tmp/case-$tag-live-rounds.log" 2>/dev/null
    check "$tag-check-after-migrate" guest_reports "$name" "resume 2"
    check "$tag-poweroff" powered_off "$name"
    xl destroy "$name" 2>/dev/null || true
    echo "console of $name:"
    console_log "$name" | sed 's/^/    /'
}

mkdir -p "$LOGDIR"
found=
for arch in pv32pae pv64
do
    [ -r "/test/test-$arch-migrate-guest" ] || continue
    found=1
    test_guest "/test/test-$arch-migrate-guest" "$arch"
done
[ -n "$found" ] || case_run kernels-given false
finish
