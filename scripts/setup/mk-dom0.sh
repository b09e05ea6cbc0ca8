#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The dom0 of the system tests:
#   build/kernel/vmlinux      Debian's kernel (apt-get download), uncompressed,
#                             shared by the targets
#   build/kernel/linux64.bz   the same kernel, compressed, for 64-bit domUs
#   build/TARGET/dom0/base.cpio  busybox, the kernel's Xen modules, the
#                             target's toolstack and the host libraries it
#                             needs
#   build/TARGET/dom0/domu.cpio  the 64-bit domUs' initramfs: busybox idling
#                             until suspended
#   build/TARGET/dom0/rootfs.cpio, xen-tools.cpio  base.cpio split in two:
#                             the toolstack alone, and all the rest (the
#                             rootfs.cpio.gz and xen-tools.cpio.gz of a
#                             boot through automation/scripts/
#                             qemu-pv-migrate-x86_64.sh)
# A test adds its own files (at least /test/run) as a second cpio archive
# appended to base.cpio: see dom0_boot in scripts/harness/boot.sh.
# Environment (In): lib.sh's; DOM0_KERNEL_PACKAGE and TOOLS_DIRS
# (Config.mk).

set -eu
. "$(dirname "$0")/../lib.sh"

DL=$BUILD/dl
KERNEL=$BUILD/kernel
OUT=$TBUILD/dom0
DIST=$TBUILD/dist
MODULES="xen-privcmd xen-evtchn xen-gntdev xen-gntalloc xenfs"

# The linux-image-* package the meta package depends on, downloaded once.
kernel_deb()
{
    local meta pkg deb

    deb=$(ls "$DL"/linux-image-*-amd64_*.deb 2>/dev/null | head -n1 || true)
    if [ -n "$deb" ]
    then
        printf '%s\n' "$deb"
        return 0
    fi
    meta=$(config DOM0_KERNEL_PACKAGE)
    pkg=$(apt-cache depends "$meta" 2>/dev/null |
          sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -n1)
    if [ -z "$pkg" ]
    then
        run_logged "$LOGS/apt-update-kernel.log" "apt-get update" apt-get update
        pkg=$(apt-cache depends "$meta" 2>/dev/null |
              sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -n1)
    fi
    [ -n "$pkg" ] || die "cannot resolve $meta to a kernel package (apt-cache depends $meta)"
    say "downloading dom0 kernel $pkg"
    mkdir -p "$DL"
    (cd "$DL" && run_logged "$LOGS/apt-download-kernel.log" \
        "apt-get download $pkg" apt-get download "$pkg")
    ls "$DL"/linux-image-*-amd64_*.deb | head -n1
}

