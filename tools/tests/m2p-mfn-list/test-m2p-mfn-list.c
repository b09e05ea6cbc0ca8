/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Unit tests of XENMEM_machphys_mfn_list and XENMEM_machphys_compat_mfn_list
 * as xen/arch/x86/x86_64/m2p-mfn-list.c implements them, over synthetic
 * page tables.  Takes no arguments ("make run", or installed in
 * $(LIBEXEC)/tests); exits non-zero if a case failed, after a line naming
 * each failed case and why.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define EXTENT_BYTES        (1UL << L2_PAGETABLE_SHIFT)
/* MFNs whose entries one extent holds, and extents a table can have. */
#define NATIVE_EXTENT_MFNS  (EXTENT_BYTES / 8)
#define COMPAT_EXTENT_MFNS  (EXTENT_BYTES / 4)
#define NATIVE_EXTENTS      ((RDWR_MPT_VIRT_END - RDWR_MPT_VIRT_START) / \
                             EXTENT_BYTES)
#define COMPAT_EXTENTS      ((RDWR_COMPAT_MPT_VIRT_END - \
                              RDWR_COMPAT_MPT_VIRT_START) / EXTENT_BYTES)

/* Marks what the hypervisor must not have written. */
#define POISON64            0xa5a5a5a5a5a5a5a5UL
#define POISON32            0xa5a5a5a5U
#define POISON8             0xa5

/* What m2p-mfn-list.c sees of the hypervisor. */
unsigned long max_page;
int8_t opt_pv32;
l4_pgentry_t idle_pg_table[PT_ENTRIES];
l2_pgentry_t *compat_idle_pg_table_l2;
unsigned char test_compat_mem[(COMPAT_EXTENTS + 64) * 4]
    __attribute__((__aligned__(8)));

/* Page tables of the tests: frame TABLE_PFN0 + i is pool[i]. */
#define TABLE_PFN0          0x1000UL
#define POOL_TABLES         8
static uint64_t pool[POOL_TABLES][PT_ENTRIES];
static unsigned int pool_used;

/* Guest memory the next copies fault on (to the guest, from the guest). */
static const void *wfault_lo, *wfault_hi, *rfault_lo, *rfault_hi;

/* A harness-level failure seen while the code under test ran. */
static char harness_error[160];

/* Assertions of the code under test that failed since the last check. */
static unsigned int nr_asserts;
static char last_assert[160];

static xen_pfn_t nbuf[NATIVE_EXTENTS + 16];

static char why[256];

#define CHECK(cond, fmt, args...) do {                                  \
    if ( !(cond) )                                                      \
    {                                                                   \
        snprintf(why, sizeof(why), fmt, ## args);                       \
        return why;                                                     \
    }                                                                   \
} while ( 0 )

/* The code under test misused nothing, and no assertion of it failed. */
#define CHECK_OK() do {                                                 \
    CHECK(!harness_error[0], "%s", harness_error);                      \
    CHECK(!nr_asserts, "assertion failed: %s", last_assert);            \
} while ( 0 )

/* The same, but @n assertions must have failed; forgets them. */
#define CHECK_ASSERTED(n) do {                                          \
    CHECK(!harness_error[0], "%s", harness_error);                      \
    CHECK(nr_asserts == (n), "%u failed assertions, expected %u%s%s",   \
          nr_asserts, (n), nr_asserts ? "; last: " : "", last_assert);  \
    nr_asserts = 0;                                                     \
} while ( 0 )

void test_assert_failed(const char *what, unsigned int line)
{
    snprintf(last_assert, sizeof(last_assert), "%s (m2p-mfn-list.c:%u)",
             what, line);
    nr_asserts++;
}

uint64_t *test_table(unsigned long pfn)
{
    static uint64_t empty[PT_ENTRIES];

    if ( pfn < TABLE_PFN0 || pfn >= TABLE_PFN0 + pool_used )
    {
        if ( !harness_error[0] )
            snprintf(harness_error, sizeof(harness_error),
                     "walker read frame %#lx as a page table", pfn);
        return empty;
    }

    return pool[pfn - TABLE_PFN0];
}

static bool overlaps(const void *p, unsigned long len, const void *lo,
                     const void *hi)
{
    const char *c = p;

    return lo && c < (const char *)hi && c + len > (const char *)lo;
}

