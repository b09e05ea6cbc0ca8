/**
 * @file tests/pv-migrate/main.c
 * @ref test-pv-migrate
 *
 * @page test-pv-migrate PV guest for save, restore and migration
 *
 * Not a test on its own: a guest for tests of the toolstack, which run
 * `xl save`, `xl restore` and `xl migrate` on it, and which read its
 * verdicts on its console.  It checks, after each resume, that nothing of
 * it was lost.
 *
 * At boot it publishes its P2M, fills all memory beyond its initial mapping
 * with a pattern, and maps that memory through pagetables of its own: two
 * L2 tables (behind L3 slots 1 and 2), whose entries point to L1 tables,
 * half of them pinned, one 2M region per L1.  The second L2 maps its regions
 * from slot 429 on, and holds at slot 428 a non-present entry carrying the
 * frame of extent 0 of the compat M2P: in a 32bit guest's top L2, the first
 * Xen slot (428) maps that frame, and the save code must take only a present
 * entry there for Xen's, or it drops the mappings above it.
 *
 * It also leaves two stale pagetables behind: L1 tables which Xen validated
 * (one pinned, one hooked into an L2) and which were then released (type
 * count 0), still holding a present entry which maps a frame the guest then
 * gave back to Xen (XENMEM_decrease_reservation; its P2M entry is made
 * invalid).  Xen reports such a page to the save code as an ordinary page,
 * not a pagetable: the save must succeed, and the page's bytes must come
 * back as they were.
 *
 * It then watches control/shutdown and, while waiting, keeps changing
 * things: the pattern of data pages, L1 entries, L2 entries, unhooking and
 * rehooking an L2 table.  The changes are confined to a small set of pages
 * (16 data pages, 4 L1 tables, the L2 and L3 tables), so that a live
 * migration sends these again after its first round, yet converges: fewer
 * pages than the save code's threshold (50) are dirtied in any round.
 *
 * On "suspend" it suspends, and once resumed checks its pagetables entry by
 * entry, the pattern of every data page, the P2M against the M2P, the
 * published P2M, the stale pagetables and the frame given away, and (as a
 * 32bit guest) that the first Xen slot of its top L2 maps extent 0 of the
 * compat M2P as Xen reports it now.  It prints one line:
 *
 *     pv-migrate: resume N: OK
 *     pv-migrate: resume N: FAILURE: <first problem> (M problems)
 *
 * and carries on (after a failure without changing anything more: its
 * pagetables are no longer what it knows).  The same checks run at boot
 * ("pv-migrate: boot: OK").  On "poweroff" or "halt", it reports the test
 * result (FAILURE if any check ever failed) and powers off.
 *
 * Command line words (xl's "extra"), for tests of the toolstack's failure
 * paths:
 * - `no-suspend`: publish the P2M, but never answer a request (not even to
 *   power off: use `xl destroy`).
 * - `no-p2m`: answer requests, but never publish the P2M.
 *
 * Command line words for tests of what the save does with a grant mapping
 * the guest still holds when it suspends.  Each maps one granted frame at
 * slot 0 of an L1 table of its own (pinned, hooked into L2 table 0; it maps
 * one of the guest's pages at slot 1), and keeps that mapping across every
 * suspend:
 * - `grant-dom0`: a grant from dom0, whose reference dom0 writes to
 *   data/pv-migrate-gref before the guest runs (`xl create -p`); the
 *   frame's first bytes read "pv-migrate grant".  The frame is dom0's: the
 *   save cannot express the entry.
 * - `grant-self`: a grant of one of the guest's own pages to itself; the
 *   guest unmaps its grant table once the mapping is made.  The frame is
 *   the guest's own, in its P2M.
 * - `grant-table`: no mapping of a grant, but the guest's grant table
 *   itself (frames of Xen's, not in its P2M) stays mapped.
 * After a resume, the checks include that L1 table, and (but for
 * `grant-table`) that the mapping reads what it did.
 *
 * @see tests/pv-migrate/main.c
 */
#include <xtf.h>

const char test_title[] = "PV guest for save, restore and migration";

#define MS              1000000ULL      /* ns */

/*
 * Time between changes.  Each costs Xen (and, under emulation, the host)
 * far more while the domain is in log-dirty mode than the few pages it
 * dirties suggest: a faster pace slows the live migration down.
 */
#define CHANGE_INTERVAL (50 * MS)

#define NR_L2           2               /* Behind L3 slots 1 and 2. */
#define MAX_REGIONS     64              /* 128M of data pages. */
#define MAX_DATA_PAGES  (MAX_REGIONS * L1_PT_ENTRIES)

/*
 * What change() touches: the L1 tables of the first HOT_REGIONS regions,
 * and the data pages in their first HOT_SLOTS slots.
 */
#define HOT_REGIONS     4
#define HOT_SLOTS       4

