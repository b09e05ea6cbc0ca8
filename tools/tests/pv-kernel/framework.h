/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal framework for PV test kernels: what a test's main.c may use.
 *
 * The kernel is started by Xen's PV domain builder (normally as dom0 under
 * QEMU; as a domU by xl for tests of the toolstack), keeps the builder's
 * page tables, prints through HYPERVISOR_console_io() (dom0) or its
 * console ring (domU) and ends with SCHEDOP_shutdown.  A test provides
 *
 *     const char test_title[] = "...";
 *     void test_main(void);
 *
 * and reports problems with fail().  After test_main() returns, the
 * framework prints exactly one verdict line, "Test result: SUCCESS" or
 * "Test result: FAILURE", and powers the domain off.  An unexpected
 * exception prints a line naming it and gives the FAILURE verdict too.
 */
#ifndef PV_KERNEL_FRAMEWORK_H
#define PV_KERNEL_FRAMEWORK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <public/xen.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/memory.h>

#define PAGE_SHIFT      12
#define PAGE_SIZE       (1UL << PAGE_SHIFT)
#define PAGE_MASK       (~(PAGE_SIZE - 1))

/* Architectural page table entry bits (not Xen ABI, hence defined here). */
#define _PAGE_PRESENT   0x001ULL
#define _PAGE_RW        0x002ULL
#define _PAGE_USER      0x004ULL
#define _PAGE_ACCESSED  0x020ULL
#define _PAGE_DIRTY     0x040ULL
#define _PAGE_PSE       0x080ULL
/* Bits 12-51: the frame number of a 64-bit (long mode or PAE) entry. */
#define PTE_FRAME_MASK  0x000ffffffffff000ULL
#define PTE_MFN(pte)    (((pte) & PTE_FRAME_MASK) >> PAGE_SHIFT)

#define ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))
#define __aligned(a)    __attribute__((__aligned__(a)))
#define __noreturn      __attribute__((__noreturn__))
#define __printf(f, a)  __attribute__((__format__(__printf__, f, a)))

/* The start_info page the domain builder handed over. */
extern const start_info_t *start_info;

/* Provided by the test. */
extern const char test_title[];
void test_main(void);

/* Output; printk() and vprintk() understand a useful subset of printf(). */
void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list args);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/*
 * Record a failed check: prints one "Failure: ..." line (the message
 * should name the values involved) and makes the verdict FAILURE.
 */
void fail(const char *fmt, ...) __printf(1, 2);
unsigned int nr_failures(void);

/* Print the verdict and power off (or crash if that fails). */
void __noreturn test_finish(void);

/* Whether the kernel command line holds the word @word. */
bool cmdline_has(const char *word);

/* String functions (the compiler may also emit calls to the mem* ones). */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/*
 * Memory.  The domain builder maps the initial region so that pseudo-
 * physical frame N is at virtual address N * PAGE_SIZE (the ELF notes set
 * VIRT_BASE to 0); the framework checks this at boot and unmaps page 0,
 * so a NULL pointer is an unmapped address.
 */
static inline unsigned long virt_to_pfn(const void *va)
{
    return (unsigned long)va >> PAGE_SHIFT;
}

static inline void *pfn_to_virt(unsigned long pfn)
{
    return (void *)(pfn << PAGE_SHIFT);
}

/* The guest's own P2M (start_info->mfn_list) and Xen's M2P. */
unsigned long pfn_to_mfn(unsigned long pfn);
unsigned long mfn_to_pfn(unsigned long mfn);
unsigned long virt_to_mfn(const void *va);

/*
 * Where Xen maps the (read-only, guest-visible) M2P table for this guest:
 * XENMEM_machphys_mapping, read at boot.
 */
extern struct xen_machphys_mapping machphys;

/*
 * The entry of level @level (1: L1 ... 4: L4, 3: L3 for PAE) that maps
 * @va, found by walking the guest's own page tables from
 * start_info->pt_base (page tables are mapped read-only in the initial
 * region).  NULL if a higher level entry is not present or a superpage.
 */
