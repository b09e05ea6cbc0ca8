/**
 * @file arch/x86/pv/suspend.c
 *
 * Suspend and resume of a PV guest, for save and migration by a toolstack.
 */
#include <xtf/framework.h>
#include <xtf/hypercall.h>
#include <xtf/lib.h>
#include <xtf/traps.h>
#include <xtf/xenbus.h>

#include <arch/mm.h>
#include <arch/pagetable.h>
#include <arch/symbolic-const.h>

/*
 * Map our own frame back where shared_info was: a PV guest's pagetables may
 * only map its own frames when it is saved.
 */
static void unmap_shared_info(void)
{
    int rc = hypercall_update_va_mapping(
        _u(&shared_info), pte_from_virt(&shared_info, PF_SYM(AD, RW, P)),
        UVMF_INVLPG);

    if ( rc )
        panic("Failed to unmap shared_info: %d\n", rc);
}

int pv_suspend(void)
{
    xen_pv_start_info_t *si = pv_start_info;
    bool p2m_published = shared_info.arch.pfn_to_mfn_frame_list_list;
    long rc;

    if ( si->flags & SIF_INITDOMAIN )
        return -EOPNOTSUPP;

    /*
     * The toolstack takes these two as PFNs in a suspended guest, and writes
     * the MFNs of the new domain back.
     */
    si->store_mfn = mfn_to_pfn(si->store_mfn);
    si->console.domU.mfn = mfn_to_pfn(si->console.domU.mfn);

    unmap_shared_info();

    rc = hypercall_pv_suspend(virt_to_mfn(si));

    if ( rc )
    {
        /* Still the same domain: nothing was rewritten. */
        si->store_mfn = pfn_to_mfn(si->store_mfn);
        si->console.domU.mfn = pfn_to_mfn(si->console.domU.mfn);
    }

    /* Now at si->shared_info, in a new domain. */
    map_shared_info();

    resume_pv_console(mfn_to_virt(si->console.domU.mfn),
                      si->console.domU.evtchn);

    if ( rc == 0 )
        resume_xenbus(mfn_to_virt(si->store_mfn), si->store_evtchn);

    /* The P2M's frames are new ones too. */
    if ( p2m_published && rc >= 0 )
    {
        int err = pv_publish_p2m();

        if ( err )
            panic("Failed to publish the P2M again: %d\n", err);
    }

    return rc;
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
