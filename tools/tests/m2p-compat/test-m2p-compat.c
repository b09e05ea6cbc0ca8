/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test of XENMEM_machphys_compat_mfn_list through libxenctrl's
 * xc_machphys_compat_mfn_list(), and of xc_machphys_mfn_list()'s errors,
 * run in dom0 with no arguments.
 *
 * Whether the host has 32-bit PV is Xen's to say, in its capabilities
 * (xen-3.0-x86_32p): with it, the list has the length the host's memory
 * implies; without it (a hypervisor built without CONFIG_PV32, booted with
 * "pv=no-32", or with CET or FRED in use) the call fails with EOPNOTSUPP.
 * Bad arguments fail with EINVAL either way.
 *
 * The exit status is non-zero if a check failed; each failure is said.
 */

#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenctrl.h>

/* The compat M2P: 4-byte entries, in extents of 2MB, in at most 1GB. */
#define COMPAT_ENTRIES_PER_EXTENT (1UL << (21 - 2))
#define COMPAT_MAX_EXTENTS        512UL
/* The native M2P: 8-byte entries, in extents of 2MB, in at most 256GB. */
#define NATIVE_ENTRIES_PER_EXTENT (1UL << (21 - 3))
#define NATIVE_MAX_EXTENTS        (1UL << (38 - 21))