unsigned long test_copy_to_guest(void *to, const void *from,
                                 unsigned long len)
{
    if ( overlaps(to, len, wfault_lo, wfault_hi) )
        return len;
    memcpy(to, from, len);
    return 0;
}

unsigned long test_copy_from_guest(void *to, const void *from,
                                   unsigned long len)
{
    /* Like Xen's, a failed copy from the guest zeroes its destination. */
    if ( overlaps(from, len, rfault_lo, rfault_hi) )
    {
        memset(to, 0, len);
        return len;
    }
    memcpy(to, from, len);
    return 0;
}

static void fault_writes(const void *p, unsigned long len)
{
    wfault_lo = p;
    wfault_hi = (const char *)p + len;
}

static void fault_reads(const void *p, unsigned long len)
{
    rfault_lo = p;
    rfault_hi = (const char *)p + len;
}

static uint64_t *new_table(void)
{
    if ( pool_used == POOL_TABLES )
    {
        fprintf(stderr, "harness: page table pool exhausted\n");
        exit(2);
    }

    return pool[pool_used++];
}

static unsigned long table_pfn(const uint64_t *t)
{
    return TABLE_PFN0 + (t - pool[0]) / PT_ENTRIES;
}

static uint64_t pte(unsigned long pfn, unsigned int flags)
{
    return ((uint64_t)pfn << PAGE_SHIFT) | flags;
}

static void reset(void)
{
    memset(pool, 0, sizeof(pool));
    pool_used = 0;
    memset(idle_pg_table, 0, sizeof(idle_pg_table));
    compat_idle_pg_table_l2 = (l2_pgentry_t *)new_table();
    max_page = 0;
    opt_pv32 = 1;
    wfault_lo = wfault_hi = rfault_lo = rfault_hi = NULL;
    harness_error[0] = '\0';
    nr_asserts = 0;
    last_assert[0] = '\0';
    memset(nbuf, POISON8, sizeof(nbuf));
    memset(test_compat_mem, POISON8, sizeof(test_compat_mem));
}

/* An MFN per extent, none adjacent to another, none 0. */
static unsigned long mfn_of(unsigned int i)
{
    return 0x100000UL + 0x800UL * i;
}

/* The L3 table of the native M2P, made on first use. */
static uint64_t *native_l3(void)
{
    l4_pgentry_t *l4e = &idle_pg_table[l4_table_offset(RDWR_MPT_VIRT_START)];

    if ( !(l4e->l4 & _PAGE_PRESENT) )
        l4e->l4 = pte(table_pfn(new_table()), _PAGE_PRESENT | _PAGE_RW);

    return test_table(l4e_get_pfn(*l4e));
}

static unsigned int native_l3_slot(unsigned int extent)
{
    return l3_table_offset(RDWR_MPT_VIRT_START) + extent / PT_ENTRIES;
}

/* Native extent @i as a 2MiB page at @mfn. */
static void native_set(unsigned int i, unsigned long mfn)
{
    uint64_t *l3e = &native_l3()[native_l3_slot(i)];

    if ( !(*l3e & _PAGE_PRESENT) )
        *l3e = pte(table_pfn(new_table()), _PAGE_PRESENT | _PAGE_RW);

    test_table(pte_pfn_(*l3e))[i % PT_ENTRIES] =
        pte(mfn, _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE);
}

/* Native extents [512 * @g, 512 * @g + 512) as a 1GiB page at @mfn. */
static void native_set_1g(unsigned int g, unsigned long mfn)
{
    native_l3()[native_l3_slot(g * PT_ENTRIES)] =
        pte(mfn, _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE);
}

/* Compat extent @i as a 2MiB page at @mfn. */
static void compat_set(unsigned int i, unsigned long mfn)
{
    unsigned long va = RDWR_COMPAT_MPT_VIRT_START + i * EXTENT_BYTES;

    compat_idle_pg_table_l2[l2_table_offset(va)].l2 =
        pte(mfn, _PAGE_PRESENT | _PAGE_PSE);
}

static void compat_fill(unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
        compat_set(i, mfn_of(i));
}

/* A 64-bit caller's request, as libxenctrl would make it. */
static struct xen_machphys_mfn_list xmml;

static long call64(unsigned int cmd, unsigned int max_extents)
{
    XEN_GUEST_HANDLE_PARAM(void) arg;

    xmml.max_extents = max_extents;
    set_xen_guest_handle(xmml.extent_start, nbuf);
    xmml.nr_extents = POISON32;
    set_xen_guest_handle(arg, &xmml);

    return m2p_mfn_list(cmd, arg);
}

