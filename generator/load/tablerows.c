/* load/tablerows.c - rows with roles in a table (issue 17, tables). Stage:
 * load. A <table group-by="field"> shows its records in groups: a group
 * row (the field's value, spanning the table) before each group's records
 * (in data order, indented under it), and with subtotals="true" a
 * subtotal row after them whose total="true" columns are the group's exact
 * sums. The rows are built here as a derived dataset, so that layout
 * formats, measures and breaks them as any other rows; rg_table.rows says
 * which is which. <row key=".." emphasis="strong"/> sets a record's row in
 * bold. Every name that does not resolve is an error at its line. */
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

typedef struct rbuild {
    rg_ctx *ctx;
    const rg_doc *doc;
    rg_arena *a;
    int bad;
} rbuild;

static void rerr(rbuild *b, xmlNodePtr n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void rerr(rbuild *b, xmlNodePtr n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rg_node_verror(b->ctx, b->doc->path, n, "", fmt, ap);
    va_end(ap);
    b->bad = 1;
}

static int is_true(const char *v)
{
    return v && (!strcmp(v, "true") || !strcmp(v, "1"));
}

/* The text of record r's value of field f ("" when missing). */
static const char *text_of(const rg_dataset *ds, size_t r, int f)
{
    const rg_value *v = &ds->values[r * ds->nfields + (size_t)f];
    return v->missing || !v->text ? "" : v->text;
}

/* <row key= emphasis=> children: the records they name get strong set in
 * rows (indexed by record). */
static void row_emphasis(rbuild *b, xmlNodePtr n, const rg_table *t, int *strong)
{
    const rg_dataset *ds = t->data;
    int key_field = t->cols[0].field;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (!rg_xml_is(c, RG_NS_REPORT, "row")) continue;
        const char *key = rg_xml_attr(b->a, c, "key");
        long found = -1;
        for (size_t r = 0; key && r < ds->nrecords; r++) {
            if (strcmp(text_of(ds, r, key_field), key) != 0) continue;
            if (found >= 0) {
                rerr(b, c, "<row key='%s'>: more than one row of the table reads it in its "
                     "first column", key);
                found = -2;
                break;
            }
            found = (long)r;
        }
        if (found == -1)
            rerr(b, c, "<row key='%s'>: no row of the table reads it in its first column "
                 "('%s')", key ? key : "", ds->fields[key_field].name);
        if (found >= 0) strong[found] = 1;
    }
}

/* The field named by attribute attr of n, or -1 after an error. */
static int named_field(rbuild *b, xmlNodePtr n, const rg_dataset *ds, const char *attr)
{
    const char *name = rg_xml_attr(b->a, n, attr);
    for (size_t i = 0; name && i < ds->nfields; i++)
        if (!strcmp(ds->fields[i].name, name)) return (int)i;
    rerr(b, n, "%s='%s': dataset '%s' has no field '%s'", attr, name ? name : "", ds->id,
         name ? name : "");
    return -1;
}

/* The groups of field g in first-appearance order: group[r] is record r's
 * group number; returns the number of groups, labels into *labels. */
static size_t find_groups(rbuild *b, const rg_dataset *ds, int g, size_t *group,
                          const char ***labels)
{
    const char **lab = rg_arena_alloc(b->a, (ds->nrecords + 1) * sizeof *lab);
    size_t n = 0;
    for (size_t r = 0; r < ds->nrecords; r++) {
        const char *v = text_of(ds, r, g);
        size_t k = 0;
        while (k < n && strcmp(lab[k], v) != 0) k++;   /* few groups: linear is fine */
        if (k == n) lab[n++] = v;
        group[r] = k;
    }
    /* the labels as the field's cells show them ("5 januari 2023", "€ 2,5 mln") */
    const rg_field *f = &ds->fields[g];
    for (size_t k = 0; f->type != RG_FIELD_TEXT && k < n; k++) {
        size_t r = 0;
        while (group[r] != k) r++;
        char buf[256];
        rg_format_value(rg_locale_for(b->doc->lang), f, &ds->values[r * ds->nfields + (size_t)g],
                        -1, 0, buf, sizeof buf);
        lab[k] = rg_arena_strdup(b->a, buf);
    }
    *labels = lab;
    return n;
}

/* Appends row i of the derived dataset: a copy of record r of ds, or (r ==
 * SIZE_MAX) an empty row. */
static void put_row(rg_dataset *out, size_t i, const rg_dataset *ds, size_t r)
{
    rg_value *dst = &out->values[i * out->nfields];
    if (r != SIZE_MAX) {
        memcpy(dst, &ds->values[r * ds->nfields], ds->nfields * sizeof *dst);
        return;
    }
    for (size_t f = 0; f < out->nfields; f++) {
        memset(&dst[f], 0, sizeof dst[f]);
        dst[f].missing = 1;
    }
}

