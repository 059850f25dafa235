/* load/data.c - datasets, tables and charts of a report definition: from
 * the validated XML tree to rg_dataset / rg_table / rg_chart. Stage: load.
 *
 * Owns <data> (fields with a type; values inline in <record>s or read from
 * a CSV file beside the definition, confined like XInclude targets), typed
 * values (numbers, percents, euros, dates parsed with model/format.c, never with
 * the C locale), each dataset's dialect (dialect=, separator=, decimal=,
 * grouping=: its figures read strictly by it; the CSV separator, when not
 * declared, found in the header; without a declared decimal mark, a figure
 * that reads two ways, '1.234', is an error naming both readings), and the
 * checks XSD cannot express, with line numbers:
 * unknown datasets and fields, field types a chart cannot draw, series
 * counts per chart type, axis ranges, values that are not what their field
 * says ("data.csv:3:12: error: 'abc' is not a valid percent (field 'x')").
 * load/load.c calls in here and keeps the block tree, captions and ids. */
#include "internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "model/model.h"

typedef struct dbuild {
    rg_ctx *ctx;
    const rg_doc *doc;
    rg_arena *a;
    int bad;                       /* sticky: an error was reported */
    int ndiags;                    /* value errors in the current dataset */
} dbuild;

/* How a dataset's values are written: its declared dialect. */
typedef struct dialect {
    rg_numfmt fmt;                 /* figures: decimal mark, digit grouping */
    char sep;                      /* the CSV separator declared (0: found in the header) */
    int named;                     /* dialect= is given */
    int semicolon;                 /* the CSV file was found to be separated by ';' */
} dialect;

static void verr(dbuild *d, const char *file, int line, int col, const char *fmt, va_list ap)
{
    char msg[800];
    vsnprintf(msg, sizeof msg, fmt, ap);
    rg_diag(d->ctx, RG_SEV_ERROR, file, line, col, "%s", msg);
    d->bad = 1;
}

