/* layout/note.c - footnotes and endnotes (<note>, issue 16). Stage: layout.
 *
 * Notes are numbered once, in document order, before the first pass
 * (per document, or per top-level section as the layout's <notes
 * numbering=> says). A note's reference is a run of its own in its
 * paragraph: its number, smaller and raised, linking to the note.
 *
 * Footnotes: when lay_place_lines puts a line that carries references on a
 * page, the notes' lines go to that page's foot: the page's usable bottom
 * (L->bottom) moves up by what they take, so everything placed after them
 * on the page stays above. A line whose notes do not fit (not even the
 * first line of each) goes to the next page with them; a note that fits
 * only in part continues at the next page's foot after "(vervolg)", in
 * order with the others carried over. The notes of a page are drawn when the page is left
 * (lay_new_page) or the layout ends, under a short rule (an Artifact).
 * Each note is a Note element (with an /ID) holding its Lbl (the number)
 * and its text, made where its reference's line is, so that reading order
 * has the note right after that line.
 *
 * Endnotes (placement chapter or document): the notes are set as
 * paragraphs under the heading "Noten" at the end of each top-level
 * section or of the report. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MARK_SCALE 0.65            /* a reference's size, of its role's */
#define MARK_RISE 0.35             /* how far it is raised, of its role's size */
#define LABEL_INDENT 14.0          /* at least this from a note's number to its text */
#define RULE_LENGTH 100.0          /* the separator rule above a page's footnotes */
#define CONTINUED "(vervolg)"
#define ENDNOTES_TITLE "Noten"
/* A reference's link target: "#rg-note-N" for the N-th note (1-based, in
 * document order); the note's id=, when it has one, is a second name of
 * the same destination. Hrefs are compared by text: the paragraph cache
 * keeps copies of them. */
#define MARK_PREFIX "#rg-note-"

typedef struct note_entry {
    const rg_note *note;
    int number;
    int chapter;                   /* index of its top-level section, -1: none */
    char label[16];                /* "3" */
    char label_after[18];          /* ",3": after another note's number */
    char *href;                    /* "#dest": the reference's link target */
    char *named;                   /* "noot 3": its link's description, a <ref>'s label */
    /* per pass */
    int elem_note, elem_p;         /* its Note element and where its text goes, -1 until made */
    int set;                       /* para below is the note's text, broken */
    int drawn;                     /* endnotes: set already */
    int reserved;                  /* table notes: its page's foot took it */
    int page;                      /* the page its first line went on: -1 until set, then
                                    * the last pass's (a <ref show="page"> target's) */
    rg_para para;
} note_entry;

typedef struct foot_part {         /* lines [from, from + n) of a note at a page's foot */
    size_t note;
    size_t from, n;
    int continued;                 /* "(vervolg)" before it */
} foot_part;

struct lay_notes {
    note_entry *e;
    size_t n, cap;
    /* per pass: the current page's foot */
    foot_part *parts;
    size_t nparts, parts_cap;
    double base_bottom;            /* L->bottom without notes */
    foot_part *carry;              /* what continues at the next page's foot, in order */
    size_t ncarry, carry_cap;
    int chapter;                   /* top-level sections placed so far, less one */
    double indent;                 /* from a note's number to its text; 0: not known yet */
};

/* ------------------------------------------------------------ numbering */

static void add_note(lay *L, const rg_note *note, int chapter, int *number)
{
    struct lay_notes *N = L->notes;
    rg_grow(&N->e, &N->cap, N->n + 1, sizeof *N->e);
    note_entry *e = &N->e[N->n++];
    memset(e, 0, sizeof *e);
    e->note = note;
    e->chapter = chapter;
    e->number = ++*number;
    snprintf(e->label, sizeof e->label, "%d", e->number);
    snprintf(e->label_after, sizeof e->label_after, ",%d", e->number);
    e->href = rg_xmalloc(sizeof MARK_PREFIX + 24);
    snprintf(e->href, sizeof MARK_PREFIX + 24, "%s%zu", MARK_PREFIX, N->n);
    size_t n = strlen(L->st->note_prefix) + sizeof e->label + 1;
    e->named = rg_xmalloc(n);
    snprintf(e->named, n, "%s %s", L->st->note_prefix, e->label);
    e->elem_note = e->elem_p = -1;
    e->page = -1;
}

