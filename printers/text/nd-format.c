// SPDX-License-Identifier: BSD-2-Clause
/*
 * nd_printf(), nd_puts() and the growable buffer they write into.
 *
 * Printing a capture is mostly formatting: every field of every packet goes
 * through nd_printf().  libc's vsnprintf sets up a FILE for each call and
 * walks a general state machine, which made it half of the time spent on
 * `-r FILE -n`.  The dissectors use a small subset of printf -- %s %u %d
 * %x %c with the '-' and '0' flags, a width, a precision (also as '*') and
 * the hh/h/l/ll/z/j/t length modifiers -- so that subset is formatted here,
 * straight into the sink's struct nd_buf when it has one (the text
 * printer's line), else into a buffer on the stack.  Anything else in a
 * format (%p, %f, %o, the '#', '+' and ' ' flags, a NULL string, output
 * longer than 256 bytes) hands the whole call to vsnprintf, so the text is
 * always what printf would have made of it.
 */
#include "netdissect.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define FMT_BUF 256

/*
 * The output position and its end travel as plain pointers, returned by
 * each step (NULL: it did not fit): through a struct, every character
 * stored would force them back to memory, as a char store may alias them.
 */

static char *put_bytes(char *p, char *end, const char *s, size_t n)
{
	if (!p || n > (size_t)(end - p))
		return NULL;
	memcpy(p, s, n);
	return p + n;
}

static char *put_fill(char *p, char *end, char c, size_t n)
{
	if (!p || n > (size_t)(end - p))
		return NULL;
	memset(p, c, n);
	return p + n;
}

static const char digit_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233"
	"34353637383940414243444546474849505152535455565758596061626364656667"
	"6869707172737475767778798081828384858687888990919293949596979899";

/* Digits of v in base 10 or 16, written backwards ending at end. */
static char *utoa_rev(char *end, unsigned long long v, int base, int upper)
{
	static const char lower_digits[] = "0123456789abcdef";
	static const char upper_digits[] = "0123456789ABCDEF";
	const char *digits = upper ? upper_digits : lower_digits;

	if (base == 10) {
		while (v >= 100) {
			unsigned r = (unsigned)(v % 100);

			v /= 100;
			*--end = digit_pairs[2 * r + 1];
			*--end = digit_pairs[2 * r];
		}
		if (v >= 10) {
			*--end = digit_pairs[2 * v + 1];
			*--end = digit_pairs[2 * v];
		} else {
			*--end = (char)('0' + v);
		}
	} else {
		do {
			*--end = digits[v & 0xf];
			v >>= 4;
		} while (v);
	}
	return end;
}

struct conv {
	int left, zero;
	int width;     /* 0: none */
	int prec;      /* -1: none */
};

static char *put_padded(char *p, char *end, const struct conv *c,
			const char *s, size_t n)
{
	size_t pad = c->width > 0 && (size_t)c->width > n ?
		     (size_t)c->width - n : 0;

	if (!c->left)
		p = put_fill(p, end, ' ', pad);
	p = put_bytes(p, end, s, n);
	if (c->left)
		p = put_fill(p, end, ' ', pad);
	return p;
}

static char *put_integer(char *p, char *end, const struct conv *c, int neg,
			 unsigned long long v, int base, int upper)
{
	char digits[24], *dend = digits + sizeof(digits), *s;
	size_t ndig, zeros = 0, len, pad;

	if (c->prec == 0 && v == 0)
		s = dend; /* "%.0u" of zero prints no digit */
	else
		s = utoa_rev(dend, v, base, upper);
	ndig = (size_t)(dend - s);
	if (c->prec > 0 && (size_t)c->prec > ndig)
		zeros = (size_t)c->prec - ndig;
	len = (size_t)neg + zeros + ndig;
	pad = c->width > 0 && (size_t)c->width > len ?
	      (size_t)c->width - len : 0;
	/* '0' pads after the sign, unless a precision or '-' is given. */
	if (c->zero && !c->left && c->prec < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!c->left)
		p = put_fill(p, end, ' ', pad);
	if (neg)
		p = put_bytes(p, end, "-", 1);
	p = put_fill(p, end, '0', zeros);
	p = put_bytes(p, end, s, ndig);
	if (c->left)
		p = put_fill(p, end, ' ', pad);
	return p;
}

