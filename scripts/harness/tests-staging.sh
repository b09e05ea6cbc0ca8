# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# The tests of the staging series, run by run-tests.sh (its helpers).

# xtf_no_pv32 NAME VARIANT: machphys-mfn-list under pv=no-32 passes, and
# saw no 32-bit PV (a PV guest checked that the compat list is refused; an
# HVM one records what it gets).
xtf_no_pv32()
{
    local want='32bit PV unavailable: checking XENMEM_machphys_compat_mfn_list fails with -EOPNOTSUPP'

    [ "$2" != hvm64 ] || want='32bit PV unavailable; HVM guest'
    XEN_ARGS=pv=no-32 xtf_boot "$1" "$2" machphys-mfn-list &&
    grep -a -- "$want" "$LOGS/boot-$1.log"
}

# ci_yaml_catches_errors: check-gitlab-ci.py fails on a copy of the
# patched tree's CI files with a misspelt needs:, a misspelt extends:, and
# without SHADOW_PAGING in the migration job's build, naming each.
ci_yaml_catches_errors()
{
    local tmp out rc=0

    tmp=$(mktemp -d)
    mkdir -p "$tmp/automation"
    cp -r "$TREE/automation/gitlab-ci" "$TREE/automation/scripts" \
        "$tmp/automation/"
    sed -i -e 's/^    - alpine-3.24-x86_64-gcc-debug$/&-typo/' \
        -e 's/^  extends: .qemu-smoke-x86_64$/&-typo/' \
        "$tmp/automation/gitlab-ci/test.yaml"
    sed -i '/^alpine-3.24-x86_64-gcc-debug-pv32-shadow:/,/^$/{/CONFIG_SHADOW_PAGING=y/d}' \
        "$tmp/automation/gitlab-ci/build.yaml"
    out=$(/usr/bin/python3 "$TOP/scripts/harness/check-gitlab-ci.py" "$tmp" \
          "$TBUILD/base/src") && rc=1
    rm -rf "$tmp"
    printf '%s\n' "$out"
    grep -q "needs 'alpine-3.24-x86_64-gcc-debug-typo', which is no job" <<<"$out" &&
    grep -q "extends '.qemu-smoke-x86_64-typo', which is no job" <<<"$out" &&
    grep -q "no build with CONFIG_SHADOW_PAGING=y" <<<"$out" &&
    [ "$rc" = 0 ]
}

# fuzz_pv_save ENGINE: the bounded run of tools/fuzz/pv-save under
# libFuzzer or AFL++ (its make target check-ENGINE: every seed, then 20 s
# of new inputs, ASan and UBSan); a crash's input is kept under
# build/logs/staging/tests/fuzz/pv-save/ENGINE/.  The AFL harness is built by
# afl-clang-fast, over a clean directory (the tools' build makes it with
# CC).
fuzz_pv_save()
{
    local dir=$TREE/tools/fuzz/pv-save

    case $1 in
    libfuzzer)
        make -s -C "$dir" clang=y FUZZ_OUT="$TLOGS/fuzz/pv-save" \
            check-libfuzzer
        ;;
    afl)
        make -s -C "$dir" clean &&
        AFL_USE_ASAN=1 AFL_USE_UBSAN=1 make -s -C "$dir" clang=y \
            CC=afl-clang-fast FUZZ_OUT="$TLOGS/fuzz/pv-save" check-afl
        ;;
    esac
}

tests()
{
    # The set-up just made is up to date: nothing is made again.
    run_test setup/up-to-date up_to_date
    # A wrong sha256, a missing base, a patch that does not apply and a
    # build that fails: each stops with a message naming what it should.
    run_suite driver "$TOP/scripts/harness/check-driver.sh"
    run_suite series "$TOP/scripts/series/check-series.sh"
    run_test series/git-am "$TOP/scripts/series/format-series.sh" --check
    # XTF's series: it is shared by the targets, and checked once, here.
    run_suite xtf-series "$TOP/scripts/series/check-series.sh" xtf
    run_test xtf-series/git-am "$TOP/scripts/series/format-series.sh" xtf \
        --check
    run_suite docs "$TOP/scripts/harness/check-docs.sh"
    # The GitLab CI files of the patched tree parse, and name only jobs
    # (and other projects' artifacts) that exist; the migration job needs
    # a build with PV32 and SHADOW_PAGING.  The checker is checked too.
    run_test ci/gitlab-yaml /usr/bin/python3 \
        "$TOP/scripts/harness/check-gitlab-ci.py" "$TREE" "$TBUILD/base/src"
    run_test ci/gitlab-yaml-catches-errors ci_yaml_catches_errors
    run_test unit/m2p-mfn-list make -s -C "$TREE/tools/tests/m2p-mfn-list" run
    run_test unit/pv-save make -s -C "$TREE/tools/tests/pv-save" run
    run_test fuzz/pv-save/libfuzzer fuzz_pv_save libfuzzer
    run_test fuzz/pv-save/afl fuzz_pv_save afl
    # The boot tests that mostly wait (scripts/dom0/tests/save-failures.sh)
    # start first, beside the others; the boot tests are declared in their
    # scripts (boot_tests in scripts/harness/boot.sh).
    boot_tests beside
    # The M2P lists seen by 64-bit and 32-bit PV and by HVM guests (XTF's
    # machphys-mfn-list, as dom0); with 3 GiB the lists have several
    # extents, and holes; without 32-bit PV the compat list is refused.
    run_test boot/xtf-pv64 xtf_boot xtf-pv64 pv64 machphys-mfn-list
    run_test boot/xtf-pv32pae xtf_boot xtf-pv32pae pv32pae machphys-mfn-list
    run_test boot/xtf-hvm64 xtf_boot xtf-hvm64 hvm64 machphys-mfn-list
    XTF_MEM=3072 run_test boot/xtf-pv64-3g xtf_boot xtf-pv64-3g pv64 \
        machphys-mfn-list
    XTF_MEM=3072 run_test boot/xtf-pv32pae-3g xtf_boot xtf-pv32pae-3g \
        pv32pae machphys-mfn-list
    run_test boot/xtf-pv64-no-pv32 xtf_no_pv32 xtf-pv64-no-pv32 pv64
    run_test boot/xtf-hvm64-no-pv32 xtf_no_pv32 xtf-hvm64-no-pv32 hvm64
    # The boot tests of scripts/dom0/tests/ (each declares its boots in
    # its header), then those started beside the others.
    boot_tests
}
