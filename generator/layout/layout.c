/* layout/layout.c - flowing the model into pages (see layout.h). Stage: layout.
 *
 * One pass walks the blocks in order and places them on pages top-down:
 * cover, table of contents, sections (headings kept with what follows),
 * paragraphs (broken between lines, at least two lines at a page's foot
 * and head), lists, quotes and the signature. The TOC's page numbers come
 * from the previous pass, so passes repeat until they are stable. Running
 * headers and footers are drawn last, when the page count is known. */
#include "internal.h"
#include "hyphen/hyphen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- headings */

static void collect_headings(lay *L, const rg_block *b, int *counters, rg_arena *a)
{
    for (; b; b = b->next) {
        if (b->kind != RG_BLOCK_SECTION) continue;
        int level = b->level < 1 ? 1 : b->level > 3 ? 3 : b->level;
        rg_grow(&L->heads, &L->heads_cap, L->nheads + 1, sizeof *L->heads);
        heading *h = &L->heads[L->nheads];
        memset(h, 0, sizeof *h);
        h->block = b;
        h->level = level;
        h->page = h->prev_page = -1;
        if (b->id) {
            h->dest = rg_arena_strdup(a, b->id);
        } else {
            char name[32];
            snprintf(name, sizeof name, "section-%zu", L->nheads + 1);
            h->dest = rg_arena_strdup(a, name);
        }
        if (xref_number_heading(L, b, h, counters, a)) {
            /* in an appendix: "Bijlage A", "A.1" (layout/xref.c) */
        } else if (L->st->number_sections && !b->foreword) {
            counters[level - 1]++;
            for (int k = level; k < 3; k++) counters[k] = 0;
            char *o = h->number;
            for (int k = 0; k < level; k++)
                o += snprintf(o, sizeof h->number - (size_t)(o - h->number), "%s%d",
                              k ? "." : "", counters[k]);
        }
        L->nheads++;
        collect_headings(L, b->children, counters, a);
    }
}

/* Numbers tables and figures in document order ("Tabel 1", "Figuur 1"). */
static void collect_captions(lay *L, const rg_block *b, rg_arena *a)
{
    for (; b; b = b->next) {
        if (b->kind == RG_BLOCK_SECTION && b->appendix) L->appendix_no++;   /* numbers restart */
        if (b->kind == RG_BLOCK_TABLE || b->kind == RG_BLOCK_CHART ||
            b->kind == RG_BLOCK_IMAGE) {
            int figure = b->kind != RG_BLOCK_TABLE;
            int n = 1;
            for (size_t i = 0; i < L->ncaps; i++)
                n += L->caps[i].figure == figure && L->caps[i].appendix == L->appendix_no;
            rg_grow(&L->caps, &L->caps_cap, L->ncaps + 1, sizeof *L->caps);
            captioned *c = &L->caps[L->ncaps++];
            memset(c, 0, sizeof *c);
            c->block = b;
            c->figure = figure;
            const char *prefix = figure ? L->st->figure_prefix : L->st->table_prefix;
            char gen[48];
            xref_caption_number(L, c, prefix, n, gen, sizeof gen);
            c->dest = rg_arena_strdup(a, b->id ? b->id : gen);
            c->page = c->prev_page = -1;
        }
        collect_captions(L, b->children, a);
    }
}

/* The plain titles of headings and captions (the TOC's, the lists of
 * tables and figures', the outline's) with each <ref/> as layout draws
 * it ("Tabel 2"), now that every caption has its number: collecting them
 * left references out, forward ones unknown yet. */
static void titles_with_references(lay *L, rg_arena *a)
{
    for (size_t i = 0; i < L->nheads; i++)
        L->heads[i].title = lay_inline_text(L, a, &L->heads[i].block->text);
    for (size_t i = 0; i < L->ncaps; i++)
        L->caps[i].title = lay_inline_text(L, a, &L->caps[i].block->text);
}

/* ---- headings and captions found by their block (issue 22) ---- */

typedef struct block_index {
    uintptr_t block;
    size_t index;
} block_index;

/* By block, then by index: the first entry of a block comes first, the one
 * a walk in order would find. */
static int by_block(const void *a, const void *b)
{
    const block_index *x = a, *y = b;
    if (x->block != y->block) return (x->block > y->block) - (x->block < y->block);
    return (x->index > y->index) - (x->index < y->index);
}

/* The first index of block among n entries sorted by block, or SIZE_MAX. */
static size_t index_find(const block_index *ix, size_t n, const rg_block *b)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix[mid].block < (uintptr_t)b) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && ix[lo].block == (uintptr_t)b ? ix[lo].index : SIZE_MAX;
}

/* *ix made again from n entries whose blocks block_at gives, when n changed. */
static void index_update(block_index **ix, size_t *indexed, size_t n,
                         const rg_block *(*block_at)(const lay *L, size_t i), const lay *L)
{
    if (*ix && *indexed == n) return;
    free(*ix);
    *ix = rg_xmalloc((n ? n : 1) * sizeof **ix);
    for (size_t i = 0; i < n; i++) (*ix)[i] = (block_index){ (uintptr_t)block_at(L, i), i };
    qsort(*ix, n, sizeof **ix, by_block);
    *indexed = n;
}

static const rg_block *cap_block(const lay *L, size_t i)
{
    return L->caps[i].block;
}

static const rg_block *head_block(const lay *L, size_t i)
{
    return L->heads[i].block;
}

static void block_indexes_free(lay *L)
{
    free(L->head_index);
    free(L->cap_index);
    L->head_index = L->cap_index = NULL;
}

captioned *lay_caption_of(lay *L, const rg_block *b)
{
    index_update(&L->cap_index, &L->cap_indexed, L->ncaps, cap_block, L);
    size_t i = index_find(L->cap_index, L->ncaps, b);
    return i == SIZE_MAX ? NULL : &L->caps[i];
}

captioned *lay_caption_by_id(const lay *L, const char *id)
{
    for (size_t i = 0; i < L->ncaps; i++)
        if (L->caps[i].block->id && !strcmp(L->caps[i].block->id, id)) return &L->caps[i];
    return NULL;
}

static heading *heading_of(lay *L, const rg_block *b)
{
    index_update(&L->head_index, &L->head_indexed, L->nheads, head_block, L);
    size_t i = index_find(L->head_index, L->nheads, b);
    return i == SIZE_MAX ? NULL : &L->heads[i];
}

static const rg_role_id HEAD_ROLES[3] = { RG_ROLE_H1, RG_ROLE_H2, RG_ROLE_H3 };

static int heading_new_page(const lay *L, const heading *h)
{
    const rg_style *st = L->st;
    return h->level == 1 ? st->h1_new_page || h->block->foreword || h->block->appendix
         : h->level == 2 ? st->h2_new_page : st->h3_new_page;
}

/* A heading's lines (p), the room its number takes (*numw) and its height
 * with the space before and after it. */
static double heading_lines(lay *L, const heading *h, rg_para *p, double *numw)
{
    const rg_role *r = lay_role(L, HEAD_ROLES[h->level - 1]);
    *numw = h->number[0] ? lay_plain_width(L, h->number, r, 0) + r->size * 0.7 : 0;
    lay_break_inlines(L, &h->block->text, r, L->width - *numw, RG_ALIGN_LEFT, p);
    return r->space_before + p->nlines * r->leading + r->space_after;
}

/* Whether a heading of level goes below the page's headings without a
 * look-ahead: at the top of a page, or under headings of higher levels
 * that are all the page holds so far (their look-ahead took it into
 * account; moving it now would leave them alone). */
static int chained(const lay *L, int level)
{
    return L->page >= 0 && (L->at_top || (L->head_top && L->head_top < level));
}

/* ---------------------------------------------------------- keeping */

/* b's first child of kind k, or NULL. */
static const rg_block *first_child(const rg_block *b, rg_block_kind k)
{
    const rg_block *c = b->children;
    while (c && c->kind != k) c = c->next;
    return c;
}

/* The look-ahead of a heading: the room the block b that follows it needs
 * on the same page, from the top of the free space below the heading, for
 * the heading to stay with it (issue "Layout that holds on any content").
 * A paragraph: its first lines (lay_keep_lines); a list: its first item's
 * first lines; a quote: its first paragraph's; a table: what it needs to
 * start (lay_table_keep); a chart: all of it with its
 * caption; a subsection: its heading and, in turn, what follows that. A
 * section of the heading's level or higher (the heading's own section is
 * empty) asks for nothing; a following heading that starts a new page, or
 * a page break, asks for more than a page (the heading goes to the next
 * page too, and the page break is dropped). level: the heading's; after:
 * what follows b's siblings in document order. Paragraphs are set here once
 * (lay_peek_text): placing them takes that result. */
#define KEEP_FORCE 1e9

static double list_item_indent(lay *L, const rg_block *list, int depth, double width);

/* The room the lines of p kept with a heading take: the lines, and the
 * first line of each footnote they refer to (layout/note.c). */
static double lines_kept(lay *L, const rg_para *p, const rg_role *r)
{
    size_t k = lay_keep_lines(L, p->nlines);
    return k * r->leading + lay_notes_keep(L, p, k);
}

