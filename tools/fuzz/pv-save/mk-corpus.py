#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Write pv-save-fuzzer's seed corpus: the layouts of real PV guests.

Usage: mk-corpus.py DIR

writes the seeds into DIR.

Each seed is a guest as pv-save-fuzzer.c reads it (see "The input"
there): a 32-bit PAE guest with the Xen slots of its top L2 and a p2m frame
list list, the same with a linear p2m, a 64-bit guest with a linear p2m
(as Linux publishes it), one with a frame list list, larger ones with a
linear p2m that does not start on a GiB and with a frame list list that
ends in a repeated entry; each saved paused, suspended, and live then
suspended, also on a host whose RAM ends on a GiB (and with its p2m's
generation changing while live, for the linear ones).
"""

import os
import struct
import sys

# The input's header and records (pv-save-fuzzer.c).
FL_LIVE, FL_SUSPEND, FL_NO_COMPAT, FL_GEN_CHANGE, FL_GIB_HOST = 1, 2, 4, 8, 16
REC_PAGE, REC_SET64, REC_SET32, REC_RUN, REC_P2M, REC_VCPU, REC_M2P = range(7)
NOTAB, L1, L2, L3, L4 = range(5)
PINNED = 8

MAX_PAGE = 0x1000          # A host of 16 MiB.
COMPAT_MFN0 = 0xe00        # Xen's first compat m2p frame.
XEN_MFN = 0xe80            # Other frames of Xen.
PTE = 0x067                # Present, rw, user, accessed, dirty.
PTE_XEN = 0x063
PTE_PSE = 0x080
M2P_SLOT = 428             # 0xF5800000 >> 21: the first Xen slot of an L2.
NR_PFNS = 32


def mfn(pfn):
    """The frame of the guest's pfn."""
    return 0x400 + pfn * 3


def pte(pfn, flags=PTE):
    return (mfn(pfn) << 12) | flags


def header(width, flags, max_pfn=NR_PFNS, fll=0, p2m_cr3=0, p2m_vaddr=0,
           p2m_generation=0, max_vcpu_id=0):
    return struct.pack('<BBBBIII5Q', width, flags, max_vcpu_id, 0, MAX_PAGE,
                       COMPAT_MFN0, 0, max_pfn, fll, p2m_cr3, p2m_vaddr,
                       p2m_generation)


def page(pfn, ptype=NOTAB):
    return struct.pack('<BIIB', REC_PAGE, mfn(pfn), pfn, ptype)


def set64(idx, val):
    return struct.pack('<BHQ', REC_SET64, idx, val & (2**64 - 1))


def set32(idx, val):
    return struct.pack('<BHI', REC_SET32, idx, val & (2**32 - 1))


def run(first, count, val, step):
    return struct.pack('<BHHQQ', REC_RUN, first, count, val, step)


def p2m(first, pfn, count):
    return struct.pack('<BHIH', REC_P2M, first, pfn, count)


def vcpu(vid, cr3, edx, cr1=0, gdt_ents=0, gdt0=0):
    return struct.pack('<BBQQQHQ', REC_VCPU, vid, cr3, cr1, edx, gdt_ents,
                       gdt0)


def l1_of_guest(first_pfn, count):
    """An L1 mapping count frames of the guest from first_pfn on."""
    return run(0, count, pte(first_pfn), 3 << 12)


def data_pages(first, last):
    return b''.join(page(p) for p in range(first, last))


def pae_cr3(m):
    return ((m << 12) | (m >> 20)) & 0xffffffff


def guest32(linear):
    """A 32-bit PAE guest: L3, four L2s, the top one with Xen's slots."""
    b = page(0, L3 | PINNED)
    b += b''.join(set64(i, pte(1 + i, 0x001)) for i in range(4))
    b += page(1, L2) + set64(0, pte(5))        # L2 of 0-1 GiB
    b += page(2, L2) + page(3, L2)
    b += page(4, L2)                           # The top L2 (3-4 GiB).
    b += set64(0, pte(6))
    b += set64(M2P_SLOT, (COMPAT_MFN0 << 12) | PTE_PSE | 0x001)
    b += run(M2P_SLOT + 1, 512 - M2P_SLOT - 1, ((XEN_MFN + 1) << 12) |
             PTE_XEN, 1 << 12)
    b += page(5, L1) + l1_of_guest(0, NR_PFNS)
    b += page(6, L1) + set64(0, pte(9))        # 0xc0000000: the p2m.
    b += page(7) + set32(0, mfn(8))            # Frame list list,
    b += page(8) + set32(0, mfn(9))            # frame list,
    b += page(9) + p2m(0, 0, NR_PFNS)          # and the p2m.
    b += data_pages(10, NR_PFNS)
    b += vcpu(0, pae_cr3(mfn(0)), mfn(10), gdt_ents=32, gdt0=mfn(11))
    if linear:
        return b, dict(p2m_cr3=pae_cr3(mfn(0)), p2m_vaddr=0xc0000000)
    return b, dict(fll=mfn(7))


