/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A PV domU for xl save / xl restore / xl migrate, which checks after each
 * resume that nothing of it was lost.
 *
 * At boot it publishes its P2M for the save code, fills all the memory
 * beyond its initial mapping with a pattern, and maps that memory through
 * page tables of its own: two L2 tables (behind L3 slots 1 and 2) whose
 * entries point to L1 tables, half of them pinned, one 2MiB region per
 * L1.  The second L2 has the entries of its regions at slots 429 and up,
 * and a non-present entry at slot 428 carrying the frame of extent 0 of
 * the compat M2P (the first Xen slot of a 32-bit guest's top L2 maps that
 * frame): the save code must take only a present entry there for Xen's,
 * or it drops the mappings above it (patch "libxenguest: only a present L2
 * entry marks a 32-bit guest's Xen slots").
 *
 * It then watches control/shutdown and, while it waits, keeps changing
 * things: rewriting data pages with a new pattern, swapping L1 entries
 * and L2 entries, unhooking and rehooking an L2 table -- so that a live
 * migration sends pages and page tables over several rounds.  On
 * "suspend" it suspends (SCHEDOP_shutdown(SHUTDOWN_suspend)); on resume it
 * checks its page tables entry by entry, the pattern of every data page,
 * P2M against M2P, the published P2M and, as a 32-bit guest, that the
 * first Xen slot of its top L2 maps extent 0 of the compat M2P as Xen
 * reports it now, and prints one line on its console:
 *     migrate-guest: resume N: OK
 *     migrate-guest: resume N: FAILURE: <first problem> (M problems)
 * and carries on (after a FAILURE without changing anything: its page
 * tables are no longer what it knows).  The same checks run once at boot
 * ("migrate-guest: boot: OK").  On "poweroff" (or "halt") it prints the
 * verdict ("Test result: ...", FAILURE if any check ever failed) and
 * powers off.
 *
 * Command line (xl's "extra"), for tests of the toolstack's failure paths:
 *   no-suspend  publish the P2M, watch nothing: never answer a request
 *               (not even poweroff: use xl destroy);
 *   no-p2m      answer requests, but never publish the P2M.
 */
#include "hypercall.h"

const char test_title[] = "guest for xl save, restore and migrate";

#define L1_SHIFT        PAGE_SHIFT
#define L2_SHIFT        21
#define L3_SHIFT        30
#define ENTRIES         512
#define NR_L2           2               /* behind L3 slots 1 and 2 */
#define MAX_REGIONS     64              /* 128MiB of data pages */
#define MAX_DATA_PAGES  (MAX_REGIONS * ENTRIES)

/*
 * The first Xen slot of a 32-bit guest's top L2; in the second L2 of this
 * test, slot DECOY_SLOT is the non-present decoy and regions start above.
 * Only the save of a 32-bit guest looks at that slot: a 64-bit build
 * carries the decoy all the same, and checks it comes back as it was.
 */
#define DECOY_SLOT      428
#ifndef __x86_64__
_Static_assert(DECOY_SLOT == ((HYPERVISOR_VIRT_START_PAE >> L2_SHIFT) & 511),
               "DECOY_SLOT is not the first Xen slot of the top L2");
#endif

static uint8_t l2_tables[NR_L2][PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t l1_tables[MAX_REGIONS][PAGE_SIZE] __aligned(PAGE_SIZE);

/* Which data pfn entry s of L1 table t maps (0: none). */
static uint32_t l1_map[MAX_REGIONS][ENTRIES];

/* A 2MiB region: L2 table @table, slot @slot, maps L1 table @l1. */
struct region {
    unsigned int table, slot, l1;
};
static struct region regions[MAX_REGIONS];
static unsigned int nr_regions;

/* Data pages: pfns data_first .. data_first + nr_data - 1. */
static unsigned long data_first, nr_data;
/* The generation of each data page's pattern. */
static uint16_t data_gen[MAX_DATA_PAGES];
static uint8_t data_seen[MAX_DATA_PAGES / 8];

/* Flags of new entries, copied from the domain builder's. */
static uint64_t l3_flags, l2_flags, l1_flags;
static uint64_t decoy;          /* what l2_tables[1][DECOY_SLOT] holds */

static unsigned long changes;           /* since boot */
/*
 * A check failed: the page tables may not be what change() expects, so
 * stop changing them (and stay alive to answer the toolstack).
 */
static bool broken;
static uint32_t rnd = 2463534242U;

/* Problems found by one check_all(). */
static unsigned int problems;
static char first_problem[200];

static void __printf(1, 2) problem(const char *fmt, ...)
{
    char msg[200];
    va_list args;

    va_start(args, fmt);
    vsnprintf(msg, sizeof(msg), fmt, args);
    va_end(args);
    if ( !problems++ )
        memcpy(first_problem, msg, sizeof(msg));
    /* Enough detail to go on, without flooding the console ring. */
    if ( problems <= 8 )
        fail("%s", msg);
}

static uint32_t next_random(void)
{
    /* xorshift32 */
    rnd ^= rnd << 13;
    rnd ^= rnd >> 17;
    rnd ^= rnd << 5;

    return rnd;
}

static unsigned long region_va(const struct region *r)
{
    return ((unsigned long)(r->table + 1) << L3_SHIFT) +
           ((unsigned long)r->slot << L2_SHIFT);
}

static uint64_t table_entry(const void *table, unsigned int slot)
{
    return ((const uint64_t *)table)[slot];
}

/* Write one entry of a (read-only, validated) page table. */
static void pt_write(const void *table, unsigned int slot, uint64_t val)
{
    struct mmu_update u = {
        .ptr = (((uint64_t)virt_to_mfn(table) << PAGE_SHIFT) + slot * 8) |
               MMU_NORMAL_PT_UPDATE,
        .val = val,
    };
    long rc = HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);

    if ( rc )
    {
        fail("mmu_update of entry %u of the table at %p (frame %#lx) to "
             "%#llx: %ld", slot, table, virt_to_mfn(table),
             (unsigned long long)val, rc);
        test_finish();
    }
}

static void mmuext(unsigned int cmd, unsigned long mfn)
{
    struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn };
    long rc = HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);

    if ( rc )
    {
        fail("mmuext_op %u (frame %#lx): %ld", cmd, mfn, rc);
        test_finish();
    }
}

