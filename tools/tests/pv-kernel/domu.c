/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a PV test kernel needs to run as a domU under a toolstack: the
 * shared_info page, system time, event channels, the PV console ring, a
 * minimal xenstore client, and suspend/resume (P2M publication included).
 *
 * Everything is polled: event channels stay masked, no upcall is ever
 * delivered, and waiting is SCHEDOP_poll with a timeout.
 */
#include "hypercall.h"

#include <public/io/console.h>
#include <public/io/xs_wire.h>

#define barrier()       asm volatile ( "" ::: "memory" )
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))

/* Where the foreign-owned or special frames are mapped. */
static uint8_t shared_info_page[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t console_page[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t store_page[PAGE_SIZE] __aligned(PAGE_SIZE);

shared_info_t *shared_info;

static struct xencons_interface *console_ring;
static evtchn_port_t console_port;

static struct xenstore_domain_interface *store_ring;
static evtchn_port_t store_port;
static uint32_t store_req_id;
static bool store_watch_event;
static char store_watches[XS_MAX_WATCHES][64];

static bool p2m_published;

bool is_initial_domain(void)
{
    return start_info->flags & SIF_INITDOMAIN;
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    asm volatile ( "rdtsc" : "=a" (lo), "=d" (hi) );

    return ((uint64_t)hi << 32) | lo;
}

/* (delta << shift) * mul >> 32, without a 128-bit product. */
static uint64_t scale_delta(uint64_t delta, uint32_t mul, int8_t shift)
{
    if ( shift < 0 )
        delta >>= -shift;
    else
        delta <<= shift;

    return (uint64_t)(uint32_t)(delta >> 32) * mul +
           (((uint64_t)(uint32_t)delta * mul) >> 32);
}

uint64_t system_time_ns(void)
{
    const volatile struct vcpu_time_info *t;
    uint32_t version, mul;
    uint64_t tsc_stamp, sys;
    int8_t shift;

    if ( !shared_info )
        return 0;
    t = &shared_info->vcpu_info[0].time;

    do {
        version = t->version;
        barrier();
        tsc_stamp = t->tsc_timestamp;
        sys = t->system_time;
        mul = t->tsc_to_system_mul;
        shift = t->tsc_shift;
        barrier();
    } while ( (version & 1) || version != t->version );

    return sys + scale_delta(rdtsc() - tsc_stamp, mul, shift);
}

long evtchn_notify(evtchn_port_t port)
{
    struct evtchn_send send = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_send, &send);
}

/* Atomically clear @port's pending bit; whether it was set. */
static bool evtchn_test_and_clear(evtchn_port_t port)
{
    const unsigned int bits = sizeof(xen_ulong_t) * 8;
    xen_ulong_t mask = (xen_ulong_t)1 << (port % bits);

    return __atomic_fetch_and(&shared_info->evtchn_pending[port / bits],
                              ~mask, __ATOMIC_SEQ_CST) & mask;
}

bool evtchn_wait(evtchn_port_t port, uint64_t timeout_ns)
{
    struct sched_poll poll = { .nr_ports = 1 };

    if ( !shared_info )
        return false;
    if ( evtchn_test_and_clear(port) )
        return true;

    set_xen_guest_handle(poll.ports, &port);
    poll.timeout = system_time_ns() + timeout_ns;
    HYPERVISOR_sched_op(SCHEDOP_poll, &poll);

    return evtchn_test_and_clear(port);
}

static long map_shared_info(void)
{
    long rc = remap_page(shared_info_page,
                         start_info->shared_info >> PAGE_SHIFT,
                         _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED |
                         _PAGE_DIRTY, DOMID_SELF);

    if ( rc )
        return rc;
    shared_info = (shared_info_t *)shared_info_page;
    /* Never deliver an upcall: this kernel has no event callback. */
    shared_info->vcpu_info[0].evtchn_upcall_mask = 1;

    return 0;
}

/* Map our own frame back: the save code refuses a foreign frame. */
static long unmap_shared_info(void)
{
    shared_info = NULL;

    return restore_page(shared_info_page);
}

/* Map the ring page of frame @mfn at @page; the page or NULL. */
static void *map_ring(void *page, unsigned long mfn)
{
    if ( remap_page(page, mfn, _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED |
                    _PAGE_DIRTY, DOMID_SELF) )
        return NULL;

    return page;
}

static void console_connect(void)
{
    console_port = start_info->console.domU.evtchn;
    console_ring = map_ring(console_page, start_info->console.domU.mfn);
}

/*
 * Append to the console ring.  xenconsoled may not be connected yet (or
 * no longer): wait up to 10s for room, then drop the rest.
 */
bool console_ring_write(const char *buf, size_t len)
{
    struct xencons_interface *intf = console_ring;
    XENCONS_RING_IDX prod;
    uint64_t deadline = 0;

    if ( !intf )
        return false;

    prod = intf->out_prod;
    while ( len )
    {
        if ( prod - intf->out_cons >= sizeof(intf->out) )
        {
            uint64_t now = system_time_ns();

            barrier();
            intf->out_prod = prod;
            evtchn_notify(console_port);
            if ( !deadline )
                deadline = now + 10 * NSEC_PER_SEC;
            else if ( !now || now > deadline )
                break;
            evtchn_wait(console_port, 10 * NSEC_PER_MSEC);
            barrier();
            continue;
        }
        intf->out[MASK_XENCONS_IDX(prod, intf->out)] = *buf++;
        prod++;
        len--;
    }
    barrier();
    intf->out_prod = prod;
    evtchn_notify(console_port);

    return true;
}

static void store_connect(void)
{
    store_port = start_info->store_evtchn;
    store_ring = map_ring(store_page, start_info->store_mfn);
}

/*
 * Copy @len bytes into the request ring, or (@get) out of the response
 * ring (@data NULL: discard them).  0 or -XEN_ETIMEDOUT.
 */
static int store_copy(void *data, size_t len, bool get, uint64_t deadline)
{
    struct xenstore_domain_interface *intf = store_ring;
    uint8_t *p = data;

    while ( len )
    {
        XENSTORE_RING_IDX cons, prod;
        size_t n;

        if ( get )
        {
            cons = intf->rsp_cons;
            prod = intf->rsp_prod;
            barrier();      /* the data after the index */
            n = prod - cons;
        }
        else
        {
            cons = intf->req_cons;
            prod = intf->req_prod;
            n = XENSTORE_RING_SIZE - (prod - cons);
        }
        if ( n > XENSTORE_RING_SIZE )
            return -XEN_EIO;            /* indexes corrupt */

        if ( !n )
        {
            if ( system_time_ns() > deadline )
                return -XEN_ETIMEDOUT;
            evtchn_wait(store_port, 100 * NSEC_PER_MSEC);
            continue;
        }

        for ( ; n && len; n--, len-- )
        {
            if ( get )
            {
                char c = intf->rsp[MASK_XENSTORE_IDX(cons++)];

                if ( p )
                    *p++ = c;
            }
            else
                intf->req[MASK_XENSTORE_IDX(prod++)] = *p++;
        }
        barrier();      /* the data before the index */
        if ( get )
            intf->rsp_cons = cons;
        else
            intf->req_prod = prod;
        evtchn_notify(store_port);
    }

    return 0;
}

/*
 * Read one message: its header into @hdr, up to @size - 1 bytes of its
 * payload into @buf (NUL-terminated; the rest is dropped).
 */
static int store_get_msg(struct xsd_sockmsg *hdr, char *buf, size_t size,
                         uint64_t deadline)
{
    size_t n;
    int rc = store_copy(hdr, sizeof(*hdr), true, deadline);

    if ( rc )
        return rc;
    if ( hdr->len > XENSTORE_PAYLOAD_MAX )
        return -XEN_EIO;

    n = hdr->len < size ? hdr->len : size - 1;
    rc = store_copy(buf, n, true, deadline);
    if ( !rc )
        rc = store_copy(NULL, hdr->len - n, true, deadline);
    buf[n] = '\0';

    if ( !rc && hdr->type == XS_WATCH_EVENT )
        store_watch_event = true;

    return rc;
}

/* xenstored's error names, for the ones a test may meet. */
static int store_errno(const char *name)
{
    static const struct {
        const char *name;
        int err;
    } errs[] = {
        { "EINVAL", XEN_EINVAL }, { "EACCES", XEN_EACCES },
        { "EEXIST", XEN_EEXIST }, { "EISDIR", XEN_EISDIR },
        { "ENOENT", XEN_ENOENT }, { "ENOMEM", XEN_ENOMEM },
        { "ENOSPC", XEN_ENOSPC }, { "EIO", XEN_EIO },
        { "ENOTEMPTY", XEN_ENOTEMPTY }, { "ENOSYS", XEN_ENOSYS },
        { "EROFS", XEN_EROFS }, { "EBUSY", XEN_EBUSY },
        { "EAGAIN", XEN_EAGAIN }, { "EISCONN", XEN_EISCONN },
        { "E2BIG", XEN_E2BIG }, { "EPERM", XEN_EPERM },
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(errs); i++ )
        if ( !strcmp(name, errs[i].name) )
            return -errs[i].err;

    return -XEN_EIO;
}

/*
 * Send request @type made of @nr strings (each sent with its NUL unless
 * it is the last of an XS_WRITE) and wait for its reply: payload in @buf.
 * Returns the payload's length or -XEN_E*.
 */
static int store_request(uint32_t type, const char *const parts[],
                         unsigned int nr, char *buf, size_t size)
{
    struct xsd_sockmsg hdr = { .type = type, .req_id = ++store_req_id };
    uint64_t deadline;
    size_t lens[3];
    unsigned int i;
    int rc;

    if ( !store_ring || !shared_info )
        return -XEN_ENODEV;
    if ( nr > ARRAY_SIZE(lens) )
        return -XEN_EINVAL;

    for ( i = 0; i < nr; i++ )
    {
        lens[i] = strlen(parts[i]) + !(type == XS_WRITE && i == nr - 1);
        hdr.len += lens[i];
    }
    if ( hdr.len > XENSTORE_PAYLOAD_MAX )
        return -XEN_E2BIG;

    deadline = system_time_ns() + XS_TIMEOUT_NS;
    rc = store_copy(&hdr, sizeof(hdr), false, deadline);
    for ( i = 0; !rc && i < nr; i++ )
        rc = store_copy((void *)parts[i], lens[i], false, deadline);

    while ( !rc )
    {
        struct xsd_sockmsg reply;

        rc = store_get_msg(&reply, buf, size, deadline);
        if ( rc )
            break;
        /* Watch events, and replies to requests a suspend cut short. */
        if ( reply.type == XS_WATCH_EVENT || reply.req_id != hdr.req_id )
            continue;
        if ( reply.type == XS_ERROR )
            return store_errno(buf);
        if ( reply.type != type )
            return -XEN_EIO;

        return reply.len < size ? (int)reply.len : -XEN_ENOBUFS;
    }

    return rc;
}

int xs_read(const char *path, char *buf, size_t size)
{
    const char *parts[] = { path };

    return store_request(XS_READ, parts, 1, buf, size);
}

int xs_write(const char *path, const char *value)
{
    const char *parts[] = { path, value };
    char ok[4];
    int rc = store_request(XS_WRITE, parts, 2, ok, sizeof(ok));

    return rc < 0 ? rc : 0;
}

static int store_watch(const char *path)
{
    /* The token is not used: any event means "read again". */
    const char *parts[] = { path, "pv-kernel" };
    char ok[4];
    int rc = store_request(XS_WATCH, parts, 2, ok, sizeof(ok));

    return rc < 0 ? rc : 0;
}

int xs_watch(const char *path)
{
    unsigned int i;
    int rc;

    if ( strlen(path) >= sizeof(store_watches[0]) )
        return -XEN_ENAMETOOLONG;
    for ( i = 0; i < XS_MAX_WATCHES && store_watches[i][0]; i++ )
        ;
    if ( i == XS_MAX_WATCHES )
        return -XEN_ENOSPC;

    rc = store_watch(path);
    if ( !rc )
        memcpy(store_watches[i], path, strlen(path) + 1);

    return rc;
}

bool xs_watch_fired(uint64_t timeout_ns)
{
    uint64_t now = system_time_ns(), deadline = now + timeout_ns;

    if ( !store_ring || !shared_info )
        return false;

    for ( ; ; )
    {
        /* Take whatever xenstored sent: watch events, stale replies. */
        while ( store_ring->rsp_prod != store_ring->rsp_cons )
        {
            struct xsd_sockmsg hdr;
            char buf[4];

            if ( store_get_msg(&hdr, buf, sizeof(buf),
                               system_time_ns() + XS_TIMEOUT_NS) )
                break;
        }
        if ( store_watch_event )
        {
            store_watch_event = false;
            return true;
        }
        if ( now >= deadline )
            return false;
        evtchn_wait(store_port, deadline - now);
        now = system_time_ns();
    }
}

/*
 * The new domain's xenstored connection knows nothing of the old one:
 * drop what the old one left in the response ring, watch again.
 */
static void store_resume(void)
{
    unsigned int i;
    int rc;

    store_connect();
    if ( !store_ring )
        return;
    store_ring->rsp_cons = store_ring->rsp_prod;
    for ( i = 0; i < XS_MAX_WATCHES && store_watches[i][0]; i++ )
    {
        rc = store_watch(store_watches[i]);
        if ( rc )
            fail("framework: watching %s again after resume: %d",
                 store_watches[i], rc);
    }
}

/* Frame lists of the P2M: room for 4 frame list pages (1 GiB or more). */
#define P2M_FPP         (PAGE_SIZE / sizeof(unsigned long))
#define P2M_FL_PAGES    4
static unsigned long p2m_fll[P2M_FPP] __aligned(PAGE_SIZE);
static unsigned long p2m_fl[P2M_FL_PAGES][P2M_FPP] __aligned(PAGE_SIZE);

long p2m_publish(void)
{
    const char *p2m = (const char *)start_info->mfn_list;
    unsigned long nr = start_info->nr_pages, i;
    unsigned long leaves = DIV_ROUND_UP(nr, P2M_FPP);
    unsigned long mids = DIV_ROUND_UP(leaves, P2M_FPP);

    if ( !shared_info )
        return -XEN_ENODEV;
    if ( (unsigned long)p2m & ~PAGE_MASK )
    {
        fail("framework: P2M at %p is not page aligned", p2m);
        return -XEN_EINVAL;
    }
    if ( mids > P2M_FL_PAGES )
    {
        fail("framework: %lu pages need %lu P2M frame list pages, max %u",
             nr, mids, P2M_FL_PAGES);
        return -XEN_E2BIG;
    }

    memset(p2m_fl, 0, sizeof(p2m_fl));
    memset(p2m_fll, 0, sizeof(p2m_fll));
    for ( i = 0; i < leaves; i++ )
        p2m_fl[i / P2M_FPP][i % P2M_FPP] = virt_to_mfn(p2m + i * PAGE_SIZE);
    for ( i = 0; i < mids; i++ )
        p2m_fll[i] = virt_to_mfn(p2m_fl[i]);

    shared_info->arch.max_pfn = nr;
    barrier();
    shared_info->arch.pfn_to_mfn_frame_list_list = virt_to_mfn(p2m_fll);
    p2m_published = true;

    return 0;
}

long suspend_domain(void)
{
    /* The toolstack reads and rewrites start_info: so do we, here. */
    start_info_t *si = (start_info_t *)start_info;
    unsigned long si_mfn = virt_to_mfn(si);
    long rc, ret;

    if ( is_initial_domain() )
        return -XEN_EPERM;

    /*
     * The restore code takes these two as pfns (and writes the new mfns
     * back), and refuses page tables mapping a frame not the guest's.
     */
    si->store_mfn = mfn_to_pfn(si->store_mfn);
    si->console.domU.mfn = mfn_to_pfn(si->console.domU.mfn);
    rc = unmap_shared_info();
    if ( rc )
        fail("framework: unmapping shared_info: %ld", rc);

    ret = HYPERVISOR_suspend(si_mfn);

    if ( ret != 0 )
    {
        /* Still the same domain: undo. */
        si->store_mfn = pfn_to_mfn(si->store_mfn);
        si->console.domU.mfn = pfn_to_mfn(si->console.domU.mfn);
    }

    rc = map_shared_info();
    if ( rc )
    {
        /* No shared_info, no console: nothing can be reported. */
        struct sched_shutdown arg = { .reason = SHUTDOWN_crash };

        HYPERVISOR_sched_op(SCHEDOP_shutdown, &arg);
    }
    console_connect();
    if ( !ret )
        store_resume();
    if ( p2m_published )
    {
        rc = p2m_publish();
        if ( rc )
            fail("framework: publishing the P2M after resume: %ld", rc);
    }

    return ret;
}

/* At boot, for a domU. */
void domu_setup(void)
{
    if ( !map_shared_info() )
        console_connect();
    store_connect();
}
