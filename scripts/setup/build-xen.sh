#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the hypervisor of build/TARGET/xen (or of the tree given as $1) with
# defconfig plus XEN_KCONFIG from Config.mk.  Incremental: .config is
# regenerated only when the wanted options change (stamp xen-config), the
# build runs only when the hypervisor's sources or options do (stamp xen).

set -eu
. "$(dirname "$0")/../lib.sh"

configure()
{
    local tree=$1 opts=$2 o log=$LOGS/configure-xen.log

    say "configuring the hypervisor: defconfig + $opts (log: $log)"
    run_logged "$log" "hypervisor defconfig" make -C "$tree/xen" defconfig
    for o in $opts
    do
        printf '%s\n' "$o" >>"$tree/xen/.config"
    done
    # Kconfig warns that the options above override defconfig's: logged.
    run_logged "$log.old" "hypervisor olddefconfig" \
        make -C "$tree/xen" olddefconfig
    for o in $opts
    do
        case $o in
        *=n) grep -qx "# ${o%=n} is not set" "$tree/xen/.config" ;;
        *) grep -qx "$o" "$tree/xen/.config" ;;
        esac || die "hypervisor .config does not hold $o after olddefconfig"
    done
}

main()
{
    local tree=${1:-$TREE} opts log key

    opts=$(config XEN_KCONFIG)
    if [ ! -f "$tree/xen/.config" ] || ! stamp_ok "$tree" xen-config "$opts"
    then
        configure "$tree" "$opts"
        stamp_set "$tree" xen-config "$opts"
    fi
    key=$(tree_key "$tree" xen "$opts" "$CC" "$(gcc --version)")
    if [ -f "$tree/xen/xen" ] && stamp_ok "$tree" xen "$key"
    then
        return 0
    fi
    log=$LOGS/build-xen.log
    say "building the hypervisor (log: $log)"
    run_logged "$log" "hypervisor build" \
        make -C "$tree/xen" -j"$(nproc)" CC="$CC"
    [ -f "$tree/xen/xen" ] || die "hypervisor build left no xen/xen"
    stamp_set "$tree" xen "$key"
}

main "$@"