static void flush_tlb(void)
{
    mmuext(MMUEXT_TLB_FLUSH_LOCAL, 0);
}

/* Make a page of ours read-only before Xen takes it as a page table. */
static void make_table(void *page)
{
    long rc = protect_page(page);

    if ( rc )
    {
        fail("making %p read-only: %ld", page, rc);
        test_finish();
    }
}

/* The L3 entry behind which L2 table @t is hooked. */
static const uint64_t *l3_entry(unsigned int t)
{
    const uint64_t *e = guest_pte((unsigned long)(t + 1) << L3_SHIFT, 3);

    if ( !e )
    {
        fail("no L3 table for %#lx", (unsigned long)(t + 1) << L3_SHIFT);
        test_finish();
    }

    return e;
}

static void l3_write(unsigned int t, uint64_t val)
{
    const uint64_t *e = l3_entry(t);

    pt_write((const void *)((unsigned long)e & PAGE_MASK),
             ((unsigned long)e & ~PAGE_MASK) / 8, val);
}

/* Extent 0 of the compat M2P, as Xen reports it now (0 if it cannot). */
static unsigned long compat_m2p_mfn0(void)
{
    struct xen_machphys_mfn_list xmml = { .max_extents = 1 };
    xen_pfn_t mfn = 0;
    long rc;

    set_xen_guest_handle(xmml.extent_start, &mfn);
    rc = HYPERVISOR_memory_op(XENMEM_machphys_compat_mfn_list, &xmml);
    if ( rc || xmml.nr_extents != 1 || !mfn )
    {
#ifdef __x86_64__
        /* Xen without 32-bit PV: the decoy gets some other frame. */
        if ( rc == -XEN_EOPNOTSUPP )
            return 0;
#endif
        problem("XENMEM_machphys_compat_mfn_list: rc %ld, %u extents, "
                "extent 0 %#lx", rc, xmml.nr_extents, (unsigned long)mfn);
        return 0;
    }

    return mfn;
}

/* The word k of a data page is pattern_base(pfn, gen) ^ (k * PATTERN_K). */
#define PATTERN_K       0xc2b2ae3dU
static uint32_t pattern_base(unsigned long pfn, unsigned int gen)
{
    return ((uint32_t)pfn * 0x9e3779b1U) ^ (gen * 0x85ebca77U) ^ 0x5a5a5a5aU;
}

