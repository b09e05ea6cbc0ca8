# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# The host's side of the boots: the built Xen under QEMU (TCG, or KVM:
# qemu_accel in lib.sh) with a dom0 of the tests (what runs in it:
# scripts/dom0/), judged by Xen's own automation/scripts/console.exp
# (from the staging base): it passes when the serial console shows the
# pass marker before the timeout, and fails on a timeout or when QEMU
# exits first (Xen reboots, and -no-reboot ends QEMU, after a crash or a
# power-off without the marker).  Sourced after lib.sh, by run-tests.sh
# and demo.sh.
#
# Environment (In), besides lib.sh's:
#   BOOT_TIMEOUT  console.exp's wait for each marker, in seconds (300);
#   QEMU_MEM, QEMU_MACHINE, QEMU_CPU, QEMU_SMP, XEN_CMDLINE,
#   XTF_XEN_CMDLINE  (Config.mk) the boots' QEMU and Xen settings;
#   XTF_TIMEOUT   xtf_boot's wait for XTF's verdict (60); XTF_MEM its
#                 host's memory in MiB (2048);
#   XEN_ARGS      dom0_boot, xtf_boot: more arguments for Xen's command
#                 line;
#   CI_TREE, CI_QEMU_BOOT  ci_cases: see there.
# A boot test is declared in its own dom0 script: see boot_tests.
# Out: each boot's serial log, $LOGS/boot-NAME.log (and .runner, .exp).

DOM0_ARGS="console=hvc0 earlyprintk=xen"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-300}
# A crash of Xen or dom0 fails a boot, whatever its own markers say.
CRASH='Panic on CPU|Assertion .* failed|Hardware Dom0 crashed|Kernel panic|FATAL TRAP'

# staging_script NAME: Xen's automation/scripts/NAME, from the staging
# base (see staging_file).
staging_script()
{
    staging_file "automation/scripts/$1"
}

# staging_file PATH: PATH in the staging base (fetched if need be: also
# for the 4.17 target, which has neither console.exp nor run-tools-tests).
staging_file()
{
    local f=$BUILD/staging/base/src/$1

    [ -f "$f" ] || TARGET=staging "$TOP/scripts/setup.sh" base >&2 ||
        return 1
    printf '%s\n' "$f"
}

# qemu_boot LOG PASS MEM XEN XEN_ARGS KERNEL KERNEL_ARGS [MODULE]: boot
# under console.exp, the serial console in LOG; PASS is the marker (a Tcl
# regular expression).  Returns 0 on a pass, else 1 naming the reason.
qemu_boot()
{
    local log=$1 pass=$2 mem=$3 xen=$4 xen_args=$5 kernel=$6 kargs=$7
    local module=${8:-} initrd exp rc why

    exp=$(staging_script console.exp) || return 1
    # -initrd separates modules with commas; a comma in a command line is
    # doubled.
    initrd="${kernel//,/,,}${kargs:+ ${kargs//,/,,}}${module:+,${module//,/,,}}"
    rm -f "$log"
    TEST_CMD="qemu-system-x86_64 -machine $(config QEMU_MACHINE) \
-accel $(qemu_accel | cut -f1) \
-cpu $(config QEMU_CPU) -m $mem -smp $(config QEMU_SMP) -nographic -no-reboot \
-monitor none -serial stdio -kernel {$xen} \
-append {$(config XEN_CMDLINE)${xen_args:+ $xen_args}} -initrd {$initrd}" \
    TEST_LOG=$log PASSED=$pass TEST_TIMEOUT=$BOOT_TIMEOUT \
        expect "$exp" >/dev/null 2>"$log.exp" </dev/null && rc=0 || rc=$?
    why=$(grep -aEm1 -- "$CRASH" "$log" | tr -d '\r' || true)
    if [ -n "$why" ]
    then
        echo "FAIL: the serial console shows '$why'; serial log: $log" >&2
        return 1
    fi
    [ "$rc" != 0 ] || return 0
    if grep -q 'ERROR-Timeout' "$log.exp"
    then
        why="no '$pass' within ${BOOT_TIMEOUT}s"
    else
        why="QEMU exited without '$pass'"
    fi
    tail -n 5 "$log" | tr -d '\r' | sed 's/^/  serial: /' >&2
    echo "FAIL: $why; serial log: $log" >&2
    return 1
}