/*
 * The first Xen slot of a 32bit guest's top L2; in the second L2 of this
 * test, the decoy's slot, regions being mapped above it.  Only the save of a
 * 32bit guest looks at that slot: a 64bit guest carries the decoy all the
 * same, and checks that it comes back as it was.
 */
#define DECOY_SLOT      428
#ifdef __i386__
_Static_assert(DECOY_SLOT == ((MACH2PHYS_VIRT_START >> L2_PT_SHIFT) & 511),
               "DECOY_SLOT is not the first Xen slot of the top L2");
#endif

/* The slot of L2 table 0 where a stale L1 table was hooked for a while. */
#define STALE_SLOT      300

/* The slot of L2 table 0 where the grant L1 table is hooked (grant-*). */
#define GRANT_SLOT      301

/* The grant-self grant's reference. */
#define GRANT_REF       8

/* What a granted frame begins with. */
static const char grant_text[] = "pv-migrate grant";

static enum {
    GRANT_NONE, GRANT_DOM0, GRANT_SELF, GRANT_TABLE,
} grant_mode;
static const char *const grant_word[] = {
    [GRANT_DOM0] = "grant-dom0",
    [GRANT_SELF] = "grant-self",
    [GRANT_TABLE] = "grant-table",
};

/*
 * grant_l1 maps the granted frame at slot 0 (Xen writes that entry: the
 * frame is grant_mfn), grant_witness at slot 1; grant_own is what
 * grant-self grants.
 */
static uint8_t grant_l1[PAGE_SIZE] __page_aligned_bss;
static uint8_t grant_witness[PAGE_SIZE] __page_aligned_bss;
static uint8_t grant_own[PAGE_SIZE] __page_aligned_bss;
static unsigned long grant_mfn;

static uint8_t l2_tables[NR_L2][PAGE_SIZE] __page_aligned_bss;
static uint8_t l1_tables[MAX_REGIONS][PAGE_SIZE] __page_aligned_bss;

/* Which data pfn slot s of L1 table t maps (0: none). */
static uint32_t l1_map[MAX_REGIONS][L1_PT_ENTRIES];

/* A 2M region: L2 table @table, slot @slot, maps L1 table @l1. */
struct region {
    unsigned int table, slot, l1;
};
static struct region regions[MAX_REGIONS];
static unsigned int nr_regions;

/* Data pages: pfns data_first to data_first + nr_data - 1. */
static unsigned long data_first, nr_data;
/* The generation of each data page's pattern. */
static uint16_t data_gen[MAX_DATA_PAGES];
static uint8_t data_seen[MAX_DATA_PAGES / 8];

/*
 * The stale pagetables, as they were left, and the frame given away (the
 * last pfn, beyond the data pages).
 */
static uint8_t stale[2][PAGE_SIZE] __page_aligned_bss;
static uint8_t stale_copy[2][PAGE_SIZE];
static unsigned long gone_pfn, gone_mfn;

/* Flags of new entries, copied from the domain builder's. */
static uint64_t l3_flags, l2_flags, l1_flags;
static uint64_t decoy;          /* What l2_tables[1][DECOY_SLOT] holds. */

static struct xen_machphys_mapping machphys;

static unsigned long changes;   /* Since boot. */

/*
 * A check failed: the pagetables may not be what change() expects, so stop
 * changing them (and stay alive to answer the toolstack).
 */
static bool broken;
static uint32_t rnd = 2463534242U;

/* Problems found by one check_all(). */
static unsigned int problems;
static char first_problem[160];

static void __printf(1, 2) problem(const char *fmt, ...)
{
    char msg[sizeof(first_problem)];
    va_list args;

    va_start(args, fmt);
    vsnprintf(msg, sizeof(msg), fmt, args);
    va_end(args);

    if ( !problems++ )
        memcpy(first_problem, msg, sizeof(msg));

    /* Enough detail to go on, without flooding the console. */
    if ( problems <= 8 )
        xtf_failure("Failure: %s\n", msg);
}

static uint32_t next_random(void)
{
    /* xorshift32 */
    rnd ^= rnd << 13;
    rnd ^= rnd >> 17;
    rnd ^= rnd << 5;

    return rnd;
}

/* Whether the command line has the word @word. */
static bool cmdline_has(const char *word)
{
    const char *p = (const char *)pv_start_info->cmd_line;
    const char *end = p + strnlen(p, sizeof(pv_start_info->cmd_line));
    size_t len = strlen(word);

    while ( p < end )
    {
        const char *w;

        while ( p < end && *p == ' ' )
            p++;

        for ( w = p; p < end && *p != ' '; p++ )
            ;

        if ( (size_t)(p - w) == len && !strncmp(w, word, len) )
            return true;
    }

    return false;
}

/*
 * The entry of level @level (1 to 4, 3 for PAE) which maps @va, walking the
 * guest's pagetables from pt_base (the domain builder maps them read-only in
 * the initial mapping, and this test's own are in its bss).  NULL if a
 * higher level entry is not present, or a superpage.
 */