static void derr(dbuild *d, xmlNodePtr n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* An error at element n of the definition. */
static void derr(dbuild *d, xmlNodePtr n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verr(d, d->doc->path, rg_xml_line(n), 1, fmt, ap);
    va_end(ap);
}

static void ferr(dbuild *d, const char *file, int line, int col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* An error at a place in a data file. */
static void ferr(dbuild *d, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verr(d, file, line, col, fmt, ap);
    va_end(ap);
}

/* Whether another value error may be printed for this dataset; the first
 * one past the cap says that the rest are suppressed. */
static int may_report(dbuild *d, const char *file)
{
    if (d->ndiags++ < RG_MAX_LOAD_DIAGS) return 1;
    if (d->ndiags == RG_MAX_LOAD_DIAGS + 1)
        ferr(d, file, 0, 0, "too many errors in this dataset; giving up");
    d->bad = 1;
    return 0;
}

static int is_name(xmlNodePtr n, const char *name)
{
    return rg_xml_is(n, RG_NS_REPORT, name);
}

static size_t count_children(xmlNodePtr n, const char *name)
{
    size_t k = 0;
    for (xmlNodePtr c = n->children; c; c = c->next) k += is_name(c, name);
    return k;
}

/* A boolean attribute (xs:boolean, already validated); dflt when absent. */
static int attr_bool(dbuild *d, xmlNodePtr n, const char *name, int dflt)
{
    char *v = rg_xml_attr(d->a, n, name);
    if (!v) return dflt;
    return strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
}

/* 1 when attribute name is present and equals value (an enumeration the
 * schema validated). */
static int attr_is(dbuild *d, xmlNodePtr n, const char *name, const char *value)
{
    char *v = rg_xml_attr(d->a, n, name);
    return v && strcmp(v, value) == 0;
}

/* A decimal attribute (validated by the schema) into *out; 1 when present. */
static int attr_num(dbuild *d, xmlNodePtr n, const char *name, double *out)
{
    char *v = rg_xml_attr(d->a, n, name);
    if (!v) return 0;
    if (rg_parse_number(v, strlen(v), RG_FIELD_NUMBER, out) < 0 || !isfinite(*out)) {
        derr(d, n, "%s=\"%s\" is not a number", name, v);
        return 0;
    }
    return 1;
}

/* The decimals= attribute (0..6 by the schema), or -1 when absent. */
static int attr_decimals(dbuild *d, xmlNodePtr n)
{
    char *v = rg_xml_attr(d->a, n, "decimals");
    return v ? atoi(v) : -1;
}

/* ---- values ---- */

static const char *type_name(rg_field_type t)
{
    switch (t) {
    case RG_FIELD_TEXT: return "text";
    case RG_FIELD_NUMBER: return "number";
    case RG_FIELD_PERCENT: return "percent";
    case RG_FIELD_EURO: return "euro amount";
    case RG_FIELD_DATE: return "date (YYYY-MM-DD)";
    }
    return "value";
}

static int is_numeric(const rg_field *f)
{
    return f->type == RG_FIELD_NUMBER || f->type == RG_FIELD_PERCENT || f->type == RG_FIELD_EURO;
}

/* s shortened and without control characters, for a one-line message. */
static const char *shown(const char *s, char *buf, size_t cap)
{
    size_t n = 0;
    for (; *s && n + 4 < cap; s++) buf[n++] = (unsigned char)*s < 0x20 ? '?' : *s;
    if (*s) {
        while (n > 0 && ((unsigned char)buf[n - 1] & 0xC0) == 0x80) n--;  /* whole characters */
        if (n > 0 && (unsigned char)buf[n - 1] >= 0xC0) n--;
        memcpy(buf + n, "...", 3);
        n += 3;
    }
    buf[n] = 0;
    return buf;
}

/* Types text s (kept, not copied) as field f into v, figures written as
 * fmt says: blank is missing. Returns RG_NUM_OK, or why s is not a valid
 * value of f's type. */
static rg_num_status parse_value(const rg_field *f, const rg_numfmt *fmt, const char *s,
                                 rg_value *v)
{
    const char *b = s, *e = s + strlen(s);
    memset(v, 0, sizeof *v);
    v->text = s;
    while (b < e && (*b == ' ' || *b == '\t')) b++;
    while (e > b && (e[-1] == ' ' || e[-1] == '\t')) e--;
    if (b == e) {
        v->missing = 1;
        return RG_NUM_OK;
    }
    switch (f->type) {
    case RG_FIELD_TEXT:
        return RG_NUM_OK;
    case RG_FIELD_DATE:
        return rg_parse_date(b, (size_t)(e - b), &v->date) == 0 ? RG_NUM_OK : RG_NUM_INVALID;
    default: {
        rg_num_status st = rg_parse_exact_as(b, (size_t)(e - b), f->type, fmt, &v->num, &v->dec);
        v->exact = st == RG_NUM_OK;        /* exact decimals (issue 17) */
        return st != RG_NUM_OK || isfinite(v->num) ? st : RG_NUM_INVALID;
    }
    }
}

/* The first decimal or grouping mark of s ('.' or ','), or '.'. */
static char first_mark(const char *s)
{
    s += strcspn(s, ".,");
    return *s ? *s : '.';
}

/* Why value text (of field f in dataset ds, written as dl says, refused
 * with st) is not valid, into msg: what was read, and how to declare what
 * was meant. */
static void value_error(const rg_dataset *ds, const dialect *dl, const rg_field *f,
                        const char *text, rg_num_status st, char *msg, size_t cap)
{
    char tmp[80], tail[400] = "";
    const char *shown_text = shown(text, tmp, sizeof tmp);
    const rg_numfmt *fmt = &dl->fmt;
    char m = first_mark(text), d = fmt->decimal, g = fmt->grouping;
    int n = 0;

    if (st == RG_NUM_AMBIGUOUS) {
        double num;
        rg_parse_number_as(text, strlen(text), f->type, NULL, &num);
        long long k = llround(fabs(num) * 1000);
        const char *sign = num < 0 ? "-" : "";
        n = snprintf(msg, cap, "'%s' (field '%s') is %s%lld with %s digit grouping and "
                     "%s%lld.%03lld with a decimal %s: declare dialect=\"nl\" or %s (or "
                     "decimal=) on <dataset id='%s'>", shown_text, f->name, sign, k,
                     m == '.' ? "Dutch" : "English", sign, k / 1000, k % 1000,
                     m == '.' ? "point" : "comma",
                     m == '.' ? "dialect=\"c\"" : "grouping=\",\"", ds->id);
    } else if (st == RG_NUM_TOO_PRECISE) {     /* exact decimals (issue 17) */
        n = snprintf(msg, cap, "'%s' (field '%s') has more digits than a figure can keep "
                     "exactly: at most %d significant digits, %d after the decimal mark",
                     shown_text, f->name, RG_DEC_MAX_DIGITS, RG_DEC_MAX_SCALE);
    } else {
        n = snprintf(msg, cap, "'%s' is not a valid %s (field '%s')", shown_text,
                     type_name(f->type), f->name);
        if (st == RG_NUM_GROUPED && !fmt->declared)
            snprintf(tail, sizeof tail, ": its digits are grouped with '%c', which needs a "
                     "declared dialect: declare %s on <dataset id='%s'>", m,
                     m == '.' ? "dialect=\"nl\" (or grouping=\".\")" : "grouping=\",\"", ds->id);
        else if (st == RG_NUM_GROUPED)
            snprintf(tail, sizeof tail, ": its digits are grouped with '%c', and dataset '%s' "
                     "declares no digit grouping%s", m, ds->id,
                     !d ? "" : d == '.' ? " (its decimal mark is '.')"
                                        : " (its decimal mark is ',')");
        else if (st == RG_NUM_MISPLACED)
            snprintf(tail, sizeof tail, ": in dataset '%s' '%c' groups digits by three (%s) "
                     "and '%c' is the decimal mark", ds->id, g,
                     g == '.' ? "1.234.567,8" : "1,234,567.8", d);
        else if (st == RG_NUM_WRONG_MARK)
            snprintf(tail, sizeof tail, ": the decimal mark of dataset '%s' is '%c'%s", ds->id,
                     d, !g ? ", and it declares no digit grouping"
                        : g == '.' ? ", and '.' groups its digits" : ", and ',' groups its digits");
    }
    if (dl->semicolon && !fmt->declared && st != RG_NUM_OK && f->type != RG_FIELD_TEXT &&
        f->type != RG_FIELD_DATE && strpbrk(text, ".,"))
        snprintf(tail + strlen(tail), sizeof tail - strlen(tail),
                 " (the file is separated by ';', as Dutch Excel saves CSV)");
    if (n >= 0 && (size_t)n < cap) snprintf(msg + n, cap - (size_t)n, "%s", tail);
}

/* ---- CSV files ---- */

/* Where field k of the record starting on line `line` begins in data, as
 * line and column (1-based, in characters). The record was accepted by
 * rg_csv_parse, so quotes are balanced; only diagnostics use this. */
static void field_pos(const char *data, size_t len, char sep, int line, size_t k, int *oline,
                      int *ocol)
{
    size_t i = 0, ls;
    int l = 1;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) i = 3;
    while (i < len && l < line)
        if (data[i++] == '\n') l++;
    ls = i;
    for (size_t f = 0; f < k && i < len; f++) {
        if (data[i] == '"') {
            for (i++; i < len; i++) {
                if (data[i] == '"') {
                    if (i + 1 < len && data[i + 1] == '"') {
                        i++;
                        continue;
                    }
                    i++;
                    break;
                }
                if (data[i] == '\n') {
                    l++;
                    ls = i + 1;
                }
            }
        }
        while (i < len && data[i] != sep && data[i] != '\n' && data[i] != '\r') i++;
        if (i < len && data[i] == sep) i++;
    }
    int col = 1;
    for (size_t j = ls; j < i; j++) col += ((unsigned char)data[j] & 0xC0) != 0x80;
    *oline = l;
    *ocol = col;
}

/* The name of the data file as diagnostics show it: beside the definition
 * as the user named it ("tests/invalid/data/x.csv"). */
static const char *data_file_name(dbuild *d, const char *src)
{
    const char *def = d->doc->path, *slash = strrchr(def, '/');
    if (!slash) return rg_arena_strdup(d->a, src);
    size_t n = (size_t)(slash - def) + 1, m = strlen(src);
    char *p = rg_arena_alloc(d->a, n + m + 1);
    memcpy(p, def, n);
    memcpy(p + n, src, m + 1);
    return p;
}

/* How many of ds's fields are columns of header row h. */
static size_t columns_found(const rg_dataset *ds, const rg_csv_row *h)
{
    size_t k = 0;
    for (size_t f = 0; f < ds->nfields; f++)
        for (size_t c = 0; c < h->nfields; c++)
            if (strcmp(h->fields[c], ds->fields[f].name) == 0) {
                k++;
                break;
            }
    return k;
}

static const char separators[] = { ',', ';', '\t' };

/* The separator of ds's CSV file: the declared one (dl->sep), after
 * checking that the header splits on it into the fields; else the one of
 * ',', ';' and tab whose split of the header holds the most fields (the
 * first of them on a tie). Returns it, or 0 after an error when the header
 * holds the fields only on another separator than the declared one. */
static char find_separator(dbuild *d, const rg_dataset *ds, const dialect *dl, const char *file,
                           const char *data, size_t len, rg_arena *ta)
{
    char declared = dl->sep;
    rg_csv_row h[3];
    size_t found[3], best = 0;
    for (int i = 0; i < 3; i++) {
        found[i] = rg_csv_header(data, len, separators[i], ta, &h[i]) == 0
                 ? columns_found(ds, &h[i]) : 0;
        if (found[i] > found[best]) best = (size_t)i;
    }
    if (!declared) return separators[best];
    int di = declared == ',' ? 0 : declared == ';' ? 1 : 2;
    if (found[di] == ds->nfields || found[best] < ds->nfields) return declared;

    /* the fields are there, on another separator */
    char list[300] = "", hint[80];
    size_t n = 0;
    for (size_t c = 0; c < h[best].nfields && n + 80 < sizeof list; c++) {
        char tmp[40];
        n += (size_t)snprintf(list + n, sizeof list - n, "%s'%s'", c ? ", " : "",
                              shown(h[best].fields[c], tmp, sizeof tmp));
        if (c + 1 < h[best].nfields && n + 80 >= sizeof list)
            n += (size_t)snprintf(list + n, sizeof list - n, ", ...");
    }
    const char *name = rg_csv_sep_name(separators[best]);
    if (separators[best] == ';' && !dl->named)
        snprintf(hint, sizeof hint, "dialect=\"nl\" or separator=\";\"");
    else
        snprintf(hint, sizeof hint, "separator=\"%s\"", name);
    rg_csv_row on_declared;
    size_t got = rg_csv_header(data, len, declared, ta, &on_declared) == 0
               ? on_declared.nfields : 0;
    ferr(d, file, 1, 1, "the header splits into %zu field%s on '%s'; on '%s' it gives the %zu "
         "fields %s: declare %s on <dataset id='%s'>", got, got == 1 ? "" : "s",
         rg_csv_sep_name(declared), name, h[best].nfields, list, hint, ds->id);
    return 0;
}

/* Fills ds's records from its CSV file, written as dl says (dl->semicolon
 * is set here). fnodes[i] is the <field> of field i (for diagnostics). */
static void load_csv(dbuild *d, xmlNodePtr n, rg_dataset *ds, xmlNodePtr *fnodes, dialect *dl)
{
    char *data = NULL, why[300], msg[800];
    size_t len = 0;
    rg_arena *ta = rg_arena_new();   /* the parsed CSV; only used cells are kept */
    rg_csv csv;
    int *colof = rg_xcalloc(ds->nfields, sizeof *colof);
    const char *file = data_file_name(d, ds->src);

    if (rg_read_beside(d->ctx, d->doc->base_dir, ds->src, RG_MAX_INPUT_BYTES, &data, &len, why,
                       sizeof why) < 0) {
        derr(d, n, "cannot read data file '%s': %s", ds->src, why);
        goto done;
    }
    char sep = find_separator(d, ds, dl, file, data, len, ta);
    if (!sep) goto done;
    dl->semicolon = !dl->sep && sep == ';';
    if (rg_csv_parse(d->ctx, file, data, len, sep, ta, &csv) != RG_OK) {
        d->bad = 1;
        goto done;
    }
    if (csv.nrows == 0) {
        ferr(d, file, 1, 1, "empty data file: the first row must name the columns");
        goto done;
    }
    const rg_csv_row *head = &csv.rows[0];
    char split[40] = "";
    if (sep != ',') snprintf(split, sizeof split, ", split on '%s',", rg_csv_sep_name(sep));
    for (size_t f = 0; f < ds->nfields; f++) {
        size_t c = 0;
        while (c < head->nfields && strcmp(head->fields[c], ds->fields[f].name) != 0) c++;
        colof[f] = (int)c;
        if (c == head->nfields)
            derr(d, fnodes[f], "field '%s' is not a column of '%s' (its first row%s names the "
                 "columns)", ds->fields[f].name, ds->src, split);
    }
    if (d->bad) goto done;
    ds->nrecords = csv.nrows - 1;
    if (ds->nrecords > RG_MAX_RECORDS || ds->nrecords * ds->nfields > RG_MAX_VALUES) {
        derr(d, n, "'%s' has %zu records of %zu fields; the limits are %d records and %d "
             "values", ds->src, ds->nrecords, ds->nfields, RG_MAX_RECORDS, RG_MAX_VALUES);
        ds->nrecords = 0;
        goto done;
    }
    ds->values = rg_arena_alloc(d->a, (ds->nrecords * ds->nfields + 1) * sizeof *ds->values);
    for (size_t r = 0; r < ds->nrecords; r++) {
        const rg_csv_row *row = &csv.rows[r + 1];
        for (size_t f = 0; f < ds->nfields; f++) {
            rg_value *v = &ds->values[r * ds->nfields + f];
            size_t c = (size_t)colof[f];
            const char *cell = c < row->nfields ? row->fields[c] : "";
            rg_num_status st = parse_value(&ds->fields[f], &dl->fmt,
                                           rg_arena_strdup(d->a, cell), v);
            if (st == RG_NUM_OK) continue;
            if (may_report(d, file)) {
                int line, col;
                field_pos(data, len, sep, row->line, c, &line, &col);
                value_error(ds, dl, &ds->fields[f], cell, st, msg, sizeof msg);
                ferr(d, file, line, col, "%s", msg);
            }
        }
    }
done:
    free(colof);
    free(data);
    rg_arena_free(ta);
}

/* ---- inline records ---- */

static void load_records(dbuild *d, xmlNodePtr n, rg_dataset *ds, const dialect *dl)
{
    char msg[800];
    size_t nrec = count_children(n, "record");
    if (ds->src) {
        if (nrec)
            derr(d, n, "dataset '%s' reads '%s'; it takes no <record> as well", ds->id, ds->src);
        return;
    }
    if (nrec > RG_MAX_RECORDS || nrec * ds->nfields > RG_MAX_VALUES) {
        derr(d, n, "dataset '%s' has %zu records of %zu fields; the limits are %d records and "
             "%d values", ds->id, nrec, ds->nfields, RG_MAX_RECORDS, RG_MAX_VALUES);
        return;
    }
    ds->values = rg_arena_alloc(d->a, (nrec * ds->nfields + 1) * sizeof *ds->values);
    ds->nrecords = nrec;
    size_t r = 0;
    for (xmlNodePtr rec = n->children; rec; rec = rec->next) {
        if (!is_name(rec, "record")) continue;
        size_t nv = count_children(rec, "value");
        if (nv != ds->nfields) {
            derr(d, rec, "this record has %zu value%s; dataset '%s' has %zu field%s", nv,
                 nv == 1 ? "" : "s", ds->id, ds->nfields, ds->nfields == 1 ? "" : "s");
            r++;
            continue;
        }
        size_t f = 0;
        for (xmlNodePtr c = rec->children; c; c = c->next) {
            if (!is_name(c, "value")) continue;
            char *text = rg_xml_text(d->a, c);
            rg_value *v = &ds->values[r * ds->nfields + f];
            rg_num_status st = parse_value(&ds->fields[f], &dl->fmt, text, v);
            if (st != RG_NUM_OK && may_report(d, d->doc->path)) {
                value_error(ds, dl, &ds->fields[f], text, st, msg, sizeof msg);
                derr(d, c, "%s", msg);
            }
            f++;
        }
        r++;
    }
}

/* ---- datasets ---- */

static const rg_dataset *find_dataset(const rg_doc *doc, const char *id)
{
    for (size_t i = 0; id && i < doc->ndatasets; i++)
        if (strcmp(doc->datasets[i].id, id) == 0) return &doc->datasets[i];
    return NULL;
}

static rg_field_type field_type(const char *t)
{
    if (!t || strcmp(t, "text") == 0) return RG_FIELD_TEXT;
    if (strcmp(t, "number") == 0) return RG_FIELD_NUMBER;
    if (strcmp(t, "percent") == 0) return RG_FIELD_PERCENT;
    if (strcmp(t, "euro") == 0) return RG_FIELD_EURO;
    return RG_FIELD_DATE;          /* the schema allows nothing else */
}

static void load_fields(dbuild *d, xmlNodePtr n, rg_dataset *ds, xmlNodePtr *fnodes)
{
    size_t k = 0;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (!is_name(c, "field")) continue;
        rg_field *f = &ds->fields[k];
        f->name = rg_xml_attr(d->a, c, "name");
        if (!f->name) f->name = "";
        f->label = rg_xml_attr(d->a, c, "label");
        if (!f->label) f->label = f->name;
        f->type = field_type(rg_xml_attr(d->a, c, "type"));
        f->decimals = attr_decimals(d, c);
        f->unit = rg_xml_attr(d->a, c, "unit");
        for (size_t j = 0; j < k; j++)
            if (strcmp(ds->fields[j].name, f->name) == 0)
                derr(d, c, "field '%s' is declared twice in dataset '%s' (first on line %d)",
                     f->name, ds->id, rg_xml_line(fnodes[j]));
        if (f->unit && f->type != RG_FIELD_EURO && f->type != RG_FIELD_NUMBER)
            derr(d, c, "unit= is for euro and number fields, not %s", type_name(f->type));
        fnodes[k++] = c;
    }
}

