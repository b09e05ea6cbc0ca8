/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypercalls through the hypercall page Xen fills in at boot (ELF note
 * XEN_ELFNOTE_HYPERCALL_PAGE): the stub for hypercall N is at offset N * 32.
 *
 * 64-bit PV: arguments in rdi, rsi, rdx, r10, r8; the stub uses syscall,
 * which clobbers rcx and r11.  32-bit PV: arguments in ebx, ecx, edx, esi,
 * edi.  A debug hypervisor deliberately corrupts the argument registers a
 * hypercall used, so they are all treated as clobbered here.
 */
#ifndef PV_KERNEL_HYPERCALL_H
#define PV_KERNEL_HYPERCALL_H

#include "framework.h"

#include <public/sched.h>

extern uint8_t hypercall_page[PAGE_SIZE];

static inline long hypercall(unsigned int nr, unsigned long a1,
                             unsigned long a2, unsigned long a3,
                             unsigned long a4, unsigned long a5)
{
    const void *stub = hypercall_page + nr * 32;
    long rc;

#ifdef __x86_64__
    register unsigned long r10 asm ("r10") = a4;
    register unsigned long r8 asm ("r8") = a5;

    asm volatile ( "call *%[stub]"
                   : "=a" (rc), "+D" (a1), "+S" (a2), "+d" (a3),
                     "+r" (r10), "+r" (r8)
                   : [stub] "rm" (stub)
                   : "memory", "rcx", "r9", "r11" );
#else
    asm volatile ( "call *%[stub]"
                   : "=a" (rc), "+b" (a1), "+c" (a2), "+d" (a3),
                     "+S" (a4), "+D" (a5)
                   : [stub] "m" (stub)
                   : "memory" );
#endif

    return rc;
}

static inline long HYPERVISOR_set_trap_table(const trap_info_t *traps)
{
    return hypercall(__HYPERVISOR_set_trap_table,
                     (unsigned long)traps, 0, 0, 0, 0);
}

static inline long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
    return hypercall(__HYPERVISOR_memory_op, cmd, (unsigned long)arg,
                     0, 0, 0);
}

static inline long HYPERVISOR_xen_version(unsigned int cmd, void *arg)
{
    return hypercall(__HYPERVISOR_xen_version, cmd, (unsigned long)arg,
                     0, 0, 0);
}

static inline long HYPERVISOR_console_io(unsigned int cmd, unsigned int count,
                                         const char *buf)
{
    return hypercall(__HYPERVISOR_console_io, cmd, count,
                     (unsigned long)buf, 0, 0);
}

static inline long HYPERVISOR_sched_op(unsigned int cmd, void *arg)
{
    return hypercall(__HYPERVISOR_sched_op, cmd, (unsigned long)arg,
                     0, 0, 0);
}

/* The new PTE is one 64-bit argument, or two 32-bit halves (lo, hi). */
static inline long HYPERVISOR_update_va_mapping(unsigned long va,
                                                uint64_t pte,
                                                unsigned long flags)
{
#ifdef __x86_64__
    return hypercall(__HYPERVISOR_update_va_mapping, va, pte, flags, 0, 0);
#else
    return hypercall(__HYPERVISOR_update_va_mapping, va, (uint32_t)pte,
                     (uint32_t)(pte >> 32), flags, 0);
#endif
}

static inline long HYPERVISOR_update_va_mapping_otherdomain(
    unsigned long va, uint64_t pte, unsigned long flags, domid_t domid)
{
#ifdef __x86_64__
    return hypercall(__HYPERVISOR_update_va_mapping_otherdomain,
                     va, pte, flags, domid, 0);
#else
    return hypercall(__HYPERVISOR_update_va_mapping_otherdomain,
                     va, (uint32_t)pte, (uint32_t)(pte >> 32), flags, domid);
#endif
}

static inline long HYPERVISOR_mmu_update(const struct mmu_update *req,
                                         unsigned int count,
                                         unsigned int *done, domid_t domid)
{
    return hypercall(__HYPERVISOR_mmu_update, (unsigned long)req, count,
                     (unsigned long)done, domid, 0);
}

static inline long HYPERVISOR_mmuext_op(const struct mmuext_op *op,
                                        unsigned int count,
                                        unsigned int *done, domid_t domid)
{
    return hypercall(__HYPERVISOR_mmuext_op, (unsigned long)op, count,
                     (unsigned long)done, domid, 0);
}

static inline long HYPERVISOR_event_channel_op(unsigned int cmd, void *arg)
{
    return hypercall(__HYPERVISOR_event_channel_op, cmd, (unsigned long)arg,
                     0, 0, 0);
}

/*
 * SCHEDOP_shutdown(SHUTDOWN_suspend) of a PV guest: the toolstack finds the
 * MFN of the start_info page in the third argument register (edx / rdx)
 * of the suspended vCPU 0.  Returns 0 when resumed in a new domain, 1 when
 * the suspend was cancelled (resumed where it was).
 */
static inline long HYPERVISOR_suspend(unsigned long start_info_mfn)
{
    struct sched_shutdown arg = { .reason = SHUTDOWN_suspend };

    return hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
                     (unsigned long)&arg, start_info_mfn, 0, 0);
}

#endif /* PV_KERNEL_HYPERCALL_H */
