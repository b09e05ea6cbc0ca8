#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 test: the toolstack talks to the hypervisor, and the hypervisor was
# built with 32-bit PV support (without it there is no compat M2P at all).

set -eu

xl info >/tmp/xl-info
cat /tmp/xl-info
caps=$(sed -n 's/^xen_caps *: //p' /tmp/xl-info)
case " $caps " in
*" xen-3.0-x86_32p "*)
    echo "xen_caps has xen-3.0-x86_32p: 32-bit PV guests are supported"
    ;;
*)
    echo "xen_caps lacks xen-3.0-x86_32p (CONFIG_PV32 off?): '$caps'"
    exit 1
    ;;
esac
