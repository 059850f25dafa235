/* test_load_csv.c - the RFC 4180 CSV reader: fields, line numbers, refusals;
 * separators other than ','; and datasets reading CSV files by their
 * dialect (load/data.c): declared separators, decimal marks and digit
 * grouping, the separator found in the header, values that read two ways. */
#include "helpers.h"
#include "load/csv.h"
#include "model/model.h"
#include "test.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

/* Parses data (len bytes, or strlen when len is (size_t)-1). */
static rg_status parse(rg_ctx *ctx, rg_arena *a, const char *data, size_t len, rg_csv *out)
{
    if (len == (size_t)-1) len = strlen(data);
    return rg_csv_parse(ctx, "d.csv", data, len, ',', a, out);
}

static int field_is(const rg_csv *c, size_t row, size_t col, const char *want)
{
    return row < c->nrows && col < c->rows[row].nfields && !strcmp(c->rows[row].fields[col], want);
}

TEST(csv_simple_with_header)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_csv c;
    CHECK(parse(ctx, a, "naam,aantal\nLogius,12\nDigiD,7\n", (size_t)-1, &c) == RG_OK);
    CHECK(c.nrows == 3);
    CHECK(field_is(&c, 0, 0, "naam") && field_is(&c, 0, 1, "aantal"));
    CHECK(field_is(&c, 1, 0, "Logius") && field_is(&c, 1, 1, "12"));
    CHECK(field_is(&c, 2, 0, "DigiD") && field_is(&c, 2, 1, "7"));
    CHECK(c.nrows == 3 && c.rows[0].line == 1 && c.rows[1].line == 2 && c.rows[2].line == 3);
    CHECK(c.nrows == 3 && c.rows[2].nfields == 2);
    CHECK(ctx->errors == 0 && ctx->diag_text == NULL);
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(csv_quoted_fields_and_doubled_quotes)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_csv c;
    CHECK(parse(ctx, a, "a,b,c\n\"x, y\",\"zei \"\"ja\"\"\",\"\"\n\"\"\"\",plain,\"q\"\n", (size_t)-1,
                &c) == RG_OK);
    CHECK(c.nrows == 3);
    CHECK(field_is(&c, 1, 0, "x, y"));
    CHECK(field_is(&c, 1, 1, "zei \"ja\""));
    CHECK(field_is(&c, 1, 2, ""));
    CHECK(field_is(&c, 2, 0, "\""));
    CHECK(field_is(&c, 2, 1, "plain"));
    CHECK(field_is(&c, 2, 2, "q"));
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(csv_embedded_newlines_keep_line_numbers)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_csv c;
    CHECK(parse(ctx, a, "k,v\n1,\"twee\nregels\"\n2,\"drie\r\nregels\nhier\"\n3,x\n", (size_t)-1,
                &c) == RG_OK);
    CHECK(c.nrows == 4);
    CHECK(field_is(&c, 1, 1, "twee\nregels"));
    CHECK(field_is(&c, 2, 1, "drie\r\nregels\nhier"));
    CHECK(field_is(&c, 3, 0, "3") && field_is(&c, 3, 1, "x"));
    CHECK(c.nrows == 4 && c.rows[1].line == 2 && c.rows[2].line == 4 && c.rows[3].line == 7);
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(csv_crlf_bom_and_no_final_newline)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_csv c;
    CHECK(parse(ctx, a, "\xEF\xBB\xBFnaam,bedrag\r\nCaf\xC3\xA9,\xE2\x82\xAC 5\r\nX,1", (size_t)-1,
                &c) == RG_OK);
    CHECK(c.nrows == 3);
    CHECK(field_is(&c, 0, 0, "naam"));                     /* BOM not part of the name */
    CHECK(field_is(&c, 0, 1, "bedrag"));                   /* no CR left */
    CHECK(field_is(&c, 1, 0, "Caf\xC3\xA9") && field_is(&c, 1, 1, "\xE2\x82\xAC 5"));
    CHECK(field_is(&c, 2, 0, "X") && field_is(&c, 2, 1, "1"));
    CHECK(c.nrows == 3 && c.rows[2].line == 3);
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(csv_empty_fields_and_trailing_empty_lines)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_csv c;
    CHECK(parse(ctx, a, "a,b,c\n,,\n1,,3\n,\"\",\n\n\r\n", (size_t)-1, &c) == RG_OK);
    CHECK(c.nrows == 4);
    CHECK(field_is(&c, 1, 0, "") && field_is(&c, 1, 1, "") && field_is(&c, 1, 2, ""));
    CHECK(field_is(&c, 2, 0, "1") && field_is(&c, 2, 1, "") && field_is(&c, 2, 2, "3"));
    CHECK(field_is(&c, 3, 1, ""));
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(csv_empty_input)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_csv c = { (rg_csv_row *)1, 99 };
    CHECK(parse(ctx, a, "", 0, &c) == RG_OK && c.nrows == 0 && c.rows == NULL);
    CHECK(parse(ctx, a, "\xEF\xBB\xBF", 3, &c) == RG_OK && c.nrows == 0);
    CHECK(parse(ctx, a, "\n\n", 2, &c) == RG_OK && c.nrows == 0);
    CHECK(rg_csv_parse(ctx, "d.csv", NULL, 0, ',', a, &c) == RG_OK && c.nrows == 0);
    CHECK(ctx->errors == 0);
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(csv_single_column_and_blank_line_inside)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_csv c;
    CHECK(parse(ctx, a, "x\n1\n\n3\n", (size_t)-1, &c) == RG_OK);
    CHECK(c.nrows == 4 && field_is(&c, 2, 0, "") && field_is(&c, 3, 0, "3"));
    CHECK(c.nrows == 4 && c.rows[3].line == 4);
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(csv_lone_cr_ends_a_line)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_csv c;
    CHECK(parse(ctx, a, "a,b\r1,2\r", (size_t)-1, &c) == RG_OK);
    CHECK(c.nrows == 2 && field_is(&c, 1, 1, "2") && c.rows[1].line == 2);
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

