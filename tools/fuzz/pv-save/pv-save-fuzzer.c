/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fuzzing of libxenguest's save code for PV guests: what it reads, in dom0,
 * of what the guest writes.
 *
 * xg_sr_save_x86_pv.c, xg_sr_common_x86_pv.c and xg_sr_common.c are built
 * from the tree with tools/tests/pv-save's harness.h, which renames every
 * call they make outside themselves; the model below answers them, and no
 * library of the tree is linked in.  Each input describes a guest (see "The
 * input"): its width, what its shared_info says of its p2m, its frames with
 * their contents and the types Xen gave them, its vCPUs, and whether it is
 * saved live and how it is stopped.  The save is then driven through
 * save_ops_x86_pv as xg_sr_save.c drives it: setup() (which maps the p2m,
 * either form), the records of the stream's start, a round of the guest's
 * pagetables while it runs if live, the last round once it is stopped, the
 * vCPUs' state, cleanup().
 *
 * A mapping of guest memory or of the m2p is mmap()ed at exactly the size
 * mapped, between two inaccessible pages, so that a read past it faults,
 * and with the protection asked for, so that a write to a read-only one
 * faults; every mapping must be given back, whole, by cleanup().  Anything
 * else aborts: a finding.
 */

#define _GNU_SOURCE /* memfd_create() */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xg_sr_common_x86_pv.h"

/*
 * The input, little-endian, packed: a header, then records, each a byte of
 * its kind then its fields.  A record cut short by the end is ignored.
 */
struct input_hdr {
    uint8_t width;            /* What Xen says the guest's width is. */
    uint8_t flags;            /* FL_* */
    uint8_t max_vcpu_id;      /* Taken modulo MAX_VCPUS. */
    uint8_t pad;
    uint32_t max_page;        /* What XENMEM_maximum_ram_page answers,
                               * from MIN_MAX_PAGE to MAX_MAX_PAGE. */
    uint32_t compat_m2p_mfn0; /* Xen's first compat m2p frame. */
    uint32_t pad2;
    /* shared_info's arch fields, truncated to the guest's width. */
    uint64_t max_pfn;
    uint64_t pfn_to_mfn_frame_list_list;
    uint64_t p2m_cr3;
    uint64_t p2m_vaddr;
    uint64_t p2m_generation;
} __attribute__((packed));

#define FL_LIVE       0x01  /* Saved live: a round while the guest runs. */
#define FL_SUSPEND    0x02  /* Stopped by suspending (else paused). */
#define FL_NO_COMPAT  0x04  /* Xen has no compat m2p (pv=no-32). */
#define FL_GEN_CHANGE 0x08  /* The p2m's generation changes while live. */
#define FL_GIB_HOST   0x10  /* The host's RAM ends on a GiB: max_page too. */

enum rec_kind {
    REC_PAGE,   /* u32 mfn, u32 pfn (its m2p entry), u8 type: a new frame. */
    REC_SET64,  /* u16 index, u64 value: one entry of the last frame. */
    REC_SET32,  /* u16 index, u32 value: the same, 32-bit. */
    REC_RUN,    /* u16 first, u16 count, u64 value, u64 step: entries. */
    REC_P2M,    /* u16 first, u32 pfn, u16 count: the guest's p2m there. */
    REC_VCPU,   /* u8 id, u64 cr3, u64 cr1, u64 edx, u16 gdt_ents, u64 gdt0 */
    REC_M2P,    /* u32 mfn, u32 pfn: the m2p entry of a frame not ours. */
    NR_REC_KINDS
};

/* A frame's type, the low 3 bits of REC_PAGE's; 8 marks it pinned. */
static const uint32_t page_types[8] = {
    XEN_DOMCTL_PFINFO_NOTAB,
    XEN_DOMCTL_PFINFO_L1TAB,
    XEN_DOMCTL_PFINFO_L2TAB,
    XEN_DOMCTL_PFINFO_L3TAB,
    XEN_DOMCTL_PFINFO_L4TAB,
    XEN_DOMCTL_PFINFO_XTAB,
    XEN_DOMCTL_PFINFO_BROKEN,
    XEN_DOMCTL_PFINFO_XALLOC,
};

/* Bounds of the model, not of the code under test. */
#define MAX_PAGES      128
#define MAX_FILLS      64
#define MAX_VCPUS      4
#define MAX_MAPPINGS   64
#define MAX_MAP_PAGES  4096      /* The most frames one mapping may have. */
#define MIN_MAX_PAGE   0x100
#define MAX_MAX_PAGE   0x80000   /* 2 GiB hosts: up to 4 MiB of m2p. */
#define DOMID          1

/* The model of the host and the guest that one input describes. */
struct page {
    xen_pfn_t mfn;
    uint32_t type;
    uint8_t data[PAGE_SIZE];
};

struct fill {
    struct page *page;
    uint16_t first, count;
    uint32_t pfn;
};

struct vcpu {
    bool online;
    uint64_t cr3, cr1, edx, gdt0;
    uint16_t gdt_ents;
};

/* A mapping handed out: size bytes at addr, a guard page either side. */
struct mapping {
    uint8_t *addr;
    size_t size;
};

static struct {
    struct input_hdr hdr;
    xen_pfn_t max_page, shinfo_mfn;
    unsigned int nr_pages, nr_fills;
    struct page pages[MAX_PAGES];
    struct fill fills[MAX_FILLS];
    struct vcpu vcpus[MAX_VCPUS];
    uint8_t shinfo[PAGE_SIZE];
    struct mapping maps[MAX_MAPPINGS];
    /*
     * Xen's m2p, in a memory file that each mapping of it maps: INVALID_MFN
     * but where a record said otherwise.
     */
    int m2p_fd;
    xen_pfn_t *m2p;
    xen_pfn_t set_m2p[MAX_PAGES * 2];
    unsigned int nr_set_m2p;
} model;

static struct xc_interface_core xch_core;
static bool verbose;

static void __attribute__((noreturn, format(printf, 1, 2)))
finding(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fprintf(stderr, "pv-save-fuzzer: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    abort();
}

/* What the code under test logs: only with PV_SAVE_FUZZ_VERBOSE set. */
static void log_vmessage(int errnoval, const char *fmt, va_list al)
{
    if ( !verbose )
        return;
    vfprintf(stderr, fmt, al);
    if ( errnoval > 0 )
        fprintf(stderr, ": %s", strerror(errnoval));
    fputc('\n', stderr);
}

void host_report(xc_interface *xch, xentoollog_logger *lg,
                 xentoollog_level level, int code, const char *fmt, ...)
{
    va_list al;

    va_start(al, fmt);
    log_vmessage(-1, fmt, al);
    va_end(al);
}

void host_report_error(xc_interface *xch, int code, const char *fmt, ...)
{
    va_list al;

    va_start(al, fmt);
    log_vmessage(-1, fmt, al);
    va_end(al);
}

/*
 * size bytes of fresh memory between two inaccessible pages, with
 * protection prot, from the memory file fd (at offset 0) if fd is not -1,
 * else zeroed and writable until the caller has filled it; kept in
 * model.maps until cleanup() must have given it back.
 */
static void *new_mapping(size_t size, int fd, int prot)
{
    uint8_t *guard, *p;
    unsigned int i, free_slot = MAX_MAPPINGS;

    guard = mmap(NULL, size + 2 * PAGE_SIZE, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if ( guard == MAP_FAILED )
        return NULL;
    p = mmap(guard + PAGE_SIZE, size,
             fd < 0 ? PROT_READ | PROT_WRITE : prot, MAP_FIXED | (fd < 0 ? MAP_PRIVATE | MAP_ANONYMOUS : MAP_SHARED),
             fd, 0);
    if ( p == MAP_FAILED )
    {
        munmap(guard, size + 2 * PAGE_SIZE);
        return NULL;
    }

    /*
     * A mapping recorded where this one now is was given back since: the
     * kernel reused its addresses.
     */
    for ( i = 0; i < MAX_MAPPINGS; i++ )
    {
        struct mapping *m = &model.maps[i];

        if ( m->addr && m->addr - PAGE_SIZE < p + size + PAGE_SIZE &&
             p - PAGE_SIZE < m->addr + m->size + PAGE_SIZE )
            m->addr = NULL;
        if ( !m->addr && free_slot == MAX_MAPPINGS )
            free_slot = i;
    }
    if ( free_slot == MAX_MAPPINGS )
    {
        munmap(guard, size + 2 * PAGE_SIZE);
        errno = ENOMEM;
        return NULL;
    }
    model.maps[free_slot] = (struct mapping){ p, size };

    return p;
}

/*
 * After cleanup(): every mapping given back, whole (msync() fails on a
 * range not mapped); the guard pages unmapped.
 */
static void check_unmapped(void)
{
    unsigned int i;
    size_t off;

    for ( i = 0; i < MAX_MAPPINGS; i++ )
    {
        struct mapping *m = &model.maps[i];

        if ( !m->addr )
            continue;
        for ( off = 0; off < m->size; off += PAGE_SIZE )
            if ( !msync(m->addr + off, PAGE_SIZE, MS_ASYNC) )
                finding("%#zx bytes of a mapping of %#zx left mapped after "
                        "cleanup", m->size - off, m->size);
        munmap(m->addr - PAGE_SIZE, PAGE_SIZE);
        munmap(m->addr + m->size, PAGE_SIZE);
        m->addr = NULL;
    }
}

/* The guest's frame mfn, or NULL if mfn is not the guest's. */
static struct page *page_of_mfn(xen_pfn_t mfn)
{
    unsigned int i;

    for ( i = 0; i < model.nr_pages; i++ )
        if ( model.pages[i].mfn == mfn )
            return &model.pages[i];

    return NULL;
}

static const uint8_t *frame(xen_pfn_t mfn)
{
    const struct page *pg = page_of_mfn(mfn);

    if ( mfn == model.shinfo_mfn )
        return model.shinfo;

    return pg ? pg->data : NULL;
}

/* The guest's frames mfns[], as one mapping, as libxenforeignmemory does. */
static void *map_frames(const xen_pfn_t *mfns, size_t num, bool contiguous,
                        int prot)
{
    uint8_t *p;
    size_t i;

    if ( num == 0 || num > MAX_MAP_PAGES )
    {
        errno = num ? ENOMEM : EINVAL;
        return NULL;
    }
    for ( i = 0; i < num; i++ )
        if ( !frame(contiguous ? mfns[0] + i : mfns[i]) )
        {
            errno = EFAULT;
            return NULL;
        }

    p = new_mapping(num * PAGE_SIZE, -1, prot);
    for ( i = 0; p && i < num; i++ )
        memcpy(p + i * PAGE_SIZE, frame(contiguous ? mfns[0] + i : mfns[i]),
               PAGE_SIZE);
    if ( p && mprotect(p, num * PAGE_SIZE, prot) )
        finding("mprotect: %s", strerror(errno));

    return p;
}

void *host_map_foreign_range(xc_interface *xch, uint32_t dom, int size,
                             int prot, unsigned long mfn)
{
    xen_pfn_t first = mfn;

    if ( dom != DOMID || size <= 0 || size % PAGE_SIZE )
    {
        errno = EINVAL;
        return NULL;
    }

    return map_frames(&first, size / PAGE_SIZE, true, prot);
}

void *host_map_foreign_pages(xc_interface *xch, uint32_t dom, int prot,
                             const xen_pfn_t *arr, int num)
{
    if ( dom != DOMID || num <= 0 )
    {
        errno = EINVAL;
        return NULL;
    }

    return map_frames(arr, num, false, prot);
}

/* The m2p, of the size Xen maps it: M2P_SIZE(max_page) bytes. */
void *host_map_foreign_ranges(xc_interface *xch, uint32_t dom, size_t size,
                              int prot, size_t chunksize,
                              privcmd_mmap_entry_t entries[], int nentries)
{
    if ( dom != DOMID_XEN || size != M2P_SIZE(model.max_page) )
    {
        errno = EINVAL;
        return NULL;
    }

    return new_mapping(size, model.m2p_fd, prot);
}

/* Xen's answers. */
int host_maximum_ram_page(xc_interface *xch, unsigned long *max_mfn)
{
    *max_mfn = model.max_page;
    return 0;
}

int host_machphys_mfn_list(xc_interface *xch, unsigned long max_extents,
                           xen_pfn_t *extent_start)
{
    unsigned long i;

    for ( i = 0; i < max_extents; i++ )
        extent_start[i] = 0x100000 + i * 512;

    return 0;
}

/* Xen's first compat m2p frame, which a 64-bit toolstack asks for so. */
long host_memory_op(xc_interface *xch, unsigned int cmd, void *arg,
                    size_t len)
{
    struct xen_machphys_mfn_list *xmml = arg;

    if ( cmd != XENMEM_machphys_compat_mfn_list )
    {
        errno = ENOSYS;
        return -1;
    }
    if ( model.hdr.flags & FL_NO_COMPAT )
    {
        errno = EOPNOTSUPP;
        return -1;
    }
    if ( xmml->max_extents )
        xmml->extent_start.p[0] = model.hdr.compat_m2p_mfn0;
    xmml->nr_extents = !!xmml->max_extents;

    return 0;
}

int host_domain_get_guest_width(xc_interface *xch, uint32_t domid,
                                unsigned int *guest_width)
{
    *guest_width = model.hdr.width;
    return 0;
}

int host_vcpu_getinfo(xc_interface *xch, uint32_t domid, uint32_t vcpu,
                      xc_vcpuinfo_t *info)
{
    if ( vcpu >= MAX_VCPUS )
    {
        errno = ESRCH;
        return -1;
    }
    memset(info, 0, sizeof(*info));
    info->vcpu = vcpu;
    info->online = model.vcpus[vcpu].online;

    return 0;
}

int host_vcpu_getcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu,
                         vcpu_guest_context_any_t *ctxt)
{
    unsigned int w = model.hdr.width == 8 ? 8 : 4;
    const struct vcpu *v;

    if ( vcpu >= MAX_VCPUS || !model.vcpus[vcpu].online )
    {
        errno = ESRCH;
        return -1;
    }
    v = &model.vcpus[vcpu];
    memset(ctxt, 0, sizeof(*ctxt));
    SET_FIELD(ctxt, ctrlreg[3], v->cr3, w);
    SET_FIELD(ctxt, ctrlreg[1], v->cr1, w);
    SET_FIELD(ctxt, user_regs.edx, v->edx, w);
    SET_FIELD(ctxt, gdt_ents, v->gdt_ents, w);
    SET_FIELD(ctxt, gdt_frames[0], v->gdt0, w);

    return 0;
}

/*
 * The stream: every byte of a record is read, as writing it to a file
 * would, for the sanitizers to check it.
 */
static volatile uint8_t sink;

int host_writev_exact(int fd, struct iovec *iov, int iovcnt)
{
    uint8_t sum = 0;
    size_t j;
    int i;

    for ( i = 0; i < iovcnt; i++ )
        for ( j = 0; j < iov[i].iov_len; j++ )
            sum += ((const uint8_t *)iov[i].iov_base)[j];
    sink += sum;

    return 0;
}

/* Reading the input. */
struct cursor {
    const uint8_t *p;
    size_t left;
};

static bool take(struct cursor *c, void *dst, size_t size)
{
    if ( c->left < size )
        return false;
    memcpy(dst, c->p, size);
    c->p += size;
    c->left -= size;

    return true;
}

#define TAKE(c, v) take(c, &(v), sizeof(v))

static void set_m2p(xen_pfn_t mfn, xen_pfn_t pfn)
{
    if ( mfn >= model.max_page ||
         model.nr_set_m2p == ARRAY_SIZE(model.set_m2p) )
        return;
    model.m2p[mfn] = pfn;
    model.set_m2p[model.nr_set_m2p++] = mfn;
}

/* The m2p of the last input back to INVALID_MFN. */
static void reset_m2p(void)
{
    unsigned int i;

    for ( i = 0; i < model.nr_set_m2p; i++ )
        model.m2p[model.set_m2p[i]] = INVALID_MFN;
    model.nr_set_m2p = 0;
}

static void set_entry(struct page *pg, unsigned int idx, uint64_t val,
                      unsigned int size)
{
    if ( !pg )
        return;
    idx %= PAGE_SIZE / size;
    memcpy(pg->data + idx * size, &val, size);
}

static void read_input_record(struct cursor *c, struct page **cur)
{
    uint8_t kind;

    if ( !TAKE(c, kind) )
        return;

    switch ( kind % NR_REC_KINDS )
    {
    case REC_PAGE:
    {
        uint32_t mfn, pfn;
        uint8_t type;
        struct page *pg;

        if ( !TAKE(c, mfn) || !TAKE(c, pfn) || !TAKE(c, type) )
            break;
        /* A frame of the host, once, and not shared_info. */
        if ( mfn >= model.max_page || mfn == model.shinfo_mfn ||
             page_of_mfn(mfn) || model.nr_pages == MAX_PAGES )
        {
            *cur = NULL;
            break;
        }
        pg = &model.pages[model.nr_pages++];
        pg->mfn = mfn;
        pg->type = page_types[type & 7] |
                   (type & 8 ? XEN_DOMCTL_PFINFO_LPINTAB : 0);
        memset(pg->data, 0, PAGE_SIZE);
        set_m2p(mfn, pfn == UINT32_MAX ? INVALID_MFN : pfn);
        *cur = pg;
        break;
    }

    case REC_SET64:
    {
        uint16_t idx;
        uint64_t val;

        if ( TAKE(c, idx) && TAKE(c, val) )
            set_entry(*cur, idx, val, 8);
        break;
    }

    case REC_SET32:
    {
        uint16_t idx;
        uint32_t val;

        if ( TAKE(c, idx) && TAKE(c, val) )
            set_entry(*cur, idx, val, 4);
        break;
    }

    case REC_RUN:
    {
        uint16_t first, count, i;
        uint64_t val, step;

        if ( !TAKE(c, first) || !TAKE(c, count) || !TAKE(c, val) ||
             !TAKE(c, step) )
            break;
        first %= PAGE_SIZE / 8;
        for ( i = 0; i < count && first + i < PAGE_SIZE / 8; i++ )
            set_entry(*cur, first + i, val + i * step, 8);
        break;
    }

    case REC_P2M:
    {
        struct fill f = { .page = *cur };

        if ( !TAKE(c, f.first) || !TAKE(c, f.pfn) || !TAKE(c, f.count) )
            break;
        if ( f.page && model.nr_fills < MAX_FILLS )
            model.fills[model.nr_fills++] = f;
        break;
    }

    case REC_VCPU:
    {
        uint8_t id;
        struct vcpu v = { .online = true };

        if ( !TAKE(c, id) || !TAKE(c, v.cr3) || !TAKE(c, v.cr1) ||
             !TAKE(c, v.edx) || !TAKE(c, v.gdt_ents) || !TAKE(c, v.gdt0) )
            break;
        model.vcpus[id % MAX_VCPUS] = v;
        break;
    }

    case REC_M2P:
    {
        uint32_t mfn, pfn;

        if ( TAKE(c, mfn) && TAKE(c, pfn) && !page_of_mfn(mfn) )
            set_m2p(mfn, pfn);
        break;
    }
    }
}

/* The guest's p2m as its frames' m2p entries say: pfn's frame, if any. */
static uint64_t guest_p2m(uint32_t pfn)
{
    unsigned int i;

    for ( i = 0; i < model.nr_pages; i++ )
        if ( model.m2p[model.pages[i].mfn] == pfn )
            return model.pages[i].mfn;

    return ~0ULL;
}

static void apply_fills(void)
{
    unsigned int w = model.hdr.width == 4 ? 4 : 8, i, j;

    for ( i = 0; i < model.nr_fills; i++ )
    {
        const struct fill *f = &model.fills[i];

        for ( j = 0; j < f->count && f->first + j < PAGE_SIZE / w; j++ )
            set_entry(f->page, f->first + j, guest_p2m(f->pfn + j), w);
    }
}

/* A field of shared_info, as a guest of the model's width writes it. */
#define SET_SHINFO(f, v)                                                \
    SET_FIELD((shared_info_any_t *)model.shinfo, arch.f, v,             \
              model.hdr.width == 8 ? 8 : 4)

static int read_input(const uint8_t *data, size_t size)
{
    struct cursor c = { data, size };
    struct page *cur = NULL;

    model.nr_pages = model.nr_fills = 0;
    memset(model.vcpus, 0, sizeof(model.vcpus));
    memset(model.shinfo, 0, sizeof(model.shinfo));

    if ( !TAKE(&c, model.hdr) )
        return -1;

    model.max_page = model.hdr.max_page;
    if ( model.max_page < MIN_MAX_PAGE || model.max_page > MAX_MAX_PAGE )
        model.max_page = MIN_MAX_PAGE +
                         model.max_page % (MAX_MAX_PAGE - MIN_MAX_PAGE + 1);
    if ( model.hdr.flags & FL_GIB_HOST )
        model.max_page = ROUNDUP(model.max_page, 1UL << (30 - PAGE_SHIFT));
    model.shinfo_mfn = model.max_page - 1;
    reset_m2p();

    while ( c.left )
        read_input_record(&c, &cur);
    apply_fills();

    SET_SHINFO(max_pfn, model.hdr.max_pfn);
    SET_SHINFO(pfn_to_mfn_frame_list_list,
               model.hdr.pfn_to_mfn_frame_list_list);
    SET_SHINFO(p2m_cr3, model.hdr.p2m_cr3);
    SET_SHINFO(p2m_vaddr, model.hdr.p2m_vaddr);
    SET_SHINFO(p2m_generation, model.hdr.p2m_generation);

    return 0;
}

/*
 * One round of the guest's memory, as write_batch() sends it: each frame of
 * the guest that its p2m names, normalised if Xen says it is a pagetable.
 */
static int send_round(struct xc_sr_context *ctx, bool live)
{
    unsigned int i;

    for ( i = 0; i < model.nr_pages; i++ )
    {
        xen_pfn_t pfn = model.m2p[model.pages[i].mfn], gfn;
        const struct page *pg;
        void *orig, *page;
        int rc;

        if ( pfn >= ctx->save.p2m_size )
            continue;
        gfn = ctx->save.ops.pfn_to_gfn(ctx, pfn);
        pg = page_of_mfn(gfn);
        if ( !pg )
            continue;
        switch ( pg->type & XEN_DOMCTL_PFINFO_LTAB_MASK )
        {
        case XEN_DOMCTL_PFINFO_XTAB:
        case XEN_DOMCTL_PFINFO_BROKEN:
        case XEN_DOMCTL_PFINFO_XALLOC:
            continue;
        }

        /* The frame as mapped: a copy of its size. */
        orig = page = malloc(PAGE_SIZE);
        if ( !orig )
            return -1;
        memcpy(orig, pg->data, PAGE_SIZE);
        rc = ctx->save.ops.normalise_page(ctx, pg->type, &page);
        if ( page != orig )
            free(page);
        free(orig);
        if ( rc && !(live && rc == -1 && errno == EAGAIN) )
            return rc;
    }

    return 0;
}

static uint32_t stopped_flags(void)
{
    if ( model.hdr.flags & FL_SUSPEND )
        return XEN_DOMINF_shutdown |
               (SHUTDOWN_suspend << XEN_DOMINF_shutdownshift);

    return XEN_DOMINF_paused;
}

/* The save, as xg_sr_save.c's save() drives it, without the stream. */
static void save(void)
{
    struct xc_sr_context ctx = {
        .xch = &xch_core,
        .domid = DOMID,
        .fd = -1,
    };
    bool live = model.hdr.flags & FL_LIVE;
    const char *step = "setup";
    int rc;

    ctx.save.ops = save_ops_x86_pv;
    ctx.save.live = live;
    ctx.dominfo.flags = live ? 0 : stopped_flags();
    ctx.dominfo.shared_info_frame = model.shinfo_mfn;
    ctx.dominfo.max_vcpu_id = model.hdr.max_vcpu_id % MAX_VCPUS;

    rc = ctx.save.ops.setup(&ctx);
    if ( verbose && !rc )
        fprintf(stderr, "pv-save-fuzzer: p2m of %u frames, max_pfn %#lx\n",
                ctx.x86.pv.p2m_frames, ctx.x86.pv.max_pfn);
    if ( !rc )
        rc = ctx.save.ops.static_data(&ctx);
    if ( !rc )
        rc = ctx.save.ops.start_of_stream(&ctx);
    if ( !rc )
        rc = ctx.save.ops.start_of_checkpoint(&ctx);
    if ( !rc && live )
    {
        step = "live round";
        rc = send_round(&ctx, true);
        /* The guest writes to its shared_info, as mapped (read-only). */
        if ( !rc && (model.hdr.flags & FL_GEN_CHANGE) )
        {
            void *shinfo = ctx.x86.pv.shinfo;

            if ( mprotect(shinfo, PAGE_SIZE, PROT_READ | PROT_WRITE) )
                finding("mprotect: %s", strerror(errno));
            SET_FIELD(ctx.x86.pv.shinfo, arch.p2m_generation,
                      model.hdr.p2m_generation + 1,
                      model.hdr.width == 8 ? 8 : 4);
            mprotect(shinfo, PAGE_SIZE, PROT_READ);
        }
        if ( !rc )
            rc = ctx.save.ops.check_vm_state(&ctx);
    }
    if ( !rc )
    {
        step = "last round";
        ctx.dominfo.flags = stopped_flags();
        rc = send_round(&ctx, false);
    }
    if ( !rc )
    {
        step = "vcpus";
        rc = ctx.save.ops.end_of_checkpoint(&ctx);
    }
    if ( !rc )
        rc = ctx.save.ops.check_vm_state(&ctx);
    if ( verbose )
        fprintf(stderr, "pv-save-fuzzer: %s %s\n", step,
                rc ? "failed" : "done");

    ctx.save.ops.cleanup(&ctx);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Xen's m2p of the largest host, all INVALID_MFN. */
static void init_m2p(void)
{
    size_t size = M2P_SIZE(MAX_MAX_PAGE);

    model.m2p_fd = memfd_create("m2p", 0);
    if ( model.m2p_fd < 0 || ftruncate(model.m2p_fd, size) )
    {
        perror("m2p");
        exit(1);
    }
    model.m2p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
                     model.m2p_fd, 0);
    if ( model.m2p == MAP_FAILED )
    {
        perror("m2p");
        exit(1);
    }
    memset(model.m2p, 0xff, size);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    verbose = getenv("PV_SAVE_FUZZ_VERBOSE");
    init_m2p();

    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if ( read_input(data, size) )
        return 0;

    save();
    check_unmapped();

    return 0;
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
