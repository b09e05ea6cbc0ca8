/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * String functions and printf-style formatting for PV test kernels.
 *
 * Formatting knows %d %i %u %x %X %p %s %c %%, the flags '-', '0' and '#',
 * a field width and a precision (both may be '*'), and the length
 * modifiers hh, h, l, ll, z.  No libgcc: 64-bit division on 32-bit builds
 * is done by hand.
 */
#include "framework.h"

void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;

    while ( n-- )
        *d++ = *s++;

    return dst;
}

void *memset(void *p, int c, size_t n)
{
    uint8_t *d = p;

    while ( n-- )
        *d++ = c;

    return p;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;

    for ( ; n; n--, x++, y++ )
        if ( *x != *y )
            return *x < *y ? -1 : 1;

    return 0;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while ( n < max && s[n] )
        n++;

    return n;
}

size_t strlen(const char *s)
{
    return strnlen(s, ~(size_t)0);
}

int strncmp(const char *a, const char *b, size_t n)
{
    for ( ; n; n--, a++, b++ )
    {
        if ( *a != *b )
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        if ( !*a )
            break;
    }

    return 0;
}

int strcmp(const char *a, const char *b)
{
    return strncmp(a, b, ~(size_t)0);
}

/* Divide *n by base (2..16) in place; return the remainder. */
static unsigned int div_base(uint64_t *n, unsigned int base)
{
    uint32_t hi = *n >> 32, lo = *n, part, q_hi, q_mid, q_lo;

    /* Long division in 32/16-bit steps: no __udivdi3 on 32-bit builds. */
    q_hi = hi / base;
    part = ((hi % base) << 16) | (lo >> 16);
    q_mid = part / base;
    part = ((part % base) << 16) | (lo & 0xffff);
    q_lo = part / base;
    *n = ((uint64_t)q_hi << 32) | (q_mid << 16) | q_lo;

    return part % base;
}

/* The state of one vsnprintf(): where to write, and how much was wanted. */
struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, char c)
{
    if ( o->len + 1 < o->size )
        o->buf[o->len] = c;
    o->len++;
}

static void pad(struct out *o, char c, int n)
{
    for ( ; n > 0; n-- )
        put(o, c);
}

#define F_LEFT  1
#define F_ZERO  2
#define F_ALT   4

static void put_string(struct out *o, const char *s, int width, int prec,
                       unsigned int flags)
{
    size_t len, i;

    if ( !s )
        s = "(null)";
    len = strnlen(s, prec < 0 ? ~(size_t)0 : (size_t)prec);
    if ( !(flags & F_LEFT) )
        pad(o, ' ', width - (int)len);
    for ( i = 0; i < len; i++ )
        put(o, s[i]);
    if ( flags & F_LEFT )
        pad(o, ' ', width - (int)len);
}

static void put_number(struct out *o, uint64_t val, bool negative,
                       unsigned int base, bool upper, int width,
                       unsigned int flags)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0, len;
    const char *prefix = "";

    do {
        tmp[n++] = digits[div_base(&val, base)];
    } while ( val );

    if ( negative )
        prefix = "-";
    else if ( (flags & F_ALT) && base == 16 )
        prefix = upper ? "0X" : "0x";
    len = n + (int)strlen(prefix);

    if ( !(flags & (F_LEFT | F_ZERO)) )
        pad(o, ' ', width - len);
    while ( *prefix )
        put(o, *prefix++);
    if ( (flags & (F_LEFT | F_ZERO)) == F_ZERO )
        pad(o, '0', width - len);
    while ( n )
        put(o, tmp[--n]);
    if ( flags & F_LEFT )
        pad(o, ' ', width - len);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
    struct out o = { .buf = buf, .size = size };

    for ( ; *fmt; fmt++ )
    {
        unsigned int flags = 0, base = 10;
        int width = 0, prec = -1, lng = 0;
        bool is_signed = false, upper = false;
        uint64_t val;

        if ( *fmt != '%' )
        {
            put(&o, *fmt);
            continue;
        }

        for ( ; ; fmt++ )
        {
            if ( fmt[1] == '-' )
                flags |= F_LEFT;
            else if ( fmt[1] == '0' )
                flags |= F_ZERO;
            else if ( fmt[1] == '#' )
                flags |= F_ALT;
            else
                break;
        }

        if ( fmt[1] == '*' )
        {
            fmt++;
            width = va_arg(args, int);
            if ( width < 0 )
            {
                flags |= F_LEFT;
                width = -width;
            }
        }
        else
            for ( ; fmt[1] >= '0' && fmt[1] <= '9'; fmt++ )
                width = width * 10 + (fmt[1] - '0');

        if ( fmt[1] == '.' )
        {
            fmt++;
            prec = 0;
            if ( fmt[1] == '*' )
            {
                fmt++;
                prec = va_arg(args, int);
            }
            else
                for ( ; fmt[1] >= '0' && fmt[1] <= '9'; fmt++ )
                    prec = prec * 10 + (fmt[1] - '0');
        }

        /* -2: hh, -1: h, 0: int, 1: long, 2: long long, 3: size_t */
        for ( ; ; fmt++ )
        {
            if ( fmt[1] == 'h' )
                lng--;
            else if ( fmt[1] == 'l' )
                lng++;
            else if ( fmt[1] == 'z' )
                lng = 3;
            else
                break;
        }

        switch ( *++fmt )
        {
        case '\0':
            fmt--;
            continue;

        case '%':
            put(&o, '%');
            continue;

        case 'c':
            put(&o, (char)va_arg(args, int));
            continue;

        case 's':
            put_string(&o, va_arg(args, const char *), width, prec, flags);
            continue;

        case 'p':
            val = (unsigned long)va_arg(args, const void *);
            put_number(&o, val, false, 16, false, width, flags | F_ALT);
            continue;

        case 'd':
        case 'i':
            is_signed = true;
            break;

        case 'u':
            break;

        case 'X':
            upper = true;
            /* fall through */
        case 'x':
            base = 16;
            break;

        default:
            /* Unknown conversion: print it as it is. */
            put(&o, '%');
            put(&o, *fmt);
            continue;
        }

        if ( is_signed )
        {
            int64_t sval;

            switch ( lng )
            {
            case 3:  sval = (long)va_arg(args, size_t); break;
            case 2:  sval = va_arg(args, long long); break;
            case 1:  sval = va_arg(args, long); break;
            case -1: sval = (short)va_arg(args, int); break;
            case -2: sval = (signed char)va_arg(args, int); break;
            default: sval = va_arg(args, int); break;
            }
            val = sval < 0 ? -(uint64_t)sval : (uint64_t)sval;
            put_number(&o, val, sval < 0, base, upper, width, flags);
        }
        else
        {
            switch ( lng )
            {
            case 3:  val = va_arg(args, size_t); break;
            case 2:  val = va_arg(args, unsigned long long); break;
            case 1:  val = va_arg(args, unsigned long); break;
            case -1: val = (unsigned short)va_arg(args, unsigned int); break;
            case -2: val = (unsigned char)va_arg(args, unsigned int); break;
            default: val = va_arg(args, unsigned int); break;
            }
            put_number(&o, val, false, base, upper, width, flags);
        }
    }

    if ( o.size )
        o.buf[o.len < o.size ? o.len : o.size - 1] = '\0';

    return o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    int n;

    va_start(args, fmt);
    n = vsnprintf(buf, size, fmt, args);
    va_end(args);

    return n;
}
