#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the XTF tests of the series (XTF_TESTS, Config.mk) in XTF's
# patched tree, build/xtf/xtf (or the tree given as $1), with ccache.

set -eu
. "$(dirname "$0")/lib.sh"
xtf_scope

main()
{
    local tree=${1:-$BUILD/xtf/xtf} log=$LOGS/build-xtf.log

    say "building XTF tests: $(config XTF_TESTS) (log: $log)"
    CCACHE_BASEDIR=$BUILD/xtf run_logged "$log" "XTF build" \
        make -C "$tree" -j"$(nproc)" CC="$CC" TESTS="$(config XTF_TESTS)"
}

main "$@"
