#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The test command: set up everything (packages, base, patched tree,
# builds, dom0), then run every test of the project.  One line per test:
#     PASS|FAIL|SKIP <name> (<seconds>s)[: reason]
# and a last line "N passed, N failed[, N skipped]".  Exit 0 iff none failed.
# Test logs: build/logs/tests/, serial logs of boots: build/logs/boot-*.log.
#
# TESTS="glob ..." runs only the tests whose names match one of the globs.

set -eu
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/systest.sh"

TLOGS=$LOGS/tests
PVK=$TREE/tools/tests/pv-kernel
PASSED=0
FAILED=0
SKIPPED=0

selected()
{
    local pat

    [ -n "${TESTS:-}" ] || return 0
    for pat in $TESTS
    do
        # shellcheck disable=SC2053
        [[ $1 == $pat ]] && return 0
    done
    return 1
}

report()
{
    local verdict=$1 name=$2 secs=$3 why=${4:-}

    case $verdict in
    PASS) PASSED=$((PASSED + 1)) ;;
    FAIL) FAILED=$((FAILED + 1)) ;;
    SKIP) SKIPPED=$((SKIPPED + 1)) ;;
    esac
    printf '%s %s (%ss)%s\n' "$verdict" "$name" "$secs" "${why:+: $why}"
}

# run_test NAME CMD...: one test, passing iff CMD exits 0.
run_test()
{
    local name=$1 start log
    shift

    selected "$name" || return 0
    log=$TLOGS/$name.log
    mkdir -p "$(dirname "$log")"
    start=$(now)
    if "$@" >"$log" 2>&1
    then
        report PASS "$name" "$(elapsed "$start")"
    else
        report FAIL "$name" "$(elapsed "$start")" \
            "$(tail -n1 "$log" | cut -c1-200); log: $log"
    fi
}

# suite_start NAME CMD...: start the suite NAME, a CMD that prints its
# own PASS/FAIL/SKIP lines, in the background; suite_report NAME waits
# for it and counts its lines under NAME/.  A suite that exits non-zero
# without saying why, or runs nothing, is a failure of its own.
declare -A SUITE_PID SUITE_START

suite_start()
{
    local name=$1
    shift

    selected "$name" || return 0
    mkdir -p "$(dirname "$TLOGS/$name.log")"
    SUITE_START[$name]=$(now)
    "$@" >"$TLOGS/$name.log" 2>&1 &
    SUITE_PID[$name]=$!
}

suite_report()
{
    local name=$1 log=$TLOGS/$1.log line rc n=0 bad=0

    [ -n "${SUITE_PID[$name]:-}" ] || return 0
    wait "${SUITE_PID[$name]}" && rc=0 || rc=$?
    unset "SUITE_PID[$name]"
    while IFS= read -r line
    do
        case $line in
        PASS\ *) PASSED=$((PASSED + 1)) ;;
        FAIL\ *) FAILED=$((FAILED + 1)); bad=1 ;;
        SKIP\ *) SKIPPED=$((SKIPPED + 1)) ;;
        *) continue ;;
        esac
        printf '%s %s/%s\n' "${line%% *}" "$name" "${line#* }"
        n=$((n + 1))
    done <"$log"
    if [ "$n" = 0 ]
    then
        report FAIL "$name" "$(elapsed "${SUITE_START[$name]}")" \
            "ran no test (exit $rc); log: $log"
    elif [ "$rc" != 0 ] && [ "$bad" = 0 ]
    then
        report FAIL "$name" "$(elapsed "${SUITE_START[$name]}")" \
            "exited $rc; log: $log"
    fi
}

# run_suite NAME CMD...: the same, in the foreground.
run_suite()
{
    suite_start "$@"
    suite_report "$1"
}

# Boot tests: NAME SCRIPT [XEN_ARGS [FILE...]]
boot_test()
{
    local name=$1

    selected "boot/$name" || return 0
    run_test "boot/$name" dom0_boot "$@"
}

main()
{
    local start

    start=$(now)
    "$TOP/scripts/setup.sh"
    say "running the tests (logs: $TLOGS)"
    rm -rf "$TLOGS"
    run_suite series "$TOP/scripts/check-series.sh"
    run_test series/git-am "$TOP/scripts/format-series.sh" --check
    run_suite docs "$TOP/scripts/check-docs.sh"
    run_suite unit/m2p-mfn-list make -s -C "$TREE/tools/tests/m2p-mfn-list" run
    run_suite unit/sr-normalise make -s -C "$TREE/tools/tests/sr-normalise" run
    # A guest that never published its p2m, and one that never answers
    # suspend: xl save and xl migrate say which, and the guest runs on.
    # libxl waits 60 s for an answer to a suspend request: this boot is
    # mostly waiting, so it runs beside the others, reported last.
    BOOT_TIMEOUT=900 suite_start boot/save-failures dom0_cases save-failures "" \
        "$PVK/test-pv64-migrate-guest" "$PVK/test-pv32pae-migrate-guest"
    boot_test xl-info "$TOP/scripts/systests/xl-info.sh"
    # The M2P lists seen by 64-bit and 32-bit PV kernels; with 3 GiB the
    # compat list has several extents, and a hole.
    run_test boot/pv64-m2p-list kernel_boot pv64-m2p-list m2p-list pv64
    run_test boot/pv32pae-m2p-list kernel_boot pv32pae-m2p-list m2p-list pv32pae
    run_test boot/pv64-m2p-list-3g kernel_boot pv64-m2p-list-3g m2p-list pv64 "" "" 3072
    run_test boot/pv32pae-m2p-list-3g kernel_boot pv32pae-m2p-list-3g m2p-list pv32pae "" "" 3072
    run_test boot/pv64-m2p-list-no-pv32 kernel_boot pv64-m2p-list-no-pv32 m2p-list pv64 \
        "pv=no-32" "expect-no-pv32"
    run_suite boot/m2p-compat-no-pv32 dom0_cases m2p-compat-no-pv32 "pv=no-32" \
        "$BUILD/dom0/linux64.bz" "$BUILD/dom0/domu.cpio"
    run_suite boot/m2p-compat-pv32 dom0_cases m2p-compat-pv32 "" \
        "guest32=$PVK/test-pv32pae-migrate-guest"
    run_suite boot/xen-m2p dom0_cases xen-m2p "" \
        "guest32=$PVK/test-pv32pae-migrate-guest" \
        "guest32p2m=$PVK/test-pv32pae-migrate-guest" \
        "guest64=$PVK/test-pv64-migrate-guest"
    SCRIPT=xen-m2p run_suite boot/xen-m2p-no-pv32 dom0_cases xen-m2p-no-pv32 \
        "pv=no-32"
    # Save, restore and live migration of 32-bit and 64-bit guests: long
    # under TCG, hence the longer timeout.
    BOOT_TIMEOUT=900 run_suite boot/migrate-pv dom0_cases migrate-pv "" \
        "$PVK/test-pv32pae-migrate-guest" "$PVK/test-pv64-migrate-guest"
    suite_report boot/save-failures
    printf 'total time %ss\n' "$(elapsed "$start")"
    printf '%d passed, %d failed' "$PASSED" "$FAILED"
    [ "$SKIPPED" = 0 ] || printf ', %d skipped' "$SKIPPED"
    printf '\n'
    [ "$FAILED" = 0 ]
}

main "$@"
