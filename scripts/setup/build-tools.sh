#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the toolstack of build/TARGET/xen (or of the tree given as $1): the
# directories of TOOLS_DIRS, configured with TOOLS_CONFIGURE (Config.mk).
# configure runs again only when its options change (stamp tools-config),
# make only when the tree or the options do (stamp tools).

set -eu
. "$(dirname "$0")/../lib.sh"

main()
{
    local tree=${1:-$TREE} opts d key

    opts=$(config TOOLS_CONFIGURE)
    if [ ! -f "$tree/config/Tools.mk" ] ||
       ! stamp_ok "$tree" tools-config "$opts"
    then
        say "configuring the tools"
        # shellcheck disable=SC2086
        (cd "$tree" && run_logged "$LOGS/configure.log" "tools configure" \
            ./configure $opts)
        stamp_set "$tree" tools-config "$opts"
    fi
    key=$(tree_key "$tree" . "$opts" "$(config TOOLS_DIRS)" "$CC" "$(gcc --version)")
    if stamp_ok "$tree" tools "$key"
    then
        return 0
    fi
    for d in $(config TOOLS_DIRS)
    do
        # The series adds some of them: a tree of an earlier patch (see
        # check-series.sh) has not got them yet.
        if [ ! -f "$tree/tools/$d/Makefile" ]
        then
            say "skipping tools/$d: not in this tree"
            continue
        fi
        say "building tools/$d"
        run_logged "$LOGS/build-tools-${d//\//-}.log" "build of tools/$d" \
            make -C "$tree/tools/$d" -j"$(nproc)" CC="$CC"
    done
    stamp_set "$tree" tools "$key"
}

main "$@"