# test_files DIR SCRIPT [FILE...]: dom0's /test in DIR: SCRIPT as run,
# cases.sh, and the FILEs; a FILE given as NAME=PATH is put there as NAME.
test_files()
{
    local dir=$1 script=$2 f
    shift 2

    mkdir -p "$dir"
    cp "$script" "$dir/run"
    chmod +x "$dir/run"
    cp "$TOP/scripts/dom0/tests/cases.sh" "$dir/cases.sh"
    for f in "$@"
    do
        case $f in
        *=*) cp "${f#*=}" "$dir/${f%%=*}" ;;
        *) cp "$f" "$dir/" ;;
        esac
    done
}

# dom0_boot NAME SCRIPT [FILE...]: boot with SCRIPT as dom0's /test/run
# and FILEs beside it in /test, XEN_ARGS added to Xen's command line;
# serial log in $LOGS/boot-NAME.log.  A FILE given as NAME=PATH is put
# there as NAME.  The XTF tests of the series are in /xtf/tests (see
# build-xtf.sh).
dom0_boot()
{
    local name=$1 script=$2 ov
    shift 2

    ov=$TBUILD/overlay/$name
    rm -rf "$ov"
    test_files "$ov/root/test" "$script" "$@"
    (cd "$ov/root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$ov/overlay.cpio"
    cat "$TBUILD/dom0/base.cpio" "$BUILD/xtf/dom0.cpio" "$ov/overlay.cpio" \
        >"$ov/initrd.cpio"
    qemu_boot "$LOGS/boot-$name.log" 'M2P-DOM0: PASS' "$(config QEMU_MEM)" \
        "$TREE/xen/xen" "${XEN_ARGS:-}" "$BUILD/kernel/vmlinux" "$DOM0_ARGS" \
        "$ov/initrd.cpio"
}

# dom0_cases NAME SCRIPT [FILE...]: boot as dom0_boot does and report the
# cases dom0 printed, then the boot's own verdict, as a suite of tests.
dom0_cases()
{
    local name=$1 start rc

    start=$(now)
    dom0_boot "$@" && rc=0 || rc=$?
    dom0_output "$name" | grep -aE '^(PASS|FAIL|SKIP) ' || true
    boot_line "$rc" "$start" \
        "dom0 verdict not PASS; serial log: $LOGS/boot-$name.log"
}

# boot_line RC START WHY: a suite's own "boot" case, passing iff RC is 0
# (WHY the reason if not), timed from START; returns RC.
boot_line()
{
    if [ "$1" = 0 ]
    then
        case_line PASS boot "$(elapsed "$2")"
    else
        case_line FAIL boot "$(elapsed "$2")" "$3"
    fi
    return "$1"
}

# ci_cases NAME SCRIPT [FILE...]: the boot of Xen's own CI job for the
# save, restore and live migration of PV guests (the patched staging
# tree's automation/scripts/qemu-pv-migrate-x86_64.sh, for either target),
# with its binaries/ filled from this target's build: the hypervisor, the
# Debian kernel, dom0's rootfs and its toolstack (mk-dom0.sh), XTF from
# build/xtf/xtf.  SCRIPT, as /test/run with FILEs beside it in /test, runs
# in dom0 after the job's own steps.  Reported as a suite: SCRIPT's cases,
# the job's steps (job/ENV-STEP), the boot's verdict.  Serial log in
# $LOGS/boot-NAME.log, the script's own output beside it (.runner).
# CI_TREE: the tree whose automation/scripts are used (default: the
# patched staging tree); CI_QEMU_BOOT: the script's QEMU_BOOT, "kernel"
# (QEMU's multiboot loader, the default here: no TFTP) or "ipxe" (as the
# job runs upstream).
ci_cases()
{
    local name=$1 script=$2 log=$LOGS/boot-$1.log start rc
    shift 2

    start=$(now)
    ci_boot "$name" "$script" "$@" && rc=0 || rc=$?
    tr -d '\r' <"$log" | grep -aE '^(PASS|FAIL|SKIP) ' || true
    tr -d '\r' <"$log" | ci_steps
    boot_line "$rc" "$start" \
        "no job verdict PASSED; serial log: $log, runner's output: $log.runner"
}

ci_boot()
{
    local name=$1 script=$2 log=$LOGS/boot-$1.log xen bin ov
    shift 2

    xen=${CI_TREE:-$BUILD/staging/xen}
    [ -f "$xen/automation/scripts/qemu-pv-migrate-x86_64.sh" ] ||
        TARGET=staging "$TOP/scripts/setup.sh" tree >&2 || return 1
    bin=$TBUILD/ci/$name/binaries
    ov=$TBUILD/ci/$name/overlay
    rm -rf "$bin" "$ov"
    mkdir -p "$bin"
    cp "$TREE/xen/xen" "$bin/xen"
    # Uncompressed, which saves seconds under TCG: Xen boots either.
    cp "$BUILD/kernel/vmlinux" "$bin/bzImage"
    test_files "$ov/test" "$script" "$@"
    (cd "$ov" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) |
        cat "$TBUILD/dom0/rootfs.cpio" - | gzip -1 >"$bin/rootfs.cpio.gz"
    gzip -1 <"$TBUILD/dom0/xen-tools.cpio" >"$bin/xen-tools.cpio.gz"
    ln -sfn "$XTF_TREE" "$xen/automation/scripts/xtf-x86_64"
    rm -f "$log"
    (cd "$xen" &&
     WORKDIR=$bin TEST_LOG=$log TEST_TIMEOUT=$BOOT_TIMEOUT \
     QEMU_BOOT=${CI_QEMU_BOOT:-kernel} QEMU_MEM=$(config QEMU_MEM) \
     QEMU_MACHINE=$(config QEMU_MACHINE) XEN_CMDLINE="$(config XEN_CMDLINE)" \
     DOM0_EXTRA_TEST="sh -c 'cd /test && ./run'" \
     ./automation/scripts/qemu-pv-migrate-x86_64.sh) >"$log.runner" 2>&1
}

# ci_steps: the job's step lines on stdin as cases, "PASS job/ENV-STEP".
ci_steps()
{
    local verdict name secs why

    while IFS='|' read -r verdict name secs why
    do
        case_line "$verdict" "$name" "$secs" "$why"
    done < <(ci_step_fields)
}

# ci_step_fields: the job's step lines on stdin, as "VERDICT|NAME|SECS|WHY".
ci_step_fields()
{
    awk '
        function id(s) { gsub(/\047/, "", s); gsub(/[^A-Za-z0-9]+/, "-", s); sub(/-$/, "", s); return s }
        /^pv-migrate-test: FAILED: [^ ]+: / {
            s = $0; sub(/^pv-migrate-test: FAILED: /, "", s); sub(/ \(exit [0-9]+\)$/, "", s)
            print "FAIL|job/" id(s) "|0|the step failed (serial log)"
            next
        }
        /^pv-migrate-test: [^ ]+: .*: ok \(/ {
            s = $0; sub(/^pv-migrate-test: /, "", s)
            t = s; sub(/.*: ok \(/, "", t); sub(/s\)$/, "", t); split(t, a, /s\.\./)
            sub(/: ok \(.*/, "", s)
            printf "PASS|job/%s|%.2f|\n", id(s), a[2] - a[1]
        }'
}

# xtf_boot NAME VARIANT TEST: boot the XTF test TEST (tests/TEST of
# build/xtf/xtf) in VARIANT (pv64, pv32pae, hvm64) as dom0, through the
# patched tree's automation/scripts/qemu-xtf.sh, Xen's own XTF runner;
# XTF_MEM MiB (2048) on q35, XEN_ARGS added to XTF_XEN_CMDLINE.  Serial
# log in $LOGS/boot-NAME.log, the runner's own output beside it (.runner).  An XTF test that fails powers off, and
# Xen then halts: the runner sees that only at its timeout (XTF_TIMEOUT).
xtf_boot()
{
    local name=$1 variant=$2 test=$3 xen_args=${XEN_ARGS:-}
    local mem=${XTF_MEM:-2048} log=$LOGS/boot-$1.log

    ln -sfn "$XTF_TREE" "$TREE/automation/scripts/xtf-x86_64"
    rm -f "$log"
    if ! (cd "$TREE" &&
          XEN_BINARY=$TREE/xen/xen TEST_LOG=$log \
          TEST_TIMEOUT=${XTF_TIMEOUT:-60} QEMU_MEM=$mem QEMU_MACHINE=q35 \
          XEN_CMDLINE="$(config XTF_XEN_CMDLINE)${xen_args:+ $xen_args}" \
          ./automation/scripts/qemu-xtf.sh x86_64 "$variant" "$test") \
          >"$log.runner" 2>&1
    then
        grep -a '^(d0) \(Fail\|Error\)' "$log" | tr -d '\r' | tail -n 5 >&2 || true
        echo "FAIL: no 'Test result: SUCCESS' from $variant $test; serial log: $log, runner's output: $log.runner" >&2
        return 1
    fi
    if grep -aEm1 -- "$CRASH" "$log" >&2
    then
        echo "FAIL: the serial console shows a crash; serial log: $log" >&2
        return 1
    fi
}

# dom0_output NAME: what dom0's test script printed, from the serial log.
dom0_output()
{
    sed -n '/^M2P-DOM0: toolstack up/,/^M2P-DOM0: /p' "$LOGS/boot-$1.log" |
        tr -d '\r' | grep -v '^M2P-DOM0: toolstack up' |
        grep -av '^\[ *[0-9]*\.[0-9]*\] \|^(XEN) '
}

# dom0_prog SRC OUT GCC-ARGS...: build scripts/dom0/tests/SRC into OUT with
# GCC-ARGS, against the patched tree's tool headers (the dom0 runs the
# host's libc), unless OUT's stamp says it was, from the same source,
# arguments, compiler and toolstack build; print OUT.
dom0_prog()
{
    local src=$TOP/scripts/dom0/tests/$1 out=$2 key
    shift 2

    key=$({ cat "$src"; printf '%s\n' "$@"; gcc --version
            stamp_get "$TREE" tools; } | sha256sum | cut -d' ' -f1)
    if [ ! -f "$out" ] ||
       ! stamp_ok "$(dirname "$out")" "$(basename "$out")" "$key"
    then
        gcc -O2 -Wall -Werror -D__XEN_TOOLS__ -I"$TREE/tools/include" \
            -o "$out" "$src" "$@" >&2 || {
            echo "error: building $src failed" >&2
            return 1
        }
        stamp_set "$(dirname "$out")" "$(basename "$out")" "$key"
    fi
    printf '%s\n' "$out"
}

# pause_probe: scripts/dom0/tests/pause-probe.c, the LD_PRELOAD shim of the
# xen-mfndump test, built (see dom0_prog); prints the path of the .so.
pause_probe()
{
    dom0_prog pause-probe.c "$TBUILD/pause-probe.so" -shared -fPIC
}

# gnt_share: scripts/dom0/tests/gnt-share.c, which shares a page of dom0
# with a guest (the save-failures test), built against the patched
# tree's libxengnttab (see dom0_prog); prints the path of the program.
gnt_share()
{
    local libs=$TREE/tools/libs

    dom0_prog gnt-share.c "$TBUILD/gnt-share" -L"$libs/gnttab" -lxengnttab \
        -Wl,-rpath-link,"$libs/toollog:$libs/toolcore:$libs/call"
}

# Boot tests.  A script of scripts/dom0/tests/ that a boot runs as
# dom0's /test/run declares its boots in its own header, in lines
#     #: boot NAME KEY=VALUE...
# (several lines of one NAME add up, and a line "#: KEY=VALUE..." right
# after one continues it), each NAME a suite boot/NAME of the
# script's cases (cases.sh) and the boot's own verdict (boot).  KEYs:
#   targets=T,...     the targets it runs on (default: all);
#   runner=dom0|ci    dom0 (default): Xen under QEMU with the test dom0,
#                     the script as /test/run (dom0_cases); ci: Xen's own
#                     CI job, automation/scripts/qemu-pv-migrate-x86_64.sh,
#                     the script after the job's steps (ci_cases);
#   xen-arg=ARG       an argument added to Xen's command line (dom0);
#   mem=MIB           the host's memory (default: Config.mk's QEMU_MEM);
#   timeout=SECS      console.exp's wait (default: BOOT_TIMEOUT, 300);
#   loader=kernel|ipxe  how the CI job's QEMU loads Xen (ci; default
#                     kernel, QEMU's own loader);
#   beside=yes        the boot mostly waits: it is started before the
#                     others, in the background, and reported after them;
#   file=[NAME:]WHERE a file of /test (as NAME, default WHERE's last
#                     part), WHERE one of xtf/PATH (XTF's tree),
#                     kernel/PATH (build/kernel), dom0/PATH (the target's
#                     dom0, mk-dom0.sh), staging-base/PATH (the staging
#                     base), prog/gnt-share or prog/pause-probe.so
#                     (programs of scripts/dom0/tests/, built for dom0).
# KEY.TARGET=VALUE counts for TARGET only.  So a new boot test is one new
# file, scripts/dom0/tests/NAME.sh.

# boot_decls [SCRIPT...]: every boot declared (by the scripts of
# scripts/dom0/tests/, or these), one a line, in the order of the files and
# of their first lines: "SCRIPT<TAB>NAME<TAB>KEY=VALUE...".
boot_decls()
{
    [ $# -gt 0 ] || set -- "$TOP"/scripts/dom0/tests/*.sh
    awk -v OFS='\t' '
        $1 == "#:" && $2 == "boot" && NF >= 3 {
            k = FILENAME "\t" $3
            if (!(k in words)) order[n++] = k
            for (i = 4; i <= NF; i++) words[k] = words[k] " " $i
            last = FNR
            next
        }
        $1 == "#:" && FNR == last + 1 && last > 0 {
            for (i = 2; i <= NF; i++) words[k] = words[k] " " $i
            last = FNR
            next
        }
        FNR == 1 { last = 0 }
        END {
            for (i = 0; i < n; i++)
                print order[i], substr(words[order[i]], 2)
        }' "$@"
}

# boot_decl SCRIPT NAME WORDS: the boot NAME of SCRIPT for this target,
# in B_RUNNER, B_XEN_ARGS, B_MEM, B_TIMEOUT, B_LOADER, B_BESIDE and
# B_FILES; returns 1 if it is not for this target, 2 (B_ERROR saying why)
# if the declaration is wrong.
boot_decl()
{
    local w key val targets loader=

    targets=$(config_file TARGETS) B_RUNNER=dom0 B_XEN_ARGS='' B_ERROR=''
    B_MEM=$(config QEMU_MEM) B_TIMEOUT=$BOOT_TIMEOUT
    B_BESIDE=no B_FILES=()
    for w in $3
    do
        key=${w%%=*} val=${w#*=}
        case $key in
        *.*)
            [ "${key#*.}" = "$TARGET" ] || continue
            key=${key%%.*}
            ;;
        esac
        case $key=$val in
        "$w=$w") B_ERROR="'$w' is not KEY=VALUE" ;;
        targets=*) targets=${val//,/ } ;;
        runner=dom0|runner=ci) B_RUNNER=$val ;;
        xen-arg=*) B_XEN_ARGS=${B_XEN_ARGS:+$B_XEN_ARGS }$val ;;
        mem=[1-9]*) B_MEM=$val ;;
        timeout=[1-9]*) B_TIMEOUT=$val ;;
        loader=kernel|loader=ipxe) loader=$val ;;
        beside=yes|beside=no) B_BESIDE=$val ;;
        file=?*) B_FILES+=("$val") ;;
        *) B_ERROR="'$w': no such key, or not a value it takes" ;;
        esac
        [ -z "$B_ERROR" ] || break
    done
    # What the runner would not use is refused, not dropped.
    if [ -z "$B_ERROR" ] && [ "$B_RUNNER" = ci ] && [ -n "$B_XEN_ARGS" ]
    then
        B_ERROR="'xen-arg=' is for runner=dom0 only"
    elif [ -z "$B_ERROR" ] && [ "$B_RUNNER" = dom0 ] && [ -n "$loader" ]
    then
        B_ERROR="'loader=' is for runner=ci only"
    fi
    if [ -n "$B_ERROR" ]
    then
        B_ERROR="$1: boot $2: $B_ERROR (see boot_tests in"
        B_ERROR="$B_ERROR scripts/harness/boot.sh)"
        return 2
    fi
    B_LOADER=${loader:-kernel}
    [[ " $targets " == *" $TARGET "* ]] || return 1
}

