/* pdf/outline.c - the outline, or bookmarks (issue 22). Stage: pdf. Owns
 * the outline's objects: pdf/pdf.c adds the entries (rg_pdf_outline_add).
 *
 * libharu made each entry a dict of a dozen objects (a 128-byte key buffer
 * per entry, a name for /Type, a string for /Title, a destination array of
 * numbers, a hidden number for its open state), all kept until the save:
 * ~25 MB for the 23,202 entries of 9,409 pages. Here the root and every
 * entry are one indirect dict without entries (pdf/lean.c; the same
 * object numbers, made at the same moments) and a record of ours; its
 * write_fn writes the entries while libharu saves, in the order libharu
 * 2.3.0's hpdf_outline.c added them (checked against its output):
 *   root:  /Type /Outlines  /First  /Last  /Count
 *   entry: /Title  /Prev  /Parent  /Dest  /First /Last and /Next in the
 *          order they were added  /Count
 * /Prev, /Next, /First, /Last only when there is one. /Count is libharu's
 * BeforeWrite: the children and, through every open child, theirs; left
 * out when 0, negative for a closed entry. pdf/pdf.c removes the /Type
 * libharu gave entries too; the root keeps it. The record is freed with
 * the dict (its free_fn). */
#include "internal.h"

#include <hpdf_objects.h>
#include <stdlib.h>
#include <string.h>

typedef struct outline_rec {
    struct outline_rec *parent;    /* NULL: the root */
    struct outline_rec *last;      /* the last child, NULL: none */
    const char *title;             /* the caller's; NULL for the root */
    uint32_t id;                   /* this dict's object number */
    uint32_t prev, next, first;    /* object numbers of /Prev, /Next, /First; 0: none */
    uint32_t dest;                 /* the /Dest page's; 0: no /Dest */
    HPDF_REAL top;                 /* its /XYZ top */
    uint32_t count;                /* libharu's CountChild */
    unsigned char opened;          /* the root is */
    unsigned char next_first;      /* /Next was added before /First */
} outline_rec;

static void put(rg_pdf_buf *b, const char *s) { rg_pdf_buf_str(b, s); }

static void put_ref_entry(rg_pdf_buf *b, const char *key, uint32_t id)
{
    if (!id) return;
    put(b, key);
    rg_pdf_put_ref(b, id);
    put(b, "\012");
}

/* The code point of the n-byte sequence at s as libharu's UTF-8 encoder
 * read it: continuation bytes are taken as they come (not checked). */
static unsigned utf8_code(const unsigned char *s, size_t n)
{
    return n == 1 ? s[0]
         : n == 2 ? ((s[0] & 0x1Fu) << 6) + (s[1] & 0x3Fu)
         : n == 3 ? ((s[0] & 0x0Fu) << 12) + ((s[1] & 0x3Fu) << 6) + (s[2] & 0x3Fu)
         : ((s[0] & 0x07u) << 18) + ((s[1] & 0x3Fu) << 12) + ((s[2] & 0x3Fu) << 6) +
           (s[3] & 0x3Fu);
}

/* Code point v in UTF-16: a surrogate pair beyond U+FFFF (libharu wrote a
 * space there: a bookmark lost its emoji or rare CJK character), U+FFFD
 * beyond U+10FFFF. */
static void put_utf16(rg_pdf_buf *b, unsigned v)
{
    if (v <= 0xFFFF) {
        rg_pdf_buf_hex4(b, v);
    } else if (v <= 0x10FFFF) {
        rg_pdf_buf_hex4(b, 0xD800 + ((v - 0x10000) >> 10));
        rg_pdf_buf_hex4(b, 0xDC00 + ((v - 0x10000) & 0x3FF));
    } else {
        rg_pdf_buf_hex4(b, 0xFFFD);
    }
}

/* The bytes of a sequence led by c (1 to 4), or 0 for a byte libharu
 * skipped (a continuation byte, or 0xF8 and above, where one is due). */
static size_t utf8_len(unsigned c)
{
    return c < 0x80 ? 1 : (c & 0xF8) == 0xF0 ? 4 : (c & 0xF0) == 0xE0 ? 3
         : (c & 0xE0) == 0xC0 ? 2 : 0;
}

/* title as an HPDF_String with the UTF-8 encoder wrote it: always hex,
 * <FEFF...>, one unit a sequence (two beyond U+FFFF, where libharu wrote
 * a space); a sequence cut short by the end gives nothing. */
