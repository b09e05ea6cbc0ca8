/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen-m2p: show the frames of Xen's machine-to-phys (M2P) tables, and check
 * the Xen slots of a 32-bit PV guest's L2 pagetables against them.
 *
 * Xen keeps two M2P tables on x86: the native one (8-byte entries) and,
 * with 32-bit PV support, the compat one (4-byte entries) which 32-bit PV
 * guests see.  XENMEM_machphys_mfn_list and XENMEM_machphys_compat_mfn_list
 * report the frame of each 2MiB extent of them.  In every 32-bit PAE PV
 * guest, Xen fills the top of the L2 behind slot 3 of each L3 with its own
 * entries, from the first Xen slot on: slot (first + i) maps compat extent
 * i, read-only, as a 2MiB superpage.  The migration code recognises Xen's
 * slots by that; "check" verifies it for a running guest.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xenctrl.h>
#include <xenforeignmemory.h>
#include <xenguest.h>
#include <xentoollog.h>

#include <xen-tools/common-macros.h>

#define EXIT_OK         0
#define EXIT_MISMATCH   1
#define EXIT_ERROR      2

/* An extent of an M2P table is 2MiB (public/memory.h). */
#define EXTENT_SHIFT    21
#define EXTENT_SIZE     (1UL << EXTENT_SHIFT)

/*
 * The most extents an M2P list can have: the size of the area Xen reserves
 * for the table (public/memory.h).  A 32-bit caller's own M2P is the compat
 * one: Xen answers XENMEM_machphys_mfn_list with the compat list for it.
 */
#define COMPAT_ENTRY_SIZE       4
#define COMPAT_MAX_EXTENTS      ((1UL << 30) >> EXTENT_SHIFT)
#ifdef __x86_64__
#define NATIVE_MAX_EXTENTS      ((1UL << 38) >> EXTENT_SHIFT)
#else
#define NATIVE_MAX_EXTENTS      COMPAT_MAX_EXTENTS
#endif

/*
 * Where Xen's part of a 32-bit PAE PV guest's address space starts:
 * __HYPERVISOR_VIRT_START_PAE of public/arch-x86/xen-x86_32.h.  Xen gives
 * it to every domU; only a 32-bit PV dom0 may move it down (ELF note
 * HV_START_LOW), and nothing reports a domain's value to another domain.
 */
#define PAE_HYPERVISOR_VIRT_START   0xF5800000U
#define L2_SLOT(va)                 (((va) >> 21) & (L2_ENTRIES - 1))
#define DEFAULT_FIRST_SLOT          L2_SLOT(PAE_HYPERVISOR_VIRT_START)

/* PAE pagetable entries. */
#define L2_ENTRIES          512
#define L3_XEN_SLOT         3       /* behind it, the L2 with Xen's slots */
#define PTE_PRESENT         0x001ULL
#define PTE_RW              0x002ULL
#define PTE_PSE             0x080ULL
#define PTE_FRAME_MASK      0x000ffffffffff000ULL
#define PTE_FRAME(pte)      ((xen_pfn_t)(((pte) & PTE_FRAME_MASK) >> \
                                         XC_PAGE_SHIFT))

struct m2p_list {
    const char *name;           /* "native" or "compat" */
    unsigned int entry_size;    /* of the table, in bytes */
    unsigned long max_mfn;      /* the table covers the MFNs below it */
    unsigned long nr;           /* extents in mfn[] */
    xen_pfn_t *mfn;
};

/* A guest L3 to look behind, and how it was found. */
struct l3_ref {
    xen_pfn_t mfn;
    int vcpu;                   /* whose CR3 it is, or -1: typed as L3 */
};

static const char *prog = "xen-m2p";
static bool opt_json;
static bool opt_verbose;
static unsigned int opt_first_slot = DEFAULT_FIRST_SLOT;

static xentoollog_logger_stdiostream *logger;
static xc_interface *xch;

static void __attribute__((format(printf, 1, 2))) error(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* error() with ": <strerror(err)> (errno <err>)" appended. */
static void __attribute__((format(printf, 2, 3)))
error_errno(int err, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, ": %s (errno %d)\n", strerror(err), err);
}