/* A 32-bit caller's request; its array starts 4 bytes into compat memory. */
#define COMPAT_ARRAY_OFFSET 4
static struct compat_machphys_mfn_list cxmml;

static uint32_t *compat_array(void)
{
    return (uint32_t *)(test_compat_mem + COMPAT_ARRAY_OFFSET);
}

static long call32(unsigned int max_extents)
{
    XEN_GUEST_HANDLE_PARAM(void) arg;

    cxmml.max_extents = max_extents;
    cxmml.extent_start.c = COMPAT_ARRAY_OFFSET;
    cxmml.nr_extents = POISON32;
    set_xen_guest_handle(arg, &cxmml);

    return compat_m2p_mfn_list(arg);
}

/*
 * nbuf[0..n) must hold exp(0..n), the rest of it poison.  Returns a reason
 * or NULL.
 */
static const char *check_nbuf(unsigned int n,
                              unsigned long (*exp)(unsigned int))
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
        CHECK(nbuf[i] == exp(i), "entry %u is %#lx, expected %#lx",
              i, (unsigned long)nbuf[i], exp(i));
    for ( ; i < ARRAY_SIZE(nbuf); i++ )
        CHECK(nbuf[i] == POISON64, "entry %u (past %u) was written: %#lx",
              i, n, (unsigned long)nbuf[i]);

    return NULL;
}

static const char *check_cbuf(unsigned int n,
                              unsigned long (*exp)(unsigned int))
{
    const uint32_t *a = compat_array();
    unsigned int i;

    CHECK(!memcmp(test_compat_mem, "\xa5\xa5\xa5\xa5", COMPAT_ARRAY_OFFSET),
          "bytes before the array were written");
    for ( i = 0; i < n; i++ )
        CHECK(a[i] == (uint32_t)exp(i), "entry %u is %#x, expected %#lx",
              i, a[i], exp(i));
    for ( ; i < COMPAT_EXTENTS + 32; i++ )
        CHECK(a[i] == POISON32, "entry %u (past %u) was written: %#x",
              i, n, a[i]);

    return NULL;
}

#define CHECK_LIST(res) do {                                            \
    const char *r_ = (res);                                             \
    if ( r_ )                                                           \
        return r_;                                                      \
} while ( 0 )

/* Expected frames of the tables the tests build. */
static unsigned long exp_mfn_of(unsigned int i)
{
    return mfn_of(i);
}

/*
 * A 64-bit caller asks for 'cmd' with room for 'max' extents: it must get
 * 'nr' of them, extent i being exp(i), and nothing written past them.
 */
static const char *expect_list64(unsigned int cmd, unsigned int max,
                                 unsigned int nr,
                                 unsigned long (*exp)(unsigned int))
{
    long rc = call64(cmd, max);

    CHECK_OK();
    CHECK(rc == 0 && xmml.nr_extents == nr,
          "64-bit, max_page %#lx, max_extents %u: rc %ld, nr_extents %u, "
          "expected %u", max_page, max, rc, xmml.nr_extents, nr);

    return check_nbuf(nr, exp);
}

/* The same for a 32-bit caller, who gets the compat table. */
static const char *expect_list32(unsigned int max, unsigned int nr,
                                 unsigned long (*exp)(unsigned int))
{
    long rc = call32(max);

    CHECK_OK();
    CHECK(rc == 0 && cxmml.nr_extents == nr,
          "32-bit, max_page %#lx, max_extents %u: rc %ld, nr_extents %u, "
          "expected %u", max_page, max, rc, cxmml.nr_extents, nr);

    return check_cbuf(nr, exp);
}

/* ------------------------------------------------------------------------ */

static const char *test_native_all_present(void)
{
    unsigned int i;

    for ( i = 0; i < 5; i++ )
        native_set(i, mfn_of(i));
    max_page = 4 * NATIVE_EXTENT_MFNS;

    CHECK_LIST(expect_list64(XENMEM_machphys_mfn_list, 64, 4, exp_mfn_of));
    CHECK(xmml.max_extents == 64, "max_extents changed to %u",
          xmml.max_extents);

    return NULL;
}

/* 1GiB pages: frames go up by 512 per extent within one. */
#define GIG0_MFN 0x4000000UL
#define GIG_MFN(g) (GIG0_MFN + ((unsigned long)(g) << 18))

