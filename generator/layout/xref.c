/* layout/xref.c - appendices and cross-references (issue 16). Stage:
 * layout.
 *
 * Appendices are level-1 sections with the appendix flag, after the main
 * text: lettered A, B, ... Z, AA, ... ("Bijlage A", the layout's
 * appendix-prefix), their sections numbered A.1, A.1.1 (when the layout
 * numbers sections), their tables and figures "Tabel A.1", "Figuur A.1".
 * In the TOC they come under a heading of their own ("Bijlagen", the
 * layout's appendices-title), in the outline under an entry of that name.
 *
 * Cross-references: every section, appendix, table and figure with an id
 * is a target in a small registry (id -> kind, label, number, title,
 * destination, page) that other kinds (footnotes) can join. A <ref/>
 * prints one of its fields as a link to it; show="page" prints the page
 * its target landed on in the previous pass, so rg_layout repeats passes
 * until those pages are stable (xref_pages_unstable), and every page
 * number drawn is recorded in the display list (rg_dl_pageref_add) for
 * the layout checker. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A page reference's href: "#dest" PAGE_MARK "page". Ids never hold the
 * mark (letters, digits, '.', '_', '-'), so the link code cuts it off. */
#define PAGE_MARK '\x1F'

/* ------------------------------------------------------------ numbering */

/* Appendix number n (1..) in capitals: A .. Z, AA, AB, ... */
static void appendix_letters(int n, char *out, size_t cap)
{
    char rev[8];
    int k = 0;
    for (int v = n; v > 0 && k < 7; v = (v - 1) / 26) rev[k++] = (char)('A' + (v - 1) % 26);
    size_t o = 0;
    while (k > 0 && o + 1 < cap) out[o++] = rev[--k];
    out[o] = 0;
}

int xref_number_heading(lay *L, const rg_block *b, heading *h, int *counters, rg_arena *a)
{
    (void)a;
    if (b->appendix) {
        L->appendix_no++;
        counters[0] = counters[1] = counters[2] = 0;
    }
    h->appendix = L->appendix_no;
    if (!L->appendix_no) return 0;
    char letter[8];
    appendix_letters(L->appendix_no, letter, sizeof letter);
    if (h->level == 1) {
        snprintf(h->number, sizeof h->number, "%s %s", L->st->appendix_prefix, letter);
    } else if (L->st->number_sections) {
        counters[h->level - 1]++;
        for (int k = h->level; k < 3; k++) counters[k] = 0;
        char *o = h->number;
        o += snprintf(o, sizeof h->number, "%s", letter);
        for (int k = 1; k < h->level; k++)
            o += snprintf(o, sizeof h->number - (size_t)(o - h->number), ".%d", counters[k]);
    }
    return 1;
}

void xref_caption_number(lay *L, captioned *c, const char *prefix, int n, char *gen,
                         size_t gen_cap)
{
    const char *kind = c->figure ? "figure" : "table";
    c->appendix = L->appendix_no;
    if (c->appendix) {
        char letter[8];
        appendix_letters(c->appendix, letter, sizeof letter);
        snprintf(c->number, sizeof c->number, "%s.%d", letter, n);
        snprintf(gen, gen_cap, "%s-%s-%d", kind, letter, n);
    } else {
        snprintf(c->number, sizeof c->number, "%d", n);
        snprintf(gen, gen_cap, "%s-%d", kind, n);
    }
    snprintf(c->label, sizeof c->label, "%s %s", prefix ? prefix : "", c->number);
    if (L->st->captions_unnumbered) c->label[0] = c->number[0] = 0;   /* issue 17 */
}

/* ------------------------------------------------------------ registry */

static char *joined(rg_arena *a, const char *x, const char *sep, const char *y)
{
    size_t n = strlen(x) + strlen(sep) + strlen(y) + 1;
    char *s = rg_arena_alloc(a, n);
    snprintf(s, n, "%s%s%s", x, sep, y);
    return s;
}

xref_target *xref_add(lay *L, const char *id, xref_kind kind, int line)
{
    free(L->xref_order);           /* stale: xref_find walks until xref_collect sorts again */
    L->xref_order = NULL;
    rg_grow(&L->xrefs, &L->xrefs_cap, L->nxrefs + 1, sizeof *L->xrefs);
    xref_target *t = &L->xrefs[L->nxrefs++];
    memset(t, 0, sizeof *t);
    t->id = id;
    t->kind = kind;
    t->line = line;
    t->shown = -1;
    return t;
}

