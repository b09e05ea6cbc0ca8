/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pause-probe.so: an LD_PRELOAD shim for the dom0 test of xen-mfndump's
 * check-xen-slots (scripts/dom0/tests/xen-mfndump.sh), to see from outside
 * the program what it does to the guest it reads.
 *
 * Each time the program maps frames of domain $PAUSE_PROBE_DOMID or gets
 * the context of one of its vCPUs, the shim asks Xen whether that domain
 * is paused, and prints on stderr
 *     pause-probe: <what> of domain <domid> while paused
 * or  pause-probe: <what> of domain <domid> while RUNNING
 * where a mapping is said to be "read-only" or "WRITABLE".
 * With PAUSE_PROBE_FAIL=N, the Nth of those calls fails (EIO) instead;
 * with PAUSE_PROBE_FAIL=pause, pausing the domain fails (EOVERFLOW, as
 * when Xen's count of the toolstack's pauses is at its limit), to drive
 * the program's error paths; with PAUSE_PROBE_FAIL=SIGINT or SIGTERM, the
 * first of those calls sends the program that signal, as a user would
 * while the domain is paused.  Each injected failure is said on stderr.
 */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xenctrl.h>
#include <xenforeignmemory.h>

static long watched = -1;       /* the domain id, once read */
static unsigned long nr_calls;  /* maps and context reads of it */

static int watching(uint32_t domid)
{
    const char *id;

    if ( watched == -1 )
    {
        id = getenv("PAUSE_PROBE_DOMID");
        watched = id ? strtol(id, NULL, 10) : -2;
    }

    return watched == domid;
}

/* Whether the PAUSE_PROBE_FAIL asks for this one to fail. */
static int fail_this(const char *what)
{
    const char *fail = getenv("PAUSE_PROBE_FAIL");

    if ( !fail || strcmp(fail, what) )
        return 0;
    fprintf(stderr, "pause-probe: failing %s\n", what);

    return 1;
}

/* Print whether the watched domain is paused; 1 if this call must fail. */
static int probe(const char *what)
{
    static xc_interface *xch;
    xc_domaininfo_t info;
    char nth[24];

    if ( !xch )
        xch = xc_interface_open(NULL, NULL, 0);
    if ( !xch || xc_domain_getinfo_single(xch, watched, &info) < 0 )
        fprintf(stderr, "pause-probe: %s of domain %ld: no domain info: "
                "%s\n", what, watched, strerror(errno));
    else
        fprintf(stderr, "pause-probe: %s of domain %ld while %s\n", what,
                watched,
                (info.flags & XEN_DOMINF_paused) ? "paused" : "RUNNING");

    snprintf(nth, sizeof(nth), "%lu", ++nr_calls);
    if ( nr_calls == 1 && fail_this("SIGINT") )
        kill(getpid(), SIGINT);
    if ( nr_calls == 1 && fail_this("SIGTERM") )
        kill(getpid(), SIGTERM);

    return fail_this(nth);
}

void *xenforeignmemory_map(xenforeignmemory_handle *fmem, uint32_t dom,
                           int prot, size_t pages, const xen_pfn_t arr[],
                           int err[])
{
    static void *(*next)(xenforeignmemory_handle *, uint32_t, int, size_t,
                         const xen_pfn_t [], int []);

    if ( watching(dom) &&
         probe(prot & PROT_WRITE ? "mapping frames WRITABLE"
                                 : "mapping frames read-only") )
    {
        errno = EIO;
        return NULL;
    }
    if ( !next )
        next = dlsym(RTLD_NEXT, "xenforeignmemory_map");

    return next(fmem, dom, prot, pages, arr, err);
}

int xc_vcpu_getcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu,
                       vcpu_guest_context_any_t *ctxt)
{
    static int (*next)(xc_interface *, uint32_t, uint32_t,
                       vcpu_guest_context_any_t *);

    if ( watching(domid) && probe("getting a vCPU context") )
    {
        errno = EIO;
        return -1;
    }
    if ( !next )
        next = dlsym(RTLD_NEXT, "xc_vcpu_getcontext");

    return next(xch, domid, vcpu, ctxt);
}

int xc_domain_pause(xc_interface *xch, uint32_t domid)
{
    static int (*next)(xc_interface *, uint32_t);

    if ( watching(domid) && fail_this("pause") )
    {
        errno = EOVERFLOW;
        return -1;
    }
    if ( !next )
        next = dlsym(RTLD_NEXT, "xc_domain_pause");

    return next(xch, domid);
}