static unsigned long exp_1g_then_2m(unsigned int i)
{
    return i < PT_ENTRIES ? GIG0_MFN + ((unsigned long)i << PAGETABLE_ORDER)
                          : mfn_of(i);
}

static const char *test_native_1g_pages(void)
{
    native_set_1g(0, GIG0_MFN);
    native_set(PT_ENTRIES, mfn_of(PT_ENTRIES));
    native_set(PT_ENTRIES + 1, mfn_of(PT_ENTRIES + 1));
    max_page = (PT_ENTRIES + 2) * NATIVE_EXTENT_MFNS;

    CHECK_LIST(expect_list64(XENMEM_machphys_mfn_list, NATIVE_EXTENTS,
                             PT_ENTRIES + 2, exp_1g_then_2m));

    return NULL;
}

/* Extents 0 and 1 present, 2..1023 missing (L2 and L3 holes), 1024 too. */
static unsigned long exp_native_holes(unsigned int i)
{
    return i < 2 ? mfn_of(i) : i < 1024 ? mfn_of(1) : mfn_of(i);
}

static const char *test_native_holes(void)
{
    native_set(0, mfn_of(0));
    native_set(1, mfn_of(1));
    native_set(1024, mfn_of(1024));
    native_set(1025, mfn_of(1025));
    max_page = 1026 * NATIVE_EXTENT_MFNS;

    CHECK_LIST(expect_list64(XENMEM_machphys_mfn_list, NATIVE_EXTENTS,
                             1026, exp_native_holes));

    return NULL;
}

static unsigned long exp_native_full(unsigned int i)
{
    return GIG_MFN(i / PT_ENTRIES) + ((i % PT_ENTRIES) << PAGETABLE_ORDER);
}

/*
 * The native table ends with its 256GiB area however large max_page is;
 * what follows (the vmap area) must not be reported.
 */
static const char *test_native_clamp(void)
{
    static const struct {
        unsigned long max_page;
        unsigned int nr;
    } cases[] = {
        { NATIVE_EXTENTS * NATIVE_EXTENT_MFNS - 1, NATIVE_EXTENTS },
        { NATIVE_EXTENTS * NATIVE_EXTENT_MFNS,     NATIVE_EXTENTS },
        { NATIVE_EXTENTS * NATIVE_EXTENT_MFNS + 1, NATIVE_EXTENTS },
        { ~0UL / 8,                                NATIVE_EXTENTS },
        { ~0UL,                                    NATIVE_EXTENTS },
    };
    unsigned int c, g;

    for ( c = 0; c < ARRAY_SIZE(cases); c++ )
    {
        reset();
        /* 256 1GiB pages for the table, a 257th for what follows it. */
        for ( g = 0; g <= NATIVE_EXTENTS / PT_ENTRIES; g++ )
            native_set_1g(g, GIG_MFN(g));
        max_page = cases[c].max_page;

        CHECK_LIST(expect_list64(XENMEM_machphys_mfn_list, ~0U,
                                 cases[c].nr, exp_native_full));
    }

    return NULL;
}

/*
 * Only a first extent that is not populated has no frame to repeat: not on
 * a real host, where paging_init() populates it.  A debug build's assertion
 * catches it; a release build reports frame 0, as Xen always did.
 */
static unsigned long exp_hole_start(unsigned int i)
{
    return i ? mfn_of(i) : 0;
}

static const char *test_native_hole_start(void)
{
    long rc;

    native_set(1, mfn_of(1));
    max_page = 2 * NATIVE_EXTENT_MFNS;

    rc = call64(XENMEM_machphys_mfn_list, 8);
    CHECK_ASSERTED(1);
    CHECK(rc == 0 && xmml.nr_extents == 2,
          "rc %ld, nr_extents %u, expected 0, 2", rc, xmml.nr_extents);
    CHECK_LIST(check_nbuf(2, exp_hole_start));

    return NULL;
}

static const char *test_compat_all_present(void)
{
    compat_fill(COMPAT_EXTENTS);
    max_page = 7 * COMPAT_EXTENT_MFNS;

    CHECK_LIST(expect_list64(XENMEM_machphys_compat_mfn_list, 64, 7,
                             exp_mfn_of));

    return NULL;
}

