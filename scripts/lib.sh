# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2034 # TREE and the like: for the sourcing script
#
# Shared helpers of the driver scripts: paths, messages, Config.mk.
# Sourced, never run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
LOGS=${LOGS:-$BUILD/logs}
TREE=$BUILD/xen

mkdir -p "$LOGS"

say()
{
    printf '==> %s\n' "$*" >&2
}

die()
{
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# now: the time, in seconds; elapsed START: seconds since START, as
# "1.234", for the "PASS name (1.234s)" lines of the tests.
now()
{
    date +%s.%N
}

elapsed()
{
    awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'
}

# config VAR: the value of VAR in Config.mk (the environment wins).
config()
{
    local var=$1 val

    val=$(printenv "$var" || true)
    if [ -z "$val" ]
    then
        val=$(sed -n "s/^${var}[[:space:]]*=[[:space:]]*//p" "$TOP/Config.mk")
    fi
    [ -n "$val" ] || die "Config.mk has no value for $var"
    printf '%s\n' "$val"
}

# stale_config TREE NAME OPTS FILE: true if TREE has no FILE (what a
# configure step writes) or was configured with other OPTS than these;
# the OPTS used are kept as NAME in TREE's git dir, by configured.
stale_config()
{
    local stamp

    stamp=$(git -C "$1" rev-parse --absolute-git-dir)/$2
    [ ! -f "$1/$4" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$3" ]
}

# configured TREE NAME OPTS: TREE is now configured with OPTS.
configured()
{
    printf '%s\n' "$3" >"$(git -C "$1" rev-parse --absolute-git-dir)/$2"
}

# run_logged LOG DESCRIPTION CMD...: run CMD with its output in LOG; on
# failure, name the step and the log and show its tail.
run_logged()
{
    local log=$1 what=$2
    shift 2

    mkdir -p "$(dirname "$log")"
    if ! "$@" >"$log" 2>&1
    then
        tail -n 20 "$log" >&2
        die "$what failed; full log: $log"
    fi
}