# boot_file [NAME:]WHERE: "NAME=PATH" of a file=, see boot_tests.
boot_file()
{
    local name=${1%%:*} where=${1#*:} path

    [ "$name" != "$1" ] || name=${where##*/}
    case $where in
    xtf/?*) path=$XTF_TREE/${where#xtf/} ;;
    kernel/?*) path=$BUILD/kernel/${where#kernel/} ;;
    dom0/?*) path=$TBUILD/dom0/${where#dom0/} ;;
    staging-base/?*)
        path=$(staging_file "${where#staging-base/}") || return 1 ;;
    prog/gnt-share) path=$(gnt_share) || return 1 ;;
    prog/pause-probe.so) path=$(pause_probe) || return 1 ;;
    *) echo "file=$1: not a place boot_tests knows"; return 1 ;;
    esac
    [ -f "$path" ] || { echo "file=$1: there is no $path"; return 1; }
    printf '%s=%s\n' "$name" "$path"
}

# boot_run SCRIPT NAME: the boot NAME of SCRIPT, as boot_decl left it in
# the B_ variables.
boot_run()
{
    local f files=() start

    start=$(now)
    for f in "${B_FILES[@]}"
    do
        if ! f=$(boot_file "$f")
        then
            printf '%s\n' "$f"
            boot_line 1 "$start" "$f"
            return
        fi
        files+=("$f")
    done
    case $B_RUNNER in
    dom0)
        BOOT_TIMEOUT=$B_TIMEOUT QEMU_MEM=$B_MEM XEN_ARGS=$B_XEN_ARGS \
            dom0_cases "$2" "$1" "${files[@]}"
        ;;
    ci)
        BOOT_TIMEOUT=$B_TIMEOUT QEMU_MEM=$B_MEM CI_QEMU_BOOT=$B_LOADER \
            ci_cases "$2" "$1" "${files[@]}"
        ;;
    esac
}

# boot_tests [beside]: the boot tests declared for this target: with
# "beside", start those marked beside=yes; without, run the others, one
# after another, then report those.
BOOTS_BESIDE=()

boot_tests()
{
    local script name words rc

    while IFS=$'\t' read -r script name words
    do
        boot_decl "$script" "$name" "$words" && rc=0 || rc=$?
        case $rc in
        1) continue ;;
        2) report FAIL "boot/$name" 0.000 "$B_ERROR"; continue ;;
        esac
        if [ "${1:-}" = beside ] && [ "$B_BESIDE" = yes ]
        then
            suite_start "boot/$name" boot_run "$script" "$name"
            BOOTS_BESIDE+=("boot/$name")
        elif [ -z "${1:-}" ] && [ "$B_BESIDE" = no ]
        then
            run_suite "boot/$name" boot_run "$script" "$name"
        fi
    done < <(boot_decls)
    if [ -z "${1:-}" ]
    then
        for name in "${BOOTS_BESIDE[@]}"
        do
            suite_report "$name"
        done
        BOOTS_BESIDE=()
    fi
}
