#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the XTF tests of the series (XTF_TESTS, Config.mk) in XTF's
# patched tree, build/xtf/xtf (or the tree given as $1), with ccache, and
# install them for the test dom0, with the xl configs XTF generates, as
# build/xtf/dom0.cpio: /xtf/tests/NAME/test-ENV-NAME{,.cfg}.

set -eu
. "$(dirname "$0")/../lib.sh"
scope xtf

main()
{
    local tree=${1:-$TREE} log=$LOGS/build-xtf.log key
    local root=$SBUILD/dom0

    key=$(tree_key "$tree" . "$(config XTF_TESTS)" "$CC" "$(gcc --version)")
    if [ -f "$SBUILD/dom0.cpio" ] && stamp_ok "$tree" xtf "$key"
    then
        return 0
    fi
    say "building XTF tests: $(config XTF_TESTS) (log: $log)"
    CCACHE_BASEDIR=$SBUILD run_logged "$log" "XTF build" \
        make -C "$tree" -j"$(nproc)" CC="$CC" TESTS="$(config XTF_TESTS)"
    # The configs name the kernels by xtfdir: generate them for /xtf.
    rm -rf "$root"
    rm -f "$tree"/tests/*/test-*.cfg
    run_logged "$LOGS/install-xtf.log" "XTF install" \
        make -C "$tree" install TESTS="$(config XTF_TESTS)" \
        DESTDIR="$root" xtfdir=/xtf
    (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) \
        >"$SBUILD/dom0.cpio"
    stamp_set "$tree" xtf "$key"
}

main "$@"