/* dialect=, separator=, decimal= and grouping= (enumerations the schema
 * validated) into dl. */
static void load_dialect(dbuild *d, xmlNodePtr n, const rg_dataset *ds, dialect *dl)
{
    char *named = rg_xml_attr(d->a, n, "dialect");
    char *separator = rg_xml_attr(d->a, n, "separator");
    char *decimal = rg_xml_attr(d->a, n, "decimal");
    char *grouping = rg_xml_attr(d->a, n, "grouping");
    rg_numfmt *fmt = &dl->fmt;

    memset(dl, 0, sizeof *dl);
    dl->named = named != NULL;
    if (named && strcmp(named, "nl") == 0) {
        *fmt = (rg_numfmt){ ',', '.', 1 };
        dl->sep = ';';
    } else if (named) {                                  /* "c" */
        *fmt = (rg_numfmt){ '.', 0, 1 };
        dl->sep = ',';
    }
    if (separator) {
        dl->sep = strcmp(separator, "tab") == 0 ? '\t' : separator[0];
        if (!ds->src) derr(d, n, "separator= is for a dataset read from a CSV file (src=)");
    }
    if (decimal) {
        fmt->decimal = decimal[0];
        fmt->declared = 1;
    }
    if (grouping) {
        fmt->grouping = strcmp(grouping, "none") == 0 ? 0 : grouping[0];
        fmt->declared = 1;
        if (!fmt->decimal && fmt->grouping) fmt->decimal = fmt->grouping == '.' ? ',' : '.';
    }
    if (fmt->grouping && fmt->grouping == fmt->decimal)
        derr(d, n, "the decimal mark and the digit grouping mark are both '%c'%s: give "
             "grouping=\"%s\" or grouping=\"none\"", fmt->decimal,
             named ? " (dialect= sets one of them)" : "", fmt->decimal == '.' ? "," : ".");
}

