#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 test: a failed xl save or xl migrate says which of two things went
# wrong, and leaves the guest running where it was.
#   no-p2m      the guest never published its p2m: the save fails at once,
#               before the guest is asked to suspend, and must say so --
#               not that the guest "did not respond to suspend request";
#   no-suspend  the guest never answers the suspend request: the save fails
#               when libxl gives up waiting (after 60 s, fixed in libxl),
#               saying that the guest did not respond.
# The guest is XTF's pv-migrate, from the xl configs XTF generated
# (/xtf/tests/pv-migrate/test-ENV-pv-migrate.cfg).  The no-p2m cases run
# for each; the no-suspend cases (libxl's timeout does not depend on the
# guest's width) for the first only, its save and its migration at the same
# time so that the timeout is waited out once.

. /test/lib.sh

P2M_MSG="has not published its p2m"
NO_RESPONSE_MSG="did not respond to suspend request"
BEFORE_MSG="failed before the domain was asked to suspend"
SUSPEND_FAILED_MSG="failed to suspend at sender"

XTF=/xtf/tests/pv-migrate

# start NAME ENV EXTRA: create the guest and note its domid; the cases of
# a guest that did not start are left out.
start()
{
    local name=$1

    guest_start "$XTF/test-$2-pv-migrate.cfg" "$name" "extra=\"$3\"" &&
    xl domid "$name" >"/tmp/$name.domid"
}

started()
{
    [ -f "/tmp/$1.domid" ]
}

# list_entry NAME: "DOMID STATE CPU-SECONDS" of the domain NAME, and a
# fourth word "copy" if a domain NAME--* exists too; one xl call, as each
# takes a while under QEMU's emulation.
list_entry()
{
    xl list | awk -v n="$1" '
        $1 == n { e = $2 " " $5 " " $6 }
        index($1, n "--") == 1 { c = " copy" }
        END { if (e == "") exit 1; print e c }'
}

cpu_time()
{
    list_entry "$1" | cut -d' ' -f3
}

# run_op NAME save|migrate: note the guest's CPU time, then xl save it, or
# xl migrate it to this host (with -s "", xl runs its "host" argument as
# the command that receives the stream); the output goes to /tmp/NAME.out,
# the exit status to /tmp/NAME.rc.
run_op()
{
    local name=$1 rc

    cpu_time "$name" >"/tmp/$name.cpu"
    case $2 in
    save)
        timeout 200 xl save "$name" "/tmp/$name.save" \
            >"/tmp/$name.out" 2>&1 && rc=0 || rc=$?
        rm -f "/tmp/$name.save"
        ;;
    migrate)
        timeout 200 xl migrate -s "" "$name" "xl migrate-receive" \
            >"/tmp/$name.out" 2>&1 && rc=0 || rc=$?
        ;;
    esac
    echo "$rc" >"/tmp/$name.rc"
}

# failed_saying NAME WANT UNWANTED...: the last run_op of NAME failed,
# saying WANT and none of UNWANTED.
failed_saying()
{
    local name=$1 want=$2 rc u
    shift 2

    rc=$(cat "/tmp/$name.rc")
    cat "/tmp/$name.out"
    if [ "$rc" = 0 ]
    then
        echo "$name: exited 0, expected a failure"
        return 1
    fi
    if ! grep -qF "$want" "/tmp/$name.out"
    then
        echo "$name: exited $rc without saying \"$want\""
        return 1
    fi
    for u
    do
        if grep -qF "$u" "/tmp/$name.out"
        then
            echo "$name: says \"$u\""
            return 1
        fi
    done
}

# op_fails_saying NAME OP WANT UNWANTED...
op_fails_saying()
{
    local name=$1

    run_op "$name" "$2"
    shift 2
    failed_saying "$name" "$@"
}

no_copy()
{
    list_entry "$1" | grep -qv ' copy$'
}