static const uint64_t *guest_pte(unsigned long va, unsigned int level)
{
    const uint64_t *table = _p(pv_start_info->pt_base);
    unsigned int l, shift;

    for ( l = CONFIG_PAGING_LEVELS; l > level; l-- )
    {
        uint64_t e;

        shift = PAGE_SHIFT + PT_ORDER * (l - 1);
        e = table[(va >> shift) & (l == 3 && CONFIG_PAGING_LEVELS == 3
                                   ? 3 : 511)];

        if ( !(e & _PAGE_PRESENT) || (e & _PAGE_PSE) )
            return NULL;

        table = maddr_to_virt(pte_to_paddr(e));
    }

    shift = PAGE_SHIFT + PT_ORDER * (level - 1);

    return &table[(va >> shift) & 511];
}

static unsigned long pte_mfn(uint64_t e)
{
    return pte_to_paddr(e) >> PAGE_SHIFT;
}

static unsigned long region_va(const struct region *r)
{
    return ((unsigned long)(r->table + 1) << L3_PT_SHIFT) +
        ((unsigned long)r->slot << L2_PT_SHIFT);
}

static uint64_t table_entry(const void *table, unsigned int slot)
{
    return ((const uint64_t *)table)[slot];
}

/* Write one entry of a (read-only, validated) pagetable. */
static void pt_write(const void *table, unsigned int slot, uint64_t val)
{
    mmu_update_t mu = {
        .ptr = virt_to_maddr(table) + slot * sizeof(uint64_t),
        .val = val,
    };
    long rc = hypercall_mmu_update(&mu, 1, NULL, DOMID_SELF);

    if ( rc )
    {
        xtf_failure("Failure: mmu_update of entry %u of the table at %p "
                    "(frame %#lx) to %#"PRIx64": %ld\n",
                    slot, table, virt_to_mfn(table), val, rc);
        xtf_exit();
    }
}

static void mmuext(unsigned int cmd, unsigned long mfn)
{
    mmuext_op_t op = { .cmd = cmd, .arg1.mfn = mfn };
    long rc = hypercall_mmuext_op(&op, 1, NULL, DOMID_SELF);

    if ( rc )
    {
        xtf_failure("Failure: mmuext_op %u (frame %#lx): %ld\n",
                    cmd, mfn, rc);
        xtf_exit();
    }
}

static void flush_local_tlb(void)
{
    mmuext(MMUEXT_TLB_FLUSH_LOCAL, 0);
}

/* Make a page of ours read-only, before Xen takes it as a pagetable. */
static void make_table(void *page)
{
    long rc = hypercall_update_va_mapping(
        _u(page), pte_from_virt(page, PF_SYM(AD, P)), UVMF_INVLPG);

    if ( rc )
    {
        xtf_failure("Failure: making %p read-only: %ld\n", page, rc);
        xtf_exit();
    }
}

/* The L3 entry behind which L2 table @t is hooked. */
static const uint64_t *l3_entry(unsigned int t)
{
    const uint64_t *e = guest_pte((unsigned long)(t + 1) << L3_PT_SHIFT, 3);

    if ( !e )
    {
        xtf_failure("Failure: no L3 table for %#lx\n",
                    (unsigned long)(t + 1) << L3_PT_SHIFT);
        xtf_exit();
    }

    return e;
}

static void l3_write(unsigned int t, uint64_t val)
{
    const uint64_t *e = l3_entry(t);

    pt_write(_p(_u(e) & PAGE_MASK), (_u(e) & ~PAGE_MASK) / sizeof(*e), val);
}

/* Extent 0 of the compat M2P, as Xen reports it now (0 if it cannot). */
static unsigned long compat_m2p_mfn0(void)
{
    unsigned long mfn = 0;
    struct xen_machphys_mfn_list xmml = {
        .max_extents = 1,
        .extent_start = &mfn,
    };
    long rc = hypercall_memory_op(XENMEM_machphys_compat_mfn_list, &xmml);

    if ( rc || xmml.nr_extents != 1 || !mfn )
    {
#ifdef __x86_64__
        /* Xen without 32bit PV: the decoy gets some other frame. */
        if ( rc == -EOPNOTSUPP )
            return 0;
#endif
        problem("XENMEM_machphys_compat_mfn_list: rc %ld, %u extents, "
                "extent 0 %#lx", rc, xmml.nr_extents, mfn);
        return 0;
    }

    return mfn;
}

/* Word k of a data page is pattern_base(pfn, gen) ^ (k * PATTERN_K). */
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
    return _p(region_va(r) + ((unsigned long)s << L1_PT_SHIFT));
}

/* The first pfn after the domain builder's initial mapping. */
static unsigned long initial_mapping_end(void)
{
    unsigned long pfn = virt_to_pfn(_end);

    for ( ; pfn < pv_start_info->nr_pages; pfn++ )
    {
        const uint64_t *l1e = guest_pte(_u(pfn_to_virt(pfn)), 1);

        if ( !l1e || !(*l1e & _PAGE_PRESENT) )
            break;
    }

    return pfn;
}

