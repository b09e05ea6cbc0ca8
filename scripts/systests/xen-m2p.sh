#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 test of xen-m2p (tools/misc): "list" of the M2P frame lists, and
# "check" of a 32-bit PV guest's Xen L2 slots against the compat list,
# including that check fails on a wrong expectation and refuses what it
# cannot check.  Files in /test:
#   guest32      a 32-bit PV test kernel that idles as a domU (required)
#   guest64      a 64-bit PV test kernel that idles as a domU (optional)
#   guest32p2m   like guest32, publishing its p2m (optional): check then
#                also searches the pages typed as L3
# On a host booted with pv=no-32, only the EOPNOTSUPP cases run.

set -eu

. /test/lib.sh

OUT=/tmp/xen-m2p.out
# Parts of the patterns.
HEX='0x[0-9a-f]+'
NUM='[1-9][0-9]*'

# expect RC PATTERNS CMD...: CMD exits with RC, and its output (stdout and
# stderr) has a line matching each line of PATTERNS (extended regexps).
expect()
{
    local want="$1" patterns="$2" rc=0 p

    shift 2
    "$@" >"$OUT" 2>&1 || rc=$?
    cat "$OUT"
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

# lacks PATTERN: the output of the last expect has no line matching it.
lacks()
{
    ! grep -qE -- "$1" "$OUT" || {
        echo "unexpected line matching: $1"
        return 1
    }
}

# json_balanced: the output of the last expect opens as many braces and
# brackets as it closes (dom0 has no JSON parser).
json_balanced()
{
    local o c

    o=$(tr -cd '{[' <"$OUT" | wc -c)
    c=$(tr -cd '}]' <"$OUT" | wc -c)
    [ "$o" -gt 0 ] && [ "$o" = "$c" ] || {
        echo "unbalanced JSON: $o opening, $c closing"
        return 1
    }
}

guest_cfg()
{
    cat <<CFG
name = "$1"
type = "pv"
kernel = "$2"
memory = 32
vcpus = 1
on_crash = "preserve"
CFG
}

start_guest()
{
    guest_cfg "$1" "$2" >"/tmp/$1.cfg" &&
    xl create "/tmp/$1.cfg" &&
    running "$1"
}

p2m_published()
{
    xen-m2p --json check "$1" | grep -q '"guest_p2m": true'
}

# The MFN of compat extent 0, from the text list.
compat_mfn0()
{
    xen-m2p list compat | awk '$1 == "0" { print $2; exit }'
}

usage_cases()
{
    case_run help expect 0 '^Usage: xen-m2p' xen-m2p --help
    case_run no-command expect 2 'no command given' xen-m2p
    case_run unknown-command expect 2 "unknown command 'frob'" \
        xen-m2p frob
    case_run unknown-table expect 2 "unknown M2P table 'foo'" \
        xen-m2p list foo
    case_run bad-domid expect 2 "bad domain id 'abc'" xen-m2p check abc
    case_run domid-out-of-range expect 2 "bad domain id '32752'" \
        xen-m2p check 32752
    case_run check-needs-domid expect 2 'check takes one argument' \
        xen-m2p check
    case_run no-such-domain expect 2 \
        'domain 4321: no such domain: .*\(errno 3\)' xen-m2p check 4321
    case_run bad-first-slot expect 2 "bad first slot '512'" \
        xen-m2p --first-slot=512 check 0
}

no_pv32_cases()
{
    case_run list-compat-eopnotsupp expect 2 \
"no 32-bit PV support.*\(errno 95\)" xen-m2p list compat
    case_run list-native-only expect 0 \
'^native M2P: [1-9][0-9]* extents? of 2MiB, 8-byte entries
^compat M2P: none' xen-m2p list
    case_run list-json-compat-null expect 0 '"compat": null' \
        xen-m2p list --json
    # No 32-bit PV guest can run here: a 64-bit one is refused as such.
    case_run check-64bit-refused expect 2 \
        'domain 0 is a 64-bit PV guest, not 32-bit' xen-m2p check 0
}

list_cases()
{
    case_run list expect 0 \
'^native M2P: [1-9][0-9]* extents? of 2MiB, 8-byte entries, for MFNs below 0x
^compat M2P: [1-9][0-9]* extents? of 2MiB, 4-byte entries
^ +0 +0x[0-9a-f]+ +0-0x[0-9a-f]+$' xen-m2p list
    case_run list-json expect 0 \
'^  "max_mfn": [1-9]
^  "native": \{"entry_size": 8, "nr_extents": [1-9]
^  "compat": \{"entry_size": 4, "nr_extents": [1-9]
\{"index": 0, "mfn": [1-9][0-9]*, "maddr_start": 0, "maddr_end": [1-9]' \
        xen-m2p list --json
    case_run list-json-balanced json_balanced
    case_run list-compat expect 0 '^compat M2P: ' xen-m2p list compat
    case_run list-compat-only lacks '^native'
    case_run list-native expect 0 '^native M2P: ' xen-m2p list native
    case_run list-native-only lacks '^compat'
    case_run list-native-json expect 0 '"native": \{' xen-m2p -j list native
    case_run list-native-json-only lacks '"compat"'
}

# show CMD...: CMD's output in the serial log, for whoever reads it.
show()
{
    echo "xen-m2p sample: $*"
    "$@" 2>&1 | sed 's/^/  | /' || true
}

# check_cases DOMID MFN0: the guest's slots are right, and check says so;
# wrong expectations of the first slot are mismatches naming slot and MFN.
check_cases()
{
    local id="$1" mfn0="$2" l2="L2 pfn $HEX \\(mfn $HEX\\)"

    case_run check-32bit expect 0 \
"^domain $id: 32-bit PV; checking L2 slots 428-511 against $NUM compat ext
^domain $id: $NUM L2s? checked, 0 mismatches$" xen-m2p check "$id"
    case_run check-32bit-verbose expect 0 \
"^ok  L2 mfn $HEX \(pfn $HEX\), slots 428-511, behind L3 .*vCPU0's CR3" \
        xen-m2p -v check "$id"
    case_run check-32bit-json expect 0 \
"^  \"domid\": $id,
^  \"first_slot\": 428,
\{\"mfn\": $NUM, \"pfn\": [0-9]+, .*\"found_by\": \"vcpu0-cr3\"
\"mismatches\": 0\}
^  \"result\": \"ok\"" xen-m2p --json check "$id"
    case_run check-32bit-json-balanced json_balanced

    # One slot too high: slot 429 should hold compat extent 0.
    case_run check-wrong-slot-fails expect 1 \
"^MISMATCH: domain $id $l2 slot 429: not present: found no mapping, \
expected mfn $mfn0 \(compat extent 0, read-only 2MiB\)$
^domain $id: $NUM L2s? checked, $NUM mismatch" \
        xen-m2p --first-slot=429 check "$id"
    # One slot too low: slot 428, holding extent 0, should hold extent 1.
    case_run check-low-slot-fails expect 1 \
"^MISMATCH: domain $id $l2 slot 428: .*: found mfn $mfn0 \(entry $HEX\), \
expected " xen-m2p --first-slot=427 check "$id"
    case_run check-mismatch-json expect 1 \
"\"slot\": 429, \"found_entry\": 0, \"found_mfn\": null, \
\"compat_extent\": 0, \"expected_mfn\": $((mfn0)), \"problem\": \"not present\"
^  \"result\": \"mismatch\"" xen-m2p -j --first-slot=429 check "$id"
    case_run check-mismatch-json-balanced json_balanced
    show xen-m2p check "$id"
    show xen-m2p --first-slot=429 check "$id"
}

main()
{
    local id mfn0

    if xl info | grep -q '^xen_commandline.*pv=no-32'
    then
        no_pv32_cases
        usage_cases
        finish
        return
    fi

    list_cases
    show xen-m2p list
    usage_cases
    mfn0=$(compat_mfn0)
    case_run compat-extent-0 test -n "$mfn0"

    case_run start-32bit-guest start_guest guest32 /test/guest32
    id=$(xl domid guest32 || echo 4321)
    check_cases "$id" "$mfn0"
    case_run dom0-refused expect 2 \
        'domain 0 is a 64-bit PV guest, not 32-bit' xen-m2p check 0
    xl destroy guest32 || true
    case_run destroyed-guest expect 2 "domain $id: no such domain" \
        xen-m2p check "$id"

    if [ -f /test/guest32p2m ]
    then
        case_run start-32bit-p2m-guest start_guest guest32p2m \
            /test/guest32p2m
        id=$(xl domid guest32p2m || echo 4321)
        case_run p2m-published wait_for 60 p2m_published "$id"
        case_run check-typed-l3s expect 0 \
"^domain $id: L3s: [0-9]+ from vCPU CR3s, $NUM typed as L3 \(guest p2m\); \
$NUM distinct$
^domain $id: $NUM L2s? checked, 0 mismatches$" xen-m2p check "$id"
        case_run check-typed-l3s-json expect 0 '"guest_p2m": true' \
            xen-m2p -j check "$id"
        show xen-m2p -v check "$id"
        xl destroy guest32p2m || true
    fi

    if [ -f /test/guest64 ]
    then
        case_run start-64bit-guest start_guest guest64 /test/guest64
        id=$(xl domid guest64 || echo 4321)
        case_run 64bit-refused expect 2 \
            "domain $id is a 64-bit PV guest, not 32-bit" xen-m2p check "$id"
        xl destroy guest64 || true
    fi

    finish
}

main
