#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install the Debian packages the build and the tests need, if missing.

set -eu
. "$(dirname "$0")/../lib.sh"

PACKAGES="build-essential bison flex python3 python3-dev acpica-tools
libyajl-dev libjson-c-dev uuid-dev libncurses-dev zlib1g-dev pkg-config git
xz-utils cpio busybox-static qemu-system-x86 expect dpkg-dev ccache pandoc
liblist-moreutils-perl python3-yaml quilt clang libclang-rt-14-dev
libfuzzer-14-dev afl++"

missing_packages()
{
    local p

    for p in $PACKAGES
    do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
            grep -q '^install ok installed$' || printf '%s ' "$p"
    done
}

main()
{
    local missing

    missing=$(missing_packages)
    missing=${missing% }
    [ -n "$missing" ] || return 0
    [ "$(id -u)" = 0 ] || die "missing packages ($missing) and not root to install them"
    say "installing Debian packages: $missing"
    run_logged "$LOGS/apt-update.log" "apt-get update" apt-get update
    # shellcheck disable=SC2086
    run_logged "$LOGS/apt-install.log" "apt-get install $missing" \
        env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends $missing
}

main "$@"
