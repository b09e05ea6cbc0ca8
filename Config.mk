# SPDX-License-Identifier: GPL-2.0-only
#
# Pinned bases and build options of the series.  Included by the Makefile
# and read by scripts/lib.sh: plain "VAR = value" lines only.  A value
# that differs between the targets is given as VAR.staging / VAR.4.17;
# the environment wins over either (VAR=... scripts/...).
#
# Targets (TARGET=..., default staging):
#   staging  the series for Xen's development branch, the primary one;
#   4.17     its backport to Debian 12's xen 4.17.5 (what a stable tree or
#            a distribution would take).
TARGETS = staging 4.17

# Where the bases may already be, as files named as below (a directory
# of tarballs; default ../shared/bases next to this repository, when it
# exists).  Set BASES_DIR= to another one, or to nothing to skip it.
BASES_DIR = ../shared/bases

# Upstream staging, at a pinned commit.  Obtained, in this order, from
# XEN_SRC (a git clone of xen.git holding the commit), BASES_DIR (a
# `git archive` tarball, checked against its sha256) or upstream's
# repository (checked by commit id).
XEN_COMMIT.staging = c447b7308b1330ec6dcfef37220736c28f41daa0
XEN_ARCHIVE.staging = xen-c447b7308b.tar.xz
XEN_ARCHIVE_SHA256.staging = 4715b9580b23308bf362a1cbc21822611f15d3b0c339da487f4c67bcf479bd7d
XEN_GIT_URL = https://xenbits.xen.org/git-http/xen.git
XEN_BASE_VERSION.staging = 4.23-unstable

# Debian 12's xen source package, for the 4.17 backport.  Obtained from
# XEN_SRC (a 4.17.5 tree), BASES_DIR (the orig tarball) or the machine's
# Debian mirror (apt-get source); the orig tarball is checked against its
# sha256.  The upstream stable-4.17 commit it packages: 4.17.5+72-g01140da4e8.
XEN_DEB_PACKAGE.4.17 = xen
XEN_DEB_VERSION.4.17 = 4.17.5+72-g01140da4e8-1
XEN_ARCHIVE.4.17 = xen_4.17.5+72-g01140da4e8.orig.tar.xz
XEN_ARCHIVE_SHA256.4.17 = 53922f4d0a02c577f2ea9d63f65989cd88715779eebeed879ca1d314103ee06e
XEN_COMMIT.4.17 = 01140da4e8
XEN_BASE_VERSION.4.17 = 4.17.5

# XTF, the Xen Test Framework: the hypercall tests and the guest that is
# migrated are XTF tests (patches/xtf).  Obtained like the staging base,
# from XTF_SRC, BASES_DIR or upstream's repository.
XTF_COMMIT = 453490df6f65fb503a39b1bddf0093441eece9ae
XTF_ARCHIVE = xtf-453490d.tar.gz
XTF_ARCHIVE_SHA256 = ca24c71f66c18f4d5c97d46837117f5932ef188446058632237584daba746e28
XTF_GIT_URL = https://xenbits.xen.org/git-http/xtf.git

# Debian kernel used as dom0 of the system tests (apt-get download).
DOM0_KERNEL_PACKAGE = linux-image-amd64

# QEMU settings that are known to boot a PV dom0 under TCG.  QEMU_ACCEL:
# kvm, tcg, or auto: KVM where the host's KVM is VMX or SVM with nested
# virtualisation on, else TCG (see qemu_accel in scripts/lib.sh).
QEMU_ACCEL = auto
QEMU_MACHINE = q35
QEMU_CPU = qemu64
QEMU_MEM = 2048
QEMU_SMP = 2
XEN_CMDLINE = console=com1 com1=115200,8n1 dom0_mem=512M loglvl=all guest_loglvl=all console_timestamps=boot

# Hypervisor configuration on top of defconfig: 32-bit PV (defconfig
# leaves it off, and with it the compat M2P), a debug build, so that
# ASSERT()s are live in the tested hypervisor, and on staging shadow
# paging, without which no PV guest can be live migrated (log-dirty).
XEN_KCONFIG.staging = CONFIG_PV32=y CONFIG_DEBUG=y CONFIG_SHADOW_PAGING=y
XEN_KCONFIG.4.17 = CONFIG_PV32=y CONFIG_DEBUG=y

# Toolstack configuration: only what the dom0 of the tests runs.
TOOLS_CONFIGURE = PYTHON=/usr/bin/python3 --disable-stubdom --disable-qemu-traditional --disable-rombios --disable-seabios --disable-ipxe --disable-ocamltools --disable-docs --disable-golang --with-system-qemu=/usr/bin/qemu-system-i386 --disable-pvshim
# Built in this order (tools/include must come first).
TOOLS_DIRS.staging = include libs xl xenstored xs-clients console helpers misc tests/m2p-compat tests/m2p-mfn-list tests/pv-save
TOOLS_DIRS.4.17 = include libs xl xenstore console helpers misc tests/m2p-compat tests/pv-save

# Xen's command line for the boots of XTF tests (run as dom0 by Xen's
# automation/scripts/qemu-xtf.sh); a small dom0 boots faster.
XTF_XEN_CMDLINE = console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all console_timestamps=boot dom0_mem=64M bootscrub=false
# The XTF tests the driver builds and runs (XTF's TESTS=).
XTF_TESTS = tests/machphys-mfn-list tests/pv-migrate

# The subject prefix of the mails (make series).
SERIES_PREFIX.staging = PATCH v3
SERIES_PREFIX.4.17 = PATCH 4.17 v3
