/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AFL's entry to pv-save-fuzzer.c: one input per file named (or stdin), in
 * AFL's persistent mode when built by afl-clang-fast.  Also what replays a
 * crash, built by any compiler: afl-pv-save-fuzzer FILE...
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define INPUT_SIZE (1 << 20)
static uint8_t input[INPUT_SIZE];

/* Run the input in fp; 0, or -1 if it could not be read whole. */
static int run(FILE *fp, const char *name)
{
    size_t size = fread(input, 1, INPUT_SIZE, fp);

    if ( ferror(fp) )
    {
        perror(name);
        return -1;
    }
    if ( !feof(fp) )
    {
        fprintf(stderr, "%s: input larger than %u bytes\n", name, INPUT_SIZE);
        return -1;
    }

    LLVMFuzzerTestOneInput(input, size);

    return 0;
}

int main(int argc, char **argv)
{
    int i;

    setbuf(stdout, NULL);

    if ( LLVMFuzzerInitialize(&argc, &argv) )
        return 1;

    if ( argc < 2 )
    {
#ifdef __AFL_HAVE_MANUAL_CONTROL
        __AFL_INIT();

        while ( __AFL_LOOP(1000) )
        {
            rewind(stdin);
            clearerr(stdin);
            if ( run(stdin, "stdin") )
                return 1;
        }

        return 0;
#else
        return run(stdin, "stdin") ? 1 : 0;
#endif
    }

    for ( i = 1; i < argc; i++ )
    {
        FILE *fp = fopen(argv[i], "rb");

        if ( !fp )
        {
            perror(argv[i]);
            return 1;
        }
        printf("%s\n", argv[i]);
        if ( run(fp, argv[i]) )
            return 1;
        fclose(fp);
    }

    return 0;
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
