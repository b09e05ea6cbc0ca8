/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * XENMEM_machphys_mfn_list and XENMEM_machphys_compat_mfn_list, run as a
 * PV dom0.
 *
 * Each subop fills an array with the frames (MFNs of 2MiB extents) that
 * hold a machine-to-phys table: the native M2P (8-byte entries) or the
 * compat M2P (4-byte entries, used by 32-bit PV guests), one entry per
 * 2MiB of the table up to max_page entries.  A 32-bit PV guest gets the
 * compat list from both subops.  Checked here:
 *  - the length against max_page (XENMEM_maximum_ram_page), each frame
 *    nonzero, 2MiB aligned and below max_page;
 *  - the contents: page j of extent i, mapped from DOMID_XEN, is page j of
 *    the i-th 2MiB of the M2P as the guest sees it read-only (for the
 *    compat list in a 64-bit guest: the native M2P truncated to 32 bits);
 *  - the native and the compat list share no frame (64-bit guest), both
 *    subops give the same list (32-bit guest);
 *  - 32-bit guest: the first Xen slot of its top L2 (behind L3 slot 3)
 *    maps compat extent 0, as the migration code assumes;
 *  - max_extents 0, max_extents below the length, bad extent_start
 *    (NULL, unmapped, read-only, in Xen's range), a buffer that ends
 *    before the list does, and a bad arg pointer.
 * With "expect-no-pv32" on the kernel command line (Xen booted with
 * pv=no-32), a 64-bit guest expects -EOPNOTSUPP for the compat list.
 */
#include "hypercall.h"

const char test_title[] = "M2P frame lists "
                          "(XENMEM_machphys_mfn_list, _compat_mfn_list)";

#define L2_SHIFT        21
#define EXTENT_SIZE     (1UL << L2_SHIFT)
#define EXTENT_PAGES    (EXTENT_SIZE >> PAGE_SHIFT)

/* Hypervisor layout (not ABI): the compat M2P is at most 1GiB. */
#define COMPAT_M2P_MAX_EXTENTS  ((1UL << 30) >> L2_SHIFT)

#define MAX_EXTENTS     512     /* more than any host we run on needs */
#define POISON          ((xen_pfn_t)0xa5a5a5a5a5a5a5a5ULL)
#define POISON_NR       0xa5a5a5a5U

#ifdef __x86_64__
/* An address in Xen's 1:1 map of all memory (see public xen-x86_64.h). */
# define XEN_RANGE_ADDR  0xffff830000000000UL
/* Non-canonical. */
# define BAD_ADDR        0x0000800000000000UL
#endif

struct m2p_list {
    const char *name;           /* of the subop */
    unsigned int cmd;
    bool compat;                /* lists the compat M2P's frames */
    unsigned int expected;      /* number of extents */
    unsigned int nr;            /* number fetched */
    xen_pfn_t frames[MAX_EXTENTS];
};

static struct m2p_list native_list = {
    .name = "XENMEM_machphys_mfn_list",
    .cmd = XENMEM_machphys_mfn_list,
#ifndef __x86_64__
    .compat = true,             /* the compat alias for a 32-bit guest */
#endif
};

static struct m2p_list compat_list = {
    .name = "XENMEM_machphys_compat_mfn_list",
    .cmd = XENMEM_machphys_compat_mfn_list,
    .compat = true,
};

static unsigned long max_page;

/* Scratch buffer for extent_start. */
static xen_pfn_t buf[MAX_EXTENTS];

/*
 * Three pages; the middle one ("guard") is made unmapped or read-only, so
 * that a buffer can end exactly where the mapping does.
 */
static uint8_t window[3 * PAGE_SIZE] __aligned(PAGE_SIZE);
#define guard ((void *)(window + PAGE_SIZE))

/* Where foreign frames (the M2P's) get mapped, one page at a time. */
static uint8_t probe[PAGE_SIZE] __aligned(PAGE_SIZE);

/* Call @l's subop; *nr gets arg->nr_extents (POISON_NR if not written). */
static long list_op(const struct m2p_list *l, unsigned int max_extents,
                    xen_pfn_t *extent_start, unsigned int *nr)
{
    struct xen_machphys_mfn_list xmml = {
        .max_extents = max_extents,
        .nr_extents = POISON_NR,
    };
    long rc;

    set_xen_guest_handle(xmml.extent_start, extent_start);
    rc = HYPERVISOR_memory_op(l->cmd, &xmml);
    if ( nr )
        *nr = xmml.nr_extents;

    return rc;
}

static void poison(xen_pfn_t *p, unsigned int n)
{
    while ( n-- )
        *p++ = POISON;
}

/* The index of the first entry of p[0..n) that is not POISON, or n. */
static unsigned int first_written(const xen_pfn_t *p, unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n && p[i] == POISON; i++ )
        ;

    return i;
}