static double keep_need(lay *L, const rg_block *b, int level, const rg_block *after)
{
    if (!b) return 0;
    const rg_style *st = L->st;
    double width = L->width;
    double need = 0;
    rg_para p;
    rg_ctx_at(L->ctx, L->doc->path, b->line);     /* what setting it says, says where */
    switch (b->kind) {
    case RG_BLOCK_PARA: {
        const rg_role *r = lay_role(L, RG_ROLE_BODY);
        lay_peek_text(L, &b->text, r, width, r->align, &p);
        if (p.nlines) need = r->space_before + lines_kept(L, &p, r);
        break;
    }
    case RG_BLOCK_LIST: {
        const rg_role *r = lay_role(L, RG_ROLE_BODY);
        const rg_block *it = first_child(b, RG_BLOCK_ITEM);
        if (!it) break;
        double tw = width - list_item_indent(L, b, 0, width);
        lay_peek_text(L, &it->text, r, tw, r->align, &p);
        need = r->space_before + (p.nlines ? lines_kept(L, &p, r) : r->leading);
        break;
    }
    case RG_BLOCK_QUOTE: {
        const rg_role *r = lay_role(L, RG_ROLE_QUOTE);
        const rg_block *q = first_child(b, RG_BLOCK_PARA);
        if (!q) break;
        lay_peek_text(L, &q->text, r, width - 2 * st->quote_indent, r->align, &p);
        if (p.nlines) need = r->space_before + lines_kept(L, &p, r);
        break;
    }
    case RG_BLOCK_TABLE:
        need = lay_table_keep(L, b, width);
        break;
    case RG_BLOCK_CHART:
        need = lay_chart_need(L, b, width);
        break;
    case RG_BLOCK_IMAGE:
        need = lay_image_need(L, b, width);
        break;
    case RG_BLOCK_SIGNATURE: {
        const rg_role *r = lay_role(L, RG_ROLE_SIGNATURE), *body = lay_role(L, RG_ROLE_BODY);
        rg_para title;
        lay_break_inlines(L, &b->text, r, width, RG_ALIGN_LEFT, &p);
        lay_break_inlines(L, &b->text2, body, width, RG_ALIGN_LEFT, &title);
        need = r->space_before + p.nlines * r->leading + title.nlines * body->leading;
        break;
    }
    case RG_BLOCK_PAGEBREAK:
        need = KEEP_FORCE;                       /* placing drops it (place_blocks) */
        break;
    case RG_BLOCK_DEFLIST:                       /* text blocks (issue 17, layout/blocks.c) */
    case RG_BLOCK_BOX:
        need = lay_text_block_keep(L, b, width);
        break;
    case RG_BLOCK_SECTION: {
        const heading *h = heading_of(L, b);
        if (!h || h->level <= level) break;      /* the heading's own section is empty */
        if (heading_new_page(L, h)) {
            need = KEEP_FORCE;
            break;
        }
        double numw;
        need = heading_lines(L, h, &p, &numw);
        const rg_block *later = b->next ? b->next : after;
        if (b->children) need += keep_need(L, b->children, h->level, later);
        else need += keep_need(L, later, h->level, b->next ? after : NULL);
        break;
    }
    default:
        break;
    }
    rg_ctx_at(L->ctx, L->doc->path, L->line);
    return need;
}

/* A section's heading (b its block): on a new page when the layout says
 * so; moved to the next page with what follows it when that would not
 * start on this one (keep_need), so that a heading never ends a page. */
static void place_heading(lay *L, heading *h, const rg_block *b)
{
    const rg_role *r = lay_role(L, HEAD_ROLES[h->level - 1]);
    if (heading_new_page(L, h) && !chained(L, h->level)) lay_new_page(L, 1);
    lay_ensure_page(L);

    double numw;
    rg_para p;
    double own = heading_lines(L, h, &p, &numw);
    if (!chained(L, h->level)) {
        const rg_block *next = b->children ? b->children : L->after;
        const rg_block *later = b->children ? L->after : NULL;
        double need = own + keep_need(L, next, h->level, later);
        if (lay_room(L) + LAY_EPS < need) lay_new_page(L, 1);
    }
    int top = chained(L, h->level);
    lay_vspace(L, r->space_before);

    if (b->running) h->running = (char *)b->running;   /* <section header=> (issue 17) */
    if (h->level == 1) {
        L->cur_section = h->running;
        L->section[L->page] = h->running;
    }
    rg_dl_dest_add(L->dl, (size_t)L->page, h->dest, L->y);
    char outline_title[600];
    snprintf(outline_title, sizeof outline_title, "%s%s%s", h->number,
             h->number[0] ? " " : "", h->title);
    rg_dl_outline_add(L->dl, outline_title, xref_outline_level(L, h, L->y), (int)L->page, L->y);
    h->page = (int)L->page;

    static const char *const H[3] = { "H1", "H2", "H3" };
    lay_open(L, H[h->level - 1]);
    /* the number goes before the title in content order too: "1.1 Titel" */
    if (h->number[0]) lay_draw_label_at(L, h->number, r, L->left, lay_first_baseline(L, &p, r));
    lay_place_lines(L, &p, L->left + numw, L->width - numw, r, RG_ALIGN_LEFT);
    lay_close(L);
    L->y -= r->space_after;
    L->head_top = top ? h->level : 0;
}

/* --------------------------------------------------------------- blocks */

static void place_blocks(lay *L, const rg_block *b, double x, double width, int depth);

/* Vertical space around blocks: a paragraph or a list takes the body
 * role's space-before and space-after, a quote the quote role's (space
 * before is left out at the top of a page); after each comes the layout's
 * paragraph-gap as well. */
static void place_para(lay *L, const rg_block *b, double x, double width)
{
    const rg_role *r = lay_role(L, RG_ROLE_BODY);
    rg_para p;
    lay_break_text(L, &b->text, r, width, r->align, &p);
    lay_vspace(L, r->space_before);
    int para = lay_open(L, "P");
    if (b->lang) rg_dl_elem_set_lang(L->dl, para, b->lang);
    lay_place_lines(L, &p, x, width, r, r->align);
    lay_close(L);
    L->y -= L->st->paragraph_gap + r->space_after;
}

/* The numbering of an ordered list inside `level` ordered lists (bulleted
 * ones do not count): the layout's level for it, repeating after the
 * last. */
static struct rg_numbering numbering_at(const rg_style *st, int level)
{
    return st->numbering[level % st->nnumbering];
}

/* Number n in letters: a .. z, aa .. (upper: A ..). */
static size_t letters(int n, int upper, char *out, size_t cap)
{
    char rev[8];
    int k = 0;
    for (int v = n; v > 0 && k < 7; v = (v - 1) / 26)
        rev[k++] = (char)((upper ? 'A' : 'a') + (v - 1) % 26);
    size_t o = 0;
    while (k > 0 && o + 3 < cap) out[o++] = rev[--k];
    return o;
}

/* Number n (1..3999) in roman numerals, lower or upper case. */
static size_t roman(int n, int upper, char *out, size_t cap)
{
    static const char *const ROMAN[] = { "m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix",
                                         "v", "iv", "i" };
    static const int VALUE[] = { 1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1 };
    size_t o = 0;
    for (int i = 0, v = n; i < 13; i++)
        for (size_t len = strlen(ROMAN[i]); v >= VALUE[i] && o + len + 3 < cap; v -= VALUE[i])
            for (size_t c = 0; c < len; c++)
                out[o++] = upper ? (char)(ROMAN[i][c] - 'a' + 'A') : ROMAN[i][c];
    return o;
}

/* An ordered list's marker for item n inside `level` ordered lists, as
 * the layout numbers that level (1. / a. / i. by default); a number no
 * letters or roman numerals can write (below 1, above 3999) in figures. */
static void list_number(const rg_style *st, int n, int level, char *out, size_t cap)
{
    struct rg_numbering f = numbering_at(st, level);
    size_t o;
    if ((f.kind == 'a' || f.kind == 'A') && n >= 1)
        o = letters(n, f.kind == 'A', out, cap);
    else if ((f.kind == 'i' || f.kind == 'I') && n >= 1 && n <= 3999)
        o = roman(n, f.kind == 'I', out, cap);
    else
        o = 0;
    if (o == 0) o = (size_t)snprintf(out, cap - 2, "%d", n);
    if (f.suffix) out[o++] = f.suffix;
    out[o] = 0;
}

/* Item n's marker of a list at nesting depth (L->ordered_depth: the
 * ordered lists around it). */
static void list_marker(const lay *L, const rg_block *list, int n, int depth, char *out,
                        size_t cap)
{
    if (list->ordered) list_number(L->st, n, L->ordered_depth, out, cap);
    else snprintf(out, cap, "%s", depth == 0 ? L->st->bullet : L->st->bullet2);
}

/* The room for a list's markers: the layout's indent, or more when its
 * widest marker (and the gap after it) needs it. */
static double list_indent(lay *L, const rg_block *list, int depth, const rg_role *r)
{
    double indent = L->st->list_indent;
    int n = 0;
    for (const rg_block *it = list->children; it; it = it->next)
        if (it->kind == RG_BLOCK_ITEM) n++;
    if (n == 0) return indent;
    char widest[32];
    /* the widest of the numbers is among the longest; bullets are all alike */
    list_marker(L, list, list->ordered ? n : 1, depth, widest, sizeof widest);
    double need = lay_plain_width(L, widest, r, 0) + r->size * 0.6;
    char kind = numbering_at(L->st, L->ordered_depth).kind;
    if (list->ordered && (kind == 'i' || kind == 'I')) {   /* viii. is wider than x. */
        for (int k = 1; k <= n && k <= 40; k++) {
            char m[32];
            list_number(L->st, k, L->ordered_depth, m, sizeof m);
            double w = lay_plain_width(L, m, r, 0) + r->size * 0.6;
            if (w > need) need = w;
        }
    }
    return need > indent ? need : indent;
}

/* A nested list's items are indented by list_indent, unless that would
 * leave their text less than a third of the text width: a list nested
 * that deep is not indented further (its markers hang where its parent's
 * do), with a warning. */
static int list_too_deep(const lay *L, int depth, double width, double indent)
{
    return depth > 0 && width - indent < L->width / 3;
}