static void load_dataset(dbuild *d, xmlNodePtr n, rg_dataset *ds)
{
    dialect dl;
    ds->id = rg_xml_attr(d->a, n, "id");
    if (!ds->id) ds->id = "";
    ds->src = rg_xml_attr(d->a, n, "src");
    ds->note = rg_xml_attr(d->a, n, "note");
    ds->illustrative = attr_bool(d, n, "illustrative", 0);
    ds->line = rg_xml_line(n);
    ds->nfields = count_children(n, "field");
    if (ds->nfields == 0 || ds->nfields > RG_CSV_MAX_FIELDS) {
        derr(d, n, "dataset '%s' has %zu fields; give 1 to %d", ds->id, ds->nfields,
             RG_CSV_MAX_FIELDS);
        ds->nfields = 0;
        return;
    }
    ds->fields = rg_arena_alloc(d->a, ds->nfields * sizeof *ds->fields);
    xmlNodePtr *fnodes = rg_xcalloc(ds->nfields, sizeof *fnodes);
    int before = d->bad;
    d->bad = 0;
    load_fields(d, n, ds, fnodes);
    load_dialect(d, n, ds, &dl);
    if (!d->bad) {
        d->ndiags = 0;
        if (ds->src) load_csv(d, n, ds, fnodes, &dl);
        load_records(d, n, ds, &dl);  /* checks that a CSV dataset has none */
    }
    d->bad |= before;
    free(fnodes);
}