static void fill_page(uint32_t *w, unsigned long pfn, unsigned int gen)
{
    uint32_t base = pattern_base(pfn, gen), k = 0;
    unsigned int i;

    for ( i = 0; i < PAGE_SIZE / 4; i++, k += PATTERN_K )
        w[i] = base ^ k;
}

/* The index of the first word not as filled, or PAGE_SIZE / 4. */
static unsigned int check_page(const uint32_t *w, unsigned long pfn,
                               unsigned int gen)
{
    uint32_t base = pattern_base(pfn, gen), k = 0;
    unsigned int i;

    for ( i = 0; i < PAGE_SIZE / 4; i++, k += PATTERN_K )
        if ( w[i] != (base ^ k) )
            break;

    return i;
}

static uint32_t *page_va(const struct region *r, unsigned int s)
{
    return (uint32_t *)(region_va(r) + ((unsigned long)s << L1_SHIFT));
}

/* The first pfn after the domain builder's initial mapping. */
static unsigned long initial_mapping_end(void)
{
    extern const char _end[];
    unsigned long pfn = virt_to_pfn(_end);

    for ( ; pfn < start_info->nr_pages; pfn++ )
    {
        const uint64_t *l1e = guest_pte((unsigned long)pfn_to_virt(pfn), 1);

        if ( !l1e || !(*l1e & _PAGE_PRESENT) )
            break;
    }

    return pfn;
}

/*
 * Map every page beyond the initial mapping, fill it with the pattern:
 * the L1 tables first (half of them pinned), then the L2 tables, then
 * hook the L2 tables into the L3 table.
 */
static void build(void)
{
    unsigned int r, s, t;

    l3_flags = *guest_pte(0, 3) & ~PTE_FRAME_MASK;
    l2_flags = *guest_pte(0, 2) & ~PTE_FRAME_MASK;
    l1_flags = *guest_pte((unsigned long)data_gen, 1) & ~PTE_FRAME_MASK;

    data_first = initial_mapping_end();
    nr_data = start_info->nr_pages - data_first;
    if ( nr_data > MAX_DATA_PAGES )
    {
        fail("%lu pages beyond the initial mapping, at most %u supported: "
             "give the guest at most %u MiB", nr_data, MAX_DATA_PAGES,
             MAX_REGIONS * 2);
        test_finish();
    }
    nr_regions = (nr_data + ENTRIES - 1) / ENTRIES;
    printk("migrate-guest: %lu pages, data pages %#lx-%#lx in %u regions, "
           "%u L2 tables\n", start_info->nr_pages, data_first,
           data_first + nr_data - 1, nr_regions, NR_L2);

    for ( r = 0; r < nr_regions; r++ )
    {
        uint64_t *l1 = (uint64_t *)l1_tables[r];

        regions[r].table = r % NR_L2;
        regions[r].slot = (r % NR_L2 ? DECOY_SLOT + 1 : 0) + r / NR_L2;
        regions[r].l1 = r;
        for ( s = 0; s < ENTRIES; s++ )
        {
            unsigned long pfn = data_first + r * ENTRIES + s;

            if ( pfn >= start_info->nr_pages )
                break;
            l1_map[r][s] = pfn;
            l1[s] = ((uint64_t)pfn_to_mfn(pfn) << PAGE_SHIFT) | l1_flags;
        }
        make_table(l1);
        if ( !(r & 1) )
            mmuext(MMUEXT_PIN_L1_TABLE, virt_to_mfn(l1));
    }

    decoy = ((uint64_t)compat_m2p_mfn0() << PAGE_SHIFT) | _PAGE_RW;
    ((uint64_t *)l2_tables[1])[DECOY_SLOT] = decoy;
    for ( r = 0; r < nr_regions; r++ )
        ((uint64_t *)l2_tables[regions[r].table])[regions[r].slot] =
            ((uint64_t)virt_to_mfn(l1_tables[r]) << PAGE_SHIFT) | l2_flags;

    for ( t = 0; t < NR_L2; t++ )
    {
        make_table(l2_tables[t]);
        l3_write(t, ((uint64_t)virt_to_mfn(l2_tables[t]) << PAGE_SHIFT) |
                    l3_flags);
    }
    flush_tlb();

    for ( r = 0; r < nr_regions; r++ )
        for ( s = 0; s < ENTRIES; s++ )
            if ( l1_map[r][s] )
            {
                data_gen[l1_map[r][s] - data_first] = 1;
                fill_page(page_va(&regions[r], s), l1_map[r][s], 1);
            }
}

