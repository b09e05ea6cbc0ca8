# SPDX-License-Identifier: GPL-2.0-only
#
# Pinned base and build options of the series.  Included by the Makefile
# and read by scripts/lib.sh (plain VAR = value lines only).

# Debian's xen source package the series applies to.
XEN_DEB_PACKAGE = xen
XEN_DEB_VERSION = 4.17.5+72-g01140da4e8-1
XEN_ORIG_TARBALL = xen_4.17.5+72-g01140da4e8.orig.tar.xz
XEN_ORIG_SHA256 = 53922f4d0a02c577f2ea9d63f65989cd88715779eebeed879ca1d314103ee06e
# What an existing tree (XEN_SRC=...) must report as its version.
XEN_BASE_VERSION = 4.17.5

# Debian kernel used as dom0 of the system tests (apt-get download).
DOM0_KERNEL_PACKAGE = linux-image-amd64

# QEMU settings that are known to boot a PV dom0 under TCG.
QEMU_MACHINE = q35
QEMU_CPU = qemu64
QEMU_MEM = 2048
QEMU_SMP = 2
XEN_CMDLINE = console=com1 com1=115200,8n1 dom0_mem=512M loglvl=all guest_loglvl=all console_timestamps=boot

# Hypervisor configuration on top of defconfig: 32-bit PV (defconfig
# leaves it off, and with it the compat M2P) and a debug build, so that
# ASSERT()s are live in the tested hypervisor.
XEN_KCONFIG = CONFIG_PV32=y CONFIG_DEBUG=y

# Toolstack configuration: only what the dom0 of the tests runs.
TOOLS_CONFIGURE = PYTHON=/usr/bin/python3 --disable-stubdom --disable-qemu-traditional --disable-rombios --disable-seabios --disable-ipxe --disable-ocamltools --disable-docs --disable-golang --with-system-qemu=/usr/bin/qemu-system-i386 --disable-pvshim
# Built in this order (tools/include must come first).
TOOLS_DIRS = include libs xl xenstore console helpers misc tests/m2p-compat
