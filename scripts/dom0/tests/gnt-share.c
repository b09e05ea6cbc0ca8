/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gnt-share DOMID: share one page of dom0 with domain DOMID through
 * libxengnttab (Linux's gntalloc), the page beginning with
 * "pv-migrate grant", for XTF's pv-migrate guest with its grant-dom0 word
 * (scripts/dom0/tests/save-failures.sh).  Prints the grant reference on
 * stdout, then holds the grant until killed.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xengnttab.h>

int main(int argc, char *argv[])
{
    static const char text[] = "pv-migrate grant";
    xengntshr_handle *xgs;
    uint32_t ref;
    char *page, *end;
    unsigned long domid;

    if ( argc != 2 ||
         (domid = strtoul(argv[1], &end, 0), *end || end == argv[1]) )
    {
        fprintf(stderr, "usage: %s DOMID\n", argv[0]);
        return 2;
    }

    xgs = xengntshr_open(NULL, 0);
    if ( !xgs )
    {
        perror("gnt-share: xengntshr_open");
        return 1;
    }

    page = xengntshr_share_pages(xgs, domid, 1, &ref, 1);
    if ( !page )
    {
        perror("gnt-share: xengntshr_share_pages");
        return 1;
    }
    memcpy(page, text, sizeof(text));

    printf("%u\n", ref);
    fflush(stdout);

    for ( ;; )
        pause();
}
