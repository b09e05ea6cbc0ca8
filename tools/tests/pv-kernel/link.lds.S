/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Linker script of a PV test kernel (preprocessed once per environment).
 * Loaded at 1MiB of a region that starts at virtual address 0 (see the
 * VIRT_BASE note in head.S); the notes are in a PT_NOTE segment so that
 * Xen's ELF loader finds them.
 */
#ifdef __x86_64__
OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
#else
OUTPUT_FORMAT("elf32-i386")
OUTPUT_ARCH(i386)
#endif
ENTRY(_start)

PHDRS
{
    text PT_LOAD FLAGS(5);      /* r-x */
    data PT_LOAD FLAGS(6);      /* rw- */
    note PT_NOTE FLAGS(4);
}

SECTIONS
{
    . = 0x100000;

    .text : {
        *(.text)
        *(.text.*)
    } :text

    .rodata : {
        *(.rodata)
        *(.rodata.*)
    } :text

    .note.Xen : {
        *(.note.Xen)
    } :text :note

    . = ALIGN(4096);

    .data : {
        *(.data)
        *(.data.*)
    } :data

    .bss : {
        *(.bss)
        *(.bss.*)
        *(COMMON)
        . = ALIGN(4096);
    } :data

    _end = .;

    /DISCARD/ : {
        *(.comment)
        *(.eh_frame)
        *(.note.gnu.property)
        *(.note.GNU-stack)
    }
}