static void usage(void)
{
    printf("Usage: %s [-j] [-v] list [native|compat]\n"
           "       %s [-j] [-v] [--first-slot=SLOT] check DOMID\n"
           "List the frames of Xen's M2P tables, or check the Xen slots of\n"
           "a 32-bit PV guest's L2 pagetables against the compat M2P.\n"
           "  -j, --json             print JSON\n"
           "  -v, --verbose          also show each L2 checked, and libxc's\n"
           "                         own messages\n"
           "      --first-slot=SLOT  the guest's first Xen slot (default %u)\n"
           "  -h, --help             show this help\n"
           "Exit status: 0 good, 1 check found a mismatch, 2 usage or other "
           "error.\nSee xen-m2p(8).\n", prog, prog, DEFAULT_FIRST_SLOT);
}

/* A usage error: say what is wrong, and where help is. */
static int __attribute__((format(printf, 1, 2))) usage_error(
    const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s --help'.\n", prog);

    return EXIT_ERROR;
}

/* How many extents a table of max_mfn entries of entry_size bytes has. */
static unsigned long extents_for(unsigned long max_mfn,
                                 unsigned int entry_size)
{
    unsigned long per_extent = EXTENT_SIZE / entry_size;

    return max_mfn / per_extent + !!(max_mfn % per_extent);
}

static void report_no_compat(void)
{
    error("this host has no 32-bit PV support, hence no compat M2P "
          "(Xen built without CONFIG_PV32, booted with pv=no-32, or using "
          "CET): %s (errno %d)", strerror(EOPNOTSUPP), EOPNOTSUPP);
}

static int get_native_list(struct m2p_list *l, unsigned long max_mfn)
{
    unsigned long nr = extents_for(max_mfn, sizeof(xen_pfn_t));

    if ( nr > NATIVE_MAX_EXTENTS )
        nr = NATIVE_MAX_EXTENTS;

    l->name = "native";
    l->entry_size = sizeof(xen_pfn_t);
    l->max_mfn = max_mfn;
    l->mfn = calloc(nr ?: 1, sizeof(*l->mfn));
    if ( !l->mfn )
    {
        error_errno(errno, "allocating the native list of %lu extents", nr);
        return -1;
    }

    /* The wrapper fails without errno unless it got exactly nr extents. */
    errno = 0;
    if ( xc_machphys_mfn_list(xch, nr, l->mfn) )
    {
        if ( errno )
            error_errno(errno, "XENMEM_machphys_mfn_list of %lu extents",
                        nr);
        else
            error("XENMEM_machphys_mfn_list did not give the %lu extents "
                  "that max_mfn %#lx implies", nr, max_mfn);
        return -1;
    }
    l->nr = nr;

    return 0;
}

/* Returns -EOPNOTSUPP, without a message, if the host has no compat M2P. */
static int get_compat_list(struct m2p_list *l, unsigned long max_mfn)
{
    unsigned long nr = extents_for(max_mfn, COMPAT_ENTRY_SIZE), filled;

    l->name = "compat";
    l->entry_size = COMPAT_ENTRY_SIZE;
    l->max_mfn = max_mfn;
    l->mfn = calloc(nr ?: 1, sizeof(*l->mfn));
    if ( !l->mfn )
    {
        error_errno(errno, "allocating the compat list of %lu extents", nr);
        return -1;
    }

    if ( xc_machphys_compat_mfn_list(xch, nr, l->mfn, &filled) )
    {
        if ( errno == EOPNOTSUPP )
            return -EOPNOTSUPP;
        error_errno(errno, "XENMEM_machphys_compat_mfn_list of %lu extents",
                    nr);
        return -1;
    }
    l->nr = filled;

    return 0;
}

static int get_max_mfn(unsigned long *max_mfn)
{
    if ( xc_maximum_ram_page(xch, max_mfn) )
    {
        error_errno(errno, "XENMEM_maximum_ram_page");
        return -1;
    }

    return 0;
}

/* Extent i repeats the frame of the one before: Xen has no frame for it. */
static bool is_hole(const struct m2p_list *l, unsigned long i)
{
    return i && l->mfn[i] == l->mfn[i - 1];
}

/* The machine addresses whose M2P entries extent i holds. */
static void extent_covers(const struct m2p_list *l, unsigned long i,
                          uint64_t *start, uint64_t *end)
{
    unsigned long per_extent = EXTENT_SIZE / l->entry_size;
    uint64_t first = (uint64_t)i * per_extent;
    uint64_t last = first + per_extent;

    if ( last > l->max_mfn )
        last = l->max_mfn;
    *start = first << XC_PAGE_SHIFT;
    *end = (last << XC_PAGE_SHIFT) - 1;
}

