/* load/load.c - report definitions: from a validated XML tree to the model.
 * Stage: load. Owns rg_load_definition: the checks XSD cannot express
 * (calendar dates, period order, duplicate ids, links to missing ids,
 * references to tables and charts, section depth, layout references) with
 * line numbers, and building the rg_doc in its arena: inline text with XML
 * whitespace collapsed, em/strong/nobreak flattened into span flags, <a href>
 * into span links, <ref to> into spans of their own, xml:lang inherited;
 * <pagebreak/> becomes a block of its own.
 * Reading and validating the XML is load/xml.c's job; datasets, tables and
 * charts are built by load/data.c. */
#include "internal.h"
#include "chars.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Sections nest at most this deep: the layout has heading roles h1..h3. */
enum { RG_MAX_SECTION_LEVEL = 3 };

typedef struct idrec {
    const char *id;
    int line;
    int figure;                    /* the id is a table's or a chart's */
    /* cross-references (issue 16, xref) */
    int target;                    /* ids: what a <ref> finds there (REF_TARGET_*), set by
                                    * mark_targets; refs: the show= asked for (RG_REF_*) */
    int captioned;                 /* ids of tables and figures: a non-empty caption */
} idrec;

/* What an id names, for <ref to> (cross-references, issue 16). */
enum { REF_TARGET_NONE, REF_TARGET_SECTION, REF_TARGET_FOREWORD, REF_TARGET_APPENDIX,
       REF_TARGET_TABLE, REF_TARGET_FIGURE, REF_TARGET_NOTE };

/* Open-addressing set of ids (a definition may hold many). */
typedef struct idset {
    idrec *slots;
    size_t cap, n;                 /* cap is a power of two or 0 */
} idset;

/* The inline style in effect while walking em/strong/nobreak/a. */
typedef struct istyle {
    unsigned flags;
    const char *href;
    const char *lang;              /* only when it differs from the document's */
} istyle;

typedef struct tspan {
    size_t off, len;
    istyle st;
    const char *ref;               /* <ref to>: a span of its own, len 0 */
    int ref_show;                  /* its show= (RG_REF_*; cross-references, issue 16) */
    const rg_note *note;           /* <note>: its mark, a span of its own, len 0 */
} tspan;

typedef struct builder {
    rg_ctx *ctx;
    const char *file;
    rg_doc *doc;
    rg_arena *a;
    int bad;                       /* sticky: an error was reported */
    idset ids;
    idrec *links;                  /* "#x" link targets (without '#') and their lines */
    size_t nlinks, caplinks;
    idrec *refs;                   /* <ref to="x"> targets and their lines */
    size_t nrefs, caprefs;
    /* inline text of the block being built */
    char *buf;
    size_t blen, bcap;
    tspan *sp;
    size_t nsp, capsp;
    int pending;                   /* a collapsed space waits for the next word */
    istyle pst;                    /* the style that space was seen in */
    /* landscape pages (issue 16) */
    int landscape;                 /* building the blocks of a page="landscape" section */
} builder;

