/**
 * @file tests/machphys-mfn-list/main.c
 * @ref test-machphys-mfn-list
 *
 * @page test-machphys-mfn-list M2P frame lists
 *
 * XENMEM_machphys_mfn_list and XENMEM_machphys_compat_mfn_list fill an array
 * with the MFNs of the 2M extents of one of Xen's M2P tables, one per 2M of
 * table up to max_page: the native M2P (8 byte entries) or the compat M2P
 * (4 byte entries, that of 32bit PV guests).  A 32bit PV guest gets its own,
 * the compat list, from both.  An extent with no RAM behind it (a hole) is
 * reported as the MFN of the extent before it.
 *
 * For each list, a PV guest checks:
 * - Its length against XENMEM_maximum_ram_page, and each MFN nonzero, 2M
 *   aligned and below max_page.
 * - PV hardware domain: each page of each extent, mapped from DOMID_XEN, is
 *   the matching page of the M2P the guest sees (for the compat list in a
 *   64bit guest, the native M2P truncated to 32 bits), and a hole is not
 *   mapped there.
 * - max_extents of 0, of 1 up to the exact length, and ~0.
 * - extent_start, or the argument itself, NULL, in Xen's range,
 *   non-canonical, on an unmapped or read-only page, or a buffer ending
 *   before the list does: -EFAULT, and nothing written outside the buffer
 *   (what an error leaves in it, and in nr_extents, is undefined).
 *
 * Also, a 64bit guest's two lists share no MFN and a 32bit PV guest's are
 * the same; in the latter, the first Xen slot (428) of the L2 behind L3 slot
 * 3 maps compat extent 0 read-only, as the migration code assumes, the next
 * slots the next extents, and a hole has no mapping.
 *
 * Without 32bit PV in Xen (CONFIG_PV32=n or `pv=no-32`), the compat subop
 * fails with -EOPNOTSUPP.  The expectation comes from XENVER_capabilities
 * (`xen-3.0-x86_32p`), and the test prints which case it checked.
 *
 * The buffers have room for the longest lists Xen's layout allows (a 256G
 * native M2P area, a 1G compat one); each call is given room for the length
 * max_page implies, plus a little to see Xen write more.  A host needing
 * longer lists is skipped, saying so.
 *
 * What HVM guests get is no part of the interface (they have no M2P
 * mapping): for hvm64 (a PVH dom0 in Xen's CI), the test prints what each
 * subop returns, and checks none of it.
 *
 * @see tests/machphys-mfn-list/main.c
 */
#include <xtf.h>

const char test_title[] =
    "M2P frame lists: XENMEM_machphys_{,compat_}mfn_list";

#define EXTENT_SIZE     (1UL << PAE_L2_PT_SHIFT)
#define EXTENT_PAGES    (EXTENT_SIZE >> PAGE_SHIFT)

/*
 * Hypervisor layout, not ABI: the compat M2P is at most 1G, the native one
 * 256G.  A 32bit guest gets only the compat one; an HVM one's lists are
 * only recorded, as far as they fit (its image must fit l1_identmap[]).
 */
#define COMPAT_MAX_EXTENTS (GB(1) / EXTENT_SIZE)
#if defined(__x86_64__) && defined(CONFIG_PV)
#define NATIVE_MAX_EXTENTS (GB(256) / EXTENT_SIZE)
#else
#define NATIVE_MAX_EXTENTS COMPAT_MAX_EXTENTS
#endif

/* Room past the expected length, where Xen must write nothing. */
#define SLACK           16
#define MAX_EXTENTS     (NATIVE_MAX_EXTENTS + SLACK)
#define POISON          ((unsigned long)0xa5a5a5a5a5a5a5a5ULL)
#define POISON_NR       0xa5a5a5a5U

#define fail(fmt, ...) xtf_failure("Fail: " fmt "\n", ##__VA_ARGS__)

struct m2p_list {
    const char *name;
    unsigned int cmd;
    bool compat;                /* Lists the compat M2P. */
    unsigned int max;           /* The most Xen's layout allows. */
    unsigned int expected, nr;
    unsigned int room;          /* max_extents of a call: expected + SLACK. */
    unsigned long *frames;      /* max + SLACK of them. */
};