static void put_title(rg_pdf_buf *b, const char *title)
{
    const unsigned char *s = (const unsigned char *)title;
    put(b, "<FEFF");
    for (size_t i = 0; s[i];) {
        size_t n = utf8_len(s[i]), have = 1;
        if (n == 0) {
            i++;
            continue;
        }
        while (have < n && s[i + have]) have++;
        if (have < n) break;
        put_utf16(b, utf8_code(s + i, n));
        i += n;
    }
    put(b, ">");
}

/* libharu's write_fn: the entries (it has written "<<\012", writes ">>"). */
static HPDF_STATUS outline_write(HPDF_Dict d, HPDF_Stream s)
{
    const outline_rec *r = d->attr;
    rg_pdf_buf b = {0};
    if (r->parent) {
        put(&b, "/Title ");
        put_title(&b, r->title);
        put(&b, "\012");
        put_ref_entry(&b, "/Prev ", r->prev);
        put_ref_entry(&b, "/Parent ", r->parent->id);
        if (r->dest) rg_pdf_put_dest(&b, r->dest, r->top);
    } else {
        put(&b, "/Type /Outlines\012");
    }
    if (r->next_first) put_ref_entry(&b, "/Next ", r->next);
    put_ref_entry(&b, "/First ", r->first);
    put_ref_entry(&b, "/Last ", r->last ? r->last->id : 0);
    if (!r->next_first) put_ref_entry(&b, "/Next ", r->next);
    if (r->count) {
        put(&b, "/Count ");
        rg_pdf_put_int(&b, r->opened ? (HPDF_INT32)r->count : -(HPDF_INT32)r->count);
        put(&b, "\012");
    }
    return rg_pdf_lean_write(s, &b);                /* pdf/lean.c */
}

/* A lean dict (pdf/lean.c) written from r (taken), its object number in
 * r->id; NULL when libharu failed (reported; r freed). */
static HPDF_Dict outline_dict(rg_pdf_writer *w, outline_rec *r)
{
    HPDF_Dict d = rg_pdf_lean_dict(w, outline_write, rg_pdf_lean_free_attr, r);
    if (!d) {
        free(r);
        return NULL;
    }
    r->id = rg_pdf_obj_num(d);
    return d;
}

/* The root, made on first use and added to the catalog as /Outlines (as
 * HPDF_CreateOutline with no parent); NULL when libharu failed. */
static HPDF_Dict root_get(rg_pdf_writer *w)
{
    if (w->outline_root) return w->outline_root;
    outline_rec *r = rg_xcalloc(1, sizeof *r);
    r->opened = 1;
    HPDF_Dict d = outline_dict(w, r);
    if (!d || HPDF_Dict_Add(w->pdf->catalog, "Outlines", d) != HPDF_OK) return NULL;
    w->outline_root = d;
    return d;
}

/* Links r in as up's last child (libharu's AddChild) and counts it where
 * libharu's CountChild would: in up, and on up through open entries. */
static void add_child(outline_rec *up, outline_rec *r)
{
    if (!up->first) up->first = r->id;
    if (up->last) {
        up->last->next = r->id;
        if (!up->last->first) up->last->next_first = 1;
        r->prev = up->last->id;
    }
    up->last = r;
    for (outline_rec *a = up; a; a = a->opened ? a->parent : NULL) a->count++;
}

HPDF_Dict rg_pdf_outline_add(rg_pdf_writer *w, HPDF_Dict parent, const char *title,
                             HPDF_Page dest, HPDF_REAL top, int opened)
{
    if (w->status) return NULL;
    if (parent && parent->write_fn != outline_write) {
        rg_pdf_fail(w, RG_EX_SOFTWARE, "internal error: an outline entry's parent is not one");
        return NULL;
    }
    if (strlen(title) > HPDF_LIMIT_MAX_STRING_LEN) {     /* as HPDF_String_SetValue */
        rg_pdf_fail(w, RG_EX_SOFTWARE, "an outline entry's title is longer than %d bytes",
                    HPDF_LIMIT_MAX_STRING_LEN);
        return NULL;
    }
    if (!parent && !(parent = root_get(w))) return NULL;
    outline_rec *r = rg_xcalloc(1, sizeof *r);
    *r = (outline_rec){ .parent = parent->attr, .title = title,
                        .dest = dest ? rg_pdf_obj_num(dest) : 0, .top = top,
                        .opened = opened != 0 };
    HPDF_Dict d = outline_dict(w, r);
    if (d) add_child(r->parent, r);
    return d;
}