static double list_item_indent(lay *L, const rg_block *list, int depth, double width)
{
    double indent = list_indent(L, list, depth, lay_role(L, RG_ROLE_BODY));
    return list_too_deep(L, depth, width, indent) ? 0 : indent;
}

static void place_list(lay *L, const rg_block *list, double x, double width, int depth)
{
    const rg_style *st = L->st;
    const rg_role *r = lay_role(L, RG_ROLE_BODY);
    double indent = list_indent(L, list, depth, r);
    int flat = list_too_deep(L, depth, width, indent);
    if (flat) {
        if (!L->list_flat)
            rg_diag(L->ctx, RG_SEV_WARNING, NULL, 0, 0,
                    "a list nested %d deep would leave its text less than a third of the "
                    "text width: it is not indented further", depth + 1);
        indent = 0;
    }
    L->list_flat += flat;
    double tx = x + indent, tw = width - indent;
    int number = 1;
    if (depth == 0) lay_vspace(L, r->space_before);
    lay_open(L, "L");
    for (const rg_block *it = list->children; it; it = it->next, number++) {
        if (it->kind != RG_BLOCK_ITEM) continue;
        char marker[32];
        list_marker(L, list, number, depth, marker, sizeof marker);
        rg_para p;
        lay_break_text(L, &it->text, r, tw, r->align, &p);
        lay_open(L, "LI");
        /* the marker goes with the first line, and is painted first: content
         * order is reading order */
        double bl = lay_first_baseline(L, &p, r);
        double mw = lay_plain_width(L, marker, r, 0);
        rg_role mr = *r;
        mr.color = list->ordered ? r->color : st->accent;
        lay_open(L, "Lbl");
        lay_draw_text_at(L, marker, &mr, 0, tx - mw - r->size * 0.6, bl, RG_ALIGN_LEFT, 0);
        lay_close(L);
        lay_open(L, "LBody");
        lay_place_lines(L, &p, tx, tw, r, r->align);
        if (p.nlines == 0) {                        /* an empty item: its marker's line */
            L->y -= r->leading;
            L->at_top = 0;
        }
        if (it->children) {
            L->y -= st->list_gap;
            L->ordered_depth += list->ordered;
            place_blocks(L, it->children, tx, tw, depth + 1);
            L->ordered_depth -= list->ordered;
        }
        lay_close(L);                               /* LBody */
        lay_close(L);                               /* LI */
        L->y -= st->list_gap;
    }
    lay_close(L);                                   /* L */
    L->list_flat -= flat;
    /* a nested list ends where its item would: the gaps do not add up */
    if (depth > 0) L->y += st->list_gap;
    else L->y -= st->paragraph_gap - st->list_gap + r->space_after;
}

/* The bar beside a quote: on every page it spans, from the top of its
 * first line there to the bottom of its last. */
static void quote_bar(lay *L, double bx, const lay_extent *e)
{
    for (size_t i = 0; i < e->n; i++) {
        if (isnan(e->top[i])) continue;
        size_t pg = (size_t)e->first + i;
        rg_dl_artifact_begin(L->dl, pg);
        rg_dl_rect_fill(L->dl, pg, bx, e->bottom[i], 2.5, e->top[i] - e->bottom[i],
                        L->st->accent);
        rg_dl_artifact_end(L->dl, pg);
    }
}

static void place_quote(lay *L, const rg_block *q, double x, double width)
{
    const rg_style *st = L->st;
    const rg_role *r = lay_role(L, RG_ROLE_QUOTE);
    double qx = x + st->quote_indent, qw = width - 2 * st->quote_indent;
    int first = 1;
    lay_extent lines = { 0, NULL, NULL, 0, 0 };
    lay_extent *outer = L->extent;
    L->extent = &lines;
    lay_open(L, "BlockQuote");
    for (const rg_block *b = q->children; b; b = b->next) {
        if (b->kind != RG_BLOCK_PARA) continue;
        rg_para p;
        lay_break_text(L, &b->text, r, qw, r->align, &p);
        if (first) lay_vspace(L, r->space_before);
        else L->y -= st->paragraph_gap;
        int para = lay_open(L, "P");
        if (b->lang) rg_dl_elem_set_lang(L->dl, para, b->lang);
        placed pl = lay_place_lines(L, &p, qx, qw, r, r->align);
        lay_close(L);
        if (pl.first_page >= 0) first = 0;
    }
    lay_quote_attribution(L, q, qx, qw);        /* issue 17, layout/blocks.c */
    lay_close(L);
    L->extent = outer;
    lay_extent_merge(outer, &lines);            /* a box around the quote (issue 17) */
    quote_bar(L, qx - st->quote_indent * 0.5, &lines);
    free(lines.top);
    free(lines.bottom);
    L->y -= st->paragraph_gap + r->space_after;
}

static void place_signature(lay *L, const rg_block *b, double x, double width)
{
    const rg_role *r = lay_role(L, RG_ROLE_SIGNATURE);
    const rg_role *body = lay_role(L, RG_ROLE_BODY);
    rg_para name, title;
    lay_break_inlines(L, &b->text, r, width, RG_ALIGN_LEFT, &name);
    lay_break_inlines(L, &b->text2, body, width, RG_ALIGN_LEFT, &title);
    double need = r->space_before + name.nlines * r->leading + title.nlines * body->leading;
    if (!L->at_top && lay_room(L) < need) lay_new_page(L, 1);
    lay_vspace(L, r->space_before);
    lay_open(L, "P");
    lay_place_lines(L, &name, x, width, r, RG_ALIGN_LEFT);
    lay_close(L);
    lay_open(L, "P");
    lay_place_lines(L, &title, x, width, body, RG_ALIGN_LEFT);
    lay_close(L);
    L->y -= r->space_after;
}

/* ------------------------------------------------------------ the TOC */

/* The most dots one leader gets: 14400pt (the widest page) of 10pt dots
 * is 2250; more only comes of a toc role a few hundredths of a point high,
 * whose leader (once millions of dots, a paragraph past
 * RG_MAX_PARA_GLYPHS: the build failed) is then shortened. */
#define TOC_MAX_LEADER_DOTS 5000

/* One TOC row: optional number, title wrapped with a hanging indent, dot
 * leaders and the page number right-aligned; every line links to dest.
 * The number column has a fixed width, so the TOC's length does not
 * depend on the numbers: they are drawn when the pass ends
 * (draw_toc_numbers), and one pass suffices. */
static void toc_entry(lay *L, int level, const char *number, const char *title,
                      const char *dest, const int *target_page)
{
    const rg_style *st = L->st;
    rg_role_id role = level == 1 ? RG_ROLE_TOC1 : RG_ROLE_TOC2;
    const rg_role *r = lay_role(L, role);
    double indent = (level - 1) * st->toc_indent;
    double numw = number[0] ? r->size * 2.6 : 0;
    double pw = lay_plain_width(L, "000", r, 0);
    double tx = L->left + indent + numw;
    double tw = L->width - indent - numw - pw - r->size * 1.5;
    rg_para p;
    lay_break_plain(L, title, r, 0, tw, RG_ALIGN_LEFT, &p);
    lay_vspace(L, r->space_before);
    if (!L->at_top && lay_room(L) < p.nlines * r->leading) lay_new_page(L, 1);
    lay_open(L, "TOCI");
    lay_open(L, "Link");
    /* the number before the title, in content order too: "1.1 Titel" */
    const char *name = title;
    if (number[0] && p.nlines) {
        lay_draw_label_at(L, number, r, L->left + indent, lay_first_baseline(L, &p, r));
        size_t n = strlen(number) + 1 + strlen(title) + 1;
        char *s = rg_arena_alloc(L->arena, n);
        snprintf(s, n, "%s %s", number, title);
        name = s;
    }
    placed pl = lay_place_lines_linked(L, &p, tx, L->width - indent - numw, r, RG_ALIGN_LEFT,
                                       dest, name);
    if (pl.first_page < 0) {
        lay_close(L);
        lay_close(L);
        return;
    }
    long keep = L->page;
    L->page = pl.last_page;
    double right = L->left + L->width;
    /* the number goes right after the entry's last line, in its chunk */
    rg_dl_page *tp = rg_dl_page_edit(L->dl, (size_t)pl.last_page);   /* read back if spilled */
    int chunk = -1;
    for (size_t i = tp ? tp->nitems : 0; i-- > 0 && chunk < 0;)
        if (tp->items[i].kind == RG_DL_GLYPHS) {
            chunk = tp->items[i].chunk;
            /* a word separator between the title and its page number: the
             * leader between them is an artifact, and readers would get
             * "Voorwoord4" (dlist.h, RG_RUN_SPACE_AFTER) */
            tp->items[i].u.glyphs.flags |= RG_RUN_SPACE_AFTER;
        }
    rg_grow(&L->tocnums, &L->tocnums_cap, L->ntocnums + 1, sizeof *L->tocnums);
    L->tocnums[L->ntocnums++] = (toc_number){ target_page, pl.last_page, pl.last_baseline, right,
                                              role, tp ? tp->nitems : 0, chunk };
    lay_close(L);                                   /* Link */
    lay_close(L);                                   /* TOCI */
    /* dot leaders between the title's end and the page number, regular
     * weight, ending at the same x on every row */
    rg_role lr = *r;
    lr.bold = 0;
    lr.color = st->rule;
    double dot_w = lay_plain_width(L, ". ", &lr, 0);
    double from = tx + pl.last_width + r->size * 0.5, to = right - pw - r->size * 0.3;
    double want = dot_w > 0 && to - from > dot_w ? floor((to - from) / dot_w) : 0;
    int ndots;
    if (rg_double_to_int(want, 0, TOC_MAX_LEADER_DOTS, &ndots) < 0)
        rg_warn_once(L->ctx, "toc-leader",
                     "contents: a dot leader of %.0f dots (role toc-%d is %gpt) is shortened "
                     "to the %d before the page number", want, level == 1 ? 1 : 2, r->size,
                     TOC_MAX_LEADER_DOTS);
    if (ndots > 0) {
        size_t len = (size_t)ndots * 2;
        char *dots = rg_arena_alloc(L->arena, len + 1);
        for (int d = 0; d < ndots; d++) memcpy(dots + 2 * d, ". ", 2);
        rg_dl_artifact_begin(L->dl, (size_t)L->page);
        lay_draw_text_at(L, dots, &lr, 0, to - ndots * dot_w, pl.last_baseline, RG_ALIGN_LEFT, 0);
        rg_dl_artifact_end(L->dl, (size_t)L->page);
    }
    L->page = keep;
    L->y -= r->space_after;
}