static void collect_inlines(lay *L, const rg_inlines *in, int chapter, int *number)
{
    for (size_t i = 0; i < in->n; i++)
        if (in->spans[i].note) add_note(L, in->spans[i].note, chapter, number);
}

/* A table's notes are numbered in reading order: by row, then column. */
static void collect_table(lay *L, const rg_table *t, int chapter, int *number)
{
    size_t n = t->nnotes;
    const rg_table_note **order = rg_xmalloc((n ? n : 1) * sizeof *order);
    for (size_t k = 0; k < n; k++) {
        size_t j = k;
        const rg_table_note *tn = &t->notes[k];
        while (j > 0 && (order[j - 1]->record > tn->record ||
                         (order[j - 1]->record == tn->record && order[j - 1]->col > tn->col))) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = tn;
    }
    for (size_t k = 0; k < n; k++) add_note(L, &order[k]->note, chapter, number);
    free(order);
}

static void collect(lay *L, const rg_block *b, int *chapter, int *number, int depth)
{
    for (; b; b = b->next) {
        if (depth == 0 && b->kind == RG_BLOCK_SECTION) {
            ++*chapter;
            if (L->st->notes_per_chapter) *number = 0;
        }
        collect_inlines(L, &b->text, *chapter, number);
        collect_inlines(L, &b->text2, *chapter, number);
        if (b->kind == RG_BLOCK_TABLE && b->table) collect_table(L, b->table, *chapter, number);
        collect(L, b->children, chapter, number, depth + 1);
    }
}

void lay_notes_collect(lay *L)
{
    L->notes = rg_xcalloc(1, sizeof *L->notes);
    int chapter = -1, number = 0;
    collect(L, L->doc->blocks, &chapter, &number, 0);
}

void lay_notes_free(lay *L)
{
    struct lay_notes *N = L->notes;
    if (!N) return;
    for (size_t i = 0; i < N->n; i++) {
        free(N->e[i].href);
        free(N->e[i].named);
    }
    free(N->e);
    free(N->parts);
    free(N->carry);
    free(N);
    L->notes = NULL;
}

void lay_notes_reset(lay *L)
{
    struct lay_notes *N = L->notes;
    if (!N) return;
    for (size_t i = 0; i < N->n; i++) {
        N->e[i].elem_note = N->e[i].elem_p = -1;
        N->e[i].set = N->e[i].drawn = N->e[i].reserved = 0;
    }
    N->nparts = 0;
    N->ncarry = 0;
    N->chapter = -1;
    N->indent = 0;
    N->base_bottom = L->bottom;
}

static long entry_of_note(const lay *L, const rg_note *note)
{
    const struct lay_notes *N = L->notes;
    for (size_t i = 0; N && i < N->n; i++)
        if (N->e[i].note == note) return (long)i;
    return -1;
}

static long entry_of_href(const lay *L, const char *href)
{
    const struct lay_notes *N = L->notes;
    size_t pre = sizeof MARK_PREFIX - 1;
    if (!href || !N || strncmp(href, MARK_PREFIX, pre) != 0) return -1;
    char *end;
    unsigned long k = strtoul(href + pre, &end, 10);
    if (*end || k == 0 || k > N->n || strcmp(N->e[k - 1].href, href) != 0) return -1;
    return (long)k - 1;
}

/* The destinations of note i at y on the current page. */
static void add_dests(lay *L, size_t i, double y)
{
    note_entry *e = &L->notes->e[i];
    e->page = (int)L->page;
    rg_dl_dest_add(L->dl, (size_t)L->page, e->href + 1, y);
    if (e->note->id) rg_dl_dest_add(L->dl, (size_t)L->page, e->note->id, y);
}

/* ------------------------------------------------------------ the mark */

rg_text_run lay_note_mark_run(const lay *L, const rg_note *note, int after_mark,
                              const rg_font *f, const rg_role *r, const char *lang)
{
    long i = entry_of_note(L, note);
    const char *label = i < 0 ? "?" : after_mark ? L->notes->e[i].label_after
                                                 : L->notes->e[i].label;
    return (rg_text_run){ label, strlen(label), f, r->size * MARK_SCALE, r->color,
                          i >= 0 ? L->notes->e[i].href : NULL, lang, 1 };
}

double lay_note_mark_rise(const lay *L, const rg_line_piece *pc)
{
    if (entry_of_href(L, pc->href) < 0) return 0;
    return pc->size / MARK_SCALE * MARK_RISE;
}

