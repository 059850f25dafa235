/* layout/table.c - tables in the layout stage. A table is built from a
 * dataset: cells are formatted by the locale, values below their norm are
 * marked (bold and a sign, never colour alone), long cell text wraps,
 * numbers are right- or decimal-aligned.
 *
 * Column widths follow CSS 2.1's automatic table layout (17.5.2.2), with
 * the distribution of CSS Tables 3. Every column has, from its header
 * label and its cells: a minimum content width, the widest unit that
 * cannot break (a figure, amount or date whole; a word's widest piece
 * after Dutch hyphenation, with its hyphen; an address's widest piece
 * between / . @ -); a word width (the widest word, or piece between
 * explicit hyphens); and a preferred width (its widest cell on one line).
 * A group label spans its columns and widens them when it needs to. A
 * column with width= keeps that width (at least its minimum); share=
 * columns take the spare width. When the preferred widths do not fit,
 * each column is set between two of these levels (minimum, word, fixed
 * widths at theirs, preferred) in proportion, as CSS does; when even the
 * minimums do not fit, the table is set smaller in steps of 0.5 pt (type,
 * leading and padding) down to the layout's min-size, with a warning.
 * There, text that still does not fit breaks without a hyphen (warned) and
 * a figure that does not fit is an error: figures are never broken.
 *
 * On the page the caption is kept with the header and the first rows, the
 * header repeats on every page the table spans, a table of four rows or
 * more leaves at least two rows on each side of a page break (a shorter one
 * is not split when it fits a page), the dataset's note stays with the last
 * rows, and a row taller than a page is split between its lines (warned).
 * Below its headings at a page's top a table starts where it is (the
 * headings' look-ahead put it there); a first row that does not fit below
 * the caption and header there is split between its lines too.
 *
 * Memory (issue 22): a table of more than ctx->table_window_rows rows
 * (1,024) keeps its cells' lines only a window of rows at a time: its
 * rows are broken a window at a time for their heights (each cell keeps
 * its line count), and again a window at a time as they are drawn
 * (row_window), each window a paragraph cache of its own. */
#include "internal.h"
#include "hyphen/hyphen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    KEEP_ROWS = 2,                 /* body rows kept on each side of a page break, */
    SPLIT_MIN_ROWS = 4             /* in a table of at least this many; a shorter one is
                                    * not split when it fits on a page */
};

#define SIZE_STEP 0.5              /* points: how a table is set smaller to fit */
#define FIT_EPS 0.05               /* points: room for rounding when widths are scaled */
#define KERN_EPS 0.03              /* ems: a piece of a word shaped alone may be narrower
                                    * than within the word (kerning across the break) */

typedef struct cell {
    char *text;
    unsigned flags;                /* RG_SPAN_STRONG: marked value, totals */
    int marked;
    int hidden;                    /* merged into the cell above (row span) */
    size_t note_len;               /* bytes of footnote numbers at the text's end */
    rg_para para;
    double head_w, tail_w;         /* widths around the decimal separator */
    /* rows with roles (issue 17, tables) */
    int indent;                    /* levels the text is indented (a group's child) */
    int spans;                     /* a group row's label: spans every column */
    int spanned;                   /* covered by its row's spanning label: not drawn */
    int label;                     /* a group's or subtotal's label (text, even in a column
                                    * of figures) */
    int span_cols;                 /* > 1: a <cell-span>'s text covers this many columns
                                    * (its first cell and those under it) */
} cell;

typedef enum { COL_TEXT, COL_FIGURE, COL_DATE } col_kind;

/* What a column (or a group label) needs, at the layout's table size,
 * padding left out. */
typedef struct extent {
    double floor;                  /* the least it can take: figures whole, dates' widest
                                    * word, text one em (words then break without a hyphen) */
    double hyph;                   /* min-content: figures and dates whole, words' widest
                                    * pieces after hyphenation, with the hyphen */
    double word;                   /* figures and dates whole, the widest word */
    double max;                    /* max-content: the widest cell on one line */
    const char *figure;            /* the text with the widest figure (messages), or NULL */
    double figure_w;               /* that figure's width */
} extent;

typedef struct group {             /* a header cell over columns [c, e) */
    size_t c, e;
    const char *text;
    extent ext;
    rg_para para;
} group;

typedef struct tab {
    const rg_table *t;
    const char *name;              /* "table 'projects'", or "Tabel 3" (messages) */
    const rg_role *body0, *head0;  /* the layout's table roles */
    rg_role body_r, head_r;        /* the roles at the size the table is set at */
    const rg_role *body, *head;    /* the layout's roles, then (column_widths) those */
    double scale;                  /* the table's size over the layout's */
    double padx, pady;             /* cell padding at that size */
    size_t ncols, nrows;           /* nrows includes the totals row */
    int totals;                    /* the last row is the totals row */
    cell *cells;                   /* nrows x ncols */
    cell *labels;                  /* ncols header labels */
    int *numeric;                  /* per column */
    col_kind *kind;                /* per column */
    rg_colalign *align;            /* resolved per column */
    extent *ext;                   /* per column */
    group *groups;                 /* the header's spanning cells, left to right */
    size_t ngroups;
    double *w, *x;                 /* column widths, offsets from the table's left */
    double *max_tail;              /* decimal alignment per column */
    double *row_h;
    double label_h, group_h;       /* header rows: labels, groups (0: none) */
    double width;
    /* structure: the header is tagged once (repeats are artifacts); the
     * elements of the row being drawn are kept for its split parts */
    int header_tagged;
    int tbody;                     /* TBody element, -1 until the first row */
    const char *sign;              /* the mark put after values below their norm */
    size_t elem_row;               /* row whose TR/TD elements are in td */
    int *td;                       /* per column: TD element of elem_row, -1 = merged */
    /* tables with structure (issue 17): the layout's continued-caption */
    rg_para cont;                  /* "Tabel 1 caption (vervolg)", or no lines */
    double cont_h;                 /* its height with the caption's space after */
    /* issue 22: a table of more rows than window (ctx->table_window_rows)
     * keeps its cells' lines only for a window of that many rows at a time
     * (layout/flow.c lay_window_new): broken once for the rows' heights,
     * again a window at a time while drawn. 20,000 rows held ~60 MB of
     * lines at once. [win0, win1): the rows whose cells have them now */
    long window;
    size_t win0, win1;
    struct para_cache *lines;      /* where those lines are (lay_window_new), or NULL */
} tab;

static const rg_field *col_field(const tab *T, size_t c)
{
    return &T->t->data->fields[T->t->cols[c].field];
}

static int is_numeric(rg_field_type type)
{
    return type == RG_FIELD_NUMBER || type == RG_FIELD_PERCENT || type == RG_FIELD_EURO;
}

static cell *cell_at(const tab *T, size_t r, size_t c) { return &T->cells[r * T->ncols + c]; }

/* ---- rows with roles (issue 17, tables; the rows come from load/tablerows.c) ---- */

/* What row r is, or NULL for a plain record row or the totals row. */
static const rg_table_row *row_role(const tab *T, size_t r)
{
    return T->t->rows && r < T->t->data->nrecords ? &T->t->rows[r] : NULL;
}

/* A group, subtotal or totals row: its first cell is a row header (TH). */
static int is_heading_row(const tab *T, size_t r)
{
    const rg_table_row *rr = row_role(T, r);
    return (rr && rr->kind != RG_ROW_RECORD) || (T->totals && r == T->nrows - 1);
}

/* The indentation of a cell's text at role `at` (one em a level). */
static double cell_indent(const cell *cl, const rg_role *at)
{
    return cl->indent * at->size;
}

/* The right edge of cell (., c), from the table's left: its column's, or
 * that of the last column its <cell-span> covers. */
static double cell_right(const tab *T, size_t c, const cell *cl)
{
    size_t e = cl->span_cols > 1 ? c + (size_t)cl->span_cols - 1 : c;
    return T->x[e] + T->w[e];
}

/* The width a cell's text is broken to: its column's, less its indent; a
 * group label spans the table, a <cell-span> its columns. */
static double cell_text_width(const tab *T, size_t c, const cell *cl)
{
    if (cl->spans) return T->width - 2 * T->padx;
    if (cl->span_cols > 1) return cell_right(T, c, cl) - T->x[c] - 2 * T->padx;
    return T->w[c] - 2 * T->padx - cell_indent(cl, T->body);
}

/* Row roles on the formatted cells: group and subtotal labels, blanks
 * where a subtotal row sums nothing, bold rows, the indent of a group's
 * children. */
/* <cell-span>s (issue 17): the cells a span covers are merged into its
 * first one (hidden, below it: the TD's RowSpan; spanned, beside it: its
 * ColSpan); the rows below repeat its text only as a page's-top
 * decoration, as merged cells do. */
static void apply_spans(tab *T)
{
    for (size_t k = 0; k < T->t->nspans; k++) {
        const rg_table_span *sp = &T->t->spans[k];
        cell *first = cell_at(T, sp->record, (size_t)sp->col);
        first->span_cols = sp->cols;
        for (size_t i = 0; i < (size_t)sp->rows; i++)
            for (size_t j = 0; j < (size_t)sp->cols; j++) {
                cell *cl = cell_at(T, sp->record + i, (size_t)sp->col + j);
                if (cl == first) continue;
                if (j == 0) {                       /* under it: its text at a page's top */
                    cl->text = first->text;
                    cl->flags = first->flags;
                    cl->span_cols = sp->cols;
                } else {
                    cl->text = "";
                    cl->spanned = i == 0;
                }
                cl->hidden = i > 0;
            }
    }
}

static void apply_row_roles(tab *T)
{
    size_t at = 0;                 /* a subtotal's label: the first column without a total */
    while (at < T->ncols && T->t->cols[at].total) at++;
    for (size_t r = 0; T->t->rows && r < T->t->data->nrecords; r++) {
        const rg_table_row *rr = &T->t->rows[r];
        size_t label_col = rr->kind == RG_ROW_GROUP ? 0 : at;
        for (size_t c = 0; c < T->ncols; c++) {
            cell *cl = cell_at(T, r, c);
            if (rr->strong) cl->flags |= RG_SPAN_STRONG;
            if (rr->kind == RG_ROW_RECORD) {
                if (c == 0) cl->indent = rr->indent;
                if (r > 0 && T->t->rows[r - 1].kind != RG_ROW_RECORD) cl->hidden = 0;
                continue;
            }
            cl->hidden = 0;
            cl->label = c == label_col;
            if (cl->label) cl->text = (char *)rr->label;
            else if (rr->kind == RG_ROW_GROUP || !T->t->cols[c].total) cl->text = "";
            cl->spans = rr->kind == RG_ROW_GROUP && c == 0;
            cl->spanned = rr->kind == RG_ROW_GROUP && c > 0;
        }
    }
}

/* ---- footnotes on cells (issue 16; layout/note.c numbers and sets them) ---- */

/* The cell that shows record rec's value in column c, as its row (*r)
 * and column (*c): the first of its merged run (merge="true" hides the
 * repeats below it), or the <cell-span> that covers it. */