def guest64(linear):
    """A 64-bit guest: its kernel's pagetables, and its p2m."""
    b = page(0, L4 | PINNED)
    b += set64(0, pte(5))                      # Low memory,
    b += set64(402, pte(1))                    # the p2m (0xffffc900...),
    b += run(256, 16, (XEN_MFN << 12) | PTE_XEN, 1 << 12)  # and Xen's.
    b += page(1, L3) + set64(0, pte(2))
    b += page(2, L2) + set64(0, pte(3))
    b += page(3, L1) + set64(0, pte(4))
    b += page(4) + p2m(0, 0, NR_PFNS)          # The p2m.
    b += page(5, L3) + set64(0, pte(6))
    b += page(6, L2) + set64(0, pte(7))
    b += page(7, L1) + l1_of_guest(0, NR_PFNS)
    b += page(12) + set64(0, mfn(13))          # Frame list list,
    b += page(13) + set64(0, mfn(4))           # frame list.
    b += data_pages(8, 12) + data_pages(14, NR_PFNS)
    b += vcpu(0, mfn(0) << 12, mfn(8), gdt_ents=16, gdt0=mfn(9))
    b += vcpu(1, mfn(0) << 12, 0, cr1=(mfn(0) << 12) | 1)
    if linear:
        return b, dict(p2m_cr3=mfn(0) << 12, p2m_vaddr=0xffffc90000000000,
                       fll=mfn(12), max_vcpu_id=1)
    return b, dict(fll=mfn(12), max_vcpu_id=1)


def guest64_big_fll(linear):
    """A 64-bit guest of 600000 pfns with a frame list list whose last two
    entries are the same frame list: the save takes it for 524288 pfns."""
    b = page(0, L4 | PINNED) + set64(0, pte(1))
    b += page(1, L3) + set64(0, pte(2))
    b += page(2, L2) + set64(0, pte(3))
    b += page(3, L1) + l1_of_guest(0, 16)
    b += page(4) + p2m(0, 0, 16)               # The p2m's leaves: one frame.
    b += page(5) + run(0, 512, mfn(4), 0)      # Frame lists,
    b += page(6) + run(0, 512, mfn(4), 0)
    b += page(7) + set64(0, mfn(5)) + set64(1, mfn(6)) + set64(2, mfn(6))
    b += data_pages(8, 16)
    b += vcpu(0, mfn(0) << 12, mfn(8))
    return b, dict(fll=mfn(7), max_pfn=600000)


def guest64_big(linear):
    """A 64-bit guest of 300000 pfns, whose linear p2m starts 2 MiB into a
    GiB: two L1s map it, all its leaves one frame."""
    b = page(0, L4 | PINNED) + set64(402, pte(1))
    b += page(1, L3) + set64(0, pte(2))
    b += page(2, L2) + set64(1, pte(3)) + set64(2, pte(5))
    b += page(3, L1) + run(0, 512, pte(4), 0)
    b += page(5, L1) + run(0, 512, pte(4), 0)
    b += page(4) + p2m(0, 0, 16)
    b += data_pages(6, 16)
    b += vcpu(0, mfn(0) << 12, mfn(6))
    return b, dict(p2m_cr3=mfn(0) << 12, p2m_vaddr=0xffffc90000200000,
                   max_pfn=300000)


SEEDS = {
    'pv32pae-fll': (4, guest32, False),
    'pv32pae-linear': (4, guest32, True),
    'pv64-linear': (8, guest64, True),
    'pv64-fll': (8, guest64, False),
    'pv64-linear-2m': (8, guest64_big, True),
    'pv64-fll-big': (8, guest64_big_fll, False),
}

STATES = {
    'paused': 0,
    'suspended': FL_SUSPEND,
    'live': FL_LIVE | FL_SUSPEND,
    # On a host whose RAM ends on a GiB, as many do.
    'gib-host': FL_LIVE | FL_SUSPEND | FL_GIB_HOST,
}


def seed(width, layout, linear, flags):
    body, fields = layout(linear)
    fields.setdefault('max_pfn', NR_PFNS)
    return header(width, flags, p2m_generation=1, **fields) + body


def write(path, data):
    with open(path, 'wb') as f:
        f.write(data)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, (width, layout, linear) in SEEDS.items():
        for state, flags in STATES.items():
            write(os.path.join(out, f'{name}-{state}'),
                  seed(width, layout, linear, flags))
        if linear:
            write(os.path.join(out, f'{name}-live-gen'),
                  seed(width, layout, linear,
                       FL_LIVE | FL_SUSPEND | FL_GEN_CHANGE))


if __name__ == '__main__':
    main()