static void err(builder *b, xmlNodePtr n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void err(builder *b, xmlNodePtr n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rg_xml_verror(b->ctx, b->file, n, fmt, ap);
    va_end(ap);
    b->bad = 1;
}

static int is_ws(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_name(xmlNodePtr n, const char *name)
{
    return rg_xml_is(n, RG_NS_REPORT, name);
}

/* ---- ids ---- */

static size_t hash(const char *s)
{
    size_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static idrec *id_find(idset *set, const char *id)
{
    if (!set->cap) return NULL;
    for (size_t i = hash(id) & (set->cap - 1);; i = (i + 1) & (set->cap - 1)) {
        if (!set->slots[i].id) return NULL;
        if (strcmp(set->slots[i].id, id) == 0) return &set->slots[i];
    }
}

static void id_put(idset *set, idrec rec)
{
    if ((set->n + 1) * 2 > set->cap) {
        idset big = { rg_xcalloc(set->cap ? set->cap * 2 : 64, sizeof(idrec)),
                      set->cap ? set->cap * 2 : 64, 0 };
        for (size_t i = 0; i < set->cap; i++)
            if (set->slots[i].id) id_put(&big, set->slots[i]);
        free(set->slots);
        *set = big;
    }
    size_t i = hash(rec.id) & (set->cap - 1);
    while (set->slots[i].id) i = (i + 1) & (set->cap - 1);
    set->slots[i] = rec;
    set->n++;
}

/* Records the id= of n (if any); duplicates are errors. figure: n is a
 * table or chart, which <ref to> may name. */
static const char *take_id(builder *b, xmlNodePtr n, int figure)
{
    char *id = rg_xml_attr(b->a, n, "id");
    if (!id) return NULL;
    idrec *prev = id_find(&b->ids, id);
    if (prev)
        err(b, n, "duplicate id '%s' (first used on line %d)", id, prev->line);
    else
        id_put(&b->ids, (idrec){ id, rg_xml_line(n), figure, 0, 0 });
    return id;
}

/* ---- language ---- */

/* The language in effect on n, given the inherited one. */
static const char *lang_on(builder *b, xmlNodePtr n, const char *inherited)
{
    xmlChar *v = xmlGetNsProp(n, (const xmlChar *)"lang", XML_XML_NAMESPACE);
    if (!v) return inherited;
    const char *l = rg_arena_strdup(b->a, (const char *)v);
    xmlFree(v);
    return l;
}

/* NULL when lang is the document's own. */
static const char *lang_diff(builder *b, const char *lang)
{
    if (!lang || rg_ascii_casecmp(lang, b->doc->lang) == 0) return NULL;
    return lang;
}

/* ---- inline text ---- */

static int same_style(const istyle *x, const istyle *y)
{
    return x->flags == y->flags &&
           (x->href == y->href || (x->href && y->href && strcmp(x->href, y->href) == 0)) &&
           (x->lang == y->lang || (x->lang && y->lang && strcmp(x->lang, y->lang) == 0));
}

static void put(builder *b, const istyle *st, const char *s, size_t n)
{
    tspan *last = b->nsp ? &b->sp[b->nsp - 1] : NULL;
    if (!last || last->ref || last->note || !same_style(&last->st, st) || last->off + last->len != b->blen) {
        rg_grow(&b->sp, &b->capsp, b->nsp + 1, sizeof *b->sp);
        last = &b->sp[b->nsp++];
        last->off = b->blen;
        last->len = 0;
        last->st = *st;
        last->ref = NULL;
        last->note = NULL;
    }
    rg_grow(&b->buf, &b->bcap, b->blen + n + 1, 1);
    memcpy(b->buf + b->blen, s, n);
    b->blen += n;
    last->len += n;
}

/* Writes the collapsed space waiting for the next word or reference, which
 * is in style next. The space keeps RG_SPAN_NOBREAK only between two
 * nobreak pieces: a space at the edge of <nobreak> ("<nobreak>a </nobreak>b")
 * stays a place where the line may break. */
static void flush_space(builder *b, const istyle *next)
{
    if (b->pending) {
        istyle sp = b->pst;
        const tspan *prev = b->nsp ? &b->sp[b->nsp - 1] : NULL;
        if ((sp.flags & RG_SPAN_NOBREAK) &&
            !(prev && (prev->st.flags & RG_SPAN_NOBREAK) && (next->flags & RG_SPAN_NOBREAK)))
            sp.flags &= ~(unsigned)RG_SPAN_NOBREAK;
        put(b, &sp, " ", 1);
        b->pending = 0;
    }
}

/* Appends text, collapsing XML whitespace runs to one space; a space is
 * written only before a following word, so block start and end are trimmed.
 * Other spaces (U+00A0 and friends) are ordinary characters here. */
static void emit_text(builder *b, const istyle *st, const char *s)
{
    while (*s) {
        if (is_ws((unsigned char)*s)) {
            if (b->nsp > 0 && !b->pending) {   /* after text or a <ref/> */
                b->pending = 1;
                b->pst = *st;
            }
            s++;
            continue;
        }
        flush_space(b, st);
        const char *w = s;
        while (*s && !is_ws((unsigned char)*s)) s++;
        put(b, st, w, (size_t)(s - w));
    }
}

/* The show= of a <ref> (validated by the schema): RG_REF_*. */
static int ref_show_of(builder *b, xmlNodePtr n)
{
    char *show = rg_xml_attr(b->a, n, "show");
    if (!show || !strcmp(show, "label")) return RG_REF_LABEL;
    if (!strcmp(show, "number")) return RG_REF_NUMBER;
    if (!strcmp(show, "title")) return RG_REF_TITLE;
    return RG_REF_PAGE;
}

/* Appends <ref to="id"/>: an empty span of its own that layout fills with
 * "Tabel 1" or "Figuur 2"; the id is checked once the whole tree is read. */
static void emit_ref(builder *b, xmlNodePtr n, const istyle *st)
{
    char *to = rg_xml_attr(b->a, n, "to");
    if (!to) to = "";
    flush_space(b, st);
    rg_grow(&b->sp, &b->capsp, b->nsp + 1, sizeof *b->sp);
    tspan *t = &b->sp[b->nsp++];
    t->off = b->blen;
    t->len = 0;
    t->st = *st;
    t->ref = to;
    t->ref_show = ref_show_of(b, n);
    if (t->ref_show == RG_REF_PAGE)
        for (xmlNodePtr up = n->parent; up && up->type == XML_ELEMENT_NODE; up = up->parent)
            if (is_name(up, "title") || is_name(up, "caption")) {
                /* the TOC, outline and running header copy it before pages are known */
                err(b, n, "a page reference (show=\"page\") cannot stand in a <%s>; put it "
                    "in the text", (const char *)up->name);
                break;
            }
    t->note = NULL;
    rg_grow(&b->refs, &b->caprefs, b->nrefs + 1, sizeof *b->refs);
    b->refs[b->nrefs++] = (idrec){ to, rg_xml_line(n), 0, t->ref_show, 0 };
}

/* ---- notes (footnotes and endnotes, issue 16) ---- */

static void walk_inline(builder *b, xmlNodePtr n, istyle st, const char *lang);
static void begin_inlines(builder *b);
static rg_inlines end_inlines(builder *b);
static void check_para_size(builder *b, xmlNodePtr n);

/* The element n's running text is in: the nearest ancestor that is not
 * em, strong, nobreak or a. */
static xmlNodePtr inline_owner(xmlNodePtr n)
{
    xmlNodePtr p = n->parent;
    while (p && p->type == XML_ELEMENT_NODE &&
           (is_name(p, "em") || is_name(p, "strong") || is_name(p, "nobreak") ||
            is_name(p, "a")))
        p = p->parent;
    return p;
}

/* The inline text of a <note>, built aside: the text being collected for
 * the block around it is put away meanwhile and restored after. */
static rg_inlines note_text(builder *b, xmlNodePtr n, const char *lang)
{
    char *buf = b->buf;
    size_t blen = b->blen, bcap = b->bcap, nsp = b->nsp, capsp = b->capsp;
    tspan *sp = b->sp;
    int pending = b->pending;
    istyle pst = b->pst;
    b->buf = NULL;
    b->sp = NULL;
    b->bcap = b->capsp = 0;
    istyle st = { 0, NULL, lang_diff(b, lang) };
    begin_inlines(b);
    for (xmlNodePtr c = n->children; c; c = c->next) walk_inline(b, c, st, lang);
    check_para_size(b, n);
    rg_inlines r = end_inlines(b);
    free(b->buf);
    free(b->sp);
    b->buf = buf;
    b->blen = blen;
    b->bcap = bcap;
    b->sp = sp;
    b->nsp = nsp;
    b->capsp = capsp;
    b->pending = pending;
    b->pst = pst;
    return r;
}

/* Builds the rg_note of <note> n: its text, id and line. */
static rg_note *build_note(builder *b, xmlNodePtr n, const char *lang)
{
    rg_note *note = rg_arena_alloc(b->a, sizeof *note);
    note->line = rg_xml_line(n);
    note->id = take_id(b, n, 0);
    idrec *r = note->id ? id_find(&b->ids, note->id) : NULL;
    if (r && r->line == note->line) r->target = REF_TARGET_NOTE;   /* a <ref to>'s target */
    note->text = note_text(b, n, lang);
    if (note->text.n == 0) err(b, n, "a <note> needs text");
    return note;
}

/* Appends <note>: its mark, an empty span of its own right after the word
 * before it (a space before the note is dropped). Notes live in running
 * text only: a paragraph or a list item. */
static void emit_note(builder *b, xmlNodePtr n, const istyle *st, const char *lang)
{
    xmlNodePtr owner = inline_owner(n);
    if (owner && is_name(owner, "note")) {
        err(b, n, "a <note> inside a <note> is not allowed");
        return;
    }
    if (!owner || !(is_name(owner, "p") || is_name(owner, "item"))) {
        err(b, n, "a <note> is allowed in running text only (<p>, <item>), not in <%s>",
            owner ? (const char *)owner->name : "?");
        return;
    }
    b->pending = 0;
    rg_note *note = build_note(b, n, lang);
    rg_grow(&b->sp, &b->capsp, b->nsp + 1, sizeof *b->sp);
    tspan *t = &b->sp[b->nsp++];
    t->off = b->blen;
    t->len = 0;
    t->st = *st;
    t->st.href = NULL;             /* the mark links to its note */
    t->ref = NULL;
    t->note = note;
}

/* <value-of> (figures from the data, issue 17): the figure's text, set
 * without a break. */
static void emit_value_of(builder *b, xmlNodePtr n, istyle st)
{
    int figure = 0;
    const char *text = rg_value_of(b->ctx, b->doc, n, &figure);
    if (!text) {
        b->bad = 1;
        return;
    }
    if (figure) st.flags |= RG_SPAN_NOBREAK;
    emit_text(b, &st, text);
}

/* Walks one inline node: text, em, strong, nobreak, a, ref. Recursion is bounded by
 * RG_MAX_DEPTH (checked before validation). */
static void walk_inline(builder *b, xmlNodePtr n, istyle st, const char *lang)
{
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (n->content) emit_text(b, &st, (const char *)n->content);
        return;
    }
    if (n->type != XML_ELEMENT_NODE) return;  /* comments, PIs */
    lang = lang_on(b, n, lang);
    st.lang = lang_diff(b, lang);
    if (is_name(n, "em")) {
        st.flags |= RG_SPAN_EM;
    } else if (is_name(n, "strong")) {
        st.flags |= RG_SPAN_STRONG;
    } else if (is_name(n, "nobreak")) {
        st.flags |= RG_SPAN_NOBREAK;
    } else if (is_name(n, "a")) {
        char *href = rg_xml_attr(b->a, n, "href");
        st.href = href;
        if (href && href[0] == '#') {
            rg_grow(&b->links, &b->caplinks, b->nlinks + 1, sizeof *b->links);
            b->links[b->nlinks].id = href + 1;
            b->links[b->nlinks].line = rg_xml_line(n);
            b->nlinks++;
        }
    } else if (is_name(n, "span")) {
        /* <span xml:lang> (issue 17): only its language, taken above */
    } else if (is_name(n, "ref")) {
        emit_ref(b, n, &st);
        return;
    } else if (is_name(n, "note")) {
        emit_note(b, n, &st, lang);
        return;
    } else if (is_name(n, "value-of")) {      /* figures from the data (issue 17) */
        emit_value_of(b, n, st);
        return;
    } else {
        err(b, n, "unexpected element <%s> in text", (const char *)n->name);
        return;
    }
    for (xmlNodePtr c = n->children; c; c = c->next) walk_inline(b, c, st, lang);
}

static void begin_inlines(builder *b)
{
    b->blen = 0;
    b->nsp = 0;
    b->pending = 0;
}

/* Moves the collected text into the arena as spans. */
static rg_inlines end_inlines(builder *b)
{
    rg_inlines r = { NULL, 0 };
    if (!b->nsp) return r;
    char *text = rg_arena_strndup(b->a, b->buf, b->blen);
    r.spans = rg_arena_alloc(b->a, b->nsp * sizeof *r.spans);
    for (size_t i = 0; i < b->nsp; i++) {
        r.spans[i].text = text + b->sp[i].off;
        r.spans[i].len = b->sp[i].len;
        r.spans[i].flags = b->sp[i].st.flags;
        r.spans[i].href = b->sp[i].st.href;
        r.spans[i].lang = b->sp[i].st.lang;
        r.spans[i].ref = b->sp[i].ref;
        r.spans[i].ref_show = b->sp[i].ref ? b->sp[i].ref_show : 0;
        r.spans[i].note = b->sp[i].note;
    }
    r.n = b->nsp;
    begin_inlines(b);
    return r;
}

/* The text collected for element n against the text stage's paragraph
 * limits (text.h), so that a huge text node is refused at its line before
 * layout spends time on it. Characters stand in for glyphs here. */
static void check_para_size(builder *b, xmlNodePtr n)
{
    size_t chars = 0;
    for (size_t i = 0; i < b->blen; i++) chars += ((unsigned char)b->buf[i] & 0xC0) != 0x80;
    if (b->blen > RG_MAX_PARA_BYTES || chars > RG_MAX_PARA_GLYPHS)
        err(b, n, "the text of <%s> is %zu characters (%zu bytes) long; the limits are %d "
            "characters and %d bytes per paragraph", (const char *)n->name, chars, b->blen,
            RG_MAX_PARA_GLYPHS, RG_MAX_PARA_BYTES);
}

/* Inline content of all children of n. */
static rg_inlines inlines_of(builder *b, xmlNodePtr n, const char *lang)
{
    istyle st = { 0, NULL, lang_diff(b, lang) };
    begin_inlines(b);
    for (xmlNodePtr c = n->children; c; c = c->next) walk_inline(b, c, st, lang);
    check_para_size(b, n);
    return end_inlines(b);
}

/* One span of plain text (already collapsed), or none for "". */
static rg_inlines plain(builder *b, const char *s, const char *lang)
{
    istyle st = { 0, NULL, lang_diff(b, lang) };
    begin_inlines(b);
    emit_text(b, &st, s);
    return end_inlines(b);
}

/* ---- blocks ---- */

static rg_block *new_block(builder *b, rg_block_kind kind, xmlNodePtr n, const char *lang)
{
    rg_block *blk = rg_arena_alloc(b->a, sizeof *blk);
    blk->kind = kind;
    blk->line = rg_xml_line(n);
    blk->id = take_id(b, n, kind == RG_BLOCK_TABLE || kind == RG_BLOCK_CHART ||
                               kind == RG_BLOCK_IMAGE);
    blk->lang = lang_diff(b, lang);
    return blk;
}

static rg_block *build_block(builder *b, xmlNodePtr n, int level, const char *lang);

/* Builds the block elements from first on (text between them must be
 * blank) and returns the first; level is the enclosing section's. */
static rg_block *build_blocks(builder *b, xmlNodePtr first, int level, const char *lang)
{
    rg_block *head = NULL, **tail = &head;
    for (xmlNodePtr c = first; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            for (const xmlChar *s = c->content; s && *s; s++)
                if (!is_ws(*s)) {
                    err(b, c, "text is not allowed here (only inside <p>, <item> or a title)");
                    break;
                }
            continue;
        }
        if (c->type != XML_ELEMENT_NODE) continue;
        rg_block *blk = build_block(b, c, level, lang);
        if (blk) {
            *tail = blk;
            tail = &blk->next;
        }
    }
    return head;
}

static rg_block *build_item(builder *b, xmlNodePtr n, int level, const char *lang)
{
    rg_block *blk = new_block(b, RG_BLOCK_ITEM, n, lang);
    istyle st = { 0, NULL, lang_diff(b, lang) };
    xmlNodePtr c = n->children;
    begin_inlines(b);
    for (; c; c = c->next) {
        if (is_name(c, "list") || is_name(c, "p")) break;
        walk_inline(b, c, st, lang);
    }
    check_para_size(b, n);
    blk->text = end_inlines(b);
    blk->children = build_blocks(b, c, level, lang);
    return blk;
}

static rg_block *build_signature(builder *b, xmlNodePtr n, const char *lang)
{
    rg_block *blk = new_block(b, RG_BLOCK_SIGNATURE, n, lang);
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (is_name(c, "name")) blk->text = plain(b, rg_xml_text(b->a, c), lang_on(b, c, lang));
        else if (is_name(c, "role")) blk->text2 = plain(b, rg_xml_text(b->a, c), lang_on(b, c, lang));
    }
    return blk;
}