/* A refusal on separator sep: status, and the diagnostic text exactly. */
static void refused_on(const char *data, size_t len, char sep, const char *diag)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_csv c = { (rg_csv_row *)1, 99 };
    if (len == (size_t)-1) len = strlen(data);
    CHECK(rg_csv_parse(ctx, "d.csv", data, len, sep, a, &c) == RG_EX_DATAERR);
    CHECK(c.rows == NULL && c.nrows == 0);
    CHECK(ctx->errors == 1);
    CHECK_STR(ctx->diag_text, diag);
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

/* A refusal of a comma-separated file. */
static void refused(const char *data, size_t len, const char *diag)
{
    refused_on(data, len, ',', diag);
}

TEST(csv_refuses_unterminated_quote)
{
    refused("a,b\n1,2\n3,\"open\n4,5\n", (size_t)-1,
            "d.csv:3:3: error: quoted field is not closed (a '\"' is missing)\n");
}

TEST(csv_refuses_stray_quotes)
{
    refused("a,b\n1,2\n3,ab\"c\"\n", (size_t)-1,
            "d.csv:3:5: error: '\"' inside an unquoted field; quote the whole field and "
            "double the '\"'\n");
    refused("a,b\n\"1\"x,2\n", (size_t)-1,
            "d.csv:2:4: error: text after the closing quote of a field; double a '\"' inside "
            "a quoted field\n");
    refused("a,b\n\"x\ny\" ,2\n", (size_t)-1,
            "d.csv:3:3: error: text after the closing quote of a field; double a '\"' inside "
            "a quoted field\n");
}