/* Compare p[0..n) with the first n frames of @l; report the first miss. */
static void check_prefix(const struct m2p_list *l, const char *what,
                         const xen_pfn_t *p, unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
        if ( p[i] != l->frames[i] )
        {
            fail("%s, %s: entry %u is %#lx, the list has %#lx",
                 l->name, what, i, (unsigned long)p[i],
                 (unsigned long)l->frames[i]);
            return;
        }
}

static bool check_rc(const struct m2p_list *l, const char *what, long rc,
                     long want)
{
    if ( rc == want )
        return true;

    fail("%s, %s: rc %ld, expected %ld", l->name, what, rc, want);
    return false;
}

/* Make the guard page read-only or unmapped. */
static void guard_set(bool readonly)
{
    long rc = readonly ? protect_page(guard) : unmap_page(guard);

    if ( rc )
    {
        fail("making %p %s failed: %ld", guard,
             readonly ? "read-only" : "unmapped", rc);
        test_finish();
    }
}

/* Map the guard page back; if @poisoned, check it still is. */
static void guard_clear(bool poisoned)
{
    const unsigned int n = PAGE_SIZE / sizeof(xen_pfn_t);
    unsigned int w;
    long rc = restore_page(guard);

    if ( rc )
    {
        fail("remapping %p failed: %ld", guard, rc);
        test_finish();
    }
    w = first_written(guard, n);
    if ( poisoned && w != n )
        fail("read-only page %p was written at offset %#lx", guard,
             (unsigned long)(w * sizeof(xen_pfn_t)));
}

/* Whether extent @i of @l repeats the previous one (a hole in the M2P). */
static bool is_hole(const struct m2p_list *l, unsigned int i)
{
    return i && l->frames[i] == l->frames[i - 1];
}

/* Fetch the whole list and check its length and each frame. */
static bool fetch(struct m2p_list *l)
{
    unsigned int i, nr, w;
    long rc;

    poison(buf, MAX_EXTENTS);
    rc = list_op(l, MAX_EXTENTS, buf, &nr);
    if ( !check_rc(l, "whole list", rc, 0) )
        return false;
    if ( nr != l->expected )
        fail("%s: %u extents, expected %u for max_page %#lx",
             l->name, nr, l->expected, max_page);
    if ( nr > MAX_EXTENTS )
    {
        fail("%s: nr_extents %u > max_extents %u", l->name, nr, MAX_EXTENTS);
        return false;
    }
    w = first_written(buf + nr, MAX_EXTENTS - nr);
    if ( w != MAX_EXTENTS - nr )
        fail("%s: entry %u (beyond nr_extents %u) was written: %#lx",
             l->name, nr + w, nr, (unsigned long)buf[nr + w]);

    l->nr = nr;
    memcpy(l->frames, buf, nr * sizeof(*buf));

    printk("%s: %u extents:", l->name, nr);
    for ( i = 0; i < nr; i++ )
        printk(" %#lx", (unsigned long)l->frames[i]);
    printk("\n");

    for ( i = 0; i < nr; i++ )
    {
        unsigned long mfn = l->frames[i];

        if ( !mfn || (mfn & (EXTENT_PAGES - 1)) || mfn >= max_page )
            fail("%s: extent %u is frame %#lx: not a nonzero 2MiB-aligned "
                 "frame below max_page %#lx", l->name, i, mfn, max_page);
    }

    return nr == l->expected;
}