/* The record of table t whose first column's value reads row (its text
 * as written in the data); -1 when none, -2 when more than one does. */
static long note_record(const rg_table *t, const char *row)
{
    const rg_dataset *d = t->data;
    long found = -1;
    for (size_t i = 0; i < d->nrecords; i++) {
        const rg_value *v = &d->values[i * d->nfields + (size_t)t->cols[0].field];
        if (v->missing || !v->text || strcmp(v->text, row) != 0) continue;
        if (found >= 0) return -2;
        found = (long)i;
    }
    return found;
}

/* The column of table t that shows field name, or -1. */
static int note_column(const rg_table *t, const char *field)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->data->fields[t->cols[c].field].name, field) == 0) return (int)c;
    return -1;
}

/* <note row= field=> children of <table> n: footnotes on cells of t (the
 * table lives in the document's arena; its notes are filled in here). */
static void build_table_notes(builder *b, xmlNodePtr n, rg_table *t, const char *lang)
{
    size_t count = 0;
    for (xmlNodePtr c = n->children; c; c = c->next) count += is_name(c, "note");
    if (!count || !t || !t->ncols) return;
    rg_table_note *notes = rg_arena_alloc(b->a, count * sizeof *notes);
    size_t k = 0;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (!is_name(c, "note")) continue;
        const char *row = rg_xml_attr(b->a, c, "row"), *field = rg_xml_attr(b->a, c, "field");
        long rec = row ? note_record(t, row) : -1;
        int col = field ? note_column(t, field) : -1;
        if (rec == -2)
            err(b, c, "more than one row of the table reads '%s' in its first column", row);
        else if (rec < 0)
            err(b, c, "no row of the table reads '%s' in its first column", row ? row : "");
        if (col < 0) err(b, c, "the table shows no field '%s'", field ? field : "");
        if (rec < 0 || col < 0) continue;
        notes[k].record = (size_t)rec;
        notes[k].col = col;
        const rg_note *note = build_note(b, c, lang_on(b, c, lang));
        notes[k].note = *note;
        k++;
    }
    t->notes = notes;
    t->nnotes = k;
}

