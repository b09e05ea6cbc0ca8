/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * XENMEM_machphys_mfn_list and XENMEM_machphys_compat_mfn_list: the frames
 * backing Xen's machine-to-phys tables, one per 2MiB extent.
 */

#include <xen/errno.h>
#include <xen/guest_access.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/pv/domain.h>
#include <public/memory.h>
#ifdef CONFIG_PV32
#include <xen/compat.h>
#include <compat/memory.h>
#endif

#define M2P_EXTENT_SIZE (1UL << L2_PAGETABLE_SHIFT)

/*
 * Number of extents of the compat M2P table (@compat) or of the native one:
 * those holding entries of MFNs below max_page, as far as the table's area
 * allows.
 */
static unsigned int m2p_nr_extents(bool compat)
{
    unsigned long size, entry_size;

    if ( compat )
    {
        size = RDWR_COMPAT_MPT_VIRT_END - RDWR_COMPAT_MPT_VIRT_START;
        entry_size = sizeof(uint32_t);
    }
    else
    {
        size = RDWR_MPT_VIRT_END - RDWR_MPT_VIRT_START;
        entry_size = sizeof(*machine_to_phys_mapping);
    }

    if ( max_page < size / entry_size )
        size = max_page * entry_size;

    return DIV_ROUND_UP(size, M2P_EXTENT_SIZE);
}

/*
 * Frame backing the extent at @va of the compat M2P table (@compat) or of
 * the native one, or INVALID_MFN if paging_init() did not populate that
 * extent, as no RAM is in the range of MFNs it covers.
 */
static mfn_t m2p_extent_mfn(bool compat, unsigned long va)
{
    l3_pgentry_t l3e;
    l2_pgentry_t l2e;

    if ( compat )
        l2e = compat_idle_pg_table_l2[l2_table_offset(va)];
    else
    {
        /* The native table fills whole L3 slots of idle_pg_table. */
        BUILD_BUG_ON(RDWR_MPT_VIRT_START & ((1UL << L3_PAGETABLE_SHIFT) - 1));
        BUILD_BUG_ON(RDWR_MPT_VIRT_END & ((1UL << L3_PAGETABLE_SHIFT) - 1));

        l3e = l3e_from_l4e(idle_pg_table[l4_table_offset(va)],
                           l3_table_offset(va));
        if ( !(l3e_get_flags(l3e) & _PAGE_PRESENT) )
            return INVALID_MFN;
        if ( l3e_get_flags(l3e) & _PAGE_PSE )
            return mfn_add(l3e_get_mfn(l3e),
                           l2_table_offset(va) << PAGETABLE_ORDER);
        l2e = l2e_from_l3e(l3e, l2_table_offset(va));
    }

    return (l2e_get_flags(l2e) & _PAGE_PRESENT) ? l2e_get_mfn(l2e)
                                                : INVALID_MFN;
}

/*
 * Frame to report for extent @i of the compat M2P table (@compat) or of the
 * native one, @prev being the one reported for extent @i - 1.
 */
static mfn_t m2p_list_entry(bool compat, unsigned int i, mfn_t prev)
{
    unsigned long start = compat ? RDWR_COMPAT_MPT_VIRT_START
                                 : RDWR_MPT_VIRT_START;
    mfn_t mfn = m2p_extent_mfn(compat, start + i * M2P_EXTENT_SIZE);

    /* An extent that is not populated repeats the frame before it. */
    if ( mfn_eq(mfn, INVALID_MFN) )
        mfn = prev;
    ASSERT(!mfn_eq(mfn, _mfn(0)));

    return mfn;
}

/*
 * XENMEM_machphys_mfn_list and XENMEM_machphys_compat_mfn_list for a
 * 64-bit caller: @cmd selects the table.
 */
long m2p_mfn_list(unsigned int cmd, XEN_GUEST_HANDLE_PARAM(void) arg)
{
    bool compat = cmd == XENMEM_machphys_compat_mfn_list;
    struct xen_machphys_mfn_list xmml;
    unsigned int i, nr;
    mfn_t mfn = _mfn(0);

    if ( compat && !opt_pv32 )
        return -EOPNOTSUPP;

    if ( copy_from_guest(&xmml, arg, 1) )
        return -EFAULT;

    nr = min(xmml.max_extents, m2p_nr_extents(compat));
    for ( i = 0; i < nr; i++ )
    {
        xen_pfn_t pfn;

        mfn = m2p_list_entry(compat, i, mfn);
        pfn = mfn_x(mfn);
        if ( copy_to_guest_offset(xmml.extent_start, i, &pfn, 1) )
            return -EFAULT;
    }

    xmml.nr_extents = nr;

    return __copy_to_guest(arg, &xmml, 1) ? -EFAULT : 0;
}

#ifdef CONFIG_PV32
/*
 * Both subops for a 32-bit caller, who gets the compat table from either:
 * the one it has mapped.
 */
int compat_m2p_mfn_list(XEN_GUEST_HANDLE_PARAM(void) arg)
{
    struct compat_machphys_mfn_list xmml;
    unsigned int i, nr;
    mfn_t mfn = _mfn(0);

    if ( !opt_pv32 )
        return -EOPNOTSUPP;

    if ( copy_from_guest(&xmml, arg, 1) )
        return -EFAULT;

    nr = min(xmml.max_extents, m2p_nr_extents(true));
    for ( i = 0; i < nr; i++ )
    {
        compat_pfn_t pfn;

        mfn = m2p_list_entry(true, i, mfn);
        pfn = mfn_x(mfn);
        if ( copy_to_compat_offset(xmml.extent_start, i, &pfn, 1) )
            return -EFAULT;
    }

    xmml.nr_extents = nr;

    return __copy_to_guest(arg, &xmml, 1) ? -EFAULT : 0;
}
#endif /* CONFIG_PV32 */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