/* The extents of the hole tests: 0 present, 1-2 missing, 3 present, ... */
static unsigned long exp_compat_holes(unsigned int i)
{
    switch ( i )
    {
    case 1: case 2:
        return mfn_of(0);
    case 5: case 6: case 7:
        return mfn_of(4);
    default:
        return mfn_of(i);
    }
}

static const char *test_compat_holes_middle_end(void)
{
    /* Present: 0, 3, 4; the table ends (max_page) after extent 7. */
    compat_set(0, mfn_of(0));
    compat_set(3, mfn_of(3));
    compat_set(4, mfn_of(4));
    compat_set(8, mfn_of(8));
    max_page = 8 * COMPAT_EXTENT_MFNS;

    CHECK_LIST(expect_list64(XENMEM_machphys_compat_mfn_list, 64, 8,
                             exp_compat_holes));

    return NULL;
}

/*
 * 64-bit and 32-bit callers ask for the compat table, whose first @nr
 * extents are frame 0, then mfn_of(1)...: one failed assertion each.
 */
static const char *expect_compat_frame0(unsigned int nr)
{
    long rc;

    rc = call64(XENMEM_machphys_compat_mfn_list, 64);
    CHECK_ASSERTED(1);
    CHECK(rc == 0 && xmml.nr_extents == nr,
          "64-bit caller: rc %ld, nr_extents %u, expected 0, %u",
          rc, xmml.nr_extents, nr);
    CHECK_LIST(check_nbuf(nr, exp_hole_start));

    rc = call32(64);
    CHECK_ASSERTED(1);
    CHECK(rc == 0 && cxmml.nr_extents == nr,
          "32-bit caller: rc %ld, nr_extents %u, expected 0, %u",
          rc, cxmml.nr_extents, nr);
    CHECK_LIST(check_cbuf(nr, exp_hole_start));

    return NULL;
}

static const char *test_compat_hole_start(void)
{
    compat_set(1, mfn_of(1));
    compat_set(2, mfn_of(2));
    max_page = 3 * COMPAT_EXTENT_MFNS;

    CHECK_LIST(expect_compat_frame0(3));

    return NULL;
}

/* A present entry for frame 0 asserts just the same. */
static const char *test_zero_mfn_present(void)
{
    compat_set(0, 0);
    compat_set(1, mfn_of(1));
    max_page = 2 * COMPAT_EXTENT_MFNS;

    CHECK_LIST(expect_compat_frame0(2));

    return NULL;
}

/*
 * A frame of the compat table above 2^32 (16TiB): 64-bit callers get it,
 * 32-bit ones, whose entries are 32 bits wide, -ERANGE when it is its turn
 * to be written (the entries before it are), never a truncated frame.
 */
static unsigned long high_mfn;

static unsigned long exp_high(unsigned int i)
{
    return i == 2 ? high_mfn : mfn_of(i);
}

static const char *test_compat_frame_above_4g(void)
{
    static const unsigned long highs[] = {
        0xfffffe00UL, 1UL << 32, (1UL << 32) + 0x200, (1UL << 35) - 0x200,
    };
    unsigned int c;
    long rc;

    for ( c = 0; c < ARRAY_SIZE(highs); c++ )
    {
        bool fits = highs[c] <= UINT32_MAX;

        reset();
        compat_fill(4);
        high_mfn = highs[c];
        compat_set(2, high_mfn);
        max_page = 4 * COMPAT_EXTENT_MFNS;

        CHECK_LIST(expect_list64(XENMEM_machphys_compat_mfn_list, 64, 4,
                                 exp_high));

        /* Up to the frame, a 32-bit caller gets the list... */
        CHECK_LIST(expect_list32(2, 2, exp_high));

        /* ... and with it -ERANGE, nothing written from it on. */
        rc = call32(64);
        CHECK_OK();
        if ( fits )
        {
            CHECK(rc == 0 && cxmml.nr_extents == 4,
                  "32-bit caller, frame %#lx: rc %ld, nr_extents %u",
                  high_mfn, rc, cxmml.nr_extents);
            CHECK_LIST(check_cbuf(4, exp_high));
        }
        else
        {
            CHECK(rc == -ERANGE,
                  "32-bit caller, frame %#lx: rc %ld, expected -ERANGE",
                  high_mfn, rc);
            CHECK_LIST(check_cbuf(2, exp_high));
        }
    }

    return NULL;
}