/* <table> or <chart>: the data part comes from load/data.c, the caption
 * (inline text, may hold refs and links) is built here. */
static rg_block *build_figure(builder *b, xmlNodePtr n, const char *lang)
{
    int table = is_name(n, "table");
    rg_block *blk = new_block(b, table ? RG_BLOCK_TABLE : RG_BLOCK_CHART, n, lang);
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (is_name(c, "caption")) blk->text = inlines_of(b, c, lang_on(b, c, lang));
    int r = table ? rg_load_table(b->ctx, b->doc, n, &blk->table)
                  : rg_load_chart(b->ctx, b->doc, n, &blk->chart);
    if (r < 0) b->bad = 1;
    else if (table) build_table_notes(b, n, (rg_table *)blk->table, lang);
    return blk;
}

/* <image>: the picture from load/image.c, the caption built here. */
static rg_block *build_image(builder *b, xmlNodePtr n, const char *lang)
{
    rg_block *blk = new_block(b, RG_BLOCK_IMAGE, n, lang);
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (is_name(c, "caption")) blk->text = inlines_of(b, c, lang_on(b, c, lang));
    if (rg_load_image(b->ctx, b->doc, n, &blk->image) < 0) b->bad = 1;
    return blk;
}

/* ---- landscape pages (issue 16) ---- */