static unsigned long native_frames[MAX_EXTENTS];
static unsigned long compat_frames[COMPAT_MAX_EXTENTS + SLACK];

static struct m2p_list native_list = {
    .name = "XENMEM_machphys_mfn_list",
    .cmd = XENMEM_machphys_mfn_list,
    .compat = IS_DEFINED(CONFIG_32BIT),
    .max = NATIVE_MAX_EXTENTS,
    .frames = native_frames,
};

static struct m2p_list compat_list = {
    .name = "XENMEM_machphys_compat_mfn_list",
    .cmd = XENMEM_machphys_compat_mfn_list,
    .compat = true,
    .max = COMPAT_MAX_EXTENTS,
    .frames = compat_frames,
};

/* Pointers which can be neither read nor written. */
static const struct {
    const char *what;
    unsigned long addr;
} bad_ptrs[] = {
    { "NULL", 0 },
#ifdef __x86_64__
    { "in Xen's range", 0xffff830000000000UL },
    { "non-canonical", 0x0000800000000000UL },
#else
    { "in Xen's range", __HYPERVISOR_VIRT_START_PAE },
    { "at the top", 0xfffffffcUL },
#endif
};

static unsigned long max_page;
static struct xen_machphys_mapping machphys;
static unsigned long buf[MAX_EXTENTS];

/* The second page gets unmapped or made read-only; buffers end at it. */
static uint8_t window[2 * PAGE_SIZE] __page_aligned_bss;
#define guard ((void *)&window[PAGE_SIZE])

static void poison(unsigned long *p, unsigned int n)
{
    while ( n-- )
        *p++ = POISON;
}

static bool is_hole(const struct m2p_list *l, unsigned int i)
{
    return i && l->frames[i] == l->frames[i - 1];
}

/*
 * Check p[0..room): the first @written entries of @l, then POISON.  After an
 * error (@error), what Xen wrote is undefined: each of the first @written
 * entries may also still be POISON.
 */
static void check_entries(const struct m2p_list *l, const char *what,
                          const unsigned long *p, unsigned int room,
                          unsigned int written, bool error)
{
    for ( unsigned int i = 0; i < room; i++ )
    {
        unsigned long exp = i < written ? l->frames[i] : POISON;

        if ( p[i] != exp && !(error && i < written && p[i] == POISON) )
            return fail("%s, %s: entry %u is %#lx, expected %#lx",
                        l->name, what, i, p[i], exp);
    }
}

/*
 * Call @l's subop for @max entries at @start, of which @room are poisoned,
 * and check: rc @rc, on success nr_extents @nr, and the list's first
 * @written entries written (after an error: at most those), no others.
 */
static void check_op(const struct m2p_list *l, const char *what,
                     unsigned int max, unsigned long *start,
                     unsigned int room, long rc, unsigned int nr,
                     unsigned int written)
{
    struct xen_machphys_mfn_list xmml = {
        .max_extents = max,
        .extent_start = start,
        .nr_extents = POISON_NR,
    };
    long ret;

    poison(start, room);
    ret = hypercall_memory_op(l->cmd, &xmml);
    if ( ret != rc )
        return fail("%s, %s: rc %ld, expected %ld", l->name, what, ret, rc);
    if ( !rc && xmml.nr_extents != nr )
        fail("%s, %s: nr_extents %#x, expected %#x",
             l->name, what, xmml.nr_extents, nr);
    check_entries(l, what, start, room, written, rc);
}

/* Map the guard page with @flags, or unmap it (0). */
static void remap_guard(uint64_t flags)
{
    intpte_t pte = flags ? pte_from_virt(guard, flags) : 0;

#ifdef CONFIG_PV
    int rc = hypercall_update_va_mapping(_u(guard), pte, UVMF_INVLPG);

    if ( rc )
        panic("Failed to remap %p: %d\n", guard, rc);
#else
    if ( virt_to_pfn(guard) >= L1_PT_ENTRIES )
        panic("%p not covered by l1_identmap[]\n", guard);

    l1_identmap[virt_to_pfn(guard)] = pte;
    invlpg(guard);
#endif
}