const char *lay_note_link_contents(lay *L, const char *href)
{
    long i = entry_of_href(L, href);
    return i < 0 ? NULL : L->notes->e[i].named;
}

const char *lay_note_cell_mark(lay *L, const rg_note *note)
{
    static const char *const SUP[10] = { "\xE2\x81\xB0", "\xC2\xB9", "\xC2\xB2", "\xC2\xB3",
                                         "\xE2\x81\xB4", "\xE2\x81\xB5", "\xE2\x81\xB6",
                                         "\xE2\x81\xB7", "\xE2\x81\xB8", "\xE2\x81\xB9" };
    long i = entry_of_note(L, note);
    const char *label = i >= 0 ? L->notes->e[i].label : "";
    char *out = rg_arena_alloc(L->arena, 3 * strlen(label) + 1), *o = out;
    for (const char *d = label; *d; d++) {
        const char *s = SUP[*d - '0'];
        size_t n = strlen(s);
        memcpy(o, s, n);
        o += n;
    }
    *o = 0;
    return out;
}

/* ----------------------------------------------------- footnote heights */

static int at_foot(const lay *L)
{
    return L->notes && L->notes->n && L->st->notes_placement == RG_NOTES_FOOT;
}

static const rg_role *note_role(const lay *L) { return lay_role(L, RG_ROLE_FOOTNOTE); }

/* From a note's number to its text: room for the widest number the
 * document's notes have, and its space. */
static double note_indent(lay *L)
{
    struct lay_notes *N = L->notes;
    if (N->indent > 0) return N->indent;
    int widest = 0;
    for (size_t i = 0; i < N->n; i++)
        if (N->e[i].number > widest) widest = N->e[i].number;
    char label[32];
    snprintf(label, sizeof label, "%d ", widest);
    for (char *c = label; *c && *c != ' '; c++) *c = '0';   /* the digits' widest */
    double w = lay_plain_width(L, label, note_role(L), 0) + 2;
    N->indent = w > LABEL_INDENT ? w : LABEL_INDENT;
    return N->indent;
}

/* The note's text broken at the note width (once per pass). */
static const rg_para *note_para(lay *L, size_t i, double width)
{
    note_entry *e = &L->notes->e[i];
    if (!e->set) {
        lay_break_inlines(L, &e->note->text, note_role(L), width - note_indent(L), RG_ALIGN_LEFT,
                          &e->para);
        e->set = 1;
    }
    return &e->para;
}

/* The room the rule takes above a page's first footnote. */
static double rule_space(const lay *L) { return note_role(L)->leading; }

/* The notes referred to on line ln, at most max, in order; returns the count. */
static size_t line_notes(const lay *L, const rg_line *ln, size_t *out, size_t max)
{
    size_t n = 0;
    for (size_t k = 0; k < ln->npieces && n < max; k++) {
        long i = entry_of_href(L, ln->pieces[k].href);
        if (i < 0 || (n && out[n - 1] == (size_t)i)) continue;
        out[n++] = (size_t)i;
    }
    return n;
}

enum { MAX_LINE_NOTES = 64 };

static int notes_fit(lay *L, size_t n, double h);

double lay_notes_keep(lay *L, const rg_para *p, size_t lines)
{
    if (!at_foot(L)) return 0;
    size_t ids[MAX_LINE_NOTES], n = 0;
    for (size_t i = 0; i < lines && i < p->nlines; i++)
        n += line_notes(L, &p->lines[i], ids, MAX_LINE_NOTES);
    if (n == 0) return 0;
    return (double)n * note_role(L)->leading + (L->notes->nparts ? 0 : rule_space(L));
}

int lay_notes_line_fits(lay *L, const rg_line *ln, double leading)
{
    if (!at_foot(L)) return 1;
    size_t ids[MAX_LINE_NOTES];
    size_t n = line_notes(L, ln, ids, MAX_LINE_NOTES);
    if (n == 0 && L->notes->nparts == 0) return 1;      /* the room lines were counted in */
    if (n == 0) return L->y - leading >= L->bottom - LAY_EPS;   /* notes took room since */
    return notes_fit(L, n, leading);
}

/* Carries lines [from, from + n) of note i to the next page's foot. */
static void carry(struct lay_notes *N, size_t i, size_t from, size_t n)
{
    rg_grow(&N->carry, &N->carry_cap, N->ncarry + 1, sizeof *N->carry);
    N->carry[N->ncarry++] = (foot_part){ i, from, n, 1 };
}