/* How max_page ends the compat table: partial extents count. */
static const char *test_compat_end_max_page(void)
{
    static const struct {
        unsigned long max_page;
        unsigned int nr;
    } cases[] = {
        { 0,                          0 },
        { 1,                          1 },
        { COMPAT_EXTENT_MFNS - 1,     1 },
        { COMPAT_EXTENT_MFNS,         1 },
        { COMPAT_EXTENT_MFNS + 1,     2 },
        { 5 * COMPAT_EXTENT_MFNS - 1, 5 },
        { 5 * COMPAT_EXTENT_MFNS,     5 },
        { 5 * COMPAT_EXTENT_MFNS + 1, 6 },
    };
    unsigned int c;

    for ( c = 0; c < ARRAY_SIZE(cases); c++ )
    {
        reset();
        compat_fill(COMPAT_EXTENTS);
        max_page = cases[c].max_page;

        CHECK_LIST(expect_list64(XENMEM_machphys_compat_mfn_list,
                                 COMPAT_EXTENTS + 8, cases[c].nr,
                                 exp_mfn_of));
    }

    return NULL;
}

/* The compat table ends with its 1GiB area however large max_page is. */
static const char *test_compat_end_clamp(void)
{
    static const unsigned long max_pages[] = {
        COMPAT_EXTENTS * COMPAT_EXTENT_MFNS - 1,
        COMPAT_EXTENTS * COMPAT_EXTENT_MFNS,
        COMPAT_EXTENTS * COMPAT_EXTENT_MFNS + 1,
        (COMPAT_EXTENTS + 1) * COMPAT_EXTENT_MFNS,
        ~0UL / 4,
        ~0UL,
    };
    unsigned int c;

    for ( c = 0; c < ARRAY_SIZE(max_pages); c++ )
    {
        reset();
        compat_fill(COMPAT_EXTENTS);
        max_page = max_pages[c];

        CHECK_LIST(expect_list64(XENMEM_machphys_compat_mfn_list, ~0U,
                                 COMPAT_EXTENTS, exp_mfn_of));
    }

    return NULL;
}

/* max_extents bounds the copy: 0, 1, exact, larger than the table. */
static const char *test_max_extents(void)
{
    static const struct {
        unsigned int max_extents, nr;
    } cases[] = {
        { 0, 0 }, { 1, 1 }, { 9, 9 }, { 10, 10 }, { 11, 10 }, { ~0U, 10 },
    };
    unsigned int c;

    for ( c = 0; c < ARRAY_SIZE(cases); c++ )
    {
        reset();
        compat_fill(COMPAT_EXTENTS);
        max_page = 10 * COMPAT_EXTENT_MFNS;

        CHECK_LIST(expect_list64(XENMEM_machphys_compat_mfn_list,
                                 cases[c].max_extents, cases[c].nr,
                                 exp_mfn_of));
        CHECK_LIST(expect_list32(cases[c].max_extents, cases[c].nr,
                                 exp_mfn_of));
    }

    return NULL;
}

/* 32-bit callers get the compat table, in 4-byte entries. */
static const char *test_compat32_list(void)
{
    compat_set(0, mfn_of(0));
    compat_set(3, mfn_of(3));
    compat_set(4, mfn_of(4));
    compat_set(8, mfn_of(8));
    max_page = 8 * COMPAT_EXTENT_MFNS;

    CHECK_LIST(expect_list32(COMPAT_EXTENTS, 8, exp_compat_holes));
    CHECK(cxmml.max_extents == COMPAT_EXTENTS && cxmml.extent_start.c ==
          COMPAT_ARRAY_OFFSET, "other fields changed");

    return NULL;
}

/* A fault on entry k: -EFAULT, exactly k entries written. */
static const char *test_copy_fault_native(void)
{
    unsigned int k;
    long rc;

    for ( k = 0; k < 6; k++ )
    {
        reset();
        native_set_1g(0, GIG0_MFN);
        max_page = 6 * NATIVE_EXTENT_MFNS;
        fault_writes(&nbuf[k], sizeof(nbuf[k]));

        rc = call64(XENMEM_machphys_mfn_list, 64);
        CHECK_OK();
        CHECK(rc == -EFAULT, "fault at %u: rc %ld, expected -EFAULT", k, rc);
        CHECK(xmml.nr_extents == POISON32,
              "fault at %u: nr_extents written: %u", k, xmml.nr_extents);
        CHECK_LIST(check_nbuf(k, exp_1g_then_2m));
    }

    return NULL;
}

