/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * XENMEM_machphys_mfn_list and XENMEM_machphys_compat_mfn_list: the frames
 * making up Xen's machine-to-phys tables, one MFN per 2MiB extent.
 *
 * One walker serves both tables (native and compat M2P) and both caller
 * ABIs.  tools/tests/m2p-mfn-list builds this file in userspace, with
 * stand-ins for what it uses: page table accessors, guest copies,
 * max_page, opt_pv32 and printk_once().  Keep to those.
 */

#include <xen/errno.h>
#include <xen/guest_access.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/pv/domain.h>
#include <public/memory.h>
#ifdef CONFIG_COMPAT
#include <compat/memory.h>
#endif

/* One M2P table, as reached through Xen's page tables. */
struct m2p_table {
    /* Virtual address range reserved for the table. */
    unsigned long start, end;
    /* Size of one entry: the table covers MFNs below max_page. */
    unsigned int entry_size;
    /* Frame mapping the 2MiB at @va, or INVALID_MFN if none is mapped. */
    mfn_t (*lookup)(unsigned long va);
};

/* Copy @mfn to slot @idx of the caller's array: 0 or -EFAULT. */
typedef int m2p_copy_fn(const void *ctxt, unsigned int idx, mfn_t mfn);

static mfn_t cf_check native_lookup(unsigned long va)
{
    l3_pgentry_t l3e = l3e_from_l4e(idle_pg_table[l4_table_offset(va)],
                                    l3_table_offset(va));
    l2_pgentry_t l2e;

    /* The table fills whole L3 slots: no other mapping shares them. */
    BUILD_BUG_ON(RDWR_MPT_VIRT_START & ((1UL << L3_PAGETABLE_SHIFT) - 1));
    BUILD_BUG_ON(RDWR_MPT_VIRT_END & ((1UL << L3_PAGETABLE_SHIFT) - 1));

    if ( !(l3e_get_flags(l3e) & _PAGE_PRESENT) )
        return INVALID_MFN;

    /* paging_init() may have used a 1GiB page for this part of the table. */
    if ( l3e_get_flags(l3e) & _PAGE_PSE )
        return mfn_add(l3e_get_mfn(l3e),
                       l2_table_offset(va) << PAGETABLE_ORDER);

    l2e = l2e_from_l3e(l3e, l2_table_offset(va));

    return (l2e_get_flags(l2e) & _PAGE_PRESENT) ? l2e_get_mfn(l2e)
                                                : INVALID_MFN;
}

static const struct m2p_table native_m2p = {
    .start      = RDWR_MPT_VIRT_START,
    .end        = RDWR_MPT_VIRT_END,
    .entry_size = sizeof(*machine_to_phys_mapping),
    .lookup     = native_lookup,
};

/*
 * Without CONFIG_PV32 compat_idle_pg_table_l2 does not exist: every user
 * of compat_m2p is behind a check of opt_pv32, which is then constant
 * false, and the compiler drops it.
 */
static mfn_t cf_check compat_lookup(unsigned long va)
{
    l2_pgentry_t l2e;

    /* compat_idle_pg_table_l2 maps the 1GiB from the table's start. */
    BUILD_BUG_ON(RDWR_COMPAT_MPT_VIRT_START &
                 ((1UL << L3_PAGETABLE_SHIFT) - 1));
    l2e = compat_idle_pg_table_l2[l2_table_offset(va)];

    return (l2e_get_flags(l2e) & _PAGE_PRESENT) ? l2e_get_mfn(l2e)
                                                : INVALID_MFN;
}

static const struct m2p_table compat_m2p = {
    .start      = RDWR_COMPAT_MPT_VIRT_START,
    .end        = RDWR_COMPAT_MPT_VIRT_END,
    .entry_size = sizeof(unsigned int),
    .lookup     = compat_lookup,
};

/*
 * End of the part of @t that covers MFNs below max_page, bounded by the
 * area reserved for the table.
 */
static unsigned long m2p_end(const struct m2p_table *t)
{
    if ( max_page >= (t->end - t->start) / t->entry_size )
        return t->end;

    return t->start + max_page * t->entry_size;
}