int rg_load_datasets(rg_ctx *ctx, rg_doc *doc, xmlNodePtr data)
{
    dbuild d = { ctx, doc, doc->arena, 0, 0 };
    size_t n = count_children(data, "dataset");
    if (n > RG_MAX_DATASETS) {
        derr(&d, data, "%zu datasets; the limit is %d", n, RG_MAX_DATASETS);
        return -1;
    }
    doc->datasets = rg_arena_alloc(d.a, (n + 1) * sizeof *doc->datasets);
    doc->ndatasets = 0;
    for (xmlNodePtr c = data->children; c; c = c->next) {
        if (!is_name(c, "dataset")) continue;
        rg_dataset *ds = &doc->datasets[doc->ndatasets];
        load_dataset(&d, c, ds);
        const rg_dataset *prev = find_dataset(doc, ds->id);
        if (prev)
            derr(&d, c, "duplicate dataset id '%s' (first used on line %d)", ds->id, prev->line);
        doc->ndatasets++;
    }
    return d.bad ? -1 : 0;
}

/* ---- fields of a dataset, by name ---- */

/* The dataset named by n's data= attribute, or NULL after an error. */
static const rg_dataset *dataset_of(dbuild *d, xmlNodePtr n)
{
    char *id = rg_xml_attr(d->a, n, "data");
    const rg_dataset *ds = find_dataset(d->doc, id);
    if (!ds) {
        if (d->doc->ndatasets == 0)
            derr(d, n, "unknown dataset '%s' (the definition has no <data>)", id ? id : "");
        else
            derr(d, n, "unknown dataset '%s' (see <data>)", id ? id : "");
    }
    return ds;
}

/* Index of field `name` in ds, or -1 after an error naming attribute what. */
static int field_index(dbuild *d, xmlNodePtr n, const rg_dataset *ds, const char *what,
                       const char *name)
{
    for (size_t i = 0; name && i < ds->nfields; i++)
        if (strcmp(ds->fields[i].name, name) == 0) return (int)i;
    derr(d, n, "%s: dataset '%s' has no field '%s'", what, ds->id, name ? name : "");
    return -1;
}

/* The same, for a field that must hold numbers. */
static int numeric_field(dbuild *d, xmlNodePtr n, const rg_dataset *ds, const char *what,
                         const char *name)
{
    int i = field_index(d, n, ds, what, name);
    if (i >= 0 && !is_numeric(&ds->fields[i])) {
        derr(d, n, "%s: field '%s' is %s; it must be a number, percent or euro field", what,
             name, type_name(ds->fields[i].type));
        return -1;
    }
    return i;
}

