#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 test: the tools/tests the series installs into $(LIBEXEC)/tests,
# run as Xen's CI runs them, by Xen's automation/scripts/run-tools-tests
# (given as /test/run-tools-tests): every executable there, without
# arguments, each reporting by its exit status.  The runner's JUnit XML
# (what Xen's GitLab CI reads) gives the cases: one per program, named
# after it, with its time, and on failure the runner's message and the
# program's output.  Every program there must be in it.  On a host with
# 32-bit PV, test-m2p-compat must have checked the compat list (not
# merely its absence).  The runner is staging's, for both targets (4.17
# has none).
#
#: boot tools-tests file=staging-base/automation/scripts/run-tools-tests

. /test/cases.sh

TESTS_DIR=/usr/local/lib/xen/tests
OUT=/tmp/run-tools-tests
XML=/tmp/tools-tests.xml
TAB=$(printf '\t')

# testcases: the testcases of $XML, one a line: "NAME<TAB>TIME<TAB>WHY",
# WHY the failure's message, empty for a pass.
testcases()
{
    awk '
        function attr(a,  v) {
            v = $0
            if (!sub(".*" a "=\"", "", v)) return ""
            sub("\".*", "", v)
            return v
        }
        /<testcase / { name = attr("name"); time = attr("time"); why = "" }
        /<failure / { why = attr("message"); if (why == "") why = "failure" }
        /<\/testcase>/ { print name "\t" time "\t" why }' "$XML"
}

# output NAME: the output the runner kept of the failed testcase NAME.
output()
{
    awk -v n="$1" '
        /<testcase / { mine = index($0, "name=\"" n "\"") > 0 }
        mine && /<!\[CDATA\[/ { out = 1; sub(/.*<!\[CDATA\[/, "") }
        mine && out && /\]\]>/ {
            out = 0; sub(/\]\]>.*/, ""); if ($0 != "") print; next
        }
        mine && out' "$XML" | sed 's/^/    /'
}

main()
{
    local p name time why

    ls "$TESTS_DIR"
    bash /test/run-tools-tests "$TESTS_DIR" "$XML" >"$OUT" 2>&1
    testcases >/tmp/testcases
    while IFS='	' read -r name time why
    do
        if [ -z "$why" ]
        then
            case_line PASS "${name##*/}" "$time"
        else
            output "$name"
            case_line FAIL "${name##*/}" "$time" "$why"
        fi
    done </tmp/testcases
    for p in $(ls "$TESTS_DIR")
    do
        grep -q "^$TESTS_DIR/$p$TAB" /tmp/testcases ||
            case_line FAIL "$p" 0 "not in the runner's JUnit XML ($XML)"
    done
    case_run m2p-compat-checked-pv32-path \
        grep -q "have 32-bit PV: checking the compat list" "$OUT"
    finish
}

main