/* page= of a section, table, chart or image (the schema allows portrait
 * and landscape): 1 for landscape. Blocks inside a landscape section are
 * landscape whatever they say; page="portrait" there is refused, since
 * the section's pages stay landscape to its end. */
static int page_of(builder *b, xmlNodePtr n)
{
    char *v = rg_xml_attr(b->a, n, "page");
    if (v && !strcmp(v, "portrait") && b->landscape)
        err(b, n, "page=\"portrait\" inside a section with page=\"landscape\": that "
            "section's pages are landscape to its end (leave page= out, or end the "
            "landscape section before this block)");
    return b->landscape || (v && !strcmp(v, "landscape"));
}

/* ---- text blocks and layout options (issue 17, blocks) ---- */

/* The first element child of n named name, or NULL. */
static xmlNodePtr child_named(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (is_name(c, name)) return c;
    return NULL;
}

/* <entry><term>..</term><definition>..</definition></entry> */
static rg_block *build_entry(builder *b, xmlNodePtr n, const char *lang)
{
    rg_block *blk = new_block(b, RG_BLOCK_DEFENTRY, n, lang);
    xmlNodePtr term = child_named(n, "term"), def = child_named(n, "definition");
    if (term) blk->text = inlines_of(b, term, lang_on(b, term, lang));
    if (def) blk->text2 = inlines_of(b, def, lang_on(b, def, lang));
    if (blk->text.n == 0) err(b, term ? term : n, "an <entry> needs a non-empty <term>");
    return blk;
}

/* <definitions> (entries) and <box> (an optional <title>, then blocks). */
static rg_block *build_text_block(builder *b, xmlNodePtr n, int level, const char *lang)
{
    if (is_name(n, "definitions")) {
        rg_block *blk = new_block(b, RG_BLOCK_DEFLIST, n, lang);
        rg_block **tail = &blk->children;
        for (xmlNodePtr c = n->children; c; c = c->next) {
            if (!is_name(c, "entry")) continue;
            *tail = build_entry(b, c, lang_on(b, c, lang));
            tail = &(*tail)->next;
        }
        return blk;
    }
    rg_block *blk = new_block(b, RG_BLOCK_BOX, n, lang);
    xmlNodePtr c = n->children;
    while (c && c->type != XML_ELEMENT_NODE) c = c->next;
    if (c && is_name(c, "title")) {
        blk->text = inlines_of(b, c, lang_on(b, c, lang));
        if (blk->text.n == 0) err(b, c, "a box's <title> is empty: leave it out instead");
        c = c->next;
    }
    blk->children = build_blocks(b, c, level, lang);
    if (!blk->children) err(b, n, "a <box> needs at least one block (<p>, <list>, <quote> "
                            "or <definitions>)");
    return blk;
}

/* <quote>: paragraphs, then an optional <attribution> (text2). */
static rg_block *build_quote(builder *b, xmlNodePtr n, int level, const char *lang)
{
    rg_block *blk = new_block(b, RG_BLOCK_QUOTE, n, lang);
    xmlNodePtr at = child_named(n, "attribution");
    rg_block **tail = &blk->children;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c == at || c->type != XML_ELEMENT_NODE) continue;
        rg_block *kid = build_block(b, c, level, lang);
        if (kid) {
            *tail = kid;
            tail = &kid->next;
        }
    }
    if (at) {
        blk->text2 = inlines_of(b, at, lang_on(b, at, lang));
        if (blk->text2.n == 0) err(b, at, "an empty <attribution>: leave it out instead");
    }
    return blk;
}

/* header= of a section: what {section} prints on its pages. Only a
 * top-level section's title is in the running header. */
static const char *section_header(builder *b, xmlNodePtr n, int level)
{
    char *v = rg_xml_attr(b->a, n, "header");
    if (!v) return NULL;
    if (level != 1)
        err(b, n, "header=\"%s\" on a section of level %d: the running header shows the "
            "top-level section ({section}), so only a top-level section (or an appendix) "
            "can set it", v, level);
    if (v[strspn(v, " \t\r\n")] == 0)
        err(b, n, "header=\"%s\" is blank: leave it out to show the section's title", v);
    return v;
}

