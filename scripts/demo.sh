#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The main job: build the patched Xen and its toolstack (TARGET=staging,
# the default, or 4.17), boot them under QEMU and show what the series
# does, as dom0 sees it.
#
# Environment (In): TARGET, and what setup.sh and the boots read
# (scripts/setup.sh, scripts/harness/boot.sh).

set -eu
. "$(dirname "$0")/lib.sh"
. "$TOP/scripts/harness/boot.sh"

main()
{
    "$TOP/scripts/setup.sh"
    say "the series, in $TREE:"
    git -C "$TREE" log --oneline base..series >&2
    say "booting Xen under QEMU (serial log: $LOGS/boot-demo.log)"
    if ! dom0_boot demo "$TOP/scripts/dom0/main-job.sh"
    then
        dom0_output demo
        die "the demo boot failed; serial log: $LOGS/boot-demo.log"
    fi
    say "what dom0 saw:"
    dom0_output demo
}

main "$@"