/* The TOC's page numbers, now that every heading and caption has its page,
 * inserted where each entry ended (last first, so that the recorded item
 * positions stay valid) and in its chunk: content order is reading order. */
static void draw_toc_numbers(lay *L)
{
    long last = -1;                /* the TOC page numbers went into last */
    for (size_t i = L->ntocnums; i-- > 0;) {
        const toc_number *t = &L->tocnums[i];
        if (t->toc_page != last) {
            /* issue 22: a spilled TOC page is read back to insert into; it
             * goes back once its numbers are in (9,409 pages: 708 TOC
             * pages, 156 MB) */
            if (last >= 0) lay_spill_again(L, (size_t)last);
            last = t->toc_page;
        }
        const rg_role *r = lay_role(L, t->role);
        char num[16];
        snprintf(num, sizeof num, "%d", *t->page >= 0 ? *t->page + 1 : 0);
        rg_para p;
        lay_break_plain(L, num, r, 0, 1e6, RG_ALIGN_LEFT, &p);
        if (!p.nlines) continue;
        const rg_line *ln = &p.lines[0];
        double x = t->right - ln->width;
        for (size_t k = ln->npieces; k-- > 0;) {
            const rg_line_piece *pc = &ln->pieces[k];
            rg_dl_insert_glyph_run(L->dl, (size_t)t->toc_page, t->pos, t->chunk, pc->font,
                                   pc->size, pc->color, x + pc->x, t->baseline, pc->glyphs,
                                   pc->nglyphs, pc->text, pc->text_len);
        }
    }
    if (last >= 0) lay_spill_again(L, (size_t)last);
}

/* A heading inside the TOC ("Tabellen", "Bijlagen"): a line of space,
 * then the title in bold toc-1, kept with two entries below it. */
void lay_toc_heading(lay *L, const char *title)
{
    const rg_role *r = lay_role(L, RG_ROLE_TOC1);
    lay_vspace(L, r->leading);
    rg_para p;
    lay_break_plain(L, title, r, RG_SPAN_STRONG, L->width, RG_ALIGN_LEFT, &p);
    if (!L->at_top && lay_room(L) < 3 * r->leading) lay_new_page(L, 1);
    lay_open(L, "TOCI");
    lay_open(L, "P");
    lay_place_lines(L, &p, L->left, L->width, r, RG_ALIGN_LEFT);
    lay_close(L);
    lay_close(L);
}

/* Whether caption c of kind figure is listed: one with neither a label
 * nor a title (<captions numbered="false"> and no <caption>) has nothing
 * to list, and made an empty entry. */
static int toc_lists(const captioned *c, int figure)
{
    return c->figure == figure && (c->label[0] || (c->title && c->title[0]));
}

/* "Tabellen" / "Figuren": the numbered captions of one kind */
static void toc_captions(lay *L, int figure)
{
    int any = 0;
    for (size_t i = 0; i < L->ncaps; i++) any |= toc_lists(&L->caps[i], figure);
    if (!any) return;
    lay_toc_heading(L, figure ? "Figuren" : "Tabellen");
    for (size_t i = 0; i < L->ncaps; i++) {
        const captioned *c = &L->caps[i];
        if (!toc_lists(c, figure)) continue;
        char text[700];
        snprintf(text, sizeof text, "%s%s%s", c->label, c->label[0] ? " " : "", c->title);
        toc_entry(L, 2, "", text, c->dest, &c->page);
    }
}

static void place_toc(lay *L, const rg_block *toc)
{
    int depth = toc->level > 0 ? toc->level : 2;
    lay_new_page(L, 1);
    const rg_role *tr = lay_role(L, RG_ROLE_TOC_TITLE);
    char *title = toc->text.n ? lay_inline_text(L, L->arena, &toc->text) : "Inhoud";
    rg_para tp;
    lay_break_plain(L, title, tr, 0, L->width, RG_ALIGN_LEFT, &tp);
    rg_dl_dest_add(L->dl, (size_t)L->page, "toc", L->y);
    rg_dl_outline_add(L->dl, title, 1, (int)L->page, L->y);
    lay_open(L, "H1");
    lay_place_lines(L, &tp, L->left, L->width, tr, RG_ALIGN_LEFT);
    lay_close(L);
    L->y -= tr->space_after;
    lay_open(L, "TOC");

    for (size_t i = 0; i < L->nheads; i++) {
        heading *h = &L->heads[i];
        if (h->level > depth) continue;
        const char *number, *entry = xref_toc_entry(L, i, &number);   /* appendices */
        toc_entry(L, h->level, number, entry, h->dest, &h->page);
    }
    if (L->st->toc_tables_figures) {
        toc_captions(L, 0);
        toc_captions(L, 1);
    }
    lay_close(L);                                   /* TOC */
}

/* ------------------------------------------------------------ templates */

/* A template's text with its fields replaced, and where it came from: the
 * definition's element of its first field that printed, else the layout
 * file's element that holds the template (for warnings and boxes). */
typedef struct expanded {
    char *text;                    /* in the pass's arena; "" when nothing prints */
    const char *file;
    int line;                      /* in file */
    int def_line;                  /* in the definition, 0: from the layout */
} expanded;

/* Closing brackets at the start of s[0..n), opening ones at its end: text
 * between two fields that belongs to the field before / after it. */
static size_t bracket_len(const char *s, size_t n, int opening, int at_end)
{
    static const char *const OPEN[] = { "(", "[", "\xC2\xAB", "\xE2\x80\x9C", "\xE2\x80\x98" };
    static const char *const CLOSE[] = { ")", "]", "\xC2\xBB", "\xE2\x80\x9D", "\xE2\x80\x99" };
    const char *const *set = opening ? OPEN : CLOSE;
    size_t k = 0;
    for (int again = 1; again && k < n;) {
        again = 0;
        for (size_t i = 0; i < 5; i++) {
            size_t l = strlen(set[i]);
            if (l > n - k) continue;
            if (memcmp(at_end ? s + n - k - l : s + k, set[i], l)) continue;
            k += l;
            again = 1;
            break;
        }
    }
    return k;
}

/* The definition line of the level-1 section whose title is shown. */
static int section_line(const lay *L, const char *title)
{
    for (size_t i = 0; i < L->nheads; i++)
        if (L->heads[i].running == title) return L->heads[i].block->line;
    return 0;
}

/* Replaces the {field}s of template tpl for page (-1: the cover, which
 * has no section or page number yet). A field with no value (no subtitle,
 * no section before the first one) prints nothing and takes along the
 * text that only makes sense with it:
 *  - text before the first field goes with the first field, text after
 *    the last field with the last field;
 *  - text between two fields is a separator, printed only between two
 *    fields that print ("{a} | {b} · {c}" without b: "A | C"), except
 *    closing brackets at its start, which go with the field before, and
 *    opening brackets at its end, which go with the field after
 *    ("{title} ({period})" without the title: "(januari t/m april 2023)").
 * A template without fields is printed as it stands. */