/*
 * Page @j of extent @i of the compat list, seen by a 64-bit guest which
 * has no view of the compat M2P: each entry must be the native entry
 * truncated to 32 bits, or invalid (~0) where the native M2P has a hole.
 */
static bool compat_page_ok(unsigned int i, unsigned int j,
                           const uint32_t *page)
{
    const unsigned long *m2p = (const unsigned long *)machphys.v_start;
    unsigned long mfn0 = (i * EXTENT_SIZE + j * PAGE_SIZE) / 4;
    unsigned int k;

    for ( k = 0; k < PAGE_SIZE / 4; k++ )
    {
        unsigned long mfn = mfn0 + k;
        unsigned int ext = mfn >> (L2_SHIFT - 3);
        uint32_t want = ~0U;

        if ( ext < native_list.nr && !is_hole(&native_list, ext) )
            want = m2p[mfn];
        if ( page[k] != want )
        {
            fail("%s: extent %u (frame %#lx) page %u: entry for mfn %#lx is "
                 "%#x, the native M2P says %#x", compat_list.name, i,
                 (unsigned long)compat_list.frames[i], j, mfn, page[k], want);
            return false;
        }
    }

    return true;
}

/*
 * Map each page of extent @i of @l and compare it with the M2P; count the
 * pages compared in *pages.  @own: this guest's read-only M2P is the one
 * @l describes.
 */
static bool extent_ok(const struct m2p_list *l, unsigned int i, bool own,
                      unsigned int *pages)
{
    unsigned int j;

    for ( j = 0; j < EXTENT_PAGES; j++ )
    {
        unsigned long off = i * EXTENT_SIZE + j * PAGE_SIZE;
        const void *view = (const void *)(machphys.v_start + off);
        long rc;

        if ( own && off >= machphys.v_end - machphys.v_start )
            break;
#ifndef __x86_64__
        /* The L2 entries of our M2P view are ours to read (not so 64-bit). */
        if ( own && !j )
        {
            const uint64_t *l2e = guest_pte((unsigned long)view, 2);

            if ( !l2e || !(*l2e & _PAGE_PRESENT) )
            {
                fail("%s: extent %u (frame %#lx) is not a hole, but the M2P "
                     "at %p is not mapped", l->name, i,
                     (unsigned long)l->frames[i], view);
                return false;
            }
        }
#endif

        rc = remap_page(probe, l->frames[i] + j,
                        _PAGE_PRESENT | _PAGE_ACCESSED, DOMID_XEN);
        if ( rc )
        {
            fail("%s: mapping frame %#lx (extent %u page %u) of DOMID_XEN "
                 "failed: %ld", l->name, (unsigned long)l->frames[i] + j,
                 i, j, rc);
            return false;
        }
        ++*pages;

        if ( !own )
        {
            if ( !compat_page_ok(i, j, (const uint32_t *)probe) )
                return false;
        }
        else if ( memcmp(probe, view, PAGE_SIZE) )
        {
            fail("%s: extent %u (frame %#lx) page %u differs from the M2P "
                 "page at %p", l->name, i, (unsigned long)l->frames[i], j,
                 view);
            return false;
        }
    }

    return true;
}

/*
 * Compare every extent of @l with the M2P, up to the first that differs:
 * past a wrong extent, the list may also call a hole mapped, and reading
 * the M2P there would fault.
 */
static void check_contents(const struct m2p_list *l)
{
    bool own = l->compat == (sizeof(long) == 4);
    unsigned int i, pages = 0;

    for ( i = 0; i < l->nr; i++ )
    {
        if ( is_hole(l, i) )
        {
            printk("%s: extent %u repeats extent %u: a hole\n",
                   l->name, i, i - 1);
            continue;
        }
        if ( !extent_ok(l, i, own, &pages) )
            break;
    }

    if ( restore_page(probe) )
        fail("remapping %p failed", probe);
    printk("%s: compared %u pages with the M2P\n", l->name, pages);
}