static rg_block *build_block(builder *b, xmlNodePtr n, int level, const char *lang)
{
    rg_block *blk = NULL;
    lang = lang_on(b, n, lang);
    if (is_name(n, "p")) {
        blk = new_block(b, RG_BLOCK_PARA, n, lang);
        blk->text = inlines_of(b, n, lang);
    } else if (is_name(n, "list")) {
        char *type = rg_xml_attr(b->a, n, "type");
        blk = new_block(b, RG_BLOCK_LIST, n, lang);
        blk->ordered = type && strcmp(type, "ordered") == 0;
        rg_block **tail = &blk->children;
        for (xmlNodePtr c = n->children; c; c = c->next) {
            if (!is_name(c, "item")) continue;
            *tail = build_item(b, c, level, lang_on(b, c, lang));
            tail = &(*tail)->next;
        }
    } else if (is_name(n, "quote")) {
        blk = build_quote(b, n, level, lang);
    } else if (is_name(n, "definitions") || is_name(n, "box")) {
        blk = build_text_block(b, n, level, lang);
    } else if (is_name(n, "section") || is_name(n, "foreword") || is_name(n, "appendix")) {
        blk = new_block(b, RG_BLOCK_SECTION, n, lang);
        blk->foreword = is_name(n, "foreword");
        blk->landscape = page_of(b, n);
        int outer_landscape = b->landscape;
        b->landscape = blk->landscape;
        blk->appendix = is_name(n, "appendix");
        blk->level = level + 1;
        if (blk->level > RG_MAX_SECTION_LEVEL)
            err(b, n, "sections nest at most %d levels deep", RG_MAX_SECTION_LEVEL);
        xmlNodePtr c = n->children;
        while (c && c->type != XML_ELEMENT_NODE) c = c->next;
        if (c && is_name(c, "title")) {
            blk->text = inlines_of(b, c, lang_on(b, c, lang));
            c = c->next;
        }
        if (blk->text.n == 0) err(b, n, "a section needs a non-empty <title>");
        blk->running = section_header(b, n, blk->level);
        rg_block **tail = &blk->children;
        for (; c; c = c->next) {
            rg_block *kid = NULL;
            if (is_name(c, "signature"))
                kid = build_signature(b, c, lang_on(b, c, lang));
            else if (c->type == XML_ELEMENT_NODE)
                kid = build_block(b, c, blk->level, lang);
            if (kid) {
                *tail = kid;
                tail = &kid->next;
            }
        }
        b->landscape = outer_landscape;
    } else if (is_name(n, "toc")) {
        char *title = rg_xml_attr(b->a, n, "title");
        char *depth = rg_xml_attr(b->a, n, "depth");
        blk = new_block(b, RG_BLOCK_TOC, n, lang);
        blk->text = plain(b, title ? title : "Inhoud", lang);
        blk->level = depth ? atoi(depth) : 2;
        if (blk->level < 1 || blk->level > RG_MAX_SECTION_LEVEL)
            err(b, n, "toc depth must be 1 to %d", RG_MAX_SECTION_LEVEL);
    } else if (is_name(n, "table") || is_name(n, "chart")) {
        blk = build_figure(b, n, lang);
        blk->landscape = page_of(b, n);
    } else if (is_name(n, "image")) {
        blk = build_image(b, n, lang);
        blk->landscape = page_of(b, n);
    } else if (is_name(n, "cover")) {
        blk = new_block(b, RG_BLOCK_COVER, n, lang);
        if (xmlHasProp(n, (const xmlChar *)"logo") &&
            rg_load_logo(b->ctx, b->doc, n, "logo", &blk->image) < 0)
            b->bad = 1;
        b->doc->cover_logo = blk->image;
    } else if (is_name(n, "pagebreak")) {
        blk = new_block(b, RG_BLOCK_PAGEBREAK, n, lang);
    } else {
        err(b, n, "unexpected element <%s>", (const char *)n->name);
    }
    return blk;
}

/* ---- text hygiene ---- */

/* The first character of s that must not reach a PDF (rg_char_refusal:
 * controls other than the whitespace that is collapsed, noncharacters), or
 * 0. */
static uint32_t bad_char(const xmlChar *s)
{
    size_t len = s ? strlen((const char *)s) : 0;
    for (size_t pos = 0; pos < len;) {
        size_t n = rg_utf8_valid_len(s + pos, len - pos);
        if (n == 0) n = 1;                /* libxml2 hands over valid UTF-8 */
        uint32_t c = rg_utf8_code(s + pos, n);
        if (rg_char_refusal(c)) return c;
        pos += n;
    }
    return 0;
}

static void report_char(rg_ctx *ctx, const char *file, xmlNodePtr el, const char *attr,
                        uint32_t c)
{
    const char *what = rg_char_refusal(c);
    if (attr)
        rg_diag(ctx, RG_SEV_ERROR, file, rg_xml_line(el), 1, "%s U+%04X in %s= of <%s>",
                what, (unsigned)c, attr, (const char *)el->name);
    else
        rg_diag(ctx, RG_SEV_ERROR, file, rg_xml_line(el), 1, "%s U+%04X in <%s>", what,
                (unsigned)c, (const char *)el->name);
}

int rg_xml_check_text(rg_ctx *ctx, const char *file, xmlDocPtr doc)
{
    int bad = 0;
    const char *enc = doc->encoding ? (const char *)doc->encoding : "UTF-8";
    if (rg_ascii_casecmp(enc, "UTF-8") != 0 && rg_ascii_casecmp(enc, "UTF8") != 0 &&
        rg_ascii_casecmp(enc, "UTF-16") != 0 && rg_ascii_casecmp(enc, "UTF16") != 0 &&
        rg_ascii_casecmp(enc, "US-ASCII") != 0 && rg_ascii_casecmp(enc, "ASCII") != 0) {
        /* a wrong declaration turns UTF-8 into mojibake without any error */
        rg_diag(ctx, RG_SEV_ERROR, file, 1, 1, "encoding=\"%.40s\" is not supported: save the "
                "file as UTF-8 (with or without a BOM) and declare encoding=\"UTF-8\"", enc);
        return -1;
    }
    /* iterative walk in document order: deep trees cannot overflow the stack */
    xmlNodePtr root = xmlDocGetRootElement(doc), n = root;
    while (n && bad < RG_MAX_LOAD_DIAGS) {
        if (n->type == XML_ELEMENT_NODE) {
            for (xmlAttrPtr a = n->properties; a; a = a->next) {
                xmlChar *v = xmlNodeListGetString(doc, a->children, 1);
                uint32_t c = bad_char(v);
                xmlFree(v);
                if (c) report_char(ctx, file, n, (const char *)a->name, c), bad++;
            }
        } else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            uint32_t c = bad_char(n->content);
            if (c && n->parent) report_char(ctx, file, n->parent, NULL, c), bad++;
        }
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n != root && !n->next) n = n->parent;
        n = n == root ? NULL : n->next;
    }
    return bad ? -1 : 0;
}

