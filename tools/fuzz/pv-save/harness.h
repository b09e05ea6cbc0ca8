/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fuzzing of libxenguest's PV save code.
 *
 * Included (-include) into libxenguest's sources under test, built from the
 * tree: every call of theirs that reaches the hypervisor, the guest's memory
 * or the stream is answered by the model of a guest that pv-save-fuzzer.c
 * builds from each input: under the names that the unit tests'
 * harness (tools/tests/sr-normalise/harness.h) gives the calls it hands to
 * their synthetic host, and the rest of the save's.
 */

#ifndef _FUZZ_PV_SAVE_HARNESS_
#define _FUZZ_PV_SAVE_HARNESS_

#include "../../tests/sr-normalise/harness.h"

#define xc_vcpu_getinfo              model_vcpu_getinfo
#define xc_vcpu_getcontext           model_vcpu_getcontext
#define xc_domctl                    model_domctl
#define write_split_record           model_write_split_record
#define write_x86_tsc_info           model_write_x86_tsc_info
#define write_x86_cpu_policy_records model_write_x86_cpu_policy_records
#define munmap                       model_munmap

#endif

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * indent-tabs-mode: nil
 * End:
 */