/* max_extents smaller than the list, or zero. */
static void check_max_extents(const struct m2p_list *l)
{
    unsigned int nr, w, max;
    long rc;

    poison(buf, MAX_EXTENTS);
    rc = list_op(l, 0, buf, &nr);
    w = first_written(buf, MAX_EXTENTS);
    if ( check_rc(l, "max_extents 0", rc, 0) &&
         (nr != 0 || w != MAX_EXTENTS) )
        fail("%s, max_extents 0: nr_extents %u, entry %u written",
             l->name, nr, w);

    rc = list_op(l, 0, NULL, &nr);
    if ( check_rc(l, "max_extents 0, extent_start NULL", rc, 0) && nr )
        fail("%s, max_extents 0, extent_start NULL: nr_extents %u",
             l->name, nr);

    for ( max = 1; max <= l->nr; max++ )
    {
        poison(buf, MAX_EXTENTS);
        rc = list_op(l, max, buf, &nr);
        if ( !check_rc(l, "max_extents <= length", rc, 0) )
            break;
        w = first_written(buf + max, MAX_EXTENTS - max);
        if ( nr != max || w != MAX_EXTENTS - max )
            fail("%s, max_extents %u: nr_extents %u, entry %u written",
                 l->name, max, nr, max + w);
        check_prefix(l, "max_extents <= length", buf, max);
    }
}

/* extent_start pointing where nothing may be written. */
static void check_bad_buffers(const struct m2p_list *l)
{
    static const struct {
        const char *what;
        unsigned long addr;
    } bad[] = {
        { "extent_start NULL", 0 },
#ifdef __x86_64__
        { "extent_start in Xen's range", XEN_RANGE_ADDR },
        { "extent_start non-canonical", BAD_ADDR },
#else
        { "extent_start in Xen's range", HYPERVISOR_VIRT_START_PAE },
        { "extent_start at the top", 0xfffffffcUL },
#endif
    };
    unsigned int i, k, n = l->nr, nr;
    bool ro;
    long rc;

    for ( i = 0; i < ARRAY_SIZE(bad); i++ )
        check_rc(l, bad[i].what,
                 list_op(l, MAX_EXTENTS, (xen_pfn_t *)bad[i].addr, NULL),
                 -XEN_EFAULT);

    for ( ro = false; ; ro = true )
    {
        const char *kind = ro ? "a read-only" : "an unmapped";
        char what[80];

        poison(guard, PAGE_SIZE / sizeof(xen_pfn_t));
        guard_set(ro);

        snprintf(what, sizeof(what), "extent_start on %s page", kind);
        check_rc(l, what, list_op(l, MAX_EXTENTS, guard, NULL), -XEN_EFAULT);

        /*
         * A buffer of k entries that ends where the mapping does: the k
         * entries are written, then -EFAULT.  k = n - 1 and, if that
         * differs, 1.
         */
        for ( k = n - 1; ; k = 1 )
        {
            xen_pfn_t *b = (xen_pfn_t *)guard - k;

            snprintf(what, sizeof(what),
                     "%u-entry buffer before %s page", k, kind);
            poison(b, k);
            rc = list_op(l, MAX_EXTENTS, b, &nr);
            if ( check_rc(l, what, rc, -XEN_EFAULT) )
            {
                if ( nr != POISON_NR )
                    fail("%s, %s: nr_extents written (%u) on -EFAULT",
                         l->name, what, nr);
                check_prefix(l, what, b, k);
            }
            if ( k <= 1 )
                break;
        }

        /* Exactly the list's length: no write beyond it. */
        {
            xen_pfn_t *b = (xen_pfn_t *)guard - n;

            snprintf(what, sizeof(what),
                     "%u-entry buffer before %s page", n, kind);
            poison(b, n);
            rc = list_op(l, MAX_EXTENTS, b, &nr);
            if ( check_rc(l, what, rc, 0) )
            {
                if ( nr != n )
                    fail("%s, %s: nr_extents %u", l->name, what, nr);
                check_prefix(l, what, b, n);
            }
        }

        guard_clear(ro);
        if ( ro )
            break;
    }
}