/*
 * Map every page beyond the initial mapping but the last one, fill it with
 * the pattern: the L1 tables first (half of them pinned), then the L2
 * tables, then hook the L2 tables into the L3 table.
 */
static void build(void)
{
    unsigned int r, s, t;

    l3_flags = *guest_pte(0, 3) & ~(PADDR_MASK & PAGE_MASK);
    l2_flags = *guest_pte(0, 2) & ~(PADDR_MASK & PAGE_MASK);
    l1_flags = *guest_pte(_u(data_gen), 1) & ~(PADDR_MASK & PAGE_MASK);

    data_first = initial_mapping_end();
    gone_pfn = pv_start_info->nr_pages - 1;
    nr_data = gone_pfn - data_first;
    if ( nr_data > MAX_DATA_PAGES )
    {
        xtf_error("Error: %lu pages beyond the initial mapping, at most %u "
                  "supported: give the guest at most %u MiB\n",
                  nr_data, (unsigned int)MAX_DATA_PAGES, MAX_REGIONS * 2);
        xtf_exit();
    }
    nr_regions = (nr_data + L1_PT_ENTRIES - 1) / L1_PT_ENTRIES;
    if ( nr_regions < HOT_REGIONS )
    {
        xtf_error("Error: %lu data pages, at least %u needed: give the guest "
                  "more memory\n", nr_data,
                  (unsigned int)(HOT_REGIONS * L1_PT_ENTRIES));
        xtf_exit();
    }

    printk("pv-migrate: %lu pages, data pages %#lx-%#lx in %u regions, "
           "%u L2 tables\n", pv_start_info->nr_pages, data_first,
           data_first + nr_data - 1, nr_regions, NR_L2);

    for ( r = 0; r < nr_regions; r++ )
    {
        uint64_t *l1 = (uint64_t *)l1_tables[r];

        regions[r].table = r % NR_L2;
        regions[r].slot = (r % NR_L2 ? DECOY_SLOT + 1 : 0) + r / NR_L2;
        regions[r].l1 = r;

        for ( s = 0; s < L1_PT_ENTRIES; s++ )
        {
            unsigned long pfn = data_first + r * L1_PT_ENTRIES + s;

            if ( pfn >= data_first + nr_data )
                break;

            l1_map[r][s] = pfn;
            l1[s] = pte_from_gfn(pfn_to_mfn(pfn), l1_flags);
        }

        make_table(l1);
        if ( !(r & 1) )
            mmuext(MMUEXT_PIN_L1_TABLE, virt_to_mfn(l1));
    }

    decoy = pte_from_gfn(compat_m2p_mfn0(), _PAGE_RW);
    ((uint64_t *)l2_tables[1])[DECOY_SLOT] = decoy;

    for ( r = 0; r < nr_regions; r++ )
        ((uint64_t *)l2_tables[regions[r].table])[regions[r].slot] =
            pte_from_virt(l1_tables[r], l2_flags);

    for ( t = 0; t < NR_L2; t++ )
    {
        make_table(l2_tables[t]);
        l3_write(t, pte_from_virt(l2_tables[t], l3_flags));
    }
    flush_local_tlb();

    for ( r = 0; r < nr_regions; r++ )
        for ( s = 0; s < L1_PT_ENTRIES; s++ )
            if ( l1_map[r][s] )
            {
                data_gen[l1_map[r][s] - data_first] = 1;
                fill_page(page_va(&regions[r], s), l1_map[r][s], 1);
            }
}

/*
 * The stale pagetables: two L1 tables, each mapping the last pfn's frame,
 * validated by Xen (the first pinned, the second hooked into L2 table 0),
 * then released (unpinned, unhooked: type count 0).  Then that frame is
 * given back to Xen, and its P2M entry made invalid.
 */
static void make_stale_pagetables(void)
{
    struct xen_memory_reservation res = {
        .extent_start = &gone_mfn,
        .nr_extents = 1,
        .domid = DOMID_SELF,
    };
    unsigned long *p2m = _p(pv_start_info->mfn_list);
    unsigned int i, s;
    long rc;

    gone_mfn = pfn_to_mfn(gone_pfn);

    for ( i = 0; i < ARRAY_SIZE(stale); i++ )
    {
        uint64_t *l1 = (uint64_t *)stale[i];

        /* Non-present entries, to be recognised, around the present one. */
        for ( s = 0; s < L1_PT_ENTRIES; s++ )
            l1[s] = ((uint64_t)(0x5ea1e000 + i * 0x1000 + s) << 12) |
                _PAGE_AVAIL;
        l1[i + 1] = pte_from_gfn(gone_mfn, l1_flags);
        memcpy(stale_copy[i], l1, PAGE_SIZE);

        make_table(l1);
    }

    mmuext(MMUEXT_PIN_L1_TABLE, virt_to_mfn(stale[0]));
    mmuext(MMUEXT_UNPIN_TABLE, virt_to_mfn(stale[0]));

    pt_write(l2_tables[0], STALE_SLOT, pte_from_virt(stale[1], l2_flags));
    flush_local_tlb();
    pt_write(l2_tables[0], STALE_SLOT, 0);
    flush_local_tlb();

    rc = hypercall_memory_op(XENMEM_decrease_reservation, &res);
    if ( rc != 1 )
    {
        xtf_failure("Failure: XENMEM_decrease_reservation of frame %#lx "
                    "(pfn %#lx): %ld\n", gone_mfn, gone_pfn, rc);
        xtf_exit();
    }
    p2m[gone_pfn] = ~0UL;

    printk("pv-migrate: stale L1 tables at pfns %#lx (unpinned), %#lx "
           "(unhooked) map frame %#lx, given back (pfn %#lx)\n",
           virt_to_pfn(stale[0]), virt_to_pfn(stale[1]), gone_mfn, gone_pfn);
}

