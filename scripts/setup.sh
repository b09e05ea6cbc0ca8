#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Everything the main job and the tests need for TARGET (default
# staging), each step incremental: packages, the base, the patched tree,
# the hypervisor, the toolstack, the test dom0, and XTF with the tests of
# the series (shared by the targets).
#
# Environment (In): lib.sh's; XEN_SRC, XTF_SRC, BASES_DIR (fetch-base.sh);
# Config.mk's build options (XEN_KCONFIG, TOOLS_CONFIGURE, TOOLS_DIRS,
# XTF_TESTS, DOM0_KERNEL_PACKAGE).

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
