/* load/prescan.c - checks on the raw bytes of an XML file before libxml2
 * parses it (see rg_xml_prescan in load/internal.h). Stage: load.
 *
 * Owns what libxml2 gets wrong or gets slowly: a NUL ends libxml2's input
 * (whatever follows, even after the root element, was silently dropped);
 * libxml2 2.9 checks an element's attributes for duplicates pairwise, so an
 * element with 100,000 attributes took a minute before it was refused; an
 * XIncluded part may declare another encoding than the definition's (bytes
 * read as ISO-8859-1 gave "cafÃ©", a UTF-7 part hid a DOCTYPE and a nested
 * include from the checks on its bytes). Every check is one forward pass.
 * A definition or layout may be UTF-8 or UTF-16 (load.c checks the declared
 * encoding after the parse), so the scan reads code units of one or two
 * bytes; a part must be UTF-8. */
#include "internal.h"
#include "chars.h"

#include <stdio.h>
#include <string.h>

/* The bytes of one file read as code units. */
typedef struct units {
    const unsigned char *d;
    size_t n;                      /* code units */
    int width;                     /* bytes per unit: 1 (UTF-8) or 2 (UTF-16) */
    int big_endian;                /* UTF-16BE */
} units;

static units units_of(const char *data, size_t len)
{
    const unsigned char *d = (const unsigned char *)data;
    units u = { d, len, 1, 0 };
    /* as libxml2 detects UTF-16: a byte order mark, or "<?" in UTF-16 */
    int le = (len >= 2 && d[0] == 0xFF && d[1] == 0xFE) ||
             (len >= 4 && memcmp(d, "<\0?\0", 4) == 0);
    int be = (len >= 2 && d[0] == 0xFE && d[1] == 0xFF) ||
             (len >= 4 && memcmp(d, "\0<\0?", 4) == 0);
    if (le || be) {
        u.width = 2;
        u.big_endian = be;
        u.n = len / 2;
    }
    return u;
}

static unsigned unit_at(const units *u, size_t i)
{
    const unsigned char *p = u->d + i * (size_t)u->width;
    if (u->width == 1) return p[0];
    return u->big_endian ? (unsigned)p[0] << 8 | p[1] : (unsigned)p[1] << 8 | p[0];
}

/* Whether the ASCII text lit starts at unit i. */
static int starts_with(const units *u, size_t i, const char *lit)
{
    for (; *lit; lit++, i++)
        if (i >= u->n || unit_at(u, i) != (unsigned char)*lit) return 0;
    return 1;
}

/* The unit just after the first lit at or after unit i, or u->n. lit is
 * at most a few units, so this is linear. */
static size_t skip_past(const units *u, size_t i, const char *lit)
{
    for (; i < u->n; i++)
        if (starts_with(u, i, lit)) return i + strlen(lit);
    return u->n;
}

/* Line and column (from 1; a column counts characters, or UTF-16 units) of
 * unit i: computed once, for a message. */
static void place_of(const units *u, size_t i, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t k = 0; k < i && k < u->n; k++) {
        unsigned c = unit_at(u, k);
        if (c == '\n') {
            if (*line < INT_MAX) (*line)++;
            *col = 1;
        } else if (!(u->width == 1 && (c & 0xC0) == 0x80) && *col < INT_MAX) {
            (*col)++;
        }
    }
}

static void fault_at(rg_ctx *ctx, const char *file, const units *u, size_t i, const char *fmt,
                     const char *arg)
{
    int line, col;
    place_of(u, i, &line, &col);
    rg_diag(ctx, RG_SEV_ERROR, file, line, col, fmt, arg);
}

/* A NUL anywhere: libxml2 stops reading at it. */
static int check_no_nul(rg_ctx *ctx, const char *file, const units *u)
{
    /* UTF-8: the first NUL byte is the first NUL unit (memchr finds it) */
    const unsigned char *z = u->width == 1 ? memchr(u->d, 0, u->n) : NULL;
    size_t from = u->width == 1 ? (z ? (size_t)(z - u->d) : u->n) : 0;
    for (size_t i = from; i < u->n; i++)
        if (unit_at(u, i) == 0) {
            fault_at(ctx, file, u, i, "NUL character: %s", "an XML file is text and holds "
                     "none (libxml2 would silently drop everything after it)");
            return -1;
        }
    return 0;
}

static int is_space_unit(unsigned c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The element name at unit i (ASCII letters only; enough for a message). */
static void name_at(const units *u, size_t i, char *out, size_t cap)
{
    size_t k = 0;
    for (; i < u->n && k + 1 < cap; i++) {
        unsigned c = unit_at(u, i);
        if (c >= 0x80 || is_space_unit(c) || c == '>' || c == '/') break;
        out[k++] = (char)c;
    }
    out[k] = 0;
}

/* Counts the attributes of the start tag whose '<' is unit i: the '='
 * outside quoted values before the closing '>'. Returns the unit after the
 * tag, or (size_t)-1 after a diagnostic when there are more than
 * RG_MAX_ATTRIBUTES. */
static size_t start_tag(rg_ctx *ctx, const char *file, const units *u, size_t i)
{
    size_t tag = i;
    unsigned quote = 0;
    int count = 0;
    for (i++; i < u->n; i++) {
        unsigned c = unit_at(u, i);
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            return i + 1;
        } else if (c == '=' && ++count > RG_MAX_ATTRIBUTES) {
            char name[48], msg[160];
            name_at(u, tag + 1, name, sizeof name);
            snprintf(msg, sizeof msg, "<%s> has more than %d attributes (the limit, "
                     "RG_MAX_ATTRIBUTES; an element of a definition has a few)", name,
                     RG_MAX_ATTRIBUTES);
            fault_at(ctx, file, u, tag, "%s", msg);
            return (size_t)-1;
        }
    }
    return u->n;
}

