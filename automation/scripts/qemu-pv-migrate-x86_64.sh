#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Save, restore and live migration of 32-bit and 64-bit PV guests (QEMU).
#
# Boots Xen with a Linux dom0 and the tools from binaries/ (xen, bzImage,
# rootfs.cpio.gz, xen-tools.cpio.gz, as qemu-alpine-x86_64.sh does).  In
# dom0, XTF's pv-migrate guest, pv32pae then pv64, is created, saved and
# restored, then live migrated to localhost.  After each resume the guest
# checks its memory, its pagetables and (pv32pae) Xen's slots in them, and
# says "pv-migrate: resume N: OK" on its console.  PASSED is printed only
# when every step passed; otherwise the failed step is named and dom0
# reboots, which ends QEMU.
#
# XTF is built as qemu-xtf.sh builds it (include/xtf-runner): in
# automation/scripts/xtf-x86_64 if that exists, else cloned there from
# XTF_SRC_URI at XTF_SRC_BRANCH.  Xen needs CONFIG_PV32 (pv32pae guests)
# and CONFIG_SHADOW_PAGING (log-dirty for the live migration of PV guests).
#
# Optional environment variables:
#   QEMU_BOOT: "ipxe" (default: Xen and dom0 fetched by iPXE from
#     binaries/, as qemu-alpine-x86_64.sh does) or "kernel" (QEMU's own
#     multiboot loader: -kernel, -initrd).
#   QEMU_MEM, QEMU_MACHINE: QEMU's -m (default 2048) and -machine (default
#     QEMU's own).
#   XEN_CMDLINE: Xen's command line (console on com1, dom0_mem=512M).
#   DOM0_EXTRA_TEST: a command in dom0's rootfs run after the steps, which
#     must succeed too.
#   WORKDIR: where the binaries are, and the boot's files go (default
#     binaries/, as for qemu-xtf.sh).
#   TEST_LOG, TEST_TIMEOUT, TEST_TIMEOUT_OVERRIDE: see console.exp.

set -ex -o pipefail

export ARCH=x86_64
export XEN_ROOT="${PWD}"
WORKDIR="${WORKDIR:-${XEN_ROOT}/binaries}"
XTF_GUEST_DIR=/xtf/tests/pv-migrate
QEMU_BOOT="${QEMU_BOOT:-ipxe}"
XEN_CMDLINE="${XEN_CMDLINE:-console=com1 com1=115200,8n1 dom0_mem=512M loglvl=all guest_loglvl=all console_timestamps=boot}"
DOM0_CMDLINE="console=hvc0 earlyprintk=xen"
DOM0_EXTRA_TEST="${DOM0_EXTRA_TEST:-}"
PASSED="pv-migrate-test: all steps passed"

# Build XTF's pv-migrate guest for pv32pae and pv64 as qemu-xtf.sh
# does, and install the kernels with their xl configs under ROOT.
# $1 ROOT
function build_xtf_guests()
{
    local root=$1/${XTF_GUEST_DIR}
    local v

    mkdir -p "${root}"
    (
        cd automation/scripts
        source include/xtf-runner
        source include/xtf-x86_64
        xtf_arch_prepare
        for v in pv32pae pv64; do
            xtf_build_test "${v}" pv-migrate
            cp "${XTF_BINARY}" "${root}/"
            # XTF's config names the kernel by its install path: name it
            # by where dom0 has it.
            { cat "${XTF_BINARY}.cfg"
              echo "kernel=\"${XTF_GUEST_DIR}/${XTF_BINARY##*/}\""
            } > "${root}/${XTF_BINARY##*/}.cfg"
        done
    )
}

# The steps dom0 runs, for each guest; each one names itself on failure.
function write_dom0_test()
{
    cat > "$1" <<EOF
#!/bin/bash

XTF=${XTF_GUEST_DIR}
LOGDIR=/var/log/xen/console
EOF
    cat >> "$1" <<'EOF'
FAILED=

console_log()
{
    cat "$LOGDIR/guest-$1.log" "$LOGDIR/guest-$1--incoming.log" \
        2>/dev/null | tr -d '\r'
}

# Wait for the guest's "pv-migrate: $2: OK"; fail on its FAILURE line.
# One grep a round: a fork is slow under emulation.
guest_says_ok()
{
    local i out logs="$LOGDIR/guest-$1.log $LOGDIR/guest-$1--incoming.log"

    for i in $(seq 240); do
        out=$(grep -hs "^pv-migrate: $2: " $logs | tr -d '\r')
        case $out in
        *"pv-migrate: $2: FAILURE"*) echo "$out"; return 1 ;;
        *"pv-migrate: $2: OK") return 0 ;;
        esac
        sleep 0.5
    done
    return 1
}

# The guest answers suspend requests only once it said so in xenstore.
suspend_capable()
{
    local i id

    id=$(xl domid "$1") || return 1
    for i in $(seq 240); do
        [ "$(xenstore-read /local/domain/$id/control/feature-suspend \
             2>/dev/null)" = 1 ] && return 0
        sleep 0.5
    done
    return 1
}

