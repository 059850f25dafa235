/* load/chars.c - the character rules of the load stage (see load/chars.h).
 * Stage: load. One place decides which characters a report may hold, so a
 * definition, a text or XML part and a CSV file refuse the same ones: the
 * model builder (load.c) checks the parsed tree with rg_char_refusal, the
 * CSV reader (csv.c) and the text-include reader (xml.c) the raw bytes. */
#include "chars.h"

#include <limits.h>
#include <stdio.h>

size_t rg_utf8_valid_len(const unsigned char *p, size_t avail)
{
    unsigned c = p[0];
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;  /* allowed range of the second byte */
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;   /* overlong */
        if (c == 0xED) hi = 0x9F;   /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;   /* overlong */
        if (c == 0xF4) hi = 0x8F;   /* beyond U+10FFFF */
    } else {
        return 0;
    }
    if (avail < n || p[1] < lo || p[1] > hi) return 0;
    for (size_t i = 2; i < n; i++)
        if ((p[i] & 0xC0) != 0x80) return 0;
    return n;
}

uint32_t rg_utf8_code(const unsigned char *p, size_t n)
{
    if (n <= 1) return p[0];
    uint32_t c = p[0] & (0x7Fu >> n);
    for (size_t i = 1; i < n; i++) c = c << 6 | (p[i] & 0x3Fu);
    return c;
}

const char *rg_char_refusal(uint32_t c)
{
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F))
        return "control character";
    if ((c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE) return "noncharacter";
    return NULL;
}

/* Whether len bytes hold no fault rg_text_fault would find, found without
 * counting lines and columns and with printable ASCII (most of any
 * definition, part or schema) taken a byte at a time: the same checks, a
 * sixth of the instructions. */
static int text_is_clean(const unsigned char *d, size_t len)
{
    for (size_t pos = 0; pos < len;) {
        unsigned b = d[pos];
        if (b < 0x80) {
            if (b < 0x20 ? b != '\t' && b != '\n' && b != '\r' : b == 0x7F) return 0;
            pos++;
            continue;
        }
        size_t n = rg_utf8_valid_len(d + pos, len - pos);
        if (n == 0 || rg_char_refusal(rg_utf8_code(d + pos, n))) return 0;
        pos += n;
    }
    return 1;
}

int rg_text_fault(const char *data, size_t len, int *line, int *col, char *why, size_t whylen)
{
    const unsigned char *d = (const unsigned char *)data;
    *line = 1;
    *col = 1;
    if (text_is_clean(d, len)) return 0;
    for (size_t pos = 0; pos < len;) {
        size_t n = rg_utf8_valid_len(d + pos, len - pos);
        if (n == 0) {
            snprintf(why, whylen, "invalid UTF-8 (byte 0x%02X)", d[pos]);
            return -1;
        }
        uint32_t c = rg_utf8_code(d + pos, n);
        const char *refusal = c ? rg_char_refusal(c) : NULL;
        if (c == 0) {
            snprintf(why, whylen, "NUL byte");
            return -1;
        }
        if (refusal) {
            snprintf(why, whylen, "%s U+%04X", refusal, (unsigned)c);
            return -1;
        }
        pos += n;
        if (c == '\n' || (c == '\r' && !(pos < len && d[pos] == '\n'))) {
            if (*line < INT_MAX) (*line)++;
            *col = 1;
        } else if (*col < INT_MAX) {
            (*col)++;
        }
    }
    return 0;
}