/* Fetch the whole list, and check its length and each MFN. */
static bool fetch(struct m2p_list *l)
{
    struct xen_machphys_mfn_list xmml = {
        .max_extents = l->room,
        .extent_start = buf,
    };
    unsigned int i, nr;
    long rc;

    poison(buf, l->room);
    rc = hypercall_memory_op(l->cmd, &xmml);
    nr = xmml.nr_extents;
    if ( rc || nr > l->room )
    {
        fail("%s: rc %ld, nr_extents %u", l->name, rc, nr);
        return false;
    }
    if ( nr != l->expected )
        fail("%s: %u extents, expected %u for max_page %#lx",
             l->name, nr, l->expected, max_page);

    l->nr = nr;
    memcpy(l->frames, buf, nr * sizeof(*buf));
    check_entries(l, "whole list", buf, l->room, nr, false);

    printk("%s: %u extents:", l->name, nr);
    for ( i = 0; i < nr; i++ )
        printk(" %#lx%s", l->frames[i], is_hole(l, i) ? " (hole)" : "");
    printk("\n");

    for ( i = 0; i < nr; i++ )
        if ( !l->frames[i] || (l->frames[i] & (EXTENT_PAGES - 1)) ||
             l->frames[i] >= max_page )
            fail("%s: extent %u is %#lx: not a nonzero 2M aligned MFN below "
                 "max_page %#lx", l->name, i, l->frames[i], max_page);

    return nr == l->expected;
}

#ifdef CONFIG_PV
static uint8_t probe[PAGE_SIZE] __page_aligned_bss;

/* Read a word at @p, returning the fault taken, if any. */
static exinfo_t read_fault(const void *p)
{
    exinfo_t fault = 0;
    unsigned long val;

    asm volatile ("1: mov %[ptr], %[val]; 2:"
                  _ASM_EXTABLE_HANDLER(1b, 2b, %P[rec])
                  : "+a" (fault), [val] "=r" (val)
                  : [ptr] "m" (*(const unsigned long *)p),
                    [rec] "p" (ex_record_fault_eax));

    return fault;
}

/*
 * Whether probe[], page @j of extent @i of @l, is right.  @own: @l lists
 * the M2P the guest sees, so compare with that.  Else (the compat list in a
 * 64bit guest), each entry is the native one truncated to 32 bits, or ~0 in
 * a hole of the native M2P.
 */
static bool page_ok(const struct m2p_list *l, unsigned int i,
                    unsigned int j, bool own)
{
    unsigned long off = i * EXTENT_SIZE + j * PAGE_SIZE, mfn = off / 4;
    const unsigned long *m2p = _p(machphys.v_start);
    const uint32_t *entry = (const void *)probe;

    if ( own && memcmp(probe, _p(machphys.v_start + off), PAGE_SIZE) )
    {
        fail("%s: extent %u (%#lx) page %u differs from the M2P at %#lx",
             l->name, i, l->frames[i], j, machphys.v_start + off);
        return false;
    }

    for ( unsigned int k = 0; !own && k < PAGE_SIZE / 4; k++, mfn++ )
    {
        unsigned long ext = mfn / (EXTENT_SIZE / sizeof(long));
        uint32_t exp = ~0U;

        if ( ext < native_list.nr && !is_hole(&native_list, ext) )
            exp = m2p[mfn];
        if ( entry[k] != exp )
        {
            fail("%s: extent %u page %u: entry for MFN %#lx is %#x, the "
                 "native M2P says %#x", l->name, i, j, mfn, entry[k], exp);
            return false;
        }
    }

    return true;
}

/*
 * Compare @l's extents with the M2P, up to the first wrong one: past it, the
 * list may call a hole mapped.
 */
