/* mail/served.c - the reports the mail desk may send: the batch manifest
 * of the reports folder (OUTDIR/.reportgen-batch, JSON lines; its format is
 * described in batch/manifest.h) read for `reportgen inbox`. Stage: mail.
 *
 * Each line is read by the manifest's own parser (rg_manifest_line_parse,
 * pipeline/manifestline.c, which the batch stage uses too). The desk takes
 * the fields it needs (output, period, from, to, title) from version 1
 * lines; a line of a newer version, or one it cannot read, is skipped with
 * a warning (file:line). */
#include "desk.h"
#include "pipeline/pipeline.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The manifest of a folder of a few hundred reports is tens of kilobytes. */
#define MAX_MANIFEST_BYTES (16u << 20)

/* "YYYY-MM-DD" -> its month, or -1. */
static rg_month month_of(const char *date)
{
    if (!date || strlen(date) != 10 || date[4] != '-' || date[7] != '-') return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (date[i] < '0' || date[i] > '9')) return -1;
    int y = atoi(date), m = atoi(date + 5);
    return m >= 1 && m <= 12 ? RG_MONTH(y, m) : -1;
}

/* An output name the desk will attach: a plain file name in the folder. */
static int plain_name(const char *name)
{
    return name && *name && *name != '.' && !strchr(name, '/');
}

/* Puts e's report into l, replacing an earlier line for the same output
 * (the last line counts). Takes e's output, period and title. */
static void keep_report(rg_served_list *l, rg_manifest_entry *e)
{
    size_t i = 0;
    while (i < l->n && strcmp(l->items[i].output, e->output)) i++;
    if (i == l->n) {
        l->items = rg_xrealloc(l->items, (l->n + 1) * sizeof *l->items);
        l->n++;
    } else {
        free((char *)l->items[i].output);
        free((char *)l->items[i].period);
        free((char *)l->items[i].title);
    }
    rg_served_report *r = &l->items[i];
    r->output = e->output;
    r->period = e->period;
    r->title = e->title;
    r->from = month_of(e->from);
    r->to = month_of(e->to);
    e->output = e->period = e->title = NULL;
    rg_manifest_entry_clear(e);
}

/* Whether [p, end) holds only white space (an empty line). */
static int blank(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r')) p++;
    return p == end;
}

/* Reads every line of the manifest text into l (all outputs, served or
 * not); warnings for lines it skips. */
static void read_lines(rg_ctx *ctx, const char *path, const char *text, size_t len,
                       rg_served_list *l)
{
    int lineno = 0;
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        lineno++;
        rg_manifest_entry e;
        char why[200];
        rg_manifest_line_kind kind = rg_manifest_line_parse(p, (size_t)(eol - p), &e, why,
                                                            sizeof why);
        if (kind == RG_LINE_RECORD && plain_name(e.output)) {
            keep_report(l, &e);
        } else if (kind == RG_LINE_NEWER) {
            rg_diag(ctx, RG_SEV_WARNING, path, lineno, 0, "a manifest line of a version above "
                    "%d (this reportgen reads %d); skipped", RG_MANIFEST_VERSION,
                    RG_MANIFEST_VERSION);
        } else if (nl && !blank(p, eol)) {   /* a torn last line is a run still appending */
            rg_diag(ctx, RG_SEV_WARNING, path, lineno, 0,
                    "not a manifest line this reader knows; skipped");
        }
        rg_manifest_entry_clear(&e);
        p = eol + 1;
    }
}

/* Drops from l the reports that the pattern does not match or whose PDF
 * is not a regular file in dir. */
static void keep_served(const char *dir, const char *pattern, rg_served_list *l)
{
    size_t kept = 0;
    for (size_t i = 0; i < l->n; i++) {
        rg_served_report *r = &l->items[i];
        char path[4400];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, r->output);
        int ok = (!pattern || fnmatch(pattern, r->output, 0) == 0) && stat(path, &st) == 0 &&
                 S_ISREG(st.st_mode);
        if (ok) {
            l->items[kept++] = *r;
        } else {
            free((char *)r->output);
            free((char *)r->period);
            free((char *)r->title);
        }
    }
    l->n = kept;
}

rg_status rg_served_read(rg_ctx *ctx, const char *dir, const char *pattern, rg_served_list *out)
{
    char path[4400], why[300];
    char *text = NULL;
    size_t len = 0;
    memset(out, 0, sizeof *out);
    snprintf(path, sizeof path, "%s/%s", dir, RG_MANIFEST_NAME);
    rg_status st = rg_read_regular(path, MAX_MANIFEST_BYTES, &text, &len, NULL, why, sizeof why);
    if (st != RG_OK) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "%s (the reports folder needs the manifest that "
                "'reportgen batch -o %s' writes)", why, dir);
        return st;
    }
    read_lines(ctx, path, text, len, out);
    free(text);
    keep_served(dir, pattern, out);
    if (out->n == 0) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "no report in the manifest is served: none whose "
                "PDF exists matches serve = %s", pattern ? pattern : "*");
        rg_served_free(out);       /* a failure leaves the caller nothing to free */
        return RG_EX_NOINPUT;
    }
    return RG_OK;
}

void rg_served_free(rg_served_list *l)
{
    if (!l) return;
    for (size_t i = 0; i < l->n; i++) {
        free((char *)l->items[i].output);
        free((char *)l->items[i].period);
        free((char *)l->items[i].title);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}