/* One change of the kind a running guest makes. */
static void change(void)
{
    struct region *a = &regions[next_random() % nr_regions];
    struct region *b = &regions[next_random() % nr_regions];
    unsigned int s1 = next_random() % ENTRIES, s2 = next_random() % ENTRIES;
    uint32_t *m = l1_map[a->l1];
    uint32_t pfn;
    unsigned int tmp, t;

    changes++;
    switch ( changes % 4 )
    {
    case 0:
    case 1:
        /* A new pattern for one data page. */
        pfn = m[s1];
        if ( pfn )
            fill_page(page_va(a, s1), pfn, ++data_gen[pfn - data_first]);
        break;

    case 2:
        /* Swap two entries of an L1 table. */
        pt_write(l1_tables[a->l1], s1, table_entry(l1_tables[a->l1], s2));
        pt_write(l1_tables[a->l1], s2, m[s1] ?
                 ((uint64_t)pfn_to_mfn(m[s1]) << PAGE_SHIFT) | l1_flags : 0);
        tmp = m[s1];
        m[s1] = m[s2];
        m[s2] = tmp;
        flush_tlb();
        break;

    case 3:
        /* Swap the L1 tables of two regions (two L2 entries). */
        if ( a == b )
            break;
        pt_write(l2_tables[a->table], a->slot,
                 table_entry(l2_tables[b->table], b->slot));
        pt_write(l2_tables[b->table], b->slot,
                 ((uint64_t)virt_to_mfn(l1_tables[a->l1]) << PAGE_SHIFT) |
                 l2_flags);
        tmp = a->l1;
        a->l1 = b->l1;
        b->l1 = tmp;
        flush_tlb();
        break;
    }

    /* Now and then, unhook an L2 table and hook it again. */
    if ( !(changes % 64) )
    {
        t = (changes / 64) % NR_L2;
        l3_write(t, 0);
        flush_tlb();
        l3_write(t, ((uint64_t)virt_to_mfn(l2_tables[t]) << PAGE_SHIFT) |
                    l3_flags);
        flush_tlb();
    }
}

static void check_entry(const char *what, unsigned int slot, uint64_t e,
                        unsigned long mfn)
{
    if ( !(e & _PAGE_PRESENT) || (e & _PAGE_PSE) || PTE_MFN(e) != mfn )
        problem("%s[%u] is %#llx, expected a mapping of frame %#lx",
                what, slot, (unsigned long long)e, mfn);
}

/* The L3 entries, the L2 tables entry by entry. */
static void check_l2_tables(void)
{
    static uint8_t owner[NR_L2][ENTRIES];       /* region + 1, or 0 */
    unsigned int t, i;

    memset(owner, 0, sizeof(owner));
    for ( i = 0; i < nr_regions; i++ )
        owner[regions[i].table][regions[i].slot] = i + 1;

    for ( t = 0; t < NR_L2; t++ )
    {
        char what[24];

        snprintf(what, sizeof(what), "L3");
        check_entry(what, t + 1, *l3_entry(t), virt_to_mfn(l2_tables[t]));

        snprintf(what, sizeof(what), "L2 table %u", t);
        for ( i = 0; i < ENTRIES; i++ )
        {
            uint64_t e = table_entry(l2_tables[t], i);

            if ( owner[t][i] )
            {
                const unsigned int l1 = regions[owner[t][i] - 1].l1;

                check_entry(what, i, e, virt_to_mfn(l1_tables[l1]));
            }
            else if ( t == 1 && i == DECOY_SLOT )
            {
                if ( e != decoy )
                    problem("%s[%u] (the decoy) is %#llx, was %#llx", what, i,
                            (unsigned long long)e, (unsigned long long)decoy);
            }
            else if ( e )
                problem("%s[%u] is %#llx, expected empty", what, i,
                        (unsigned long long)e);
        }
    }
}