static void shown_cell(const tab *T, size_t rec, size_t col, size_t *r, size_t *c)
{
    while (rec > 0 && cell_at(T, rec, col)->hidden) rec--;
    while (col > 0 && cell_at(T, rec, col)->spanned && !cell_at(T, rec, col)->spans) col--;
    *r = rec;
    *c = col;
}

/* The last record the cell (r, c) spans. */
static size_t span_end(const tab *T, size_t r, size_t c)
{
    while (r + 1 < T->t->data->nrecords && cell_at(T, r + 1, c)->hidden) r++;
    return r;
}

/* How many footnotes row r's cells carry (merged repeats' included). */
static size_t row_note_count(const tab *T, size_t r)
{
    size_t n = 0;
    for (size_t k = 0; k < T->t->nnotes; k++) {
        const rg_table_note *tn = &T->t->notes[k];
        size_t sr = 0, sc = 0;
        if (tn->record < T->t->data->nrecords && (size_t)tn->col < T->ncols)
            shown_cell(T, tn->record, (size_t)tn->col, &sr, &sc);
        n += tn->record < T->t->data->nrecords && (size_t)tn->col < T->ncols && sr == r;
    }
    return n;
}

/* ---------------------------------------------------------- cell text */

/* The mark sign of the layout, or " *" when neither the table font nor the
 * fallback chain has its glyphs. */
static const char *mark_sign(lay *L, const rg_role *r)
{
    const char *sign = L->st->mark_sign ? L->st->mark_sign : " *";
    const rg_font *f = lay_font_for(L, r, RG_SPAN_STRONG);
    for (const unsigned char *p = (const unsigned char *)sign; f && *p;) {
        uint32_t cp = *p;
        int n = cp < 0x80 ? 1 : cp < 0xE0 ? 2 : cp < 0xF0 ? 3 : 4;
        if (n > 1) cp &= 0x3F >> (n - 1);
        for (int k = 1; k < n && p[k]; k++) cp = cp << 6 | (p[k] & 0x3F);
        if (cp != ' ' && cp != 0xA0 && !rg_font_has_codepoint(f, cp) &&
            !rg_font_fallback(L->ctx, f, cp))
            return " *";
        p += n;
    }
    return sign;
}

static int below_norm(const rg_table *t, const rg_column *col, size_t rec, const rg_value *v)
{
    if (v->missing || !is_numeric(t->data->fields[col->field].type)) return 0;
    if (col->has_min && v->num < col->min) return 1;
    if (col->min_field >= 0) {
        const rg_value *norm = &t->data->values[rec * t->data->nfields + (size_t)col->min_field];
        if (!norm->missing && v->num < norm->num) return 1;
    }
    return 0;
}

static void set_text(lay *L, cell *c, const char *text)
{
    c->text = rg_arena_strdup(L->arena, text);
}

/* Number formatting (exact decimal rounding through printf's "%.14e") is
 * a tenth of a big table's layout: the body's figures are formatted on
 * both setters of the layout thread when there is one (layout/ahead.c). */
enum { FIGURE_CAP = 240 };         /* rg_format_value's room in format_body */

typedef struct figures {
    const lay *L;
    const tab *T;
    size_t *at;                    /* cell index (r * ncols + c) of each figure */
    char (*text)[FIGURE_CAP];
} figures;

static int format_one(void *arg, size_t i, rg_ctx *ctx, rg_arena *arena)
{
    (void)ctx;
    (void)arena;
    const figures *f = arg;
    const tab *T = f->T;
    size_t r = f->at[i] / T->ncols, c = f->at[i] % T->ncols;
    const rg_column *col = &T->t->cols[c];
    const rg_value *v = &T->t->data->values[r * T->t->data->nfields + (size_t)col->field];
    rg_format_value(f->L->loc, col_field(T, c), v, col->decimals,
                    f->L->st->negative_parentheses, f->text[i], FIGURE_CAP);
    return 1;
}

/* The body's figures formatted ahead: *text[k] for the k-th non-text cell
 * in row order, or NULL (format them in line). Free with free(). */
static char (*format_ahead(lay *L, const tab *T))[FIGURE_CAP]
{
    size_t n = 0;
    for (size_t c = 0; c < T->ncols; c++) n += col_field(T, c)->type != RG_FIELD_TEXT;
    n *= T->t->data->nrecords;
    if (!L->ahead || n < 64) return NULL;
    figures f = { L, T, rg_xmalloc(n * sizeof *f.at), rg_xmalloc(n * sizeof *f.text) };
    size_t k = 0;
    for (size_t r = 0; r < T->t->data->nrecords; r++)
        for (size_t c = 0; c < T->ncols; c++)
            if (col_field(T, c)->type != RG_FIELD_TEXT) f.at[k++] = r * T->ncols + c;
    unsigned char *ok = rg_xcalloc(n, 1);
    int done = lay_ahead_for(L->ahead, n, format_one, &f, ok, NULL);
    for (size_t i = 0; done && i < n; i++) done = ok[i];
    free(ok);
    free(f.at);
    if (!done) {
        free(f.text);
        return NULL;
    }
    return f.text;
}

static void format_body(lay *L, tab *T)
{
    const rg_table *t = T->t;
    const rg_dataset *d = t->data;
    const char *sign = T->sign = mark_sign(L, T->body);
    char (*ahead)[FIGURE_CAP] = format_ahead(L, T);
    size_t figure = 0;
    for (size_t r = 0; r < d->nrecords; r++) {
        for (size_t c = 0; c < T->ncols; c++) {
            const rg_column *col = &t->cols[c];
            const rg_value *v = &d->values[r * d->nfields + (size_t)col->field];
            cell *cl = cell_at(T, r, c);
            if (col_field(T, c)->type == RG_FIELD_TEXT) {      /* any length, as given */
                cl->text = (char *)(v->missing || !v->text ? "" : v->text);
                if (col->merge && r > 0 && !strcmp(cell_at(T, r - 1, c)->text, cl->text))
                    cl->hidden = 1;
                continue;
            }
            char buf[FIGURE_CAP + 16];
            if (ahead) memcpy(buf, ahead[figure++], FIGURE_CAP);
            else rg_format_value(L->loc, col_field(T, c), v, col->decimals,
                                 L->st->negative_parentheses, buf, FIGURE_CAP);
            if (below_norm(t, col, r, v)) {
                cl->marked = 1;
                if (L->st->mark_bold) cl->flags |= RG_SPAN_STRONG;
                strncat(buf, sign, sizeof buf - strlen(buf) - 1);
            }
            set_text(L, cl, buf);
            if (col->merge && r > 0 && !strcmp(cell_at(T, r - 1, c)->text, buf))
                cl->hidden = 1;
        }
    }
    free(ahead);
}

static void format_totals(lay *L, tab *T)
{
    const rg_table *t = T->t;
    const rg_dataset *d = t->data;
    size_t r = T->nrows - 1;
    int labelled = 0;
    for (size_t c = 0; c < T->ncols; c++) {
        const rg_column *col = &t->cols[c];
        cell *cl = cell_at(T, r, c);
        cl->flags = RG_SPAN_STRONG;
        if (col->total && is_numeric(col_field(T, c)->type)) {
            /* exact decimals (issue 17): the loader checked that the sum fits */
            rg_value sum = { .exact = 1 };
            const rg_dataset *all = t->source ? t->source : d;  /* records, not subtotals */
            if (rg_dec_sum_field(all, col->field, NULL, 0, &sum.dec, NULL) < 0) sum.missing = 1;
            char buf[256];
            rg_format_value(L->loc, col_field(T, c), &sum, col->decimals,
                            L->st->negative_parentheses, buf, sizeof buf);
            set_text(L, cl, buf);
        } else if (!labelled && !is_numeric(col_field(T, c)->type)) {
            set_text(L, cl, t->total_label ? t->total_label : "Totaal");
            labelled = 1;
        } else {
            set_text(L, cl, "");
        }
    }
}

static void format_labels(lay *L, tab *T)
{
    for (size_t c = 0; c < T->ncols; c++) {
        const rg_column *col = &T->t->cols[c];
        const rg_field *f = col_field(T, c);
        set_text(L, &T->labels[c], col->label ? col->label : (f->label ? f->label : f->name));
    }
}

/* ------------------------------------------------------- column widths */

/* The locale's decimal separator: the second byte of "1,5" / "1.5". */
static char decimal_mark(const lay *L)
{
    char probe[16];
    rg_format_number(L->loc, 1.5, 1, probe, sizeof probe);
    return probe[1];
}

/* The part of a number from its decimal separator on ("" without one). */
static const char *decimal_tail(const char *text, char mark)
{
    const char *at = strrchr(text, mark);
    return at ? at : text + strlen(text);
}

/* What measure_columns and split_decimal will measure, in their order,
 * measured on both setters first (layout/ahead.c). */
static void prefill_measures(lay *L, tab *T)
{
    size_t k = 0;
    lay_text_req *q = rg_xmalloc(2 * T->ncols * (T->nrows + 1) * sizeof *q);
    for (size_t c = 0; c < T->ncols; c++) {
        q[k++] = (lay_text_req){ T->labels[c].text, T->head0, 0, 0, RG_ALIGN_LEFT };
        for (size_t r = 0; r < T->nrows; r++) {
            const cell *cl = cell_at(T, r, c);
            q[k++] = (lay_text_req){ cl->text, T->body0, cl->flags, 0, RG_ALIGN_LEFT };
        }
    }
    char mark = decimal_mark(L);
    for (size_t r = 0; r < T->nrows; r++)
        for (size_t c = 0; c < T->ncols; c++)
            if (T->align[c] == RG_COLALIGN_DECIMAL) {
                const cell *cl = cell_at(T, r, c);
                q[k++] = (lay_text_req){ decimal_tail(cl->text, mark), T->body0, cl->flags, 0,
                                         RG_ALIGN_LEFT };
            }
    lay_prefill_measures(L, q, k);
    free(q);
}

/* ---- words: where the text stage may break them ----
 * A word (between spaces) breaks after an explicit hyphen between letters
 * (UAX #14), at its hyphenation points (hyphen/hyphen.h, asked for as the
 * text stage asks: per part between no-break spaces; also where
 * hyphenation is off, since the text stage hyphenates a word too wide for
 * its line), and an address after / . @ - (text/break.c's rule). Cells
 * are broken with LAY_CELL, so a word may take all its hyphens in a row.
 * Breaks that UAX #14 allows besides these are not counted: a minimum too
 * large only costs room. A figure (digits and no letters, as the layout
 * checker sees it) is never broken. Last, the text stage may break any
 * word but an address between two characters (not between two digits),
 * without a hyphen and with a warning: the floor. */

enum { WORD_BUCKETS = 1024, MAX_BREAKS = 64, HYPHEN_POINTS = 32 };

typedef struct word_ext {
    uint64_t key;
    double floor, hyph, word;
    int figure;
    struct word_ext *next;
} word_ext;

