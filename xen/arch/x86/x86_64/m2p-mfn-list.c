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
#ifdef CONFIG_COMPAT
#include <xen/compat.h>
#include <compat/memory.h>
#endif

/*
 * Frame backing the 2MiB extent at @va of the compat M2P table
 * (@compat_table) or of the native one, or INVALID_MFN if paging_init() did
 * not populate that extent.
 */
static mfn_t m2p_extent_mfn(bool compat_table, unsigned long va)
{
    l3_pgentry_t l3e;
    l2_pgentry_t l2e;

    if ( compat_table )
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
 * Write the frame of each 2MiB extent of the compat M2P table
 * (@compat_table) or of the native one to @list, at most @max_extents of
 * them, as a 32-bit caller's compat_pfn_t (@compat_caller) or as xen_pfn_t.
 * Returns the number of frames written, or -EFAULT.
 */
static long m2p_walk(bool compat_table, bool compat_caller,
                     XEN_GUEST_HANDLE_PARAM(void) list,
                     unsigned int max_extents)
{
    unsigned long start, end, va;
    unsigned int entry_size, i;
    mfn_t mfn, prev = _mfn(0);

    if ( compat_table )
    {
        start = RDWR_COMPAT_MPT_VIRT_START;
        end = RDWR_COMPAT_MPT_VIRT_END;
        entry_size = sizeof(uint32_t);
    }
    else
    {
        start = RDWR_MPT_VIRT_START;
        end = RDWR_MPT_VIRT_END;
        entry_size = sizeof(*machine_to_phys_mapping);
    }

    /* The table covers the MFNs below max_page, as far as its area allows. */
    if ( max_page < (end - start) / entry_size )
        end = start + max_page * entry_size;

    for ( i = 0, va = start; i != max_extents && va < end;
          i++, va += 1UL << L2_PAGETABLE_SHIFT )
    {
        unsigned long fault;

        /* An extent that is not populated repeats the frame before it. */
        mfn = m2p_extent_mfn(compat_table, va);
        if ( mfn_eq(mfn, INVALID_MFN) )
            mfn = prev;
        ASSERT(!mfn_eq(mfn, _mfn(0)));

        /* The size of pfn gives the size and offset of the entry. */
        if ( compat_caller )
        {
            uint32_t pfn = mfn_x(mfn);

            fault = copy_to_guest_offset(list, i, &pfn, 1);
        }
        else
        {
            xen_pfn_t pfn = mfn_x(mfn);

            fault = copy_to_guest_offset(list, i, &pfn, 1);
        }
        if ( fault )
            return -EFAULT;

        prev = mfn;
    }

    return i;
}

/*
 * XENMEM_machphys_mfn_list and XENMEM_machphys_compat_mfn_list for a
 * 64-bit caller: @cmd selects the table.
 */
long m2p_mfn_list(unsigned int cmd, XEN_GUEST_HANDLE_PARAM(void) arg)
{
    bool compat_table = cmd == XENMEM_machphys_compat_mfn_list;
    struct xen_machphys_mfn_list xmml;
    long rc;

    if ( compat_table && !opt_pv32 )
        return -EOPNOTSUPP;

    if ( copy_from_guest(&xmml, arg, 1) )
        return -EFAULT;

    rc = m2p_walk(compat_table, false,
                  guest_handle_cast(xmml.extent_start, void),
                  xmml.max_extents);
    if ( rc < 0 )
        return rc;

    xmml.nr_extents = rc;

    return __copy_to_guest(arg, &xmml, 1) ? -EFAULT : 0;
}

#ifdef CONFIG_COMPAT
/*
 * Both subops for a 32-bit caller, who gets the compat table from either:
 * the one it has mapped.
 */
int compat_m2p_mfn_list(XEN_GUEST_HANDLE_PARAM(void) arg)
{
    struct compat_machphys_mfn_list xmml;
    XEN_GUEST_HANDLE_PARAM(void) list;
    long rc;

    if ( !opt_pv32 )
        return -EOPNOTSUPP;

    if ( copy_from_guest(&xmml, arg, 1) )
        return -EFAULT;

    guest_from_compat_handle(list, xmml.extent_start);
    rc = m2p_walk(true, true, list, xmml.max_extents);
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