/* The L1 tables entry by entry, and the pattern of every data page. */
static void check_regions(void)
{
    unsigned int r, s, w;
    unsigned long mapped = 0;

    memset(data_seen, 0, sizeof(data_seen));
    for ( r = 0; r < nr_regions; r++ )
    {
        const struct region *reg = &regions[r];
        const uint32_t *m = l1_map[reg->l1];
        const uint64_t *l1e;
        uint64_t l2e = table_entry(l2_tables[reg->table], reg->slot);
        char what[24];

        /* Walk only what check_l2_tables() found right. */
        if ( !(*l3_entry(reg->table) & _PAGE_PRESENT) ||
             PTE_MFN(*l3_entry(reg->table)) !=
             virt_to_mfn(l2_tables[reg->table]) ||
             !(l2e & _PAGE_PRESENT) ||
             PTE_MFN(l2e) != virt_to_mfn(l1_tables[reg->l1]) )
            continue;

        l1e = guest_pte(region_va(reg), 1);
        if ( l1e != (const uint64_t *)l1_tables[reg->l1] )
        {
            problem("walking to %#lx: L1 entry at %p, expected L1 table %u "
                    "at %p", region_va(reg), l1e, reg->l1,
                    l1_tables[reg->l1]);
            continue;
        }

        snprintf(what, sizeof(what), "L1 table %u", reg->l1);
        for ( s = 0; s < ENTRIES; s++ )
        {
            uint64_t e = table_entry(l1_tables[reg->l1], s);
            unsigned long i;

            if ( !m[s] )
            {
                if ( e )
                    problem("%s[%u] is %#llx, expected empty", what, s,
                            (unsigned long long)e);
                continue;
            }

            i = m[s] - data_first;
            if ( i >= nr_data || (data_seen[i / 8] & (1 << (i % 8))) )
            {
                problem("pfn %#x mapped twice or not a data page", m[s]);
                continue;
            }
            data_seen[i / 8] |= 1 << (i % 8);
            mapped++;

            if ( !(e & _PAGE_PRESENT) || !(e & _PAGE_RW) ||
                 PTE_MFN(e) != pfn_to_mfn(m[s]) )
            {
                problem("%s[%u] is %#llx, expected a writable mapping of "
                        "pfn %#x (frame %#lx)", what, s,
                        (unsigned long long)e, m[s], pfn_to_mfn(m[s]));
                continue;
            }

            w = check_page(page_va(reg, s), m[s], data_gen[i]);
            if ( w < PAGE_SIZE / 4 )
                problem("pfn %#x at %p: word %u is %#x, expected %#x "
                        "(generation %u)", m[s], page_va(reg, s), w,
                        page_va(reg, s)[w],
                        pattern_base(m[s], data_gen[i]) ^ (w * PATTERN_K),
                        data_gen[i]);
        }
    }

    if ( mapped != nr_data )
        problem("%lu data pages mapped, expected %lu", mapped, nr_data);
}

/* P2M and M2P agree for every page; the published P2M is there. */
static void check_p2m(bool published)
{
    const unsigned long *m2p = (const unsigned long *)machphys.v_start;
    unsigned long pfn, mfn;

    for ( pfn = 0; pfn < start_info->nr_pages; pfn++ )
    {
        mfn = pfn_to_mfn(pfn);
        if ( mfn > machphys.max_mfn || m2p[mfn] != pfn )
        {
            problem("P2M[%#lx] is %#lx, whose M2P entry is %#lx", pfn, mfn,
                    mfn > machphys.max_mfn ? ~0UL : m2p[mfn]);
            return;
        }
    }

    if ( published &&
         (shared_info->arch.max_pfn != start_info->nr_pages ||
          !shared_info->arch.pfn_to_mfn_frame_list_list) )
        problem("shared_info: max_pfn %#lx, frame list list %#lx: P2M not "
                "published", (unsigned long)shared_info->arch.max_pfn,
                (unsigned long)shared_info->arch.pfn_to_mfn_frame_list_list);
}

#ifndef __x86_64__
/* Slot 428 of the top L2 maps extent 0 of the compat M2P, read-only. */
static void check_xen_slot(void)
{
    const uint64_t *l2e = guest_pte(HYPERVISOR_VIRT_START_PAE, 2);
    unsigned long mfn0 = compat_m2p_mfn0();

    if ( !l2e )
        problem("no top L2 table (L3 slot 3)");
    else if ( !(*l2e & _PAGE_PRESENT) || !(*l2e & _PAGE_PSE) ||
              (*l2e & _PAGE_RW) || PTE_MFN(*l2e) != mfn0 )
        problem("top L2[%u] is %#llx, expected a read-only 2MiB mapping of "
                "compat M2P extent 0, frame %#lx", DECOY_SLOT,
                (unsigned long long)*l2e, mfn0);
}
#endif

