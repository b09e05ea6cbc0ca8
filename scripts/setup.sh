#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Everything the main job and the tests need for TARGET (default
# staging), each step incremental: packages, the base, the patched tree,
# the hypervisor, the toolstack, the test dom0, and XTF with the tests of
# the series (shared by the targets).

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
