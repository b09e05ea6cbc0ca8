#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# dom0 test: a failed xl save or xl migrate says which of two things went
# wrong, with no spurious errors, and leaves the guest running where it
# was, as the same domain:
#   no-p2m      the guest never published its p2m: the save fails at once,
#               before the guest is asked to suspend, and must say so --
#               not that the guest "did not respond to suspend request" --
#               and must not try to resume a guest it never suspended;
#   no-suspend  the guest never answers the suspend request: the save fails
#               when libxl gives up waiting (after 60 s, fixed in libxl),
#               saying that the guest did not respond.
#   grant-dom0  the guest holds, in a pinned L1 table, a mapping of a page
#               dom0 granted it (scripts/dom0/tests/gnt-share.c): the stream
#               cannot express that entry; the save fails once the guest is
#               suspended, naming the entry, and the guest is resumed, its
#               mapping intact (it checks, and says so on its console).
# A failed xl migrate must also wait for its receiver (here xl
# migrate-receive on this host) to destroy its copy, and report how the
# receiver exited; the receiver must not destroy that copy twice.  But
# not for ever: through a transport that never closes (hung), xl migrate
# says that it waits, and for how long, and then gives up (hung-migrate).
# The guest is XTF's pv-migrate, from the xl configs XTF generated
# (/xtf/tests/pv-migrate/test-ENV-pv-migrate.cfg).  The no-p2m cases run
# for each; the no-suspend cases (libxl's timeout does not depend on the
# guest's width) for the first only, its save and its migration at the same
# time so that the timeout is waited out once, and beside them the
# hung-migrate case, which waits as long; the grant-dom0 cases (an L1
# entry is checked alike for both widths) for the first only.
#
# It runs through Xen's own CI job (automation/scripts/qemu-pv-migrate-
# x86_64.sh), after the job's steps, as the toolstack fixes' variant of
# it; mostly waiting for libxl's timeouts, it runs beside the other boots.
#: boot save-failures runner=ci timeout=1200 beside=yes file=prog/gnt-share

. /test/cases.sh

# libxl's timeout for a guest's answer to a suspend request, in seconds.
SUSPEND_TIMEOUT=60

# What xl and its libraries print, as extended regular expressions.
SAVING_MSG="xc: info: Saving domain"
P2M_MSG="Guest has not published its p2m"
BEFORE_MSG="saving domain: failed before the domain was asked to suspend"
NO_RESPONSE_MSG="saving domain: domain did not respond to suspend request"
CANCELLED_MSG="guest didn't acknowledge suspend, cancelling request"
# What xl save and xl migrate say last, for a domain that was not suspended.
SAVE_FAILED_MSG="^Failed to save domain, it was not suspended \(should it suspend later: xl resume [0-9]+\)$"
MIGRATE_FAILED_MSG="^Migration failed, failed to suspend at sender\.$"
# xl migrate reporting how its receiver exited.
CHILD_REPORT_MSG="migration transport process \[[0-9]+\] exited with error status 1$"
# xl migrate waiting longer for its receiver, after 2 s, and giving up.
RECEIVER_WAIT_MSG="migration child \[[0-9]+\] still running \(the receiver destroys its copy of the domain first\), waiting up to 60 s$"
GIVE_UP_MSG="not exiting, no longer waiting"
# Resuming a domain that is not suspended.
RESUMING_MSGS="resuming domain|resuming at sender|not suspended: \(shutdown|xc_domain_resume failed"
# A pagetable entry of the suspended guest which maps a frame not its own;
# xl resuming the guest after the failure.
BAD_ENTRY_MSG="Bad mfn 0x[0-9a-f]+ in L1\[0\] of pfn 0x[0-9a-f]+ .*not a frame of the guest"
SAVE_RESUMING_MSG="^Failed to save domain, resuming domain$"
MIGRATE_RESUMING_MSG="^Migration failed, resuming at sender\.$"
# Giving up on the receiver; the receiver destroying its copy twice.
RECEIVER_MSGS="$GIVE_UP_MSG|Non-existant domain|Unable to destroy guest|Destruction of domain failed"

XTF=/xtf/tests/pv-migrate
# Settable in /test/conf: CASES, which of the three kinds of cases run
# (default: all).
CASES="no-p2m no-suspend grant-dom0"
[ ! -r /test/conf ] || . /test/conf

# wanted KIND: the cases of KIND are to run.
wanted()
{
    case " $CASES " in
    *" $1 "*) return 0 ;;
    esac
    return 1
}