/* arg itself pointing where it cannot be read or written. */
static void check_bad_args(const struct m2p_list *l)
{
    static const struct {
        const char *what;
        unsigned long addr;
    } bad[] = {
        { "arg NULL", 0 },
#ifdef __x86_64__
        { "arg in Xen's range", XEN_RANGE_ADDR },
        { "arg non-canonical", BAD_ADDR },
#else
        { "arg in Xen's range", HYPERVISOR_VIRT_START_PAE },
#endif
    };
    struct xen_machphys_mfn_list *xmml;
    unsigned int i, w;
    long rc;

    for ( i = 0; i < ARRAY_SIZE(bad); i++ )
        check_rc(l, bad[i].what,
                 HYPERVISOR_memory_op(l->cmd, (void *)bad[i].addr),
                 -XEN_EFAULT);

    /*
     * arg on the guard page, or straddling into it, with valid contents:
     * unmapped, it cannot be read; read-only, nr_extents cannot be
     * written back.  Either way -EFAULT.
     */
    for ( i = 0; i < 4; i++ )
    {
        bool ro = i & 1, straddle = i & 2;
        char what[80];

        xmml = (void *)((uint8_t *)guard - (straddle ? 4 : 0));
        xmml->max_extents = MAX_EXTENTS;
        set_xen_guest_handle(xmml->extent_start, buf);
        xmml->nr_extents = POISON_NR;
        poison(buf, MAX_EXTENTS);
        guard_set(ro);

        snprintf(what, sizeof(what), "arg %s %s page",
                 straddle ? "straddling into" : "on",
                 ro ? "a read-only" : "an unmapped");
        rc = HYPERVISOR_memory_op(l->cmd, xmml);
        check_rc(l, what, rc, -XEN_EFAULT);
        if ( ro && xmml->nr_extents != POISON_NR )
            fail("%s, %s: nr_extents written: %u", l->name, what,
                 xmml->nr_extents);
        w = first_written(buf, MAX_EXTENTS);
        if ( !ro && w != MAX_EXTENTS )
            fail("%s, %s: entry %u written", l->name, what, w);

        guard_clear(false);
    }
}

static void check_list(struct m2p_list *l)
{
    if ( !fetch(l) )
        return;
    check_contents(l);
    check_max_extents(l);
    check_bad_buffers(l);
    check_bad_args(l);
}

#ifdef __x86_64__
/* pv=no-32: the compat list must be refused, without touching anything. */
static void check_no_compat(const struct m2p_list *l)
{
    unsigned int nr, w;
    long rc;

    poison(buf, MAX_EXTENTS);
    rc = list_op(l, MAX_EXTENTS, buf, &nr);
    w = first_written(buf, MAX_EXTENTS);
    check_rc(l, "without 32-bit PV", rc, -XEN_EOPNOTSUPP);
    if ( nr != POISON_NR || w != MAX_EXTENTS )
        fail("%s, without 32-bit PV: nr_extents %#x, entry %u written",
             l->name, nr, w);
}

static void check_native_vs_compat(void)
{
    unsigned int i, j;

    for ( i = 0; i < native_list.nr; i++ )
        for ( j = 0; j < compat_list.nr; j++ )
            if ( native_list.frames[i] == compat_list.frames[j] )
                fail("native extent %u and compat extent %u are both "
                     "frame %#lx", i, j, (unsigned long)native_list.frames[i]);
}
#else
static void check_same_lists(void)
{
    if ( native_list.nr != compat_list.nr ||
         memcmp(native_list.frames, compat_list.frames,
                native_list.nr * sizeof(xen_pfn_t)) )
        fail("32-bit guest: %s (%u extents) and %s (%u extents) differ",
             native_list.name, native_list.nr,
             compat_list.name, compat_list.nr);
}