/* All checks; prints "migrate-guest: <when>: OK" or FAILURE. */
static void check_all(const char *when, bool published, const char *note)
{
    problems = 0;
    check_l2_tables();
    check_regions();
    check_p2m(published);
#ifndef __x86_64__
    check_xen_slot();
#endif

    if ( !problems )
        printk("migrate-guest: %s: OK%s\n", when, note);
    else
    {
        printk("migrate-guest: %s: FAILURE: %s%s (%u problems)\n", when,
               first_problem, note, problems);
        if ( !broken )
            printk("migrate-guest: no more changes from now on\n");
        broken = true;
    }
}

/* The decoy follows extent 0 of the compat M2P of the host we run on. */
static void refresh_decoy(void)
{
    decoy = ((uint64_t)compat_m2p_mfn0() << PAGE_SHIFT) | _PAGE_RW;
    pt_write(l2_tables[1], DECOY_SLOT, decoy);
}

static void suspend_and_check(bool published)
{
    static unsigned int resumes;
    char when[24];
    long rc;

    printk("migrate-guest: suspending after %lu changes\n", changes);
    rc = suspend_domain();
    snprintf(when, sizeof(when), "resume %u", ++resumes);
    if ( rc < 0 )
    {
        /* Still running, as before: go on. */
        printk("migrate-guest: %s: FAILURE: SCHEDOP_shutdown(SHUTDOWN_suspend)"
               " returned %ld\n", when, rc);
        fail("suspend: %ld", rc);
        return;
    }

    /* A new domain's control/feature-suspend is empty. */
    if ( xs_write("control/feature-suspend", "1") )
        fail("writing control/feature-suspend after resume");
    check_all(when, published, rc ? " (suspend cancelled)" : "");
    if ( !broken )
        refresh_decoy();
}

/* Answer control/shutdown; false when asked to power off. */
static bool answer_control(bool published)
{
    char req[32];
    int rc = xs_read("control/shutdown", req, sizeof(req));

    if ( rc < 0 )
    {
        if ( rc != -XEN_ENOENT )
            fail("reading control/shutdown: %d", rc);
        return true;
    }
    if ( !req[0] )
        return true;

    /* Acknowledge: the toolstack waits for the node to change. */
    rc = xs_write("control/shutdown", "");
    if ( rc )
        fail("acknowledging control/shutdown \"%s\": %d", req, rc);

    if ( !strcmp(req, "suspend") )
        suspend_and_check(published);
    else if ( !strcmp(req, "poweroff") || !strcmp(req, "halt") )
    {
        printk("migrate-guest: %s after %lu changes\n", req, changes);
        return false;
    }
    else
        printk("migrate-guest: ignoring control/shutdown \"%s\"\n", req);

    return true;
}

void test_main(void)
{
    bool no_suspend = cmdline_has("no-suspend");
    bool no_p2m = cmdline_has("no-p2m");
    long rc;

    if ( is_initial_domain() )
    {
        fail("migrate-guest is a domU: start it with xl create");
        return;
    }
    printk("migrate-guest: start%s%s\n", no_suspend ? ", no-suspend" : "",
           no_p2m ? ", no-p2m" : "");

    if ( !no_p2m )
    {
        rc = p2m_publish();
        if ( rc )
        {
            fail("publishing the P2M: %ld", rc);
            return;
        }
    }

    build();
    check_all("boot", !no_p2m, "");

    rc = xs_write("control/feature-suspend", "1");
    if ( rc )
        fail("writing control/feature-suspend: %ld", rc);
    if ( !no_suspend )
    {
        rc = xs_watch("control/shutdown");
        if ( rc )
        {
            fail("watching control/shutdown: %ld", rc);
            return;
        }
    }

    for ( ; ; )
    {
        if ( !broken )
            change();
        /* Without watches, this just sleeps. */
        if ( xs_watch_fired((broken ? 100 : 10) * NSEC_PER_MSEC) &&
             !no_suspend && !answer_control(!no_p2m) )
            break;
    }
}
