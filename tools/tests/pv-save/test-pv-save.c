/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Unit tests of libxenguest's save code for x86 PV guests, without a
 * hypervisor: how it maps the p2m a guest publishes, and what it makes of
 * the guest's vCPU state.
 *
 * xg_sr_save_x86_pv.c, xg_sr_common_x86_pv.c and xg_sr_common.c are
 * compiled from the tree with harness.h, which hands every call they make
 * outside themselves to the synthetic host and guest below.  The p2m is
 * mapped by save_ops_x86_pv.setup(), as at the start of a save; the vCPU
 * records are written by save_ops_x86_pv.end_of_checkpoint(), as at its end.
 *
 * Each case runs in a process of its own: one that crashes the code under
 * test fails alone.  A failing case prints why, and the exit status is 1 if
 * any failed.  -v also prints each case's name and what the code under test
 * logged.
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
#include <sys/wait.h>
#include <unistd.h>

#include "xg_sr_common_x86_pv.h"

/* The synthetic host and guest. */
#define NR_MFNS       0x40000UL   /* Frames of the host: its max_page. */
#define MAX_MFN       (NR_MFNS - 1)
#define NR_PFNS       64          /* Frames of the guest. */
#define COMPAT_MFN0   0xe00UL     /* Xen's first compat m2p frame. */
#define XEN_MFN       0xe80UL     /* Other frames of Xen. */
#define SHINFO_MFN    0xe90UL     /* The guest's shared_info. */
#define START_PFN     1           /* The guest's start info, */
#define PT_L4_PFN     56          /* its top pagetable, */
#define PT_L3_PFN     57          /* and the pagetables */
#define PT_L2_PFN     58          /* mapping its linear */
#define PT_L1_PFN     59          /* p2m, if it has one: */
#define P2M_PFN       60          /* the guest's p2m leaf, */
#define FL_PFN        61          /* its frame list */
#define FLL_PFN       62          /* and frame list list. */

#define P2M_VADDR     0xffffc90000000000ULL   /* Of a linear p2m. */
#define PTE_GUEST     0x067ULL    /* Present, rw, user, accessed, dirty. */

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

static void log_vmessage(xentoollog_level level, const char *fmt, va_list al)
{
    size_t room = sizeof(errlog) - errlog_len;
    int n;

    if ( level < XTL_WARN )
        return;

    n = vsnprintf(errlog + errlog_len, room, fmt, al);
    if ( n < 0 || n + 1 >= room )
    {
        errlog_len = sizeof(errlog) - 1;
        return;
    }
    errlog_len += n;
    errlog[errlog_len++] = '\n';
    errlog[errlog_len] = '\0';
}

void host_report(xc_interface *xch, xentoollog_logger *lg,
                 xentoollog_level level, int code, const char *fmt, ...)
{
    va_list al;

    va_start(al, fmt);
    log_vmessage(level, fmt, al);
    va_end(al);
}

void host_report_error(xc_interface *xch, int code, const char *fmt, ...)
{
    va_list al;

    va_start(al, fmt);
    log_vmessage(XTL_ERROR, fmt, al);
    va_end(al);
}

const char *host_strerror(xc_interface *xch, int errcode)
{
    return strerror(errcode);
}

/*
 * The host: its m2p, the guest's frames, shared_info and vCPU, and Xen's
 * answers to the calls harness.h hands to them.
 */
static xen_pfn_t m2p[NR_MFNS];
static unsigned int guest_width;
static uint8_t guest_mem[NR_PFNS][PAGE_SIZE];
static shared_info_any_t shinfo;
static vcpu_guest_context_any_t vcpu;

int host_domain_get_guest_width(xc_interface *xch, uint32_t domid,
                                unsigned int *width)
{
    *width = guest_width;
    return 0;
}