static void print_list_text(const struct m2p_list *l)
{
    unsigned long i;
    uint64_t start, end;

    printf("%s M2P: %lu extent%s of 2MiB, %u-byte entries, "
           "for MFNs below %#lx\n", l->name, l->nr, l->nr == 1 ? "" : "s",
           l->entry_size, l->max_mfn);
    printf("%7s  %12s  %s\n", "extent", "mfn", "machine addresses covered");
    for ( i = 0; i < l->nr; i++ )
    {
        extent_covers(l, i, &start, &end);
        printf("%7lu  %#12lx  %#" PRIx64 "-%#" PRIx64, i,
               (unsigned long)l->mfn[i], start, end);
        if ( is_hole(l, i) )
            printf("  (no frame: repeats extent %lu)", i - 1);
        putchar('\n');
    }
}

static void print_list_json(const struct m2p_list *l)
{
    unsigned long i;
    uint64_t start, end;

    printf("{\"entry_size\": %u, \"nr_extents\": %lu, \"extents\": [",
           l->entry_size, l->nr);
    for ( i = 0; i < l->nr; i++ )
    {
        extent_covers(l, i, &start, &end);
        printf("%s\n    {\"index\": %lu, \"mfn\": %lu, "
               "\"maddr_start\": %" PRIu64 ", \"maddr_end\": %" PRIu64 ", "
               "\"hole\": %s}", i ? "," : "", i, (unsigned long)l->mfn[i],
               start, end, is_hole(l, i) ? "true" : "false");
    }
    printf("%s]}", l->nr ? "\n  " : "");
}

static int cmd_list(bool native, bool compat)
{
    struct m2p_list nl = { 0 }, cl = { 0 };
    bool have_compat = false;
    unsigned long max_mfn;
    int rc = EXIT_ERROR;

    if ( get_max_mfn(&max_mfn) )
        return EXIT_ERROR;

    if ( native && get_native_list(&nl, max_mfn) )
        goto out;

    if ( compat )
    {
        int ret = get_compat_list(&cl, max_mfn);

        if ( ret == -EOPNOTSUPP )
        {
            report_no_compat();
            /* Asked for the compat table alone: an error. */
            if ( !native )
                goto out;
        }
        else if ( ret )
            goto out;
        else
            have_compat = true;
    }

    if ( opt_json )
    {
        printf("{\n  \"max_mfn\": %lu", max_mfn);
        if ( native )
        {
            printf(",\n  \"native\": ");
            print_list_json(&nl);
        }
        if ( compat )
        {
            printf(",\n  \"compat\": ");
            if ( have_compat )
                print_list_json(&cl);
            else
                printf("null");
        }
        printf("\n}\n");
    }
    else
    {
        if ( native )
            print_list_text(&nl);
        if ( have_compat )
            print_list_text(&cl);
        else if ( compat )
            printf("compat M2P: none (no 32-bit PV support)\n");
    }
    rc = EXIT_OK;

 out:
    free(nl.mfn);
    free(cl.mfn);
    return rc;
}

/* What check found wrong. */
struct mismatch {
    xen_pfn_t l2_mfn, l2_pfn;
    xen_pfn_t l3_mfn;
    int slot;                   /* of the L2, or -1: L3 slot 3 is empty */
    uint64_t found;             /* the entry */
    bool expect_present;
    xen_pfn_t expect_mfn;
    unsigned int extent;        /* of the compat list, for that slot */
    const char *why;
};

struct check {
    uint32_t domid;
    const struct m2p_list *compat;
    const xen_pfn_t *m2p;       /* the native M2P, to name pfns */
    unsigned long max_mfn;
    xenforeignmemory_handle *fmem;
    unsigned long nr_l2s;
    unsigned long nr_mismatches;
    struct mismatch *mismatch;
    bool json_l2_open;          /* a JSON "l2s" element was printed */
};

/* The guest's pfn of one of its frames, or INVALID_PFN. */
#define INVALID_PFN (~(xen_pfn_t)0)
static xen_pfn_t mfn_to_pfn(const struct check *c, xen_pfn_t mfn)
{
    xen_pfn_t pfn;

    if ( mfn >= c->max_mfn )
        return INVALID_PFN;
    pfn = c->m2p[mfn];

    /* Xen's markers of a frame not owned, or shared: ~0 and ~0 - 1. */
    return pfn >= INVALID_PFN - 1 ? INVALID_PFN : pfn;
}

