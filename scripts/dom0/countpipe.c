/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * countpipe FILE: copy stdin to stdout, as it comes (no waiting for a full
 * buffer: the migration protocol is a conversation), in reads of up to
 * 64K, and write the number of bytes copied to FILE at the end.
 *
 * For dom0's migration test, where busybox tee and wc (small reads and
 * writes, one more process) added 80 s to the live migration of a 32M
 * guest under emulation.  Built static by scripts/setup/mk-dom0.sh.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    static char buf[65536];
    unsigned long long total = 0;
    FILE *f;
    int rc = 0;

    if ( argc != 2 )
    {
        fprintf(stderr, "usage: countpipe FILE <in >out\n");
        return 2;
    }

    for ( ;; )
    {
        ssize_t n = read(0, buf, sizeof(buf)), done = 0;

        if ( n < 0 && errno == EINTR )
            continue;
        if ( n <= 0 )
        {
            rc = n < 0;
            break;
        }

        while ( done < n )
        {
            ssize_t w = write(1, buf + done, n - done);

            if ( w < 0 && errno == EINTR )
                continue;
            if ( w <= 0 )
            {
                rc = 1;
                goto out;
            }
            done += w;
        }
        total += n;
    }

 out:
    f = fopen(argv[1], "w");
    if ( !f || fprintf(f, "%llu\n", total) < 0 || fclose(f) )
        rc = 1;

    return rc;
}