static void target_of_heading(lay *L, heading *h, rg_arena *a)
{
    int appendix = h->appendix && h->level == 1;
    h->running = appendix ? joined(a, h->number, " ", h->title) : h->title;
    if (!h->block->id) return;
    xref_target *t = xref_add(L, h->block->id, appendix ? XREF_APPENDIX : XREF_SECTION,
                                h->block->line);
    t->title = h->title;
    t->dest = h->dest;
    t->page = &h->page;
    if (appendix) {
        const char *sp = strrchr(h->number, ' ');
        t->number = sp ? sp + 1 : h->number;
        t->label = h->number;
    } else {
        t->number = h->number;
        const char *word = h->level == 1 && !h->appendix ? L->st->chapter_prefix
                                                         : L->st->section_prefix;
        t->label = h->number[0] ? joined(a, word, " ", h->number) : h->title;
    }
}

static void target_of_caption(lay *L, captioned *c)
{
    if (!c->block->id) return;
    xref_target *t = xref_add(L, c->block->id, c->figure ? XREF_FIGURE : XREF_TABLE,
                                c->block->line);
    t->label = c->label;
    t->number = c->number;
    if (!c->label[0])              /* <captions numbered="false"> (issue 17): the caption */
        t->label = c->title && *c->title ? c->title
                   : c->figure ? L->st->figure_prefix : L->st->table_prefix;
    t->title = c->title;
    t->dest = c->dest;
    t->page = &c->page;
}

/* ---- the targets sorted by id (issue 22: a lookup per reference over
 * every target made big documents quadratic) ---- */

/* By id, then by place in L->xrefs: among equal ids the first added comes
 * first, the one a walk in order would find. */
static int by_id_then_place(const void *a, const void *b)
{
    const xref_target *x = *(const xref_target *const *)a, *y = *(const xref_target *const *)b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x > y) - (x < y);
}

static void sort_xrefs(lay *L)
{
    free(L->xref_order);
    L->xref_order = rg_xmalloc((L->nxrefs ? L->nxrefs : 1) * sizeof *L->xref_order);
    for (size_t i = 0; i < L->nxrefs; i++) L->xref_order[i] = &L->xrefs[i];
    qsort(L->xref_order, L->nxrefs, sizeof *L->xref_order, by_id_then_place);
}

/* The first of the sorted targets with this id, or NULL. */
static const xref_target *find_sorted(const lay *L, const char *id)
{
    size_t lo = 0, hi = L->nxrefs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(L->xref_order[mid]->id, id) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo < L->nxrefs && !strcmp(L->xref_order[lo]->id, id) ? L->xref_order[lo] : NULL;
}

const xref_target *xref_find(const lay *L, const char *id)
{
    if (L->xref_order) return find_sorted(L, id);
    for (size_t i = 0; i < L->nxrefs; i++)
        if (!strcmp(L->xrefs[i].id, id)) return &L->xrefs[i];
    return NULL;
}

int xref_has_page_ref(const rg_inlines *in)
{
    for (size_t i = 0; i < in->n; i++)
        if (in->spans[i].ref && in->spans[i].ref_show == RG_REF_PAGE) return 1;
    return 0;
}

/* The references of the blocks from b on: for page references
 * xref_pages is set and each target they name remembers the first one's
 * line (its warning's); a number asked of a section the layout does not
 * number gives its title, with a warning (warn: the first pass only). */
static void find_refs(lay *L, const rg_block *b, int warn)
{
    for (; b; b = b->next) {
        const rg_inlines *texts[2] = { &b->text, &b->text2 };
        for (int k = 0; k < 2; k++)
            for (size_t i = 0; i < texts[k]->n; i++) {
                const rg_span *s = &texts[k]->spans[i];
                xref_target *t = s->ref ? (xref_target *)xref_find(L, s->ref) : NULL;
                if (!t) continue;
                if (s->ref_show == RG_REF_NUMBER && !t->number[0] && warn) {
                    rg_ctx_at(L->ctx, L->doc->path, b->line);
                    rg_diag(L->ctx, RG_SEV_WARNING, NULL, 0, 0,
                            "a reference to '%s' shows its number, but the layout does not "
                            "number sections: it shows the title", t->id);
                }
                if (s->ref_show != RG_REF_PAGE) continue;
                L->xref_pages = 1;
                if (!t->ref_line) t->ref_line = b->line;
            }
        find_refs(L, b->children, warn);
    }
}

