#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Everything the main job and the tests need for TARGET (default
# staging), each step incremental: packages, the base, the patched tree,
# the hypervisor, the toolstack, the test dom0, XTF and its tests (shared
# by the targets), and the PV test kernels.

set -eu
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/deps.sh"
"$TOP/scripts/fetch-base.sh"
"$TOP/scripts/mk-tree.sh"
"$TOP/scripts/build-xen.sh"
"$TOP/scripts/build-tools.sh"
"$TOP/scripts/mk-dom0.sh"
"$TOP/scripts/fetch-base.sh" xtf
"$TOP/scripts/mk-tree.sh" xtf
"$TOP/scripts/build-xtf.sh"
if [ -f "$TREE/tools/tests/pv-kernel/Makefile" ]
then
    say "building the PV test kernels"
    run_logged "$LOGS/build-pv-kernel.log" "build of tools/tests/pv-kernel" \
        make -C "$TREE/tools/tests/pv-kernel"
fi