static void check_contents(const struct m2p_list *l)
{
    bool own = l->compat == IS_DEFINED(CONFIG_32BIT);
    unsigned long size = machphys.v_end - machphys.v_start;
    unsigned int i, j, pages = 0;

    for ( i = 0; i < l->nr; i++ )
    {
        const void *view = _p(machphys.v_start + i * EXTENT_SIZE);
        exinfo_t fault = 0;

        if ( own && i * EXTENT_SIZE >= size )
            break;
        if ( own )
            fault = read_fault(view);

        if ( is_hole(l, i) )
        {
            if ( own && exinfo_vec(fault) != X86_EXC_PF )
                fail("%s: extent %u is a hole, but %p is mapped",
                     l->name, i, view);
            continue;
        }
        if ( fault )
        {
            fail("%s: extent %u (%#lx) is no hole, but %p is not mapped",
                 l->name, i, l->frames[i], view);
            break;
        }

        for ( j = 0; j < EXTENT_PAGES; j++, pages++ )
        {
            int rc = hypercall_update_va_mapping_otherdomain(
                _u(probe), pte_from_gfn(l->frames[i] + j, PF_SYM(A, P)),
                UVMF_INVLPG, DOMID_XEN);

            if ( rc )
                fail("%s: mapping MFN %#lx of DOMID_XEN: %d",
                     l->name, l->frames[i] + j, rc);
            if ( rc || !page_ok(l, i, j, own) )
                goto out;
        }
    }

 out:
    if ( hypercall_update_va_mapping(_u(probe),
                                     pte_from_virt(probe, PF_SYM(AD, RW, P)),
                                     UVMF_INVLPG) )
        panic("Failed to remap %p\n", probe);
    printk("%s: compared %u pages with the M2P\n", l->name, pages);
}
#endif /* CONFIG_PV */

/* max_extents 0, 1 up to the exact length, and ~0. */
static void check_max_extents(const struct m2p_list *l)
{
    char what[40];

    check_op(l, "max_extents 0", 0, buf, l->room, 0, 0, 0);
    check_op(l, "max_extents 0, extent_start NULL", 0, NULL, 0, 0, 0, 0);

    for ( unsigned int max = 1; max <= l->nr; max++ )
    {
        snprintf(what, sizeof(what), "max_extents %u", max);
        check_op(l, what, max, buf, l->room, 0, max, max);
    }

    check_op(l, "max_extents ~0", ~0U, buf, l->room, 0, l->nr, l->nr);
}

/*
 * Buffers, and the argument itself, where they can't be written (or read):
 * at bad addresses, and on or before a page unmapped or read-only.
 */
static void check_bad_pointers(const struct m2p_list *l)
{
    struct xen_machphys_mfn_list *xmml;
    unsigned int i, j, k, n = l->nr;
    const unsigned int fit = PAGE_SIZE / sizeof(long);
    const unsigned int ks[] = { min(n - 1, fit), 1, n };
    char what[80];
    long rc;

    for ( i = 0; i < ARRAY_SIZE(bad_ptrs); i++ )
    {
        snprintf(what, sizeof(what), "extent_start %s", bad_ptrs[i].what);
        check_op(l, what, l->room, _p(bad_ptrs[i].addr), 0,
                 -EFAULT, POISON_NR, 0);

        rc = hypercall_memory_op(l->cmd, _p(bad_ptrs[i].addr));
        if ( rc != -EFAULT )
            fail("%s, arg %s: rc %ld", l->name, bad_ptrs[i].what, rc);
    }

    for ( i = 0; i < 2; i++ )
    {
        bool ro = i;
        const char *kind = ro ? "a read-only" : "an unmapped";
        uint64_t flags = ro ? PF_SYM(AD, P) : 0;

        poison(guard, PAGE_SIZE / sizeof(long));
        remap_guard(flags);

        snprintf(what, sizeof(what), "extent_start on %s page", kind);
        check_op(l, what, l->room, guard, 0, -EFAULT, POISON_NR, 0);

        /*
         * Buffers of k entries ending where the mapping does, as many as
         * the page before it holds: for k < n (n - 1 and 1), -EFAULT; k = n
         * is enough.
         */
        for ( j = 0; j < ARRAY_SIZE(ks); j++ )
        {
            k = ks[j];
            if ( k > fit )
                continue;

            snprintf(what, sizeof(what), "%u-entry buffer before %s page",
                     k, kind);
            check_op(l, what, l->room, (unsigned long *)guard - k, k,
                     k < n ? -EFAULT : 0, n, k);
        }

        remap_guard(PF_SYM(AD, RW, P));
        if ( ro )
            check_entries(l, "read-only page", guard,
                          PAGE_SIZE / sizeof(long), 0, false);

        /*
         * The argument on the page, or straddling into it: unmapped, it
         * can't be read, so nothing is written; read-only, the entries are
         * written, but not nr_extents.
         */
        for ( k = 0; k < 2; k++ )
        {
            xmml = guard - 4 * k;
            xmml->max_extents = l->room;
            xmml->extent_start = buf;
            xmml->nr_extents = POISON_NR;
            poison(buf, l->room);
            remap_guard(flags);

            snprintf(what, sizeof(what), "arg %s %s page",
                     k ? "straddling into" : "on", kind);
            rc = hypercall_memory_op(l->cmd, xmml);
            if ( rc != -EFAULT )
                fail("%s, %s: rc %ld", l->name, what, rc);
            if ( ro && xmml->nr_extents != POISON_NR )
                fail("%s, %s: nr_extents %u written back", l->name, what,
                     xmml->nr_extents);
            check_entries(l, what, buf, l->room, ro ? n : 0, true);

            remap_guard(PF_SYM(AD, RW, P));
        }
    }
}

