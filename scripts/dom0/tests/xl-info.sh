#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 test: the toolstack talks to the hypervisor, and the hypervisor was
# built with 32-bit PV support (without it there is no compat M2P at all).
#
#: boot xl-info targets=staging

. /test/cases.sh

# caps_32p: xl info works, and xen_caps has xen-3.0-x86_32p.
caps_32p()
{
    local caps

    xl info >/tmp/xl-info || return 1
    cat /tmp/xl-info
    caps=$(sed -n 's/^xen_caps *: //p' /tmp/xl-info)
    case " $caps " in
    *" xen-3.0-x86_32p "*) ;;
    *)
        echo "xen_caps lacks xen-3.0-x86_32p (CONFIG_PV32 off?): '$caps'"
        return 1
        ;;
    esac
}

case_run xen-caps-x86_32p caps_32p
finish
