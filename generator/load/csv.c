/* load/csv.c - the RFC 4180 CSV reader (see load/csv.h). Stage: load. Owns nothing
 * past the call: rows and fields go to the caller's arena, the scratch
 * buffers used while reading are freed before returning.
 *
 * One forward pass over the bytes (linear time, no recursion), validating
 * UTF-8 and refusing NUL and the control characters and noncharacters a
 * definition may not hold either (load/chars.h) as it goes, so the first problem in file order is
 * the one reported. Line breaks are LF, CRLF or a lone CR, both between
 * records and inside quoted fields (where they are kept verbatim). Columns
 * in diagnostics count characters (UTF-8 sequences) from 1; a UTF-8 BOM is
 * skipped and not counted. Empty lines at the very end of the file are not
 * records; an empty line elsewhere is a record with one empty field. The
 * separator is the caller's (',', ';' or tab); rg_csv_header reads just the
 * first record with it, quietly, so the caller can find which one a file
 * uses (load/data.c). */
#include "csv.h"
#include "chars.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    rg_ctx *ctx;
    const char *path;
    const unsigned char *d;
    size_t len, pos;
    int line, col;                 /* of d[pos] */
    char *buf;                     /* unescaped quoted field (scratch) */
    size_t buf_len, buf_cap;
    char sep;                      /* the field separator */
    int quiet;                     /* no diagnostics (rg_csv_header) */
} reader;