const uint64_t *guest_pte(unsigned long va, unsigned int level);

/*
 * Change the mapping of the page at @va (page aligned) with
 * HYPERVISOR_update_va_mapping{,_otherdomain}(), flushing the local TLB.
 * remap_page: map frame @mfn owned by @owner (DOMID_SELF for our own, or
 * DOMID_XEN, ...) with PTE flags @flags.  Returns 0 or -XEN_E*.
 */
long remap_page(void *va, uint64_t mfn, uint64_t flags, domid_t owner);
/* Map our own pseudo-physical frame back, writable, at its home @va. */
long restore_page(void *va);
/* Make @va read-only / unmapped; restore_page() undoes either. */
long protect_page(void *va);
long unmap_page(void *va);

/*
 * A kernel started as a domU (no SIF_INITDOMAIN) writes to Xen's console
 * in vain: at boot the framework maps its shared_info page and its PV
 * console ring, and printk() writes to that ring (xenconsoled shows it).
 * The rest of this section is for such kernels.
 */
bool is_initial_domain(void);

/* The shared_info page, or NULL while unmapped (across a suspend). */
extern shared_info_t *shared_info;

/* Xen's system time in nanoseconds, from vCPU 0's time info. */
#define NSEC_PER_MSEC   1000000ULL
#define NSEC_PER_SEC    1000000000ULL
uint64_t system_time_ns(void);

/* Notify the other end of event channel @port.  0 or -XEN_E*. */
long evtchn_notify(evtchn_port_t port);
/*
 * Wait (SCHEDOP_poll, events stay masked) until @port is pending or
 * @timeout_ns passed.  Clears the port; returns whether it was pending.
 */
bool evtchn_wait(evtchn_port_t port, uint64_t timeout_ns);

/*
 * A xenstore client on the ring of start_info->store_mfn.  A path is
 * absolute, or relative to the domain's home (/local/domain/<domid>).
 * Each call waits for xenstored's answer (up to XS_TIMEOUT_NS) and
 * returns 0 or a length on success, -XEN_E* on failure (xenstored's
 * errors translated, -XEN_ETIMEDOUT, -XEN_ENOBUFS if @size is too
 * small).
 */
#define XS_TIMEOUT_NS   (60 * NSEC_PER_SEC)
/* Read @path as a NUL-terminated string into @buf; returns its length. */
int xs_read(const char *path, char *buf, size_t size);
int xs_write(const char *path, const char *value);
/*
 * Watch @path (at most XS_MAX_WATCHES; they are registered again after a
 * resume).  xenstored fires each watch once when it is set.
 */
#define XS_MAX_WATCHES  4
int xs_watch(const char *path);
/*
 * Wait up to @timeout_ns (0: just look) for a watch event; true if one
 * arrived since the last call.  Which watch fired is not kept: read the
 * watched nodes again.
 */
bool xs_watch_fired(uint64_t timeout_ns);

/*
 * Suspend support (xl save / xl migrate).  The save code needs the
 * guest's P2M: p2m_publish() writes a frame list list for the P2M at
 * start_info->mfn_list into shared_info (arch.max_pfn,
 * arch.pfn_to_mfn_frame_list_list); it is published again after each
 * resume.  0 or -XEN_E*.
 */
long p2m_publish(void);
/*
 * Suspend the domain (SCHEDOP_shutdown(SHUTDOWN_suspend), after making
 * start_info and the page tables what the toolstack expects), then
 * reconnect: map the new shared_info, take the console and xenstore
 * rings and event channels from the rewritten start_info, register the
 * xenstore watches again, publish the P2M again if it was.  Returns 0
 * when resumed in a new domain, 1 when the suspend was cancelled (still
 * the same domain), -XEN_E* if Xen refused.  The caller should answer
 * the toolstack's request first (xs_write("control/shutdown", "")).
 */
long suspend_domain(void);

/* Framework internals: setup.c and domu.c. */
void domu_setup(void);
bool console_ring_write(const char *buf, size_t len);

#endif /* PV_KERNEL_FRAMEWORK_H */
