/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Unit tests of libxenguest's save code for x86 PV guests.
 *
 * Included (-include) into the test and into libxenguest's sources under
 * test, compiled from the tree: every function those sources call outside
 * themselves is renamed here, to be answered by the test's synthetic host
 * and guest instead.  Nothing of the tree's libraries is linked in.
 */

#ifndef _TEST_HARNESS_
#define _TEST_HARNESS_

/* libxenctrl's logging. */
#define xc_report                    host_report
#define xc_report_error              host_report_error
#define xc_strerror                  host_strerror

/* libxenctrl's calls into Xen. */
#define xc__hypercall_buffer_alloc   host_hypercall_buffer_alloc
#define xc__hypercall_buffer_free    host_hypercall_buffer_free
#define xc_domain_get_guest_width    host_domain_get_guest_width
#define xc_domctl                    host_domctl
#define xc_machphys_mfn_list         host_machphys_mfn_list
#define xc_map_foreign_pages         host_map_foreign_pages
#define xc_map_foreign_range         host_map_foreign_range
#define xc_map_foreign_ranges        host_map_foreign_ranges
#define xc_maximum_ram_page          host_maximum_ram_page
#define xc_memory_op                 host_memory_op
#define xc_vcpu_getcontext           host_vcpu_getcontext
#define xc_vcpu_getinfo              host_vcpu_getinfo

/* libxenctrl's stream I/O. */
#define read_exact                   host_read_exact
#define writev_exact                 host_writev_exact

/* The records of xg_sr_common_x86.c. */
#define write_x86_cpu_policy_records host_write_x86_cpu_policy_records
#define write_x86_tsc_info           host_write_x86_tsc_info

#endif

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * indent-tabs-mode: nil
 * End:
 */