static void print_pfn(xen_pfn_t pfn)
{
    if ( opt_json )
    {
        if ( pfn == INVALID_PFN )
            printf("null");
        else
            printf("%lu", (unsigned long)pfn);
    }
    else
    {
        if ( pfn == INVALID_PFN )
            printf("pfn unknown");
        else
            printf("pfn %#lx", (unsigned long)pfn);
    }
}

static int add_mismatch(struct check *c, const struct mismatch *m)
{
    struct mismatch *n = realloc(c->mismatch,
                                 (c->nr_mismatches + 1) * sizeof(*n));

    if ( !n )
    {
        error_errno(errno, "recording a mismatch");
        return -1;
    }
    c->mismatch = n;
    c->mismatch[c->nr_mismatches++] = *m;

    return 0;
}

/*
 * The entry Xen puts at slot first + i: compat extent i as a read-only
 * 2MiB superpage if Xen has a frame for it, else nothing.  Returns a
 * description of what is wrong with pte, or NULL.
 */
static const char *slot_problem(const struct m2p_list *compat,
                                unsigned int i, uint64_t pte,
                                bool *present, xen_pfn_t *mfn)
{
    *present = i < compat->nr && !is_hole(compat, i);
    *mfn = *present ? compat->mfn[i] : 0;

    if ( !*present )
        return pte ? "should be empty" : NULL;
    if ( !(pte & PTE_PRESENT) )
        return "not present";
    if ( PTE_FRAME(pte) != *mfn )
        return "wrong frame";
    if ( !(pte & PTE_PSE) )
        return "not a 2MiB superpage";
    if ( pte & PTE_RW )
        return "writable";

    return NULL;
}

static void print_l2_json(struct check *c, const struct l3_ref *l3,
                          xen_pfn_t l2_mfn, unsigned long bad)
{
    printf("%s\n    {\"mfn\": %lu, \"pfn\": ", c->json_l2_open ? "," : "",
           (unsigned long)l2_mfn);
    print_pfn(mfn_to_pfn(c, l2_mfn));
    printf(", \"l3_mfn\": %lu, \"l3_pfn\": ", (unsigned long)l3->mfn);
    print_pfn(mfn_to_pfn(c, l3->mfn));
    if ( l3->vcpu >= 0 )
        printf(", \"found_by\": \"vcpu%d-cr3\"", l3->vcpu);
    else
        printf(", \"found_by\": \"l3-type\"");
    printf(", \"mismatches\": %lu}", bad);
    c->json_l2_open = true;
}

static void print_l3_text(const struct check *c, const struct l3_ref *l3)
{
    printf("L3 mfn %#lx (", (unsigned long)l3->mfn);
    print_pfn(mfn_to_pfn(c, l3->mfn));
    if ( l3->vcpu >= 0 )
        printf(", vCPU%d's CR3)", l3->vcpu);
    else
        printf(", typed L3)");
}

/* Map the guest's frame mfn ('what' it is), read-only; NULL on error. */
static const void *map_frame(const struct check *c, xen_pfn_t mfn,
                             const char *what)
{
    /* With no error array, the mapping is all or nothing, errno set. */
    const void *p = xenforeignmemory_map(c->fmem, c->domid, PROT_READ, 1,
                                         &mfn, NULL);

    if ( !p )
        error_errno(errno, "domain %u: mapping %s mfn %#lx", c->domid, what,
                    (unsigned long)mfn);

    return p;
}

