/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Unit tests of libxenguest's save code for PV guests, without a hypervisor:
 * how it normalises a 32-bit guest's pagetables for the stream, and where it
 * gets the compat M2P's first frame that this relies on.
 *
 * xg_sr_save_x86_pv.c and xg_sr_common_x86_pv.c are built from the tree
 * with harness.h, which hands the calls of theirs that need a hypervisor to
 * the synthetic host below.  Everything else they call (logging, the
 * stream's record writers) is the tree's libxenctrl and libxenguest, linked
 * as they are.  Pages are normalised through save_ops_x86_pv.normalise_page()
 * as write_batch() does; the p2m is mapped by save_ops_x86_pv.setup(), as
 * at the start of a save.
 *
 * One line per case: PASS|FAIL name (seconds); exit status 1 if a case
 * failed.  -v also prints what the code under test logged.
 */

#include "harness.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "xg_sr_common_x86_pv.h"

/* The synthetic host and guest. */
#define MAX_MFN       0xfffUL     /* Highest frame of the host. */
#define NR_PFNS       64          /* Frames of the guest. */
#define COMPAT_MFN0   0xe00UL     /* Xen's first compat m2p frame. */
#define XEN_MFN       0xe80UL     /* Other frames of Xen. */
#define FOREIGN_MFN   0x300UL     /* A frame of another domain... */
#define FOREIGN_PFN   7           /* ...which is its pfn 7. */
#define L2_PFN        0x2a        /* The pagetable under test. */

#define M2P_SLOT      428         /* 0xF5800000 >> 21 */
#define PTE_GUEST     0x067ULL    /* Present, rw, user, accessed, dirty. */
#define PTE_XEN_M2P   0x081ULL    /* Present, superpage: Xen's m2p slot. */
#define PTE_XEN       0x063ULL
#define PT_ENTRIES    (PAGE_SIZE / sizeof(uint64_t))

static xen_pfn_t guest_mfn(xen_pfn_t pfn)
{
    return 0x400 + pfn * 3;
}

static uint64_t mkpte(xen_pfn_t mfn, uint64_t flags)
{
    return ((uint64_t)mfn << PAGE_SHIFT) | flags;
}

/* What the code under test logged (warnings and errors), one per line. */
static char errlog[4096];
static size_t errlog_len;

static void log_vmessage(struct xentoollog_logger *logger,
                         xentoollog_level level, int errnoval,
                         const char *context, const char *format, va_list al)
{
    size_t room = sizeof(errlog) - errlog_len;
    int n;

    if ( level < XTL_WARN )
        return;

    n = vsnprintf(errlog + errlog_len, room, format, al);
    if ( n < 0 || n + 1 >= room )
    {
        errlog_len = sizeof(errlog) - 1;
        return;
    }
    errlog_len += n;
    errlog[errlog_len++] = '\n';
    errlog[errlog_len] = '\0';
}

static void log_progress(struct xentoollog_logger *logger,
                         const char *context, const char *doing_what,
                         int percent, unsigned long done, unsigned long total)
{
}

static void log_destroy(struct xentoollog_logger *logger)
{
}

static xentoollog_logger logger = {
    .vmessage = log_vmessage,
    .progress = log_progress,
    .destroy  = log_destroy,
};

/*
 * The host: its m2p, and Xen's answers to the calls harness.h hands to it.
 */
static xen_pfn_t m2p[MAX_MFN + 1];

/* What xc_machphys_compat_mfn_list() answers, and how it was asked. */
static struct {
    int err;                    /* errno to fail with, or 0 */
    unsigned long nr;           /* extents to report */
    unsigned int calls;
    unsigned long max_extents;
} compat_list;

int host_maximum_ram_page(xc_interface *xch, unsigned long *max_mfn)
{
    *max_mfn = MAX_MFN;
    return 0;
}

int host_machphys_mfn_list(xc_interface *xch, unsigned long max_extents,
                           xen_pfn_t *extent_start)
{
    unsigned long i;

    for ( i = 0; i < max_extents; i++ )
        extent_start[i] = 0x800 + i * 512;

    return 0;
}

int host_machphys_compat_mfn_list(xc_interface *xch,
                                  unsigned long max_extents,
                                  xen_pfn_t *extent_start,
                                  unsigned long *nr_extents)
{
    unsigned long i;

    compat_list.calls++;
    compat_list.max_extents = max_extents;
    if ( compat_list.err )
    {
        errno = compat_list.err;
        return -1;
    }
    for ( i = 0; i < compat_list.nr && i < max_extents; i++ )
        extent_start[i] = COMPAT_MFN0 + i * 512;
    *nr_extents = i;

    return 0;
}

static void *map_anon(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    return p == MAP_FAILED ? NULL : p;
}

/* The m2p, as Xen lets dom0 map it: the whole host's. */
void *host_map_foreign_ranges(xc_interface *xch, uint32_t dom, size_t size,
                              int prot, size_t chunksize,
                              privcmd_mmap_entry_t entries[], int nentries)
{
    void *p = map_anon(size);

    if ( p )
        memcpy(p, m2p, min(size, sizeof(m2p)));

    return p;
}

/* The state of one test: a 32-bit guest of NR_PFNS frames. */
static xc_interface *xch;
static struct xc_sr_context ctx;
static uint32_t p2m[NR_PFNS];
static uint64_t src[PT_ENTRIES];   /* The page under test. */

enum state { RUNNING, PAUSED, SUSPENDED };

static void setup(enum state state)
{
    unsigned int i;

    memset(&ctx, 0, sizeof(ctx));
    ctx.xch = xch;
    ctx.domid = 1;
    ctx.x86.pv.width = 4;
    ctx.x86.pv.levels = 3;
    ctx.x86.pv.max_mfn = MAX_MFN;
    ctx.x86.pv.m2p = m2p;
    ctx.x86.pv.compat_m2p_mfn0 = COMPAT_MFN0;
    ctx.x86.pv.max_pfn = NR_PFNS - 1;
    ctx.x86.pv.p2m = p2m;
    ctx.dominfo.flags = state == PAUSED ? XEN_DOMINF_paused :
                        state == SUSPENDED ?
                        XEN_DOMINF_shutdown |
                        (SHUTDOWN_suspend << XEN_DOMINF_shutdownshift) : 0;

    for ( i = 0; i <= MAX_MFN; i++ )
        m2p[i] = INVALID_MFN;
    for ( i = 0; i < NR_PFNS; i++ )
    {
        p2m[i] = guest_mfn(i);
        m2p[guest_mfn(i)] = i;
    }
    /* Another domain's frame: its m2p entry names a pfn of ours. */
    m2p[FOREIGN_MFN] = FOREIGN_PFN;

    memset(src, 0, sizeof(src));
    errlog[0] = '\0';
    errlog_len = 0;
    memset(&compat_list, 0, sizeof(compat_list));
}

/* Fill src as the top L2 of a 32-bit guest: Xen's slots from M2P_SLOT on. */
static void make_top_l2(void)
{
    unsigned int i;

    src[0] = mkpte(guest_mfn(1), PTE_GUEST);
    src[1] = mkpte(guest_mfn(2), PTE_GUEST);
    src[427] = mkpte(guest_mfn(3), PTE_GUEST);
    src[M2P_SLOT] = mkpte(COMPAT_MFN0, PTE_XEN_M2P);
    for ( i = M2P_SLOT + 1; i < PT_ENTRIES; i++ )
        src[i] = mkpte(XEN_MFN + i - M2P_SLOT, PTE_XEN);
}

/* Normalise src as a page of type 'type'; the result in *out. */
static int normalise(xen_pfn_t type, uint64_t **out)
{
    void *page = src;
    int rc;

    errno = 0;
    rc = save_ops_x86_pv.normalise_page(&ctx, L2_PFN, type, &page);
    *out = page == (void *)src ? NULL : page;

    return rc;
}

static char reason[512];

/* The log on one line, shortened, for a FAIL line. */
static const char *flatlog(void)
{
    static char buf[300];
    size_t i;

    for ( i = 0; i < sizeof(buf) - 1 && errlog[i]; i++ )
        buf[i] = errlog[i] == '\n' ? '|' : errlog[i];
    buf[i] = '\0';

    return buf;
}

#define CHECK(cond, fmt, ...) do {                                      \
        if ( !(cond) )                                                  \
        {                                                               \
            snprintf(reason, sizeof(reason), fmt, ##__VA_ARGS__);       \
            goto out;                                                   \
        }                                                               \
    } while ( 0 )

/*
 * Check that dst is src normalised without dropping anything: the frame of
 * each present entry made a pfn, the rest copied.  Slots from 'cleared' on
 * must be 0 instead.
 */
static const char *check_converted(const uint64_t *dst, unsigned int cleared)
{
    unsigned int i;

    for ( i = 0; i < PT_ENTRIES; i++ )
    {
        uint64_t want = src[i];

        if ( i >= cleared )
            want = 0;
        else if ( src[i] & _PAGE_PRESENT )
            want = merge_pte(src[i], m2p[pte_to_frame(src[i])]);

        if ( dst[i] != want )
        {
            snprintf(reason, sizeof(reason),
                     "slot %u: got %#"PRIx64", want %#"PRIx64,
                     i, dst[i], want);
            return reason;
        }
    }

    return NULL;
}

/* Normalisation of src succeeds, as check_converted(dst, cleared) says. */
static const char *expect_converted(xen_pfn_t type, unsigned int cleared)
{
    uint64_t *dst = NULL;
    const char *res = reason;
    int rc = normalise(type, &dst);

    CHECK(rc == 0 && dst, "rc %d errno %d: %s", rc, errno, flatlog());
    res = check_converted(dst, cleared);
 out:
    free(dst);
    return res;
}

/* A top L2: its Xen slots are cleared, the guest's converted. */
static const char *test_top_l2_cleared(void)
{
    setup(PAUSED);
    make_top_l2();
    src[100] = 0xdead0000ULL;   /* Not present: kept as it is. */

    return expect_converted(XEN_DOMCTL_PFINFO_L2TAB, M2P_SLOT);
}

/* An ordinary L2 maps the guest's frames up to slot 511: all converted. */
static const char *test_plain_l2_untouched(void)
{
    setup(PAUSED);
    src[0] = mkpte(guest_mfn(1), PTE_GUEST);
    src[M2P_SLOT - 1] = mkpte(guest_mfn(2), PTE_GUEST);
    src[M2P_SLOT] = mkpte(guest_mfn(3), PTE_GUEST);
    src[M2P_SLOT + 1] = mkpte(guest_mfn(4), PTE_GUEST);
    src[PT_ENTRIES - 1] = mkpte(guest_mfn(5), PTE_GUEST);
    src[200] = 0x12345678ULL & ~(uint64_t)_PAGE_PRESENT;

    return expect_converted(XEN_DOMCTL_PFINFO_L2TAB, PT_ENTRIES);
}

/*
 * A non-present slot 428 carrying the compat m2p's frame does not make an
 * ordinary L2 a top one: the guest's entries above it stay.
 */
static const char *test_nonpresent_m2p_bits(void)
{
    setup(PAUSED);
    src[M2P_SLOT] = mkpte(COMPAT_MFN0, PTE_XEN_M2P & ~_PAGE_PRESENT);
    src[M2P_SLOT + 1] = mkpte(guest_mfn(4), PTE_GUEST);
    src[PT_ENTRIES - 1] = mkpte(guest_mfn(5), PTE_GUEST);

    return expect_converted(XEN_DOMCTL_PFINFO_L2TAB, PT_ENTRIES);
}

/*
 * Run normalisation of src, which must fail with 'err'; with 'msg' in the
 * log (or nothing in the log if msg is NULL), and with 'msg2' too if given.
 */
static const char *expect_fail(xen_pfn_t type, int err, const char *msg,
                               const char *msg2)
{
    uint64_t *dst = NULL;
    const char *res = reason;
    int rc = normalise(type, &dst);
    int saved_errno = errno;

    CHECK(rc == -1, "rc %d, want -1 (%s)", rc, strerror(err));
    CHECK(saved_errno == err, "errno %d (%s), want %d (%s); log: %s",
          saved_errno, strerror(saved_errno), err, strerror(err), flatlog());
    if ( msg )
        CHECK(strstr(errlog, msg), "no \"%s\" in the log: %s", msg, flatlog());
    else
        CHECK(!errlog_len, "unexpected message: %s", flatlog());
    if ( msg2 )
        CHECK(strstr(errlog, msg2), "no \"%s\" in the log: %s",
              msg2, flatlog());
    res = NULL;
 out:
    free(dst);
    return res;
}

#define BAD_MSG(mfn, slot, flags)                                        \
    "Bad mfn " #mfn " in L2[" #slot "] of pfn 0x2a (pte " #mfn #flags    \
    "): not a frame of the guest"
#define HINT_MSG "(in a top L2, Xen maps compat m2p mfn 0xe00 at L2[428])"

/* Slot 428 maps some other superpage: not Xen's m2p, and not the guest's. */
static const char *test_m2p_slot_other_superpage(void)
{
    setup(RUNNING);
    make_top_l2();
    src[M2P_SLOT] = mkpte(XEN_MFN, PTE_XEN_M2P);

    return expect_fail(XEN_DOMCTL_PFINFO_L2TAB, E2BIG,
                       "Cannot migrate superpage (L2[428]: "
                       "0x0000000000e80081 in pfn 0x2a)", HINT_MSG);
}

/* Slot 428 maps another domain's frame, in a paused guest. */
static const char *test_m2p_slot_foreign(void)
{
    setup(PAUSED);
    src[M2P_SLOT] = mkpte(FOREIGN_MFN, PTE_GUEST);

    return expect_fail(XEN_DOMCTL_PFINFO_L2TAB, ERANGE,
                       BAD_MSG(0x300, 428, 067), HINT_MSG);
}

/* A top L2 whose slot 17 maps another domain's frame, guest paused. */
static const char *test_foreign_paused(void)
{
    setup(PAUSED);
    make_top_l2();
    src[17] = mkpte(FOREIGN_MFN, PTE_GUEST);

    return expect_fail(XEN_DOMCTL_PFINFO_L2TAB, ERANGE,
                       BAD_MSG(0x300, 17, 067), NULL);
}

/* The same while the guest runs: deferred, quietly. */
static const char *test_foreign_live(void)
{
    setup(RUNNING);
    make_top_l2();
    src[17] = mkpte(FOREIGN_MFN, PTE_GUEST);

    return expect_fail(XEN_DOMCTL_PFINFO_L2TAB, EAGAIN, NULL, NULL);
}

/*
 * The same once the guest has suspended itself (shut down, not paused), as
 * in the last round of a save: nothing is retried after this, so it fails.
 */
static const char *test_foreign_suspended(void)
{
    setup(SUSPENDED);
    make_top_l2();
    src[17] = mkpte(FOREIGN_MFN, PTE_GUEST);

    return expect_fail(XEN_DOMCTL_PFINFO_L2TAB, ERANGE,
                       BAD_MSG(0x300, 17, 067), NULL);
}

/* An ordinary L2 mapping a frame beyond the host's m2p. */
static const char *test_beyond_m2p(void)
{
    setup(SUSPENDED);
    src[3] = mkpte(MAX_MFN + 1, PTE_GUEST);

    return expect_fail(XEN_DOMCTL_PFINFO_L2TAB, ERANGE,
                       BAD_MSG(0x1000, 3, 067), NULL);
}

/* A 32-bit guest's L3: slots 0-3 are the guest's, the rest Xen's. */
static const char *test_l3(void)
{
    unsigned int i;

    setup(PAUSED);
    for ( i = 0; i < 4; i++ )
        src[i] = mkpte(guest_mfn(10 + i), _PAGE_PRESENT);
    for ( ; i < PT_ENTRIES; i++ )
        src[i] = mkpte(XEN_MFN, PTE_XEN);

    return expect_converted(XEN_DOMCTL_PFINFO_L3TAB, 4);
}

/* An L3 whose slot 3 maps another domain's frame. */
static const char *test_l3_foreign(void)
{
    setup(PAUSED);
    src[3] = mkpte(FOREIGN_MFN, _PAGE_PRESENT);

    return expect_fail(XEN_DOMCTL_PFINFO_L3TAB, ERANGE,
                       "Bad mfn 0x300 in L3[3] of pfn 0x2a", NULL);
}

/* A 32-bit guest has no L4. */
static const char *test_l4_refused(void)
{
    setup(PAUSED);

    return expect_fail(XEN_DOMCTL_PFINFO_L4TAB, EINVAL,
                       "Found L4 table for 32bit guest", NULL);
}

/* x86_pv_map_m2p(), letting go at once of the m2p it maps. */
static int map_m2p(void)
{
    int rc = x86_pv_map_m2p(&ctx), err = errno;

    if ( ctx.x86.pv.m2p != m2p )
        munmap(ctx.x86.pv.m2p, M2P_SIZE(MAX_MFN));
    ctx.x86.pv.m2p = m2p;
    errno = err;

    return rc;
}

/* x86_pv_map_m2p() fails with err, saying msg. */
static const char *expect_map_m2p_fail(int err, const char *msg)
{
    const char *res = reason;
    int rc = map_m2p(), saved_errno = errno;

    CHECK(rc != 0, "rc %d, want failure", rc);
    CHECK(saved_errno == err, "errno %d (%s), want %d (%s); log: %s",
          saved_errno, strerror(saved_errno), err, strerror(err), flatlog());
    CHECK(strstr(errlog, msg), "no \"%s\" in the log: %s", msg, flatlog());
    res = NULL;
 out:
    return res;
}

/* x86_pv_map_m2p() takes compat_m2p_mfn0 from the libxc wrapper. */
static const char *test_map_m2p_compat(void)
{
    const char *res = reason;
    int rc;

    setup(PAUSED);
    ctx.x86.pv.compat_m2p_mfn0 = 0;
    compat_list.nr = 4;

    rc = map_m2p();
    CHECK(rc == 0, "rc %d errno %d: %s", rc, errno, flatlog());
    CHECK(compat_list.calls == 1 && compat_list.max_extents == 1,
          "wrapper called %u times, for %lu extents; want once, for 1",
          compat_list.calls, compat_list.max_extents);
    CHECK(ctx.x86.pv.compat_m2p_mfn0 == COMPAT_MFN0,
          "compat_m2p_mfn0 %#"PRIpfn", want %#lx",
          ctx.x86.pv.compat_m2p_mfn0, COMPAT_MFN0);
    res = NULL;
 out:
    return res;
}

/* A host without 32-bit PV: the save of a 32-bit guest fails. */
static const char *test_map_m2p_no_compat(void)
{
    setup(PAUSED);
    compat_list.err = EOPNOTSUPP;

    return expect_map_m2p_fail(EOPNOTSUPP,
                               "Failed to get compat m2p mfn list");
}

/* No extent at all from Xen is an error, not a zero frame. */
static const char *test_map_m2p_compat_empty(void)
{
    setup(PAUSED);
    compat_list.nr = 0;

    return expect_map_m2p_fail(ENODATA,
                               "returned 0 extents of its compat m2p");
}

/* A 64-bit guest needs no compat m2p: not asked for. */
static const char *test_map_m2p_64bit(void)
{
    const char *res = reason;
    int rc;

    setup(PAUSED);
    ctx.x86.pv.width = 8;
    ctx.x86.pv.levels = 4;

    rc = map_m2p();
    CHECK(rc == 0, "rc %d errno %d: %s", rc, errno, flatlog());
    CHECK(compat_list.calls == 0, "compat list asked for a 64-bit guest");
    CHECK(ctx.x86.pv.compat_m2p_mfn0 == INVALID_MFN,
          "compat_m2p_mfn0 %#"PRIpfn", want INVALID_MFN",
          ctx.x86.pv.compat_m2p_mfn0);
    res = NULL;
 out:
    return res;
}

static const struct {
    const char *name;
    const char *(*fn)(void);
} tests[] = {
    { "top-l2-xen-slots-cleared", test_top_l2_cleared },
    { "plain-l2-untouched", test_plain_l2_untouched },
    { "nonpresent-m2p-bits-not-xen", test_nonpresent_m2p_bits },
    { "m2p-slot-other-superpage", test_m2p_slot_other_superpage },
    { "m2p-slot-foreign-paused", test_m2p_slot_foreign },
    { "foreign-entry-paused", test_foreign_paused },
    { "foreign-entry-live", test_foreign_live },
    { "foreign-entry-suspended", test_foreign_suspended },
    { "mfn-beyond-m2p", test_beyond_m2p },
    { "l3-xen-slots-cleared", test_l3 },
    { "l3-foreign-entry", test_l3_foreign },
    { "l4-refused", test_l4_refused },
    { "map-m2p-compat-mfn0", test_map_m2p_compat },
    { "map-m2p-no-compat", test_map_m2p_no_compat },
    { "map-m2p-compat-empty", test_map_m2p_compat_empty },
    { "map-m2p-64bit-guest", test_map_m2p_64bit },
};

int main(int argc, char *argv[])
{
    unsigned int i, nr_failures = 0;
    bool verbose = argc > 1 && !strcmp(argv[1], "-v");

    /* Logging only: the host is the one above. */
    xch = xc_interface_open(&logger, &logger, XC_OPENFLAG_DUMMY);
    if ( !xch )
    {
        printf("FAIL sr-normalise-setup (0.000s): xc_interface_open: %s\n",
               strerror(errno));
        return 1;
    }

    for ( i = 0; i < ARRAY_SIZE(tests); i++ )
    {
        struct timespec t0, t1;
        const char *res;
        double secs;

        clock_gettime(CLOCK_MONOTONIC, &t0);
        res = tests[i].fn();
        clock_gettime(CLOCK_MONOTONIC, &t1);
        secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

        if ( res )
        {
            nr_failures++;
            printf("FAIL %s (%.3fs): %s\n", tests[i].name, secs, res);
        }
        else
            printf("PASS %s (%.3fs)\n", tests[i].name, secs);
        fflush(stdout);

        if ( verbose && errlog_len )
            fprintf(stderr, "%s", errlog);
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
