#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Everything the main job and the tests need for TARGET (default
# staging), each step incremental (its stamp, see lib.sh):
#   setup.sh        every step, in order;
#   setup.sh STEP   the steps up to STEP (the Makefile's targets);
#   setup.sh --list the names of the steps.
# The steps are listed once, in order, by steps below: the Debian
# packages, the target's base, its patched tree, the hypervisor, XTF's
# base, its patched tree and the XTF tests of the series (XTF is shared
# by the targets; with the hypervisor, all that an XTF boot needs), the
# toolstack, the test dom0.
#
# Environment (In): lib.sh's; XEN_SRC, XTF_SRC, BASES_DIR (fetch-base.sh);
# Config.mk's build options (XEN_KCONFIG, TOOLS_CONFIGURE, TOOLS_DIRS,
# XTF_TESTS, DOM0_KERNEL_PACKAGE).

set -eu

# steps: "NAME SCRIPT [ARG]", one a line, in the order they run.
steps()
{
    cat <<'EOF_STEPS'
deps     deps.sh
base     fetch-base.sh
tree     mk-tree.sh
xen      build-xen.sh
xtf-base fetch-base.sh xtf
xtf-tree mk-tree.sh xtf
xtf      build-xtf.sh
tools    build-tools.sh
dom0     mk-dom0.sh
EOF_STEPS
}

# The names of the steps, for the Makefile: before lib.sh, which makes
# the log directory.
if [ "${1:-}" = --list ]
then
    steps | cut -d' ' -f1 | paste -sd' '
    exit 0
fi
. "$(dirname "$0")/lib.sh"

main()
{
    local last=${1:-} name script arg

    [ -z "$last" ] || steps | grep -q "^$last " ||
        die "no set-up step '$last'; the steps: $("$0" --list)"
    while read -r name script arg
    do
        # shellcheck disable=SC2086 # $arg: none or one word
        "$TOP/scripts/setup/$script" $arg
        [ "$name" != "$last" ] || break
    done < <(steps)
}

main "$@"