typedef struct measurer {
    lay *L;
    word_ext **buckets;            /* the words of this table, in words */
    char *buf;                     /* a piece of a word, NUL-terminated */
    size_t cap;
    rg_arena *words;               /* buckets and words: freed once the widths are measured
                                    * (issue 22: in L->arena they stayed for the whole pass,
                                    * ~20 KB a table, 62 MB on 8,000 pages) */
} measurer;

static int is_break_space(char c)
{
    return c == ' ' || (c >= 0x0A && c <= 0x0D);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A letter at byte i (non-ASCII counts, but for no-break and soft
 * hyphens, and U+2000..U+203F: spaces, dashes, quotes). */
static int letter_at(const char *w, size_t n, size_t i)
{
    unsigned char c = (unsigned char)w[i];
    if (c < 0x80) return (c | 32) >= 'a' && (c | 32) <= 'z';
    if (c < 0xC0) return 0;
    unsigned char d = i + 1 < n ? (unsigned char)w[i + 1] : 0;
    if (c == 0xC2 && (d == 0xA0 || d == 0xAD)) return 0;
    return !(c == 0xE2 && d == 0x80);
}

static size_t char_start(const char *w, size_t i)
{
    while (i > 0 && ((unsigned char)w[i] & 0xC0) == 0x80) i--;
    return i;
}

static int is_address(const char *w, size_t n)
{
    if (memchr(w, '@', n)) return 1;
    for (size_t i = 0; i + 3 <= n; i++)
        if (!memcmp(w + i, "://", 3) || (i + 4 <= n && !memcmp(w + i, "www.", 4))) return 1;
    return 0;
}

/* Digits and no ASCII letters: a figure, amount or date (check/check.c). */
static int is_figure(const char *w, size_t n)
{
    int digits = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_digit(w[i])) digits = 1;
        else if ((w[i] | 32) >= 'a' && (w[i] | 32) <= 'z') return 0;
    }
    return digits;
}

/* An address breaks before byte c (text/break.c: address_break_before). */
static int address_break(const char *w, size_t n, size_t c)
{
    size_t chars = 0;
    for (size_t i = c; i < n; i++) chars += ((unsigned char)w[i] & 0xC0) != 0x80;
    if (chars < 6) return 0;
    char p = w[c - 1], q = w[c];
    if (p == '@' || p == '.' || p == '-') return q != '.' && q != '-' && q != '/';
    return p == '/' && q != '/' && (c < 2 || w[c - 2] != '/');
}

static double piece_width(measurer *M, const char *s, size_t n, const rg_role *r, unsigned flags)
{
    if (n + 1 > M->cap) {
        M->cap = n + 64;
        M->buf = rg_xrealloc(M->buf, M->cap);
    }
    memcpy(M->buf, s, n);
    M->buf[n] = 0;
    return lay_plain_width(M->L, M->buf, r, flags);
}

/* The breaks inside word w (not an address): byte offsets, increasing,
 * each marked as a hyphenation point (a hyphen shows) or not. */
static size_t word_breaks(lay *L, const char *w, size_t n, size_t *at, int *hy)
{
    const rg_style *st = L->st;
    rg_hyphen_opts ho = { st->hyphen_min_word ? st->hyphen_min_word : 6,
                          st->hyphen_left ? st->hyphen_left : 2,
                          st->hyphen_right ? st->hyphen_right : 3 };
    const char *lang = L->doc->lang ? L->doc->lang : "nl";
    size_t pts[HYPHEN_POINTS], np = 0, a = 0, k = 0;
    for (size_t i = 0; i <= n; i++) {
        int nbsp = i + 1 < n && (unsigned char)w[i] == 0xC2 && (unsigned char)w[i + 1] == 0xA0;
        if (i == n || nbsp) {
            if (i > a && np < HYPHEN_POINTS) {
                size_t got = rg_hyphenate(L->ctx, lang, w + a, i - a, &ho, pts + np,
                                          HYPHEN_POINTS - np);
                for (size_t j = np; j < np + got; j++) pts[j] += a;
                np += got;
            }
            if (nbsp) i++;
            a = i + 1;
        }
    }
    size_t p = 0;
    for (size_t c = 1; c < n && k < MAX_BREAKS; c++) {
        int plain = w[c - 1] == '-' && c >= 2 && letter_at(w, n, char_start(w, c - 2)) &&
                    letter_at(w, n, c);
        while (p < np && pts[p] < c) p++;
        int point = p < np && pts[p] == c;
        if (plain || point) {
            at[k] = c;
            hy[k++] = !plain;
        }
    }
    return k;
}

/* The least word w can take when the text stage breaks it without a
 * hyphen: its widest run of digits, or one em. */
static double word_floor(measurer *M, const char *w, size_t n, const rg_role *r, unsigned flags)
{
    double widest = r->size;
    for (size_t i = 0; i < n;) {
        if (!is_digit(w[i])) {
            i++;
            continue;
        }
        size_t e = i;
        while (e < n && is_digit(w[e])) e++;
        if (e - i > 1) {
            double d = piece_width(M, w + i, e - i, r, flags);
            if (d > widest) widest = d;
        }
        i = e;
    }
    return widest;
}

/* Word w in role r: its widest piece once hyphenated, with the hyphen
 * (hyph); between explicit hyphens (word); broken anywhere it may be
 * (floor); and whether it is a figure. */
static void word_extent(measurer *M, const char *w, size_t n, const rg_role *r, unsigned flags,
                        word_ext *x)
{
    lay *L = M->L;
    double whole = piece_width(M, w, n, r, flags);
    x->figure = is_figure(w, n);
    x->floor = x->hyph = x->word = whole;
    if (x->figure) return;
    size_t at[MAX_BREAKS + 2], m = 0;
    int hy[MAX_BREAKS + 2];
    int address = is_address(w, n);
    if (address) {
        for (size_t c = 1; c < n && m < MAX_BREAKS; c++)
            if (((unsigned char)w[c] & 0xC0) != 0x80 && address_break(w, n, c)) {
                at[1 + m] = c;
                hy[1 + m++] = 0;
            }
    } else {
        m = word_breaks(L, w, n, at + 1, hy + 1);
    }
    if (m > 0) {
        at[0] = 0;
        hy[0] = 0;
        at[m + 1] = n;
        hy[m + 1] = 0;
        double eps = KERN_EPS * r->size, hyphen = lay_plain_width(L, "-", r, flags);
        double widest = 0, seg = 0, between = 0;
        for (size_t j = 0; j <= m; j++) {
            double piece = piece_width(M, w + at[j], at[j + 1] - at[j], r, flags);
            double line = piece + (hy[j + 1] ? hyphen : 0) + eps;
            if (line > widest) widest = line;
            seg += piece;
            if (!hy[j + 1]) {            /* a piece between explicit hyphens ends */
                if (seg + eps > between) between = seg + eps;
                seg = 0;
            }
        }
        x->hyph = widest < whole ? widest : whole;
        if (!address) x->word = between < whole ? between : whole;
    }
    x->floor = address ? x->hyph : word_floor(M, w, n, r, flags);
    if (x->floor > x->hyph) x->floor = x->hyph;
}

/* The widest pieces of text's words (see word_extent), each word measured
 * once per table, and its widest figure. */
static void text_extent(measurer *M, const char *text, const rg_role *r, unsigned flags,
                        extent *out)
{
    memset(out, 0, sizeof *out);
    uint64_t seed = rg_hash_bytes(rg_hash_bytes(1469598103934665603ull, &r, sizeof r), &flags,
                                  sizeof flags);
    for (const char *p = text; *p;) {
        while (*p && is_break_space(*p)) p++;
        const char *e = p;
        while (*e && !is_break_space(*e)) e++;
        if (e == p) break;
        uint64_t key = rg_hash_bytes(seed, p, (size_t)(e - p));
        word_ext **slot = &M->buckets[key % WORD_BUCKETS], *x = *slot;
        while (x && x->key != key) x = x->next;
        if (!x) {
            x = rg_arena_alloc(M->words, sizeof *x);
            x->key = key;
            word_extent(M, p, (size_t)(e - p), r, flags, x);
            x->next = *slot;
            *slot = x;
        }
        if (x->floor > out->floor) out->floor = x->floor;
        if (x->hyph > out->hyph) out->hyph = x->hyph;
        if (x->word > out->word) out->word = x->word;
        if (x->figure && x->word > out->figure_w) {
            out->figure_w = x->word;
            out->figure = text;
        }
        p = e;
    }
}

/* A header label (or group label): text in the header role; without
 * full, its preferred width only. */
static void label_extent(measurer *M, const tab *T, const char *text, int full, extent *x)
{
    double w;
    lay_plain_measure(M->L, text, T->head0, 0, &w, NULL);
    if (full) text_extent(M, text, T->head0, 0, x);
    else memset(x, 0, sizeof *x);
    x->max = w > x->word ? w : x->word;
}

typedef struct by_width {
    double w;
    size_t row;
} by_width;

static int wider_first(const void *a, const void *b)
{
    const by_width *x = a, *y = b;
    if (x->w != y->w) return x->w < y->w ? 1 : -1;
    return (x->row > y->row) - (x->row < y->row);
}

static void raise_to(double *v, double w)
{
    if (w > *v) *v = w;
}

/* Column c's extent from its label and cells, but the minimums of text
 * (column_minimums): figures and dates whole, the preferred widths, and
 * for text cells their widest words (into o, for column_minimums). */
static void measure_column(measurer *M, tab *T, size_t c, char mark, by_width *o)
{
    lay *L = M->L;
    extent *x = &T->ext[c];
    label_extent(M, T, T->labels[c].text, 0, x);
    double w, widest, whole = 0, words = 0;
    for (size_t r = 0; r < T->nrows; r++) {
        const cell *cl = cell_at(T, r, c);
        if (cl->label && !cl->spans && T->kind[c] != COL_TEXT) {
            /* a subtotal's label in a column of figures or dates is broken
             * as text there: its words (hyphenated) must fit */
            extent e;
            text_extent(M, cl->text, T->body0, cl->flags, &e);
            raise_to(&x->floor, e.hyph);
            raise_to(&x->hyph, e.hyph);
            raise_to(&x->word, e.hyph);
            continue;
        }
        if (cl->spans || cl->span_cols > 1) {
            /* a group label has the table's width, a <cell-span> its columns' */
            if (T->kind[c] == COL_TEXT) o[r] = (by_width){ 0, r };
            continue;
        }
        lay_plain_measure(L, cl->text, T->body0, cl->flags, &w, &widest);
        w += cell_indent(cl, T->body0);
        widest += cell_indent(cl, T->body0);
        raise_to(&x->max, w);
        if (T->kind[c] == COL_TEXT) {
            o[r] = (by_width){ widest, r };
            continue;
        }
        raise_to(&whole, w);                       /* never broken: whole */
        raise_to(&words, widest);
        if (T->kind[c] == COL_FIGURE && w > x->figure_w) {
            x->figure_w = w;
            x->figure = cl->text;
        }
    }
    if (T->kind[c] != COL_TEXT) {
        raise_to(&x->floor, T->kind[c] == COL_FIGURE ? whole : words);
        raise_to(&x->hyph, whole);
        raise_to(&x->word, whole);
    }
    if (T->align[c] == RG_COLALIGN_DECIMAL) {
        /* separators under each other: the widest head and the widest tail */
        double head = 0, tail = 0;
        for (size_t r = 0; r < T->nrows; r++) {
            const cell *cl = cell_at(T, r, c);
            double t = lay_plain_width(L, decimal_tail(cl->text, mark), T->body0, cl->flags);
            raise_to(&tail, t);
            raise_to(&head, lay_plain_width(L, cl->text, T->body0, cl->flags) - t);
        }
        raise_to(&x->max, head + tail);
        if (T->kind[c] != COL_TEXT) {
            raise_to(&x->hyph, head + tail);
            raise_to(&x->word, head + tail);
        }
    }
    raise_to(&x->word, x->hyph);
    raise_to(&x->max, x->word);
}