/* ---- tables ---- */

static rg_colalign col_align(const char *v)
{
    if (!v || strcmp(v, "auto") == 0) return RG_COLALIGN_AUTO;
    if (strcmp(v, "left") == 0) return RG_COLALIGN_LEFT;
    if (strcmp(v, "right") == 0) return RG_COLALIGN_RIGHT;
    if (strcmp(v, "center") == 0) return RG_COLALIGN_CENTER;
    return RG_COLALIGN_DECIMAL;
}

static void load_column(dbuild *d, xmlNodePtr n, const rg_dataset *ds, rg_column *col)
{
    char *width = rg_xml_attr(d->a, n, "width");
    char *min_field = rg_xml_attr(d->a, n, "min-field");

    col->field = field_index(d, n, ds, "field", rg_xml_attr(d->a, n, "field"));
    col->label = rg_xml_attr(d->a, n, "label");
    if (!col->label && col->field >= 0) col->label = ds->fields[col->field].label;
    col->group = rg_xml_attr(d->a, n, "group");
    col->align = col_align(rg_xml_attr(d->a, n, "align"));
    col->decimals = attr_decimals(d, n);
    col->merge = attr_bool(d, n, "merge", 0);
    col->total = attr_bool(d, n, "total", 0);
    col->has_min = attr_num(d, n, "min", &col->min);
    col->min_field = min_field ? numeric_field(d, n, ds, "min-field", min_field) : -1;
    if (width && (rg_parse_length(width, &col->width) < 0 || col->width <= 0))
        derr(d, n, "width=\"%s\": give a length above 0 with pt, mm, cm or in", width);
    if (attr_num(d, n, "share", &col->share) && col->share <= 0)
        derr(d, n, "share= must be more than 0");
    if (width && col->share > 0) derr(d, n, "give either width= or share=, not both");
    if (col->has_min && min_field) derr(d, n, "give either min= or min-field=, not both");
    if (col->field < 0) return;
    const rg_field *f = &ds->fields[col->field];
    if ((col->has_min || min_field || col->total) && !is_numeric(f))
        derr(d, n, "column '%s' is %s: min=, min-field= and total= need a number, percent or "
             "euro field", f->name, type_name(f->type));
    if (col->total && f->type == RG_FIELD_PERCENT)
        derr(d, n, "column '%s': percentages cannot be added up (total=\"true\")", f->name);
}

/* exact decimals (issue 17): every total of t is summed exactly here, so
 * that a sum beyond what an rg_dec holds is an error at the table's line
 * (layout then formats sums that are known to fit). */
static void check_total_sums(dbuild *d, xmlNodePtr n, const rg_table *t)
{
    for (size_t c = 0; t->totals && c < t->ncols; c++) {
        const rg_column *col = &t->cols[c];
        rg_dec sum;
        size_t bad = 0;
        if (!col->total || rg_dec_sum_field(t->data, col->field, NULL, 0, &sum, &bad) == 0)
            continue;
        derr(d, n, "the total of column '%s' (dataset '%s') cannot be computed exactly: adding "
             "record %zu ('%s') takes it beyond 2^63 - 1 units of its last decimal; "
             "use a larger unit or fewer decimals", t->data->fields[col->field].name,
             t->data->id, bad + 1, t->data->values[bad * t->data->nfields +
                                                    (size_t)col->field].text);
    }
}

int rg_load_table(rg_ctx *ctx, const rg_doc *doc, xmlNodePtr n, const rg_table **out)
{
    dbuild d = { ctx, doc, doc->arena, 0, 0 };
    rg_table *t = rg_arena_alloc(d.a, sizeof *t);
    int any_total = 0;

    *out = NULL;
    t->data = dataset_of(&d, n);
    if (!t->data) return -1;
    t->totals = attr_bool(&d, n, "totals", 0);
    t->total_label = rg_xml_attr(d.a, n, "total-label");
    if (!t->total_label) t->total_label = "Totaal";
    t->ncols = count_children(n, "column");
    if (t->data->nrecords > RG_MAX_TABLE_ROWS || t->ncols > RG_MAX_TABLE_COLS) {
        derr(&d, n, "table of dataset '%s' has %zu rows and %zu columns; the limits are %d "
             "rows and %d columns per table (a table is read by people: split it, or "
             "summarise the data)", t->data->id, t->data->nrecords, t->ncols,
             RG_MAX_TABLE_ROWS, RG_MAX_TABLE_COLS);
        return -1;
    }
    t->cols = rg_arena_alloc(d.a, (t->ncols + 1) * sizeof *t->cols);
    size_t k = 0;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (!is_name(c, "column")) continue;
        load_column(&d, c, t->data, &t->cols[k]);
        any_total |= t->cols[k].total;
        if (t->cols[k].total && !t->totals && !attr_bool(&d, n, "subtotals", 0))  /* issue 17 */
            derr(&d, c, "total=\"true\" needs totals=\"true\" on the <table>");
        k++;
    }
    if (t->totals && !any_total)
        derr(&d, n, "totals=\"true\", but no column has total=\"true\"");
    if (!d.bad) check_total_sums(&d, n, t);
    if (!d.bad && rg_load_table_rows(ctx, doc, n, t) < 0) d.bad = 1;   /* issue 17 */
    if (d.bad) return -1;
    *out = t;
    return 0;
}

/* ---- charts ---- */

static rg_chart_type chart_type(const char *v)
{
    static const char *names[] = { "bar", "grouped", "stacked", "line", "pie", "donut" };
    for (size_t i = 0; v && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(v, names[i]) == 0) return (rg_chart_type)i;
    return RG_CHART_BAR;
}

/* A list of field names (series=, lines=, axis2=) into out[], *n fields;
 * duplicates within the list are errors. */