static unsigned int nr_failures;
#define fail(fmt, ...)                          \
({                                              \
    nr_failures++;                              \
    (void)printf(fmt, ##__VA_ARGS__);           \
})

static xc_interface *xch;
static unsigned long max_page;      /* From xc_maximum_ram_page(). */

/* call_fails WHAT ERRNO CALL: CALL returns -1 with errno ERRNO. */
#define call_fails(what, want, call)                                    \
({                                                                      \
    int rc_;                                                            \
                                                                        \
    errno = 0;                                                          \
    rc_ = (call);                                                       \
    if ( rc_ != -1 || errno != (want) )                                 \
        fail("  Fail: %s: rc %d errno %d (%s), want -1 errno %d (%s)\n", \
             what, rc_, errno, strerror(errno), want, strerror(want));  \
})

/* Bad arguments fail with EINVAL, before any hypercall. */
static void test_bad_args(void)
{
    xen_pfn_t mfn;
    unsigned long nr = 0;

    printf("Test bad arguments\n");

    call_fails("compat list, NULL array for 1 extent", EINVAL,
               xc_machphys_compat_mfn_list(xch, 1, NULL, &nr));
    call_fails("compat list, NULL nr_extents", EINVAL,
               xc_machphys_compat_mfn_list(xch, 1, &mfn, NULL));
    call_fails("native list, NULL array for 1 extent", EINVAL,
               xc_machphys_mfn_list(xch, 1, NULL));
#if ULONG_MAX > UINT_MAX
    call_fails("compat list, max_extents 2^32", EINVAL,
               xc_machphys_compat_mfn_list(xch, (unsigned long)UINT_MAX + 1,
                                           &mfn, &nr));
    call_fails("native list, max_extents 2^32", EINVAL,
               xc_machphys_mfn_list(xch, (unsigned long)UINT_MAX + 1, &mfn));
#endif
}

/*
 * xc_machphys_mfn_list() succeeds for the length max_page implies, and
 * fails with ERANGE for one extent more: it fills exactly max_extents or
 * fails, and says why.
 */
static void test_native(void)
{
    unsigned long i, nr;
    xen_pfn_t *list;

    nr = (max_page + NATIVE_ENTRIES_PER_EXTENT - 1) /
         NATIVE_ENTRIES_PER_EXTENT;

    printf("Test the native list: %lu extents\n", nr);

    if ( nr >= NATIVE_MAX_EXTENTS )
    {
        printf("  Skip: max_page %#lx fills the native M2P area\n",
               max_page);
        return;
    }

    list = calloc(nr + 1, sizeof(*list));
    if ( !list )
        err(1, "calloc");

    if ( xc_machphys_mfn_list(xch, nr, list) )
        fail("  Fail: %lu extents for max_page %#lx: errno %d (%s)\n",
             nr, max_page, errno, strerror(errno));
    else
        for ( i = 0; i < nr; i++ )
            if ( !list[i] )
                fail("  Fail: native extent %lu is 0\n", i);

    call_fails("native list, one extent more than the table has", ERANGE,
               xc_machphys_mfn_list(xch, nr + 1, list));

    free(list);
}

/*
 * With room to spare, Xen fills as many compat extents as the host's
 * memory implies, reports that count, and leaves the rest of the array
 * alone; an array of one gets extent 0 and nothing more; max_extents 0
 * fills nothing and succeeds.
 */
static void test_compat(void)
{
    const xen_pfn_t poison = (xen_pfn_t)0x5a5a5a5a5a5a5a5aULL;
    unsigned long i, nr, expected, room;
    xen_pfn_t *list, first[2] = { 0, 0 };

    expected = (max_page + COMPAT_ENTRIES_PER_EXTENT - 1) /
               COMPAT_ENTRIES_PER_EXTENT;
    if ( expected > COMPAT_MAX_EXTENTS )
        expected = COMPAT_MAX_EXTENTS;
    room = expected + 16;
    printf("Test the compat list: %lu extents\n", expected);

    nr = 1234;
    if ( xc_machphys_compat_mfn_list(xch, 0, NULL, &nr) )
        fail("  Fail: max_extents 0: errno %d (%s)\n", errno,
             strerror(errno));
    else if ( nr != 0 )
        fail("  Fail: max_extents 0: %lu extents reported\n", nr);

    list = malloc(room * sizeof(*list));
    if ( !list )
        err(1, "malloc");
    for ( i = 0; i < room; i++ )
        list[i] = poison;

    if ( xc_machphys_compat_mfn_list(xch, room, list, &nr) )
    {
        fail("  Fail: %lu extents: errno %d (%s)\n", room, errno,
             strerror(errno));
        nr = 0;
    }
    else if ( nr != expected )
        fail("  Fail: %lu extents, want %lu for max_page %#lx\n",
             nr, expected, max_page);
    else
    {
        for ( i = 0; i < nr; i++ )
            if ( list[i] == 0 || list[i] == poison )
                fail("  Fail: extent %lu is %#"PRIx64"\n", i,
                     (uint64_t)list[i]);
        for ( ; i < room; i++ )
            if ( list[i] != poison )
                fail("  Fail: entry %lu beyond the %lu reported was "
                     "written\n", i, nr);
    }

    if ( xc_machphys_compat_mfn_list(xch, 1, first, &nr) )
        fail("  Fail: 1 extent: errno %d (%s)\n", errno, strerror(errno));
    else if ( nr != 1 || first[0] == 0 || first[1] != 0 )
        fail("  Fail: array of 1: %lu filled, got %#"PRIx64", %#"PRIx64
             "; want extent 0, then 0\n", nr, (uint64_t)first[0],
             (uint64_t)first[1]);
    else if ( expected && list[0] != poison && first[0] != list[0] )
        fail("  Fail: extent 0 is %#"PRIx64", the whole list's is %#"PRIx64
             "\n", (uint64_t)first[0], (uint64_t)list[0]);

    free(list);
}

/* Without 32-bit PV, the call fails with EOPNOTSUPP, even to probe. */
static void test_eopnotsupp(void)
{
    xen_pfn_t mfn;
    unsigned long nr = 0;

    printf("Test the compat list's absence\n");

    call_fails("compat list, 1 extent", EOPNOTSUPP,
               xc_machphys_compat_mfn_list(xch, 1, &mfn, &nr));
    call_fails("compat list, max_extents 0", EOPNOTSUPP,
               xc_machphys_compat_mfn_list(xch, 0, NULL, &nr));
}

int main(int argc, char *argv[])
{
    xen_capabilities_info_t caps;

    if ( argc > 1 )
        errx(2, "usage: %s (no arguments)", argv[0]);

    xch = xc_interface_open(NULL, NULL, 0);
    if ( !xch )
        err(1, "xc_interface_open");
    if ( xc_maximum_ram_page(xch, &max_page) )
        err(1, "xc_maximum_ram_page");
    if ( xc_version(xch, XENVER_capabilities, caps) < 0 )
        err(1, "xc_version(XENVER_capabilities)");

    test_bad_args();
    test_native();
    if ( strstr(caps, "xen-3.0-x86_32p") )
    {
        printf("Xen's capabilities \"%s\" have 32-bit PV: checking the "
               "compat list\n", caps);
        test_compat();
    }
    else
    {
        printf("Xen's capabilities \"%s\" lack 32-bit PV: checking for "
               "EOPNOTSUPP\n", caps);
        test_eopnotsupp();
    }

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