test_result()
{
    console_log "$1" | grep -qx "Test result: SUCCESS"
}

# step ENV WHAT CMD...: run CMD; the first failure ends the guest's steps.
step()
{
    local env=$1 what=$2 start rc
    shift 2

    [ -z "$FAILED" ] || return 0
    read -r start rest </proc/uptime
    "$@" > /tmp/step.out 2>&1 && rc=0 || rc=$?
    read -r end rest </proc/uptime
    if [ $rc = 0 ]; then
        echo "pv-migrate-test: $env: $what: ok (${start}s..${end}s)"
    else
        FAILED="$env: $what"
        sed 's/^/    /' /tmp/step.out
        echo "pv-migrate-test: FAILED: $env: $what (exit $rc)"
    fi
}

for env in pv32pae pv64; do
    name=pv-migrate-$env
    FAILED=
    rm -f $LOGDIR/guest-$name*.log
    step $env "xl create" xl create $XTF/test-$env-pv-migrate.cfg \
        "name=\"$name\""
    step $env "guest's check at boot" guest_says_ok $name boot
    step $env "guest suspendable" suspend_capable $name
    step $env "xl save" xl save $name /tmp/$name.save
    step $env "xl restore" xl restore /tmp/$name.save
    step $env "guest's check after restore" guest_says_ok $name "resume 1"
    step $env "xl migrate" xl migrate -s "" $name "xl migrate-receive"
    step $env "guest's check after migrate" guest_says_ok $name "resume 2"
    step $env "xl shutdown" xl shutdown -w $name
    step $env "guest's test result" test_result $name
    rm -f /tmp/$name.save
    if [ -n "$FAILED" ]; then
        echo "console of $name:"
        console_log $name | sed 's/^/    /'
        xl destroy $name 2>/dev/null
        exit 1
    fi
done
EOF
    chmod +x "$1"
}

# dom0's local start script: the toolstack, the steps, the verdict.
function write_start_script()
{
    cat > "$1" <<EOF
#!/bin/bash

XENCONSOLED_TRACE=guest bash /etc/init.d/xencommons start
xl list
if /root/pv-migrate-test ${DOM0_EXTRA_TEST:+&& ${DOM0_EXTRA_TEST}}; then
    echo "${PASSED}"
else
    echo "pv-migrate-test: FAILED"
fi
reboot -f
EOF
    chmod +x "$1"
}

# dom0's initramfs: the rootfs, the tools, then this test's files.
cp "${WORKDIR}/rootfs.cpio.gz" "${WORKDIR}/dom0-rootfs.cpio.gz"
cat "${WORKDIR}/xen-tools.cpio.gz" >> "${WORKDIR}/dom0-rootfs.cpio.gz"
rm -rf "${WORKDIR}/rootfs"
mkdir -p "${WORKDIR}/rootfs/root" "${WORKDIR}/rootfs/etc/local.d"
build_xtf_guests "${WORKDIR}/rootfs"
write_dom0_test "${WORKDIR}/rootfs/root/pv-migrate-test"
write_start_script "${WORKDIR}/rootfs/etc/local.d/xen.start"
(cd "${WORKDIR}/rootfs" && find . | cpio -R 0:0 -H newc -o | gzip) \
    >> "${WORKDIR}/dom0-rootfs.cpio.gz"

TEST_CMD="qemu-system-x86_64 \
    -cpu qemu64 \
    -m ${QEMU_MEM:-2048} ${QEMU_MACHINE:+-machine ${QEMU_MACHINE}} \
    -smp 2 \
    -monitor none -serial stdio \
    -nographic -no-reboot"
case "${QEMU_BOOT}" in
ipxe)
    cat > "${WORKDIR}/pxelinux.0" <<EOF
#!ipxe

kernel xen ${XEN_CMDLINE}
module bzImage ${DOM0_CMDLINE}
module dom0-rootfs.cpio.gz
boot
EOF
    TEST_CMD+=" -device virtio-net-pci,netdev=n0 \
        -netdev user,id=n0,tftp=${WORKDIR},bootfile=/pxelinux.0"
    ;;
kernel)
    TEST_CMD+=" -kernel ${WORKDIR}/xen -append \"${XEN_CMDLINE}\" \
        -initrd \"${WORKDIR}/bzImage ${DOM0_CMDLINE},${WORKDIR}/dom0-rootfs.cpio.gz\""
    ;;
*)
    echo "QEMU_BOOT=${QEMU_BOOT}: neither ipxe nor kernel" >&2
    exit 1
    ;;
esac

# Run the test
export TEST_CMD
export TEST_LOG="${TEST_LOG:-${XEN_ROOT}/smoke.serial}"
export BOOT_MSG="Latest ChangeSet: "
export LOG_MSG="Domain-0"
export PASSED
rm -f "${TEST_LOG}"

./automation/scripts/console.exp |& sed 's/\r\+$//'
