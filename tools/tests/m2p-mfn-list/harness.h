/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Unit tests of the M2P MFN list walker: what
 * xen/arch/x86/x86_64/m2p-mfn-list.c uses of the hypervisor, in userspace.
 * The Makefile copies that file with its #include lines blanked and this
 * header included first.
 *
 * Page tables: an entry's frame number names a table of the test's pool
 * (test_table()), so that the walker's L4 -> L3 -> L2 lookups read tables
 * the tests wrote.  The virtual addresses are Xen's own; nothing is ever
 * mapped at them.
 *
 * Guest memory is this process's memory.  A copy to or from the guest
 * fails, as a fault would, when it touches the range the test armed.
 */

#ifndef _TEST_HARNESS_
#define _TEST_HARNESS_

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen-tools/common-macros.h>

/* A hypervisor built with 32-bit PV guest support. */
#define CONFIG_PV32

/*
 * Xen's memory layout: xen/arch/x86/include/asm/config.h, which the Makefile
 * copies without its #include lines.  First, as in Xen, so that the public
 * headers take its HYPERVISOR_VIRT_START.
 */
#include "asm-config.h"

/* The real ABI: struct xen_machphys_mfn_list, XENMEM_*, guest handles. */
#include <xen/xen.h>
#include <xen/memory.h>

#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))

/*
 * A failed assertion is counted and kept, and the code goes on as in a
 * release build: the tests check both.
 */
void test_assert_failed(const char *what, unsigned int line);
#define ASSERT(p) ((p) ? (void)0 : test_assert_failed(#p, __LINE__))

/* Type-safe MFNs, as in a debug build. */
typedef struct { unsigned long m; } mfn_t;
static inline mfn_t _mfn(unsigned long m) { return (mfn_t){ m }; }
static inline unsigned long mfn_x(mfn_t mfn) { return mfn.m; }
static inline bool mfn_eq(mfn_t a, mfn_t b) { return a.m == b.m; }
static inline mfn_t mfn_add(mfn_t mfn, unsigned long i)
{
    return _mfn(mfn.m + i);
}
#define INVALID_MFN _mfn(~0UL)

/* x86-64 paging. */
#define PAGE_SHIFT          12
#define PAGETABLE_ORDER     9
#define L2_PAGETABLE_SHIFT  21
#define L3_PAGETABLE_SHIFT  30
#define L4_PAGETABLE_SHIFT  39
#define PT_ENTRIES          (1U << PAGETABLE_ORDER)
#define l2_table_offset(a)  (((a) >> L2_PAGETABLE_SHIFT) & (PT_ENTRIES - 1))
#define l3_table_offset(a)  (((a) >> L3_PAGETABLE_SHIFT) & (PT_ENTRIES - 1))
#define l4_table_offset(a)  (((a) >> L4_PAGETABLE_SHIFT) & (PT_ENTRIES - 1))

#define _PAGE_PRESENT       0x001U
#define _PAGE_RW            0x002U
#define _PAGE_PSE           0x080U
#define PTE_FLAGS_MASK      0xfffUL
#define PTE_FRAME_MASK      0x000ffffffffff000UL

typedef struct { uint64_t l2; } l2_pgentry_t;
typedef struct { uint64_t l3; } l3_pgentry_t;
typedef struct { uint64_t l4; } l4_pgentry_t;

#define pte_flags_(e)       ((unsigned int)((e) & PTE_FLAGS_MASK))
#define pte_pfn_(e)         ((unsigned long)(((e) & PTE_FRAME_MASK) >> \
                                             PAGE_SHIFT))
#define l2e_get_flags(x)    pte_flags_((x).l2)
#define l3e_get_flags(x)    pte_flags_((x).l3)
#define l2e_get_pfn(x)      pte_pfn_((x).l2)
#define l3e_get_pfn(x)      pte_pfn_((x).l3)
#define l4e_get_pfn(x)      pte_pfn_((x).l4)
#define l2e_get_mfn(x)      _mfn(l2e_get_pfn(x))
#define l3e_get_mfn(x)      _mfn(l3e_get_pfn(x))

/* The table of the pool that frame @pfn names; fails the test if none. */
uint64_t *test_table(unsigned long pfn);
#define l3e_from_l4e(e, off) \
    ((l3_pgentry_t){ test_table(l4e_get_pfn(e))[off] })
#define l2e_from_l3e(e, off) \
    ((l2_pgentry_t){ test_table(l3e_get_pfn(e))[off] })

extern l4_pgentry_t idle_pg_table[PT_ENTRIES];
extern l2_pgentry_t *compat_idle_pg_table_l2;

/* The public header's is the guest's view of the table; Xen's, asm/mm.h's: */
#undef machine_to_phys_mapping
#define machine_to_phys_mapping ((unsigned long *)RDWR_MPT_VIRT_START)

extern unsigned long max_page;
extern int8_t opt_pv32;

/* Guest copies: return the number of bytes not copied, as Xen's do. */
unsigned long test_copy_to_guest(void *to, const void *from,
                                 unsigned long len);
unsigned long test_copy_from_guest(void *to, const void *from,
                                   unsigned long len);

/* Assigning (hnd).p to d_ checks the handle's type, as Xen does. */
#define copy_to_guest_offset(hnd, off, ptr, nr) ({                  \
    const typeof(*(ptr)) *s_ = (ptr);                               \
    typeof(*(ptr)) *d_ = (hnd).p;                                   \
    test_copy_to_guest(d_ + (off), s_, sizeof(*s_) * (nr));         \
})
#define __copy_to_guest(hnd, ptr, nr) copy_to_guest_offset(hnd, 0, ptr, nr)
#define copy_from_guest(ptr, hnd, nr) ({                            \
    typeof(*(ptr)) *d_ = (ptr);                                     \
    const typeof(*(ptr)) *s_ = (hnd).p;                             \
    test_copy_from_guest(d_, s_, sizeof(*d_) * (nr));               \
})

/*
 * 32-bit callers: a compat handle holds a 32-bit guest address, here an
 * offset into test_compat_mem[].
 */
typedef uint32_t compat_ptr_t;
typedef uint32_t compat_pfn_t;
#define COMPAT_HANDLE(type) struct { compat_ptr_t c; type *_[0]; }

extern unsigned char test_compat_mem[];
/* Comparing d_ with s_ checks the handle's type, as Xen does. */
#define copy_to_compat_offset(hnd, off, ptr, nr) ({                 \
    const typeof(*(ptr)) *s_ = (ptr);                               \
    typeof(**(hnd)._) *d_ = (void *)(test_compat_mem + (hnd).c);    \
    (void)(d_ == s_);                                               \
    test_copy_to_guest(d_ + (off), s_, sizeof(*s_) * (nr));         \
})

/* As generated into xen/include/compat/memory.h. */
struct compat_machphys_mfn_list {
    unsigned int max_extents;
    COMPAT_HANDLE(compat_pfn_t) extent_start;
    unsigned int nr_extents;
};

/* What the walker's file defines (xen/arch/x86/include/asm/mm.h). */
long m2p_mfn_list(unsigned int cmd, XEN_GUEST_HANDLE_PARAM(void) arg);
int compat_m2p_mfn_list(XEN_GUEST_HANDLE_PARAM(void) arg);

#endif /* _TEST_HARNESS_ */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