/*
 * The top L2 (behind L3 slot 3) maps the compat M2P read-only from the
 * first Xen slot on: slot 428 + i is extent i.  The migration code finds
 * Xen's slots by comparing slot 428's frame with compat extent 0.
 */
static void check_l2_slots(const struct m2p_list *l)
{
    unsigned long va = machphys.v_start;
    const uint64_t *l3e = guest_pte(va, 3), *l2e = guest_pte(va, 2);
    unsigned int slot = (va >> L2_SHIFT) & 511, i;

    if ( va != HYPERVISOR_VIRT_START_PAE )
        fail("compat M2P at %#lx, not at %#lx: first Xen L2 slot %u",
             va, (unsigned long)HYPERVISOR_VIRT_START_PAE, slot);
    if ( !l3e || !l2e )
    {
        fail("no L2 table for %#lx: L3 entry %#llx", va,
             l3e ? (unsigned long long)*l3e : 0ULL);
        return;
    }
    printk("L3[%u] = %#llx, L2[%u] = %#llx\n", (unsigned int)(va >> 30),
           (unsigned long long)*l3e, slot, (unsigned long long)*l2e);

    for ( i = 0; slot + i < 512; i++, l2e++ )
    {
        uint64_t e = *l2e;

        /* No frame for the slot (a hole, or past the list): no mapping. */
        if ( i >= l->nr || is_hole(l, i) )
        {
            if ( e )
                fail("L2[%u] is %#llx, expected empty: compat extent %u "
                     "has no frame", slot + i, (unsigned long long)e, i);
            continue;
        }
        if ( !(e & _PAGE_PRESENT) || !(e & _PAGE_PSE) || (e & _PAGE_RW) ||
             PTE_MFN(e) != l->frames[i] )
            fail("L2[%u] is %#llx, expected a read-only 2MiB mapping of "
                 "compat extent %u, frame %#lx", slot + i,
                 (unsigned long long)e, i, (unsigned long)l->frames[i]);
    }
}
#endif

void test_main(void)
{
    bool no_pv32 = cmdline_has("expect-no-pv32");
    unsigned long max_mfn;
    long rc;

    rc = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
    if ( rc <= 0 )
    {
        fail("XENMEM_maximum_ram_page returned %ld", rc);
        return;
    }
    max_page = rc;
    max_mfn = machphys.max_mfn;
    printk("max_page %#lx, M2P mapped at %#lx-%#lx, max_mfn %#lx%s\n",
           max_page, (unsigned long)machphys.v_start,
           (unsigned long)machphys.v_end, max_mfn,
           no_pv32 ? ", expecting no 32-bit PV support" : "");

    /* One entry per page up to max_page, 2MiB of table per extent. */
    compat_list.expected = (max_page * 4 + EXTENT_SIZE - 1) >> L2_SHIFT;
    if ( compat_list.expected > COMPAT_M2P_MAX_EXTENTS )
        compat_list.expected = COMPAT_M2P_MAX_EXTENTS;
#ifdef __x86_64__
    native_list.expected = (max_page * 8 + EXTENT_SIZE - 1) >> L2_SHIFT;
    /* A 64-bit dom0 sees max_page - 1 as max_mfn (without memory hotplug). */
    if ( max_mfn != max_page - 1 )
        fail("XENMEM_machphys_mapping: max_mfn %#lx, max_page %#lx",
             max_mfn, max_page);
#else
    native_list.expected = compat_list.expected;
    if ( no_pv32 )
        fail("expect-no-pv32 given to a 32-bit PV guest");
#endif

    check_list(&native_list);
#ifdef __x86_64__
    if ( no_pv32 )
    {
        check_no_compat(&compat_list);
        return;
    }
#endif
    check_list(&compat_list);

#ifdef __x86_64__
    check_native_vs_compat();
#else
    check_same_lists();
    check_l2_slots(&compat_list);
#endif
}
