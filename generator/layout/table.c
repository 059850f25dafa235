/* layout/table.c - tables in the layout stage. A table is built from a
 * dataset: cells are formatted by the locale, values below their norm are
 * marked (bold and a sign, never colour alone), column widths come from
 * the content (min/max-content) with fixed and relative overrides, long
 * cell text wraps, numbers are right- or decimal-aligned. On the page the
 * caption is kept with the header and the first row; the header repeats on
 * every page the table spans; a row taller than the space left is split
 * between its lines, never through one. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MIN_ROWS_WITH_HEADER = 1 };   /* body rows kept with the caption and header */

typedef struct cell {
    char *text;
    unsigned flags;                /* RG_SPAN_STRONG: marked value, totals */
    int marked;
    int hidden;                    /* merged into the cell above (row span) */
    rg_para para;
    double head_w, tail_w;         /* widths around the decimal separator */
} cell;

typedef struct tab {
    const rg_table *t;
    const rg_role *body, *head;
    size_t ncols, nrows;           /* nrows includes the totals row */
    int totals;                    /* the last row is the totals row */
    cell *cells;                   /* nrows x ncols */
    cell *labels;                  /* ncols header labels */
    int *numeric;                  /* per column */
    rg_colalign *align;            /* resolved per column */
    double *w, *x;                 /* column widths, offsets from the table's left */
    double *max_tail;              /* decimal alignment per column */
    double *row_h;
    double label_h, group_h;       /* header rows: labels, groups (0: none) */
    double width;
    /* structure: the header is tagged once (repeats are artifacts); the
     * elements of the row being drawn are kept for its split parts */
    int header_tagged;
    int tbody;                     /* TBody element, -1 until the first row */
    size_t elem_row;               /* row whose TR/TD elements are in td */
    int *td;                       /* per column: TD element of elem_row, -1 = merged */
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
    int done = lay_ahead_for(L->ahead, n, format_one, &f, ok);
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
    const char *sign = mark_sign(L, T->body);
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
            rg_value sum = { 0, 0, { 0, 0, 0 }, NULL };
            for (size_t k = 0; k < d->nrecords; k++) {
                const rg_value *v = &d->values[k * d->nfields + (size_t)col->field];
                if (!v->missing) sum.num += v->num;
            }
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
        q[k++] = (lay_text_req){ T->labels[c].text, T->head, 0, 0, RG_ALIGN_LEFT };
        for (size_t r = 0; r < T->nrows; r++) {
            const cell *cl = cell_at(T, r, c);
            q[k++] = (lay_text_req){ cl->text, T->body, cl->flags, 0, RG_ALIGN_LEFT };
        }
    }
    char mark = decimal_mark(L);
    for (size_t r = 0; r < T->nrows; r++)
        for (size_t c = 0; c < T->ncols; c++)
            if (T->align[c] == RG_COLALIGN_DECIMAL) {
                const cell *cl = cell_at(T, r, c);
                q[k++] = (lay_text_req){ decimal_tail(cl->text, mark), T->body, cl->flags, 0,
                                         RG_ALIGN_LEFT };
            }
    lay_prefill_measures(L, q, k);
    free(q);
}

static void measure_columns(lay *L, tab *T, double *minw, double *maxw)
{
    double pad = 2 * L->st->cell_pad_x;
    for (size_t c = 0; c < T->ncols; c++) {
        const cell *lab = &T->labels[c];
        double w, word;
        lay_plain_measure(L, lab->text, T->head, 0, &w, &word);
        maxw[c] = w + pad;
        minw[c] = word + pad;
        for (size_t r = 0; r < T->nrows; r++) {
            const cell *cl = cell_at(T, r, c);
            lay_plain_measure(L, cl->text, T->body, cl->flags, &w, &word);
            w += pad;
            double mw = T->numeric[c] ? w : word + pad;
            if (w > maxw[c]) maxw[c] = w;
            if (mw > minw[c]) minw[c] = mw;
        }
        if (minw[c] > maxw[c]) maxw[c] = minw[c];
    }
}

