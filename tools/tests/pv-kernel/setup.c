/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot, console, verdict and exception handling of a PV test kernel.
 */
#include "hypercall.h"

#include <public/version.h>

#ifndef PV_KERNEL_ENV
# error "PV_KERNEL_ENV (the name of the environment) must be defined"
#endif

const start_info_t *start_info;
struct xen_machphys_mapping machphys;

static unsigned int failures;

/*
 * The console domain (dom0) may write to Xen's console directly; a domU
 * writes to its console ring once that is mapped.
 */
static void console_write(const char *buf, size_t len)
{
    if ( !console_ring_write(buf, len) )
        HYPERVISOR_console_io(CONSOLEIO_write, len, buf);
}

void vprintk(const char *fmt, va_list args)
{
    char buf[512];
    int len = vsnprintf(buf, sizeof(buf), fmt, args);

    if ( len >= (int)sizeof(buf) )
        len = sizeof(buf) - 1;
    console_write(buf, len);
}

void printk(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    vprintk(fmt, args);
    va_end(args);
}

void fail(const char *fmt, ...)
{
    va_list args;

    failures++;
    printk("Failure: ");
    va_start(args, fmt);
    vprintk(fmt, args);
    va_end(args);
    printk("\n");
}

unsigned int nr_failures(void)
{
    return failures;
}

static void __noreturn shutdown(unsigned int reason)
{
    struct sched_shutdown arg = { .reason = reason };

    for ( ; ; )
    {
        long rc = HYPERVISOR_sched_op(SCHEDOP_shutdown, &arg);

        /* Not reached unless Xen refused: say so, then crash. */
        printk("SCHEDOP_shutdown(%u) returned %ld\n", reason, rc);
        arg.reason = SHUTDOWN_crash;
    }
}

void test_finish(void)
{
    printk("Test result: %s\n", failures ? "FAILURE" : "SUCCESS");
    shutdown(SHUTDOWN_poweroff);
}

bool cmdline_has(const char *word)
{
    const char *p = (const char *)start_info->cmd_line;
    const char *end = p + strnlen(p, sizeof(start_info->cmd_line));
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

/* The frame do_trap() gets from the stubs in traps.S. */
struct trap_frame {
    unsigned long vector, error_code, ip, cs, flags;
};

static const char *const trap_names[32] = {
    [0] = "#DE", [1] = "#DB", [2] = "NMI", [3] = "#BP", [4] = "#OF",
    [5] = "#BR", [6] = "#UD", [7] = "#NM", [8] = "#DF", [10] = "#TS",
    [11] = "#NP", [12] = "#SS", [13] = "#GP", [14] = "#PF", [16] = "#MF",
    [17] = "#AC", [18] = "#MC", [19] = "#XM", [20] = "#VE", [21] = "#CP",
};

static unsigned long read_cr2(void)
{
    unsigned long cr2;

    /* Emulated by Xen for a PV kernel: the address of the last #PF. */
    asm volatile ( "mov %%cr2, %0" : "=r" (cr2) );

    return cr2;
}

void __noreturn do_trap(const struct trap_frame *f);
void do_trap(const struct trap_frame *f)
{
    static bool in_trap;
    const char *name = f->vector < 32 ? trap_names[f->vector] : NULL;

    if ( in_trap )
        shutdown(SHUTDOWN_crash);
    in_trap = true;

    failures++;
    /* The bits of cs above 15 hold Xen's saved event mask: not shown. */
    printk("Failure: unexpected exception %s (vector %lu) error code %#lx "
           "at %04lx:%p", name ?: "?", f->vector, f->error_code,
           f->cs & 0xffff, (void *)f->ip);
    if ( f->vector == 14 )
        printk(" address %p", (void *)read_cr2());
    printk("\n");

    test_finish();
}

extern const unsigned long trap_stubs[32];

static void setup_traps(void)
{
    static trap_info_t traps[32 + 1];
    unsigned int i;
    long rc;

    for ( i = 0; i < 32; i++ )
    {
        traps[i].vector = i;
        traps[i].flags = 4; /* Mask events on entry. */
        traps[i].cs = FLAT_KERNEL_CS;
        traps[i].address = trap_stubs[i];
    }
    /* traps[32] is the terminating entry (address 0). */

    rc = HYPERVISOR_set_trap_table(traps);
    if ( rc )
    {
        fail("framework: HYPERVISOR_set_trap_table() returned %ld", rc);
        test_finish();
    }
}

static unsigned long read_cr3(void)
{
    unsigned long cr3;

    /* Emulated by Xen: the frame of our top-level page table. */
    asm volatile ( "mov %%cr3, %0" : "=r" (cr3) );

    return cr3;
}

/*
 * Check the assumptions the framework makes about the initial mapping,
 * then unmap page 0 so that NULL is an unmapped address.
 */
static void setup_memory(void)
{
    extern const char _start[];
    const uint64_t *l1e;
    unsigned long mfn, cr3_mfn;
    long rc;

    rc = HYPERVISOR_memory_op(XENMEM_machphys_mapping, &machphys);
    if ( rc )
    {
        fail("framework: XENMEM_machphys_mapping returned %ld", rc);
        test_finish();
    }

    mfn = pfn_to_mfn(virt_to_pfn(start_info));
    if ( mfn_to_pfn(mfn) != virt_to_pfn(start_info) )
    {
        fail("framework: M2P[P2M[%#lx]] is %#lx",
             virt_to_pfn(start_info), mfn_to_pfn(mfn));
        test_finish();
    }

    cr3_mfn = xen_cr3_to_pfn(read_cr3());
    mfn = virt_to_mfn((const void *)start_info->pt_base);
    if ( cr3_mfn != mfn )
    {
        fail("framework: CR3 names frame %#lx, pt_base %#lx is frame %#lx",
             cr3_mfn, start_info->pt_base, mfn);
        test_finish();
    }

    l1e = guest_pte((unsigned long)_start, 1);
    mfn = virt_to_mfn(_start);
    if ( !l1e || PTE_MFN(*l1e) != mfn )
    {
        fail("framework: %p is not mapped to frame %#lx (pfn %#lx): "
             "L1 entry %#llx", _start, mfn, virt_to_pfn(_start),
             l1e ? (unsigned long long)*l1e : 0ULL);
        test_finish();
    }

    rc = unmap_page(NULL);
    if ( rc )
    {
        fail("framework: unmapping page 0 failed: %ld", rc);
        test_finish();
    }
}

void __noreturn kernel_start(const start_info_t *si);
void kernel_start(const start_info_t *si)
{
    xen_extraversion_t extra;
    long ver;

    start_info = si;
    setup_traps();
    if ( !is_initial_domain() )
        domu_setup();

    ver = HYPERVISOR_xen_version(XENVER_version, NULL);
    if ( HYPERVISOR_xen_version(XENVER_extraversion, extra) )
        extra[0] = '\0';
    printk("--- PV test kernel (%s): %s ---\n", PV_KERNEL_ENV, test_title);
    printk("Xen %ld.%ld%.*s, %.*s, command line \"%.*s\"\n",
           ver >> 16, ver & 0xffff, (int)sizeof(extra), extra,
           (int)sizeof(si->magic), (const char *)si->magic,
           (int)sizeof(si->cmd_line), (const char *)si->cmd_line);

    setup_memory();

    test_main();
    test_finish();
}