/* ---- info ---- */

static int days_in_month(int y, int m)
{
    static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

/* Parses YYYY-MM-DD strictly, checking the calendar. */
static int parse_date(builder *b, xmlNodePtr n, const char *what, const char *s, rg_date *out)
{
    int v[3] = { 0, 0, 0 }, widths[3] = { 4, 2, 2 };
    const char *p = s;
    for (int i = 0; i < 3; i++) {
        for (int k = 0; k < widths[i]; k++, p++) {
            if (*p < '0' || *p > '9') goto bad;
            v[i] = v[i] * 10 + (*p - '0');
        }
        if (i < 2 && *p++ != '-') goto bad;
    }
    if (*p || v[0] < 1 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > days_in_month(v[0], v[1]))
        goto bad;
    out->year = v[0];
    out->month = v[1];
    out->day = v[2];
    return 0;
bad:
    err(b, n, "%s: '%s' is not a valid calendar date (YYYY-MM-DD)", what, s ? s : "");
    return -1;
}

static int date_cmp(rg_date x, rg_date y)
{
    if (x.year != y.year) return x.year < y.year ? -1 : 1;
    if (x.month != y.month) return x.month < y.month ? -1 : 1;
    return x.day < y.day ? -1 : x.day > y.day;
}

static void build_info(builder *b, xmlNodePtr info)
{
    rg_info *in = &b->doc->info;
    for (xmlNodePtr c = info->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        const char *name = (const char *)c->name;
        char *text = rg_xml_text(b->a, c);
        int line = rg_xml_line(c);
        if (strcmp(name, "title") == 0) in->title = text, in->title_line = line;
        else if (strcmp(name, "subtitle") == 0) in->subtitle = text, in->subtitle_line = line;
        else if (strcmp(name, "organisation") == 0)
            in->organisation = text, in->organisation_line = line;
        else if (strcmp(name, "author") == 0) in->author = text;
        else if (strcmp(name, "subject") == 0) in->subject = text;
        else if (strcmp(name, "keywords") == 0) in->keywords = text;
        else if (strcmp(name, "date") == 0) {
            parse_date(b, c, "date", text, &in->date);
            in->date_line = line;
        } else if (strcmp(name, "contact") == 0) {
            in->contact_href = rg_xml_attr(b->a, c, "href");
            in->contact_text = text[0] ? text : NULL;
            in->contact_line = line;
        } else if (strcmp(name, "period") == 0) {
            char *from = rg_xml_attr(b->a, c, "from"), *to = rg_xml_attr(b->a, c, "to");
            in->period_id = rg_xml_attr(b->a, c, "id");
            in->period_label = text;
            in->period_line = line;
            if (parse_date(b, c, "period from", from, &in->period_from) == 0 &&
                parse_date(b, c, "period to", to, &in->period_to) == 0 &&
                date_cmp(in->period_from, in->period_to) > 0)
                err(b, c, "period from %s is after to %s", from, to);
        } else {
            err(b, c, "unexpected element <%s> in <info>", name);
        }
    }
    if (!in->title || !in->title[0]) err(b, info, "<info> needs a non-empty <title>");
    if (!in->organisation || !in->organisation[0])
        err(b, info, "<info> needs a non-empty <organisation>");
    if (!in->period_id) err(b, info, "<info> needs a <period>");
    if (!in->author) in->author = in->organisation;
}

static void check_layout_ref(builder *b, xmlNodePtr root, const char *ref)
{
    const char *p = ref;
    if (!ref[0] || ref[0] == '/') goto bad;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if ((n == 2 && p[0] == '.' && p[1] == '.') || n == 0) goto bad;
        p += n + (e ? 1 : 0);
    }
    return;
bad:
    err(b, root, "layout '%s': use a layout name or a path below the definition's folder", ref);
}

/* ---- cross-references (issue 16, xref) ---- */

/* Records on each id what a <ref> finds there: the kind of the block that
 * holds it and whether a table or figure has a caption. */
static void mark_targets(builder *b, const rg_block *blk)
{
    for (; blk; blk = blk->next) {
        idrec *r = blk->id ? id_find(&b->ids, blk->id) : NULL;
        if (r) {
            switch (blk->kind) {
            case RG_BLOCK_SECTION:
                r->target = blk->appendix ? REF_TARGET_APPENDIX
                          : blk->foreword ? REF_TARGET_FOREWORD : REF_TARGET_SECTION;
                break;
            case RG_BLOCK_TABLE: r->target = REF_TARGET_TABLE; break;
            case RG_BLOCK_CHART:
            case RG_BLOCK_IMAGE: r->target = REF_TARGET_FIGURE; break;
            default: break;
            }
            r->captioned = blk->text.n > 0;
        }
        mark_targets(b, blk->children);
    }
}

static const char *const REF_SHOW_NAMES[] = { "label", "number", "title", "page" };

/* Every <ref to> must name a section, an appendix, the foreword, a table,
 * a figure or a note, and ask for something it has (show=). */