TEST(csv_refuses_field_count_mismatch)
{
    refused("a,b\n1,2\n\"x\ny\",2\n1,2,3\n", (size_t)-1,
            "d.csv:5: error: record has 3 fields, but the first record (line 1) has 2\n");
    refused("a,b\n1\n", (size_t)-1,
            "d.csv:2: error: record has 1 field, but the first record (line 1) has 2\n");
    refused("a,b\n1,2\n   \n3,4\n", (size_t)-1,
            "d.csv:3: error: record has 1 field, but the first record (line 1) has 2\n");
    refused("a,b\n1,2\n\n3,4\n", (size_t)-1,
            "d.csv:3: error: record has 1 field, but the first record (line 1) has 2\n");
}

TEST(csv_refuses_invalid_utf8)
{
    refused("a,b\nCaf\xC3\xA9,\xE9t\xE9\n", (size_t)-1,
            "d.csv:2:6: error: invalid UTF-8 (byte 0xE9); save the file as UTF-8\n");
    refused("a\n\"x\ny\xC3\"\n", (size_t)-1,          /* cut short inside quotes */
            "d.csv:3:2: error: invalid UTF-8 (byte 0xC3); save the file as UTF-8\n");
    refused("a\n\xC0\xAF\n", (size_t)-1,               /* overlong '/' */
            "d.csv:2:1: error: invalid UTF-8 (byte 0xC0); save the file as UTF-8\n");
    refused("a\n\xED\xA0\x80\n", (size_t)-1,           /* surrogate */
            "d.csv:2:1: error: invalid UTF-8 (byte 0xED); save the file as UTF-8\n");
    refused("a\n\xF4\x90\x80\x80\n", (size_t)-1,       /* beyond U+10FFFF */
            "d.csv:2:1: error: invalid UTF-8 (byte 0xF4); save the file as UTF-8\n");
    refused("a\nx\x80\n", (size_t)-1,                  /* lone continuation byte */
            "d.csv:2:2: error: invalid UTF-8 (byte 0x80); save the file as UTF-8\n");
    refused("a\nx\xE2\x82", 5,                         /* cut short by the end */
            "d.csv:2:2: error: invalid UTF-8 (byte 0xE2); save the file as UTF-8\n");
}

TEST(csv_refuses_nul)
{
    refused("a,b\n1,x\0y\n", 10, "d.csv:2:4: error: NUL byte in CSV data\n");
    refused("a\n\"x\0\"\n", 7, "d.csv:2:3: error: NUL byte in CSV data\n");
}

TEST(csv_refuses_control_characters_as_definitions_do)
{
    refused("a,b\n1,x\x1B[31m\n", (size_t)-1,
            "d.csv:2:4: error: control character U+001B in CSV data (a report cannot show it)\n");
    refused("a\n\"x\n\x01\"\n", (size_t)-1,
            "d.csv:3:1: error: control character U+0001 in CSV data (a report cannot show it)\n");
    refused("a\nx\x7F\n", (size_t)-1,
            "d.csv:2:2: error: control character U+007F in CSV data (a report cannot show it)\n");
    refused("a\nx\xC2\x85\n", (size_t)-1,                 /* NEL */
            "d.csv:2:2: error: control character U+0085 in CSV data (a report cannot show it)\n");
    refused("a\nx\xEF\xBF\xBF\n", (size_t)-1,
            "d.csv:2:2: error: noncharacter U+FFFF in CSV data (a report cannot show it)\n");
}

TEST(csv_keeps_tab)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_csv c;
    CHECK(parse(ctx, a, "a\nx\ty\n", (size_t)-1, &c) == RG_OK);
    CHECK(field_is(&c, 1, 0, "x\ty"));
    rg_arena_free(a);
    rg_ctx_free(ctx);
}

TEST(csv_max_fields)
{
    /* RG_CSV_MAX_FIELDS fields are fine, one more is refused */
    char *s = malloc(4 * RG_CSV_MAX_FIELDS + 8);
    size_t n = 0;
    for (int i = 0; i < RG_CSV_MAX_FIELDS; i++) {
        if (i) s[n++] = ',';
        s[n++] = 'x';
    }
    s[n++] = '\n';
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_csv c;
    CHECK(parse(ctx, a, s, n, &c) == RG_OK && c.nrows == 1 &&
          c.rows[0].nfields == RG_CSV_MAX_FIELDS);
    rg_arena_free(a);
    rg_ctx_free(ctx);

    n--;
    memcpy(s + n, ",y\n", 3);
    n += 3;
    char want[128];
    snprintf(want, sizeof want, "d.csv:1:%d: error: more than %d fields in a record\n",
             2 * RG_CSV_MAX_FIELDS + 1, RG_CSV_MAX_FIELDS);
    refused(s, n, want);
    free(s);
}