/* One change of the kind a running guest makes, within the hot set. */
static void change(void)
{
    struct region *a = &regions[next_random() % HOT_REGIONS];
    struct region *b = &regions[next_random() % HOT_REGIONS];
    unsigned int s1 = next_random() % HOT_SLOTS;
    unsigned int s2 = next_random() % HOT_SLOTS;
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
        pt_write(l1_tables[a->l1], s2,
                 m[s1] ? pte_from_gfn(pfn_to_mfn(m[s1]), l1_flags) : 0);
        tmp = m[s1];
        m[s1] = m[s2];
        m[s2] = tmp;
        flush_local_tlb();
        break;

    case 3:
        /* Swap the L1 tables of two regions (two L2 entries). */
        if ( a == b )
            break;
        pt_write(l2_tables[a->table], a->slot,
                 table_entry(l2_tables[b->table], b->slot));
        pt_write(l2_tables[b->table], b->slot,
                 pte_from_virt(l1_tables[a->l1], l2_flags));
        tmp = a->l1;
        a->l1 = b->l1;
        b->l1 = tmp;
        flush_local_tlb();
        break;
    }

    /* Now and then, unhook an L2 table and hook it again. */
    if ( !(changes % 32) )
    {
        t = (changes / 32) % NR_L2;
        l3_write(t, 0);
        flush_local_tlb();
        l3_write(t, pte_from_virt(l2_tables[t], l3_flags));
        flush_local_tlb();
    }
}

static void check_entry(const char *what, unsigned int slot, uint64_t e,
                        unsigned long mfn)
{
    if ( !(e & _PAGE_PRESENT) || (e & _PAGE_PSE) || pte_mfn(e) != mfn )
        problem("%s[%u] is %#"PRIx64", expected a mapping of frame %#lx",
                what, slot, e, mfn);
}

