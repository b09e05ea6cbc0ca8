/**
 * @file arch/x86/pv/p2m.c
 *
 * Publishing a PV guest's P2M for the toolstack.
 */
#include <xtf/barrier.h>
#include <xtf/hypercall.h>
#include <xtf/lib.h>
#include <xtf/traps.h>

#include <arch/mm.h>

/* P2M entries, or frame numbers, per page. */
#define FPP (PAGE_SIZE / sizeof(unsigned long))

/*
 * Frame list pages.  Each names FPP pages of the P2M: 1G of guest memory for
 * a 64bit guest, 4G for a 32bit one.  4 are plenty for any test.
 */
#define NR_FL_PAGES 4

static unsigned long p2m_fll[FPP] __page_aligned_bss;
static unsigned long p2m_fl[NR_FL_PAGES][FPP] __page_aligned_bss;

int pv_publish_p2m(void)
{
    const unsigned long *p2m = _p(pv_start_info->mfn_list);
    unsigned long nr_pfns = pv_start_info->nr_pages, i;
    unsigned long nr_p2m_pages = (nr_pfns + FPP - 1) / FPP;
    unsigned long nr_fl_pages = (nr_p2m_pages + FPP - 1) / FPP;

    /* The domain builder page aligns the P2M. */
    if ( _u(p2m) & ~PAGE_MASK )
        return -EINVAL;

    if ( nr_fl_pages > NR_FL_PAGES )
        return -E2BIG;

    memset(p2m_fl, 0, sizeof(p2m_fl));
    memset(p2m_fll, 0, sizeof(p2m_fll));

    for ( i = 0; i < nr_p2m_pages; i++ )
        p2m_fl[i / FPP][i % FPP] = virt_to_mfn(&p2m[i * FPP]);

    for ( i = 0; i < nr_fl_pages; i++ )
        p2m_fll[i] = virt_to_mfn(p2m_fl[i]);

    /* The save code reads max_pfn once it sees the frame list list. */
    shared_info.arch.max_pfn = nr_pfns;
    smp_wmb();
    shared_info.arch.pfn_to_mfn_frame_list_list = virt_to_mfn(p2m_fll);

    return 0;
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