/* The minimums of column c's text: its label's words, and its text cells',
 * the cells with the widest words first (o, from measure_column): one
 * whose widest word is narrower than the floor so far cannot raise it. */
static void column_minimums(measurer *M, tab *T, size_t c, by_width *o)
{
    extent *x = &T->ext[c], e;
    text_extent(M, T->labels[c].text, T->head0, 0, &e);
    for (size_t k = 0;; k++) {
        raise_to(&x->floor, e.floor);
        raise_to(&x->hyph, e.hyph);
        raise_to(&x->word, e.word);
        if (e.figure && e.figure_w > x->figure_w) {
            x->figure_w = e.figure_w;
            x->figure = e.figure;
        }
        if (T->kind[c] != COL_TEXT || k == T->nrows || o[k].w <= x->floor) break;
        const cell *cl = cell_at(T, o[k].row, c);
        text_extent(M, cl->text, T->body0, cl->flags, &e);
        e.floor += cell_indent(cl, T->body0);    /* rows with roles (issue 17) */
        e.hyph += cell_indent(cl, T->body0);
        e.word += cell_indent(cl, T->body0);
    }
    raise_to(&x->word, x->hyph);
    raise_to(&x->max, x->word);
}

/* The header's groups: runs of columns with the same group=. */
static void find_groups(lay *L, tab *T)
{
    T->ngroups = 0;
    T->groups = rg_arena_alloc(L->arena, T->ncols * sizeof *T->groups);
    for (size_t c = 0; c < T->ncols;) {
        const char *g = T->t->cols[c].group;
        size_t e = c + 1;
        while (g && e < T->ncols && T->t->cols[e].group && !strcmp(T->t->cols[e].group, g)) e++;
        if (g) {
            group *gr = &T->groups[T->ngroups++];
            memset(gr, 0, sizeof *gr);
            gr->c = c;
            gr->e = e;
            gr->text = g;
        }
        c = e;
    }
}

/* ---- from extents to widths ---- */

enum { LV_FLOOR, LV_HYPH, LV_WORD, LV_FIXED, LV_MAX, NLEVELS };

/* Each column's width at each level, set at scale s (padding included):
 * the floor; the minimum; the word width (a width= column: its width,
 * within those two); width= columns at their width; the preferred width.
 * A group label wider than its columns at a level widens them in
 * proportion. */
static void levels_at(const tab *T, double s, double *lv)
{
    double pad = 2 * T->padx, eps = s < 1 ? FIT_EPS : 0;
    for (size_t c = 0; c < T->ncols; c++) {
        const extent *x = &T->ext[c];
        double *v = lv + c * NLEVELS;
        double h = x->hyph * s + pad + eps, w = x->word * s + pad + eps;
        double m = x->max * s + pad + eps, fixed = T->t->cols[c].width;
        v[LV_FLOOR] = x->floor * s + pad + eps;
        v[LV_HYPH] = h;
        if (fixed > 0) {
            v[LV_WORD] = fixed < h ? h : fixed < w ? fixed : w;
            v[LV_FIXED] = v[LV_MAX] = fixed > h ? fixed : h;
        } else {
            v[LV_WORD] = v[LV_FIXED] = w;
            v[LV_MAX] = m > w ? m : w;
        }
    }
    for (size_t g = 0; g < T->ngroups; g++) {
        const group *gr = &T->groups[g];
        for (int k = LV_HYPH; k <= LV_MAX; k++) {
            double need = (k == LV_HYPH ? gr->ext.hyph : k == LV_MAX ? gr->ext.max : gr->ext.word) *
                              s + pad + eps, have = 0;
            for (size_t c = gr->c; c < gr->e; c++) have += lv[c * NLEVELS + k];
            if (need <= have || have <= 0) continue;
            for (size_t c = gr->c; c < gr->e; c++)
                lv[c * NLEVELS + k] += (need - have) * lv[c * NLEVELS + k] / have;
        }
    }
    for (size_t c = 0; c < T->ncols; c++)
        for (int k = 1; k < NLEVELS; k++)
            if (lv[c * NLEVELS + k] < lv[c * NLEVELS + k - 1])
                lv[c * NLEVELS + k] = lv[c * NLEVELS + k - 1];
}

/* Widths w for the room avail: above the preferred widths, those and the
 * rest to the share= columns, else to the text columns, else to all
 * columns without width=; else each column between the two levels whose
 * sums enclose avail, in proportion (below the minimums: capped at a
 * common width, within its floor and minimum). 0 when avail is less than
 * the sum at level lowest. */
static int distribute(const tab *T, const double *lv, int lowest, double avail, double *w)
{
    double sum[NLEVELS] = { 0 };
    for (size_t c = 0; c < T->ncols; c++)
        for (int k = 0; k < NLEVELS; k++) sum[k] += lv[c * NLEVELS + k];
    if (avail >= sum[LV_MAX]) {
        double slack = avail - sum[LV_MAX], shares = 0, text = 0, all = 0;
        for (size_t c = 0; c < T->ncols; c++) {
            const rg_column *col = &T->t->cols[c];
            if (col->width > 0) continue;
            shares += col->share > 0 ? col->share : 0;
            if (!T->numeric[c]) text += lv[c * NLEVELS + LV_MAX];
            all += lv[c * NLEVELS + LV_MAX];
        }
        for (size_t c = 0; c < T->ncols; c++) {
            const rg_column *col = &T->t->cols[c];
            double m = lv[c * NLEVELS + LV_MAX];
            w[c] = m;
            if (col->width > 0) continue;
            if (shares > 0) w[c] += slack * (col->share > 0 ? col->share : 0) / shares;
            else if (text > 0) w[c] += T->numeric[c] ? 0 : slack * m / text;
            else if (all > 0) w[c] += slack * m / all;
        }
        return 1;
    }
    for (int k = LV_MAX - 1; k >= lowest; k--) {
        if (avail < sum[k]) continue;
        if (k == LV_FLOOR) {
            /* below the minimums, the widest columns give up room first,
             * down to a common width: as few columns as can be break words
             * without a hyphen */
            double lo = 0, hi = 0;
            for (size_t c = 0; c < T->ncols; c++)
                if (lv[c * NLEVELS + LV_HYPH] > hi) hi = lv[c * NLEVELS + LV_HYPH];
            for (int i = 0; i < 60; i++) {
                double mid = (lo + hi) / 2, total = 0;
                for (size_t c = 0; c < T->ncols; c++) {
                    const double *v = lv + c * NLEVELS;
                    total += mid < v[LV_FLOOR] ? v[LV_FLOOR] : mid > v[LV_HYPH] ? v[LV_HYPH] : mid;
                }
                if (total <= avail) lo = mid;
                else hi = mid;
            }
            for (size_t c = 0; c < T->ncols; c++) {
                const double *v = lv + c * NLEVELS;
                w[c] = lo < v[LV_FLOOR] ? v[LV_FLOOR] : lo > v[LV_HYPH] ? v[LV_HYPH] : lo;
            }
            return 1;
        }
        double f = sum[k + 1] > sum[k] ? (avail - sum[k]) / (sum[k + 1] - sum[k]) : 0;
        for (size_t c = 0; c < T->ncols; c++) {
            const double *v = lv + c * NLEVELS;
            w[c] = v[k] + (v[k + 1] - v[k]) * f;
        }
        return 1;
    }
    return 0;
}

/* A label for messages: at most 60 bytes, cut at a character. */
static const char *short_text(lay *L, const char *s)
{
    size_t n = strlen(s);
    if (n <= 60) return s;
    n = 57;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    char *o = rg_arena_alloc(L->arena, n + 4);
    memcpy(o, s, n);
    memcpy(o + n, "...", 4);
    return o;
}

/* The table at scale s: its roles and padding. */
static void set_scale(lay *L, tab *T, double s)
{
    T->scale = s;
    T->body_r = *T->body0;
    T->head_r = *T->head0;
    T->body_r.size *= s;
    T->body_r.leading *= s;
    T->head_r.size *= s;
    T->head_r.leading *= s;
    T->padx = L->st->cell_pad_x * s;
    T->pady = L->st->cell_pad_y * s;
}

/* Why a table does not fit even at the floor: an error naming the column
 * whose figures (else dates) need the most. */
static void cannot_fit(lay *L, tab *T, const double *lv, double avail)
{
    double need = 0;
    size_t worst = T->ncols;
    for (size_t c = 0; c < T->ncols; c++) {
        need += lv[c * NLEVELS + LV_FLOOR];
        if (T->kind[c] == COL_TEXT && !T->ext[c].figure) continue;
        if (worst == T->ncols || (T->ext[c].figure && !T->ext[worst].figure) ||
            (!T->ext[c].figure == !T->ext[worst].figure &&
             lv[c * NLEVELS + LV_FLOOR] > lv[worst * NLEVELS + LV_FLOOR]))
            worst = c;
    }
    double size = T->body_r.size;
    if (worst < T->ncols && T->ext[worst].figure)
        rg_diag(L->ctx, RG_SEV_ERROR, NULL, 0, 0,
                "%s does not fit even at %g pt: column '%s' needs %.0f pt for \"%s\", which "
                "is never broken, and its %zu columns need %.0f pt of the %.0f pt there is",
                T->name, size, short_text(L, T->labels[worst].text),
                lv[worst * NLEVELS + LV_FLOOR], short_text(L, T->ext[worst].figure), T->ncols,
                need, avail);
    else if (worst < T->ncols)
        rg_diag(L->ctx, RG_SEV_ERROR, NULL, 0, 0,
                "%s does not fit even at %g pt: its %zu columns need %.0f pt of the %.0f pt "
                "there is (column '%s' needs %.0f pt)", T->name, size, T->ncols, need, avail,
                short_text(L, T->labels[worst].text), lv[worst * NLEVELS + LV_FLOOR]);
    else
        rg_diag(L->ctx, RG_SEV_ERROR, NULL, 0, 0,
                "%s does not fit even at %g pt: its %zu columns need %.0f pt of the %.0f pt "
                "there is", T->name, size, T->ncols, need, avail);
    L->status = RG_EX_DATAERR;
}

