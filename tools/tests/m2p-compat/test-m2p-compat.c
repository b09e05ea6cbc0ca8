/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test of XENMEM_machphys_compat_mfn_list through libxenctrl's
 * xc_machphys_compat_mfn_list(), run in dom0.
 *
 *   test-m2p-compat [DOMID]
 *     The host has 32-bit PV: the list has the length the host's memory
 *     implies, and, given the domid of a running 32-bit PV guest, its extent
 *     0 is the frame Xen maps at the first Xen slot (428) of the guest's top
 *     L2, which the migration code relies on.
 *
 *   test-m2p-compat --expect-eopnotsupp
 *     The host has no 32-bit PV (e.g. "pv=no-32"): the call fails with
 *     EOPNOTSUPP.
 *
 * One line per test case: PASS/FAIL/SKIP name (seconds), exit status
 * non-zero if a case failed.
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <xenctrl.h>
#include <xenforeignmemory.h>
#include <xen-tools/common-macros.h>

/* The compat M2P: 4-byte entries, in extents of 2MB, in at most 1GB. */
#define COMPAT_ENTRIES_PER_EXTENT (1UL << (21 - 2))
#define COMPAT_MAX_EXTENTS        512UL

/* First Xen slot of a 32-bit PV guest's top L2: 0xF5800000 >> 21. */
#define M2P_L2_SLOT               428
#define PTE_PRESENT               0x001ULL
#define PTE_PSE                   0x080ULL
#define PTE_FRAME_MASK            0x000ffffffffff000ULL

static xc_interface *xch;
static xenforeignmemory_handle *fh;
static unsigned int nr_failures;
static char reason[256];

/* Make a case's result: NULL for success, or the reason of the failure. */
static const char *failed(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    vsnprintf(reason, sizeof(reason), fmt, args);
    va_end(args);

    return reason;
}

/* Say why a case is skipped: "SKIP: reason". */
static const char *skipped(const char *why)
{
    snprintf(reason, sizeof(reason), "SKIP: %s", why);
    return reason;
}

static void run(const char *name, const char *(*fn)(void))
{
    struct timespec t0, t1;
    const char *res;
    double secs;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    res = fn();
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

    if ( !res )
        printf("PASS %s (%.3fs)\n", name, secs);
    else if ( !strncmp(res, "SKIP: ", 6) )
        printf("SKIP %s (%.3fs): %s\n", name, secs, res + 6);
    else
    {
        nr_failures++;
        printf("FAIL %s (%.3fs): %s\n", name, secs, res);
    }
    fflush(stdout);
}

static uint32_t domid;
static bool have_domid;
static unsigned long max_page;      /* From xc_maximum_ram_page(). */
static unsigned long expected;      /* Extents that max_page implies. */
static xen_pfn_t *list;             /* The whole list, once read. */
static unsigned long nr_list;

/* Bad arguments fail with EINVAL, before any hypercall. */
static const char *test_bad_args(void)
{
    xen_pfn_t mfn;
    unsigned long nr = 0;
    int rc;

    errno = 0;
    rc = xc_machphys_compat_mfn_list(xch, 1, NULL, &nr);
    if ( rc != -1 || errno != EINVAL )
        return failed("NULL array for 1 extent: rc %d errno %d, want EINVAL",
                      rc, errno);

    errno = 0;
    rc = xc_machphys_compat_mfn_list(xch, 1, &mfn, NULL);
    if ( rc != -1 || errno != EINVAL )
        return failed("NULL nr_extents: rc %d errno %d, want EINVAL",
                      rc, errno);

#if ULONG_MAX > UINT_MAX
    errno = 0;
    rc = xc_machphys_compat_mfn_list(xch, (unsigned long)UINT_MAX + 1, &mfn,
                                     &nr);
    if ( rc != -1 || errno != EINVAL )
        return failed("max_extents 2^32: rc %d errno %d, want EINVAL",
                      rc, errno);
#endif

    return NULL;
}

/* max_extents 0 fills nothing and succeeds: the host has the table. */
static const char *test_probe(void)
{
    unsigned long nr = 1234;

    if ( xc_machphys_compat_mfn_list(xch, 0, NULL, &nr) )
        return failed("max_extents 0: errno %d (%s)", errno, strerror(errno));
    if ( nr != 0 )
        return failed("max_extents 0: %lu extents reported", nr);

    return NULL;
}

/*
 * With room to spare, Xen fills as many extents as the host's memory
 * implies, reports that count, and leaves the rest of the array alone.
 */