/* The subtotal of group k in row i: each total= column's exact sum over
 * the group's records (recs, n). */
static void put_subtotal(rbuild *b, xmlNodePtr n, const rg_table *t, rg_dataset *out, size_t i,
                         const size_t *recs, size_t nrecs, const char *label)
{
    for (size_t c = 0; c < t->ncols; c++) {
        const rg_column *col = &t->cols[c];
        if (!col->total) continue;
        rg_value *v = &out->values[i * out->nfields + (size_t)col->field];
        size_t bad = 0;
        if (rg_dec_sum_field(t->data, col->field, recs, nrecs, &v->dec, &bad) < 0) {
            rerr(b, n, "the subtotal '%s' of column '%s' cannot be computed exactly: adding "
                 "record %zu takes it beyond 2^63 - 1 units of its last decimal", label,
                 t->data->fields[col->field].name, bad + 1);
            continue;
        }
        v->missing = 0;
        v->exact = 1;
        v->num = rg_dec_to_double(v->dec);
    }
}

/* group-by=: the derived dataset and its rows. */
static void group_rows(rbuild *b, xmlNodePtr n, rg_table *t, int g, int subtotals,
                       const char *sub_label, const int *strong)
{
    const rg_dataset *ds = t->data;
    size_t *group = rg_arena_alloc(b->a, (ds->nrecords + 1) * sizeof *group);
    size_t *recs = rg_arena_alloc(b->a, (ds->nrecords + 1) * sizeof *recs);
    const char **labels;
    size_t ngroups = find_groups(b, ds, g, group, &labels);
    size_t nrows = ds->nrecords + ngroups * (subtotals ? 2 : 1);
    rg_dataset *out = rg_arena_alloc(b->a, sizeof *out);
    *out = *ds;
    out->nrecords = nrows;
    out->values = rg_arena_alloc(b->a, (nrows * ds->nfields + 1) * sizeof *out->values);
    rg_table_row *rows = rg_arena_alloc(b->a, (nrows + 1) * sizeof *rows);
    size_t i = 0;
    for (size_t k = 0; k < ngroups; k++) {
        put_row(out, i, ds, SIZE_MAX);
        rows[i++] = (rg_table_row){ RG_ROW_GROUP, 1, 0, labels[k] };
        size_t nrecs = 0;
        for (size_t r = 0; r < ds->nrecords; r++) {
            if (group[r] != k) continue;
            recs[nrecs++] = r;
            put_row(out, i, ds, r);
            rows[i++] = (rg_table_row){ RG_ROW_RECORD, strong[r], 1, NULL };
        }
        if (!subtotals) continue;
        size_t len = strlen(sub_label) + strlen(labels[k]) + 2;
        char *label = rg_arena_alloc(b->a, len);
        snprintf(label, len, "%s %s", sub_label, labels[k]);
        put_row(out, i, ds, SIZE_MAX);
        put_subtotal(b, n, t, out, i, recs, nrecs, label);
        rows[i++] = (rg_table_row){ RG_ROW_SUBTOTAL, 1, 0, label };
    }
    t->source = ds;
    t->data = out;
    t->rows = rows;
}

/* A positive whole-number attribute (the schema checked its form), dflt
 * when absent. */
static int count_attr(rbuild *b, xmlNodePtr n, const char *name, int dflt)
{
    const char *v = rg_xml_attr(b->a, n, name);
    return v ? atoi(v) : dflt;
}

/* The row of t->data whose first column reads key: -1 none, -2 more. */
static long key_row(const rg_table *t, const char *key)
{
    long found = -1;
    for (size_t r = 0; key && r < t->data->nrecords; r++) {
        if (t->rows && t->rows[r].kind != RG_ROW_RECORD) continue;
        const rg_value *v = &t->data->values[r * t->data->nfields + (size_t)t->cols[0].field];
        if (v->missing || !v->text || strcmp(v->text, key) != 0) continue;
        if (found >= 0) return -2;
        found = (long)r;
    }
    return found;
}

/* One <cell-span> c of table t into *sp, checked against the table and
 * the cells taken by spans before it (taken: rows x ncols). 0 or -1. */