/* Check the L2 behind slot 3 of one L3.  0, or -1 on error. */
static int check_l3(struct check *c, const struct l3_ref *l3)
{
    const unsigned int nr_slots = L2_ENTRIES - opt_first_slot;
    const uint64_t *l3t, *l2t;
    xen_pfn_t l2_mfn;
    unsigned long bad = 0;
    unsigned int i;

    l3t = map_frame(c, l3->mfn, "L3");
    if ( !l3t )
        return -1;

    if ( !(l3t[L3_XEN_SLOT] & PTE_PRESENT) )
    {
        struct mismatch m = {
            .l3_mfn = l3->mfn, .l2_mfn = 0, .l2_pfn = INVALID_PFN,
            .slot = -1, .found = l3t[L3_XEN_SLOT],
            .why = "L3 slot 3 is empty: no L2 with Xen slots",
        };

        xenforeignmemory_unmap(c->fmem, (void *)l3t, 1);
        return add_mismatch(c, &m);
    }
    l2_mfn = PTE_FRAME(l3t[L3_XEN_SLOT]);
    xenforeignmemory_unmap(c->fmem, (void *)l3t, 1);

    l2t = map_frame(c, l2_mfn, "L2");
    if ( !l2t )
        return -1;

    for ( i = 0; i < nr_slots; i++ )
    {
        struct mismatch m = {
            .l2_mfn = l2_mfn, .l2_pfn = mfn_to_pfn(c, l2_mfn),
            .l3_mfn = l3->mfn, .slot = opt_first_slot + i,
            .found = l2t[opt_first_slot + i], .extent = i,
        };

        m.why = slot_problem(c->compat, i, m.found, &m.expect_present,
                             &m.expect_mfn);
        if ( !m.why )
            continue;
        bad++;
        if ( add_mismatch(c, &m) )
        {
            xenforeignmemory_unmap(c->fmem, (void *)l2t, 1);
            return -1;
        }
    }
    xenforeignmemory_unmap(c->fmem, (void *)l2t, 1);
    c->nr_l2s++;

    if ( opt_json )
        print_l2_json(c, l3, l2_mfn, bad);
    else if ( opt_verbose )
    {
        printf("%s L2 mfn %#lx (", bad ? "BAD" : "ok ",
               (unsigned long)l2_mfn);
        print_pfn(mfn_to_pfn(c, l2_mfn));
        printf("), slots %u-%u, behind ", opt_first_slot, L2_ENTRIES - 1);
        print_l3_text(c, l3);
        putchar('\n');
    }

    return 0;
}

static void print_mismatch_text(const struct check *c,
                                const struct mismatch *m)
{
    if ( m->slot < 0 )
    {
        printf("MISMATCH: domain %u L3 mfn %#lx (", c->domid,
               (unsigned long)m->l3_mfn);
        print_pfn(mfn_to_pfn(c, m->l3_mfn));
        printf("): %s (entry %#" PRIx64 ")\n", m->why, m->found);
        return;
    }

    printf("MISMATCH: domain %u L2 ", c->domid);
    print_pfn(m->l2_pfn);
    printf(" (mfn %#lx) slot %d: %s: found ", (unsigned long)m->l2_mfn,
           m->slot, m->why);
    if ( m->found & PTE_PRESENT )
        printf("mfn %#lx (entry %#" PRIx64 ")",
               (unsigned long)PTE_FRAME(m->found), m->found);
    else if ( m->found )
        printf("no mapping (entry %#" PRIx64 ")", m->found);
    else
        printf("no mapping");
    if ( m->expect_present )
        printf(", expected mfn %#lx (compat extent %u, read-only 2MiB)\n",
               (unsigned long)m->expect_mfn, m->extent);
    else
        printf(", expected no mapping (no compat extent %u)\n", m->extent);
}

static void print_mismatch_json(const struct check *c,
                                const struct mismatch *m, bool first)
{
    printf("%s\n    {\"l3_mfn\": %lu, ", first ? "" : ",",
           (unsigned long)m->l3_mfn);
    if ( m->slot < 0 )
        printf("\"l3_slot\": %d, \"found_entry\": %" PRIu64 ", ",
               L3_XEN_SLOT, m->found);
    else
    {
        printf("\"l2_mfn\": %lu, \"l2_pfn\": ", (unsigned long)m->l2_mfn);
        print_pfn(m->l2_pfn);
        printf(", \"slot\": %d, \"found_entry\": %" PRIu64 ", "
               "\"found_mfn\": ", m->slot, m->found);
        if ( m->found & PTE_PRESENT )
            printf("%lu", (unsigned long)PTE_FRAME(m->found));
        else
            printf("null");
        printf(", \"compat_extent\": %u, \"expected_mfn\": ", m->extent);
        if ( m->expect_present )
            printf("%lu", (unsigned long)m->expect_mfn);
        else
            printf("null");
        printf(", ");
    }
    printf("\"problem\": \"%s\"}", m->why);
}

static int cmp_l3_ref(const void *a, const void *b)
{
    const struct l3_ref *x = a, *y = b;

    if ( x->mfn != y->mfn )
        return x->mfn < y->mfn ? -1 : 1;

    /* The vCPUs' CR3s first: they name the L3 better. */
    return (x->vcpu < 0) - (y->vcpu < 0) ?: x->vcpu - y->vcpu;
}