static expanded expand(lay *L, const char *tpl, long page, size_t npages, const char *layout_file,
                       int layout_line)
{
    enum { MAX_FIELDS = 64 };
    const rg_info *info = &L->doc->info;
    expanded ex = { NULL, layout_file, layout_line, 0 };
    const char *lit[MAX_FIELDS + 1], *val[MAX_FIELDS];
    size_t litn[MAX_FIELDS + 1];
    int line[MAX_FIELDS];
    char nums[MAX_FIELDS][24];
    size_t n = 0;
    const char *p = tpl;
    for (;;) {
        const char *open = strchr(p, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        lit[n] = p;
        litn[n] = close && n < MAX_FIELDS ? (size_t)(open - p) : strlen(p);
        if (!close || n == MAX_FIELDS) break;
        size_t fl = (size_t)(close - open - 1);
        const char *f = open + 1;
        val[n] = NULL;
        line[n] = 0;
#define IS(name) (fl == sizeof name - 1 && !memcmp(f, name, fl))
        if (IS("title")) val[n] = info->title, line[n] = info->title_line;
        else if (IS("subtitle")) val[n] = info->subtitle, line[n] = info->subtitle_line;
        else if (IS("organisation")) val[n] = info->organisation, line[n] = info->organisation_line;
        else if (IS("period")) val[n] = info->period_label, line[n] = info->period_line;
        else if (IS("section") && page >= 0) {
            val[n] = L->section[page];
            line[n] = val[n] ? section_line(L, val[n]) : 0;
        } else if (IS("page") && page >= 0) {
            snprintf(nums[n], sizeof nums[n], "%ld", page + 1);
            val[n] = nums[n];
        } else if (IS("pages") && page >= 0) {
            snprintf(nums[n], sizeof nums[n], "%zu", npages);
            val[n] = nums[n];
        }
#undef IS
        n++;
        p = close + 1;
    }
    size_t cap = strlen(tpl) + 1;
    for (size_t i = 0; i < n; i++) cap += val[i] ? strlen(val[i]) : 0;
    char *out = rg_arena_alloc(L->arena, cap), *o = out;
    if (n == 0) {
        memcpy(o, tpl, litn[0]);
        o += litn[0];
    }
    long prev = -1;
    for (size_t i = 0; i < n; i++) {
        if (!val[i] || !*val[i]) continue;
        /* text before: all of the leading text, or the opening brackets
         * that end the text between this field and the one before */
        const char *b = lit[i];
        size_t bn = litn[i];
        if (i > 0) {
            size_t c = bracket_len(b, bn, 0, 0);
            size_t op = bracket_len(b + c, bn - c, 1, 1);
            if (prev >= 0) {               /* the separator after the field printed before */
                const char *s = lit[prev + 1];
                size_t sn = litn[prev + 1];
                size_t sc = bracket_len(s, sn, 0, 0);
                size_t so = bracket_len(s + sc, sn - sc, 1, 1);
                memcpy(o, s + sc, sn - sc - so);
                o += sn - sc - so;
            }
            b += bn - op;
            bn = op;
        }
        memcpy(o, b, bn);
        o += bn;
        size_t vn = strlen(val[i]);
        memcpy(o, val[i], vn);
        o += vn;
        /* text after: all of the trailing text, or the closing brackets
         * that start the text between this field and the next */
        const char *a = lit[i + 1];
        size_t an = i + 1 == n ? litn[n] : bracket_len(a, litn[i + 1], 0, 0);
        memcpy(o, a, an);
        o += an;
        if (!ex.def_line && line[i]) {
            ex.file = L->doc->path;
            ex.line = ex.def_line = line[i];
        }
        prev = (long)i;
    }
    *o = 0;
    ex.text = out;
    return ex;
}

/* The width of text set on one line in r with flags, as drawn. */
static double line_width(lay *L, const char *text, const rg_role *r, unsigned flags)
{
    rg_para p;
    lay_break_plain(L, text, r, flags, 1e6, RG_ALIGN_LEFT, &p);
    return p.nlines ? p.lines[0].width : 0;
}

/* The first 80 bytes or so of text, for a warning ("…" when cut). */
static const char *excerpt(lay *L, const char *text)
{
    size_t n = strlen(text), k = n > 80 ? 80 : n;
    while (k < n && ((unsigned char)text[k] & 0xC0) == 0x80) k--;
    char *s = rg_arena_alloc(L->arena, k + 4);
    memcpy(s, text, k);
    memcpy(s + k, k < n ? "\xE2\x80\xA6" : "", k < n ? 4 : 1);
    return s;
}

/* ------------------------------------------------------------ the cover */

/* The cover gives each text room; what does not fit is set smaller in
 * steps of COVER_STEP down to COVER_FLOOR of its size, then hyphenated,
 * then shortened with an ellipsis (each with a warning); the cover never
 * runs onto a second page. */
#define COVER_STEP 0.05
#define COVER_FLOOR 0.60
#define COVER_TITLE_TOP 0.60       /* the title block starts 40 % down the page */
#define COVER_FOOT_LINES 5         /* organisation, date and contact share five lines */

static const char *const MONTHS_NL[12] = {
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december"
};

typedef struct cover_text {
    const char *text;              /* NULL or "": none */
    const char *what;              /* "the title", for warnings */
    const rg_role *base;
    unsigned flags;                /* span flags, LAY_HYPHENATE */
    double gap;                    /* space above it when it follows another */
    const char *file;              /* where it came from */
    int line;
    double scale;
    rg_role r;                     /* base at scale */
    rg_para p;
    size_t keep;                   /* lines drawn; fewer than p.nlines: shortened */
    int dropped;
    char *held;                    /* the diagnostics of breaking p (severity digit, its
                                    * rg_warn_once topic or "", line; each ends in NUL) */
    size_t held_len, held_cap;
} cover_text;

static cover_text cover_item(const char *text, const char *what, const rg_role *base,
                             unsigned flags, double gap, const char *file, int line)
{
    cover_text t;
    memset(&t, 0, sizeof t);
    t.text = text;
    t.what = what;
    t.base = base;
    t.r = *base;
    t.flags = flags;
    t.gap = gap;
    t.file = file;
    t.line = line;
    t.scale = 1;
    return t;
}

static int cover_present(const cover_text *t) { return t->text && *t->text && !t->dropped; }

/* Diagnostics of a trial break are held, and only those of the break
 * drawn are given (cover_give): a word broken without a hyphen at one
 * size may fit at the next. */
static void cover_hold(void *data, rg_severity sev, const char *once, const char *line)
{
    cover_text *t = data;
    size_t n = strlen(line), k = once ? strlen(once) : 0;
    rg_grow(&t->held, &t->held_cap, t->held_len + k + n + 3, 1);
    t->held[t->held_len++] = (char)('0' + sev);
    memcpy(t->held + t->held_len, once ? once : "", k + 1);
    t->held_len += k + 1;
    memcpy(t->held + t->held_len, line, n + 1);
    t->held_len += n + 1;
}

static void cover_give(lay *L, cover_text *t)
{
    for (size_t o = 0; o < t->held_len; o += strlen(t->held + o) + 1) {
        rg_severity sev = t->held[o++] == '0' + RG_SEV_ERROR ? RG_SEV_ERROR : RG_SEV_WARNING;
        const char *once = t->held[o] ? t->held + o : NULL;
        o += strlen(t->held + o) + 1;
        if (t->dropped && sev != RG_SEV_ERROR) continue;
        if (L->ctx->diag_hook) L->ctx->diag_hook(L->ctx->diag_hook_data, sev, once, t->held + o);
        else rg_diag_replay(L->ctx, sev, once, t->held + o);
    }
    free(t->held);
    t->held = NULL;
    t->held_len = t->held_cap = 0;
}

static void cover_break(lay *L, cover_text *t, double width)
{
    t->r = *t->base;
    t->r.size = t->base->size * t->scale;
    t->r.leading = t->base->leading * t->scale;
    rg_ctx_at(L->ctx, t->file, t->line);
    t->held_len = 0;
    void (*hook)(void *, rg_severity, const char *, const char *) = L->ctx->diag_hook;
    void *hook_data = L->ctx->diag_hook_data;
    L->ctx->diag_hook = cover_hold;
    L->ctx->diag_hook_data = t;
    lay_break_plain(L, t->text, &t->r, t->flags, width, RG_ALIGN_LEFT, &t->p);
    L->ctx->diag_hook = hook;
    L->ctx->diag_hook_data = hook_data;
    t->keep = t->p.nlines;
}

/* A line of t ends inside a word without a hyphen. */
static int cover_hard_break(const cover_text *t)
{
    for (size_t i = 0; i < t->p.nlines; i++)
        if (t->p.lines[i].hard_break) return 1;
    return 0;
}

static double cover_text_height(const cover_text *t) { return t->keep * t->r.leading; }

static double cover_height(const cover_text *t, size_t n)
{
    double h = 0;
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        if (!cover_present(&t[i])) continue;
        h += (first ? 0 : t[i].gap) + cover_text_height(&t[i]);
        first = 0;
    }
    return h;
}

static void cover_warn(lay *L, const cover_text *t, const char *fmt, const char *what)
{
    rg_ctx_at(L->ctx, t->file, t->line);
    rg_diag(L->ctx, RG_SEV_WARNING, NULL, 0, 0, fmt, what, (int)lround(COVER_FLOOR * 100),
            t->base->size * COVER_FLOOR, excerpt(L, t->text));
}

/* Fits texts t[0..n) (stacked, each broken at width) into height room:
 * smaller in steps, a text with a word wider than the width first, then
 * the tallest; then hyphenated; then the tallest loses lines (its last
 * one shortened); then the last texts are left out (never the first).
 * Warns about each compromise. */
static void cover_fit_steps(lay *L, cover_text *t, size_t n, double room, double width)
{
    for (size_t i = 0; i < n; i++) {
        t[i].scale = 1;
        if (cover_present(&t[i])) cover_break(L, &t[i], width);
    }
    for (;;) {
        cover_text *pick = NULL;
        for (size_t i = 0; i < n && !pick; i++)
            if (cover_present(&t[i]) && t[i].scale > COVER_FLOOR + 1e-9 && cover_hard_break(&t[i]))
                pick = &t[i];
        for (size_t i = 0; i < n && !pick && cover_height(t, n) > room + 0.01; i++)
            if (cover_present(&t[i]) && t[i].scale > COVER_FLOOR + 1e-9) {
                cover_text *tall = &t[i];
                for (size_t k = i + 1; k < n; k++)
                    if (cover_present(&t[k]) && t[k].scale > COVER_FLOOR + 1e-9 &&
                        cover_text_height(&t[k]) > cover_text_height(tall))
                        tall = &t[k];
                pick = tall;
            }
        if (!pick) break;
        pick->scale = fmax(COVER_FLOOR, pick->scale - COVER_STEP);
        cover_break(L, pick, width);
    }
    if (cover_height(t, n) <= room + 0.01) return;
    int hyphenated[8] = { 0 };
    for (size_t i = 0; i < n && i < 8; i++)
        if (cover_present(&t[i]) && t[i].p.nlines > 1 && !(t[i].flags & LAY_HYPHENATE)) {
            t[i].flags |= LAY_HYPHENATE;
            cover_break(L, &t[i], width);
            hyphenated[i] = 1;
        }
    int shortened[8] = { 0 };
    while (cover_height(t, n) > room + 0.01) {
        cover_text *tall = NULL;
        for (size_t i = 0; i < n; i++)
            if (cover_present(&t[i]) && t[i].keep > 1 &&
                (!tall || cover_text_height(&t[i]) > cover_text_height(tall)))
                tall = &t[i];
        if (!tall) break;
        tall->keep--;
        shortened[tall - t] = 1;
    }
    for (size_t i = n; i-- > 1 && cover_height(t, n) > room + 0.01;)
        if (cover_present(&t[i])) {
            t[i].dropped = 1;
            cover_warn(L, &t[i], "cover: no room for %s even at %d %% of its size (%.1fpt) "
                       "on one line: left out (\"%s\")", t[i].what);
        }
    for (size_t i = 0; i < n && i < 8; i++) {
        if (t[i].dropped) continue;
        if (shortened[i] || t[i].keep < t[i].p.nlines)
            cover_warn(L, &t[i], "cover: %s does not fit even at %d %% of its size (%.1fpt) "
                       "and hyphenated: shortened with an ellipsis (\"%s\")", t[i].what);
        else if (hyphenated[i])
            cover_warn(L, &t[i], "cover: %s is set at %d %% of its size (%.1fpt) and "
                       "hyphenated to fit (\"%s\")", t[i].what);
    }
}

