#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 test of xen-mfndump (tools/misc): "dump-m2p" as on the base, and
# "dump-m2p -c" of the compat M2P (on a 3GB host, whose compat M2P has a
# hole); "check-xen-slots" of a 32-bit PV guest's Xen L2 slots against the
# compat M2P: that it passes on a good guest, finds a wrong expectation,
# refuses what it cannot check, maps nothing of the guest writable, and
# pauses the guest while it reads its pagetables, leaving it as it found
# it on every path, a SIGINT or SIGTERM meanwhile included.
# Files in /test:
#   guest32         a 32-bit PV test kernel that idles as a domU (required)
#   guest64         a 64-bit PV test kernel that idles as a domU
#   guest32p2m      like guest32, publishing its p2m: check-xen-slots then
#                   also checks the pages typed as L3
#   pvh-kernel      a kernel that can boot as a PVH domU (only built)
#   pause-probe.so  scripts/dom0/tests/pause-probe.c: says, each time the
#                   tool reads the guest, whether the guest is paused, and
#                   makes the Nth read (or the pause) fail, or sends a
#                   signal, on request
# On a host booted with pv=no-32, only the no-compat-M2P cases run.
# Without pause-probe.so the pause cases fail (they see no read of the
# guest).  On 3 GiB (q35: RAM below 2 GiB and from 4 GiB) the compat M2P
# has a hole.
#
#: boot xen-mfndump targets=staging mem=3072 timeout=1500
#:     file=guest32:xtf/tests/pv-migrate/test-pv32pae-pv-migrate
#:     file=guest32p2m:xtf/tests/pv-migrate/test-pv32pae-pv-migrate
#:     file=guest64:xtf/tests/pv-migrate/test-pv64-pv-migrate
#:     file=pvh-kernel:kernel/linux64.bz file=prog/pause-probe.so
#: boot xen-mfndump-no-pv32 targets=staging xen-arg=pv=no-32
#:     file=prog/pause-probe.so

set -eu

. /test/cases.sh

OUT=/tmp/xen-mfndump.out
DUMP=/tmp/xen-mfndump.dump
PROBE=/test/pause-probe.so
HEX='0x[0-9a-f]+'
NUM='[1-9][0-9]*'

# expect_run RC PATTERNS CMD...: CMD exits with RC, and its output (stdout and
# stderr) has a line matching each line of PATTERNS (extended regexps).
expect_run()
{
    local want="$1" patterns="$2" rc=0 p

    shift 2
    "$@" >"$OUT" 2>&1 || rc=$?
    # The dumps are long: show their head only.
    head -n 40 "$OUT"
    if [ "$rc" != "$want" ]
    then
        echo "exit status $rc, expected $want"
        return 1
    fi
    while IFS= read -r p
    do
        [ -z "$p" ] || grep -qE -- "$p" "$OUT" || {
            echo "no line matches: $p"
            return 1
        }
    done <<EOF
$patterns
EOF
}

# lacks PATTERN: the output of the last expect_run has no line matching it.
lacks()
{
    ! grep -qE -- "$1" "$OUT" || {
        echo "unexpected line matching: $1"
        return 1
    }
}

# probed ID FAIL RC PATTERNS ARGS...: expect_run RC PATTERNS from "xen-mfndump
# ARGS", run under the pause probe watching domain ID, failing FAIL (see
# pause-probe.c; "" for nothing).
probed()
{
    local id="$1" fail="$2" want="$3" patterns="$4"

    shift 4
    expect_run "$want" "$patterns" env LD_PRELOAD="$PROBE" \
        PAUSE_PROBE_DOMID="$id" PAUSE_PROBE_FAIL="$fail" xen-mfndump "$@"
}

# read_while_paused: the probe saw the last command read the guest, and
# only while the guest was paused.
read_while_paused()
{
    lacks '^pause-probe: .* while RUNNING$' || return 1
    grep -q '^pause-probe: .* while paused$' "$OUT" || {
        echo "the probe saw no read of the guest"
        return 1
    }
}

# state ID: domain ID's state in xl list ("-b----", "--p---", ...).
state()
{
    xl list | awk -v id="$1" '$2 == id { print $5 }'
}

# paused ID / unpaused ID: domain ID exists, paused or not.
paused()
{
    local s

    s=$(state "$1")
    echo "domain $1: state '$s'"
    case $s in ??p*) ;; *) return 1 ;; esac
}