static int add_l3(struct l3_ref **l3s, unsigned long *nr, xen_pfn_t mfn,
                  int vcpu)
{
    struct l3_ref *n = realloc(*l3s, (*nr + 1) * sizeof(*n));

    if ( !n )
    {
        error_errno(errno, "recording an L3");
        return -1;
    }
    *l3s = n;
    n[(*nr)++] = (struct l3_ref){ .mfn = mfn, .vcpu = vcpu };

    return 0;
}

/* The L3 each vCPU runs on (32-bit guest: its CR3 names an L3). */
static int find_vcpu_l3s(uint32_t domid, unsigned int max_vcpu_id,
                         struct l3_ref **l3s, unsigned long *nr)
{
    vcpu_guest_context_any_t ctxt;
    unsigned int v;

    for ( v = 0; v <= max_vcpu_id; v++ )
    {
        uint32_t cr3;

        if ( xc_vcpu_getcontext(xch, domid, v, &ctxt) )
        {
            /* A vCPU that was never brought up has no context. */
            if ( errno == ENODATA )
                continue;
            error_errno(errno, "domain %u: getting the context of vCPU%u",
                        domid, v);
            return -1;
        }
        cr3 = ctxt.x32.ctrlreg[3];
        if ( !cr3 )
            continue;
        if ( add_l3(l3s, nr, xen_cr3_to_pfn_x86_32(cr3), v) )
            return -1;
    }

    return 0;
}

/*
 * Whether a 32-bit PV guest has published its p2m in its shared info (a
 * linear p2m or a p2m frame list list): 1 or 0, or -1 on error.
 */
static int published_p2m(const struct check *c, xen_pfn_t shinfo_frame)
{
    const shared_info_any_t *sh = map_frame(c, shinfo_frame, "shared info");
    int ret;

    if ( !sh )
        return -1;
    ret = sh->x32.arch.p2m_cr3 || sh->x32.arch.pfn_to_mfn_frame_list_list;
    xenforeignmemory_unmap(c->fmem, (void *)sh, 1);

    return ret;
}

/*
 * Every page the 32-bit guest has typed as an L3 (pinned, or in use as
 * one).  This needs the guest's p2m, which only a guest that publishes it
 * in its shared info has: 1 if it has not, 0 when done, -1 on error.
 */
static int find_typed_l3s(const struct check *c, xen_pfn_t shinfo_frame,
                          struct l3_ref **l3s, unsigned long *nr)
{
    struct xc_domain_meminfo minfo = { 0 };
    unsigned long pfn;
    int rc = published_p2m(c, shinfo_frame);

    if ( rc <= 0 )
        return rc < 0 ? -1 : 1;

    if ( xc_map_domain_meminfo(xch, c->domid, &minfo) )
    {
        error_errno(errno, "domain %u: mapping its p2m and page types",
                    c->domid);
        return -1;
    }

    for ( pfn = 0; pfn < minfo.p2m_size; pfn++ )
    {
        if ( (minfo.pfn_type[pfn] & XEN_DOMCTL_PFINFO_LTABTYPE_MASK) !=
             XEN_DOMCTL_PFINFO_L3TAB )
            continue;
        rc = add_l3(l3s, nr, ((const uint32_t *)minfo.p2m_table)[pfn], -1);
        if ( rc )
            break;
    }
    xc_unmap_domain_meminfo(xch, &minfo);

    return rc;
}

/* A decimal number below limit, or -1. */
static long parse_number(const char *arg, unsigned long limit)
{
    unsigned long val;
    char *end;

    errno = 0;
    val = strtoul(arg, &end, 10);
    if ( !*arg || *end || errno || arg[0] == '-' || val >= limit )
        return -1;

    return val;
}