# start_noted NAME ENV EXTRA: create the guest and note its domid; the cases of
# a guest that did not start are left out.
start_noted()
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

# tee_timed START STAMPED: copy lines, and write them to STAMPED too, each
# after the seconds since START (from /proc/uptime) it was read at.
tee_timed()
{
    awk -v start="$1" -v stamped="$2" '
        function now(u) {
            getline u <"/proc/uptime"
            close("/proc/uptime")
            return u + 0 - start
        }
        { print; printf "%7.2f %s\n", now(), $0 >stamped; fflush() }
        END { printf "%7.2f (closed)\n", now() >stamped }'
}

# run_op NAME save|migrate|migrate-hung: note the guest's CPU time, then xl
# save it, or xl migrate it to this host (with -s "", xl runs its "host"
# argument as the command that receives the stream; migrate-hung: a
# transport that keeps the stream open for 150 s after the receiver
# exited).  What xl and its receiver
# printed goes to /tmp/NAME.out, read until both have closed it (a
# receiver that outlives xl is caught too), and with the time of each
# line to /tmp/NAME.stamped; xl's exit status goes to /tmp/NAME.rc.
run_op()
{
    local name=$1

    cpu_time "$name" >"/tmp/$name.cpu"
    case $2 in
    save)
        {
            timeout 200 xl save "$name" "/tmp/$name.save"
            echo "$?" >"/tmp/$name.rc"
        } 2>&1 | tee_timed "$(uptime_s)" "/tmp/$name.stamped" >"/tmp/$name.out"
        rm -f "/tmp/$name.save"
        ;;
    migrate)
        {
            timeout 200 xl migrate -s "" "$name" "xl migrate-receive"
            echo "$?" >"/tmp/$name.rc"
        } 2>&1 | tee_timed "$(uptime_s)" "/tmp/$name.stamped" >"/tmp/$name.out"
        ;;
    migrate-hung)
        {
            timeout 200 xl migrate -s "" "$name" \
                "xl migrate-receive; exec sleep 150 2>/dev/null"
            echo "$?" >"/tmp/$name.rc"
        } 2>&1 | tee_timed "$(uptime_s)" "/tmp/$name.stamped" >"/tmp/$name.out"
        ;;
    esac
}

# show_op NAME OP: what xl OP printed, when, and its exit status, for the
# log.
show_op()
{
    echo "xl $2 $1 (exit status $(cat "/tmp/$1.rc")), seconds since it began:"
    sed 's/^/    /' "/tmp/$1.stamped"
}

# exited NAME STATUS: the last run_op of NAME exited with STATUS.
exited()
{
    local rc

    rc=$(cat "/tmp/$1.rc")
    [ "$rc" = "$2" ] || { echo "$1: exit status $rc, expected $2"; return 1; }
}

# matches NAME ERE: the lines of the last run_op of NAME that match ERE;
# fails if there are none, and on a bad ERE.
matches()
{
    local rc

    grep -E -- "$2" "/tmp/$1.out" && rc=0 || rc=$?
    [ "$rc" -le 1 ] || echo "$1: grep -E \"$2\" exited $rc"
    return "$rc"
}

# says NAME ERE...: the last run_op of NAME printed a line matching each
# ERE.
says()
{
    local name=$1 e rc=0
    shift

    for e
    do
        matches "$name" "$e" >/dev/null ||
            { echo "$name: no line matches \"$e\""; rc=1; }
    done
    return "$rc"
}

# says_none NAME ERE: the last run_op of NAME printed no line matching
# ERE.
says_none()
{
    local rc

    matches "$1" "$2" && rc=0 || rc=$?
    case $rc in
    0) echo "$1: says the above (matching \"$2\")"; return 1 ;;
    1) return 0 ;;
    *) return 1 ;;
    esac
}

# between NAME FROM TO MIN MAX: in the last run_op of NAME, the first
# line matching the ERE TO came MIN to MAX seconds after the first one
# matching FROM.
between()
{
    # The EREs through the environment: awk -v would take their
    # backslashes for escapes.
    FROM=$2 TO=$3 awk -v min="$4" -v max="$5" '
        BEGIN { from = ENVIRON["FROM"]; to = ENVIRON["TO"] }
        a == "" && substr($0, 9) ~ from { a = $1 }
        a != "" && b == "" && substr($0, 9) ~ to { b = $1 }
        END {
            if (a == "" || b == "") {
                print "no line matches \"" (a == "" ? from : to) "\""
                exit 1
            }
            printf "%.2fs from \"%s\" to \"%s\"\n", b - a, from, to
            exit !(b - a >= min && b - a < max)
        }' "/tmp/$1.stamped" ||
        { echo "$1: expected $4 to $5 seconds"; return 1; }
}

