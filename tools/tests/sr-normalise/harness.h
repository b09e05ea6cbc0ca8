/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Unit tests of libxenguest's PV save code.
 *
 * Included (-include) into libxenguest's sources under test, built from the
 * tree: the libxenctrl calls of theirs that need a hypervisor are answered
 * by the test's synthetic host instead.  Every other call they make goes to
 * the tree's libxenctrl and libxenguest, linked as they are.
 */

#ifndef _TEST_HARNESS_
#define _TEST_HARNESS_

#define xc_maximum_ram_page         host_maximum_ram_page
#define xc_machphys_mfn_list        host_machphys_mfn_list
#define xc_machphys_compat_mfn_list host_machphys_compat_mfn_list
#define xc_map_foreign_ranges       host_map_foreign_ranges

#endif

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * indent-tabs-mode: nil
 * End:
 */