static int cmd_check(uint32_t domid)
{
    struct check c = { 0 };
    struct m2p_list compat = { 0 };
    struct l3_ref *l3s = NULL;
    unsigned long nr_l3s = 0, nr_vcpu_l3s, nr_typed_l3s, i, j;
    xc_domaininfo_t info;
    unsigned int width;
    bool have_p2m;
    int rc = EXIT_ERROR, ret;

    c.domid = domid;
    ret = xc_domain_getinfo_single(xch, c.domid, &info);
    if ( ret < 0 && errno != ESRCH )
    {
        error_errno(errno, "domain %u: getting its info", c.domid);
        return EXIT_ERROR;
    }
    if ( ret < 0 )
    {
        error("domain %u: no such domain: %s (errno %d)", c.domid,
              strerror(ESRCH), ESRCH);
        return EXIT_ERROR;
    }
    if ( info.flags & XEN_DOMINF_dying )
    {
        error("domain %u is dying: its pagetables are going away",
              c.domid);
        return EXIT_ERROR;
    }
    if ( info.flags & XEN_DOMINF_hvm_guest )
    {
        error("domain %u is not a PV guest (HVM or PVH): Xen has no slots "
              "in its pagetables", c.domid);
        return EXIT_ERROR;
    }

    if ( xc_domain_get_guest_width(xch, c.domid, &width) )
    {
        error_errno(errno, "domain %u: getting its address size", c.domid);
        return EXIT_ERROR;
    }
    if ( width != 4 )
    {
        error("domain %u is a %u-bit PV guest, not 32-bit: only 32-bit PV "
              "guests have Xen slots in their L2s", c.domid, width * 8);
        return EXIT_ERROR;
    }

    if ( get_max_mfn(&c.max_mfn) )
        return EXIT_ERROR;
    ret = get_compat_list(&compat, c.max_mfn);
    if ( ret == -EOPNOTSUPP )
        report_no_compat();
    if ( ret )
        goto out;
    c.compat = &compat;

    c.fmem = xenforeignmemory_open(NULL, 0);
    if ( !c.fmem )
    {
        error_errno(errno, "opening xenforeignmemory");
        goto out;
    }

    if ( find_vcpu_l3s(c.domid, info.max_vcpu_id, &l3s, &nr_l3s) )
        goto out;
    nr_vcpu_l3s = nr_l3s;
    ret = find_typed_l3s(&c, info.shared_info_frame, &l3s, &nr_l3s);
    if ( ret < 0 )
        goto out;
    have_p2m = !ret;
    nr_typed_l3s = nr_l3s - nr_vcpu_l3s;
    if ( !nr_l3s )
    {
        error("domain %u has no L3 to check: no vCPU has a CR3%s", c.domid,
              have_p2m ? " and no page is typed as L3" : "");
        goto out;
    }

    /* Each L3 once, named by a vCPU if one runs on it. */
    qsort(l3s, nr_l3s, sizeof(*l3s), cmp_l3_ref);
    for ( i = j = 0; i < nr_l3s; i++ )
        if ( !j || l3s[i].mfn != l3s[j - 1].mfn )
            l3s[j++] = l3s[i];
    nr_l3s = j;

    c.m2p = xc_map_m2p(xch, c.max_mfn, PROT_READ, NULL);
    if ( !c.m2p )
    {
        error_errno(errno, "mapping the M2P (max_mfn %#lx)", c.max_mfn);
        goto out;
    }

    if ( opt_json )
    {
        printf("{\n  \"domid\": %u,\n  \"first_slot\": %u,\n"
               "  \"compat_extents\": %lu,\n  \"guest_p2m\": %s,\n"
               "  \"l3s_from_cr3\": %lu,\n", c.domid, opt_first_slot,
               compat.nr, have_p2m ? "true" : "false", nr_vcpu_l3s);
        if ( have_p2m )
            printf("  \"l3s_typed\": %lu,\n", nr_typed_l3s);
        else
            printf("  \"l3s_typed\": null,\n");
        printf("  \"l3s\": %lu,\n  \"l2s\": [", nr_l3s);
    }
    else
    {
        printf("domain %u: 32-bit PV; checking L2 slots %u-%u against %lu "
               "compat extent%s\n", c.domid, opt_first_slot,
               L2_ENTRIES - 1, compat.nr, compat.nr == 1 ? "" : "s");
        printf("domain %u: L3s: %lu from vCPU CR3s", c.domid, nr_vcpu_l3s);
        if ( have_p2m )
            printf(", %lu typed as L3 (guest p2m); %lu distinct\n",
                   nr_typed_l3s, nr_l3s);
        else
            printf("; no guest p2m: typed L3s not searched\n");
    }

    for ( i = 0; i < nr_l3s; i++ )
        if ( check_l3(&c, &l3s[i]) )
            goto out_json;

    rc = c.nr_mismatches ? EXIT_MISMATCH : EXIT_OK;

 out_json:
    if ( opt_json )
    {
        printf("%s],\n  \"mismatches\": [", c.nr_l2s ? "\n  " : "");
        for ( i = 0; i < c.nr_mismatches; i++ )
            print_mismatch_json(&c, &c.mismatch[i], !i);
        printf("%s],\n  \"result\": \"%s\"\n}\n",
               c.nr_mismatches ? "\n  " : "",
               rc == EXIT_OK ? "ok" :
               rc == EXIT_MISMATCH ? "mismatch" : "error");
    }
    else
    {
        for ( i = 0; i < c.nr_mismatches; i++ )
            print_mismatch_text(&c, &c.mismatch[i]);
        if ( rc != EXIT_ERROR )
            printf("domain %u: %lu L2%s checked, %lu mismatch%s\n", c.domid,
                   c.nr_l2s, c.nr_l2s == 1 ? "" : "s", c.nr_mismatches,
                   c.nr_mismatches == 1 ? "" : "es");
    }

 out:
    if ( c.fmem )
        xenforeignmemory_close(c.fmem);
    if ( c.m2p )
        munmap((void *)c.m2p, ROUNDUP(c.max_mfn * sizeof(xen_pfn_t),
                                      EXTENT_SHIFT));
    free(c.mismatch);
    free(l3s);
    free(compat.mfn);
    return rc;
}