static const char *test_copy_fault_compat(void)
{
    unsigned int k;
    long rc;

    for ( k = 0; k < 6; k++ )
    {
        reset();
        compat_fill(COMPAT_EXTENTS);
        max_page = 6 * COMPAT_EXTENT_MFNS;

        fault_writes(&nbuf[k], sizeof(nbuf[k]));
        rc = call64(XENMEM_machphys_compat_mfn_list, 64);
        CHECK_OK();
        CHECK(rc == -EFAULT, "64-bit, fault at %u: rc %ld", k, rc);
        CHECK(xmml.nr_extents == POISON32,
              "64-bit, fault at %u: nr_extents written: %u",
              k, xmml.nr_extents);
        CHECK_LIST(check_nbuf(k, exp_mfn_of));

        fault_writes(&compat_array()[k], sizeof(uint32_t));
        rc = call32(64);
        CHECK_OK();
        CHECK(rc == -EFAULT, "32-bit, fault at %u: rc %ld", k, rc);
        CHECK(cxmml.nr_extents == POISON32,
              "32-bit, fault at %u: nr_extents written: %u",
              k, cxmml.nr_extents);
        CHECK_LIST(check_cbuf(k, exp_mfn_of));
    }

    return NULL;
}

/* Writing back nr_extents faults: -EFAULT, the entries stay written. */
static const char *test_nr_extents_fault(void)
{
    long rc;

    compat_fill(COMPAT_EXTENTS);
    max_page = 3 * COMPAT_EXTENT_MFNS;
    fault_writes(&xmml.nr_extents, sizeof(xmml.nr_extents));
    rc = call64(XENMEM_machphys_compat_mfn_list, 64);
    CHECK_OK();
    CHECK(rc == -EFAULT, "64-bit compat list: rc %ld, expected -EFAULT", rc);
    CHECK_LIST(check_nbuf(3, exp_mfn_of));

    reset();
    native_set(0, mfn_of(0));
    native_set(1, mfn_of(1));
    max_page = 2 * NATIVE_EXTENT_MFNS;
    fault_writes(&xmml.nr_extents, sizeof(xmml.nr_extents));
    rc = call64(XENMEM_machphys_mfn_list, 64);
    CHECK_OK();
    CHECK(rc == -EFAULT, "native list: rc %ld, expected -EFAULT", rc);
    CHECK_LIST(check_nbuf(2, exp_mfn_of));

    reset();
    compat_fill(COMPAT_EXTENTS);
    max_page = 3 * COMPAT_EXTENT_MFNS;
    fault_writes(&cxmml.nr_extents, sizeof(cxmml.nr_extents));
    rc = call32(64);
    CHECK_OK();
    CHECK(rc == -EFAULT, "32-bit caller: rc %ld, expected -EFAULT", rc);
    CHECK_LIST(check_cbuf(3, exp_mfn_of));

    return NULL;
}

/* The argument cannot be read: -EFAULT, nothing written. */
static const char *test_arg_fault(void)
{
    long rc;

    compat_fill(COMPAT_EXTENTS);
    native_set(0, mfn_of(0));
    max_page = NATIVE_EXTENT_MFNS;

    fault_reads(&xmml, sizeof(xmml));
    rc = call64(XENMEM_machphys_mfn_list, 64);
    CHECK(rc == -EFAULT, "native list: rc %ld, expected -EFAULT", rc);
    rc = call64(XENMEM_machphys_compat_mfn_list, 64);
    CHECK(rc == -EFAULT, "64-bit compat list: rc %ld, expected -EFAULT", rc);
    CHECK_LIST(check_nbuf(0, exp_mfn_of));

    fault_reads(&cxmml, sizeof(cxmml));
    rc = call32(64);
    CHECK(rc == -EFAULT, "32-bit caller: rc %ld, expected -EFAULT", rc);
    CHECK_LIST(check_cbuf(0, exp_mfn_of));
    CHECK_OK();

    return NULL;
}