# left_running NAME: the guest is still the domain it was, the only one
# of its name (a failed migration has left no copy behind: its receiver
# is done), and neither paused nor shut down (suspended) nor crashed nor
# dying.
left_running()
{
    local name=$1 entry domid state cpu copy

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
        start_noted "${g%:*}" "${g#*:}" "$extra" &
    done
    wait
    for g
    do
        started "${g%:*}" || { echo "${g%:*} did not start"; rc=1; }
    done
    return "$rc"
}

# op_cases PREFIX NAME OP UNWANTED WANT...: the cases of the last run_op
# of NAME: it failed with exit status 1, saying each WANT and what xl OP
# says last for a domain it did not suspend (xl migrate: and how its
# receiver exited), and nothing matching UNWANTED, nor resuming a domain
# that is not suspended, nor (xl migrate) giving up on its receiver, nor
# the receiver destroying its copy twice.
op_cases()
{
    local prefix=$1 name=$2 op=$3 unwanted=$4
    shift 4

    case $op in
    save) set -- "$@" "$SAVE_FAILED_MSG" ;;
    migrate)
        set -- "$@" "$MIGRATE_FAILED_MSG" "$CHILD_REPORT_MSG"
        unwanted="$unwanted|$RECEIVER_MSGS"
        ;;
    esac
    show_op "$name" "$op"
    case_run "$prefix-exit-status" exited "$name" 1
    case_run "$prefix-says-why" says "$name" "$@"
    case_run "$prefix-no-spurious-errors" says_none "$name" \
        "$RESUMING_MSGS|$unwanted"
}

no_p2m_cases()
{
    local env=$1 op g=nop2m-$1

    started "$g" || return 0
    for op in save migrate
    do
        run_op "$g" "$op"
        # It fails before the guest is asked to suspend: no word of an
        # answer, no waiting for one.
        op_cases "$env-no-p2m-$op" "$g" "$op" \
            "$NO_RESPONSE_MSG|$CANCELLED_MSG" "$P2M_MSG" "$BEFORE_MSG"
        case_run "$env-no-p2m-$op-fails-at-once" between "$g" \
            "$SAVING_MSG" "$BEFORE_MSG" 0 "$SUSPEND_TIMEOUT"
        case_run "$env-no-p2m-$op-leaves-guest-running" left_running "$g"
    done

    # It still answers the toolstack: it powers off when asked.
    case_run "$env-no-p2m-guest-answers" answers_shutdown "$g"
}

# no_suspend_ops ENV: xl save nosusp-save-ENV, xl migrate
# nosusp-migrate-ENV and the hung migration of hung-ENV at the same time.
no_suspend_ops()
{
    local op

    for op in save migrate
    do
        run_op "nosusp-$op-$1" "$op" &
    done
    if started "hung-$1"
    then
        run_op "hung-$1" migrate-hung &
    fi
    wait
}

# hung_cases ENV: the migration of the guest hung-ENV, which never
# published its p2m, through a transport that outlives its receiver: it
# fails at once, xl says after 2 s that it waits for the receiver, and
# for how long, then gives up, 60 s later.
hung_cases()
{
    local env=$1 g=hung-$1

    started "$g" || return 0
    show_op "$g" migrate
    case_run "$env-hung-migrate-exit-status" exited "$g" 1
    case_run "$env-hung-migrate-says-why" says "$g" "$P2M_MSG" \
        "$BEFORE_MSG" "$RECEIVER_WAIT_MSG" "$GIVE_UP_MSG" \
        "$MIGRATE_FAILED_MSG"
    case_run "$env-hung-migrate-no-spurious-errors" says_none "$g" \
        "$RESUMING_MSGS|$NO_RESPONSE_MSG|$CANCELLED_MSG"
    case_run "$env-hung-migrate-announces-wait" between "$g" \
        "$BEFORE_MSG" "$RECEIVER_WAIT_MSG" 0 30
    case_run "$env-hung-migrate-gives-up" between "$g" \
        "$RECEIVER_WAIT_MSG" "$GIVE_UP_MSG" 50 70
    case_run "$env-hung-migrate-leaves-guest-running" left_running "$g"
    xl destroy "$g"
}

