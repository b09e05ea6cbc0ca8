/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test of XENMEM_machphys_compat_mfn_list through libxenctrl's
 * xc_machphys_compat_mfn_list(), run in dom0 with no arguments.
 *
 * Whether the host has 32-bit PV is Xen's to say, in its capabilities
 * (xen-3.0-x86_32p): with it, the list has the length the host's memory
 * implies; without it (a hypervisor built without CONFIG_PV32, booted with
 * "pv=no-32", or with CET or FRED in use) the call fails with EOPNOTSUPP.
 * Bad arguments fail with EINVAL either way.
 *
 * One line per test case: PASS|FAIL name (seconds); the exit status is
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
#include <time.h>

#include <xenctrl.h>
#include <xen-tools/common-macros.h>

/* The compat M2P: 4-byte entries, in extents of 2MB, in at most 1GB. */
#define COMPAT_ENTRIES_PER_EXTENT (1UL << (21 - 2))
#define COMPAT_MAX_EXTENTS        512UL

static xc_interface *xch;
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
    else
    {
        nr_failures++;
        printf("FAIL %s (%.3fs): %s\n", name, secs, res);
    }
    fflush(stdout);
}

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

/*
 * An array of one gets extent 0, the count says so, and the entry after it
 * is left alone; extent 0 is the one of the whole list, when that was read.
 */
static const char *test_short_array(void)
{
    xen_pfn_t first[2] = { 0, 0 };
    unsigned long nr = 0;

    if ( xc_machphys_compat_mfn_list(xch, 1, first, &nr) )
        return failed("1 extent: errno %d (%s)", errno, strerror(errno));
    if ( nr != 1 )
        return failed("%lu extents filled for an array of 1", nr);
    if ( first[0] == 0 || first[1] != 0 )
        return failed("got %#"PRIx64", %#"PRIx64"; want extent 0, then 0",
                      (uint64_t)first[0], (uint64_t)first[1]);
    if ( nr_list && first[0] != list[0] )
        return failed("extent 0 is %#"PRIx64", the whole list's is %#"PRIx64,
                      (uint64_t)first[0], (uint64_t)list[0]);

    return NULL;
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

/* Whether Xen says it runs 32-bit PV guests; its capabilities in caps. */
static bool host_has_pv32(xen_capabilities_info_t caps)
{
    if ( xc_version(xch, XENVER_capabilities, caps) < 0 )
    {
        printf("FAIL m2p-compat-capabilities (0.000s): errno %d (%s)\n",
               errno, strerror(errno));
        exit(1);
    }

    return strstr(caps, "xen-3.0-x86_32p");
}

int main(int argc, char *argv[])
{
    xen_capabilities_info_t caps;

    if ( argc > 1 )
    {
        fprintf(stderr, "usage: %s (no arguments)\n", argv[0]);
        return 2;
    }

    xch = xc_interface_open(NULL, NULL, 0);
    if ( !xch )
    {
        printf("FAIL m2p-compat-open (0.000s): cannot open libxenctrl: %s\n",
               strerror(errno));
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
    if ( host_has_pv32(caps) )
    {
        printf("Xen's capabilities \"%s\" have 32-bit PV: checking the "
               "compat list\n", caps);
        run("m2p-compat-probe", test_probe);
        run("m2p-compat-length", test_length);
        run("m2p-compat-short-array", test_short_array);
    }
    else
    {
        printf("Xen's capabilities \"%s\" lack 32-bit PV: checking for "
               "EOPNOTSUPP\n", caps);
        run("m2p-compat-eopnotsupp", test_eopnotsupp);
    }

    free(list);
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
