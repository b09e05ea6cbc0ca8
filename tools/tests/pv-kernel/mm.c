/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Memory helpers of a PV test kernel: P2M/M2P lookups, a walk of the
 * guest's own page tables, and changing single mappings.
 */
#include "hypercall.h"

#ifdef __x86_64__
# define PT_LEVELS     4
#else
# define PT_LEVELS     3     /* PAE */
#endif

unsigned long pfn_to_mfn(unsigned long pfn)
{
    const unsigned long *p2m = (const unsigned long *)start_info->mfn_list;

    if ( pfn >= start_info->nr_pages )
    {
        fail("framework: pfn %#lx beyond nr_pages %#lx",
             pfn, start_info->nr_pages);
        test_finish();
    }

    return p2m[pfn];
}

unsigned long mfn_to_pfn(unsigned long mfn)
{
    /* Xen's read-only M2P: entries of the guest's word size. */
    const unsigned long *m2p = (const unsigned long *)machphys.v_start;

    if ( mfn > machphys.max_mfn )
    {
        fail("framework: mfn %#lx beyond the M2P's max_mfn %#lx",
             mfn, (unsigned long)machphys.max_mfn);
        test_finish();
    }

    return m2p[mfn];
}

unsigned long virt_to_mfn(const void *va)
{
    return pfn_to_mfn(virt_to_pfn(va));
}

/* The index of @va in a table of level @level (1 = L1). */
static unsigned int pt_index(unsigned long va, unsigned int level)
{
    return (va >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
}

const uint64_t *guest_pte(unsigned long va, unsigned int level)
{
    const uint64_t *table = (const uint64_t *)start_info->pt_base;
    unsigned int l;

    for ( l = PT_LEVELS; l > level; l-- )
    {
        uint64_t e = table[pt_index(va, l)];

        if ( !(e & _PAGE_PRESENT) || (e & _PAGE_PSE) )
            return NULL;
        /* Page tables of the initial region are mapped there too. */
        table = pfn_to_virt(mfn_to_pfn(PTE_MFN(e)));
    }

    return &table[pt_index(va, level)];
}

long remap_page(void *va, uint64_t mfn, uint64_t flags, domid_t owner)
{
    uint64_t pte = (mfn << PAGE_SHIFT) | flags;
    unsigned long uvmf = UVMF_INVLPG | UVMF_LOCAL;

    if ( owner == DOMID_SELF )
        return HYPERVISOR_update_va_mapping((unsigned long)va, pte, uvmf);

    return HYPERVISOR_update_va_mapping_otherdomain((unsigned long)va, pte,
                                                    uvmf, owner);
}

long restore_page(void *va)
{
    return remap_page(va, virt_to_mfn(va),
                      _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY,
                      DOMID_SELF);
}

long protect_page(void *va)
{
    return remap_page(va, virt_to_mfn(va), _PAGE_PRESENT | _PAGE_ACCESSED,
                      DOMID_SELF);
}

long unmap_page(void *va)
{
    return HYPERVISOR_update_va_mapping((unsigned long)va, 0,
                                        UVMF_INVLPG | UVMF_LOCAL);
}
