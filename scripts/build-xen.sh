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
    local tree=$1 opts=$2 stamp=$3 o

    say "configuring the hypervisor: defconfig + $opts"
    make -C "$tree/xen" -s defconfig >/dev/null
    for o in $opts
    do
        printf '%s\n' "$o" >>"$tree/xen/.config"
    done
    make -C "$tree/xen" -s olddefconfig >/dev/null
    for o in $opts
    do
        case $o in
        *=n) grep -qx "# ${o%=n} is not set" "$tree/xen/.config" ;;
        *) grep -qx "$o" "$tree/xen/.config" ;;
        esac || die "hypervisor .config does not hold $o after olddefconfig"
    done
    printf '%s\n' "$opts" >"$stamp"
}

main()
{
    local tree=${1:-$TREE} opts log stamp

    opts=$(config XEN_KCONFIG)
    stamp=$(git -C "$tree" rev-parse --absolute-git-dir)/m2p-kconfig
    if [ ! -f "$tree/xen/.config" ] ||
       [ "$(cat "$stamp" 2>/dev/null)" != "$opts" ]
    then
        configure "$tree" "$opts" "$stamp"
    fi
    log=$LOGS/build-xen.log
    say "building the hypervisor (log: $log)"
    run_logged "$log" "hypervisor build" \
        make -C "$tree/xen" -j"$(nproc)" ${M2P_CC:+CC="$M2P_CC"}
    [ -f "$tree/xen/xen" ] || die "hypervisor build left no xen/xen"
}

main "$@"