/* Fixed widths as given; the rest from min/max-content, with the slack of
 * a full-width table going to the relative shares, else to text columns. */
static void column_widths(lay *L, tab *T, double avail)
{
    double *minw = rg_arena_alloc(L->arena, T->ncols * sizeof *minw);
    double *maxw = rg_arena_alloc(L->arena, T->ncols * sizeof *maxw);
    measure_columns(L, T, minw, maxw);
    double fixed = 0, sum_min = 0, sum_max = 0, shares = 0, text_max = 0;
    for (size_t c = 0; c < T->ncols; c++) {
        const rg_column *col = &T->t->cols[c];
        if (col->width > 0) { fixed += col->width; continue; }
        sum_min += minw[c];
        sum_max += maxw[c];
        shares += col->share > 0 ? col->share : 0;
        if (!T->numeric[c]) text_max += maxw[c];
    }
    double rest = avail - fixed;
    for (size_t c = 0; c < T->ncols; c++) {
        const rg_column *col = &T->t->cols[c];
        double w;
        if (col->width > 0) w = col->width;
        else if (sum_max <= rest) {
            double slack = rest - sum_max;
            if (shares > 0) w = maxw[c] + slack * (col->share > 0 ? col->share : 0) / shares;
            else if (text_max > 0) w = maxw[c] + (T->numeric[c] ? 0 : slack * maxw[c] / text_max);
            else w = maxw[c] + slack * maxw[c] / sum_max;
        } else if (sum_min < rest && sum_max > sum_min) {
            w = minw[c] + (maxw[c] - minw[c]) * (rest - sum_min) / (sum_max - sum_min);
        } else {
            w = sum_min > 0 ? minw[c] * (rest > 0 ? rest : 0) / sum_min : 0;
        }
        T->w[c] = w > 1 ? w : 1;
    }
    double x = 0;
    for (size_t c = 0; c < T->ncols; c++) {
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

/* What break_cells will break, in its order, broken on both setters
 * first (layout/ahead.c). */
static void prefill_breaks(lay *L, tab *T, const rg_role *marked)
{
    double padx = L->st->cell_pad_x;
    size_t k = 0;
    lay_text_req *q = rg_xmalloc(T->ncols * (T->nrows + 1) * sizeof *q);
    for (size_t c = 0; c < T->ncols; c++)
        q[k++] = (lay_text_req){ T->labels[c].text, T->head, 0, T->w[c] - 2 * padx,
                                 cell_align(T, c) };
    for (size_t r = 0; r < T->nrows; r++)
        for (size_t c = 0; c < T->ncols; c++) {
            const cell *cl = cell_at(T, r, c);
            q[k++] = (lay_text_req){ cl->text, cl->marked ? marked : T->body,
                                     cl->flags | (T->numeric[c] ? 0 : LAY_HYPHENATE),
                                     T->w[c] - 2 * padx, cell_align(T, c) };
        }
    lay_prefill_paras(L, q, k);
    free(q);
}

static void break_cells(lay *L, tab *T)
{
    double padx = L->st->cell_pad_x, pady = L->st->cell_pad_y;
    rg_role marked = *T->body;
    marked.color = L->st->mark_color;
    char mark = decimal_mark(L);
    prefill_breaks(L, T, &marked);
    T->label_h = 0;
    for (size_t c = 0; c < T->ncols; c++) {
        cell *lab = &T->labels[c];
        lay_break_plain(L, lab->text, T->head, 0, T->w[c] - 2 * padx, cell_align(T, c), &lab->para);
        double h = lab->para.nlines * T->head->leading + 2 * pady;
        if (h > T->label_h) T->label_h = h;
    }
    int groups = 0;
    for (size_t c = 0; c < T->ncols; c++) groups |= T->t->cols[c].group != NULL;
    T->group_h = groups ? T->head->leading + 2 * pady : 0;
    for (size_t r = 0; r < T->nrows; r++) {
        double h = T->body->leading + 2 * pady;
        for (size_t c = 0; c < T->ncols; c++) {
            cell *cl = cell_at(T, r, c);
            lay_break_plain(L, cl->text, cl->marked ? &marked : T->body,
                            cl->flags | (T->numeric[c] ? 0 : LAY_HYPHENATE),
                            T->w[c] - 2 * padx, cell_align(T, c), &cl->para);
            if (T->align[c] == RG_COLALIGN_DECIMAL) split_decimal(L, T, c, cl, mark);
            double ch = cl->para.nlines * T->body->leading + 2 * pady;
            if (ch > h) h = ch;
        }
        T->row_h[r] = h;
    }
}

/* ------------------------------------------------------------ drawing */

static void draw_lines(lay *L, const rg_para *p, size_t from, size_t to, const rg_role *r,
                       double x, double w, rg_align align, double top)
{
    double off = lay_baseline_offset(L, r);
    for (size_t k = from; k < to && k < p->nlines; k++) {
        const rg_line *ln = &p->lines[k];
        double bl = top - off - (double)(k - from) * r->leading;
        lay_emit_line(L, p, ln, lay_align_x(ln, align, x, w), bl);
    }
}

static void draw_cell_text(lay *L, const tab *T, size_t c, const cell *cl, size_t from,
                           size_t to, double x0, double top)
{
    double padx = L->st->cell_pad_x;
    double cx = x0 + T->x[c] + padx, cw = T->w[c] - 2 * padx;
    if (T->align[c] == RG_COLALIGN_DECIMAL && cl->para.nlines == 1) {
        /* the decimal separators of a column on one vertical line */
        double sep_x = cx + cw - T->max_tail[c];
        const rg_line *ln = &cl->para.lines[0];
        double bl = top - lay_baseline_offset(L, T->body);
        lay_emit_line(L, &cl->para, ln, sep_x - cl->head_w, bl);
        return;
    }
    draw_lines(L, &cl->para, from, to, T->body, cx, cw, cell_align(T, c), top);
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
    double padx = st->cell_pad_x, pady = st->cell_pad_y;
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
    for (size_t c = 0; c < T->ncols;) {
        const char *g = T->t->cols[c].group;
        size_t e = c + 1;
        while (g && e < T->ncols && T->t->cols[e].group && !strcmp(T->t->cols[e].group, g)) e++;
        if (g) {
            double gx = x0 + T->x[c], gw = T->x[e - 1] + T->w[e - 1] - T->x[c];
            rg_para gp;
            lay_break_plain(L, g, T->head, 0, gw - 2 * padx, RG_ALIGN_CENTER, &gp);
            int th = open_th(L, tr1, (int)(e - c), 1);
            lay_box_open(L, RG_BOX_CELL, gx, L->y - T->group_h, gx + gw, L->y);
            draw_lines(L, &gp, 0, 1, T->head, gx + padx, gw - 2 * padx, RG_ALIGN_CENTER,
                       L->y - pady);
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
                       x0 + T->x[k] + padx, T->w[k] - 2 * padx, cell_align(T, k), top);
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
        if (cell_at(T, r, c)->hidden) {
            T->td[c] = -1;
            continue;
        }
        T->td[c] = rg_dl_elem_new(L->dl, tr, "TD");
        int span = 1;
        while (r + (size_t)span < T->nrows && cell_at(T, r + (size_t)span, c)->hidden) span++;
        if (span > 1) rg_dl_elem_set_span(L->dl, T->td[c], 1, span);
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
    rg_dl_artifact_begin(L->dl, pg);
    if (is_total)
        rg_dl_rect_fill(L->dl, pg, x0, L->y - h, T->width, h, st->table_total_fill);
    else if (st->table_zebra && r % 2 == 1)
        zebra_fill(L, T, r, x0, h);
    rg_dl_artifact_end(L->dl, pg);
    row_elems(L, T, r);
    double top = L->y - st->cell_pad_y;
    for (size_t c = 0; c < T->ncols; c++) {
        const cell *cl = cell_at(T, r, c);
        if (cl->hidden) {
            /* row span: the value is repeated at a page's top, as decoration */
            if (!first_on_page) continue;
            rg_dl_artifact_begin(L->dl, pg);
            lay_box_open(L, RG_BOX_CELL, x0 + T->x[c], L->y - h, x0 + T->x[c] + T->w[c], L->y);
            draw_cell_text(L, T, c, cl, from, to, x0, top);
            lay_box_close(L);
            rg_dl_artifact_end(L->dl, pg);
            continue;
        }
        rg_dl_elem_enter(L->dl, T->td[c]);
        lay_box_open(L, RG_BOX_CELL, x0 + T->x[c], L->y - h, x0 + T->x[c] + T->w[c], L->y);
        draw_cell_text(L, T, c, cl, from, to, x0, top);
        lay_box_close(L);
        rg_dl_elem_leave(L->dl);
    }
    double y = L->y - h;
    rg_dl_artifact_begin(L->dl, pg);
    if (is_total) {
        rg_dl_line(L->dl, pg, x0, L->y, x0 + T->width, L->y, st->table_rule,
                   st->table_rule_width * 2);
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
}

static size_t row_lines(const tab *T, size_t r)
{
    size_t n = 1;
    for (size_t c = 0; c < T->ncols; c++)
        if (cell_at(T, r, c)->para.nlines > n) n = cell_at(T, r, c)->para.nlines;
    return n;
}

static void new_table_page(lay *L, tab *T, double x0)
{
    lay_new_page(L, 1);
    draw_header(L, T, x0);
}

/* Places the body rows; a row that does not fit goes to the next page, or
 * is split between lines when it would not fit on any page. */
static void place_rows(lay *L, tab *T, double x0)
{
    double pady = L->st->cell_pad_y, lead = T->body->leading;
    double page_room = L->top - L->bottom - T->group_h - T->label_h;
    int first_on_page = 1;
    for (size_t r = 0; r < T->nrows; r++) {
        if (T->row_h[r] <= lay_room(L) + 0.01) {
            draw_row(L, T, r, 0, row_lines(T, r), T->row_h[r], x0, first_on_page);
            first_on_page = 0;
            continue;
        }
        if (T->row_h[r] <= page_room + 0.01) {
            new_table_page(L, T, x0);
            r--;
            first_on_page = 1;
            continue;
        }
        size_t n = row_lines(T, r), done = 0;
        while (done < n) {
            size_t fit = (size_t)floor((lay_room(L) - 2 * pady + 0.01) / lead);
            if (fit == 0) {
                new_table_page(L, T, x0);
                first_on_page = 1;
                continue;
            }
            if (fit > n - done) fit = n - done;
            draw_row(L, T, r, done, done + fit, fit * lead + 2 * pady, x0, 1);
            done += fit;
            if (done < n) {
                new_table_page(L, T, x0);
                first_on_page = 1;
            }
        }
        first_on_page = 0;
    }
}

static void place_note(lay *L, const rg_dataset *d, double x, double width)
{
    if (!d->note) return;
    const rg_role *r = lay_role(L, RG_ROLE_CAPTION);
    rg_para p;
    lay_break_plain(L, d->note, r, 0, width, RG_ALIGN_LEFT, &p);
    L->y -= r->space_before / 2;
    lay_open(L, "P");
    lay_place_lines(L, &p, x, width, r, RG_ALIGN_LEFT);
    lay_close(L);
}

static void tab_init(lay *L, tab *T, const rg_table *t)
{
    memset(T, 0, sizeof *T);
    T->t = t;
    T->body = lay_role(L, RG_ROLE_TABLE);
    T->head = lay_role(L, RG_ROLE_TABLE_HEADER);
    T->ncols = t->ncols;
    T->totals = t->totals != 0;
    T->nrows = t->data->nrecords + (size_t)T->totals;
    rg_arena *a = L->arena;
    T->cells = rg_arena_alloc(a, (T->nrows ? T->nrows : 1) * T->ncols * sizeof *T->cells);
    T->labels = rg_arena_alloc(a, T->ncols * sizeof *T->labels);
    T->numeric = rg_arena_alloc(a, T->ncols * sizeof *T->numeric);
    T->align = rg_arena_alloc(a, T->ncols * sizeof *T->align);
    T->w = rg_arena_alloc(a, T->ncols * sizeof *T->w);
    T->x = rg_arena_alloc(a, T->ncols * sizeof *T->x);
    T->max_tail = rg_arena_alloc(a, T->ncols * sizeof *T->max_tail);
    T->row_h = rg_arena_alloc(a, (T->nrows ? T->nrows : 1) * sizeof *T->row_h);
    T->td = rg_arena_alloc(a, T->ncols * sizeof *T->td);
    T->tbody = -1;
    T->elem_row = (size_t)-1;
    for (size_t c = 0; c < T->ncols; c++) {
        T->numeric[c] = is_numeric(col_field(T, c)->type);
        T->align[c] = t->cols[c].align;
        if (T->align[c] == RG_COLALIGN_AUTO)
            T->align[c] = T->numeric[c] ? RG_COLALIGN_RIGHT : RG_COLALIGN_LEFT;
    }
}

void lay_place_table(lay *L, const rg_block *b, double x, double width)
{
    const rg_table *t = b->table;
    if (!t || !t->data || !t->ncols) return;
    tab T;
    tab_init(L, &T, t);
    format_body(L, &T);
    if (T.totals) format_totals(L, &T);
    format_labels(L, &T);
    prefill_measures(L, &T);
    column_widths(L, &T, width);
    break_cells(L, &T);
    if (L->status != RG_OK) return;

    /* caption above, kept with the header and the first row */
    captioned *cap = lay_caption_of(L, b);
    const rg_role *cr = lay_role(L, RG_ROLE_CAPTION);
    rg_para cp = { NULL, 0, NULL, 0 };
    if (cap) lay_caption_para(L, cap, width, &cp);
    double need = cr->space_before + cp.nlines * cr->leading + cr->space_after + T.group_h +
                  T.label_h + (T.nrows ? T.row_h[0] : 0) * MIN_ROWS_WITH_HEADER;
    lay_ensure_page(L);
    if (!L->at_top && lay_room(L) < need) lay_new_page(L, 1);
    lay_vspace(L, cr->space_before);
    lay_open(L, "Table");
    if (cap) {
        rg_dl_dest_add(L->dl, (size_t)L->page, cap->dest, L->y);
        cap->page = (int)L->page;
        lay_open(L, "Caption");
        lay_place_lines(L, &cp, x, width, cr, RG_ALIGN_LEFT);
        lay_close(L);
        L->y -= cr->space_after;
    }
    draw_header(L, &T, x);
    place_rows(L, &T, x);
    lay_close(L);                                   /* Table */
    place_note(L, t->data, x, width);
    L->y -= L->st->paragraph_gap;
}

double lay_table_keep(lay *L, const rg_block *b, double width, size_t rows)
{
    const rg_table *t = b->table;
    if (!t || !t->data || !t->ncols) return 0;
    tab T;
    tab_init(L, &T, t);
    format_body(L, &T);
    if (T.totals) format_totals(L, &T);
    format_labels(L, &T);
    prefill_measures(L, &T);
    column_widths(L, &T, width);
    break_cells(L, &T);
    if (L->status != RG_OK) return 0;
    captioned *cap = lay_caption_of(L, b);
    const rg_role *cr = lay_role(L, RG_ROLE_CAPTION);
    rg_para cp = { NULL, 0, NULL, 0 };
    if (cap) lay_caption_para(L, cap, width, &cp);
    double need = cr->space_before + cp.nlines * cr->leading + cr->space_after + T.group_h +
                  T.label_h;
    for (size_t r = 0; r < rows && r < T.nrows; r++) need += T.row_h[r];
    return need;
}