/* The measure footnotes are set to: the text width of a portrait page
 * (of the narrower orientation), on landscape pages too (layout/orient.c).
 * A note broken on one page may continue on a page of the other
 * orientation, and lines of a thousand points at a footnote's size would
 * not read well anyway. */
static double foot_width(const lay *L)
{
    double portrait = lay_orient_text_width(L->st, 0), landscape = lay_orient_text_width(L->st, 1);
    return portrait < landscape ? portrait : landscape;
}

/* Reserves lines of note i from line from at this page's foot: all that
 * fit, leaving after lines for the notes after it on the same line or
 * row, the rest carried to the next page. A note's first lines stay on
 * its reference's page (at least one, forced); a continued one (continued)
 * waits whole while another is carried already, so that notes continue
 * in their order. */
static void reserve(lay *L, size_t i, size_t from, int continued, size_t after)
{
    struct lay_notes *N = L->notes;
    const rg_para *p = note_para(L, i, foot_width(L));
    double fl = note_role(L)->leading;
    double room = L->y - L->bottom - (double)after * fl;   /* the next notes' first lines */
    if (!N->nparts) room -= rule_space(L);
    if (continued) room -= fl;
    size_t left = p->nlines > from ? p->nlines - from : 0;
    size_t fits = lay_lines_in(room, fl);
    size_t take = left < fits ? left : fits;
    if (continued && N->ncarry) take = 0;
    else if (take == 0 && left && !continued) take = 1;
    if (take == 0) {
        if (left) carry(N, i, from, left);
        return;
    }
    double used = (double)take * fl + (continued ? fl : 0) + (N->nparts ? 0 : rule_space(L));
    rg_grow(&N->parts, &N->parts_cap, N->nparts + 1, sizeof *N->parts);
    N->parts[N->nparts++] = (foot_part){ i, from, take, continued };
    L->bottom += used;
    if (take < left) carry(N, i, from + take, left - take);
}

/* The Note element of entry i (made under the current element). */
static void make_elements(lay *L, size_t i)
{
    note_entry *e = &L->notes->e[i];
    if (e->elem_note >= 0) return;
    e->elem_note = lay_elem(L, "Note");
    rg_dl_elem_set_id(L->dl, e->elem_note, e->href + 1);
}

/* ------------------------------------------------------ table cells */

/* Whether n notes fit below a line or row h high at L->y:
 * at least the first line of each (a note that does not fit whole
 * continues on the next page). */
static int notes_fit(lay *L, size_t n, double h)
{
    if (!n) return 1;
    double fl = note_role(L)->leading;
    double need = L->notes->nparts || L->notes->ncarry ? 0 : rule_space(L);
    need += (double)n * fl;
    return L->y - h - need >= L->bottom - LAY_EPS;
}

int lay_notes_room(lay *L, size_t n, double h)
{
    if (!at_foot(L)) return 1;
    if (n == 0 && L->notes->nparts == 0) return 1;   /* the page's room as the table saw it */
    if (n == 0) return L->y - h >= L->bottom - LAY_EPS;   /* notes took room since */
    return notes_fit(L, n, h);
}

void lay_notes_cell(lay *L, const rg_table *t, size_t first, size_t last, size_t col,
                    size_t col_last)
{
    if (!L->notes || !L->notes->n) return;
    for (size_t k = 0; k < t->nnotes; k++) {
        const rg_table_note *tn = &t->notes[k];
        if (tn->record < first || tn->record > last || (size_t)tn->col < col ||
            (size_t)tn->col > col_last)
            continue;
        long i = entry_of_note(L, &tn->note);
        if (i < 0 || L->notes->e[i].elem_note >= 0) continue;
        make_elements(L, (size_t)i);
        if (at_foot(L)) rg_dl_note_ref(L->dl, (size_t)L->page, L->notes->e[i].href + 1, L->line);
    }
}

void lay_notes_table_row(lay *L, const rg_table *t)
{
    if (!at_foot(L)) return;
    size_t n = 0;
    size_t *ids = rg_arena_alloc(L->arena, (t->nnotes ? t->nnotes : 1) * sizeof *ids);
    for (size_t k = 0; k < t->nnotes; k++) {   /* made in the row's cells, in number order */
        long i = entry_of_note(L, &t->notes[k].note);
        if (i < 0 || L->notes->e[i].elem_note < 0 || L->notes->e[i].reserved) continue;
        size_t j = n++;
        while (j > 0 && ids[j - 1] > (size_t)i) {
            ids[j] = ids[j - 1];
            j--;
        }
        ids[j] = (size_t)i;
    }
    for (size_t k = 0; k < n; k++) {
        L->notes->e[ids[k]].reserved = 1;
        reserve(L, ids[k], 0, 0, n - 1 - k);
    }
}