/* Measures the columns, then sets the table at the largest size (in steps
 * from the layout's down to its min-size) at which their minimums fit
 * avail, and chooses the widths there. */
static void column_widths(lay *L, tab *T, double avail)
{
    rg_arena *words = rg_arena_new();
    measurer M = { L, rg_arena_alloc(words, WORD_BUCKETS * sizeof(word_ext *)), NULL, 0, words };
    memset(M.buckets, 0, WORD_BUCKETS * sizeof(word_ext *));
    char mark = decimal_mark(L);
    double *lv = rg_xmalloc(T->ncols * NLEVELS * sizeof *lv);
    /* the preferred widths first: when they fit (and no width= needs a
     * minimum), the words need not be taken apart */
    by_width **o = rg_xcalloc(T->ncols, sizeof *o);
    int any_fixed = 0;
    for (size_t c = 0; c < T->ncols; c++) {
        any_fixed |= T->t->cols[c].width > 0;
        if (T->kind[c] == COL_TEXT) o[c] = rg_xmalloc((T->nrows ? T->nrows : 1) * sizeof **o);
        measure_column(&M, T, c, mark, o[c]);
    }
    for (size_t g = 0; g < T->ngroups; g++)
        label_extent(&M, T, T->groups[g].text, 0, &T->groups[g].ext);
    set_scale(L, T, 1);
    levels_at(T, 1, lv);
    double sum = 0;
    for (size_t c = 0; c < T->ncols; c++) sum += lv[c * NLEVELS + LV_MAX];
    if (any_fixed || sum > avail) {
        for (size_t c = 0; c < T->ncols; c++) {
            if (o[c]) qsort(o[c], T->nrows, sizeof *o[c], wider_first);
            column_minimums(&M, T, c, o[c]);
        }
        for (size_t g = 0; g < T->ngroups; g++)
            label_extent(&M, T, T->groups[g].text, 1, &T->groups[g].ext);
    }
    for (size_t c = 0; c < T->ncols; c++) free(o[c]);
    free(o);
    free(M.buf);
    rg_arena_free(words);

    double base = T->body0->size, floor_size = L->st->table_min_size > 0 ? L->st->table_min_size : 7;
    double size = base;
    int ok = 0;
    for (;;) {
        set_scale(L, T, size / base);
        levels_at(T, T->scale, lv);
        if ((ok = distribute(T, lv, LV_HYPH, avail, T->w))) break;
        if (size <= floor_size + 1e-9) break;
        size = size - SIZE_STEP > floor_size ? size - SIZE_STEP : floor_size;
    }
    if (!ok) ok = distribute(T, lv, LV_FLOOR, avail, T->w);
    if (!ok) {
        cannot_fit(L, T, lv, avail);
        free(lv);
        return;
    }
    free(lv);
    T->body = &T->body_r;
    T->head = &T->head_r;
    if (T->scale < 1)
        rg_diag(L->ctx, RG_SEV_WARNING, NULL, 0, 0,
                "%s set at %g pt instead of %g pt to fit its %zu columns", T->name,
                T->body_r.size, base, T->ncols);
    double x = 0;
    for (size_t c = 0; c < T->ncols; c++) {
        double fixed = T->t->cols[c].width;
        if (fixed > 0 && fabs(T->w[c] - fixed) >= 0.5)
            rg_diag(L->ctx, RG_SEV_WARNING, NULL, 0, 0,
                    "column '%s' of %s is %.0f pt wide instead of its width= %.0f pt: %s",
                    short_text(L, T->labels[c].text), T->name, T->w[c], fixed,
                    T->w[c] > fixed ? "its content needs it" : "the table needs the room");
        T->x[c] = x;
        x += T->w[c];
    }
    T->width = x;
}

/* --------------------------------------------------- lines and heights */

static void split_decimal(lay *L, tab *T, size_t c, cell *cl, char mark)
{
    const char *tail = decimal_tail(cl->text, mark);
    cl->tail_w = lay_plain_width(L, tail, T->body, cl->flags);
    cl->head_w = lay_plain_width(L, cl->text, T->body, cl->flags) - cl->tail_w;
    if (cl->tail_w > T->max_tail[c]) T->max_tail[c] = cl->tail_w;
}

static rg_align cell_align(const tab *T, size_t c)
{
    switch (T->align[c]) {
    case RG_COLALIGN_RIGHT:
    case RG_COLALIGN_DECIMAL: return RG_ALIGN_RIGHT;
    case RG_COLALIGN_CENTER: return RG_ALIGN_CENTER;
    default: return RG_ALIGN_LEFT;
    }
}

/* A body cell's alignment: its column's; a group's label starts at the
 * left (rows with roles, issue 17). */
static rg_align cell_text_align(const tab *T, size_t c, const cell *cl)
{
    return cl->spans ? RG_ALIGN_LEFT : cell_align(T, c);
}

/* Text cells hyphenate where the layout says so; figures and dates never. */
static unsigned cell_flags(const tab *T, size_t c, const cell *cl)
{
    return cl->flags | LAY_CELL | (T->kind[c] == COL_TEXT || cl->label ? LAY_HYPHENATE : 0);
}

/* Whether the table keeps its cells' lines a window of rows at a time. */
static int windowed(const tab *T)
{
    return T->window > 0 && T->nrows > (size_t)T->window;
}

/* The end of the window of rows that starts at r. */
static size_t window_end(const tab *T, size_t r)
{
    size_t n = (size_t)T->window;
    return T->nrows - r > n ? r + n : T->nrows;
}

/* What break_cells will break, in its order, broken on both setters
 * first (layout/ahead.c): the header labels (labels) and the cells of
 * rows [r0, r1). */
static void prefill_breaks(lay *L, tab *T, const rg_role *marked, int labels, size_t r0,
                           size_t r1)
{
    double padx = T->padx;
    size_t k = 0;
    lay_text_req *q = rg_xmalloc(T->ncols * (r1 - r0 + 1) * sizeof *q);
    for (size_t c = 0; c < T->ncols && labels; c++)
        q[k++] = (lay_text_req){ T->labels[c].text, T->head, LAY_CELL, T->w[c] - 2 * padx,
                                 cell_align(T, c) };
    for (size_t r = r0; r < r1; r++)
        for (size_t c = 0; c < T->ncols; c++) {
            const cell *cl = cell_at(T, r, c);
            q[k++] = (lay_text_req){ cl->text, cl->marked ? marked : T->body,
                                     cell_flags(T, c, cl), cell_text_width(T, c, cl),
                                     cell_text_align(T, c, cl) };
        }
    lay_prefill_paras(L, q, k);
    free(q);
}

static int broken_hard(const rg_para *p)
{
    for (size_t i = 0; i < p->nlines; i++)
        if (p->lines[i].hard_break) return 1;
    return 0;
}

/* The body role with the mark colour: a value below its norm. */
static rg_role marked_role(const lay *L, const tab *T)
{
    rg_role marked = *T->body;
    marked.color = L->st->mark_color;
    return marked;
}

/* Breaks the cells of rows [r0, r1) into their paragraphs. hard: NULL
 * when the rows were measured before (a window drawn); else the rows get
 * their heights and decimal widths and hard[c] collects break_cells'
 * flags. */
static void break_rows(lay *L, tab *T, size_t r0, size_t r1, int *hard)
{
    double pady = T->pady;
    rg_role marked = marked_role(L, T);
    char mark = decimal_mark(L);
    for (size_t r = r0; r < r1; r++) {
        double h = T->body->leading + 2 * pady;
        for (size_t c = 0; c < T->ncols; c++) {
            cell *cl = cell_at(T, r, c);
            lay_break_plain(L, cl->text, cl->marked ? &marked : T->body, cell_flags(T, c, cl),
                            cell_text_width(T, c, cl), cell_text_align(T, c, cl), &cl->para);
            if (!hard) continue;
            if (T->align[c] == RG_COLALIGN_DECIMAL) split_decimal(L, T, c, cl, mark);
            double ch = cl->para.nlines * T->body->leading + 2 * pady;
            if (ch > h) h = ch;
            if (!(hard[c] & 1) && broken_hard(&cl->para)) hard[c] |= 1;
            if (T->kind[c] == COL_DATE && cl->para.nlines > 1) hard[c] |= 2;
        }
        if (hard) T->row_h[r] = h;
    }
}

/* The cells of rows [r0, r1) keep their line counts only: their lines
 * went with the window. */
static void forget_lines(tab *T, size_t r0, size_t r1)
{
    for (size_t r = r0; r < r1; r++)
        for (size_t c = 0; c < T->ncols; c++) {
            rg_para *p = &cell_at(T, r, c)->para;
            *p = (rg_para){ NULL, p->nlines, NULL, 0 };
        }
}

/* Breaks the cells of rows [r0, r1) into a new window, T->lines (the
 * previous one freed): handed to the setters, then break_rows. Only these
 * breaks go to the window: whatever the table's drawing breaks (notes, a
 * continued caption) lives as long as ever. */
static void window_rows(lay *L, tab *T, size_t r0, size_t r1, int *hard)
{
    lay_para_cache_free(T->lines);
    T->lines = L->window = lay_window_new();
    rg_role marked = marked_role(L, T);
    prefill_breaks(L, T, &marked, 0, r0, r1);
    break_rows(L, T, r0, r1, hard);
    L->window = NULL;
}

/* Frees the table's window, if any. */
static void window_free(tab *T)
{
    lay_para_cache_free(T->lines);
    T->lines = NULL;
}

/* All rows measured, a window at a time in a big table. */
static void measure_rows(lay *L, tab *T, int *hard)
{
    if (!windowed(T)) {
        break_rows(L, T, 0, T->nrows, hard);
        return;
    }
    for (size_t r0 = 0, r1; r0 < T->nrows && L->status == RG_OK; r0 = r1) {
        r1 = window_end(T, r0);
        window_rows(L, T, r0, r1, hard);
        forget_lines(T, r0, r1);
    }
    window_free(T);
}

static void ignore_diag(void *data, rg_severity sev, const char *once, const char *line)
{
    (void)data, (void)sev, (void)once, (void)line;
}

/* Row r's cells with their lines: in a big table, the window of rows from
 * r on, broken again (their diagnostics were given when measured). */
static void row_window(lay *L, tab *T, size_t r)
{
    if (!windowed(T) || (r >= T->win0 && r < T->win1)) return;
    if (T->win1 > T->win0) forget_lines(T, T->win0, T->win1);
    T->win0 = r;
    T->win1 = window_end(T, r);
    rg_ctx *ctx = L->ctx;
    void (*hook)(void *, rg_severity, const char *, const char *) = ctx->diag_hook;
    void *hook_data = ctx->diag_hook_data;
    ctx->diag_hook = ignore_diag;
    window_rows(L, T, T->win0, T->win1, NULL);
    ctx->diag_hook = hook;
    ctx->diag_hook_data = hook_data;
}

