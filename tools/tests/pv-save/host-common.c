/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the host answers the same for every guest, to the calls harness.h
 * renames in libxenguest's save code for x86 PV guests: shared by
 * test-pv-save.c and tools/fuzz/pv-save, which answer the rest each with
 * their own guest.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xg_sr_common_x86_pv.h"

const char *host_strerror(xc_interface *xch, int errcode)
{
    return strerror(errcode);
}

/* The vCPUs have no extended state, xsave state or MSRs to save. */
int host_domctl(xc_interface *xch, struct xen_domctl *domctl)
{
    switch ( domctl->cmd )
    {
    case XEN_DOMCTL_get_ext_vcpucontext:
        domctl->u.ext_vcpucontext.size = 0;
        return 0;

    case XEN_DOMCTL_getvcpuextstate:
        domctl->u.vcpuextstate.xfeature_mask = 0;
        domctl->u.vcpuextstate.size = 0;
        return 0;

    case XEN_DOMCTL_get_vcpu_msrs:
        domctl->u.vcpu_msrs.msr_count = 0;
        return 0;
    }

    errno = ENOSYS;
    return -1;
}

void *host_hypercall_buffer_alloc(xc_interface *xch, xc_hypercall_buffer_t *b,
                                  size_t size)
{
    b->hbuf = b->ubuf = calloc(1, size);
    return b->hbuf;
}

void host_hypercall_buffer_free(xc_interface *xch, xc_hypercall_buffer_t *b)
{
    free(b->hbuf);
    b->hbuf = b->ubuf = NULL;
}

/* The save reads nothing from the stream. */
int host_read_exact(int fd, void *data, size_t size)
{
    errno = ENOSYS;
    return -1;
}

/* The records of xg_sr_common_x86.c, which no case looks at. */
int host_write_x86_tsc_info(struct xc_sr_context *ctx)
{
    return 0;
}

int host_write_x86_cpu_policy_records(struct xc_sr_context *ctx)
{
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
