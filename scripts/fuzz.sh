#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# fuzz.sh NAME: the bounded run of the fuzzer tools/fuzz/NAME of the tree,
# a suite of the tests: its libFuzzer harness built by clang with ASan and
# UBSan; every input of its corpus (made by its mk-corpus.py), through it
# and through the AFL harness; FUZZ_RUNS inputs generated from that corpus
# (seed 1, so the run is the same each time, bounded by FUZZ_TIME seconds
# too); and each reproducer of a known finding (its known/ directory),
# SKIP while it still fails, PASS once it is fixed.  The corpus and the
# generated inputs leave the known findings out (the fuzzer's
# PV_SAVE_FUZZ_SKIP_KNOWN), so that the run passes until they are fixed.
# A crash keeps the input under build/fuzz/NAME/ and names it.

set -eu
. "$(dirname "$0")/lib.sh"

NAME=${1:?usage: fuzz.sh NAME}
SRC=$TREE/tools/fuzz/$NAME
OUT=$BUILD/fuzz/$NAME
FUZZ_RUNS=${FUZZ_RUNS:-15000}
FUZZ_TIME=${FUZZ_TIME:-60}
HARNESS=$SRC/libfuzzer-harness

# result VERDICT CASE START [WHY]: one line of the suite.
result()
{
    printf '%s %s (%ss)%s\n' "$1" "$2" "$(elapsed "$3")" "${4:+: $4}"
}

# The tree's libraries, as its Makefile's "fuzz" target finds them.
library_path()
{
    make -s -C "$SRC" --no-print-directory print-library-path
}

# fuzzer LOG ARGS...: run the harness with ARGS, its output in LOG.
fuzzer()
{
    local log=$1
    shift

    LD_LIBRARY_PATH=$(library_path) PV_SAVE_FUZZ_SKIP_KNOWN=1 \
        "$HARNESS" "$@" >"$log" 2>&1
}

# crash_of LOG: the input libFuzzer kept, as a path under build/.
crash_of()
{
    sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$1" | tail -n1
}

build()
{
    local start

    start=$(now)
    if make -C "$SRC" clang=y libfuzzer-harness corpus >"$OUT/build.log" 2>&1 &&
       make -C "$SRC" afl-pv-save-fuzzer >>"$OUT/build.log" 2>&1
    then
        result PASS build "$start"
    else
        result FAIL build "$start" "log: $OUT/build.log"
        return 1
    fi
}

# Every input of the corpus, once each.
corpus()
{
    local start log=$OUT/corpus.log input

    start=$(now)
    if fuzzer "$log" -artifact_prefix="$OUT/" "$SRC"/corpus/*
    then
        result PASS corpus "$start"
    else
        input=$(sed -n 's/^Running: //p' "$log" | tail -n1)
        result FAIL corpus "$start" "input ${input:-?}; log: $log"
    fi
}

# The corpus through the AFL harness, as the tools' build makes it: what
# replays an input found by AFL.
replay()
{
    local start log=$OUT/replay.log

    start=$(now)
    if LD_LIBRARY_PATH=$(library_path) PV_SAVE_FUZZ_SKIP_KNOWN=1 \
        "$SRC/afl-pv-save-fuzzer" "$SRC"/corpus/* >"$log" 2>&1
    then
        result PASS afl-replay "$start"
    else
        result FAIL afl-replay "$start" "input $(tail -n1 "$log"); log: $log"
    fi
}

# FUZZ_RUNS inputs made from the corpus, in a copy of it.
generated()
{
    local start log=$OUT/run.log crash

    start=$(now)
    rm -rf "$OUT/corpus"
    mkdir -p "$OUT/corpus"
    cp "$SRC"/corpus/* "$OUT/corpus/"
    if fuzzer "$log" -seed=1 -runs="$FUZZ_RUNS" -max_total_time="$FUZZ_TIME" \
        -max_len=8192 -timeout=10 -dict="$SRC/$NAME.dict" \
        -artifact_prefix="$OUT/" "$OUT/corpus"
    then
        result PASS run "$start" \
            "$(grep -o '#[0-9]*.*DONE.*cov: [0-9]*' "$log" | tail -n1)"
    else
        crash=$(crash_of "$log")
        result FAIL run "$start" \
            "crash, input kept in ${crash:-?}; log: $log"
    fi
}

# The reproducers of findings not fixed yet: still failing is a SKIP.
known()
{
    local f start log case what

    for f in "$SRC"/known/*
    do
        [ -f "$f" ] || continue
        case=known/$(basename "$f")
        log=$OUT/$case.log
        mkdir -p "$(dirname "$log")"
        start=$(now)
        if LD_LIBRARY_PATH=$(library_path) "$HARNESS" "$f" >"$log" 2>&1
        then
            result PASS "$case" "$start" "fixed: drop it from known/"
        else
            what=$(grep -m1 -o 'ERROR: .*\|Assertion .*' "$log" | cut -c1-100)
            result SKIP "$case" "$start" "known finding, not fixed yet: $what"
        fi
    done
}

main()
{
    mkdir -p "$OUT"
    build || exit 1
    corpus
    replay
    generated
    known
}

main "$@"