unpaused()
{
    local s

    s=$(state "$1")
    echo "domain $1: state '$s'"
    case $s in ""|??p*) return 1 ;; esac
}

# pause_state ID: "paused" or "unpaused" (or "" if ID does not exist).
pause_state()
{
    case $(state "$1") in
    "") ;;
    ??p*) echo paused ;;
    *) echo unpaused ;;
    esac
}

# guest_cfg NAME KERNEL TYPE EXTRA MEMORY: an xl config.
guest_cfg()
{
    cat <<CFG
name = "$1"
type = "$3"
kernel = "$2"
extra = "$4"
memory = $5
vcpus = 1
on_crash = "preserve"
CFG
}

# start_guest NAME KERNEL [TYPE [EXTRA [XL_CREATE_OPTION [MEMORY]]]]
start_guest()
{
    guest_cfg "$1" "$2" "${3:-pv}" "${4:-}" "${6:-32}" >"/tmp/$1.cfg" &&
    xl create ${5:+"$5"} "/tmp/$1.cfg" &&
    running "$1"
}

p2m_published()
{
    xen-mfndump check-xen-slots "$1" | grep -q 'typed as L3 (guest p2m)'
}

# expect_dump RC PATTERNS ARGS...: "xen-mfndump dump-m2p ARGS" exits with
# RC, and the lines of its output but the entries (its headers and
# extents, in $OUT) match PATTERNS as for expect_run.  The whole output stays
# in $DUMP.  (Under TCG, busybox's regexps over a million lines take
# minutes: only fixed strings are looked for there.)
expect_dump()
{
    local want="$1" patterns="$2"

    shift 2
    expect_run "$want" "$patterns" dump_m2p "$@"
}

dump_m2p()
{
    local rc=0

    xen-mfndump dump-m2p "$@" >"$DUMP" 2>&1 || rc=$?
    grep -F -v ' ==> ' "$DUMP" || true
    return "$rc"
}

# max_mfn: the Max MFN of the last dump.
max_mfn()
{
    sed -n 's/^ Max MFN: \([0-9]*\)$/\1/p' "$OUT" | head -n 1
}

# entries_dumped HOLES: $DUMP has an entry for each frame below Max MFN
# (fewer than the compat M2P area's 2^28) but those of HOLES extents of
# the compat M2P (2^19 frames each).
entries_dumped()
{
    local max lines

    max=$(max_mfn)
    lines=$(($(wc -l <"$DUMP") - $(wc -l <"$OUT")))
    echo "$lines entries, Max MFN $max, $1 hole extent(s)"
    [ -n "$max" ] && [ "$lines" = $((max - $1 * 524288)) ]
}

# dump_as_base: the last plain dump-m2p is as the base's: its header,
# an entry for each frame below Max MFN, from mfn 0 up, its footer, and
# nothing else.
dump_as_base()
{
    printf ' --- Dumping M2P ---\n Max MFN: %s\n --- End of M2P ---\n' \
        "$(max_mfn)" | cmp - "$OUT" &&
    sed -n 3p "$DUMP" | grep -q '^  mfn=0x0 ==> pfn=0x[0-9a-f]*$' &&
    entries_dumped 0
}

# The compat M2P's hole extents in the last dump, by number (hex).
compat_holes()
{
    sed -n 's/^  extent=\(0x[0-9a-f]*\) mfn=0x[0-9a-f]* (hole: .*)$/\1/p' \
        "$OUT"
}

# holes_not_dumped: each hole extent of the last "dump-m2p -c" has one
# line saying it has no entries, and no entry; its other extents have.
holes_not_dumped()
{
    local x first last n=0

    for x in $(compat_holes)
    do
        first=$(printf '0x%x' $((x * 524288)))
        last=$(printf '0x%x' $(((x + 1) * 524288 - 1)))
        grep -qxF "  mfn=$first-$last: no entries (hole extent $x)" "$OUT" || {
            echo "no line says hole extent $x has no entries"
            return 1
        }
        ! grep -qF "  mfn=$first ==> " "$DUMP" || {
            echo "hole extent $x has entries"
            return 1
        }
        n=$((n + 1))
    done
    echo "$n hole extent(s)"
    [ "$n" -gt 0 ] || { echo "no hole: is the host 3GB on q35?"; return 1; }
    entries_dumped "$n"
}