int main(int argc, char *argv[])
{
    enum { OPT_FIRST_SLOT = 256 };
    static const struct option long_opts[] = {
        { "json",       no_argument,       NULL, 'j' },
        { "verbose",    no_argument,       NULL, 'v' },
        { "first-slot", required_argument, NULL, OPT_FIRST_SLOT },
        { "help",       no_argument,       NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    bool first_slot_given = false, native = true, compat = true;
    const char *cmd;
    long domid = -1, slot;
    int opt, nargs, rc;

    while ( (opt = getopt_long(argc, argv, "jvh", long_opts, NULL)) != -1 )
    {
        switch ( opt )
        {
        case 'j':
            opt_json = true;
            break;

        case 'v':
            opt_verbose = true;
            break;

        case OPT_FIRST_SLOT:
            slot = parse_number(optarg, L2_ENTRIES);
            if ( slot < 0 )
                return usage_error("bad first slot '%s': expected a number "
                                   "below %u", optarg, L2_ENTRIES);
            opt_first_slot = slot;
            first_slot_given = true;
            break;

        case 'h':
            usage();
            return EXIT_OK;

        default:
            /* getopt_long() said what. */
            fprintf(stderr, "Try '%s --help'.\n", prog);
            return EXIT_ERROR;
        }
    }

    if ( optind >= argc )
        return usage_error("no command given");
    cmd = argv[optind++];
    nargs = argc - optind;

    if ( !strcmp(cmd, "list") )
    {
        if ( first_slot_given )
            return usage_error("--first-slot applies to check only");
        if ( nargs > 1 )
            return usage_error("list takes at most one argument");
        if ( nargs )
        {
            native = !strcmp(argv[optind], "native");
            compat = !strcmp(argv[optind], "compat");
            if ( !native && !compat )
                return usage_error("unknown M2P table '%s': expected native "
                                   "or compat", argv[optind]);
        }
    }
    else if ( !strcmp(cmd, "check") )
    {
        if ( nargs != 1 )
            return usage_error("check takes one argument: the guest's "
                               "domain id");
        domid = parse_number(argv[optind], DOMID_FIRST_RESERVED);
        if ( domid < 0 )
            return usage_error("bad domain id '%s': expected a number below "
                               "%u", argv[optind], DOMID_FIRST_RESERVED);
    }
    else
        return usage_error("unknown command '%s'", cmd);

    /*
     * Each failure is reported here, with errno; libxc's own messages add
     * detail (-v), and would be noise where a failure is expected: a guest
     * that has not published its p2m.
     */
    logger = xtl_createlogger_stdiostream(stderr, opt_verbose ? XTL_DETAIL
                                                              : XTL_CRITICAL,
                                          0);
    if ( !logger )
    {
        error_errno(errno, "creating a logger");
        return EXIT_ERROR;
    }
    xch = xc_interface_open((xentoollog_logger *)logger, NULL, 0);
    if ( !xch )
    {
        error_errno(errno, "opening the hypervisor interface (root in dom0 "
                    "with privcmd?)");
        xtl_logger_destroy((xentoollog_logger *)logger);
        return EXIT_ERROR;
    }

    if ( !strcmp(cmd, "list") )
        rc = cmd_list(native, compat);
    else
        rc = cmd_check(domid);

    xc_interface_close(xch);
    xtl_logger_destroy((xentoollog_logger *)logger);

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