TEST(csv_large_input_is_linear)
{
    /* 200k records, one quoted field spanning many lines: finishes quickly
     * and counts lines right (a quadratic rescan would time out here) */
    enum { RECORDS = 200000 };
    size_t cap = (size_t)RECORDS * 16 + 200000 * 2 + 64;
    char *s = malloc(cap);
    size_t n = 0;
    n += (size_t)sprintf(s + n, "k,v\n\"");
    for (int i = 0; i < 100000; i++) {
        s[n++] = 'a';
        s[n++] = '\n';
    }
    n += (size_t)sprintf(s + n, "\",1\n");
    for (int i = 0; i < RECORDS; i++) n += (size_t)sprintf(s + n, "%d,\"v%d\"\n", i, i % 10);
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_csv c;
    CHECK(parse(ctx, a, s, n, &c) == RG_OK);
    CHECK(c.nrows == RECORDS + 2);
    CHECK(c.nrows == RECORDS + 2 && c.rows[2].line == 100003 &&
          c.rows[RECORDS + 1].line == 100002 + RECORDS);
    CHECK(field_is(&c, RECORDS + 1, 1, "v9"));
    rg_arena_free(a);
    rg_ctx_free(ctx);
    free(s);
}

/* ---- other separators ---- */

/* Parses data on sep. */
static rg_status parse_on(rg_ctx *ctx, rg_arena *a, const char *data, char sep, rg_csv *out)
{
    return rg_csv_parse(ctx, "d.csv", data, strlen(data), sep, a, out);
}

TEST(csv_semicolon_and_tab_separators)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *a = rg_arena_new();
    rg_csv c;
    CHECK(parse_on(ctx, a, "post;bedrag\n\"a;b\";1.234,5\nc,d;\"x\"\n", ';', &c) == RG_OK);
    CHECK(c.nrows == 3 && field_is(&c, 1, 0, "a;b") && field_is(&c, 1, 1, "1.234,5"));
    CHECK(field_is(&c, 2, 0, "c,d") && field_is(&c, 2, 1, "x"));
    CHECK(parse_on(ctx, a, "a\tb\n1,5\t\"x\ty\"\n", '\t', &c) == RG_OK);
    CHECK(c.nrows == 2 && field_is(&c, 1, 0, "1,5") && field_is(&c, 1, 1, "x\ty"));
    CHECK(ctx->errors == 0);
    rg_arena_free(a);
    rg_ctx_free(ctx);

    /* a wrong count names the separator; a quote is checked against it */
    refused_on("a;b\n1;2;3\n", (size_t)-1, ';',
               "d.csv:2: error: record has 3 fields, but the first record (line 1) has 2 "
               "(separated by ';')\n");
    refused_on("a\tb\n\"1\";2\n", (size_t)-1, '\t',
               "d.csv:2:4: error: text after the closing quote of a field; double a '\"' inside "
               "a quoted field\n");
}

TEST(csv_header_alone_and_quietly)
{
    rg_arena *a = rg_arena_new();
    rg_csv_row h;
    static const char dutch[] = "\xEF\xBB\xBFpost;begroting;prognose\r\nx;\"1\n2\";3\n";
    CHECK(rg_csv_header(dutch, sizeof dutch - 1, ';', a, &h) == 0);
    CHECK(h.nfields == 3 && !strcmp(h.fields[0], "post") && !strcmp(h.fields[2], "prognose"));
    CHECK(rg_csv_header("post;begroting\n", 15, ',', a, &h) == 0 && h.nfields == 1);
    CHECK(rg_csv_header("\"post;x\n", 8, ';', a, &h) == -1);      /* no diagnostic, no ctx */
    CHECK(rg_csv_header("", 0, ',', a, &h) == -1);
    CHECK(rg_csv_header(NULL, 0, ',', a, &h) == -1);
    CHECK_STR(rg_csv_sep_name('\t'), "tab");
    rg_arena_free(a);
}