static int load_span(rbuild *b, xmlNodePtr c, const rg_table *t, unsigned char *taken,
                     rg_table_span *sp)
{
    const char *key = rg_xml_attr(b->a, c, "row"), *field = rg_xml_attr(b->a, c, "field");
    long r = key_row(t, key);
    int col = -1;
    for (size_t k = 0; field && k < t->ncols && col < 0; k++)
        if (!strcmp(t->data->fields[t->cols[k].field].name, field)) col = (int)k;
    sp->rows = count_attr(b, c, "rows", 1);
    sp->cols = count_attr(b, c, "cols", 1);
    if (r == -2) rerr(b, c, "<cell-span row='%s'>: more than one row of the table reads it in "
                      "its first column", key);
    else if (r < 0) rerr(b, c, "<cell-span row='%s'>: no row of the table reads it in its "
                         "first column", key ? key : "");
    if (col < 0) rerr(b, c, "<cell-span field='%s'>: the table shows no field '%s'",
                      field ? field : "", field ? field : "");
    if (r < 0 || col < 0) return -1;
    size_t nrows = t->data->nrecords;
    if (sp->rows < 1 || sp->cols < 1 || (size_t)r + (size_t)sp->rows > nrows ||
        (size_t)col + (size_t)sp->cols > t->ncols) {
        rerr(b, c, "<cell-span> of %d row(s) and %d column(s) from row '%s', column '%s' "
             "reaches outside the table (%zu rows, %zu columns)", sp->rows, sp->cols, key,
             field, nrows, t->ncols);
        return -1;
    }
    for (size_t i = (size_t)r; i < (size_t)r + (size_t)sp->rows; i++)
        for (size_t k = (size_t)col; k < (size_t)col + (size_t)sp->cols; k++) {
            if (t->rows && t->rows[i].kind != RG_ROW_RECORD) {
                rerr(b, c, "<cell-span> from row '%s' covers a group or subtotal row", key);
                return -1;
            }
            if (t->cols[k].merge) {
                rerr(b, c, "<cell-span> from row '%s' covers column '%s', which has "
                     "merge=\"true\"", key, t->data->fields[t->cols[k].field].name);
                return -1;
            }
            if (taken[i * t->ncols + k]) {
                rerr(b, c, "<cell-span> from row '%s', column '%s' overlaps an earlier "
                     "<cell-span>", key, field);
                return -1;
            }
        }
    for (size_t i = (size_t)r; i < (size_t)r + (size_t)sp->rows; i++)
        memset(&taken[i * t->ncols + (size_t)col], 1, (size_t)sp->cols);
    sp->record = (size_t)r;
    sp->col = col;
    return 0;
}

/* <cell-span> children of n into t->spans. */
static void load_spans(rbuild *b, xmlNodePtr n, rg_table *t)
{
    size_t count = 0;
    for (xmlNodePtr c = n->children; c; c = c->next)
        count += rg_xml_is(c, RG_NS_REPORT, "cell-span");
    if (!count || !t->ncols) return;
    rg_table_span *spans = rg_arena_alloc(b->a, count * sizeof *spans);
    unsigned char *taken = rg_xcalloc(t->data->nrecords * t->ncols + 1, 1);
    size_t k = 0;
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (rg_xml_is(c, RG_NS_REPORT, "cell-span") && load_span(b, c, t, taken, &spans[k]) == 0)
            k++;
    free(taken);
    t->spans = spans;
    t->nspans = k;
}

int rg_load_table_rows(rg_ctx *ctx, const rg_doc *doc, xmlNodePtr n, rg_table *t)
{
    rbuild b = { ctx, doc, doc->arena, 0 };
    const rg_dataset *ds = t->data;
    const char *by = rg_xml_attr(b.a, n, "group-by");
    int subtotals = is_true(rg_xml_attr(b.a, n, "subtotals"));
    const char *sub_label = rg_xml_attr(b.a, n, "subtotal-label");
    size_t nrow_elems = 0;
    for (xmlNodePtr c = n->children; c; c = c->next)
        nrow_elems += rg_xml_is(c, RG_NS_REPORT, "row") || rg_xml_is(c, RG_NS_REPORT, "cell-span");
    if (!by && !subtotals && !nrow_elems) return 0;
    if (!t->ncols) return 0;
    if (subtotals && !by) rerr(&b, n, "subtotals=\"true\" needs group-by= (the field whose "
                               "values make the groups)");
    int any_total = 0;
    for (size_t c = 0; c < t->ncols; c++) any_total |= t->cols[c].total;
    if (subtotals && !any_total)
        rerr(&b, n, "subtotals=\"true\", but no column has total=\"true\"");
    int g = by ? named_field(&b, n, ds, "group-by") : -1;
    int *strong = rg_xcalloc(ds->nrecords + 1, sizeof *strong);
    row_emphasis(&b, n, t, strong);
    if (!b.bad && g >= 0) {
        group_rows(&b, n, t, g, subtotals, sub_label ? sub_label : "Subtotaal", strong);
    } else if (!b.bad) {
        rg_table_row *rows = rg_arena_alloc(b.a, (ds->nrecords + 1) * sizeof *rows);
        for (size_t r = 0; r < ds->nrecords; r++)
            rows[r] = (rg_table_row){ RG_ROW_RECORD, strong[r], 0, NULL };
        t->rows = rows;
    }
    free(strong);
    if (!b.bad) load_spans(&b, n, t);
    return b.bad ? -1 : 0;
}