static void check_refs(builder *b)
{
    mark_targets(b, b->doc->blocks);
    for (size_t i = 0; i < b->nrefs; i++) {
        const idrec *r = &b->refs[i], *target = id_find(&b->ids, r->id);
        const char *show = REF_SHOW_NAMES[r->target];
        if (!target)
            rg_diag(b->ctx, RG_SEV_ERROR, b->file, r->line, 1,
                    "ref to '%s', but nothing has id '%s'", r->id, r->id);
        else if (target->target == REF_TARGET_NONE)
            rg_diag(b->ctx, RG_SEV_ERROR, b->file, r->line, 1,
                    "ref to '%s' (line %d): a ref names a section, appendix, table, figure or note; "
                    "use <a href=\"#%s\"> for other targets", r->id, target->line, r->id);
        else if (r->target == RG_REF_NUMBER && target->target == REF_TARGET_FOREWORD)
            rg_diag(b->ctx, RG_SEV_ERROR, b->file, r->line, 1,
                    "ref to '%s' show=\"%s\": the foreword (line %d) has no number", r->id, show,
                    target->line);
        else if (r->target == RG_REF_TITLE && (target->target == REF_TARGET_TABLE ||
                                               target->target == REF_TARGET_FIGURE) &&
                 !target->captioned)
            rg_diag(b->ctx, RG_SEV_ERROR, b->file, r->line, 1,
                    "ref to '%s' show=\"%s\": the %s on line %d has no caption", r->id, show,
                    target->target == REF_TARGET_TABLE ? "table" : "figure", target->line);
        else if (r->target == RG_REF_TITLE && target->target == REF_TARGET_NOTE)
            rg_diag(b->ctx, RG_SEV_ERROR, b->file, r->line, 1,
                    "ref to '%s' show=\"%s\": a note (line %d) has no title; show its label "
                    "(\"noot 3\"), number or page", r->id, show, target->line);
        else
            continue;
        b->bad = 1;
    }
}

static void build_doc(builder *b, xmlNodePtr root)
{
    rg_doc *doc = b->doc;
    char *lang = NULL;
    xmlChar *v = xmlGetNsProp(root, (const xmlChar *)"lang", XML_XML_NAMESPACE);
    if (v) lang = rg_arena_strdup(b->a, (const char *)v);
    xmlFree(v);
    doc->lang = lang && lang[0] ? lang : "nl-NL";
    char *layout = rg_xml_attr(b->a, root, "layout");
    doc->layout = layout ? layout : "logius";
    check_layout_ref(b, root, doc->layout);

    if (!is_name(root, "report")) {
        err(b, root, "the root element must be <report> in namespace %s", RG_NS_REPORT);
        return;
    }
    xmlNodePtr c = root->children;
    while (c && c->type != XML_ELEMENT_NODE) c = c->next;
    if (!is_name(c, "info")) {
        err(b, c ? c : root, "<report> must start with <info>");
        return;
    }
    build_info(b, c);
    c = c->next;
    while (c && c->type != XML_ELEMENT_NODE) c = c->next;
    if (is_name(c, "data")) {
        if (rg_load_datasets(b->ctx, doc, c) < 0) b->bad = 1;
        c = c->next;
    }
    doc->blocks = build_blocks(b, c, 0, doc->lang);

    int tocs = 0;
    for (rg_block *blk = doc->blocks; blk; blk = blk->next)
        if (blk->kind == RG_BLOCK_TOC && ++tocs == 2)
            rg_diag(b->ctx, RG_SEV_ERROR, b->file, blk->line, 1, "only one <toc> is allowed"), b->bad = 1;

    for (size_t i = 0; i < b->nlinks; i++)
        if (!id_find(&b->ids, b->links[i].id)) {
            rg_diag(b->ctx, RG_SEV_ERROR, b->file, b->links[i].line, 1,
                    "link to '#%s', but no element has id '%s'", b->links[i].id, b->links[i].id);
            b->bad = 1;
        }
    check_refs(b);
}

rg_status rg_load_definition(rg_ctx *ctx, const char *path, const char *schema_path,
                             rg_doc **out)
{
    char *data = NULL, dir[PATH_MAX];
    size_t len = 0;
    *out = NULL;
    int from_stdin = !strcmp(path, "-");
    rg_status st = from_stdin ? rg_xml_read_stdin(ctx, &data, &len, dir)
                              : rg_xml_read_file(ctx, path, &data, &len, dir);
    if (st == RG_OK)
        st = rg_load_definition_mem(ctx, from_stdin ? RG_STDIN_NAME : path, data, len, dir,
                                    schema_path, out);
    free(data);
    return st;
}

rg_status rg_load_definition_mem(rg_ctx *ctx, const char *name, const char *data, size_t len,
                                 const char *base_dir, const char *schema_path, rg_doc **out)
{
    rg_status st;
    xmlDocPtr x = NULL;
    builder b;
    rg_doc *doc = NULL;
    const char *path = name;

    memset(&b, 0, sizeof b);
    *out = NULL;
    if (len >= 2 && (unsigned char)data[0] == 0x1F && (unsigned char)data[1] == 0x8B) {
        /* never inflated (a compression bomb): say what it is, not "'<' expected" */
        rg_diag(ctx, RG_SEV_ERROR, name, 1, 1, "gzip-compressed data, not an XML definition "
                "(decompress it first)");
        return RG_EX_DATAERR;
    }
    st = rg_xml_load_mem(ctx, name, data, len, base_dir, schema_path, 1, &x);
    if (st != RG_OK) goto fail;

    rg_arena *a = rg_arena_new();
    doc = rg_arena_alloc(a, sizeof *doc);
    doc->arena = a;
    doc->path = rg_arena_strdup(a, path);
    doc->base_dir = base_dir ? rg_arena_strdup(a, base_dir) : NULL;
    b.ctx = ctx;
    b.file = path;
    b.doc = doc;
    b.a = a;
    if (rg_xml_check_text(ctx, path, x) < 0) {
        b.bad = 1;
    } else {
        build_doc(&b, xmlDocGetRootElement(x));
        if (rg_marks_check(ctx, path, data, len, x, doc) > 0) b.bad = 1;
    }
    if (b.bad) {
        st = RG_EX_DATAERR;
        goto fail;
    }
    *out = doc;
    doc = NULL;
fail:
    rg_doc_free(doc);
    free(b.ids.slots);
    free(b.links);
    free(b.refs);
    free(b.buf);
    free(b.sp);
    if (x) xmlFreeDoc(x);
    return st;
}