/* ---- dialects: datasets reading CSV files (load/data.c) ---- */

#define DEF_HEAD "<report xmlns='urn:reportgen:report:1' xml:lang='nl-NL'>"             \
                 "<info><title>T</title><organisation>O</organisation>"                  \
                 "<period id='2023-T1' from='2023-01-01' to='2023-04-30'>jan</period>"   \
                 "</info>\n"

/* Loads a definition whose dataset 'kosten' (attributes attrs) has the
 * fields post (text), begroting (euro) and prognose (number) and reads
 * csv; *name gets the CSV file's name. Returns the load status. */
static rg_status load_kosten(rg_ctx *ctx, const char *attrs, const char *csv, rg_doc **doc)
{
    char name[64], xml[1024];
    snprintf(name, sizeof name, "rg-unit-kosten-%ld.csv", (long)getpid());
    if (test_write_tmp(name, csv) != 0) return RG_EX_SOFTWARE;
    snprintf(xml, sizeof xml, DEF_HEAD "<data>\n<dataset id='kosten' src='%s' %s>"
             "<field name='post'/><field name='begroting' type='euro'/>"
             "<field name='prognose' type='number'/></dataset></data></report>", name, attrs);
    rg_status st = test_load_string(ctx, xml, doc);
    test_unlink_tmp(name);
    return st;
}

/* Loads csv under attrs; it must load without a diagnostic, its records'
 * begroting and prognose being want[0], want[1], then want[2], ... (n in
 * all); the first record's post, when text is not NULL, is text. */
static void kosten_reads(const char *attrs, const char *csv, const double *want, size_t n,
                         const char *text)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_doc *doc = NULL;
    CHECK(load_kosten(ctx, attrs, csv, &doc) == RG_OK && ctx->errors == 0);
    const rg_dataset *ds = doc && doc->ndatasets == 1 ? &doc->datasets[0] : NULL;
    CHECK(ds && ds->nfields == 3 && ds->nrecords * 2 == n);
    for (size_t i = 0; ds && i < n && i / 2 < ds->nrecords; i++) {
        const rg_value *v = &ds->values[i / 2 * 3 + 1 + i % 2];
        if (v->missing || fabs(v->num - want[i]) > 1e-9)
            fprintf(stderr, "  [%s] figure %zu: want %.17g, got %.17g\n", attrs, i, want[i],
                    v->num);
        CHECK(!v->missing && fabs(v->num - want[i]) <= 1e-9);
    }
    if (ds && text) CHECK_STR(ds->values[0].text, text);
    if (ctx->diag_text) fprintf(stderr, "  [%s] %s", attrs, ctx->diag_text);
    rg_doc_free(doc);
    rg_ctx_free(ctx);
}

#define N(a) (sizeof(a) / sizeof(a)[0])

/* Loads csv under attrs; it must be refused with a diagnostic holding want
 * (file name left out: "kosten-PID.csv" is written ".csv"). */
static void kosten_refused(const char *attrs, const char *csv, const char *want)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_doc *doc = NULL;
    CHECK(load_kosten(ctx, attrs, csv, &doc) == RG_EX_DATAERR && doc == NULL);
    if (!ctx->diag_text || !strstr(ctx->diag_text, want))
        fprintf(stderr, "  want \"%s\"\n  got  \"%s\"\n", want,
                ctx->diag_text ? ctx->diag_text : "(nothing)");
    CHECK(ctx->diag_text && strstr(ctx->diag_text, want));
    rg_doc_free(doc);
    rg_ctx_free(ctx);
}