/* Plain "%u": the most common conversion of all. */
static char *put_plain_u(char *p, char *end, unsigned v)
{
	char digits[12], *dend = digits + sizeof(digits);
	char *s = utoa_rev(dend, v, 10, 0);

	return put_bytes(p, end, s, (size_t)(dend - s));
}

enum { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T };

/* Consumes the argument of a signed conversion. */
static long long arg_signed(va_list *ap, int lenmod)
{
	switch (lenmod) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:
		return (long long)va_arg(*ap, ssize_t);
	case LEN_J:
		return (long long)va_arg(*ap, intmax_t);
	case LEN_T:
		return (long long)va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, int);
	}
}

static unsigned long long arg_unsigned(va_list *ap, int lenmod)
{
	switch (lenmod) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
		return va_arg(*ap, size_t);
	case LEN_J:
		return (unsigned long long)va_arg(*ap, uintmax_t);
	case LEN_T:
		return (unsigned long long)va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, unsigned);
	}
}

/* A decimal field of a conversion spec; *fmt moves past it. */
static int spec_number(const char **fmt)
{
	const char *f = *fmt;
	int n = 0;

	while (*f >= '0' && *f <= '9') {
		if (n > 100000)
			return -1;
		n = n * 10 + (*f++ - '0');
	}
	*fmt = f;
	return n;
}

/*
 * One conversion with flags, width, precision or length modifier; f is
 * past the '%'.  Returns the new output position, NULL when it does not
 * fit or is not in the subset; *fmt moves past the conversion.
 */
static char *full_conversion(char *p, char *end, const char **fmt,
			     va_list *ap)
{
	const char *f = *fmt, *start = f;
	struct conv c = { 0, 0, 0, -1 };
	int lenmod = LEN_NONE;

	for (;; f++) {
		if (*f == '-')
			c.left = 1;
		else if (*f == '0')
			c.zero = 1;
		else
			break;
	}
	if (*f == '*') {
		c.width = va_arg(*ap, int);
		if (c.width < 0) {
			if (c.width == -c.width) /* INT_MIN */
				return NULL;
			c.left = 1;
			c.width = -c.width;
		}
		f++;
	} else if ((c.width = spec_number(&f)) < 0) {
		return NULL;
	}
	if (*f == '.') {
		f++;
		if (*f == '*') {
			c.prec = va_arg(*ap, int);
			if (c.prec < 0)
				c.prec = -1;
			f++;
		} else if ((c.prec = spec_number(&f)) < 0) {
			return NULL;
		}
	}
	switch (*f) {
	case 'h':
		lenmod = f[1] == 'h' ? LEN_HH : LEN_H;
		f += lenmod == LEN_HH ? 2 : 1;
		break;
	case 'l':
		lenmod = f[1] == 'l' ? LEN_LL : LEN_L;
		f += lenmod == LEN_LL ? 2 : 1;
		break;
	case 'z':
		lenmod = LEN_Z;
		f++;
		break;
	case 'j':
		lenmod = LEN_J;
		f++;
		break;
	case 't':
		lenmod = LEN_T;
		f++;
		break;
	default:
		break;
	}
	*fmt = f + 1;
	switch (*f) {
	case 'd':
	case 'i': {
		long long v = arg_signed(ap, lenmod);
		unsigned long long mag = v < 0 ? 0ull - (unsigned long long)v :
					 (unsigned long long)v;

		return put_integer(p, end, &c, v < 0, mag, 10, 0);
	}
	case 'u':
		return put_integer(p, end, &c, 0, arg_unsigned(ap, lenmod), 10,
				   0);
	case 'x':
	case 'X':
		return put_integer(p, end, &c, 0, arg_unsigned(ap, lenmod), 16,
				   *f == 'X');
	case 'c': {
		char ch;

		if (lenmod != LEN_NONE || c.zero)
			return NULL;
		ch = (char)(unsigned char)va_arg(*ap, int);
		return put_padded(p, end, &c, &ch, 1);
	}
	case 's': {
		const char *s;

		if (lenmod != LEN_NONE || c.zero)
			return NULL;
		s = va_arg(*ap, const char *);
		if (!s)
			return NULL; /* glibc's "(null)" rules: let it */
		return put_padded(p, end, &c, s, c.prec < 0 ? strlen(s) :
				  strnlen(s, (size_t)c.prec));
	}
	case '%':
		/* only a bare "%%" */
		return f == start ? put_bytes(p, end, "%", 1) : NULL;
	default:
		return NULL;
	}
}