static void cover_fit(lay *L, cover_text *t, size_t n, double room, double width)
{
    cover_fit_steps(L, t, n, room, width);
    for (size_t i = 0; i < n; i++) cover_give(L, &t[i]);
}

/* Draws t's kept lines from baseline bl down (lines of its leading);
 * returns the baseline after the last. */
static double cover_draw(lay *L, const cover_text *t, double x, double width, rg_align align,
                         double bl)
{
    L->line = t->file == L->doc->path ? t->line : 0;
    for (size_t k = 0; k < t->keep; k++, bl -= t->r.leading) {
        if (k + 1 == t->keep && t->keep < t->p.nlines)
            lay_emit_line_shortened(L, &t->p, k, &t->r, t->flags, x, bl, align, width);
        else
            lay_emit_line(L, &t->p, &t->p.lines[k], lay_align_x(&t->p.lines[k], align, x, width),
                          bl);
    }
    return bl;
}

/* The cover's logo (<cover logo=>) at the top left, beside the ribbon: at
 * most COVER_LOGO_W x COVER_LOGO_H, aspect ratio kept; a Figure whose alt
 * is "Logo" and the organisation (an Artifact without one). Returns its
 * bottom edge, or H when there is none. */
#define COVER_LOGO_W (60 * 72 / 25.4)
#define COVER_LOGO_H (25 * 72 / 25.4)
static double place_cover_logo(lay *L, const rg_image *im, size_t pg, double left, double H,
                               double ribbon_w)
{
    if (!im) return H;
    const rg_info *info = &L->doc->info;
    double pw, ph;
    lay_image_shape(im, &pw, &ph);
    if (!(pw > 0 && ph > 0)) return H;
    double most_w = (L->st->page_w - ribbon_w) / 2 - left - 12;
    if (most_w > COVER_LOGO_W) most_w = COVER_LOGO_W;
    double w = most_w, h = w * ph / pw;
    if (h > COVER_LOGO_H) {
        h = COVER_LOGO_H;
        w = h * pw / ph;
    }
    double top = H - L->st->margin_top, y = top - h;
    const char *org = info->organisation && *info->organisation ? info->organisation : NULL;
    if (org) {
        size_t n = strlen(org) + 6;
        char *alt = rg_arena_alloc(L->arena, n);
        snprintf(alt, n, "Logo %s", org);
        int fig = lay_open(L, "Figure");
        rg_dl_elem_set_alt(L->dl, fig, alt);
        rg_dl_elem_set_bbox(L->dl, fig, pg, left, y, left + w, top);
    } else {
        rg_dl_artifact_begin(L->dl, pg);
    }
    lay_draw_image(L, pg, im, left, y, w, h);
    if (org) lay_close(L);
    else rg_dl_artifact_end(L->dl, pg);
    return y;
}

static void place_cover(lay *L, const rg_block *b)
{
    const rg_style *st = L->st;
    const rg_info *info = &L->doc->info;
    const char *def = L->doc->path;
    int block_line = L->line;
    lay_new_page(L, 0);
    size_t pg = (size_t)L->page;
    double W = st->page_w, H = st->page_h;
    double x = L->left, width = L->width;

    /* the ribbon ("lint") at the top centre, the wordmark under it */
    double rw = st->cover_ribbon_width, rh = rw * 2.6;
    rg_dl_artifact_begin(L->dl, pg);
    if (rw > 0) rg_dl_rect_fill(L->dl, pg, (W - rw) / 2, H - rh, rw, rh, st->ribbon);
    if (st->cover_band_height > 0)
        rg_dl_rect_fill(L->dl, pg, x, H * COVER_TITLE_TOP + 14, 56, st->cover_band_height,
                        st->ribbon);
    rg_dl_artifact_end(L->dl, pg);
    const rg_role *meta = lay_role(L, RG_ROLE_COVER_META);
    double top = H * COVER_TITLE_TOP;
    (void)b;                                    /* its logo is the doc's (load) */
    double logo_bottom = place_cover_logo(L, L->doc->cover_logo, pg, x, H, rw);
    if (logo_bottom - 24 < top) top = logo_bottom - 24;
    /* a cover logo is the organisation's mark: the layout's text wordmark
     * would say its name a second time beside it */
    if (st->cover_wordmark && *st->cover_wordmark && !L->doc->cover_logo) {
        expanded wm = expand(L, st->cover_wordmark, -1, 0, st->path, st->cover_line);
        rg_role wr = *meta;
        wr.size = meta->size * 1.3;
        cover_text t = cover_item(wm.text, "the wordmark", &wr, RG_SPAN_STRONG, 0, wm.file,
                                  wm.line);
        cover_fit(L, &t, 1, wr.leading, width);
        if (cover_present(&t)) {
            double bl = H - rh - 10 - wr.size;
            lay_open(L, "P");
            cover_draw(L, &t, (W - width) / 2, width, RG_ALIGN_CENTER, bl);
            lay_close(L);
            if (bl - wr.leading < top) top = bl - wr.leading;
        }
    }

    /* organisation, date and contact at the foot, from the bottom up */
    const rg_date *d = info->date.year ? &info->date : &info->period_to;
    char date[64] = "";
    if (d->year && d->month >= 1 && d->month <= 12)
        snprintf(date, sizeof date, "%d %s %d", d->day, MONTHS_NL[d->month - 1], d->year);
    if (st->cover_no_date) date[0] = 0;            /* <cover date="false"> (issue 17) */
    cover_text foot[3] = {
        cover_item(info->organisation, "the organisation", meta, RG_SPAN_STRONG, 0, def,
                   info->organisation_line),
        cover_item(date, "the date", meta, 0, 0, def,
                   info->date_line ? info->date_line : info->period_line),
        cover_item(info->contact_text, "the contact", meta, 0, 0, def, info->contact_line),
    };
    double foot_room = COVER_FOOT_LINES * meta->leading;
    for (size_t i = 1; i < 3; i++)                 /* an absent date or contact keeps its line */
        if (!cover_present(&foot[i])) foot_room -= meta->leading;
    cover_fit(L, foot, 3, foot_room, width);
    double foot_bl[3], cursor = st->margin_bottom + meta->leading, foot_top = cursor;
    for (size_t i = 3; i-- > 0;) {                 /* contact, date, organisation */
        const cover_text *t = &foot[i];
        size_t k = cover_present(t) ? t->keep : 0;
        double lead = cover_present(t) ? t->r.leading : meta->leading;
        foot_bl[i] = cursor + (k > 1 ? (k - 1) * lead : 0);
        if (cover_present(t)) foot_top = foot_bl[i] + lay_baseline_offset(L, &t->r);
        cursor = foot_bl[i] + (i > 0 ? (cover_present(&foot[i - 1]) ? foot[i - 1].r.leading
                                                                     : meta->leading)
                                     : 0);
    }

    /* title, subtitle and period from COVER_TITLE_TOP down to a line
     * above the foot */
    const rg_role *sr = lay_role(L, RG_ROLE_COVER_SUBTITLE);
    const char *period = info->period_label && !strstr(info->title, info->period_label)
                             ? info->period_label : NULL;  /* unless the title names it */
    cover_text block[3] = {
        cover_item(info->title, "the title", lay_role(L, RG_ROLE_COVER_TITLE), 0, 0, def,
                   info->title_line),
        cover_item(info->subtitle, "the subtitle", sr, 0, sr->space_before, def,
                   info->subtitle_line),
        cover_item(period, "the period", sr, 0, 0, def, info->period_line),
    };
    /* the subtitle's space comes after the title even without a subtitle */
    if (!cover_present(&block[1])) block[2].gap = sr->space_before;
    cover_fit(L, block, 3, top - (foot_top + meta->leading), width);
    L->y = top;
    for (size_t i = 0; i < 3; i++) {
        const cover_text *t = &block[i];
        if (!cover_present(t)) continue;
        if (i > 0) L->y -= t->gap;
        /* the title is the document's first heading, in the outline too */
        if (i == 0) rg_dl_outline_add(L->dl, info->title, 1, (int)pg, L->y);
        lay_open(L, i == 0 ? "H1" : "P");
        cover_draw(L, t, x, width, RG_ALIGN_LEFT, L->y - lay_baseline_offset(L, &t->r));
        lay_close(L);
        L->y -= cover_text_height(t);
    }

    /* a paragraph each: one would read "Logius15 juni 2023communicatie@..." */
    for (size_t i = 0; i < 3; i++) {
        if (!cover_present(&foot[i])) continue;
        lay_open(L, "P");
        cover_draw(L, &foot[i], x, width, RG_ALIGN_LEFT, foot_bl[i]);
        lay_close(L);
    }
    L->line = block_line;
    rg_ctx_at(L->ctx, def, block_line);
    L->at_top = 1;
    L->page = -1;                  /* the next block starts a new page */
}