TEST(csv_dialect_nl_reads_dutch_excel)
{
    static const double want[] = { 1234.5, 1234, 1.5, -1234567, 12345.67, 1234 };
    kosten_reads("dialect='nl'",
                 "post;begroting;prognose\r\n"
                 "\"Logius; GDI\";1.234,5;1.234\r\n"
                 "DigiD;1,5;-1.234.567\r\n"
                 "MijnOverheid;\xE2\x82\xAC 12.345,67;1234\r\n", want, N(want), "Logius; GDI");
}

TEST(csv_dialect_c_and_overrides)
{
    static const double c[] = { 1.234, 1234.5 }, nl_comma[] = { 1234.5, 1234 },
                        c_tab[] = { 1.234, 2 }, comma[] = { 1.234, 7 },
                        en[] = { 1234.5, 1234 }, none[] = { 1.234, 1.234 };
    kosten_reads("dialect='c'", "post,begroting,prognose\nx,1.234,1234.5\n", c, N(c), NULL);
    /* Dutch figures in a comma-separated file; c's figures separated by tabs */
    kosten_reads("dialect='nl' separator=','", "post,begroting,prognose\nx,\"1.234,5\",1.234\n",
                 nl_comma, N(nl_comma), NULL);
    kosten_reads("dialect='c' separator='tab'", "post\tbegroting\tprognose\nx\t1.234\t2\n", c_tab,
                 N(c_tab), NULL);
    /* decimal= alone: a comma, no grouping; grouping=',' alone: the decimal mark is '.' */
    kosten_reads("decimal=','", "post;begroting;prognose\nx;1,234;7\n", comma, N(comma), NULL);
    kosten_reads("grouping=','", "post,begroting,prognose\nx,\"1,234.5\",\"1,234\"\n", en, N(en),
                 NULL);
    /* grouping='none' alone: one mark is a decimal one, either of them */
    kosten_reads("grouping='none'", "post,begroting,prognose\nx,1.234,\"1,234\"\n", none,
                 N(none), NULL);
}

TEST(csv_dialect_refuses_what_it_does_not_write)
{
    kosten_refused("dialect='nl'", "post;begroting;prognose\nDigiD;1.234,5;7\nLogius;12.34;7\n",
                   ".csv:3:8: error: '12.34' is not a valid euro amount (field 'begroting'): in "
                   "dataset 'kosten' '.' groups digits by three (1.234.567,8) and ',' is the "
                   "decimal mark\n");
    kosten_refused("dialect='nl'", "post;begroting;prognose\nx;1;1234.567\n",
                   ".csv:2:5: error: '1234.567' is not a valid number (field 'prognose'): in "
                   "dataset 'kosten' '.' groups digits by three");
    kosten_refused("dialect='nl'", "post;begroting;prognose\nx;1,234,567;1\n",
                   ".csv:2:3: error: '1,234,567' is not a valid euro amount (field 'begroting'): "
                   "the decimal mark of dataset 'kosten' is ',', and '.' groups its digits\n");
    kosten_refused("dialect='c'", "post,begroting,prognose\nx,\"1,5\",1\n",
                   ".csv:2:3: error: '1,5' is not a valid euro amount (field 'begroting'): the "
                   "decimal mark of dataset 'kosten' is '.', and it declares no digit grouping\n");
    kosten_refused("dialect='c'", "post,begroting,prognose\nx,1.234.567,1\n",
                   ".csv:2:3: error: '1.234.567' is not a valid euro amount (field 'begroting'): "
                   "its digits are grouped with '.', and dataset 'kosten' declares no digit "
                   "grouping (its decimal mark is '.')\n");
    kosten_refused("decimal=','", "post;begroting;prognose\nx;1.5;1\n",
                   ".csv:2:3: error: '1.5' is not a valid euro amount (field 'begroting'): the "
                   "decimal mark of dataset 'kosten' is ',', and it declares no digit grouping\n");
    kosten_refused("grouping='none'", "post;begroting;prognose\nx;1.234,5;1\n",
                   ".csv:2:3: error: '1.234,5' is not a valid euro amount (field 'begroting'): "
                   "its digits are grouped with '.', and dataset 'kosten' declares no digit "
                   "grouping\n");
    /* conflicting declarations, and a separator for inline values */
    kosten_refused("dialect='nl' decimal='.'", "post\n",
                   ":3:1: error: the decimal mark and the digit grouping mark are both '.' "
                   "(dialect= sets one of them): give grouping=\",\" or grouping=\"none\"\n");
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_doc *doc = NULL;
    CHECK(test_load_string(ctx, DEF_HEAD "<data>\n<dataset id='d' separator=';'><field name='x'/>"
                                "</dataset></data></report>", &doc) == RG_EX_DATAERR);
    CHECK(ctx->diag_text && strstr(ctx->diag_text, ":3:1: error: separator= is for a dataset "
                                                   "read from a CSV file (src=)\n"));
    rg_ctx_free(ctx);
}