static void check_list(struct m2p_list *l)
{
    if ( !fetch(l) )
        return;
#ifdef CONFIG_PV
    if ( pv_start_info->flags & SIF_INITDOMAIN )
        check_contents(l);
    else
        xtf_warning("Warning: %s: not the hardware domain, contents not "
                    "checked\n", l->name);
#endif
    check_max_extents(l);
    check_bad_pointers(l);
}

#ifdef __i386__
/*
 * The L2 behind L3 slot 3 maps the compat M2P read-only from its first Xen
 * slot on: slot 428 + i is extent i, with no mapping for a hole.
 */
static void check_l2_slots(const struct m2p_list *l)
{
    unsigned long va = machphys.v_start;
    const uint64_t *l3t = _p(pv_start_info->pt_base), *l2t;
    unsigned int slot = l2_table_offset(va), i;
    uint64_t l3e = l3t[l3_table_offset(va)];

    if ( va != __HYPERVISOR_VIRT_START_PAE )
        fail("M2P at %#lx, not %#lx", va, __HYPERVISOR_VIRT_START_PAE);
    if ( !(l3e & _PAGE_PRESENT) )
        return fail("L3[%u] = %#"PRIx64": no L2 for the M2P",
                    l3_table_offset(va), l3e);

    l2t = mfn_to_virt(pte_to_paddr(l3e) >> PAGE_SHIFT);
    printk("L3[%u] = %#"PRIx64", L2[%u] = %#"PRIx64"\n",
           l3_table_offset(va), l3e, slot, l2t[slot]);

    for ( i = 0; slot + i < L2_PT_ENTRIES; i++ )
    {
        uint64_t e = l2t[slot + i];

        if ( i >= l->nr || is_hole(l, i) )
        {
            if ( e )
                fail("L2[%u] = %#"PRIx64", expected empty: no compat "
                     "extent %u", slot + i, e, i);
        }
        else if ( (e & (_PAGE_PSE | _PAGE_RW | _PAGE_PRESENT)) !=
                  (_PAGE_PSE | _PAGE_PRESENT) ||
                  pte_to_paddr(e) >> PAGE_SHIFT != l->frames[i] )
            fail("L2[%u] = %#"PRIx64", expected a read-only 2M mapping of "
                 "compat extent %u, %#lx", slot + i, e, i, l->frames[i]);
    }
}
#endif

/* Whether Xen runs 32bit PV guests. */
static bool have_pv32(void)
{
    static xen_capabilities_info_t caps;
    static const char pv32[] = "xen-3.0-x86_32p";
    long rc = hypercall_xen_version(XENVER_capabilities, caps);

    if ( rc )
        panic("XENVER_capabilities: %ld\n", rc);

    caps[sizeof(caps) - 1] = '\0';
    printk("Xen capabilities: %s\n", caps);
    for ( const char *p = caps; *p; p++ )
        if ( !strncmp(p, pv32, sizeof(pv32) - 1) )
            return true;

    return false;
}