void lay_notes_line_placed(lay *L, const rg_line *ln)
{
    if (!L->notes || !L->notes->n) return;
    size_t ids[MAX_LINE_NOTES];
    size_t n = line_notes(L, ln, ids, MAX_LINE_NOTES);
    for (size_t k = 0; k < n; k++) {
        note_entry *e = &L->notes->e[ids[k]];
        if (e->elem_note >= 0) continue;       /* a line drawn twice */
        if (!at_foot(L)) continue;             /* endnotes: made where they are set */
        make_elements(L, ids[k]);
        rg_dl_note_ref(L->dl, (size_t)L->page, e->href + 1, L->line);
        reserve(L, ids[k], 0, 0, n - 1 - k);
    }
}

/* ------------------------------------------------------ drawing the foot */

/* Draws the lines [from, from + n) of note i from y down; returns the new y. */
static double draw_lines(lay *L, size_t i, size_t from, size_t n, double x, double y)
{
    const rg_role *r = note_role(L);
    const rg_para *p = &L->notes->e[i].para;
    double off = lay_baseline_offset(L, r);
    rg_dl_elem_enter(L->dl, L->notes->e[i].elem_p);
    for (size_t k = from; k < from + n && k < p->nlines; k++) {
        lay_emit_line(L, p, &p->lines[k], x, y - off);
        y -= r->leading;
    }
    lay_close(L);
    return y;
}

/* Draws the number of note i as its Lbl; the note's text follows it in
 * the Note element itself (no P: a Note is inline-level, and sits in the
 * paragraph of its reference). */
static void draw_label(lay *L, size_t i, double x, double baseline)
{
    note_entry *e = &L->notes->e[i];
    rg_dl_elem_enter(L->dl, e->elem_note);
    lay_open(L, "Lbl");
    lay_draw_label_at(L, e->label, note_role(L), x, baseline);
    lay_close(L);
    e->elem_p = e->elem_note;
    lay_close(L);
}

static void draw_part(lay *L, const foot_part *fp, double *y)
{
    const rg_role *r = note_role(L);
    double off = lay_baseline_offset(L, r);
    size_t pg = (size_t)L->page;
    if (fp->continued) {
        rg_dl_artifact_begin(L->dl, pg);
        lay_draw_text_at(L, CONTINUED, r, RG_SPAN_EM, L->left + note_indent(L), *y - off,
                         RG_ALIGN_LEFT, foot_width(L) - note_indent(L));
        rg_dl_artifact_end(L->dl, pg);
        *y -= r->leading;
    } else {
        add_dests(L, fp->note, *y);
        rg_dl_note_at(L->dl, pg, L->notes->e[fp->note].href + 1);
        draw_label(L, fp->note, L->left, *y - off);
    }
    *y = draw_lines(L, fp->note, fp->from, fp->n, L->left + note_indent(L), *y);
}

void lay_notes_page_end(lay *L)
{
    struct lay_notes *N = L->notes;
    if (!N || !N->nparts || L->page < 0) return;
    size_t pg = (size_t)L->page;
    double top = L->bottom;                    /* the foot's top */
    double y = top - rule_space(L);
    rg_dl_artifact_begin(L->dl, pg);
    double len = RULE_LENGTH < L->width ? RULE_LENGTH : L->width;
    rg_dl_line(L->dl, pg, L->left, top - rule_space(L) / 2, L->left + len,
               top - rule_space(L) / 2, L->st->rule, 0.5);
    rg_dl_artifact_end(L->dl, pg);
    for (size_t k = 0; k < N->nparts; k++) draw_part(L, &N->parts[k], &y);
    N->nparts = 0;
    L->bottom = N->base_bottom;
}