no_suspend_cases()
{
    local env=$1 op g

    case_run "$env-no-suspend-start" start_together no-suspend \
        "nosusp-save-$env:$env" "nosusp-migrate-$env:$env"
    started "nosusp-save-$env" && started "nosusp-migrate-$env" || return 0

    no_suspend_ops "$env"
    hung_cases "$env"
    for op in save migrate
    do
        g=nosusp-$op-$env
        # libxl waits for the guest's answer, then gives up.
        op_cases "$env-no-suspend-$op" "$g" "$op" \
            "$P2M_MSG|$BEFORE_MSG" "$CANCELLED_MSG" "$NO_RESPONSE_MSG"
        case_run "$env-no-suspend-$op-waits-for-guest" between "$g" \
            "$SAVING_MSG" "$CANCELLED_MSG" "$SUSPEND_TIMEOUT" 200
        case_run "$env-no-suspend-$op-leaves-guest-running" \
            left_running_and_busy "$g"
        # It answers nothing, power-off requests included.
        xl destroy "$g"
    done
}

# start_granted NAME ENV: create the guest paused, share a page of dom0
# with it (the sharer runs until the guest is gone), write the grant's
# reference where the guest reads it, let it run; note its domid.
start_granted()
{
    local name=$1 id

    xl create -p "$XTF/test-$2-pv-migrate.cfg" "name=\"$name\"" \
        'extra="grant-dom0"' &&
    id=$(xl domid "$name") || return 1
    /test/gnt-share "$id" >"/tmp/$name.gref" &
    echo "$!" >"/tmp/$name.sharer"
    wait_for 10 test -s "/tmp/$name.gref" &&
    xenstore-write "/local/domain/$id/data/pv-migrate-gref" \
        "$(cat "/tmp/$name.gref")" &&
    xl unpause "$name" &&
    wait_for 120 suspend_capable "$name" &&
    echo "$id" >"/tmp/$name.domid"
}

# console_has NAME LINE: the guest's console (xenconsoled's log, with
# the guest's CRs) has the line LINE.
console_has()
{
    tr -d '\r' <"/var/log/xen/console/guest-$1.log" | grep -qxF -- "$2"
}

# console_says NAME LINE: console_has NAME LINE, within 60 s.
console_says()
{
    wait_for 60 console_has "$1" "$2" || {
        echo "$1: no line \"$2\" on its console; it ends with:"
        tr -d '\r' <"/var/log/xen/console/guest-$1.log" | tail -n 10
        return 1
    }
}

grant_cases()
{
    local env=$1 g=grant-$1 op resume=0 resuming

    case_run "$env-grant-dom0-start" start_granted "$g" "$env"
    started "$g" || return 0
    for op in save migrate
    do
        run_op "$g" "$op"
        show_op "$g" "$op"
        resume=$((resume + 1))
        resuming=$SAVE_RESUMING_MSG
        [ "$op" = save ] || resuming=$MIGRATE_RESUMING_MSG
        case_run "$env-grant-dom0-$op-exit-status" exited "$g" 1
        case_run "$env-grant-dom0-$op-says-why" says "$g" \
            "$BAD_ENTRY_MSG" "$resuming"
        case_run "$env-grant-dom0-$op-no-spurious-errors" says_none "$g" \
            "$NO_RESPONSE_MSG|$BEFORE_MSG|$SAVE_FAILED_MSG|$RECEIVER_MSGS"
        case_run "$env-grant-dom0-$op-leaves-guest-running" left_running "$g"
        case_run "$env-grant-dom0-$op-guest-resumed" console_says "$g" \
            "pv-migrate: resume $resume: OK (suspend cancelled)"
    done
    case_run "$env-grant-dom0-guest-answers" answers_shutdown "$g"
    kill "$(cat "/tmp/$g.sharer")"
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
    case_line FAIL kernels-given 0 "no $XTF/test-ENV-pv-migrate.cfg"
    exit 1
fi

# shellcheck disable=SC2086 # the first word
set -- $envs
if wanted no-p2m
then
    # shellcheck disable=SC2086 # one word per guest
    case_run no-p2m-start start_together no-p2m $guests "hung-$1:$1"
    for env in $envs
    do
        no_p2m_cases "$env"
    done
fi
! wanted no-suspend || no_suspend_cases "$1"
! wanted grant-dom0 || grant_cases "$1"

# What the checks saw, for passing cases too.
for f in /tmp/case-*.log
do
    [ -s "$f" ] || continue
    f=${f#/tmp/case-}
    echo "output of case ${f%.log}:"
    sed 's/^/    /' "/tmp/case-$f"
done

finish