/* The first '<' unit at or after unit i, or u->n (UTF-8: memchr). */
static size_t next_lt(const units *u, size_t i)
{
    if (u->width == 1) {
        const unsigned char *p = i < u->n ? memchr(u->d + i, '<', u->n - i) : NULL;
        return p ? (size_t)(p - u->d) : u->n;
    }
    while (i < u->n && unit_at(u, i) != '<') i++;
    return i;
}

/* Every start tag has at most RG_MAX_ATTRIBUTES attributes. Comments,
 * CDATA sections, processing instructions, declarations and end tags are
 * skipped whole, so a '<' or '=' inside them counts for nothing. */
static int check_attribute_counts(rg_ctx *ctx, const char *file, const units *u)
{
    for (size_t i = 0; i < u->n;) {
        if (unit_at(u, i) != '<') i = next_lt(u, i + 1);
        else if (starts_with(u, i, "<!--")) i = skip_past(u, i + 4, "-->");
        else if (starts_with(u, i, "<![CDATA[")) i = skip_past(u, i + 9, "]]>");
        else if (starts_with(u, i, "<?")) i = skip_past(u, i + 2, "?>");
        else if (starts_with(u, i, "<!") || starts_with(u, i, "</")) i = skip_past(u, i + 2, ">");
        else if ((i = start_tag(ctx, file, u, i)) == (size_t)-1) return -1;
    }
    return 0;
}

/* The encoding a part declares in its XML declaration, in out ("" when it
 * declares none); *at is the unit where the declaration's "encoding" is. */
static void declared_encoding(const units *u, size_t start, char *out, size_t cap, size_t *at)
{
    out[0] = 0;
    *at = start;
    if (!starts_with(u, start, "<?xml") || start + 5 >= u->n || !is_space_unit(unit_at(u, start + 5)))
        return;
    size_t end = skip_past(u, start, "?>");
    for (size_t i = start + 5; i + 8 < end; i++) {
        if (!starts_with(u, i, "encoding")) continue;
        *at = i;
        size_t k = i + 8;
        while (k < end && (is_space_unit(unit_at(u, k)) || unit_at(u, k) == '=')) k++;
        unsigned quote = k < end ? unit_at(u, k) : 0;
        size_t n = 0;
        for (k++; k < end && unit_at(u, k) != quote && n + 1 < cap; k++)
            out[n++] = (char)(unit_at(u, k) < 0x80 ? unit_at(u, k) : '?');
        out[n] = 0;
        return;
    }
}

int rg_part_check_utf8(rg_ctx *ctx, const char *file, const char *data, size_t len, char *why,
                       size_t whylen)
{
    const unsigned char *d = (const unsigned char *)data;
    char fault[80];
    int line, col;
    if (len >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF))) {
        rg_diag(ctx, RG_SEV_ERROR, file, 1, 1, "this part is UTF-16 (it starts with a byte "
                "order mark); an included part must be UTF-8 like the definition");
        snprintf(why, whylen, "UTF-16, not UTF-8");
        return -1;
    }
    if (rg_text_fault(data, len, &line, &col, fault, sizeof fault) < 0) {
        rg_diag(ctx, RG_SEV_ERROR, file, line, col, "%s in an included part (parts must be "
                "UTF-8 text like the definition)", fault);
        snprintf(why, whylen, "%s", fault);
        return -1;
    }
    return 0;
}

/* An XML part is UTF-8 like the definition: no other encoding declared,
 * and rg_part_check_utf8. */
static int check_part_is_utf8(rg_ctx *ctx, const char *file, const char *data, size_t len,
                              char *why, size_t whylen)
{
    units u = { (const unsigned char *)data, len, 1, 0 };
    size_t start = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    char enc[48];
    size_t at;
    declared_encoding(&u, start, enc, sizeof enc, &at);
    if (enc[0] && rg_ascii_casecmp(enc, "UTF-8") != 0 && rg_ascii_casecmp(enc, "UTF8") != 0) {
        int line, col;
        place_of(&u, at, &line, &col);
        rg_diag(ctx, RG_SEV_ERROR, file, line, col, "this part declares encoding=\"%s\"; an "
                "included part must be UTF-8 like the definition (save it as UTF-8 and "
                "declare encoding=\"UTF-8\" or none)", enc);
        snprintf(why, whylen, "declared encoding=\"%s\", not UTF-8", enc);
        return -1;
    }
    return rg_part_check_utf8(ctx, file, data, len, why, whylen);
}

int rg_xml_prescan(rg_ctx *ctx, const char *file, const char *data, size_t len, int part,
                   char *why, size_t whylen)
{
    units u = units_of(data, len);
    snprintf(why, whylen, "a NUL character");
    if (part ? check_part_is_utf8(ctx, file, data, len, why, whylen) < 0
             : check_no_nul(ctx, file, &u) < 0)
        return -1;
    if (check_attribute_counts(ctx, file, &u) < 0) {
        snprintf(why, whylen, "an element with more than %d attributes", RG_MAX_ATTRIBUTES);
        return -1;
    }
    return 0;
}