static const char *test_length(void)
{
    const xen_pfn_t poison = (xen_pfn_t)0x5a5a5a5a5a5a5a5aULL;
    unsigned long i, room = expected + 16;

    list = malloc(room * sizeof(*list));
    if ( !list )
        return failed("no memory for %lu extents", room);
    for ( i = 0; i < room; i++ )
        list[i] = poison;

    if ( xc_machphys_compat_mfn_list(xch, room, list, &nr_list) )
        return failed("%lu extents: errno %d (%s)", room, errno,
                      strerror(errno));

    fprintf(stderr, "max_page %#lx: %lu extents, extent 0 is mfn %#"PRIx64
            "\n", max_page, nr_list, (uint64_t)list[0]);

    if ( nr_list != expected )
        return failed("%lu extents, want %lu for max_page %#lx",
                      nr_list, expected, max_page);

    for ( i = 0; i < nr_list; i++ )
        if ( list[i] == 0 || list[i] == poison )
            return failed("extent %lu is %#"PRIx64, i, (uint64_t)list[i]);

    for ( ; i < room; i++ )
        if ( list[i] != poison )
            return failed("entry %lu beyond the %lu reported was written",
                          i, nr_list);

    return NULL;
}

/* A short array gets a prefix of the list, and the count says so. */
static const char *test_short_array(void)
{
    xen_pfn_t first[2] = { 0, 0 };
    unsigned long nr = 0;

    if ( !nr_list )
        return skipped("the whole list could not be read");

    if ( xc_machphys_compat_mfn_list(xch, 1, first, &nr) )
        return failed("1 extent: errno %d (%s)", errno, strerror(errno));
    if ( nr != 1 )
        return failed("%lu extents filled for an array of 1", nr);
    if ( first[0] != list[0] || first[1] != 0 )
        return failed("got %#"PRIx64", %#"PRIx64"; want %#"PRIx64", 0",
                      (uint64_t)first[0], (uint64_t)first[1],
                      (uint64_t)list[0]);

    return NULL;
}

/* Read entry 'slot' of pagetable page 'mfn' of the guest. */
static int read_pte(xen_pfn_t mfn, unsigned int slot, uint64_t *pte)
{
    uint64_t *page;
    int err = 0;

    page = xenforeignmemory_map(fh, domid, PROT_READ, 1, &mfn, &err);
    if ( !page || err )
    {
        if ( page )
            xenforeignmemory_unmap(fh, page, 1);
        errno = err ?: errno;
        return -1;
    }

    *pte = page[slot];
    xenforeignmemory_unmap(fh, page, 1);

    return 0;
}

/*
 * Extent 0 is the frame Xen maps at L2[428] of the guest's top L2: the one
 * behind L3[3] of the L3 in vCPU0's CR3.
 */
static const char *test_l2_slot(void)
{
    vcpu_guest_context_any_t ctxt;
    unsigned int width;
    uint64_t l3e, l2e;
    xen_pfn_t l3_mfn, l2_mfn;
    const char *res = NULL;

    if ( !have_domid )
        return skipped("no 32-bit PV guest given");
    if ( !nr_list )
        return skipped("the whole list could not be read");

    if ( xc_domain_get_guest_width(xch, domid, &width) )
        return failed("width of d%u: errno %d (%s)", domid, errno,
                      strerror(errno));
    if ( width != 4 )
        return failed("d%u is %u-bit, not a 32-bit PV guest",
                      domid, width * 8);

    /* Keep the guest from switching pagetables while they are read. */
    if ( xc_domain_pause(xch, domid) )
        return failed("pausing d%u: errno %d (%s)", domid, errno,
                      strerror(errno));

    if ( xc_vcpu_getcontext(xch, domid, 0, &ctxt) )
    {
        res = failed("context of d%u vCPU0: errno %d (%s)", domid, errno,
                     strerror(errno));
        goto out;
    }
    l3_mfn = xen_cr3_to_pfn_x86_32(ctxt.x32.ctrlreg[3]);

    if ( read_pte(l3_mfn, 3, &l3e) )
    {
        res = failed("mapping L3 mfn %#"PRIx64": errno %d (%s)",
                     (uint64_t)l3_mfn, errno, strerror(errno));
        goto out;
    }
    if ( !(l3e & PTE_PRESENT) )
    {
        res = failed("L3[3] of mfn %#"PRIx64" is not present: %#"PRIx64,
                     (uint64_t)l3_mfn, l3e);
        goto out;
    }
    l2_mfn = (l3e & PTE_FRAME_MASK) >> XC_PAGE_SHIFT;

    if ( read_pte(l2_mfn, M2P_L2_SLOT, &l2e) )
    {
        res = failed("mapping L2 mfn %#"PRIx64": errno %d (%s)",
                     (uint64_t)l2_mfn, errno, strerror(errno));
        goto out;
    }

    if ( !(l2e & PTE_PRESENT) ||
         ((l2e & PTE_FRAME_MASK) >> XC_PAGE_SHIFT) != list[0] )
        res = failed("L2[%u] of mfn %#"PRIx64" is %#"PRIx64
                     ", want a present entry for extent 0, mfn %#"PRIx64,
                     M2P_L2_SLOT, (uint64_t)l2_mfn, l2e, (uint64_t)list[0]);
    else if ( !(l2e & PTE_PSE) )
        res = failed("L2[%u] = %#"PRIx64" maps extent 0, but not as a 2MB "
                     "superpage", M2P_L2_SLOT, l2e);

 out:
    if ( xc_domain_unpause(xch, domid) )
        fprintf(stderr, "warning: unpausing d%u: errno %d (%s)\n",
                domid, errno, strerror(errno));

    return res;
}