/*
 * HVM guests: print what each subop returns (as much as buf[] holds),
 * checking nothing: no part of the interface says what they get.
 */
static void record_hvm(const struct m2p_list *l)
{
    struct xen_machphys_mfn_list xmml = {
        .max_extents = ARRAY_SIZE(buf),
        .extent_start = buf,
    };
    long rc = hypercall_memory_op(l->cmd, &xmml);

    printk("HVM guest: %s: rc %ld", l->name, rc);
    if ( !rc )
    {
        unsigned int nr = min(xmml.nr_extents, (unsigned int)ARRAY_SIZE(buf));

        printk(", %u extents:", xmml.nr_extents);
        for ( unsigned int i = 0; i < nr; i++ )
            printk(" %#lx", buf[i]);
    }
    printk(" (recorded, not checked)\n");
}

/* The length of @l that max_page implies, and the room its calls get. */
static bool size_list(struct m2p_list *l)
{
    /* One entry per page below max_page, 2M of table per extent. */
    unsigned long per_extent = EXTENT_SIZE / (l->compat ? 4 : 8);

    l->expected = (max_page + per_extent - 1) / per_extent;
    /* Xen's compat M2P ends with its 1G area, whatever max_page. */
    if ( l->compat )
        l->expected = min(l->expected, (unsigned int)COMPAT_MAX_EXTENTS);
    if ( l->expected > l->max )
    {
        xtf_skip("Skip: %s: max_page %#lx needs %u extents, more than Xen's "
                 "layout allows (%u)\n", l->name, max_page, l->expected,
                 l->max);
        return false;
    }
    l->room = l->expected + SLACK;

    return true;
}

void test_main(void)
{
    bool pv32 = have_pv32();
    unsigned int i, j;
    long rc;

    rc = hypercall_memory_op(XENMEM_maximum_ram_page, NULL);
    if ( rc <= 0 )
        return xtf_error("Error: XENMEM_maximum_ram_page: %ld\n", rc);
    max_page = rc;

    if ( IS_DEFINED(CONFIG_HVM) )
    {
        rc = hypercall_memory_op(XENMEM_machphys_mapping, &machphys);
        printk("32bit PV %savailable; HVM guest, max_page %#lx: "
               "XENMEM_machphys_mapping: rc %ld (recorded, not checked)\n",
               pv32 ? "" : "un", max_page, rc);
        record_hvm(&native_list);
        record_hvm(&compat_list);

        return xtf_success(NULL);
    }

    if ( !size_list(&native_list) || !size_list(&compat_list) )
        return;

    rc = hypercall_memory_op(XENMEM_machphys_mapping, &machphys);
    if ( rc )
        return xtf_error("Error: XENMEM_machphys_mapping: %ld\n", rc);
    printk("max_page %#lx, M2P at %#lx-%#lx, max_mfn %#lx\n", max_page,
           machphys.v_start, machphys.v_end, machphys.max_mfn);

    check_list(&native_list);

    if ( !pv32 )
    {
        printk("32bit PV unavailable: checking %s fails with -EOPNOTSUPP\n",
               compat_list.name);
        if ( IS_DEFINED(CONFIG_32BIT) )
            fail("32bit PV guest, but Xen lacks xen-3.0-x86_32p");
        check_op(&compat_list, "no 32bit PV", compat_list.room, buf,
                 compat_list.room, -EOPNOTSUPP, POISON_NR, 0);
        return xtf_success(NULL);
    }

    printk("32bit PV available: checking %s\n", compat_list.name);
    check_list(&compat_list);

    if ( native_list.compat )
    {
        if ( native_list.nr != compat_list.nr ||
             memcmp(native_list.frames, compat_list.frames,
                    native_list.nr * sizeof(long)) )
            fail("32bit guest: the two lists differ");
    }
    else
    {
        for ( i = 0; i < native_list.nr; i++ )
            for ( j = 0; j < compat_list.nr; j++ )
                if ( native_list.frames[i] == compat_list.frames[j] )
                    fail("Native extent %u and compat extent %u are both "
                         "%#lx", i, j, native_list.frames[i]);
    }

#ifdef __i386__
    check_l2_slots(&compat_list);
#endif

    xtf_success(NULL);
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