static void break_cells(lay *L, tab *T)
{
    double padx = T->padx, pady = T->pady;
    rg_role marked = marked_role(L, T);
    prefill_breaks(L, T, &marked, 1, 0, windowed(T) ? 0 : T->nrows);
    T->label_h = 0;
    for (size_t c = 0; c < T->ncols; c++) {
        cell *lab = &T->labels[c];
        lay_break_plain(L, lab->text, T->head, LAY_CELL, T->w[c] - 2 * padx, cell_align(T, c),
                        &lab->para);
        double h = lab->para.nlines * T->head->leading + 2 * pady;
        if (h > T->label_h) T->label_h = h;
    }
    T->group_h = 0;
    for (size_t g = 0; g < T->ngroups; g++) {
        group *gr = &T->groups[g];
        double gw = T->x[gr->e - 1] + T->w[gr->e - 1] - T->x[gr->c];
        lay_break_plain(L, gr->text, T->head, LAY_CELL, gw - 2 * padx, RG_ALIGN_CENTER,
                        &gr->para);
        double h = (gr->para.nlines ? gr->para.nlines : 1) * T->head->leading + 2 * pady;
        if (h > T->group_h) T->group_h = h;
        if (broken_hard(&gr->para))
            rg_diag(L->ctx, RG_SEV_WARNING, NULL, 0, 0,
                    "group '%s' of %s: a word is broken without a hyphen",
                    short_text(L, gr->text), T->name);
    }
    int *hard = rg_xcalloc(T->ncols ? T->ncols : 1, sizeof *hard);
    for (size_t c = 0; c < T->ncols; c++) hard[c] = broken_hard(&T->labels[c].para);
    /* hard[c]: 1 a word broken without a hyphen, 2 a date on two lines */
    measure_rows(L, T, hard);
    for (size_t c = 0; c < T->ncols; c++) {
        if (hard[c] & 1)
            rg_diag(L->ctx, RG_SEV_WARNING, NULL, 0, 0,
                    "column '%s' of %s: a word is broken without a hyphen",
                    short_text(L, T->labels[c].text), T->name);
        if (hard[c] & 2)                            /* at the floor only */
            rg_diag(L->ctx, RG_SEV_WARNING, NULL, 0, 0,
                    "column '%s' of %s: a date is set on more than one line",
                    short_text(L, T->labels[c].text), T->name);
    }
    free(hard);
}

/* ------------------------------------------------------------ drawing */

/* Lines [from, to) of p from top down; alt (may be NULL) as
 * lay_emit_line_alt takes it. */
static void draw_lines(lay *L, const rg_para *p, size_t from, size_t to, const rg_role *r,
                       double x, double w, rg_align align, double top, const lay_alt *alt)
{
    double off = lay_baseline_offset(L, r);
    for (size_t k = from; k < to && k < p->nlines; k++) {
        const rg_line *ln = &p->lines[k];
        double bl = top - off - (double)(k - from) * r->leading;
        lay_emit_line_alt(L, p, ln, lay_align_x(ln, align, x, w), bl, alt);
    }
}

/* The part of a marked cell's text that is its sign (without the spaces
 * before it), to be read as the layout's mark-alt text: 1, or 0 when the
 * cell has no sign at the end of its text (footnote numbers after it left
 * out). */
static int mark_range(const lay *L, const tab *T, const cell *cl, lay_alt *alt)
{
    if (!cl->marked || !T->sign || !L->st->mark_alt) return 0;
    const char *vis = T->sign;
    for (;;) {                                      /* a space or a no-break space */
        if (*vis == ' ') vis++;
        else if (!strncmp(vis, "\xC2\xA0", 2)) vis += 2;
        else break;
    }
    size_t n = strlen(vis), len = cl->para.text_len;
    len = len > cl->note_len ? len - cl->note_len : 0;   /* before a footnote's number */
    if (!n || len < n || memcmp(cl->para.text + len - n, vis, n)) return 0;
    *alt = (lay_alt){ len - n, len, L->st->mark_alt };
    return 1;
}

static void draw_cell_text(lay *L, const tab *T, size_t c, const cell *cl, size_t from,
                           size_t to, double x0, double top)
{
    double padx = T->padx;
    double cx = x0 + T->x[c] + padx + cell_indent(cl, T->body), cw = cell_text_width(T, c, cl);
    lay_alt mark;
    const lay_alt *alt = mark_range(L, T, cl, &mark) ? &mark : NULL;
    if (T->align[c] == RG_COLALIGN_DECIMAL && cl->para.nlines == 1 && !cl->label) {
        /* its one line is drawn with the part of a split row that holds
         * line 0, not again with every other part */
        if (from > 0 || to == 0) return;
        /* the decimal separators of a column on one vertical line (text
         * whose head is wider than the column's figures starts at its left) */
        double sep_x = cx + cw - T->max_tail[c], lx = sep_x - cl->head_w;
        const rg_line *ln = &cl->para.lines[0];
        double bl = top - lay_baseline_offset(L, T->body);
        lay_emit_line_alt(L, &cl->para, ln, lx > cx ? lx : cx, bl, alt);
        return;
    }
    draw_lines(L, &cl->para, from, to, T->body, cx, cw, cell_text_align(T, c, cl), top, alt);
}

/* A header cell: TH with column scope, entered for its text (first header
 * only; repeated headers are artifacts). */
static int open_th(lay *L, int tr, int colspan, int rowspan)
{
    if (tr < 0) return -1;
    int th = rg_dl_elem_new(L->dl, tr, "TH");
    rg_dl_elem_set_scope(L->dl, th, "Column");
    if (colspan > 1 || rowspan > 1) rg_dl_elem_set_span(L->dl, th, colspan, rowspan);
    rg_dl_elem_enter(L->dl, th);
    return th;
}

static void close_th(lay *L, int th)
{
    if (th >= 0) rg_dl_elem_leave(L->dl);
}

static void draw_header(lay *L, tab *T, double x0)
{
    const rg_style *st = L->st;
    size_t pg = (size_t)L->page;
    double padx = T->padx, pady = T->pady;
    double h = T->group_h + T->label_h;
    rg_dl_artifact_begin(L->dl, pg);
    rg_dl_rect_fill(L->dl, pg, x0, L->y - h, T->width, h, st->table_header_fill);
    rg_dl_artifact_end(L->dl, pg);
    int tr1 = -1, tr2 = -1, repeat = T->header_tagged;
    if (repeat) {
        rg_dl_artifact_begin(L->dl, pg);
    } else {
        lay_open(L, "THead");
        tr1 = lay_elem(L, "TR");
        tr2 = T->group_h > 0 ? lay_elem(L, "TR") : tr1;
        T->header_tagged = 1;
    }
    size_t next_group = 0;
    for (size_t c = 0; c < T->ncols;) {
        const group *gr = next_group < T->ngroups && T->groups[next_group].c == c
                              ? &T->groups[next_group++] : NULL;
        int g = gr != NULL;
        size_t e = gr ? gr->e : c + 1;
        if (gr) {
            /* the group's label, on as many lines as it needs */
            double gx = x0 + T->x[c], gw = T->x[e - 1] + T->w[e - 1] - T->x[c];
            int th = open_th(L, tr1, (int)(e - c), 1);
            lay_box_open(L, RG_BOX_CELL, gx, L->y - T->group_h, gx + gw, L->y);
            draw_lines(L, &gr->para, 0, gr->para.nlines, T->head, gx + padx, gw - 2 * padx,
                       RG_ALIGN_CENTER, L->y - pady, NULL);
            lay_box_close(L);
            close_th(L, th);
            if (!repeat) rg_dl_artifact_begin(L->dl, pg);
            rg_dl_line(L->dl, pg, gx + padx, L->y - T->group_h, gx + gw - padx,
                       L->y - T->group_h, T->head->color, 0.5);
            if (!repeat) rg_dl_artifact_end(L->dl, pg);
        }
        for (size_t k = c; k < e; k++) {
            /* ungrouped labels sit on the bottom header row and span both */
            double top = L->y - T->group_h - pady;
            int th = open_th(L, g ? tr2 : tr1, 1, !g && T->group_h > 0 ? 2 : 1);
            lay_box_open(L, RG_BOX_CELL, x0 + T->x[k], L->y - h, x0 + T->x[k] + T->w[k],
                         g ? L->y - T->group_h : L->y);
            draw_lines(L, &T->labels[k].para, 0, T->labels[k].para.nlines, T->head,
                       x0 + T->x[k] + padx, T->w[k] - 2 * padx, cell_align(T, k), top, NULL);
            lay_box_close(L);
            close_th(L, th);
        }
        c = e;
    }
    if (repeat) rg_dl_artifact_end(L->dl, pg);
    else lay_close(L);                              /* THead */
    L->y -= h;
    L->at_top = 0;
}

/* The TR and TD elements of row r, made on its first part; a merged cell
 * is one TD spanning the rows it covers. */
static void row_elems(lay *L, tab *T, size_t r)
{
    if (T->elem_row == r) return;
    if (T->tbody < 0) T->tbody = lay_elem(L, "TBody");
    int tr = rg_dl_elem_new(L->dl, T->tbody, "TR");
    for (size_t c = 0; c < T->ncols; c++) {
        if (cell_at(T, r, c)->hidden || cell_at(T, r, c)->spanned) {
            T->td[c] = -1;
            continue;
        }
        if (c == 0 && is_heading_row(T, r)) {     /* rows with roles (issue 17) */
            T->td[c] = rg_dl_elem_new(L->dl, tr, "TH");
            rg_dl_elem_set_scope(L->dl, T->td[c], "Row");
            if (cell_at(T, r, c)->spans) rg_dl_elem_set_span(L->dl, T->td[c], (int)T->ncols, 1);
            continue;
        }
        T->td[c] = rg_dl_elem_new(L->dl, tr, "TD");
        int span = 1;
        while (r + (size_t)span < T->nrows && cell_at(T, r + (size_t)span, c)->hidden) span++;
        int cols = cell_at(T, r, c)->span_cols > 1 ? cell_at(T, r, c)->span_cols : 1;
        if (span > 1 || cols > 1) rg_dl_elem_set_span(L->dl, T->td[c], cols, span);
    }
    T->elem_row = r;
}

/* The tint of an odd row, left out under merged cells (they belong to the
 * row above). */
static void zebra_fill(lay *L, const tab *T, size_t r, double x0, double h)
{
    for (size_t c = 0; c < T->ncols;) {
        while (c < T->ncols && cell_at(T, r, c)->hidden) c++;
        size_t e = c;
        while (e < T->ncols && !cell_at(T, r, e)->hidden) e++;
        if (e > c)
            rg_dl_rect_fill(L->dl, (size_t)L->page, x0 + T->x[c], L->y - h,
                            T->x[e - 1] + T->w[e - 1] - T->x[c], h, L->st->table_zebra_fill);
        c = e;
    }
}