/* Without 32-bit PV, the call fails with EOPNOTSUPP, even to probe. */
static const char *test_eopnotsupp(void)
{
    xen_pfn_t mfn;
    unsigned long nr = 0;
    int rc;

    errno = 0;
    rc = xc_machphys_compat_mfn_list(xch, 1, &mfn, &nr);
    if ( rc != -1 || errno != EOPNOTSUPP )
        return failed("1 extent: rc %d errno %d (%s), want EOPNOTSUPP",
                      rc, errno, strerror(errno));

    errno = 0;
    rc = xc_machphys_compat_mfn_list(xch, 0, NULL, &nr);
    if ( rc != -1 || errno != EOPNOTSUPP )
        return failed("max_extents 0: rc %d errno %d (%s), want EOPNOTSUPP",
                      rc, errno, strerror(errno));

    return NULL;
}

static void usage(const char *prog)
{
    fprintf(stderr,
            "usage: %s [DOMID]        (host with 32-bit PV; DOMID: a 32-bit "
            "PV guest)\n"
            "       %s --expect-eopnotsupp   (host without 32-bit PV)\n",
            prog, prog);
    exit(2);
}

int main(int argc, char *argv[])
{
    bool expect_eopnotsupp = false;
    int i;

    for ( i = 1; i < argc; i++ )
    {
        char *end;
        unsigned long val;

        if ( !strcmp(argv[i], "--expect-eopnotsupp") )
        {
            expect_eopnotsupp = true;
            continue;
        }

        errno = 0;
        val = strtoul(argv[i], &end, 0);
        if ( have_domid || errno || !*argv[i] || *end ||
             val >= DOMID_FIRST_RESERVED )
        {
            fprintf(stderr, "%s: bad argument '%s'\n", argv[0], argv[i]);
            usage(argv[0]);
        }
        domid = val;
        have_domid = true;
    }
    if ( expect_eopnotsupp && have_domid )
        usage(argv[0]);

    xch = xc_interface_open(NULL, NULL, 0);
    fh = xenforeignmemory_open(NULL, 0);
    if ( !xch || !fh )
    {
        printf("FAIL m2p-compat-open (0.000s): cannot open %s: %s\n",
               xch ? "libxenforeignmemory" : "libxenctrl", strerror(errno));
        return 1;
    }

    if ( xc_maximum_ram_page(xch, &max_page) )
    {
        printf("FAIL m2p-compat-max-page (0.000s): errno %d (%s)\n",
               errno, strerror(errno));
        return 1;
    }
    expected = (max_page + COMPAT_ENTRIES_PER_EXTENT - 1) /
               COMPAT_ENTRIES_PER_EXTENT;
    expected = min(expected, COMPAT_MAX_EXTENTS);

    run("m2p-compat-bad-args", test_bad_args);
    if ( expect_eopnotsupp )
        run("m2p-compat-eopnotsupp", test_eopnotsupp);
    else
    {
        run("m2p-compat-probe", test_probe);
        run("m2p-compat-length", test_length);
        run("m2p-compat-short-array", test_short_array);
        run("m2p-compat-l2-slot", test_l2_slot);
    }

    free(list);
    xenforeignmemory_close(fh);
    xc_interface_close(xch);

    return !!nr_failures;
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
