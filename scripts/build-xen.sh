#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the hypervisor of $BUILD/xen (or of the tree given as $1) with
# defconfig plus XEN_KCONFIG from Config.mk.  Incremental: .config is
# regenerated only when the wanted options change.

set -eu
. "$(dirname "$0")/lib.sh"

configure()
{
    local tree=$1 opts=$2 o

    say "configuring the hypervisor: defconfig + $opts"
    make -C "$tree/xen" -s defconfig >/dev/null
    for o in $opts
    do
        printf '%s\n' "$o" >>"$tree/xen/.config"
    done
    make -C "$tree/xen" -s olddefconfig >/dev/null
    for o in $opts
    do
        grep -qx "$o" "$tree/xen/.config" ||
            die "hypervisor .config does not hold $o after olddefconfig"
    done
    printf '%s\n' "$opts" >"$tree/xen/.config.m2p-stamp"
}

main()
{
    local tree=${1:-$TREE} opts log

    opts=$(config XEN_KCONFIG)
    if [ ! -f "$tree/xen/.config" ] ||
       [ "$(cat "$tree/xen/.config.m2p-stamp" 2>/dev/null)" != "$opts" ]
    then
        configure "$tree" "$opts"
    fi
    log=$LOGS/build-xen.log
    say "building the hypervisor (log: $log)"
    run_logged "$log" "hypervisor build" make -C "$tree/xen" -j"$(nproc)"
    [ -f "$tree/xen/xen" ] || die "hypervisor build left no xen/xen"
}

main "$@"