/* Draws lines [from, to) of row r in a band of height h from L->y. */
static void draw_row(lay *L, tab *T, size_t r, size_t from, size_t to, double h,
                     double x0, int first_on_page)
{
    const rg_style *st = L->st;
    size_t pg = (size_t)L->page;
    int is_total = T->totals && r == T->nrows - 1;
    row_window(L, T, r);
    rg_dl_artifact_begin(L->dl, pg);
    if (is_total)
        rg_dl_rect_fill(L->dl, pg, x0, L->y - h, T->width, h, st->table_total_fill);
    else if (st->table_zebra && r % 2 == 1)
        zebra_fill(L, T, r, x0, h);
    rg_dl_artifact_end(L->dl, pg);
    row_elems(L, T, r);
    double top = L->y - T->pady;
    for (size_t c = 0; c < T->ncols; c++) {
        const cell *cl = cell_at(T, r, c);
        if (cl->spanned) continue;                 /* under its row's group label */
        if (cl->hidden) {
            /* row span: the value is repeated at a page's top, as decoration */
            if (!first_on_page) continue;
            rg_dl_artifact_begin(L->dl, pg);
            lay_box_open(L, RG_BOX_CELL, x0 + T->x[c], L->y - h, x0 + cell_right(T, c, cl), L->y);
            draw_cell_text(L, T, c, cl, from, to, x0, top);
            lay_box_close(L);
            rg_dl_artifact_end(L->dl, pg);
            continue;
        }
        rg_dl_elem_enter(L->dl, T->td[c]);
        double right = cl->spans ? x0 + T->width : x0 + cell_right(T, c, cl);
        lay_box_open(L, RG_BOX_CELL, x0 + T->x[c], L->y - h, right, L->y);
        draw_cell_text(L, T, c, cl, from, to, x0, top);
        lay_box_close(L);
        if (r < T->t->data->nrecords)
            lay_notes_cell(L, T->t, r, span_end(T, r, c), c,
                           cl->span_cols > 1 ? c + (size_t)cl->span_cols - 1 : c);
        rg_dl_elem_leave(L->dl);
    }
    double y = L->y - h;
    rg_dl_artifact_begin(L->dl, pg);
    if (is_total) {
        rg_dl_line(L->dl, pg, x0, L->y, x0 + T->width, L->y, st->table_rule,
                   st->table_rule_width * 2);
    } else if (row_role(T, r) && row_role(T, r)->kind == RG_ROW_SUBTOTAL) {
        rg_dl_line(L->dl, pg, x0, L->y, x0 + T->width, L->y, st->table_rule,
                   st->table_rule_width);         /* a subtotal: a rule above (issue 17) */
    }
    /* the rule under the row, interrupted where a merged cell continues */
    for (size_t c = 0; c < T->ncols;) {
        while (c < T->ncols && r + 1 < T->nrows && cell_at(T, r + 1, c)->hidden) c++;
        size_t e = c;
        while (e < T->ncols && !(r + 1 < T->nrows && cell_at(T, r + 1, e)->hidden)) e++;
        if (e > c)
            rg_dl_line(L->dl, pg, x0 + T->x[c], y, x0 + T->x[e - 1] + T->w[e - 1], y,
                       st->table_rule, st->table_rule_width);
        c = e;
    }
    rg_dl_artifact_end(L->dl, pg);
    L->y = y;
    if (r < T->t->data->nrecords) lay_notes_table_row(L, T->t);   /* footnotes to the foot */
}

static size_t row_lines(const tab *T, size_t r)
{
    size_t n = 1;
    for (size_t c = 0; c < T->ncols; c++)
        if (cell_at(T, r, c)->para.nlines > n) n = cell_at(T, r, c)->para.nlines;
    return n;
}

/* The layout's continued-caption (issue 17): "Tabel 1 caption (vervolg)"
 * broken to the table's width into T->cont, when the layout asks for it. */
static void continued_caption(lay *L, tab *T, const rg_block *b)
{
    T->cont = (rg_para){ NULL, 0, NULL, 0 };
    T->cont_h = 0;
    const captioned *cap = lay_caption_of(L, b);
    if (!L->st->table_continued_caption || !cap) return;
    const rg_role *cr = lay_role(L, RG_ROLE_CAPTION);
    const char *title = cap->title && *cap->title ? cap->title : NULL;
    size_t n = strlen(cap->label) + (title ? strlen(title) + 1 : 0) + 12;
    char *text = rg_arena_alloc(L->arena, n);
    snprintf(text, n, "%s%s%s (vervolg)", cap->label, title ? " " : "", title ? title : "");
    lay_break_plain(L, text, cr, 0, T->width, RG_ALIGN_LEFT, &T->cont);
    T->cont_h = T->cont.nlines * cr->leading + cr->space_after;
}

static void new_table_page(lay *L, tab *T, double x0)
{
    lay_new_page(L, 1);
    if (T->cont.nlines) {                           /* repeated: decoration */
        const rg_role *cr = lay_role(L, RG_ROLE_CAPTION);
        rg_dl_artifact_begin(L->dl, (size_t)L->page);
        draw_lines(L, &T->cont, 0, T->cont.nlines, cr, x0, T->width, RG_ALIGN_LEFT, L->y, NULL);
        rg_dl_artifact_end(L->dl, (size_t)L->page);
        L->y -= T->cont_h;
    }
    draw_header(L, T, x0);
}

/* The room a page gives the table's rows under a repeated header. */
static double page_room(const lay *L, const tab *T)
{
    return L->top - L->bottom - T->group_h - T->label_h - T->cont_h;
}

/* The first row from r on that does not fit in room (with keep, the
 * note's kept lines, after the last row); nrows when all do. */
static size_t first_unfit(const tab *T, size_t r, double room, double keep)
{
    double h = 0;
    room += 0.01;
    while (r < T->nrows && h + T->row_h[r] + (r + 1 == T->nrows ? keep : 0) <= room)
        h += T->row_h[r++];
    return r;
}

/* Rows with roles (issue 17): n rows from r on a page, less a group row
 * at its foot, which goes to the next page with its first record (a page
 * that would hold only that group row takes none, unless it is fresh). */
static size_t group_with_child(const tab *T, size_t r, size_t n, int fresh)
{
    while (n > 0 && r + n < T->nrows && row_role(T, r + n - 1) &&
           row_role(T, r + n - 1)->kind == RG_ROW_GROUP && (n > 1 || !fresh))
        n--;
    return n;
}

/* How many body rows from r on go on this page, with room left on it. A
 * fresh page (nothing on it but the header) takes what fits; else a table
 * of SPLIT_MIN_ROWS rows or more keeps KEEP_ROWS rows on each side of the
 * break, and a shorter one that fits on a page is not split. 0: start a
 * new page first, or, on a fresh page, row r is taller than a page. (A
 * row taller than a page is the caller's: see place_rows.) */
static size_t rows_fit(const lay *L, const tab *T, size_t r, double room, double keep, int fresh)
{
    size_t k = first_unfit(T, r, room, keep);
    if (k == T->nrows) return k - r;
    if (k == r) return fresh && k + 1 == T->nrows && T->row_h[k] <= room + 0.01 ? 1 : 0;
    size_t n = k - r;
    if (T->nrows < SPLIT_MIN_ROWS) {
        int fits_a_page = first_unfit(T, r, page_room(L, T), keep) == T->nrows;
        return fresh || !fits_a_page ? group_with_child(T, r, n, fresh) : 0;
    }
    size_t left = T->nrows - k;
    if (left < KEEP_ROWS) {                         /* carry rows to the last ones */
        size_t back = KEEP_ROWS - left;
        if (!fresh) n = n > back ? n - back : 0;
        else if (n >= back + KEEP_ROWS) n -= back;
    }
    if (!fresh && n < KEEP_ROWS) return 0;
    return group_with_child(T, r, n, fresh);
}

/* Whether row r is taller than a page gives the rows. */
static int taller_than_page(const lay *L, const tab *T, size_t r)
{
    return T->row_h[r] > page_room(L, T) + 0.01;
}

/* The room two lines of a row take: where a row split between its lines
 * may start. */
static double two_lines(const tab *T)
{
    return 2 * T->body->leading + 2 * T->pady;
}

/* Can the rows start on this page, with room left on it? A row taller
 * than a page may start anywhere two of its lines fit. */
static int rows_start_here(const lay *L, const tab *T, double room, double keep)
{
    size_t k = first_unfit(T, 0, room, keep);
    if (k < T->nrows && taller_than_page(L, T, k)) return k > 0 || room >= two_lines(T);
    return rows_fit(L, T, 0, room, keep, 0) > 0;
}

/* How many body lines of a row, with its padding, fit in the room left on
 * the page: 0 when not one does (also when rows before filled the page to
 * less than the padding: the room for lines is then negative). */
static size_t lines_in_room(const lay *L, const tab *T)
{
    return lay_lines_in(lay_room(L) - 2 * T->pady, T->body->leading);
}

/* Whether the table starts on this page, with room left below its caption
 * and header: at a page's top always; below only headings at a page's top
 * (where their look-ahead put it: moving on would leave them alone) when
 * its first row or two of its lines fit, as on a fresh page (place_rows);
 * elsewhere when rows_start_here says so. Without rows: when the note's
 * kept lines fit. */
static int table_starts_here(const lay *L, const tab *T, double room, double keep)
{
    if (L->at_top) return 1;
    if (!T->nrows) return room >= keep;
    if (L->head_top) return T->row_h[0] <= room + 0.01 || room >= two_lines(T);
    return rows_start_here(L, T, room, keep);
}

/* Whether row k, the first from here that does not fit in room, is split
 * between its lines from here on: when it is taller than a page gives the
 * rows, or when it is the first on a page it may not leave (first: above
 * it only the header, and on the table's first page its caption and the
 * headings it starts below, lay_place_table) and two of its lines fit. */
static int splits_here(const lay *L, const tab *T, size_t k, double room, int first)
{
    if (taller_than_page(L, T, k)) return 1;
    return first && T->row_h[k] > room + 0.01 && room >= two_lines(T);
}

/* Row r does not fit on a page (splits_here): its lines go on as many
 * pages as they need (a warning). */
static void split_row(lay *L, tab *T, size_t r, double x0, int fresh)
{
    rg_diag(L->ctx, RG_SEV_WARNING, NULL, 0, 0,
            "row %zu of %s is taller than %s: it is split between its lines", r + 1, T->name,
            taller_than_page(L, T, r) ? "a page" : "the room below its header at the page's top");
    double pady = T->pady, lead = T->body->leading;
    size_t n = row_lines(T, r), done = 0;
    while (done < n && L->status == RG_OK) {
        size_t fit = lines_in_room(L, T);
        if (fit < 2 && !fresh) {                    /* no single line at a page's foot */
            new_table_page(L, T, x0);
            fresh = 1;
            continue;
        }
        if (fit == 0) fit = 1;                      /* a page holds a line at least */
        if (fit > n - done) fit = n - done;
        /* the row's footnotes go to the foot of its first part's page */
        size_t notes = done == 0 && r < T->t->data->nrecords ? row_note_count(T, r) : 0;
        while (notes && fit > 1 && !lay_notes_room(L, notes, fit * lead + 2 * pady)) fit--;
        if (notes && !fresh && !lay_notes_room(L, notes, fit * lead + 2 * pady)) {
            new_table_page(L, T, x0);
            fresh = 1;
            continue;
        }
        draw_row(L, T, r, done, done + fit, fit * lead + 2 * pady, x0, fresh);
        done += fit;
        fresh = 0;
        if (done < n) {
            new_table_page(L, T, x0);
            fresh = 1;
        }
    }
}