/* Without 32-bit PV there is no compat table; the native one stays. */
static const char *test_no_pv32(void)
{
    long rc;

    compat_fill(COMPAT_EXTENTS);
    native_set(0, mfn_of(0));
    max_page = NATIVE_EXTENT_MFNS;
    opt_pv32 = 0;
    /* -EOPNOTSUPP comes first: the argument is not even read. */
    fault_reads(&xmml, sizeof(xmml));
    rc = call64(XENMEM_machphys_compat_mfn_list, 64);
    CHECK(rc == -EOPNOTSUPP, "64-bit compat list: rc %ld", rc);
    CHECK(xmml.nr_extents == POISON32, "nr_extents written");

    fault_reads(&cxmml, sizeof(cxmml));
    rc = call32(64);
    CHECK(rc == -EOPNOTSUPP, "32-bit caller: rc %ld", rc);
    CHECK(cxmml.nr_extents == POISON32, "nr_extents written");
    CHECK_LIST(check_cbuf(0, exp_mfn_of));
    CHECK_LIST(check_nbuf(0, exp_mfn_of));

    fault_reads(NULL, 0);
    rc = call64(XENMEM_machphys_mfn_list, 64);
    CHECK_OK();
    CHECK(rc == 0, "native list: rc %ld", rc);
    CHECK(xmml.nr_extents == 1, "native list: nr_extents %u, expected 1",
          xmml.nr_extents);
    CHECK_LIST(check_nbuf(1, exp_mfn_of));

    return NULL;
}

/*
 * Random compat tables against a plain model of the contract: extent i is
 * the frame of the last populated extent at or before i; the list has
 * min(max_extents, ceil(min(max_page * 4, 1GiB) / 2MiB)) entries.
 */
static unsigned long model[COMPAT_EXTENTS];

static unsigned long exp_model(unsigned int i)
{
    return model[i];
}

static const char *test_compat_random(void)
{
    unsigned int iter, i, nr, max_extents;
    unsigned long size;

    srand(4242);
    for ( iter = 0; iter < 300; iter++ )
    {
        reset();
        for ( i = 0; i < COMPAT_EXTENTS; i++ )
        {
            if ( !i || rand() % 4 )
                compat_set(i, mfn_of(i) + rand() % 512);
            model[i] = (compat_idle_pg_table_l2[i].l2 & _PAGE_PRESENT)
                       ? pte_pfn_(compat_idle_pg_table_l2[i].l2)
                       : model[i - 1];
        }
        max_page = ((unsigned long)rand() << 8) % (600 * COMPAT_EXTENT_MFNS);
        max_extents = rand() % 4 ? rand() % (COMPAT_EXTENTS + 50) : ~0U;

        size = max_page * 4 < GB(1) ? max_page * 4 : GB(1);
        nr = (size + EXTENT_BYTES - 1) / EXTENT_BYTES;
        if ( nr > max_extents )
            nr = max_extents;

        CHECK_LIST(expect_list64(XENMEM_machphys_compat_mfn_list,
                                 max_extents, nr, exp_model));
        CHECK_LIST(expect_list32(max_extents, nr, exp_model));
    }

    return NULL;
}

static const struct {
    const char *name;
    const char *(*fn)(void);
} tests[] = {
    { "native_all_present",      test_native_all_present },
    { "native_1g_pages",         test_native_1g_pages },
    { "native_holes",            test_native_holes },
    { "native_end_clamp",        test_native_clamp },
    { "native_hole_at_start",    test_native_hole_start },
    { "compat_all_present",      test_compat_all_present },
    { "compat_holes_middle_end", test_compat_holes_middle_end },
    { "compat_hole_at_start",    test_compat_hole_start },
    { "zero_mfn_present",        test_zero_mfn_present },
    { "compat_frame_above_4g",   test_compat_frame_above_4g },
    { "compat_end_max_page",     test_compat_end_max_page },
    { "compat_end_clamp",        test_compat_end_clamp },
    { "max_extents_bounds",      test_max_extents },
    { "compat32_list",           test_compat32_list },
    { "copy_fault_native",       test_copy_fault_native },
    { "copy_fault_compat",       test_copy_fault_compat },
    { "nr_extents_fault",        test_nr_extents_fault },
    { "arg_read_fault",          test_arg_fault },
    { "no_pv32",                 test_no_pv32 },
    { "compat_random_vs_model",  test_compat_random },
};

int main(void)
{
    unsigned int i, nr_failed = 0;

    for ( i = 0; i < ARRAY_SIZE(tests); i++ )
    {
        const char *fail;

        reset();
        fail = tests[i].fn();
        if ( fail )
        {
            printf("%s failed: %s\n", tests[i].name, fail);
            nr_failed++;
        }
    }

    return !!nr_failed;
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
