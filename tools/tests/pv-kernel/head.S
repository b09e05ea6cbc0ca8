/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry point, ELF notes for Xen's PV domain builder, hypercall page and
 * boot stack of a PV test kernel (64-bit, or 32-bit PAE).
 *
 * The builder starts us on its own stack with the virtual address of the
 * start_info page in %rsi / %esi, and the initial region mapped at
 * VIRT_BASE (0) + pfn * 4k.
 */
#include <public/elfnote.h>

#ifdef __x86_64__
# define WORD .quad
#else
# define WORD .long
#endif

/* One note of type @type whose descriptor is the directive @desc. */
#define ELFNOTE(type, desc...)                  \
    .pushsection .note.Xen, "a", @note;         \
    .balign 4;                                  \
    .long 2f - 1f;                              \
    .long 4f - 3f;                              \
    .long type;                                 \
1:  .asciz "Xen";                               \
2:  .balign 4;                                  \
3:  desc;                                       \
4:  .balign 4;                                  \
    .popsection

ELFNOTE(XEN_ELFNOTE_GUEST_OS, .asciz "pv-test-kernel")
ELFNOTE(XEN_ELFNOTE_LOADER, .asciz "generic")
ELFNOTE(XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0")
ELFNOTE(XEN_ELFNOTE_VIRT_BASE, WORD 0)
ELFNOTE(XEN_ELFNOTE_PADDR_OFFSET, WORD 0)
ELFNOTE(XEN_ELFNOTE_ENTRY, WORD _start)
ELFNOTE(XEN_ELFNOTE_HYPERCALL_PAGE, WORD hypercall_page)
#ifndef __x86_64__
ELFNOTE(XEN_ELFNOTE_PAE_MODE, .asciz "yes")
#endif

        .text
        .globl _start
_start:
#ifdef __x86_64__
        lea     boot_stack_top(%rip), %rsp
        mov     %rsi, %rdi
        call    kernel_start
#else
        mov     $boot_stack_top, %esp
        sub     $12, %esp               /* 16-byte aligned at the call */
        push    %esi
        call    kernel_start
#endif
        ud2

        /* Xen writes one 32-byte stub per hypercall into this page. */
        .section .text.hypercall_page, "ax", @progbits
        .balign 4096
        .globl hypercall_page
hypercall_page:
        .fill 4096, 1, 0xcc
        .size hypercall_page, . - hypercall_page

        .bss
        .balign 4096
boot_stack:
        .skip 4 * 4096
boot_stack_top:

        .section .note.GNU-stack, "", @progbits
