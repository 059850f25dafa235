/* load/valueof.c - <value-of>: a figure from a dataset printed in running
 * text, a caption or a title (issue 17, tables). Stage: load. The element
 * is resolved while the definition is read: the value (a named record's
 * cell, a table's total, or an aggregate of a field) is computed exactly
 * (model/decimal.c) and formatted as a table formats it (the field's type,
 * unit and decimals, or the named table column's decimals), so the prose
 * and the table beside it cannot drift apart. Every name that does not
 * resolve is an error at the element's line. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

typedef struct vctx {
    rg_ctx *ctx;
    const rg_doc *doc;
    xmlNodePtr n;
    int bad;
} vctx;

void rg_node_verror(rg_ctx *ctx, const char *file, xmlNodePtr n, const char *prefix,
                    const char *fmt, va_list ap)
{
    char msg[800];
    vsnprintf(msg, sizeof msg, fmt, ap);
    rg_diag(ctx, RG_SEV_ERROR, file, rg_xml_line(n), 1, "%s%s", prefix, msg);
}

static void verror(vctx *v, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void verror(vctx *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rg_node_verror(v->ctx, v->doc->path, v->n, "<value-of>: ", fmt, ap);
    va_end(ap);
    v->bad = 1;
}

static int is_figure(rg_field_type t)
{
    return t == RG_FIELD_NUMBER || t == RG_FIELD_PERCENT || t == RG_FIELD_EURO;
}

/* The <table> element with id= id anywhere under n (depth-first), or NULL. */
static xmlNodePtr find_table(xmlNodePtr n, const char *id, rg_arena *a)
{
    for (xmlNodePtr c = n; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        if (rg_xml_is(c, RG_NS_REPORT, "table")) {
            char *cid = rg_xml_attr(a, c, "id");
            if (cid && strcmp(cid, id) == 0) return c;
        }
        xmlNodePtr in = find_table(c->children, id, a);
        if (in) return in;
    }
    return NULL;
}

/* What a named table says about field `field`: its column (NULL: none),
 * whether the column is totalled and the total row's label. */
typedef struct tcol {
    xmlNodePtr col;
    int decimals;                  /* the column's decimals=, or -1 */
    int totalled;                  /* totals="true" on the table and total="true" here */
    const char *total_label;
    const char *group_by;          /* the table's group-by= when it has subtotals, else NULL */
    const char *subtotal_label;    /* its subtotal-label= ("Subtotaal") */
    int col_total;                 /* total="true" on the column */
} tcol;

static int table_column(vctx *v, rg_arena *a, const char *table_id, const rg_dataset *ds,
                        const char *field, tcol *tc)
{
    memset(tc, 0, sizeof *tc);
    tc->decimals = -1;
    xmlNodePtr t = find_table(xmlDocGetRootElement(v->n->doc), table_id, a);
    if (!t) {
        verror(v, "table='%s': no <table> has id '%s'", table_id, table_id);
        return -1;
    }
    char *data = rg_xml_attr(a, t, "data");
    if (!data || strcmp(data, ds->id) != 0) {
        verror(v, "table='%s' shows dataset '%s', not '%s'", table_id, data ? data : "",
               ds->id);
        return -1;
    }
    for (xmlNodePtr c = t->children; c; c = c->next) {
        if (!rg_xml_is(c, RG_NS_REPORT, "column")) continue;
        char *f = rg_xml_attr(a, c, "field");
        if (!f || strcmp(f, field) != 0) continue;
        char *dec = rg_xml_attr(a, c, "decimals");
        char *tot = rg_xml_attr(a, c, "total"), *tots = rg_xml_attr(a, t, "totals");
        tc->col = c;
        tc->decimals = dec ? atoi(dec) : -1;
        tc->totalled = tot && tots && (!strcmp(tot, "true") || !strcmp(tot, "1")) &&
                       (!strcmp(tots, "true") || !strcmp(tots, "1"));
        tc->total_label = rg_xml_attr(a, t, "total-label");
        if (!tc->total_label) tc->total_label = "Totaal";
        tc->col_total = tot && (!strcmp(tot, "true") || !strcmp(tot, "1"));
        char *subs = rg_xml_attr(a, t, "subtotals");
        if (subs && (!strcmp(subs, "true") || !strcmp(subs, "1")))
            tc->group_by = rg_xml_attr(a, t, "group-by");
        tc->subtotal_label = rg_xml_attr(a, t, "subtotal-label");
        if (!tc->subtotal_label) tc->subtotal_label = "Subtotaal";
        return 0;
    }
    verror(v, "table '%s' has no column of field '%s'", table_id, field);
    return -1;
}