static void load_field_list(dbuild *d, xmlNodePtr n, const rg_chart *c, const char *attr,
                            int *out, size_t *count)
{
    char *list = rg_xml_attr(d->a, n, attr);
    char *save = NULL;
    for (char *name = list ? strtok_r(list, " \t\r\n", &save) : NULL; name;
         name = strtok_r(NULL, " \t\r\n", &save)) {
        if (*count == RG_MAX_SERIES) {
            derr(d, n, "%s: at most %d fields", attr, RG_MAX_SERIES);
            return;
        }
        int i = numeric_field(d, n, c->data, attr, name);
        for (size_t j = 0; i >= 0 && j < *count; j++)
            if (out[j] == i) derr(d, n, "%s: field '%s' is named twice", attr, name);
        out[(*count)++] = i;
    }
}

static int in_list(const int *list, size_t n, int field)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == field) return 1;
    return 0;
}

static const char *field_name_of(const rg_chart *c, int field)
{
    return field >= 0 ? c->data->fields[field].name : "?";
}

/* lines= and axis2=: combination charts and the second value axis. */
static void check_lines(dbuild *d, xmlNodePtr n, const rg_chart *c, const char *tn)
{
    int bars = c->type == RG_CHART_BAR || c->type == RG_CHART_GROUPED ||
               c->type == RG_CHART_STACKED;
    if (c->nlines && (!bars || c->horizontal))
        derr(d, n, "lines= draws lines over the bars of a vertical bar, grouped or stacked "
             "chart, not a %s%s chart", c->horizontal && bars ? "horizontal " : "", tn);
    if (c->nseries + c->nlines > RG_MAX_SERIES)
        derr(d, n, "series= and lines= name %zu fields together; the limit is %d",
             c->nseries + c->nlines, RG_MAX_SERIES);
    for (size_t i = 0; i < c->nlines; i++)
        if (c->lines[i] >= 0 && in_list(c->series, c->nseries, c->lines[i]))
            derr(d, n, "field '%s' is in both series= and lines=", field_name_of(c, c->lines[i]));
    if (!c->naxis2) {
        if (c->axis2_title) derr(d, n, "axis2-title= needs axis2=");
        return;
    }
    if ((c->horizontal && bars) || !(bars || c->type == RG_CHART_LINE)) {
        derr(d, n, "axis2= is for vertical bar, grouped, stacked and line charts, not a %s%s "
             "chart", c->horizontal && bars ? "horizontal " : "", tn);
        return;
    }
    const int *drawn = bars ? c->lines : c->series;
    size_t ndrawn = bars ? c->nlines : c->nseries;
    for (size_t i = 0; i < c->naxis2; i++)
        if (c->axis2[i] >= 0 && !in_list(drawn, ndrawn, c->axis2[i]))
            derr(d, n, "axis2: field '%s' is not drawn as a line (name it in %s=)",
                 field_name_of(c, c->axis2[i]), bars ? "lines" : "series");
    if (!bars && c->naxis2 >= c->nseries)
        derr(d, n, "axis2= names every series; at least one stays on the first axis");
}

/* A value of field f that a log axis cannot show, or -1. */
static long first_not_positive(const rg_dataset *ds, int f)
{
    for (size_t r = 0; f >= 0 && r < ds->nrecords; r++) {
        const rg_value *v = &ds->values[r * ds->nfields + (size_t)f];
        if (!v->missing && !(v->num > 0)) return (long)r;
    }
    return -1;
}

static void check_log_field(dbuild *d, xmlNodePtr n, const rg_chart *c, int f)
{
    long r = first_not_positive(c->data, f);
    if (r < 0) return;
    const rg_value *v = &c->data->values[(size_t)r * c->data->nfields + (size_t)f];
    derr(d, n, "a logarithmic axis cannot show the value %s of field '%s' (record %ld of "
         "dataset '%s'): only values above zero", v->text, field_name_of(c, f), r + 1,
         c->data->id);
}

/* scale="log": positive values, limits and norms only. */
static void check_log(dbuild *d, xmlNodePtr n, const rg_chart *c, const char *tn)
{
    if (c->scale != RG_SCALE_LOG) return;
    if (c->type == RG_CHART_STACKED || c->type == RG_CHART_PIE || c->type == RG_CHART_DONUT) {
        derr(d, n, "a %s chart cannot use a logarithmic axis%s", tn,
             c->type == RG_CHART_STACKED ? " (a stack does not add up on it)" : "");
        return;
    }
    for (size_t i = 0; i < c->nseries; i++) check_log_field(d, n, c, c->series[i]);
    for (size_t i = 0; i < c->nlines; i++) check_log_field(d, n, c, c->lines[i]);
    check_log_field(d, n, c, c->reference);
    if (c->has_ref_value && !(c->ref_value > 0))
        derr(d, n, "ref-value=%g is not above zero: a logarithmic axis cannot show it",
             c->ref_value);
    if (c->has_axis_min && !(c->axis_min > 0))
        derr(d, n, "axis-min=%g is not above zero: a logarithmic axis starts above zero",
             c->axis_min);
    if (c->has_axis_max && !(c->axis_max > 0))
        derr(d, n, "axis-max=%g is not above zero: a logarithmic axis ends above zero",
             c->axis_max);
}

/* Attributes of the axes and lines that pie and donut charts do not have. */
static void check_round(dbuild *d, xmlNodePtr n, const rg_chart *c, const char *tn)
{
    if (c->reference >= 0 || c->has_ref_value || c->has_axis_min || c->has_axis_max)
        derr(d, n, "a %s chart has no value axis: reference=, ref-value=, axis-min= and "
             "axis-max= do not apply", tn);
    if (c->value_title || c->category_title)
        derr(d, n, "a %s chart has no axes: value-title= and category-title= do not apply", tn);
    if (c->markers != RG_MARKERS_AUTO)
        derr(d, n, "a %s chart has no lines: markers= does not apply", tn);
}