static void rerr(reader *r, int line, int col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* A diagnostic at line:col of the file, unless the reader is quiet. */
static void rerr(reader *r, int line, int col, const char *fmt, ...)
{
    char msg[300];
    va_list ap;
    if (r->quiet) return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rg_diag(r->ctx, RG_SEV_ERROR, r->path, line, col, "%s", msg);
}

static void next_line(reader *r)
{
    if (r->line < INT_MAX) r->line++;
    r->col = 1;
}

static void next_col(reader *r)
{
    if (r->col < INT_MAX) r->col++;
}

/* Consumes a line break (LF, CRLF or CR) at pos; returns its length in bytes. */
static size_t take_break(reader *r)
{
    size_t n = r->d[r->pos] == '\r' && r->pos + 1 < r->len && r->d[r->pos + 1] == '\n' ? 2 : 1;
    r->pos += n;
    next_line(r);
    return n;
}

/* Checks the character at pos (neither quote, separator nor line break) and
 * returns its length, or 0 after reporting why it is refused. */
static size_t take_char(reader *r)
{
    unsigned char c = r->d[r->pos];
    if (c == 0) {
        rerr(r, r->line, r->col, "NUL byte in CSV data");
        return 0;
    }
    size_t n = rg_utf8_valid_len(r->d + r->pos, r->len - r->pos);
    if (n == 0) {
        rerr(r, r->line, r->col,
                "invalid UTF-8 (byte 0x%02X); save the file as UTF-8", c);
        return 0;
    }
    uint32_t code = rg_utf8_code(r->d + r->pos, n);
    const char *refusal = rg_char_refusal(code);
    if (refusal) {
        rerr(r, r->line, r->col,
                "%s U+%04X in CSV data (a report cannot show it)", refusal, (unsigned)code);
        return 0;
    }
    r->pos += n;
    next_col(r);
    return n;
}

static void buf_add(reader *r, const unsigned char *s, size_t n)
{
    rg_grow(&r->buf, &r->buf_cap, r->buf_len + n, 1);
    memcpy(r->buf + r->buf_len, s, n);
    r->buf_len += n;
}

/* Reads a quoted field, pos at the opening quote. Returns 0 or -1. */
static int quoted_field(reader *r)
{
    int open_line = r->line, open_col = r->col;
    r->pos++;
    next_col(r);
    r->buf_len = 0;
    for (;;) {
        if (r->pos >= r->len) {
            rerr(r, open_line, open_col,
                    "quoted field is not closed (a '\"' is missing)");
            return -1;
        }
        unsigned char c = r->d[r->pos];
        if (c == '"') {
            if (r->pos + 1 < r->len && r->d[r->pos + 1] == '"') {
                buf_add(r, r->d + r->pos, 1);
                r->pos += 2;
                next_col(r);
                next_col(r);
                continue;
            }
            r->pos++;
            next_col(r);
            break;
        }
        if (c == '\r' || c == '\n') {
            size_t start = r->pos;
            size_t n = take_break(r);
            buf_add(r, r->d + start, n);
            continue;
        }
        size_t start = r->pos;
        size_t n = take_char(r);
        if (n == 0) return -1;
        buf_add(r, r->d + start, n);
    }
    if (r->pos < r->len) {
        unsigned char c = r->d[r->pos];
        if (c != r->sep && c != '\r' && c != '\n') {
            rerr(r, r->line, r->col,
                    "text after the closing quote of a field; double a '\"' inside a quoted field");
            return -1;
        }
    }
    return 0;
}

/* Reads an unquoted field from pos; *start and *n give its bytes. */
static int plain_field(reader *r, size_t *start, size_t *n)
{
    *start = r->pos;
    while (r->pos < r->len) {
        unsigned char c = r->d[r->pos];
        if (c == r->sep || c == '\r' || c == '\n') break;
        if (c == '"') {
            rerr(r, r->line, r->col,
                    "'\"' inside an unquoted field; quote the whole field and double the '\"'");
            return -1;
        }
        if (take_char(r) == 0) return -1;
    }
    *n = r->pos - *start;
    return 0;
}

/* Reads records into out (at most max_records), everything allocated in
 * arena. Returns 0, or -1 after reporting the first problem. */
static int read_records(reader *r, size_t max_records, rg_arena *arena, rg_csv *out)
{
    int rc = -1;
    const char *data = (const char *)r->d;
    const char **fields = NULL;    /* the current record's fields (scratch) */
    size_t fields_cap = 0;
    rg_csv_row *rows = NULL;       /* scratch; copied to the arena at the end */
    size_t nrows = 0, rows_cap = 0;

    out->rows = NULL;
    out->nrows = 0;
    if (r->len >= 3 && memcmp(r->d, "\xEF\xBB\xBF", 3) == 0) r->pos = 3;

    /* empty lines at the end are not records */
    size_t content_end = r->len;
    while (content_end > r->pos && (r->d[content_end - 1] == '\n' || r->d[content_end - 1] == '\r'))
        content_end--;

    while (r->pos < content_end && nrows < max_records) {
        int rec_line = r->line;
        size_t nf = 0;
        for (;;) {
            const char *text;
            if (nf == RG_CSV_MAX_FIELDS) {
                rerr(r, r->line, r->col, "more than %d fields in a record", RG_CSV_MAX_FIELDS);
                goto fail;
            }
            if (r->pos < r->len && r->d[r->pos] == '"') {
                if (quoted_field(r) < 0) goto fail;
                text = rg_arena_strndup(arena, r->buf ? r->buf : "", r->buf_len);
            } else {
                size_t start, n;
                if (plain_field(r, &start, &n) < 0) goto fail;
                text = rg_arena_strndup(arena, data ? data + start : "", n);
            }
            rg_grow(&fields, &fields_cap, nf + 1, sizeof *fields);
            fields[nf++] = text;
            if (r->pos < r->len && r->d[r->pos] == r->sep) {
                r->pos++;
                next_col(r);
                continue;
            }
            if (r->pos < r->len) take_break(r);
            break;
        }
        if (nrows > 0 && nf != rows[0].nfields) {
            char on[32] = "";
            if (r->sep != ',')
                snprintf(on, sizeof on, " (separated by '%s')", rg_csv_sep_name(r->sep));
            rerr(r, rec_line, 0, "record has %zu field%s, but the first record (line %d) has %zu%s",
                 nf, nf == 1 ? "" : "s", rows[0].line, rows[0].nfields, on);
            goto fail;
        }
        rg_grow(&rows, &rows_cap, nrows + 1, sizeof *rows);
        rg_csv_row *row = &rows[nrows++];
        row->fields = rg_arena_alloc(arena, nf * sizeof *row->fields);
        memcpy(row->fields, fields, nf * sizeof *fields);
        row->nfields = nf;
        row->line = rec_line;
    }

    if (nrows > 0) {
        out->rows = rg_arena_alloc(arena, nrows * sizeof *rows);
        memcpy(out->rows, rows, nrows * sizeof *rows);
    }
    out->nrows = nrows;
    rc = 0;
fail:
    free(fields);
    free(rows);
    return rc;
}

const char *rg_csv_sep_name(char sep)
{
    return sep == '\t' ? "tab" : sep == ';' ? ";" : ",";
}

rg_status rg_csv_parse(rg_ctx *ctx, const char *path, const char *data, size_t len, char sep,
                       rg_arena *arena, rg_csv *out)
{
    reader r = { ctx, path, (const unsigned char *)data, data ? len : 0, 0, 1, 1, NULL, 0, 0,
                 sep, 0 };
    int rc = read_records(&r, (size_t)-1, arena, out);
    free(r.buf);
    return rc == 0 ? RG_OK : RG_EX_DATAERR;
}

int rg_csv_header(const char *data, size_t len, char sep, rg_arena *arena, rg_csv_row *out)
{
    reader r = { NULL, NULL, (const unsigned char *)data, data ? len : 0, 0, 1, 1, NULL, 0, 0,
                 sep, 1 };
    rg_csv csv;
    int rc = read_records(&r, 1, arena, &csv);
    free(r.buf);
    if (rc < 0 || csv.nrows == 0) return -1;
    *out = csv.rows[0];
    return 0;
}