/* The record whose first field reads key, or -1 after an error (none, or
 * more than one). */
static long find_record(vctx *v, const rg_dataset *ds, const char *key)
{
    long found = -1;
    for (size_t r = 0; r < ds->nrecords; r++) {
        const rg_value *k = &ds->values[r * ds->nfields];
        if (!k->text || strcmp(k->text, key) != 0) continue;
        if (found >= 0) {
            verror(v, "row='%s': records %ld and %zu of dataset '%s' both start with it; the "
                   "first field must name one record", key, found + 1, r + 1, ds->id);
            return -1;
        }
        found = (long)r;
    }
    if (found < 0)
        verror(v, "row='%s': no record of dataset '%s' has it as its first field ('%s')", key,
               ds->id, ds->nfields ? ds->fields[0].name : "");
    return found;
}

/* An aggregate of field f over all records into *out (exact); *none when
 * no record has a value. Returns 0 or -1 after an error. */
static int aggregate(vctx *v, const rg_dataset *ds, int f, const char *agg, int decimals,
                     rg_dec *out, int *none)
{
    rg_dec acc = { 0, 0 };
    int64_t count = 0;
    int minmax = !strcmp(agg, "min") ? -1 : !strcmp(agg, "max") ? 1 : 0;
    for (size_t r = 0; r < ds->nrecords; r++) {
        const rg_value *x = &ds->values[r * ds->nfields + (size_t)f];
        if (x->missing) continue;
        if (minmax) {
            if (count == 0 || rg_dec_cmp(x->dec, acc) * minmax > 0) acc = x->dec;
        } else if (rg_dec_add(acc, x->dec, &acc) < 0) {
            verror(v, "the sum of field '%s' cannot be computed exactly: adding record %zu "
                   "('%s') takes it beyond 2^63 - 1 units of its last decimal",
                   ds->fields[f].name, r + 1, x->text ? x->text : "");
            return -1;
        }
        count++;
    }
    *none = count == 0 && strcmp(agg, "count") != 0;
    if (!strcmp(agg, "count")) {
        out->units = count;
        out->scale = 0;
    } else if (!strcmp(agg, "avg") && count > 0) {
        if (rg_dec_div(acc, count, decimals, out) < 0) {
            verror(v, "the average of field '%s' does not fit", ds->fields[f].name);
            return -1;
        }
    } else {
        *out = acc;
    }
    return 0;
}

/* The group a subtotal row's label ("Subtotaal Begroting") names in a
 * table grouped by field g, or NULL when row is no such label. */
static const char *subtotal_group(const tcol *tc, const char *row)
{
    size_t n = strlen(tc->subtotal_label);
    if (!tc->group_by || strncmp(row, tc->subtotal_label, n) != 0 || row[n] != ' ') return NULL;
    return row + n + 1;
}

/* The exact sum of field f over the records of ds whose field g reads
 * group (a subtotal row's figure). Returns 0, or -1 after an error. */
static int group_sum(vctx *v, const rg_dataset *ds, int f, int g, const char *group,
                     rg_value *out)
{
    size_t *recs = rg_xmalloc((ds->nrecords + 1) * sizeof *recs), n = 0, bad = 0;
    for (size_t r = 0; r < ds->nrecords; r++) {
        const rg_value *k = &ds->values[r * ds->nfields + (size_t)g];
        if (!k->missing && k->text && !strcmp(k->text, group)) recs[n++] = r;
    }
    int rc = 0;
    if (n == 0) {
        verror(v, "row= names the subtotal of group '%s', but no record of dataset '%s' "
               "has it as its '%s'", group, ds->id, ds->fields[g].name);
        rc = -1;
    } else if (rg_dec_sum_field(ds, f, recs, n, &out->dec, &bad) < 0) {
        verror(v, "the subtotal of field '%s' cannot be computed exactly (record %zu)",
               ds->fields[f].name, bad + 1);
        rc = -1;
    }
    out->exact = 1;
    free(recs);
    return rc;
}

