/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Exception entry stubs for vectors 0-31.  A test kernel expects no
 * exception, so every stub only builds a uniform frame
 *     { vector, error code, ip, cs, flags }
 * and hands it to do_trap(), which reports it and ends the test.
 *
 * 64-bit PV: Xen's bounce frame has %rcx and %r11 on top of the hardware
 * frame.  32-bit PV: the kernel runs in ring 1, so there is no stack
 * switch and the frame is the plain hardware one.
 */

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERRCODE(v) \
    ((v) == 8 || (v) == 10 || (v) == 11 || (v) == 12 || (v) == 13 || \
     (v) == 14 || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

        .text
        .macro trap_stub vec
        .balign 16
trap_stub_\vec:
#ifdef __x86_64__
        pop     %rcx
        pop     %r11
#endif
        .if !HAS_ERRCODE(\vec)
        push    $0
        .endif
        push    $\vec
        jmp     trap_common
        .endm

        .irp v, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, \
                16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
        trap_stub \v
        .endr

trap_common:
#ifdef __x86_64__
        mov     %rsp, %rdi
        and     $~15, %rsp
        call    do_trap
#else
        mov     %esp, %eax
        and     $~15, %esp
        sub     $12, %esp
        push    %eax
        call    do_trap
#endif
        ud2

        /* Entry points by vector, for the trap table built in C. */
        .section .rodata
        .balign 8
        .globl trap_stubs
trap_stubs:
        .irp v, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, \
                16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
#ifdef __x86_64__
        .quad   trap_stub_\v
#else
        .long   trap_stub_\v
#endif
        .endr

        .section .note.GNU-stack, "", @progbits