/*
 * Report the frame of each 2MiB extent of @t through @copy, at most
 * @max_extents of them.  An extent that is not populated repeats the
 * frame of the one before it.  Returns the number of frames reported, or
 * -errno; the frames reported before an error stay reported.
 *
 * Inlined into each caller, whose table and copy are constant: the
 * per-extent calls through t->lookup and @copy become direct ones.
 */
static always_inline int m2p_walk(const struct m2p_table *t,
                                  unsigned int max_extents,
                                  m2p_copy_fn *copy, const void *ctxt)
{
    unsigned long va, end = m2p_end(t);
    mfn_t mfn, prev = _mfn(0);
    unsigned int i;
    int rc;

    for ( i = 0, va = t->start; i < max_extents && va < end;
          i++, va += 1UL << L2_PAGETABLE_SHIFT )
    {
        mfn = t->lookup(va);
        if ( mfn_eq(mfn, INVALID_MFN) )
            mfn = prev;

        /*
         * A first extent that is not populated has nothing to repeat, and
         * Xen never uses MFN 0 for the M2P: don't pass it off as a frame.
         */
        if ( unlikely(mfn_eq(mfn, _mfn(0))) )
        {
            printk_once(XENLOG_ERR "M2P: no frame for extent %u at %#lx\n",
                        i, va);
            return -ENODATA;
        }

        rc = copy(ctxt, i, mfn);
        if ( rc )
            return rc;

        prev = mfn;
    }

    return i;
}

static int cf_check copy_native(const void *ctxt, unsigned int idx,
                                mfn_t mfn)
{
    const struct xen_machphys_mfn_list *xmml = ctxt;
    xen_pfn_t pfn = mfn_x(mfn);

    if ( copy_to_guest_offset(xmml->extent_start, idx, &pfn, 1) )
        return -EFAULT;

    return 0;
}

/*
 * XENMEM_machphys_mfn_list and XENMEM_machphys_compat_mfn_list for a
 * 64-bit caller: @cmd selects the table.
 */
long m2p_mfn_list(unsigned int cmd, XEN_GUEST_HANDLE_PARAM(void) arg)
{
    const bool compat = cmd == XENMEM_machphys_compat_mfn_list;
    struct xen_machphys_mfn_list xmml;
    int rc;

    if ( compat && !opt_pv32 )
        return -EOPNOTSUPP;

    if ( copy_from_guest(&xmml, arg, 1) )
        return -EFAULT;

    /* A constant table in each call, for m2p_walk() to inline. */
    rc = compat ? m2p_walk(&compat_m2p, xmml.max_extents, copy_native, &xmml)
                : m2p_walk(&native_m2p, xmml.max_extents, copy_native, &xmml);
    if ( rc < 0 )
        return rc;

    xmml.nr_extents = rc;

    return __copy_to_guest(arg, &xmml, 1) ? -EFAULT : 0;
}

#ifdef CONFIG_COMPAT
static int cf_check copy_compat(const void *ctxt, unsigned int idx,
                                mfn_t mfn)
{
    const struct compat_machphys_mfn_list *xmml = ctxt;
    compat_pfn_t pfn = mfn_x(mfn);

    if ( copy_to_compat_offset(xmml->extent_start, idx, &pfn, 1) )
        return -EFAULT;

    return 0;
}

/*
 * Both subops for a 32-bit caller: the compat table, the one such a
 * caller sees.
 */
int compat_m2p_mfn_list(XEN_GUEST_HANDLE_PARAM(void) arg)
{
    struct compat_machphys_mfn_list xmml;
    int rc;

    if ( !opt_pv32 )
        return -EOPNOTSUPP;

    if ( copy_from_guest(&xmml, arg, 1) )
        return -EFAULT;

    rc = m2p_walk(&compat_m2p, xmml.max_extents, copy_compat, &xmml);
    if ( rc < 0 )
        return rc;

    xmml.nr_extents = rc;

    return __copy_to_guest(arg, &xmml, 1) ? -EFAULT : 0;
}
#endif /* CONFIG_COMPAT */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