/*
 * Formats into [p, end).  Returns the end of the text, or NULL when the
 * format needs more than this subset or the output does not fit: the
 * caller then starts over with vsnprintf.
 */
static char *fast_format(char *p, char *end, const char *f, va_list *ap)
{
	for (;;) {
		char ch;

		/* Literal text is short: a loop beats strchr and memcpy. */
		while ((ch = *f) != '%') {
			if (ch == '\0')
				return p;
			if (p == end)
				return NULL;
			*p++ = ch;
			f++;
		}
		f++;
		/* The plain conversions, most of them, without the parser. */
		if (*f == 's') {
			const char *s = va_arg(*ap, const char *);
			size_t room = (size_t)(end - p);

			if (!s)
				return NULL;
			while (*s) {
				if (!room--)
					return NULL;
				*p++ = *s++;
			}
			f++;
		} else if (*f == 'u') {
			p = put_plain_u(p, end, va_arg(*ap, unsigned));
			f++;
		} else {
			p = full_conversion(p, end, &f, ap);
		}
		if (!p)
			return NULL;
	}
}

int nd_buf_reserve(struct nd_buf *b, size_t n)
{
	size_t cap;
	char *data;

	if (b->oom)
		return -1;
	if (b->cap - b->len >= n + 1)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap - b->len < n + 1)
		cap *= 2;
	data = realloc(b->data, cap);
	if (!data) {
		b->oom = 1;
		return -1;
	}
	b->data = data;
	b->cap = cap;
	return 0;
}

void nd_buf_append(struct nd_buf *b, const char *s, size_t n)
{
	if (nd_buf_reserve(b, n) < 0)
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void nd_buf_sink(void *arg, const char *s, size_t n)
{
	nd_buf_append(arg, s, n);
}

/* The buffer behind the sink when output may be written in place. */
static struct nd_buf *direct_buf(struct nd_ctx *nd, size_t room)
{
	struct nd_buf *b;

	if (nd->sink != nd_buf_sink)
		return NULL;
	b = nd->sink_arg;
	if (!b->oom && b->cap - b->len > room)
		return b;
	return nd_buf_reserve(b, room) == 0 ? b : NULL;
}

void nd_printf(struct nd_ctx *nd, const char *fmt, ...)
{
	char small[FMT_BUF], *start, *end, *p;
	struct nd_buf *b = direct_buf(nd, FMT_BUF);
	va_list ap;
	int n;

	if (b) {
		start = b->data + b->len;
		end = b->data + b->cap - 1;
	} else {
		start = small;
		end = small + sizeof(small);
	}
	va_start(ap, fmt);
	p = fast_format(start, end, fmt, &ap);
	va_end(ap);
	if (p) {
		if (b) {
			*p = '\0';
			b->len = (size_t)(p - b->data);
		} else {
			nd->sink(nd->sink_arg, small, (size_t)(p - small));
		}
		return;
	}
	if (b)
		b->data[b->len] = '\0'; /* what fast_format left is dropped */
	/* Not for the subset, or too long: printf's own text, from the
	 * arguments' start again. */
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		nd->sink(nd->sink_arg, small, (size_t)n);
		return;
	}
	/* Rare long strings (host names, labels): format again, exactly. */
	{
		char *big = malloc((size_t)n + 1);

		if (!big) {
			nd->sink(nd->sink_arg, small, sizeof(small) - 1);
			return;
		}
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		nd->sink(nd->sink_arg, big, (size_t)n);
		free(big);
	}
}

void nd_puts(struct nd_ctx *nd, const char *s)
{
	size_t n = strlen(s);
	struct nd_buf *b = direct_buf(nd, n);

	if (b) {
		memcpy(b->data + b->len, s, n + 1);
		b->len += n;
		return;
	}
	nd->sink(nd->sink_arg, s, n);
}
