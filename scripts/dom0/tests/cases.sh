# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
#
# Helpers of the scripts the test dom0 runs (busybox sh), as /test/cases.sh.
# A script runs cases with "case_run NAME CMD...", each printing
#     PASS|FAIL NAME (seconds)[: reason]
# and ends with "finish", whose status tells whether all passed.

NR_FAILED=0

uptime_s()
{
    cut -d' ' -f1 /proc/uptime
}

# case_line VERDICT NAME SECONDS [WHY]: the line of one case (VERDICT PASS,
# FAIL or SKIP; SECONDS as awk reads a number), counting the failures; the
# one writer of these lines in dom0.
case_line()
{
    printf '%s %s (%ss)%s\n' "$1" "$2" \
        "$(awk -v s="$3" 'BEGIN { printf "%.2f", s }')" "${4:+: $4}"
    [ "$1" != FAIL ] || NR_FAILED=$((NR_FAILED + 1))
}

# case_run NAME CMD...: CMD's output goes to /tmp/case-NAME.log, shown on
# failure; the case passes iff CMD exits 0.
case_run()
{
    local name=$1 start end rc secs
    shift

    start=$(uptime_s)
    "$@" >"/tmp/case-$name.log" 2>&1 && rc=0 || rc=$?
    end=$(uptime_s)
    secs=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
    if [ "$rc" = 0 ]
    then
        case_line PASS "$name" "$secs"
    else
        sed 's/^/    /' "/tmp/case-$name.log"
        case_line FAIL "$name" "$secs" "$* exited $rc"
    fi
}

finish()
{
    [ "$NR_FAILED" = 0 ]
}

# wait_for SECS CMD...: retry CMD every 0.5 s until it succeeds.
wait_for()
{
    local tries=$(($1 * 2))
    shift

    while ! "$@" >/dev/null 2>&1
    do
        tries=$((tries - 1))
        [ "$tries" -gt 0 ] || { echo "timed out waiting for: $*"; return 1; }
        sleep 0.5
    done
}

suspend_capable()
{
    local id

    id=$(xl domid "$1") &&
    [ "$(xenstore-read "/local/domain/$id/control/feature-suspend")" = 1 ]
}

# guest_start CFG NAME [KEY=VALUE...]: create the guest (named NAME, the
# KEY=VALUE overriding CFG's settings) and wait until its kernel says it can
# be suspended (before that, a save request would just time out).
guest_start()
{
    local cfg=$1 name=$2
    shift 2

    xl create "$cfg" "name=\"$name\"" "$@" &&
    wait_for 120 suspend_capable "$name"
}

running()
{
    xl list "$1" >/dev/null 2>&1
}

# save_restore NAME: xl save, then xl restore, and the guest runs again.
save_restore()
{
    local name=$1

    xl save "$name" "/tmp/$name.save" &&
    ! running "$name" &&
    xl restore "/tmp/$name.save" &&
    rm -f "/tmp/$name.save" &&
    running "$name"
}

# answers_shutdown NAME: the guest's kernel still answers the toolstack:
# it powers off when asked (xl shutdown -w waits until it has).
answers_shutdown()
{
    local i

    timeout 120 xl shutdown -w "$1" || return 1
    # xl's daemon destroys the domain after its shutdown: give it 10 s.
    for i in $(seq 20)
    do
        running "$1" || return 0
        sleep 0.5
    done
    # As when xl's daemon exited early (on 4.17, at a suspend).
    echo "$1 shut down but still there after 10 s:"
    xl list "$1"
    echo "its xl daemon's log, /var/log/xen/xl-$1.log:"
    sed 's/^/    /' "/var/log/xen/xl-$1.log"
    return 1
}

# linux64_cfg NAME: the xl config of a 64-bit Linux domU (idles).
linux64_cfg()
{
    cat <<CFG
name = "$1"
type = "pv"
kernel = "/test/linux64.bz"
ramdisk = "/test/domu.cpio"
extra = "console=hvc0"
memory = 128
vcpus = 1
on_crash = "preserve"
CFG
}
