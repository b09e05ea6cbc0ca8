/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The cost of libxenguest's normalise_pagetable() per page, for
 * scripts/bench/normalise.sh: xg_sr_save_x86_pv.c is included whole, so
 * that its static function is called directly, as write_batch()'s hook
 * calls it, on well-formed pagetables of a 64-bit and a 32-bit guest.  Built
 * once against each tree's sources (NORMALISE_HAS_PFN where the function
 * takes the pagetable's pfn).
 *
 * Prints, per kind of page, the nanoseconds per page (of the thread's CPU
 * time, which another process's load changes least) of the fastest of
 * ROUNDS rounds of ITERS pages.
 */

#include "xg_sr_save_x86_pv.c"

#include <time.h>

#define NR_PFNS   4096
#define NR_MFNS   0x10000
#define COMPAT0   0xe00
#define ITERS     200000
#define ROUNDS    5

static xen_pfn_t m2p[NR_MFNS];
static uint64_t p2m[NR_PFNS];
static struct xc_interface_core xch_core;

void host_report(xc_interface *xch, xentoollog_logger *lg,
                 xentoollog_level level, int code, const char *fmt, ...)
{
}

void host_report_error(xc_interface *xch, int code, const char *fmt, ...)
{
}

const char *host_strerror(xc_interface *xch, int errcode)
{
    return "";
}

static xen_pfn_t mfn_of(xen_pfn_t pfn)
{
    return 0x400 + pfn * 3;
}

static uint64_t pte(xen_pfn_t pfn)
{
    return ((uint64_t)mfn_of(pfn) << PAGE_SHIFT) | 0x67;
}

static void setup(struct xc_sr_context *ctx, unsigned int width)
{
    unsigned int i;

    memset(ctx, 0, sizeof(*ctx));
    ctx->xch = &xch_core;
    ctx->domid = 1;
    ctx->x86.pv.width = width;
    ctx->x86.pv.levels = width == 8 ? 4 : 3;
    ctx->x86.pv.max_mfn = NR_MFNS - 1;
    ctx->x86.pv.m2p = m2p;
    ctx->x86.pv.max_pfn = NR_PFNS - 1;
    ctx->x86.pv.p2m = p2m;
    ctx->x86.pv.compat_m2p_mfn0 = COMPAT0;
    ctx->dominfo.flags = XEN_DOMINF_paused;

    for ( i = 0; i < NR_MFNS; i++ )
        m2p[i] = INVALID_MFN;
    for ( i = 0; i < NR_PFNS; i++ )
    {
        m2p[mfn_of(i)] = i;
        if ( width == 8 )
            p2m[i] = mfn_of(i);
        else
            ((uint32_t *)p2m)[i] = mfn_of(i);
    }
}

static double bench(struct xc_sr_context *ctx, const uint64_t *src,
                    unsigned long type)
{
    static uint64_t dst[512];
    double best = 1e30;
    struct timespec t0, t1;
    unsigned int r, i;

    for ( r = 0; r < ROUNDS; r++ )
    {
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
        for ( i = 0; i < ITERS; i++ )
        {
#ifdef NORMALISE_HAS_PFN
            if ( normalise_pagetable(ctx, 7, src, dst, type) )
#else
            if ( normalise_pagetable(ctx, src, dst, type) )
#endif
                abort();
            asm volatile ( "" :: "r" (dst) : "memory" );
        }
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
        best = min(best, ((t1.tv_sec - t0.tv_sec) * 1e9 +
                          (t1.tv_nsec - t0.tv_nsec)) / ITERS);
    }

    return best;
}

int main(void)
{
    struct xc_sr_context ctx;
    static uint64_t l1[512], l4[512], l2[512];
    unsigned int i;

    setup(&ctx, 8);
    for ( i = 0; i < 512; i++ )
        l1[i] = pte(i);
    for ( i = 0; i < 512; i++ )
        l4[i] = i >= 256 && i < 272 ? ((0xe80ULL + i) << 12) | 0x63 :
                pte(i);
    printf("64-bit-L1 %.1f 64-bit-L4 %.1f\n",
           bench(&ctx, l1, XEN_DOMCTL_PFINFO_L1TAB),
           bench(&ctx, l4, XEN_DOMCTL_PFINFO_L4TAB));

    setup(&ctx, 4);
    for ( i = 0; i < 512; i++ )
        l2[i] = i < 428 ? pte(i) :
                i == 428 ? ((uint64_t)COMPAT0 << 12) | 0x81 :
                ((0xe80ULL + i) << 12) | 0x63;
    printf("32-bit-L1 %.1f 32-bit-top-L2 %.1f\n",
           bench(&ctx, l1, XEN_DOMCTL_PFINFO_L1TAB),
           bench(&ctx, l2, XEN_DOMCTL_PFINFO_L2TAB));

    return 0;
}
