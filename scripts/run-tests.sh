#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The test command: for each target (TARGET=staging or TARGET=4.17 for
# one; both by default), set up everything (packages, bases, patched
# trees, builds, dom0), then run its tests.  One line per test:
#     PASS|FAIL|SKIP <target>/<name> (<seconds>s)[: reason]
# and a last line "N passed, N failed[, N skipped]".  Exit 0 iff none
# failed.  Test logs: build/logs/TARGET/tests/, serial logs of boots:
# build/logs/TARGET/boot-*.log.
#
# TESTS="pattern ..." runs only the tests whose names match one of the
# shell patterns (not expanded as file names), or that are in a suite
# whose name matches: "staging/boot/*", "*/series/git-am",
# "4.17/boot/migrate-pv".  A pattern that matches no test is a failure.
#
# SETUP_TO=STEP sets up only the steps up to STEP (setup.sh's list), for
# a quicker turn on tests that need no more (the tests that do fail):
# "SETUP_TO=xtf" is all that the unit tests and the XTF boots need.
#
# Environment (In), besides lib.sh's: TARGET (one target; else all of
# Config.mk's TARGETS), TESTS (above), SETUP_TO (above), and what the
# boots read (scripts/harness/boot.sh).  Out: $LOGS/tests/NAME.log for
# each test.

set -eu
TARGET_SET=${TARGET:+1}
. "$(dirname "$0")/lib.sh"

# The tests of one target, in a process of its own (see main).
target_tests()
{
    . "$TOP/scripts/harness/boot.sh"
    . "$TOP/scripts/harness/tests-$TARGET.sh"
    TLOGS=$LOGS/tests
    rm -rf "$TLOGS"
    mkdir -p "$TLOGS"
    : >"$MATCHED"
    tests
}

# The names of the tests are "TARGET/NAME".

# selected NAME: whether TESTS selects the test NAME, or some test of the
# suite NAME; the patterns that do are noted in $MATCHED.
selected()
{
    local pat hit=1

    [ -n "${TESTS:-}" ] || return 0
    set -f
    for pat in $TESTS
    do
        # shellcheck disable=SC2053 # $pat: a pattern
        if [[ $TARGET/$1 == $pat ]] || [[ $pat == "$TARGET/$1"/* ]] ||
           [[ $TARGET/$1/ == $pat ]]
        then
            hit=0
        fi
    done
    set +f
    return "$hit"
}

# want NAME: whether TESTS selects the single test NAME, by its name or
# by the name of a suite it is in (noted).
want()
{
    local pat hit=1

    [ -n "${TESTS:-}" ] || return 0
    set -f
    for pat in $TESTS
    do
        # shellcheck disable=SC2053
        if [[ $TARGET/$1 == $pat ]] || [[ $TARGET/$1 == $pat/* ]]
        then
            printf '%s\n' "$pat" >>"$MATCHED"
            hit=0
        fi
    done
    set +f
    return "$hit"
}

report()
{
    local verdict=$1 name=$2 secs=$3 why=${4:-}

    want "$name" || return 0
    case_line "$verdict" "$TARGET/$name" "$secs" "$why"
}

# run_test NAME CMD...: one test, passing iff CMD exits 0.
run_test()
{
    local name=$1 start log
    shift

    want "$name" || return 0
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
# for it and reports its lines under NAME/.  A suite that exits non-zero
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
    local name=$1 log=$TLOGS/$1.log line rc n=0 bad=0 case rest

    [ -n "${SUITE_PID[$name]:-}" ] || return 0
    wait "${SUITE_PID[$name]}" && rc=0 || rc=$?
    unset "SUITE_PID[$name]"
    while IFS= read -r line
    do
        case $line in
        PASS\ *|SKIP\ *) ;;
        FAIL\ *) bad=1 ;;
        *) continue ;;
        esac
        n=$((n + 1))
        case=${line#* }
        rest=${case#* }
        case=${case%% *}
        want "$name/$case" || continue
        printf '%s %s/%s/%s %s\n' "${line%% *}" "$TARGET" "$name" "$case" "$rest"
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

# up_to_date: the set-up, run again just after it ran, does nothing:
# each step finds its stamp holding the key of its inputs (lib.sh), and
# none says that it is making something.
up_to_date()
{
    local out

    out=$("$TOP/scripts/setup.sh" ${SETUP_TO:+"$SETUP_TO"} 2>&1) ||
        { printf '%s\n' "$out"; return 1; }
    printf '%s\n' "$out"
    ! grep -q '^==> ' <<<"$out"
}

# count: read result lines, print them, and tally them in PASSED, FAILED
# and SKIPPED.
count()
{
    local line

    while IFS= read -r line
    do
        printf '%s\n' "$line"
        case $line in
        PASS\ *) PASSED=$((PASSED + 1)) ;;
        FAIL\ *) FAILED=$((FAILED + 1)) ;;
        SKIP\ *) SKIPPED=$((SKIPPED + 1)) ;;
        esac
    done
}

main()
{
    local start t targets pat matched

    if [ "${1:-}" = --target ]
    then
        target_tests
        return
    fi
    start=$(now)
    targets=$(config_file TARGETS)
    [ -z "${TARGET_SET:-}" ] || targets=$TARGET
    PASSED=0 FAILED=0 SKIPPED=0
    matched=$(mktemp -d)
    for t in $targets
    do
        if ! TARGET=$t "$TOP/scripts/setup.sh" ${SETUP_TO:+"$SETUP_TO"}
        then
            count < <(case_line FAIL "$t/setup" 0.000 \
                      "set-up failed (see above); its tests did not run")
            targets=$(printf '%s\n' $targets | grep -vxF "$t")
        fi
    done
    say "QEMU boots under $(qemu_accel | sed 's/\t/ (/; s/$/)/')"
    say "running the tests (logs: $BUILD/logs/TARGET/tests)"
    for t in $targets
    do
        count < <(TARGET=$t MATCHED=$matched/$t LOGS= \
                  "$TOP/scripts/run-tests.sh" --target)
    done
    if [ -n "${TESTS:-}" ]
    then
        cat "$matched"/* >"$matched/all" 2>/dev/null || true
        set -f
        for pat in $TESTS
        do
            grep -qxF -- "$pat" "$matched/all" ||
                count < <(case_line FAIL "$pat" 0.000 \
                          "TESTS: no test matches '$pat'")
        done
        set +f
    fi
    rm -rf "$matched"
    printf 'total time %ss\n' "$(elapsed "$start")"
    printf '%d passed, %d failed' "$PASSED" "$FAILED"
    [ "$SKIPPED" = 0 ] || printf ', %d skipped' "$SKIPPED"
    printf '\n'
    [ "$FAILED" = 0 ]
}

main "$@"