const char *rg_value_of(rg_ctx *ctx, const rg_doc *doc, xmlNodePtr n, int *figure)
{
    vctx v = { ctx, doc, n, 0 };
    rg_arena *a = doc->arena;
    char *data = rg_xml_attr(a, n, "data"), *field = rg_xml_attr(a, n, "field");
    char *row = rg_xml_attr(a, n, "row"), *agg = rg_xml_attr(a, n, "agg");
    char *table = rg_xml_attr(a, n, "table");
    const rg_dataset *ds = NULL;
    *figure = 0;
    for (size_t i = 0; data && i < doc->ndatasets; i++)
        if (!strcmp(doc->datasets[i].id, data)) ds = &doc->datasets[i];
    if (!ds) {
        verror(&v, "unknown dataset '%s' (see <data>)", data ? data : "");
        return NULL;
    }
    int f = -1;
    for (size_t i = 0; field && i < ds->nfields; i++)
        if (!strcmp(ds->fields[i].name, field)) f = (int)i;
    if (f < 0) {
        verror(&v, "dataset '%s' has no field '%s'", ds->id, field ? field : "");
        return NULL;
    }
    const rg_field *fd = &ds->fields[f];
    if (!row == !agg) {
        verror(&v, "give either row= (one record's value) or agg= (sum, min, max, count or "
               "avg of the field)");
        return NULL;
    }
    if (agg && !is_figure(fd->type)) {
        verror(&v, "agg=\"%s\": field '%s' is %s; only number, percent and euro fields "
               "aggregate", agg, fd->name, fd->type == RG_FIELD_TEXT ? "text" : "a date");
        return NULL;
    }
    if (agg && fd->type == RG_FIELD_PERCENT && !strcmp(agg, "sum")) {
        verror(&v, "agg=\"sum\": percentages cannot be added up (field '%s')", fd->name);
        return NULL;
    }
    tcol tc = { .decimals = -1 };
    if (table && table_column(&v, a, table, ds, fd->name, &tc) < 0) return NULL;

    /* the decimals a table would show: the column's, the field's, the type's */
    int decimals = tc.decimals >= 0 ? tc.decimals : fd->decimals >= 0 ? fd->decimals
                   : fd->type == RG_FIELD_PERCENT || fd->type == RG_FIELD_EURO ? 1 : 0;
    const rg_locale *loc = rg_locale_for(doc->lang);
    char buf[256];
    if (agg) {
        rg_dec val;
        int none = 0;
        if (aggregate(&v, ds, f, agg, decimals, &val, &none) < 0) return NULL;
        if (!strcmp(agg, "count")) {
            rg_field plain = { fd->name, NULL, RG_FIELD_NUMBER, 0, NULL };
            rg_format_exact(loc, &plain, val, 0, 0, buf, sizeof buf);
        } else {
            rg_value out = { .missing = none, .exact = 1, .dec = val };
            rg_format_value(loc, fd, &out, decimals, 0, buf, sizeof buf);
        }
    } else if (table && subtotal_group(&tc, row) && tc.col_total) {
        int g = -1;
        for (size_t i = 0; i < ds->nfields; i++)
            if (!strcmp(ds->fields[i].name, tc.group_by)) g = (int)i;
        rg_value out = { .exact = 1 };
        if (g < 0 || group_sum(&v, ds, f, g, subtotal_group(&tc, row), &out) < 0) {
            if (g < 0) verror(&v, "table '%s' groups by an unknown field '%s'", table,
                              tc.group_by);
            return NULL;
        }
        rg_format_value(loc, fd, &out, decimals, 0, buf, sizeof buf);
    } else if (table && tc.total_label && !strcmp(row, tc.total_label)) {
        if (!tc.totalled) {
            verror(&v, "row='%s' is the total row of table '%s', but its column '%s' has no "
                   "total (total=\"true\")", row, table, fd->name);
            return NULL;
        }
        rg_value out = { .exact = 1 };
        if (aggregate(&v, ds, f, "sum", decimals, &out.dec, &out.missing) < 0) return NULL;
        rg_format_value(loc, fd, &out, decimals, 0, buf, sizeof buf);
    } else {
        long r = find_record(&v, ds, row);
        if (r < 0) return NULL;
        rg_format_value(loc, fd, &ds->values[(size_t)r * ds->nfields + (size_t)f], decimals, 0,
                        buf, sizeof buf);
    }
    *figure = is_figure(fd->type) || (agg != NULL);
    return rg_arena_strdup(a, buf);
}