TEST(csv_ambiguous_values_are_errors_naming_both_readings)
{
    static const struct {
        const char *row, *want;
    } cases[] = {
        { "x,1.234,1", ".csv:2:3: error: '1.234' (field 'begroting') is 1234 with Dutch digit "
                       "grouping and 1.234 with a decimal point: declare dialect=\"nl\" or "
                       "dialect=\"c\" (or decimal=) on <dataset id='kosten'>\n" },
        { "x,\"1,234\",1", ".csv:2:3: error: '1,234' (field 'begroting') is 1234 with English "
                           "digit grouping and 1.234 with a decimal comma: declare dialect=\"nl\" "
                           "or grouping=\",\" (or decimal=) on <dataset id='kosten'>\n" },
        { "x,1,12.345", ".csv:2:5: error: '12.345' (field 'prognose') is 12345 with Dutch" },
        { "x,1,\"123,456\"", ".csv:2:5: error: '123,456' (field 'prognose') is 123456 with "
                             "English digit grouping and 123.456 with a decimal comma" },
        { "x,-1.234,1", ".csv:2:3: error: '-1.234' (field 'begroting') is -1234 with Dutch "
                        "digit grouping and -1.234 with a decimal point" },
        { "x,+1.234,1", ".csv:2:3: error: '+1.234' (field 'begroting') is 1234 with" },
        { "x,\xE2\x88\x92" "1.234,1", ".csv:2:3: error: '\xE2\x88\x92" "1.234' (field "
                                      "'begroting') is -1234 with" },
        { "x,\xE2\x82\xAC 1.234,1", ".csv:2:3: error: '\xE2\x82\xAC 1.234' (field 'begroting') "
                                    "is 1234 with Dutch" },
        { "\"a\nb\",1, 999.999 ", ".csv:3:6: error: ' 999.999 ' (field 'prognose') is 999999 "
                                  "with Dutch digit grouping and 999.999 with a decimal point" },
    };
    char csv[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(csv, sizeof csv, "post,begroting,prognose\n%s\n", cases[i].row);
        kosten_refused("", csv, cases[i].want);
    }
    /* a percent field, and an inline value: the <value>'s line */
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_doc *doc = NULL;
    CHECK(test_load_string(ctx, DEF_HEAD "<data>\n<dataset id='d'><field name='p' type='percent'/>"
                                "\n<record><value>99.8</value></record>\n<record>\n"
                                "<value>1.234 %</value></record></dataset></data></report>",
                           &doc) == RG_EX_DATAERR);
    CHECK(ctx->diag_text && strstr(ctx->diag_text, ":6:1: error: '1.234 %' (field 'p') is 1234 "
                                                   "with Dutch digit grouping and 1.234 with a "
                                                   "decimal point: declare dialect=\"nl\" or "
                                                   "dialect=\"c\" (or decimal=) on <dataset "
                                                   "id='d'>\n"));
    rg_ctx_free(ctx);
    /* a text field is not read as a figure */
    static const double text[] = { 1.5, 1234 };
    kosten_reads("", "post,begroting,prognose\n1.234,1.5,1234\n", text, N(text), "1.234");
}