/* --------------------------------------------------------- block walk */

static void place_block_anchor(lay *L, const rg_block *b)
{
    /* sections, tables and charts place their own destinations */
    if (b->id && b->kind != RG_BLOCK_SECTION && b->kind != RG_BLOCK_TABLE &&
        b->kind != RG_BLOCK_CHART && b->kind != RG_BLOCK_IMAGE) {
        lay_ensure_page(L);
        rg_dl_dest_add(L->dl, (size_t)L->page, b->id, L->y);
    }
}

/* A <pagebreak/> makes the page break before the next block that places
 * something (so one at the end of a section or of the document, or two in
 * a row, make no blank page); those right after a section's heading (one
 * or more in a row) break the page before the heading instead
 * (place_heading's look-ahead), which they would otherwise leave alone at
 * the foot of its page. */
static void place_blocks(lay *L, const rg_block *b, double x, double width, int depth)
{
    const double dx = x - L->left, dw = width - L->width;   /* from the text area */
    for (; b && L->status == RG_OK; b = b->next) {
        L->line = b->line;
        rg_ctx_at(L->ctx, L->doc->path, b->line);
        int headed = L->just_headed;
        L->just_headed = 0;
        if (b->kind == RG_BLOCK_PAGEBREAK) {
            if (headed) {
                rg_diag(L->ctx, RG_SEV_WARNING, NULL, 0, 0,
                        "a <pagebreak/> right after a section's title breaks the page before "
                        "the title instead");
                L->just_headed = 1;      /* it placed nothing: the next is still first */
            } else if (L->page >= 0 && !L->at_top)
                L->break_pending = 1;
            continue;
        }
        if (L->break_pending) {
            L->break_pending = 0;
            if (L->page >= 0 && !L->at_top) lay_new_page(L, 1);
        }
        lay_orient_begin(L, b);                /* landscape pages (layout/orient.c) */
        x = L->left + dx;
        width = L->width + dw;
        place_block_anchor(L, b);
        switch (b->kind) {
        case RG_BLOCK_COVER:
            place_cover(L, b);
            break;
        case RG_BLOCK_TOC:
            place_toc(L, b);
            break;
        case RG_BLOCK_SECTION: {
            heading *h = heading_of(L, b);
            int sect = lay_open(L, "Sect");
            if (b->lang) rg_dl_elem_set_lang(L->dl, sect, b->lang);
            const rg_block *outer = L->after;
            L->after = b->next ? b->next : outer;
            if (h) place_heading(L, h, b);
            L->just_headed = h != NULL;   /* until a block is placed below it */
            place_blocks(L, b->children, x, width, depth);
            if (b->level == 1) lay_notes_chapter_end(L);   /* endnotes (layout/note.c) */
            L->after = outer;
            lay_close(L);
            break;
        }
        case RG_BLOCK_PARA:
            place_para(L, b, x, width);
            break;
        case RG_BLOCK_LIST:
            place_list(L, b, x, width, depth);
            break;
        case RG_BLOCK_QUOTE:
            place_quote(L, b, x, width);
            break;
        case RG_BLOCK_SIGNATURE:
            place_signature(L, b, x, width);
            break;
        case RG_BLOCK_TABLE:
            lay_place_table(L, b, x, width);
            break;
        case RG_BLOCK_CHART:
            lay_place_chart(L, b, x, width);
            break;
        case RG_BLOCK_IMAGE:
            lay_place_image(L, b, x, width);
            break;
        /* text blocks (issue 17, layout/blocks.c) */
        case RG_BLOCK_DEFLIST:
            lay_place_deflist(L, b, x, width);
            break;
        case RG_BLOCK_BOX:
            lay_place_box(L, b, x, width, depth);
            break;
        case RG_BLOCK_PAGEBREAK:
        case RG_BLOCK_ITEM:
        case RG_BLOCK_DEFENTRY:
            break;
        }
        if (b->kind != RG_BLOCK_SECTION) L->head_top = 0;   /* the page holds more than headings */
        lay_orient_end(L, b);
    }
}

void lay_place_blocks(lay *L, const rg_block *b, double x, double width, int depth)
{
    place_blocks(L, b, x, width, depth);
}

/* ------------------------------------------------- headers and footers */

/* The fields of a header or footer never collide nor leave the text
 * width: when their texts would come closer than CHROME_GAP em, the
 * longer one (or both, to half the width each) is shortened with an
 * ellipsis, with one warning per field and text. */
#define CHROME_GAP 1.0

typedef struct chrome_warned {
    int field;                     /* 0..3: header left/right, footer left/right */
    const char *text;
} chrome_warned;

typedef struct chrome_state {
    chrome_warned *warned;
    size_t nwarned, cap;
} chrome_state;

static const char *const CHROME_NAMES[4] = { "running header", "running header",
                                             "running footer", "running footer" };

/* One header or footer: fields field0 (left) and field0 + 1 (right). */
static void place_chrome_row(lay *L, chrome_state *cs, int field0, const char *const tpl[2],
                             int layout_line, size_t npages, const rg_role *r,
                             double baseline, rg_box_kind kind, double drawn[2])
{
    drawn[0] = drawn[1] = 0;       /* what each side took (a centred field, issue 17) */
    expanded ex[2];
    double w[2] = { 0, 0 }, max[2] = { L->width, L->width };
    int n = 0;
    for (int i = 0; i < 2; i++) {
        ex[i].text = NULL;
        if (!tpl[i] || !*tpl[i]) continue;
        ex[i] = expand(L, tpl[i], L->page, npages, L->st->path, layout_line);
        if (!*ex[i].text) continue;
        w[i] = line_width(L, ex[i].text, r, 0);
        n++;
    }
    double avail = L->width - CHROME_GAP * r->size;
    if (n == 2 && w[0] + w[1] > avail) {
        if (w[0] <= avail / 2) max[0] = w[0], max[1] = avail - w[0];
        else if (w[1] <= avail / 2) max[1] = w[1], max[0] = avail - w[1];
        else max[0] = max[1] = avail / 2;
    }
    for (int i = 0; i < 2; i++) {
        if (!ex[i].text || !*ex[i].text) continue;
        L->line = ex[i].def_line;
        lay_box_open(L, kind, L->left, baseline - r->leading, L->left + L->width,
                     baseline + r->leading);
        int cut = lay_draw_fitted(L, ex[i].text, r, 0, L->left, baseline,
                                  i ? RG_ALIGN_RIGHT : RG_ALIGN_LEFT, L->width, max[i],
                                  &drawn[i]);
        lay_box_close(L);
        if (!cut) continue;
        int seen = 0;
        for (size_t k = 0; k < cs->nwarned && !seen; k++)
            seen = cs->warned[k].field == field0 + i && !strcmp(cs->warned[k].text, ex[i].text);
        if (seen) continue;
        rg_grow(&cs->warned, &cs->cap, cs->nwarned + 1, sizeof *cs->warned);
        cs->warned[cs->nwarned++] = (chrome_warned){ field0 + i, ex[i].text };
        rg_ctx_at(L->ctx, ex[i].file, ex[i].line);
        const char *side = i ? "right" : "left";
        if (n == 2)
            rg_diag(L->ctx, RG_SEV_WARNING, NULL, 0, 0,
                    "%s, %s: '%s' shortened with an ellipsis to fit beside '%s' (\"%s\")",
                    CHROME_NAMES[field0], side, tpl[i], tpl[1 - i], excerpt(L, ex[i].text));
        else
            rg_diag(L->ctx, RG_SEV_WARNING, NULL, 0, 0,
                    "%s, %s: '%s' shortened with an ellipsis to fit the text width (\"%s\")",
                    CHROME_NAMES[field0], side, tpl[i], excerpt(L, ex[i].text));
    }
}

/* A centred header or footer field (<header center=>, issue 17): on the
 * middle of the text width, in the room the side fields leave (drawn: their
 * widths, a gap of CHROME_GAP em beside each, the same on both sides so
 * that it stays centred), shortened with an ellipsis and a warning (once
 * per field and text) when wider. field: CHROME_NAMES' index of its row. */
static void place_chrome_center(lay *L, chrome_state *cs, int field, const char *tpl,
                                int layout_line, size_t npages, const rg_role *r,
                                double baseline, rg_box_kind kind, const double drawn[2])
{
    if (!tpl || !*tpl) return;
    expanded ex = expand(L, tpl, L->page, npages, L->st->path, layout_line);
    if (!*ex.text) return;
    double side = drawn[0] > drawn[1] ? drawn[0] : drawn[1];
    double gap = side > 0 ? CHROME_GAP * r->size : 0;
    double max = L->width - 2 * (side + gap);
    if (max < r->size) max = r->size;          /* at least an ellipsis' room */
    L->line = ex.def_line;
    double x = L->left + (L->width - max) / 2;
    lay_box_open(L, kind, x, baseline - r->leading, x + max, baseline + r->leading);
    int cut = lay_draw_fitted(L, ex.text, r, 0, x, baseline, RG_ALIGN_CENTER, max, max, NULL);
    lay_box_close(L);
    if (!cut) return;
    int key = 4 + field;           /* 4, 6: header and footer centre (0..3: the sides) */
    for (size_t k = 0; k < cs->nwarned; k++)
        if (cs->warned[k].field == key && !strcmp(cs->warned[k].text, ex.text)) return;
    rg_grow(&cs->warned, &cs->cap, cs->nwarned + 1, sizeof *cs->warned);
    cs->warned[cs->nwarned++] = (chrome_warned){ key, ex.text };
    rg_ctx_at(L->ctx, ex.file, ex.line);
    rg_diag(L->ctx, RG_SEV_WARNING, NULL, 0, 0,
            "%s, center: '%s' shortened with an ellipsis to fit between the left and right "
            "texts (\"%s\")", CHROME_NAMES[field], tpl, excerpt(L, ex.text));
}