void xref_collect(lay *L, rg_arena *a, int warn)
{
    L->nxrefs = 0;
    for (size_t i = 0; i < L->nheads; i++) target_of_heading(L, &L->heads[i], a);
    for (size_t i = 0; i < L->ncaps; i++) target_of_caption(L, &L->caps[i]);
    lay_notes_targets(L);
    sort_xrefs(L);
    find_refs(L, L->doc->blocks, warn);
    rg_ctx_at(L->ctx, NULL, 0);
}

void xref_free(lay *L)
{
    free(L->xrefs);
    L->xrefs = NULL;
    free(L->xref_order);
    L->xref_order = NULL;
    L->nxrefs = L->xrefs_cap = 0;
}

/* ------------------------------------------------------------ references */

int xref_printed_page(int pg)
{
    return pg + 1;                 /* as expand's {page} and set_labels' decimal labels */
}

const char *xref_ref_text(const lay *L, rg_arena *arena, const rg_span *s, char **href,
                          int *whole)
{
    const xref_target *t = xref_find(L, s->ref);
    if (href) *href = NULL;
    if (whole) *whole = 1;
    if (!t) return s->ref;
    const char *text = t->label;
    int page = s->ref_show == RG_REF_PAGE;
    if (s->ref_show == RG_REF_NUMBER) text = t->number[0] ? t->number : t->title;
    else if (s->ref_show == RG_REF_TITLE) text = t->title;
    else if (page) {
        char *num = rg_arena_alloc(arena, 16);
        /* the first pass knows no page yet: a stand-in the next pass replaces */
        snprintf(num, 16, "%d", t->shown >= 0 ? xref_printed_page(t->shown) : 0);
        text = num;
    }
    if (whole) *whole = text != t->title;        /* an unnumbered section's label is its title */
    if (href) {
        size_t n = strlen(t->dest) + 8;
        *href = rg_arena_alloc(arena, n);
        snprintf(*href, n, page ? "#%s%cpage" : "#%s", t->dest, PAGE_MARK);
    }
    return text ? text : "";
}

const char *xref_link_dest(lay *L, const char *name)
{
    const char *mark = strchr(name, PAGE_MARK);
    return mark ? rg_arena_strndup(L->arena, name, (size_t)(mark - name)) : name;
}

void xref_note_drawn(lay *L, const rg_line_piece *pc)
{
    if (!pc->href || pc->href[0] != '#' || !strchr(pc->href, PAGE_MARK)) return;
    if (pc->flags & RG_RUN_HYPHEN) return;
    rg_dl_pageref_add(L->dl, (size_t)L->page, pc->text, pc->text_len,
                      xref_link_dest(L, pc->href + 1), L->line);
}

/* ------------------------------------------------------------ passes */

void xref_pass_begin(lay *L)
{
    for (size_t i = 0; i < L->nxrefs; i++) L->xrefs[i].shown = *L->xrefs[i].page;
    L->appendices_placed = 0;
}

int xref_pages_unstable(const lay *L)
{
    if (!L->xref_pages) return 0;
    for (size_t i = 0; i < L->nxrefs; i++) {
        const xref_target *t = &L->xrefs[i];
        if (t->ref_line && *t->page != t->shown) return 1;
    }
    return 0;
}

void xref_warn_unstable(lay *L)
{
    for (size_t i = 0; i < L->nxrefs; i++) {
        const xref_target *t = &L->xrefs[i];
        if (!t->ref_line || *t->page == t->shown) continue;
        rg_ctx_at(L->ctx, L->doc->path, t->ref_line);
        rg_diag(L->ctx, RG_SEV_WARNING, NULL, 0, 0,
                "a page reference to '%s' prints page %d, but its target (line %d) lands on "
                "page %d: the page numbers did not settle in %d passes", t->id,
                xref_printed_page(t->shown), t->line, xref_printed_page(*t->page),
                RG_LAYOUT_MAX_PASSES);
    }
}

/* ------------------------------------------------------------ outline and TOC */

int xref_outline_level(lay *L, const heading *h, double y)
{
    if (!h->appendix) return h->level;
    if (!L->appendices_placed) {
        rg_dl_outline_add(L->dl, L->st->appendices_title, 1, (int)L->page, y);
        L->appendices_placed = 1;
    }
    return h->level + 1;
}

const char *xref_toc_entry(lay *L, size_t i, const char **number)
{
    const heading *h = &L->heads[i];
    *number = h->number;
    if (!h->appendix || h->level != 1) return h->title;
    int first = 1;
    for (size_t k = 0; k < i && first; k++) first = !L->heads[k].appendix;
    if (first) lay_toc_heading(L, L->st->appendices_title);
    *number = "";
    return joined(L->arena, h->number, "\xE2\x80\x82", h->title);   /* an en space */
}