static void draw_rows(lay *L, tab *T, size_t r, size_t n, double x0, int fresh)
{
    size_t first = r;                           /* the first row on its page */
    for (size_t k = r; k < r + n; k++) {
        size_t notes = k < T->t->data->nrecords ? row_note_count(T, k) : 0;
        if (!(fresh && k == first) && !lay_notes_room(L, notes, T->row_h[k])) {
            new_table_page(L, T, x0);           /* the row goes with its footnote */
            fresh = 1;
            first = k;
        }
        draw_row(L, T, k, 0, row_lines(T, k), T->row_h[k], x0, fresh && k == first);
    }
}

/* Places the body rows, page by page (rows_fit); the first page was
 * chosen by lay_place_table (rows_start_here). A row taller than a page,
 * or than the room at the top of the table's first page, follows the rows
 * before it on their page and goes on over the next (splits_here). */
static void place_rows(lay *L, tab *T, double x0, double keep)
{
    int fresh = 1;
    size_t r = 0;
    while (r < T->nrows && L->status == RG_OK) {
        size_t k = first_unfit(T, r, lay_room(L), keep);
        if (k < T->nrows && splits_here(L, T, k, lay_room(L), fresh && k == r)) {
            draw_rows(L, T, r, k - r, x0, fresh);
            split_row(L, T, k, x0, fresh && k == r);
            r = k + 1;
            fresh = 0;
            continue;
        }
        size_t n = rows_fit(L, T, r, lay_room(L), keep, fresh);
        if (n == 0) {
            new_table_page(L, T, x0);
            fresh = 1;
            continue;
        }
        draw_rows(L, T, r, n, x0, fresh);
        r += n;
        fresh = 0;
        if (r < T->nrows) {
            new_table_page(L, T, x0);
            fresh = 1;
        }
    }
}

/* The dataset's note, broken into *p; returns the height kept with the
 * table's last rows: the whole note when it may not split (fewer lines
 * than orphans and widows together), else its first (orphans) lines. */
static double note_keep(lay *L, const rg_dataset *d, double width, rg_para *p)
{
    *p = (rg_para){ NULL, 0, NULL, 0 };
    if (!d->note) return 0;
    const rg_role *r = lay_role(L, RG_ROLE_CAPTION);
    lay_break_plain(L, d->note, r, 0, width, RG_ALIGN_LEFT, p);
    size_t orphans = L->st->orphans > 0 ? (size_t)L->st->orphans : MIN_ORPHAN_LINES;
    size_t widows = L->st->widows > 0 ? (size_t)L->st->widows : MIN_WIDOW_LINES;
    size_t lines = p->nlines < orphans + widows ? p->nlines : orphans;
    return r->space_before / 2 + (double)lines * r->leading;
}

static void place_note(lay *L, const rg_dataset *d, const rg_para *p, double x, double width)
{
    if (!d->note) return;
    const rg_role *r = lay_role(L, RG_ROLE_CAPTION);
    L->y -= r->space_before / 2;
    lay_open(L, "P");
    lay_place_lines(L, p, x, width, r, RG_ALIGN_LEFT);
    lay_close(L);
}

/* How the table is named in messages: by its id, else its label. */
static const char *table_name(lay *L, const rg_block *b)
{
    const captioned *cap = lay_caption_of(L, b);
    const char *id = b->id ? b->id : NULL;
    size_t n = (id ? strlen(id) : 0) + 80;
    char *s = rg_arena_alloc(L->arena, n);
    if (id) snprintf(s, n, "table '%s'", short_text(L, id));
    else if (cap) snprintf(s, n, "table %s", cap->label);
    else snprintf(s, n, "the table");
    return s;
}

static void tab_init(lay *L, tab *T, const rg_block *b)
{
    const rg_table *t = b->table;
    memset(T, 0, sizeof *T);
    T->t = t;
    T->name = table_name(L, b);
    T->body = T->body0 = lay_role(L, RG_ROLE_TABLE);
    T->head = T->head0 = lay_role(L, RG_ROLE_TABLE_HEADER);
    T->scale = 1;
    T->padx = L->st->cell_pad_x;
    T->pady = L->st->cell_pad_y;
    T->ncols = t->ncols;
    T->totals = t->totals != 0;
    T->nrows = t->data->nrecords + (size_t)T->totals;
    rg_arena *a = L->arena;
    T->cells = rg_arena_alloc(a, (T->nrows ? T->nrows : 1) * T->ncols * sizeof *T->cells);
    T->labels = rg_arena_alloc(a, T->ncols * sizeof *T->labels);
    T->numeric = rg_arena_alloc(a, T->ncols * sizeof *T->numeric);
    T->kind = rg_arena_alloc(a, T->ncols * sizeof *T->kind);
    T->align = rg_arena_alloc(a, T->ncols * sizeof *T->align);
    T->ext = rg_arena_alloc(a, T->ncols * sizeof *T->ext);
    T->w = rg_arena_alloc(a, T->ncols * sizeof *T->w);
    T->x = rg_arena_alloc(a, T->ncols * sizeof *T->x);
    T->max_tail = rg_arena_alloc(a, T->ncols * sizeof *T->max_tail);
    T->row_h = rg_arena_alloc(a, (T->nrows ? T->nrows : 1) * sizeof *T->row_h);
    T->td = rg_arena_alloc(a, T->ncols * sizeof *T->td);
    T->tbody = -1;
    T->elem_row = (size_t)-1;
    T->window = L->ctx->table_window_rows;
    for (size_t c = 0; c < T->ncols; c++) {
        rg_field_type type = col_field(T, c)->type;
        T->numeric[c] = is_numeric(type);
        T->kind[c] = T->numeric[c] ? COL_FIGURE : type == RG_FIELD_DATE ? COL_DATE : COL_TEXT;
        T->align[c] = t->cols[c].align;
        if (T->align[c] == RG_COLALIGN_AUTO)
            T->align[c] = T->numeric[c] ? RG_COLALIGN_RIGHT : RG_COLALIGN_LEFT;
    }
    find_groups(L, T);
}

/* The footnote numbers after the values of cells with a <note>, on the
 * cell that shows the value (a <cell-span>'s, when one covers it). */
static void add_note_marks(lay *L, tab *T)
{
    for (size_t k = 0; k < T->t->nnotes; k++) {
        const rg_table_note *tn = &T->t->notes[k];
        if (tn->record >= T->t->data->nrecords || (size_t)tn->col >= T->ncols) continue;
        size_t r, c;
        shown_cell(T, tn->record, (size_t)tn->col, &r, &c);
        cell *cl = cell_at(T, r, c);
        const char *mark = lay_note_cell_mark(L, &tn->note);
        size_t n = strlen(cl->text) + strlen(mark) + 1;
        char *text = rg_arena_alloc(L->arena, n);
        snprintf(text, n, "%s%s", cl->text, mark);
        cl->text = text;
        cl->note_len += strlen(mark);
    }
}

/* Formats the cells, gives the columns their widths (the table set
 * smaller if it must) and breaks the cells' text: all a table's sizes.
 * 0 when layout failed (L->status says why). */
static int tab_measure(lay *L, tab *T, const rg_block *b, double width)
{
    tab_init(L, T, b);
    format_body(L, T);
    apply_row_roles(T);
    apply_spans(T);
    add_note_marks(L, T);
    if (T->totals) format_totals(L, T);
    format_labels(L, T);
    prefill_measures(L, T);
    column_widths(L, T, width);
    if (L->status != RG_OK) return 0;
    break_cells(L, T);
    return L->status == RG_OK;
}

/* What goes around a table's rows: its caption above (cp), its note
 * below (np), the room above the first row (head: space, caption,
 * header) and the note's lines kept with the last row (keep). */
typedef struct tab_frame {
    captioned *cap;
    rg_para cp, np;
    double head, keep;
} tab_frame;

static void frame_measure(lay *L, const rg_block *b, const tab *T, double width, tab_frame *fr)
{
    const rg_role *cr = lay_role(L, RG_ROLE_CAPTION);
    fr->cap = lay_caption_of(L, b);
    fr->cp = (rg_para){ NULL, 0, NULL, 0 };
    if (fr->cap) lay_caption_para(L, fr->cap, width, &fr->cp);
    fr->keep = note_keep(L, b->table->data, width, &fr->np);
    fr->head = cr->space_before +
               (fr->cap ? fr->cp.nlines * cr->leading + cr->space_after : 0) + T->group_h +
               T->label_h;
}

void lay_place_table(lay *L, const rg_block *b, double x, double width)
{
    const rg_table *t = b->table;
    if (!t || !t->data || !t->ncols) return;
    tab T;
    if (!tab_measure(L, &T, b, width)) return;

    /* caption above, kept with the header and the first rows; the note
     * below, kept with the last rows */
    tab_frame fr;
    frame_measure(L, b, &T, width, &fr);
    continued_caption(L, &T, b);
    const rg_role *cr = lay_role(L, RG_ROLE_CAPTION);
    lay_ensure_page(L);
    if (!table_starts_here(L, &T, lay_room(L) - fr.head, fr.keep)) lay_new_page(L, 1);
    lay_vspace(L, cr->space_before);
    lay_open(L, "Table");
    if (fr.cap) {
        rg_dl_dest_add(L->dl, (size_t)L->page, fr.cap->dest, L->y);
        fr.cap->page = (int)L->page;
        lay_open(L, "Caption");
        lay_place_lines(L, &fr.cp, x, width, cr, RG_ALIGN_LEFT);
        lay_close(L);
        L->y -= cr->space_after;
    }
    draw_header(L, &T, x);
    place_rows(L, &T, x, fr.keep);
    window_free(&T);                                /* the last window's lines */
    lay_close(L);                                   /* Table */
    place_note(L, t->data, &fr.np, x, width);
    L->y -= L->st->paragraph_gap;
}

/* The least room from which rows_start_here says yes: head plus the
 * first rows the table would not start without (all of a short one, its
 * note's kept lines with the last). */
static double rows_need(const lay *L, const tab *T, double keep)
{
    double h = 0;
    for (size_t k = 0; k < T->nrows; k++) {
        h += T->row_h[k];
        double room = h + (k + 1 == T->nrows ? keep : 0);
        if (rows_start_here(L, T, room, keep)) return room;
    }
    if (!T->nrows) return keep;
    return two_lines(T);                            /* a row taller than a page */
}

double lay_table_keep(lay *L, const rg_block *b, double width)
{
    const rg_table *t = b->table;
    if (!t || !t->data || !t->ncols) return 0;
    tab T;
    if (!tab_measure(L, &T, b, width)) return 0;
    tab_frame fr;
    frame_measure(L, b, &T, width, &fr);
    return fr.head + rows_need(L, &T, fr.keep);
}