/* The layout's header logo at the left margin on page pg, 1.5 times the
 * header role's size high with its baseline at the text's (inside the
 * header's artifact). Returns the room it takes, its gap included. */
static double place_header_logo(lay *L, size_t pg, const rg_role *r, double baseline)
{
    const rg_image *im = L->doc->header_logo;
    if (!im) return 0;
    double pw, ph;
    lay_image_shape(im, &pw, &ph);
    if (!(pw > 0 && ph > 0)) return 0;
    double h = r->size * 1.5, w = h * pw / ph;
    if (w > L->width / 4) {
        w = L->width / 4;
        h = w * ph / pw;
    }
    double y = baseline - r->size * 0.25;
    lay_box_open(L, RG_BOX_HEADER, L->left, y, L->left + w, y + h);
    lay_draw_image(L, pg, im, L->left, y, w, h);
    lay_box_close(L);
    return w + r->size;
}

static void place_chrome(lay *L)
{
    const rg_style *st = L->st;
    size_t npages = L->dl->npages;
    const rg_role *hr = lay_role(L, RG_ROLE_HEADER), *fr = lay_role(L, RG_ROLE_FOOTER);
    const char *const head[2] = { st->header_left, st->header_right };
    const char *const foot[2] = { st->footer_left, st->footer_right };
    chrome_state cs = { NULL, 0, 0 };
    for (size_t i = 0; i < npages; i++) {
        if (!L->chrome[i]) continue;
        L->page = (long)i;
        rg_dl_artifact_begin(L->dl, i);
        /* each page's own size and text area: landscape pages (layout/orient.c) */
        double hb = lay_orient_page(L, i) - st->header_offset, fb = st->footer_offset;
        double shift = place_header_logo(L, i, hr, hb);
        L->left += shift;                          /* the left text after the logo */
        L->width -= shift;
        double drawn[2];
        place_chrome_row(L, &cs, 0, head, st->header_line, npages, hr, hb, RG_BOX_HEADER,
                         drawn);
        L->left -= shift;
        L->width += shift;
        if (drawn[0] > 0) drawn[0] += shift;       /* the logo is left of the left text */
        else drawn[0] = shift;
        place_chrome_center(L, &cs, 0, st->header_center, st->header_line, npages, hr, hb,
                            RG_BOX_HEADER, drawn);
        place_chrome_row(L, &cs, 2, foot, st->footer_line, npages, fr, fb, RG_BOX_FOOTER,
                         drawn);
        place_chrome_center(L, &cs, 2, st->footer_center, st->footer_line, npages, fr, fb,
                            RG_BOX_FOOTER, drawn);
        if (st->header_rule)
            rg_dl_line(L->dl, i, L->left, hb - hr->size * 0.6, L->left + L->width,
                       hb - hr->size * 0.6, st->rule, 0.5);
        if (st->footer_rule)
            rg_dl_line(L->dl, i, L->left, fb + fr->size * 1.3, L->left + L->width,
                       fb + fr->size * 1.3, st->rule, 0.5);
        rg_dl_artifact_end(L->dl, i);
        lay_spill_again(L, i);     /* its header and footer after its items (issue 22) */
    }
    lay_orient_set(L, 0);
    free(cs.warned);
    L->line = 0;
}

/* ------------------------------------------------------ document level */

static void set_meta(lay *L)
{
    const rg_info *info = &L->doc->info;
    rg_dl_meta *m = &L->dl->meta;
    rg_arena *a = L->dl->arena;
    m->title = rg_arena_strdup(a, info->title);
    m->author = rg_arena_strdup(a, info->author ? info->author : info->organisation);
    m->subject = rg_arena_strdup(a, info->subject ? info->subject : info->period_label);
    m->keywords = rg_arena_strdup(a, info->keywords);
    m->creator = "reportgen " RG_VERSION;
    m->producer = "reportgen " RG_VERSION " (libharu, HarfBuzz)";
    m->lang = rg_arena_strdup(a, L->doc->lang ? L->doc->lang : "nl-NL");
    const rg_date *d = info->date.year ? &info->date : &info->period_to;
    m->year = d->year;
    m->month = d->month;
    m->day = d->day;
}

static void set_labels(lay *L)
{
    size_t first = 0;
    if (L->dl->npages > 0 && !L->chrome[0]) {
        rg_dl_label_add(L->dl, 0, RG_LABEL_NONE, 1, "Omslag");
        first = 1;
    }
    if (first < L->dl->npages)
        rg_dl_label_add(L->dl, (int)first, RG_LABEL_DECIMAL, (int)first + 1, NULL);
}

static void pass_reset(lay *L)
{
    xref_pass_begin(L);            /* page references print this pass's start pages */
    lay_para_ids_reset(L);
    L->link = (lay_link){ .elem = -1 };
    rg_dl_free(L->dl);
    L->dl = rg_dl_new();
    L->dl->no_sources = L->ctx->layout_unchecked;
    rg_arena_free(L->arena);
    L->arena = rg_arena_new();
    L->spilled_upto = 0;
    L->spill_off = 0;
    L->page = -1;
    L->at_top = 1;
    L->head_top = L->break_pending = L->just_headed = L->list_flat = 0;
    L->after = NULL;
    L->peek.set = 0;
    L->cur_section = NULL;
    L->ntocnums = 0;
    rg_dl_elem_enter(L->dl, rg_dl_elem_new(L->dl, -1, "Document"));
    lay_notes_reset(L);
    for (size_t i = 0; i < L->nheads; i++) {
        L->heads[i].prev_page = L->heads[i].page;
        L->heads[i].page = -1;
    }
    for (size_t i = 0; i < L->ncaps; i++) {
        L->caps[i].prev_page = L->caps[i].page;
        L->caps[i].page = -1;
    }
}

static int pages_stable(const lay *L)
{
    for (size_t i = 0; i < L->nheads; i++)
        if (L->heads[i].page != L->heads[i].prev_page) return 0;
    for (size_t i = 0; i < L->ncaps; i++)
        if (L->caps[i].page != L->caps[i].prev_page) return 0;
    return 1;
}

rg_status rg_layout(rg_ctx *ctx, const rg_doc *doc, const rg_style *style, rg_dl **out)
{
    lay L;
    memset(&L, 0, sizeof L);
    L.link.elem = -1;
    L.ctx = ctx;
    L.doc = doc;
    L.st = style;
    L.left = style->margin_left;
    L.width = style->page_w - style->margin_left - style->margin_right;
    L.top = style->page_h - style->margin_top;
    L.bottom = style->margin_bottom;
    L.loc = rg_locale_for(doc->lang);
    *out = NULL;
    rg_arena *heads_arena = rg_arena_new();
    L.paras = lay_para_cache_new();
    rg_fonts_set_fallback(ctx, style->fallback, style->nfallback);
    /* the patterns load on the other core while fonts load and text is set */
    if (style->hyphenate) rg_hyphen_preload(ctx, doc->lang);
    rg_status st = lay_check_fonts(&L);
    if (st == RG_OK) {
        int counters[3] = { 0, 0, 0 };
        collect_headings(&L, doc->blocks, counters, heads_arena);
        L.appendix_no = 0;
        collect_captions(&L, doc->blocks, heads_arena);
        titles_with_references(&L, heads_arena);
        lay_notes_collect(&L);
        /* the registry of <ref> targets, then the titles again with the
         * references to sections and appendices (layout/xref.c) */
        xref_collect(&L, heads_arena, 0);
        titles_with_references(&L, heads_arena);
        xref_collect(&L, heads_arena, 1);
        int errors0 = ctx->errors;
        L.ahead = lay_ahead_start(&L);
        for (int pass = 0; pass < RG_LAYOUT_MAX_PASSES; pass++) {
            pass_reset(&L);
            place_blocks(&L, doc->blocks, L.left, L.width, 0);
            lay_notes_finish(&L);
            /* the text stage cannot fail; it reports a limit exceeded
             * (a truncated paragraph) as an error diagnostic instead */
            if (L.status == RG_OK && ctx->errors > errors0) L.status = RG_EX_DATAERR;
            if (L.status == RG_OK) draw_toc_numbers(&L);
            /* one pass: the TOC's numbers wait for their targets (above);
             * the loop stays for content whose length depends on pages */
            if (L.status != RG_OK || (pass == 0 && !L.xref_pages) ||
                (pages_stable(&L) && !xref_pages_unstable(&L)))
                break;
        }
        if (L.status == RG_OK && xref_pages_unstable(&L)) xref_warn_unstable(&L);
        st = L.status;
    }
    if (st == RG_OK) {
        if (L.dl->npages == 0) lay_new_page(&L, 1);
        place_chrome(&L);
        set_meta(&L);
        set_labels(&L);
        *out = L.dl;
        L.dl = NULL;
    }
    rg_ctx_at(ctx, NULL, 0);
    lay_para_ids_reset(&L);
    rg_dl_free(L.dl);
    rg_arena_free(L.arena);
    rg_arena_free(heads_arena);
    lay_ahead_stop(L.ahead);       /* cached paragraphs may live in its arenas */
    lay_para_cache_free(L.paras);
    lay_notes_free(&L);
    free(L.heads);
    free(L.caps);
    block_indexes_free(&L);
    xref_free(&L);
    free(L.tocnums);
    free(L.chrome);
    free(L.section);
    return st;
}
