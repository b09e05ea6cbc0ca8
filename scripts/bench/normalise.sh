#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench-normalise.sh [ROUNDS]: the cost of normalise_pagetable() per page
# in the patched staging tree against the pristine base (tag "base" of the
# tree), built alike (-O2, scripts/bench/normalise.c), run in turns on the
# same pages, ROUNDS (3) times each; then the fastest of each, and the
# difference.  Prints the machine's load before and after.

set -eu
. "$(dirname "$0")/../lib.sh"

ROUNDS=${1:-3}
SCRATCH=$BUILD/bench-normalise

# build NAME GUEST_SRC: $SCRATCH/NAME, against the sources in GUEST_SRC.
# Only normalise_pagetable()'s own calls are defined (normalise.c): the
# others of the file are left unresolved, and never made.
build()
{
    local name=$1 src=$2 defs=

    grep -q 'normalise_pagetable(struct xc_sr_context \*ctx, xen_pfn_t pfn' \
        "$src/xg_sr_save_x86_pv.c" && defs=-DNORMALISE_HAS_PFN
    # shellcheck disable=SC2086
    gcc -O2 -std=gnu99 -D__XEN_TOOLS__ -D_GNU_SOURCE $defs \
        -I "$TREE/tools/include" -iquote "$src" \
        -iquote "$TREE/tools/libs/ctrl" \
        -include "$TREE/tools/tests/pv-save/harness.h" \
        -o "$SCRATCH/$name" "$TOP/scripts/bench/normalise.c" \
        "$src/xg_sr_common_x86_pv.c" \
        -no-pie -Wl,--unresolved-symbols=ignore-all
}

main()
{
    local i

    rm -rf "$SCRATCH"
    mkdir -p "$SCRATCH/src"
    git -C "$TREE" archive base tools/libs/guest | tar -x -C "$SCRATCH/src"
    build base "$SCRATCH/src/tools/libs/guest"
    build series "$TREE/tools/libs/guest"
    uptime
    for i in $(seq "$ROUNDS")
    do
        printf 'base %s\n' "$("$SCRATCH/base" | tr '\n' ' ')"
        printf 'series %s\n' "$("$SCRATCH/series" | tr '\n' ' ')"
    done | tee "$SCRATCH/results" | sed 's/^/  /'
    uptime
    summary <"$SCRATCH/results"
}

# summary: the fastest of all rounds, per kind of page, base and series,
# and how much more the series takes.
summary()
{
    awk '{ for ( i = 2; i < NF; i += 2 ) {
               k = $i; v = $(i + 1)
               if ( !(($1, k) in best) || v < best[$1, k] ) best[$1, k] = v
               kinds[k] = 1 } }
         END { for ( k in kinds )
                   printf "%-14s base %7.1f ns  series %7.1f ns  %+5.1f%%\n",
                          k, best["base", k], best["series", k],
                          100 * (best["series", k] / best["base", k] - 1) }' |
        sort
}

main "$@"