void lay_notes_page_start(lay *L)
{
    struct lay_notes *N = L->notes;
    if (!N) return;
    L->bottom = N->base_bottom;
    if (!N->ncarry) return;
    size_t n = N->ncarry;
    foot_part *todo = rg_xmalloc(n * sizeof *todo);
    memcpy(todo, N->carry, n * sizeof *todo);
    N->ncarry = 0;
    /* continuations take at most half of a page, the first at least a line */
    double keep = L->y;
    L->y = L->bottom + (L->top - L->bottom) / 2;
    for (size_t k = 0; k < n; k++) {
        size_t before = N->nparts;
        reserve(L, todo[k].note, todo[k].from, 1, 0);
        if (k == 0 && N->nparts == before) {   /* not even a line in half a page */
            N->ncarry = 0;
            L->y = L->bottom + (L->top - L->bottom);
            reserve(L, todo[k].note, todo[k].from, 1, 0);
            L->y = L->bottom + (L->top - L->bottom) / 2;
        }
    }
    free(todo);
    L->y = keep;
}

/* ------------------------------------------------------------ endnotes */

static void place_endnote(lay *L, size_t i)
{
    note_entry *e = &L->notes->e[i];
    const rg_role *r = note_role(L);
    const rg_para *p = note_para(L, i, L->width);
    e->drawn = 1;
    make_elements(L, i);
    double bl = lay_first_baseline(L, p, r);
    add_dests(L, i, bl + r->size);
    draw_label(L, i, L->left, bl);
    rg_dl_elem_enter(L->dl, e->elem_p);
    lay_place_lines(L, p, L->left + note_indent(L), L->width - note_indent(L), r,
                    RG_ALIGN_LEFT);
    lay_close(L);
    L->y -= r->leading / 3;
}

/* Sets the endnotes of chapter (all when chapter < -1) not set yet, under
 * "Noten". */
static void place_endnotes(lay *L, int chapter)
{
    struct lay_notes *N = L->notes;
    size_t first = N->n;
    for (size_t i = 0; i < N->n && first == N->n; i++)
        if (!N->e[i].drawn && (chapter < -1 || N->e[i].chapter == chapter)) first = i;
    if (first == N->n) return;
    const rg_role *h = lay_role(L, chapter < -1 ? RG_ROLE_H1 : RG_ROLE_H2);
    rg_para title;
    lay_break_plain(L, ENDNOTES_TITLE, h, 0, L->width, RG_ALIGN_LEFT, &title);
    lay_ensure_page(L);
    if (lay_room(L) + LAY_EPS < h->space_before + 3 * h->leading) lay_new_page(L, 1);
    lay_vspace(L, h->space_before);
    rg_dl_outline_add(L->dl, ENDNOTES_TITLE, chapter < -1 ? 1 : 2, (int)L->page, L->y);
    lay_open(L, chapter < -1 ? "H1" : "H2");
    lay_place_lines(L, &title, L->left, L->width, h, RG_ALIGN_LEFT);
    lay_close(L);
    L->y -= h->space_after;
    for (size_t i = first; i < N->n && L->status == RG_OK; i++)
        if (!N->e[i].drawn && (chapter < -1 || N->e[i].chapter == chapter))
            place_endnote(L, i);
}

void lay_notes_chapter_end(lay *L)
{
    struct lay_notes *N = L->notes;
    if (!N) return;
    N->chapter++;
    if (N->n && L->st->notes_placement == RG_NOTES_CHAPTER) place_endnotes(L, N->chapter);
}

void lay_notes_finish(lay *L)
{
    struct lay_notes *N = L->notes;
    if (!N || !N->n || L->status != RG_OK) return;
    if (L->st->notes_placement == RG_NOTES_FOOT) {
        for (size_t i = 0; i < N->n; i++)      /* nothing silently left out */
            if (N->e[i].elem_note < 0)
                rg_diag(L->ctx, RG_SEV_WARNING, L->doc->path, N->e[i].note->line, 0,
                        "note %d is not set: its reference was not placed", N->e[i].number);
        lay_notes_page_end(L);
        while (N->ncarry && L->status == RG_OK) {   /* a note continued past the text */
            lay_new_page(L, 1);
            lay_notes_page_end(L);
        }
        return;
    }
    place_endnotes(L, -2);
}

/* ------------------------------------------------ cross-references */

void lay_notes_targets(lay *L)
{
    struct lay_notes *N = L->notes;
    for (size_t i = 0; N && i < N->n; i++) {
        note_entry *e = &N->e[i];
        if (!e->note->id) continue;
        xref_target *t = xref_add(L, e->note->id, XREF_NOTE, e->note->line);
        t->label = e->named;
        t->number = e->label;
        t->title = "";             /* the loader refuses show="title" of a note */
        t->dest = e->note->id;     /* its second name: links to "rg-note-N" are its marks */
        t->page = &e->page;
    }
}