# dumped_entries MFN PFN...: "dump-m2p -c" maps each MFN to the PFN
# after it.
dumped_entries()
{
    local line

    xen-mfndump dump-m2p -c >"$DUMP" || return 1
    while [ $# -ge 2 ]
    do
        line=$(grep -m 1 -F "  mfn=$1 ==> " "$DUMP" || true)
        echo "$line"
        [ "$line" = "  mfn=$1 ==> pfn=$2" ] || {
            echo "expected mfn=$1 ==> pfn=$2"
            return 1
        }
        shift 2
    done
}

# The MFN of compat extent 0, from the last dump.
compat_mfn0()
{
    sed -n '/^ --- Dumping compat M2P/,$ s/^  extent=0x0 mfn=\(0x[0-9a-f]*\)$/\1/p' \
        "$OUT" | head -n 1
}

# sample CMD...: CMD's output in the serial log, for whoever reads it.
sample()
{
    echo "xen-mfndump sample: $*"
    "$@" 2>&1 | sed 's/^/  | /' || true
}

usage_cases()
{
    case_run help expect_run 0 \
'^Usage: xen-mfndump
^  dump-m2p                  show M2P$
^  dump-m2p -c               show the compat M2P of 32-bit PV$
^  check-xen-slots <domid> \[<first-slot>\]$' xen-mfndump help
    case_run dump-m2p-bad-option expect_run 1 '^Usage: xen-mfndump' \
        xen-mfndump dump-m2p -x
    case_run check-needs-domid expect_run 1 '^Usage: xen-mfndump' \
        xen-mfndump check-xen-slots
    case_run bad-domid expect_run 1 \
        "^Bad domain id 'abc': expected a number below 32752" \
        xen-mfndump check-xen-slots abc
    case_run domid-out-of-range expect_run 1 "^Bad domain id '32752'" \
        xen-mfndump check-xen-slots 32752
    case_run bad-first-slot expect_run 1 \
        "^Bad first slot '512': expected a number below 512" \
        xen-mfndump check-xen-slots 0 512
    case_run no-such-domain expect_run 1 \
        '^Domain 4321 does not exist: .*\(errno 3\)' \
        xen-mfndump check-xen-slots 4321
    # dom0 is 64-bit, and left alone: refused before it would be paused
    # (Xen cannot pause the domain asking).
    case_run dom0-refused expect_run 1 \
        '^Domain 0 is a 64-bit PV guest, not a 32-bit one' \
        xen-mfndump check-xen-slots 0
}

# dump_default_cases: plain dump-m2p, as on the base.
dump_default_cases()
{
    case_run dump-default expect_dump 0 '^ --- Dumping M2P ---$'
    case_run dump-default-as-base dump_as_base
}

no_pv32_cases()
{
    case_run dump-compat-eopnotsupp expect_dump 1 \
'^No compat M2P: this host has no 32-bit PV guests .*pv=no-32.*\(errno 95\)' \
        -c
    case_run dump-compat-eopnotsupp-only lacks '^ --- Dumping'
    dump_default_cases
}

# dump_cases: plain dump-m2p as on the base; "dump-m2p -c", the compat
# table's header, extents (one a hole) and entries (none of the hole).
dump_cases()
{
    dump_default_cases
    case_run dump-compat expect_dump 0 \
"^ --- Dumping compat M2P ---$
^ Max MFN: $NUM$
^ Extents: $NUM of 2MB, 4-byte entries$
^  extent=0x0 mfn=$HEX$
^  extent=$HEX mfn=$HEX \(hole: no frame, repeats extent $HEX\)$
^ --- End of compat M2P ---$" -c
    case_run dump-compat-only lacks '^ --- Dumping M2P ---$'
    case_run dump-compat-holes-not-dumped holes_not_dumped
    MFN0=$(compat_mfn0)
    case_run compat-extent-0 test -n "$MFN0"
}

# check_cases ID MFN0: the slots of 32-bit guest ID are right and the
# check says so; wrong expectations of the first slot are mismatches
# naming pfn, slot and MFN; the guest is paused while it is read, and
# left as it was found, whatever the outcome.
check_cases()
{
    local id="$1" mfn0="$2" l2="L2 pfn=$HEX mfn=$HEX"

    case_run check-32bit expect_run 0 \
"^ --- Checking the Xen slots of domain $id ---$
^ L2 slots 428-511 against $NUM compat M2P extent\(s\)$
^ L3s: 1 from vCPU CR3s, no typed L3s looked for \(no guest p2m\)$
^  $l2 behind L3 pfn=$HEX mfn=$HEX \(vCPU0's CR3\): ok$
^ --- End of Xen slots of domain $id: 1 L2\(s\) checked, 0 mismatch\(es\) ---$" \
        xen-mfndump check-xen-slots "$id"
    case_run check-32bit-unpaused unpaused "$id"
    # The compat M2P has the guest's pfns of its L2 and L3 (that the check
    # names from the native M2P) at their MFNs.
    # shellcheck disable=SC2046 # the four numbers
    set -- $(sed -n -E "s/^  L2 pfn=($HEX) mfn=($HEX) behind \
L3 pfn=($HEX) mfn=($HEX) .*/\1 \2 \3 \4/p" "$OUT") none none none none
    case_run dump-compat-guest-pfns dumped_entries "$2" "$1" "$4" "$3"
    case_run check-32bit-read-paused probed "$id" "" 0 '' \
        check-xen-slots "$id"
    case_run check-32bit-read-paused-only read_while_paused
    case_run check-32bit-read-paused-unpaused unpaused "$id"
    case_run check-32bit-read-only lacks 'WRITABLE'

    # A SIGINT or SIGTERM while the guest is paused: the tool dies of it,
    # but only once the guest runs again.
    signal_case INT 130 "$id"
    signal_case TERM 143 "$id"

    # One slot too high: slot 429 should hold compat extent 0.
    case_run check-high-slot-fails expect_run 2 \
"^  MISMATCH: domain $id $l2 slot 429: not present: found no mapping \
\(entry 0x0\), expected mfn=$mfn0 \(compat extent 0, read-only 2MB\)$
^ --- End of Xen slots of domain $id: 1 L2\(s\) checked, $NUM mismatch" \
        xen-mfndump check-xen-slots "$id" 429
    case_run check-high-slot-unpaused unpaused "$id"
    # One slot too low: slot 428, holding extent 0, should hold extent 1
    # or nothing.
    case_run check-low-slot-fails expect_run 2 \
"^  MISMATCH: domain $id $l2 slot 428: [a-z0-9 ]+: found mfn=$mfn0 \
\(entry $HEX\), expected " xen-mfndump check-xen-slots "$id" 427
    case_run check-low-slot-unpaused unpaused "$id"

    # Paused by someone else: paused during the check, and still paused
    # after it (Xen counts pauses: the tool undoes its own only).
    xl pause "$id"
    case_run check-paused-guest probed "$id" "" 0 \
        ': 1 L2\(s\) checked, 0 mismatch' check-xen-slots "$id"
    case_run check-paused-guest-read-paused read_while_paused
    case_run check-paused-guest-still-paused paused "$id"
    # Pausing fails (as when Xen's count is at its limit): the tool must
    # not undo a pause it did not make, nor read the guest.
    case_run pause-fails probed "$id" pause 1 \
"^pause-probe: failing pause$
^Failed to pause domain $id: .*\(errno 75\)$" check-xen-slots "$id"
    case_run pause-fails-no-read lacks '^pause-probe: .* of domain'
    case_run pause-fails-still-paused paused "$id"
    xl unpause "$id"
    case_run unpaused-again unpaused "$id"

    # Each read of the guest failing in turn: an error naming what, and
    # the guest running again afterwards.
    error_case read "$id" 1 \
        "Failed to get the context of vCPU0 of domain $id: .*\(errno 5\)"
    error_case read "$id" 2 \
        "Failed to map the shared info mfn=$HEX of domain $id: .*\(errno 5\)"
    error_case read "$id" 3 \
        "Failed to map the L3 mfn=$HEX of domain $id: .*\(errno 5\)"
    error_case read "$id" 4 \
        "Failed to map the L2 mfn=$HEX of domain $id: .*\(errno 5\)"
    # And no more: a 5th read would not fail.
    case_run read-fails-5-unused probed "$id" 5 0 '' \
        check-xen-slots "$id"
}

# signal_case SIG RC ID: xen-mfndump, sent SIGSIG at its first read of
# guest ID (paused), dies of it (exit status RC), the guest unpaused.
signal_case()
{
    local name="sig$1-while-paused" id="$3"

    case_run "$name" probed "$id" "SIG$1" "$2" "^pause-probe: failing SIG$1$" \
        check-xen-slots "$id"
    case_run "$name-died" lacks '^ --- Checking'
    case_run "$name-unpaused" unpaused "$id"
    # Left paused (the bug): unpause it for the cases after.
    [ "$(pause_state "$id")" != paused ] || xl unpause "$id"
}

# error_case NAME ID N MESSAGE: the Nth read of guest ID fails, with
# MESSAGE, and the guest runs again afterwards.
error_case()
{
    local name="$1-fails-$3" id="$2" n="$3" message="$4"

    case_run "$name" probed "$id" "$n" 1 \
"^pause-probe: failing $n$
^$message$" check-xen-slots "$id"
    case_run "$name-read-paused" read_while_paused
    case_run "$name-unpaused" unpaused "$id"
}

# refused NAME ID WHAT: domain ID (a NAME guest) is refused as WHAT,
# neither read nor paused or unpaused.
refused()
{
    local name="$1" id="$2" what="$3" before

    before=$(pause_state "$id")
    case_run "$name-refused" probed "$id" "" 1 "^Domain $id is $what" \
        check-xen-slots "$id"
    case_run "$name-refused-not-read" lacks '^pause-probe: '
    case_run "$name-refused-pause-state-kept" \
        test "$(pause_state "$id")" = "$before"
}

main()
{
    local id

    case_run pause-probe-present test -f "$PROBE"
    if xl info | grep -q '^xen_commandline.*pv=no-32'
    then
        no_pv32_cases
        usage_cases
        finish
        return
    fi

    dump_cases
    usage_cases

    # A guest that never publishes its p2m: only the L3s of its vCPUs are
    # checked, and the reads of it are always the same 4.
    case_run start-32bit-guest start_guest guest32 /test/guest32 pv no-p2m
    id=$(xl domid guest32 || echo 4321)
    check_cases "$id" "$MFN0"
    sample xen-mfndump check-xen-slots "$id"
    sample xen-mfndump check-xen-slots "$id" 429
    xl destroy guest32 || true
    case_run destroyed-guest expect_run 1 "^Domain $id does not exist" \
        xen-mfndump check-xen-slots "$id"

    if [ -f /test/guest32p2m ]
    then
        case_run start-32bit-p2m-guest start_guest guest32p2m \
            /test/guest32p2m
        id=$(xl domid guest32p2m || echo 4321)
        case_run p2m-published wait_for 60 p2m_published "$id"
        case_run check-typed-l3s probed "$id" "" 0 \
"^ L3s: 1 from vCPU CR3s, $NUM typed as L3 \(guest p2m\); $NUM distinct$
^ --- End of Xen slots of domain $id: $NUM L2\(s\) checked, 0 mismatch" \
            check-xen-slots "$id"
        case_run check-typed-l3s-read-paused read_while_paused
        case_run check-typed-l3s-unpaused unpaused "$id"
        # Its p2m, the guest's to write, is mapped read-only.
        case_run check-typed-l3s-read-only lacks 'WRITABLE'
        # The 3rd to 5th reads are of the guest's p2m.
        error_case p2m-read "$id" 3 \
"Failed to map the p2m frame list list \(1 frame\(s\) from mfn=$HEX\) \
of domain $id: .*\(errno 5\)"
        error_case p2m-read "$id" 4 \
"Failed to map the p2m frame lists \(1 frame\(s\) from mfn=$HEX\) \
of domain $id: .*\(errno 5\)"
        error_case p2m-read "$id" 5 \
"Failed to map the p2m \($NUM frame\(s\) from mfn=$HEX\) of domain \
$id: .*\(errno 5\)"
        sample xen-mfndump check-xen-slots "$id"
        xl destroy guest32p2m || true
    fi

    if [ -f /test/guest64 ]
    then
        case_run start-64bit-guest start_guest guest64 /test/guest64
        id=$(xl domid guest64 || echo 4321)
        refused 64bit "$id" 'a 64-bit PV guest, not a 32-bit one'
        case_run 64bit-unpaused unpaused "$id"
        xl destroy guest64 || true
    fi

    if [ -f /test/pvh-kernel ]
    then
        # Built, not run (xl create -p): enough to be refused.
        case_run create-pvh-guest start_guest pvh /test/pvh-kernel pvh "" \
            -p 128
        id=$(xl domid pvh || echo 4321)
        refused pvh "$id" 'an HVM or PVH guest, not a 32-bit PV one'
        xl destroy pvh || true
    fi

    finish
}

main