# vmlinux from a bzImage: the first xz stream in it, decompressed.  Xen
# boots either; the uncompressed one saves seconds under TCG.
extract_vmlinux()
{
    local bz=$1 out=$2 off

    off=$(grep -abo "$(printf '\3757zXZ')" "$bz" | head -n1 | cut -d: -f1)
    [ -n "$off" ] || die "no xz stream in $bz"
    tail -c +"$((off + 1))" "$bz" | xz -dcq >"$out" 2>/dev/null || true
    [ "$(head -c4 "$out" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] ||
        die "decompressing $bz gave no ELF image"
}

unpack_kernel()
{
    local deb=$1

    rm -rf "$KERNEL"
    mkdir -p "$KERNEL/deb"
    dpkg -x "$deb" "$KERNEL/deb"
    extract_vmlinux "$KERNEL"/deb/boot/vmlinuz-* "$KERNEL/vmlinux"
    cp "$KERNEL"/deb/boot/vmlinuz-* "$KERNEL/linux64.bz"
    stamp_set "$KERNEL" unpacked "$(basename "$deb")"
}

install_toolstack()
{
    local d

    rm -rf "$DIST"
    for d in $(config TOOLS_DIRS)
    do
        [ "$d" != include ] || continue
        # As in build-tools.sh: the series adds some of them.
        [ -f "$TREE/tools/$d/Makefile" ] || continue
        run_logged "$LOGS/install-${d//\//-}.log" "installing tools/$d" \
            make -C "$TREE/tools/$d" install DESTDIR="$DIST"
    done
    # Headers, static libraries and completions are not needed in dom0.
    rm -rf "$DIST/usr/local/include" "$DIST/etc/bash_completion.d"
    find "$DIST" -name '*.a' -delete
}

# copy_host_libs ROOT: the host's shared libraries that the ELF files in
# ROOT need and ROOT does not have.
copy_host_libs()
{
    local root=$1 f lib

    find "$root" -type f -perm -u+x | while read -r f
    do
        head -c4 "$f" | grep -q ELF || continue
        LD_LIBRARY_PATH=$root/usr/local/lib ldd "$f" 2>/dev/null |
            sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p'
    done | sort -u | while read -r lib
    do
        case $lib in "$root"/*) continue ;; esac
        mkdir -p "$root$(dirname "$lib")"
        cp -L "$lib" "$root$lib"
    done
}

make_root()
{
    local root=$OUT/root m ko a

    rm -rf "$root"
    mkdir -p "$root"/{bin,sbin,dev,proc,sys,run,tmp,etc/xen,lib/modules,var/lib/xen,var/log/xen/console,test}
    ln -s ../run "$root/var/run"
    cp /bin/busybox "$root/bin/busybox"
    # Xen's automation/scripts/run-tools-tests is a bash script.
    cp /bin/bash "$root/bin/bash"
    for a in $(/bin/busybox --list)
    do
        [ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
    done
    cp -a "$DIST/." "$root/"
    for m in $MODULES
    do
        ko=$(find "$KERNEL/deb/lib/modules" -name "$m.ko" | head -n1)
        [ -n "$ko" ] || die "the dom0 kernel has no module $m"
        cp "$ko" "$root/lib/modules/"
    done
    printf '%s\n' "$MODULES" >"$root/etc/modules"
    : >"$root/etc/xen/xl.conf"
    # xl daemonizes with pthread_cancel, which dlopens libgcc_s.
    mkdir -p "$root/lib/x86_64-linux-gnu"
    cp -L /lib/x86_64-linux-gnu/libgcc_s.so.1 "$root/lib/x86_64-linux-gnu/"
    copy_host_libs "$root"
    cp "$TOP/scripts/dom0/init" "$root/init"
    mkdir -p "$root/etc/init.d"
    cp "$TOP/scripts/dom0/xencommons" "$root/etc/init.d/xencommons"
    chmod +x "$root/init" "$root/etc/init.d/xencommons"
    # What counts the bytes of a migration stream in the tests.
    gcc -O2 -static -Wall -Werror -o "$root/bin/countpipe" \
        "$TOP/scripts/dom0/countpipe.c" || die "cannot build countpipe"
    (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$OUT/base.cpio"
    split_root "$root"
}

# split_root ROOT: ROOT as two archives, the toolstack's files (those of
# DIST) in xen-tools.cpio and the rest in rootfs.cpio, which keeps every
# directory (the kernel unpacks no file whose directory is missing).
split_root()
{
    local root=$1

    (cd "$DIST" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) \
        >"$OUT/xen-tools.cpio"
    (cd "$DIST" && find . ! -type d | LC_ALL=C sort) >"$OUT/tools.list"
    (cd "$root" && find . | LC_ALL=C sort |
        LC_ALL=C comm -23 - "$OUT/tools.list" |
        cpio -o -H newc --quiet) >"$OUT/rootfs.cpio"
}

# A 64-bit Linux PV domU that does nothing but answer the toolstack
# (suspend, resume, power-off are the kernel's own).
make_domu()
{
    local root=$OUT/domu

    rm -rf "$root"
    mkdir -p "$root"/{bin,sbin,dev,proc,sys}
    cp /bin/busybox "$root/bin/busybox"
    for a in sh mount sleep echo
    do
        ln -s busybox "$root/bin/$a"
    done
    # The kernel runs /sbin/poweroff when the toolstack asks it to power
    # off (xl shutdown); without it the request is ignored.
    printf '#!/bin/sh\nexec /bin/busybox poweroff -f\n' >"$root/sbin/poweroff"
    chmod +x "$root/sbin/poweroff"
    cp "$TOP/scripts/dom0/domu-init" "$root/init"
    chmod +x "$root/init"
    (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$OUT/domu.cpio"
}

main()
{
    local deb key

    mkdir -p "$OUT"
    deb=$(kernel_deb)
    if [ ! -f "$KERNEL/vmlinux" ] ||
       ! stamp_ok "$KERNEL" unpacked "$(basename "$deb")"
    then
        say "unpacking $(basename "$deb")"
        unpack_kernel "$deb"
    fi
    # What the initramfs is made of: the toolstack's build, this script
    # and dom0's /init, the kernel.
    key=$({ stamp_get "$TREE" tools; stamp_get "$KERNEL" unpacked
            cat "$0" "$TOP/scripts/dom0/"* 2>/dev/null; } |
          sha256sum | cut -d' ' -f1)
    if [ -f "$OUT/base.cpio" ] && [ -f "$OUT/domu.cpio" ] &&
       [ -f "$OUT/rootfs.cpio" ] && stamp_ok "$OUT" dom0 "$key"
    then
        return 0
    fi
    say "making the dom0 initramfs"
    install_toolstack
    make_root
    make_domu
    stamp_set "$OUT" dom0 "$key"
}

main "$@"