# left_running NAME: the guest is still the domain it was, the only one
# of its name (a failed migration left no copy behind, once the receiver
# is done), and neither paused nor shut down (suspended) nor crashed nor
# dying.
left_running()
{
    local name=$1 entry domid state cpu copy

    wait_for 20 no_copy "$name" || true
    entry=$(list_entry "$name") ||
        { echo "no domain $name"; xl list; return 1; }
    # shellcheck disable=SC2086 # three or four words
    set -- $entry
    domid=$1 state=$2 cpu=$3 copy=${4:-}
    if [ "$domid" != "$(cat "/tmp/$name.domid")" ]
    then
        echo "$name is domain $domid, was $(cat "/tmp/$name.domid")"
        return 1
    fi
    if [ -n "$copy" ]
    then
        echo "a copy of $name is left:"
        xl list
        return 1
    fi
    case $state in
    *p*|*s*|*c*|*d*)
        echo "$name: state $state (paused, shut down, crashed or dying)"
        return 1
        ;;
    esac
    echo "$name: domain $domid, state $state, ${cpu}s of CPU time"
}

cpu_time_above()
{
    awk -v a="$(cpu_time "$1")" -v b="$2" 'BEGIN { exit !(a > b) }'
}

# left_running_and_busy NAME: left_running, and the guest has used CPU
# time since its last run_op began (for a guest that answers nothing).
left_running_and_busy()
{
    local t

    left_running "$1" || return 1
    t=$(cat "/tmp/$1.cpu")
    wait_for 30 cpu_time_above "$1" "$t" ||
        { echo "$1: CPU time stuck at ${t}s"; return 1; }
}

# start_together EXTRA NAME:ENV...: start these guests at the same time,
# each with EXTRA on its command line; all must have started.
start_together()
{
    local extra=$1 g rc=0
    shift

    for g
    do
        start "${g%:*}" "${g#*:}" "$extra" &
    done
    wait
    for g
    do
        started "${g%:*}" || { echo "${g%:*} did not start"; rc=1; }
    done
    return "$rc"
}

no_p2m_cases()
{
    local env=$1 op g=nop2m-$1

    started "$g" || return 0
    for op in save migrate
    do
        case_run "$env-no-p2m-$op-fails-naming-p2m" \
            op_fails_saying "$g" "$op" "$P2M_MSG" "$NO_RESPONSE_MSG" \
            "$SUSPEND_FAILED_MSG"
        case_run "$env-no-p2m-$op-leaves-guest-running" left_running "$g"
    done

    # It still answers the toolstack: it powers off when asked.
    case_run "$env-no-p2m-guest-answers" answers_shutdown "$g"
}

# no_suspend_ops ENV: xl save nosusp-save-ENV and xl migrate
# nosusp-migrate-ENV at the same time; both must fail.
no_suspend_ops()
{
    local op g

    for op in save migrate
    do
        run_op "nosusp-$op-$1" "$op" &
    done
    wait
    for op in save migrate
    do
        g=nosusp-$op-$1
        [ "$(cat "/tmp/$g.rc")" != 0 ] ||
            { echo "xl $op $g succeeded"; return 1; }
    done
}

no_suspend_cases()
{
    local env=$1 op g

    case_run "$env-no-suspend-start" start_together no-suspend \
        "nosusp-save-$env:$env" "nosusp-migrate-$env:$env"
    started "nosusp-save-$env" && started "nosusp-migrate-$env" || return 0

    case_run "$env-no-suspend-save-and-migrate-fail" no_suspend_ops "$env"
    for op in save migrate
    do
        g=nosusp-$op-$env
        case_run "$env-no-suspend-$op-says-no-response" \
            failed_saying "$g" "$NO_RESPONSE_MSG" "$P2M_MSG" "$BEFORE_MSG"
        case_run "$env-no-suspend-$op-leaves-guest-running" \
            left_running_and_busy "$g"
        # It answers nothing, power-off requests included.
        xl destroy "$g"
    done
}

envs=""
guests=""
for env in pv64 pv32pae
do
    [ -f "$XTF/test-$env-pv-migrate.cfg" ] || continue
    envs="$envs $env"
    guests="$guests nop2m-$env:$env"
done
if [ -z "$envs" ]
then
    echo "FAIL kernels-given (0.00s): no $XTF/test-ENV-pv-migrate.cfg"
    exit 1
fi

# shellcheck disable=SC2086 # one word per guest
case_run no-p2m-start start_together no-p2m $guests
for env in $envs
do
    no_p2m_cases "$env"
done
# shellcheck disable=SC2086 # the first word
set -- $envs
no_suspend_cases "$1"

# What xl printed and what the checks saw, for passing cases too.
for f in /tmp/case-*.log
do
    [ -s "$f" ] || continue
    f=${f#/tmp/case-}
    echo "output of case ${f%.log}:"
    sed 's/^/    /' "/tmp/case-$f"
done

finish