/* The L3 entries, the L2 tables entry by entry. */
static void check_l2_tables(void)
{
    static uint8_t owner[NR_L2][L2_PT_ENTRIES];     /* Region + 1, or 0. */
    unsigned int t, i;

    memset(owner, 0, sizeof(owner));
    for ( i = 0; i < nr_regions; i++ )
        owner[regions[i].table][regions[i].slot] = i + 1;

    for ( t = 0; t < NR_L2; t++ )
    {
        char what[24];

        check_entry("L3", t + 1, *l3_entry(t), virt_to_mfn(l2_tables[t]));

        snprintf(what, sizeof(what), "L2 table %u", t);
        for ( i = 0; i < L2_PT_ENTRIES; i++ )
        {
            uint64_t e = table_entry(l2_tables[t], i);

            if ( owner[t][i] )
            {
                const struct region *r = &regions[owner[t][i] - 1];

                check_entry(what, i, e, virt_to_mfn(l1_tables[r->l1]));
            }
            else if ( t == 0 && i == GRANT_SLOT && grant_mode != GRANT_NONE &&
                      grant_mode != GRANT_TABLE )
                check_entry(what, i, e, virt_to_mfn(grant_l1));
            else if ( t == 1 && i == DECOY_SLOT )
            {
                if ( e != decoy )
                    problem("%s[%u] (the decoy) is %#"PRIx64", was %#"PRIx64,
                            what, i, e, decoy);
            }
            else if ( e )
                problem("%s[%u] is %#"PRIx64", expected empty", what, i, e);
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
        const uint8_t *l1 = l1_tables[reg->l1];
        uint64_t l3e = *l3_entry(reg->table);
        uint64_t l2e = table_entry(l2_tables[reg->table], reg->slot);
        char what[24];

        /* Walk only what check_l2_tables() found right. */
        if ( !(l3e & _PAGE_PRESENT) ||
             pte_mfn(l3e) != virt_to_mfn(l2_tables[reg->table]) ||
             !(l2e & _PAGE_PRESENT) || pte_mfn(l2e) != virt_to_mfn(l1) )
            continue;

        if ( guest_pte(region_va(reg), 1) != (const uint64_t *)l1 )
        {
            problem("walking to %#lx: L1 entry at %p, expected L1 table %u "
                    "at %p", region_va(reg), guest_pte(region_va(reg), 1),
                    reg->l1, l1);
            continue;
        }

        snprintf(what, sizeof(what), "L1 table %u", reg->l1);
        for ( s = 0; s < L1_PT_ENTRIES; s++ )
        {
            uint64_t e = table_entry(l1, s);
            unsigned long i;

            if ( !m[s] )
            {
                if ( e )
                    problem("%s[%u] is %#"PRIx64", expected empty",
                            what, s, e);
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
                 pte_mfn(e) != pfn_to_mfn(m[s]) )
            {
                problem("%s[%u] is %#"PRIx64", expected a writable mapping "
                        "of pfn %#x (frame %#lx)", what, s, e, m[s],
                        pfn_to_mfn(m[s]));
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

/*
 * P2M and M2P agree for every page but the one given away, which stays
 * invalid; the published P2M is there.
 */
static void check_p2m(bool published)
{
    const unsigned long *m2p = _p(machphys.v_start);
    unsigned long pfn, mfn;

    for ( pfn = 0; pfn < pv_start_info->nr_pages; pfn++ )
    {
        mfn = pfn_to_mfn(pfn);

        if ( pfn == gone_pfn )
        {
            if ( mfn != ~0UL )
                problem("P2M[%#lx] (given back) is %#lx, expected invalid",
                        pfn, mfn);
            continue;
        }

        if ( mfn > machphys.max_mfn || m2p[mfn] != pfn )
        {
            problem("P2M[%#lx] is %#lx, whose M2P entry is %#lx", pfn, mfn,
                    mfn > machphys.max_mfn ? ~0UL : m2p[mfn]);
            return;
        }
    }

    if ( published &&
         (shared_info.arch.max_pfn != pv_start_info->nr_pages ||
          !shared_info.arch.pfn_to_mfn_frame_list_list) )
        problem("shared_info: max_pfn %#lx, frame list list %#lx: P2M not "
                "published", shared_info.arch.max_pfn,
                shared_info.arch.pfn_to_mfn_frame_list_list);
}

/* The stale pagetables came back byte for byte, sent as plain data. */
static void check_stale(void)
{
    unsigned int i, w;

    for ( i = 0; i < ARRAY_SIZE(stale); i++ )
    {
        const uint64_t *now = (const uint64_t *)stale[i];
        const uint64_t *was = (const uint64_t *)stale_copy[i];

        for ( w = 0; w < L1_PT_ENTRIES; w++ )
            if ( now[w] != was[w] )
                break;

        if ( w < L1_PT_ENTRIES )
            problem("stale L1 table %u (pfn %#lx): entry %u is %#"PRIx64
                    ", was %#"PRIx64, i, virt_to_pfn(stale[i]), w, now[w],
                    was[w]);
    }
}

static unsigned long grant_va(void)
{
    return (1UL << L3_PT_SHIFT) + ((unsigned long)GRANT_SLOT << L2_PT_SHIFT);
}

/* Map our grant table: frames of Xen's, not in our P2M. */
static void grant_table_map(void)
{
    int rc = xtf_init_grant_table(1);

    if ( rc )
    {
        xtf_error("Error: mapping the grant table: %d\n", rc);
        xtf_exit();
    }
}

/* Map our own frames back where the grant table was. */
static void grant_table_unmap(void)
{
    unsigned int i;

    for ( i = 0; i < sizeof(gnttab_raw); i += PAGE_SIZE )
    {
        long rc = hypercall_update_va_mapping(
            _u(&gnttab_raw[i]), pte_from_virt(&gnttab_raw[i],
                                              PF_SYM(AD, RW, P)),
            UVMF_INVLPG);

        if ( rc )
        {
            xtf_failure("Failure: unmapping the grant table: %ld\n", rc);
            xtf_exit();
        }
    }
}

/* The reference of dom0's grant, from data/pv-migrate-gref. */
static grant_ref_t dom0_gref(void)
{
    const char *val = xenstore_read("data/pv-migrate-gref");
    unsigned long ref = 0;

    if ( !val || !*val )
    {
        xtf_error("Error: grant-dom0 but no data/pv-migrate-gref\n");
        xtf_exit();
    }

    for ( ; *val >= '0' && *val <= '9'; val++ )
        ref = ref * 10 + (*val - '0');

    return ref;
}

/*
 * The grant L1 table, hooked into L2 table 0, then the mapping of the grant
 * at its slot 0, made by Xen (GNTTABOP_map_grant_ref with host_addr).
 */
static void grant_setup(void)
{
    uint64_t *l1 = (uint64_t *)grant_l1;
    struct gnttab_map_grant_ref map = {
        .host_addr = grant_va(),
        .flags = GNTMAP_host_map,
    };
    int domid;
    long rc;

    if ( grant_mode == GRANT_TABLE )
    {
        grant_table_map();
        printk("pv-migrate: grant-table: grant table mapped at %p, "
               "frame %#lx\n", gnttab_raw, pte_mfn(*guest_pte(_u(gnttab_raw),
                                                              1)));
        return;
    }

    fill_page((uint32_t *)grant_witness, virt_to_pfn(grant_witness), 1);
    l1[1] = pte_from_virt(grant_witness, l1_flags);
    /*
     * Pinned: unhooking L2 table 0 (change() does now and then) would
     * otherwise drop the table's type, and Xen refuses to drop a grant's
     * mapping implicitly.
     */
    make_table(grant_l1);
    mmuext(MMUEXT_PIN_L1_TABLE, virt_to_mfn(grant_l1));
    pt_write(l2_tables[0], GRANT_SLOT, pte_from_virt(grant_l1, l2_flags));
    flush_local_tlb();

    if ( grant_mode == GRANT_SELF )
    {
        grant_table_map();
        domid = xtf_get_domid();
        if ( domid < 0 )
        {
            xtf_error("Error: no domid: %d\n", domid);
            xtf_exit();
        }
        memcpy(grant_own, grant_text, sizeof(grant_text));
        gnttab_v1[GRANT_REF].domid = domid;
        gnttab_v1[GRANT_REF].frame = virt_to_gfn(grant_own);
        smp_wmb();
        gnttab_v1[GRANT_REF].flags = GTF_permit_access;
        map.dom = domid;
        map.ref = GRANT_REF;
    }
    else
    {
        map.dom = 0;
        map.ref = dom0_gref();
    }

    rc = hypercall_grant_table_op(GNTTABOP_map_grant_ref, &map, 1);
    if ( rc || map.status )
    {
        xtf_error("Error: GNTTABOP_map_grant_ref of ref %u of dom%u at "
                  "%#lx: rc %ld, status %d (%s)\n", map.ref, map.dom,
                  grant_va(), rc, map.status, gntst_strerror(map.status));
        xtf_exit();
    }
    grant_mfn = pte_mfn(l1[0]);

    /* From now on, only the mapping of the grant is there. */
    if ( grant_mode == GRANT_SELF )
        grant_table_unmap();

    printk("pv-migrate: %s: ref %u of dom%u mapped at %#lx, slot 0 of the L1 "
           "table at pfn %#lx: frame %#lx (%s in the P2M), reads \"%.16s\"\n",
           grant_word[grant_mode], map.ref, map.dom, grant_va(),
           virt_to_pfn(grant_l1), grant_mfn,
           grant_mfn == virt_to_mfn(grant_own) ? "ours," : "not",
           (const char *)grant_va());
}

/*
 * The grant L1 table maps what it did: the witness page at slot 1, and at
 * slot 0 the granted frame (grant-self: the page granted, wherever it is
 * now), which reads what it did.
 */
static void check_grant(void)
{
    unsigned long mfn = grant_mode == GRANT_SELF ? virt_to_mfn(grant_own)
                                                 : grant_mfn;
    uint64_t e;

    if ( grant_mode == GRANT_NONE || grant_mode == GRANT_TABLE )
        return;

    check_entry("grant L1 table", 1, table_entry(grant_l1, 1),
                virt_to_mfn(grant_witness));
    if ( check_page((const uint32_t *)grant_witness,
                    virt_to_pfn(grant_witness), 1) < PAGE_SIZE / 4 )
        problem("the grant L1 table's own page (pfn %#lx) lost its pattern",
                virt_to_pfn(grant_witness));

    e = table_entry(grant_l1, 0);
    check_entry("grant L1 table", 0, e, mfn);
    if ( (e & _PAGE_PRESENT) && pte_mfn(e) == mfn &&
         pte_mfn(table_entry(l2_tables[0], GRANT_SLOT)) ==
         virt_to_mfn(grant_l1) &&
         memcmp(_p(grant_va()), grant_text, sizeof(grant_text)) )
        problem("the grant mapped at %#lx reads \"%.16s\", expected \"%s\"",
                grant_va(), (const char *)grant_va(), grant_text);
}

#ifdef __i386__
/* Slot 428 of the top L2 maps extent 0 of the compat M2P, read-only. */
static void check_xen_slot(void)
{
    const uint64_t *l2e = guest_pte(MACH2PHYS_VIRT_START, 2);
    unsigned long mfn0 = compat_m2p_mfn0();

    if ( !l2e )
        problem("no top L2 table (L3 slot 3)");
    else if ( !(*l2e & _PAGE_PRESENT) || !(*l2e & _PAGE_PSE) ||
              (*l2e & _PAGE_RW) || pte_mfn(*l2e) != mfn0 )
        problem("top L2[%u] is %#"PRIx64", expected a read-only 2M mapping "
                "of compat M2P extent 0, frame %#lx", DECOY_SLOT, *l2e, mfn0);
}
#endif

/* All checks; prints "pv-migrate: <when>: OK" or FAILURE. */
static void check_all(const char *when, bool published, const char *note)
{
    problems = 0;
    check_l2_tables();
    check_regions();
    check_p2m(published);
    check_stale();
    check_grant();
#ifdef __i386__
    check_xen_slot();
#endif

    if ( !problems )
        printk("pv-migrate: %s: OK%s\n", when, note);
    else
    {
        printk("pv-migrate: %s: FAILURE: %s%s (%u problems)\n", when,
               first_problem, note, problems);
        if ( !broken )
            printk("pv-migrate: no more changes from now on\n");
        broken = true;
    }
}

/* The decoy follows extent 0 of the compat M2P of the host we run on. */
static void refresh_decoy(void)
{
    decoy = pte_from_gfn(compat_m2p_mfn0(), _PAGE_RW);
    pt_write(l2_tables[1], DECOY_SLOT, decoy);
}

static void suspend_and_check(bool published)
{
    static unsigned int resumes;
    char when[24];
    int rc, err;

    printk("pv-migrate: suspending after %lu changes\n", changes);

    rc = pv_suspend();

    snprintf(when, sizeof(when), "resume %u", ++resumes);
    if ( rc < 0 )
    {
        /* Still running, as before: go on. */
        printk("pv-migrate: %s: FAILURE: SCHEDOP_shutdown(SHUTDOWN_suspend) "
               "returned %d\n", when, rc);
        xtf_failure("Failure: suspend: %d\n", rc);
        return;
    }

    /* A new domain's control/feature-suspend is empty. */
    err = xenstore_write("control/feature-suspend", "1");
    if ( err )
        xtf_failure("Failure: writing control/feature-suspend after resume: "
                    "%d\n", err);

    check_all(when, published, rc == 1 ? " (suspend cancelled)" : "");
    if ( !broken )
        refresh_decoy();
}

/* Answer control/shutdown; false when asked to power off. */
static bool answer_control(bool published)
{
    char req[32];
    const char *val = xenstore_read("control/shutdown");
    int rc;

    if ( !val || !val[0] )
        return true;

    strncpy(req, val, sizeof(req) - 1);
    req[sizeof(req) - 1] = '\0';

    /* Acknowledge: the toolstack waits for the node to change. */
    rc = xenstore_write("control/shutdown", "");
    if ( rc )
        xtf_failure("Failure: acknowledging control/shutdown \"%s\": %d\n",
                    req, rc);

    if ( !strcmp(req, "suspend") )
        suspend_and_check(published);
    else if ( !strcmp(req, "poweroff") || !strcmp(req, "halt") )
    {
        printk("pv-migrate: %s after %lu changes\n", req, changes);
        return false;
    }
    else
        printk("pv-migrate: ignoring control/shutdown \"%s\"\n", req);

    return true;
}

void test_main(void)
{
    bool no_suspend = cmdline_has("no-suspend");
    bool no_p2m = cmdline_has("no-p2m");
    unsigned int i;
    int rc;

    if ( pv_start_info->flags & SIF_INITDOMAIN )
        return xtf_skip("Skip: pv-migrate is a domU: start it with xl "
                        "create\n");

    if ( xenstore_init() )
        return xtf_error("Error: no xenstore connection\n");

    rc = hypercall_memory_op(XENMEM_machphys_mapping, &machphys);
    if ( rc )
        return xtf_error("Error: XENMEM_machphys_mapping: %d\n", rc);

    for ( i = 0; i < ARRAY_SIZE(grant_word); i++ )
        if ( grant_word[i] && cmdline_has(grant_word[i]) )
            grant_mode = i;

    printk("pv-migrate: start%s%s%s%s\n", no_suspend ? ", no-suspend" : "",
           no_p2m ? ", no-p2m" : "", grant_mode ? ", " : "",
           grant_mode ? grant_word[grant_mode] : "");

    if ( !no_p2m )
    {
        rc = pv_publish_p2m();
        if ( rc )
            return xtf_error("Error: publishing the P2M: %d\n", rc);
    }

    build();
    make_stale_pagetables();
    if ( grant_mode != GRANT_NONE )
        grant_setup();
    check_all("boot", !no_p2m, "");

    rc = xenstore_write("control/feature-suspend", "1");
    if ( rc )
        xtf_failure("Failure: writing control/feature-suspend: %d\n", rc);

    if ( !no_suspend )
    {
        rc = xenstore_watch("control/shutdown");
        if ( rc )
            return xtf_error("Error: watching control/shutdown: %d\n", rc);
    }

    for ( ;; )
    {
        if ( !broken )
            change();

        /* Without a watch, this just sleeps. */
        if ( xenstore_wait_watch(broken ? 100 * MS : CHANGE_INTERVAL) &&
             !no_suspend && !answer_control(!no_p2m) )
            break;
    }

    /* Failures so far set the result; otherwise, all checks passed. */
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