/* Rules per chart type that the schema cannot state. */
static void check_chart(dbuild *d, xmlNodePtr n, const rg_chart *c)
{
    static const char *names[] = { "bar", "grouped", "stacked", "line", "pie", "donut" };
    const char *tn = names[c->type];
    int one = c->type == RG_CHART_BAR || c->type == RG_CHART_PIE || c->type == RG_CHART_DONUT;
    int round = c->type == RG_CHART_PIE || c->type == RG_CHART_DONUT;

    if (c->nseries == 0) derr(d, n, "series: name at least one field");
    else if (one && c->nseries != 1)
        derr(d, n, "a %s chart shows exactly one series; series= names %zu fields%s", tn,
             c->nseries, c->type == RG_CHART_BAR ? " (use type=\"grouped\" or \"stacked\")" : "");
    if (c->has_axis_min && c->has_axis_max && !(c->axis_min < c->axis_max))
        derr(d, n, "axis-min (%g) must be less than axis-max (%g)", c->axis_min, c->axis_max);
    if (round) check_round(d, n, c, tn);
    if (c->ref_label && c->reference < 0 && !c->has_ref_value)
        derr(d, n, "ref-label= needs reference= or ref-value=");
    if (c->lower_is_better && c->reference < 0 && !c->has_ref_value)
        derr(d, n, "better=\"lower\" needs reference= or ref-value=");
    if (c->markers != RG_MARKERS_AUTO && !round && c->type != RG_CHART_LINE && !c->nlines)
        derr(d, n, "markers= is for line charts and lines=; this %s chart draws no line", tn);
    check_lines(d, n, c, tn);
    check_log(d, n, c, tn);
    if (!round || c->nseries != 1 || c->series[0] < 0) return;
    const rg_dataset *ds = c->data;
    for (size_t r = 0; r < ds->nrecords; r++) {
        const rg_value *v = &ds->values[r * ds->nfields + (size_t)c->series[0]];
        if (!v->missing && v->num < 0) {
            derr(d, n, "a %s chart cannot show the negative value %s of field '%s' (record %zu "
                 "of dataset '%s')", tn, v->text, ds->fields[c->series[0]].name, r + 1, ds->id);
            return;
        }
    }
}

int rg_load_chart(rg_ctx *ctx, const rg_doc *doc, xmlNodePtr n, const rg_chart **out)
{
    dbuild d = { ctx, doc, doc->arena, 0, 0 };
    rg_chart *c = rg_arena_alloc(d.a, sizeof *c);
    char *orient = rg_xml_attr(d.a, n, "orientation");
    char *ref = rg_xml_attr(d.a, n, "reference");
    char *height = rg_xml_attr(d.a, n, "height");

    *out = NULL;
    c->data = dataset_of(&d, n);
    if (!c->data) return -1;
    c->type = chart_type(rg_xml_attr(d.a, n, "type"));
    c->horizontal = orient && strcmp(orient, "horizontal") == 0;
    c->category = field_index(&d, n, c->data, "category", rg_xml_attr(d.a, n, "category"));
    load_field_list(&d, n, c, "series", c->series, &c->nseries);
    load_field_list(&d, n, c, "lines", c->lines, &c->nlines);
    load_field_list(&d, n, c, "axis2", c->axis2, &c->naxis2);
    c->scale = attr_is(&d, n, "scale", "log") ? RG_SCALE_LOG : RG_SCALE_LINEAR;
    c->lower_is_better = attr_is(&d, n, "better", "lower");
    c->markers = attr_is(&d, n, "markers", "all") ? RG_MARKERS_ALL
               : attr_is(&d, n, "markers", "none") ? RG_MARKERS_NONE : RG_MARKERS_AUTO;
    c->value_title = rg_xml_attr(d.a, n, "value-title");
    c->category_title = rg_xml_attr(d.a, n, "category-title");
    c->axis2_title = rg_xml_attr(d.a, n, "axis2-title");
    c->reference = ref ? numeric_field(&d, n, c->data, "reference", ref) : -1;
    c->has_ref_value = attr_num(&d, n, "ref-value", &c->ref_value);
    c->ref_label = rg_xml_attr(d.a, n, "ref-label");
    c->has_axis_min = attr_num(&d, n, "axis-min", &c->axis_min);
    c->has_axis_max = attr_num(&d, n, "axis-max", &c->axis_max);
    c->id = rg_xml_attr(d.a, n, "id");
    if (height && (rg_parse_length(height, &c->height) < 0 || c->height <= 0))
        derr(&d, n, "height=\"%s\": give a length above 0 with pt, mm, cm or in", height);
    for (xmlNodePtr k = n->children; k; k = k->next) {
        if (is_name(k, "title")) c->title = rg_xml_text(d.a, k);
        else if (is_name(k, "alt")) c->alt = rg_xml_text(d.a, k);
    }
    if (!c->alt || !c->alt[0])
        derr(&d, n, "a chart needs an <alt> text that says what it shows (for screen readers)");
    size_t drawn = c->nseries + c->nlines;
    if (c->data->nrecords * drawn > RG_MAX_CHART_POINTS)
        derr(&d, n, "chart of dataset '%s' has %zu points (%zu records x %zu series); the "
             "limit is %d points per chart", c->data->id, c->data->nrecords * drawn,
             c->data->nrecords, drawn, RG_MAX_CHART_POINTS);
    if (!d.bad) check_chart(&d, n, c);
    if (d.bad) return -1;
    *out = c;
    return 0;
}