TEST(csv_unambiguous_values_need_no_declaration)
{
    static const double want[] = { 228.3, 1234, 1.25, 99.62, 0.125, 1234.567, 1.2345, 1.5 };
    kosten_reads("", "post,begroting,prognose\nx,228.3,1234\ny,\"1,25\",99.62\n"
                     "z,0.125,1234.567\nw,1.2345,1.5\n", want, N(want), NULL);
}

TEST(csv_separator_found_in_the_header)
{
    /* ';' (Dutch Excel), undeclared: unambiguous figures are read */
    static const double semi[] = { 1.5, 1234, 2, 3 }, tab[] = { 1.5, 7 }, comma[] = { 2, 3 };
    kosten_reads("", "post;begroting;prognose\n\"a;b\";1,5;1234\nx;2;3\n", semi, N(semi), "a;b");
    kosten_reads("", "post\tbegroting\tprognose\nx\t1,5\t7\n", tab, N(tab), NULL);
    /* ',' although the header also holds a ';' (in quotes) */
    kosten_reads("", "\"a;b\",post,begroting,prognose\n1,x,2,3\n", comma, N(comma), "x");

    /* found ';', and the figures fail: the error says the file is Dutch Excel's */
    kosten_refused("", "post;begroting;prognose\nDigiD;1.234,5;7\n",
                   ".csv:2:7: error: '1.234,5' is not a valid euro amount (field 'begroting'): "
                   "its digits are grouped with '.', which needs a declared dialect: declare "
                   "dialect=\"nl\" (or grouping=\".\") on <dataset id='kosten'> (the file is "
                   "separated by ';', as Dutch Excel saves CSV)\n");
    kosten_refused("", "post;begroting;prognose\nDigiD;1.234;7\n",
                   ".csv:2:7: error: '1.234' (field 'begroting') is 1234 with Dutch digit "
                   "grouping and 1.234 with a decimal point: declare dialect=\"nl\" or "
                   "dialect=\"c\" (or decimal=) on <dataset id='kosten'> (the file is separated "
                   "by ';', as Dutch Excel saves CSV)\n");
    /* no separator gives every field: the best split names the columns */
    kosten_refused("", "post;begroting;realisatie\nx;1;2\n",
                   ":3:1: error: field 'prognose' is not a column of 'rg-unit-kosten-");
    kosten_refused("", "post;begroting;realisatie\nx;1;2\n",
                   "(its first row, split on ';', names the columns)\n");
}

TEST(csv_declared_separator_that_the_header_does_not_use)
{
    kosten_refused("separator=','", "post;begroting;prognose\nx;1;2\n",
                   ".csv:1:1: error: the header splits into 1 field on ','; on ';' it gives the "
                   "3 fields 'post', 'begroting', 'prognose': declare dialect=\"nl\" or "
                   "separator=\";\" on <dataset id='kosten'>\n");
    kosten_refused("dialect='c'", "post;begroting;prognose\nx;1;2\n",
                   ".csv:1:1: error: the header splits into 1 field on ','; on ';' it gives the "
                   "3 fields 'post', 'begroting', 'prognose': declare separator=\";\" on "
                   "<dataset id='kosten'>\n");
    kosten_refused("dialect='nl'", "post,begroting,prognose,extra\n1,2,3,4\n",
                   ".csv:1:1: error: the header splits into 1 field on ';'; on ',' it gives the "
                   "4 fields 'post', 'begroting', 'prognose', 'extra': declare separator=\",\" "
                   "on <dataset id='kosten'>\n");
    kosten_refused("separator=';'", "post\tbegroting\tprognose\n1\t2\t3\n",
                   ".csv:1:1: error: the header splits into 1 field on ';'; on 'tab' it gives "
                   "the 3 fields 'post', 'begroting', 'prognose': declare separator=\"tab\" on "
                   "<dataset id='kosten'>\n");
}