/* As Xen's XENMEM_maximum_ram_page: max_page, one more than the last frame. */
int host_maximum_ram_page(xc_interface *xch, unsigned long *max_mfn)
{
    *max_mfn = NR_MFNS;
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

long host_memory_op(xc_interface *xch, unsigned int cmd, void *arg,
                    size_t len)
{
    struct xen_machphys_mfn_list *xmml = arg;

    if ( cmd != XENMEM_machphys_compat_mfn_list || !xmml->max_extents )
    {
        errno = ENOSYS;
        return -1;
    }
    xmml->extent_start.p[0] = COMPAT_MFN0;
    xmml->nr_extents = 1;

    return 0;
}

static void *map_anon(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    return p == MAP_FAILED ? NULL : p;
}

/*
 * The m2p, as Xen lets dom0 map it: the whole host's.  Reading past its end
 * may fault in dom0: here it does, on an inaccessible page.
 */
void *host_map_foreign_ranges(xc_interface *xch, uint32_t dom, size_t size,
                              int prot, size_t chunksize,
                              privcmd_mmap_entry_t entries[], int nentries)
{
    uint8_t *p = map_anon(size + PAGE_SIZE);

    if ( !p )
        return NULL;
    if ( mprotect(p + size, PAGE_SIZE, PROT_NONE) )
    {
        munmap(p, size + PAGE_SIZE);
        return NULL;
    }
    memcpy(p, m2p, min(size, sizeof(m2p)));

    return p;
}

/* A copy of the guest's frame mfn (or its shared_info), at dst. */
static int copy_frame(void *dst, xen_pfn_t mfn)
{
    xen_pfn_t pfn = mfn < NR_MFNS ? m2p[mfn] : INVALID_MFN;

    if ( mfn == SHINFO_MFN )
        memcpy(dst, &shinfo, sizeof(shinfo));
    else if ( pfn < NR_PFNS && guest_mfn(pfn) == mfn )
        memcpy(dst, guest_mem[pfn], PAGE_SIZE);
    else
    {
        errno = ENOENT;
        return -1;
    }

    return 0;
}

void *host_map_foreign_range(xc_interface *xch, uint32_t dom, int size,
                             int prot, unsigned long mfn)
{
    void *p = size == PAGE_SIZE ? map_anon(PAGE_SIZE) : NULL;

    if ( p && copy_frame(p, mfn) )
    {
        munmap(p, PAGE_SIZE);
        p = NULL;
    }

    return p;
}

void *host_map_foreign_pages(xc_interface *xch, uint32_t dom, int prot,
                             const xen_pfn_t *arr, int num)
{
    uint8_t *p = num > 0 ? map_anon(num * PAGE_SIZE) : NULL;
    int i;

    for ( i = 0; p && i < num; i++ )
        if ( copy_frame(p + i * PAGE_SIZE, arr[i]) )
        {
            munmap(p, num * PAGE_SIZE);
            p = NULL;
        }

    return p;
}

int host_vcpu_getinfo(xc_interface *xch, uint32_t domid, uint32_t vcpuid,
                      xc_vcpuinfo_t *info)
{
    memset(info, 0, sizeof(*info));
    info->vcpu = vcpuid;
    info->online = 1;

    return 0;
}

int host_vcpu_getcontext(xc_interface *xch, uint32_t domid, uint32_t vcpuid,
                         vcpu_guest_context_any_t *ctxt)
{
    *ctxt = vcpu;
    return 0;
}

/* The vCPU has no extended state, xsave state or MSRs to save. */
int host_domctl(xc_interface *xch, struct xen_domctl *domctl)
{
    switch ( domctl->cmd )
    {
    case XEN_DOMCTL_get_ext_vcpucontext:
        domctl->u.ext_vcpucontext.size = 0;
        return 0;

    case XEN_DOMCTL_getvcpuextstate:
        domctl->u.vcpuextstate.xfeature_mask = 0;
        domctl->u.vcpuextstate.size = 0;
        return 0;

    case XEN_DOMCTL_get_vcpu_msrs:
        domctl->u.vcpu_msrs.msr_count = 0;
        return 0;
    }

    errno = ENOSYS;
    return -1;
}

void *host_hypercall_buffer_alloc(xc_interface *xch, xc_hypercall_buffer_t *b,
                                  size_t size)
{
    b->hbuf = b->ubuf = calloc(1, size);
    return b->hbuf;
}

void host_hypercall_buffer_free(xc_interface *xch, xc_hypercall_buffer_t *b)
{
    free(b->hbuf);
    b->hbuf = b->ubuf = NULL;
}

/* The stream the save writes. */
static uint8_t stream[1 << 16];
static size_t stream_len;

int host_writev_exact(int fd, struct iovec *iov, int iovcnt)
{
    int i;

    for ( i = 0; i < iovcnt; i++ )
    {
        if ( iov[i].iov_len > sizeof(stream) - stream_len )
        {
            errno = ENOSPC;
            return -1;
        }
        memcpy(stream + stream_len, iov[i].iov_base, iov[i].iov_len);
        stream_len += iov[i].iov_len;
    }

    return 0;
}

int host_read_exact(int fd, void *data, size_t size)
{
    errno = ENOSYS;
    return -1;
}

int host_write_x86_tsc_info(struct xc_sr_context *ctx)
{
    return 0;
}

int host_write_x86_cpu_policy_records(struct xc_sr_context *ctx)
{
    return 0;
}

/* The data of the first record of type 'type' in the stream, or NULL. */
static const void *find_record(uint32_t type, uint32_t *length)
{
    size_t off = 0;

    while ( off + sizeof(struct xc_sr_rhdr) <= stream_len )
    {
        const struct xc_sr_rhdr *rhdr = (const void *)(stream + off);

        off += sizeof(*rhdr);
        if ( rhdr->type == type )
        {
            *length = rhdr->length;
            return stream + off;
        }
        off += (rhdr->length + 7) & ~7U;    /* Padded to 8 bytes. */
    }

    return NULL;
}

/* The state of one test: a guest of NR_PFNS frames. */
static struct xc_interface_core xch_core;
static struct xc_sr_context ctx;

enum state { RUNNING, PAUSED, SUSPENDED };

/* The domain's state, as ctx->dominfo says it to the code under test. */
static void set_state(enum state state)
{
    ctx.dominfo.flags = state == PAUSED ? XEN_DOMINF_paused :
                        state == SUSPENDED ?
                        XEN_DOMINF_shutdown |
                        (SHUTDOWN_suspend << XEN_DOMINF_shutdownshift) : 0;
}

static void setup(enum state state)
{
    unsigned int i;

    memset(&ctx, 0, sizeof(ctx));
    ctx.xch = &xch_core;
    ctx.domid = 1;
    ctx.fd = -1;
    set_state(state);
    ctx.dominfo.shared_info_frame = SHINFO_MFN;

    for ( i = 0; i < NR_MFNS; i++ )
        m2p[i] = INVALID_MFN;
    for ( i = 0; i < NR_PFNS; i++ )
        m2p[guest_mfn(i)] = i;

    guest_width = 4;
    memset(guest_mem, 0, sizeof(guest_mem));
    memset(&shinfo, 0, sizeof(shinfo));
    memset(&vcpu, 0, sizeof(vcpu));
    stream_len = 0;
    errlog[0] = '\0';
    errlog_len = 0;
}

static char reason[512];

/* The log on one line, shortened, for a failure's reason. */
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

/* Entry idx of the guest's frame pfn, as a guest of guest_width writes it. */
static void put_entry(unsigned int pfn, unsigned int idx, xen_pfn_t mfn)
{
    if ( guest_width == 8 )
        ((uint64_t *)guest_mem[pfn])[idx] = mfn == INVALID_MFN ? ~0ULL : mfn;
    else
        ((uint32_t *)guest_mem[pfn])[idx] = mfn;
}

/*
 * A suspended guest of guest width 'width', its first NR_PFNS pfns
 * populated, whose shared_info says arch.max_pfn = nr_pfns.  Without
 * p2m_cr3, its p2m is published as a frame list list of one frame list of
 * one leaf; with it, as a linear p2m at p2m_vaddr, which the pagetables of
 * a 64-bit guest at PT_L4_PFN map when p2m_vaddr is P2M_VADDR.
 */
static void publish_p2m(unsigned int width, uint64_t nr_pfns,
                        uint64_t p2m_cr3, uint64_t p2m_vaddr)
{
    unsigned int i;

    setup(SUSPENDED);
    guest_width = width;

    for ( i = 0; i < PAGE_SIZE / width; i++ )
        put_entry(P2M_PFN, i, i < NR_PFNS ? guest_mfn(i) : INVALID_MFN);
    put_entry(FL_PFN, 0, guest_mfn(P2M_PFN));
    put_entry(FLL_PFN, 0, guest_mfn(FL_PFN));

    ((uint64_t *)guest_mem[PT_L4_PFN])[(P2M_VADDR >> 39) & 511] =
        mkpte(guest_mfn(PT_L3_PFN), PTE_GUEST);
    ((uint64_t *)guest_mem[PT_L3_PFN])[(P2M_VADDR >> 30) & 511] =
        mkpte(guest_mfn(PT_L2_PFN), PTE_GUEST);
    ((uint64_t *)guest_mem[PT_L2_PFN])[(P2M_VADDR >> 21) & 511] =
        mkpte(guest_mfn(PT_L1_PFN), PTE_GUEST);
    ((uint64_t *)guest_mem[PT_L1_PFN])[(P2M_VADDR >> 12) & 511] =
        mkpte(guest_mfn(P2M_PFN), PTE_GUEST);

    SET_FIELD(&shinfo, arch.max_pfn, nr_pfns, width);
    SET_FIELD(&shinfo, arch.pfn_to_mfn_frame_list_list,
              p2m_cr3 ? 0 : guest_mfn(FLL_PFN), width);
    SET_FIELD(&shinfo, arch.p2m_cr3, p2m_cr3, width);
    SET_FIELD(&shinfo, arch.p2m_vaddr, p2m_vaddr, width);
}

/* What save_ops_x86_pv.setup() did with the guest's p2m. */
static struct {
    int rc, err;
    unsigned long p2m_size;
    unsigned int p2m_frames;
    xen_pfn_t p2m_pfn0;
} saved;

/* save_ops_x86_pv.setup(), as at the start of a save. */
static void save_setup(void)
{
    memset(&saved, 0, sizeof(saved));

    errno = 0;
    saved.rc = save_ops_x86_pv.setup(&ctx);
    saved.err = errno;
    saved.p2m_size = ctx.save.p2m_size;
    saved.p2m_frames = ctx.x86.pv.p2m_frames;
    if ( ctx.x86.pv.p2m_pfns )
        saved.p2m_pfn0 = ctx.x86.pv.p2m_pfns[0];
}

/* The save's setup maps a p2m of NR_PFNS pfns: one leaf, at P2M_PFN. */
static const char *expect_p2m_mapped(void)
{
    const char *res = reason;

    save_setup();
    CHECK(saved.rc == 0, "rc %d errno %d: %s", saved.rc, saved.err,
          flatlog());
    CHECK(saved.p2m_size == NR_PFNS && saved.p2m_frames == 1 &&
          saved.p2m_pfn0 == P2M_PFN,
          "p2m of %lu pfns in %u frames from pfn %#"PRIpfn
          "; want %u in 1 from %#x",
          saved.p2m_size, saved.p2m_frames, saved.p2m_pfn0, NR_PFNS,
          P2M_PFN);
    res = NULL;
 out:
    return res;
}

/* A well-formed frame list list, of a 64-bit guest and of a 32-bit one. */
static const char *test_p2m_tree_mapped(void)
{
    publish_p2m(8, NR_PFNS, 0, 0);

    return expect_p2m_mapped();
}

static const char *test_p2m_tree_32bit_mapped(void)
{
    publish_p2m(4, NR_PFNS, 0, 0);

    return expect_p2m_mapped();
}

/* A well-formed linear p2m, through the guest's pagetables. */
static const char *test_p2m_list_mapped(void)
{
    publish_p2m(8, NR_PFNS, mkpte(guest_mfn(PT_L4_PFN), 0), P2M_VADDR);

    return expect_p2m_mapped();
}

/*
 * A suspended 64-bit guest, its p2m mapped, whose vCPU 0 has its pagetables
 * at PT_L4_PFN and says where its start info is (the suspend record) in rdx.
 */
static const char *setup_vcpu(xen_pfn_t start_mfn)
{
    const char *res = reason;

    publish_p2m(8, NR_PFNS, 0, 0);
    save_setup();
    CHECK(saved.rc == 0, "setup: rc %d errno %d: %s", saved.rc, saved.err,
          flatlog());
    vcpu.x64.ctrlreg[3] = mkpte(guest_mfn(PT_L4_PFN), 0);
    vcpu.x64.user_regs.rdx = start_mfn;
    res = NULL;
 out:
    return res;
}

/* The vCPU's frames go into the stream as pfns. */
static const char *test_vcpu_frames_converted(void)
{
    const struct xc_sr_rec_x86_pv_vcpu_hdr *vhdr;
    const vcpu_guest_context_x86_64_t *v;
    const char *res = setup_vcpu(guest_mfn(START_PFN));
    uint32_t length;
    int rc;

    if ( res )
        return res;
    res = reason;

    rc = save_ops_x86_pv.end_of_checkpoint(&ctx);
    CHECK(rc == 0, "rc %d errno %d: %s", rc, errno, flatlog());
    vhdr = find_record(REC_TYPE_X86_PV_VCPU_BASIC, &length);
    CHECK(vhdr && length == sizeof(*vhdr) + sizeof(*v),
          "no X86_PV_VCPU_BASIC record of the right size");
    v = (const void *)(vhdr + 1);
    CHECK(vhdr->vcpu_id == 0 && v->ctrlreg[3] == mkpte(PT_L4_PFN, 0) &&
          v->user_regs.rdx == START_PFN,
          "vcpu%u: cr3 %#"PRIx64", rdx %#"PRIx64"; want vcpu0: %#"PRIx64
          ", %#x", vhdr->vcpu_id, v->ctrlreg[3], v->user_regs.rdx,
          mkpte(PT_L4_PFN, 0), START_PFN);
    res = NULL;
 out:
    return res;
}

/* A vCPU state naming a frame that is not the guest's fails the save. */
static const char *expect_vcpu_fail(int err, const char *msg)
{
    const char *res = reason;
    int rc, saved_errno;

    errno = 0;
    rc = save_ops_x86_pv.end_of_checkpoint(&ctx);
    saved_errno = errno;
    CHECK(rc != 0, "rc %d, want failure", rc);
    CHECK(saved_errno == err, "errno %d (%s), want %d (%s); log: %s",
          saved_errno, strerror(saved_errno), err, strerror(err), flatlog());
    CHECK(strstr(errlog, msg), "no \"%s\" in the log: %s", msg, flatlog());
    res = NULL;
 out:
    return res;
}

static const char *test_vcpu_start_info_not_guests(void)
{
    return setup_vcpu(XEN_MFN) ?:
           expect_vcpu_fail(ERANGE, "Bad mfn for suspend record");
}

static const struct {
    const char *name;
    const char *(*fn)(void);
} tests[] = {
    { "p2m-tree-mapped", test_p2m_tree_mapped },
    { "p2m-tree-32bit-mapped", test_p2m_tree_32bit_mapped },
    { "p2m-list-mapped", test_p2m_list_mapped },
    { "vcpu-frames-converted", test_vcpu_frames_converted },
    { "vcpu-start-info-not-guests", test_vcpu_start_info_not_guests },
};

/* Run case i in a child; whether it passed. */
static bool run_case(unsigned int i, bool verbose)
{
    int status;
    pid_t pid;

    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if ( pid < 0 )
    {
        printf("%s: fork: %s\n", tests[i].name, strerror(errno));
        return false;
    }
    if ( pid == 0 )
    {
        const char *res;

        if ( verbose )
            printf("%s\n", tests[i].name);
        res = tests[i].fn();
        if ( res )
            printf("%s: %s\n", tests[i].name, res);
        if ( verbose && errlog_len )
            fprintf(stderr, "%s", errlog);
        exit(res ? 1 : 0);
    }

    if ( waitpid(pid, &status, 0) != pid )
    {
        printf("%s: waitpid: %s\n", tests[i].name, strerror(errno));
        return false;
    }
    if ( WIFSIGNALED(status) )
        printf("%s: killed by signal %d (%s)\n", tests[i].name,
               WTERMSIG(status), strsignal(WTERMSIG(status)));

    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(int argc, char *argv[])
{
    unsigned int i, nr_failures = 0;
    bool verbose = argc > 1 && !strcmp(argv[1], "-v");

    for ( i = 0; i < ARRAY_SIZE(tests); i++ )
        if ( !run_case(i, verbose) )
            nr_failures++;

    if ( nr_failures )
        printf("%u of %zu cases failed\n", nr_failures, ARRAY_SIZE(tests));

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
