/* test_mail_served.c - mail/served.c: the reports the desk serves, read
 * from the batch manifest with the desk's own reader of its JSON lines
 * (escapes, null, unknown fields, a newer version's line, a torn last
 * line, the last line for an output counting) and kept only when their
 * PDF exists and the serve pattern matches. */
#include "mail/desk.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A fresh folder under TMPDIR into dir. */
static void temp_folder(char dir[256])
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, 256, "%s/rg-served-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(dir)) dir[0] = 0;
}

static void put(const char *dir, const char *name, const char *text)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void remove_folder(const char *dir, const char *const *names)
{
    char path[600];
    for (int i = 0; names[i]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

static const rg_served_report *find(const rg_served_list *l, const char *output)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->items[i].output, output)) return &l->items[i];
    return NULL;
}

TEST(served_reads_the_manifest_lines)
{
    char dir[256];
    temp_folder(dir);
    put(dir, "viermaandsrapportage-2023-T1.pdf", "%PDF-1.7\n");
    put(dir, "viermaandsrapportage-2023-T2.pdf", "%PDF-1.7\n");
    put(dir, "jaarverslag-2023.pdf", "%PDF-1.7\n");
    put(dir, ".reportgen-batch",
        /* an older line for T1, replaced by the later one */
        "{\"reportgen_manifest\":1,\"output\":\"viermaandsrapportage-2023-T1.pdf\","
        "\"hash\":\"0000000000000000\",\"period\":\"old\",\"from\":null,\"to\":null,\"title\":null}\n"
        "{\"reportgen_manifest\":1,\"output\":\"viermaandsrapportage-2023-T2.pdf\",\"hash\":\"0000000000000001\","
        "\"definition\":\"a\\/b \\\"c\\\".xml\",\"period\":\"2023-T2\",\"from\":\"2023-05-01\","
        "\"to\":\"2023-08-31\",\"title\":\"Viermaandsrapportage mei t\\/m augustus 2023 \\u2013 "
        "\\ud83d\\ude00\",\"pages\":12,\"draft\":false}\n"
        "not json at all\n"
        "{\"reportgen_manifest\":2,\"output\":\"viermaandsrapportage-2023-T3.pdf\"}\n"
        "{\"reportgen_manifest\":1,\"output\":\"viermaandsrapportage-2023-T1.pdf\",\"hash\":\"0000000000000002\","
        "\"period\":\"2023-T1\",\"from\":\"2023-01-01\",\"to\":\"2023-04-30\",\"title\":null}\n"
        "{\"reportgen_manifest\":1,\"output\":\"gone.pdf\",\"hash\":\"00000000000000ff\",\"period\":\"2022-T3\"}\n"
        "{\"reportgen_manifest\":1,\"output\":\"../escape.pdf\",\"hash\":\"00000000000000ff\",\"period\":\"2022-T3\"}\n"
        "{\"reportgen_manifest\":1,\"output\":\"jaarverslag-2023.pdf\",\"hash\":\"00000000000000ff\",\"period\":\"2023\"}\n"
        "{\"reportgen_manifest\":1,\"output\":\"viermaandsrapportage-2023-T2.pdf\",\"per");   /* torn */
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_served_list l;
    CHECK(rg_served_read(ctx, dir, "viermaandsrapportage-*.pdf", &l) == RG_OK);
    CHECK(l.n == 2);
    const rg_served_report *t1 = find(&l, "viermaandsrapportage-2023-T1.pdf");
    const rg_served_report *t2 = find(&l, "viermaandsrapportage-2023-T2.pdf");
    CHECK(t1 && t2);
    if (t1 && t2) {
        CHECK_STR(t1->period, "2023-T1");          /* the last line counts */
        CHECK(t1->title == NULL);
        CHECK(t1->from == RG_MONTH(2023, 1) && t1->to == RG_MONTH(2023, 4));
        CHECK_STR(t2->period, "2023-T2");
        CHECK_STR(t2->title, "Viermaandsrapportage mei t/m augustus 2023 \xe2\x80\x93 \xf0\x9f\x98\x80");
        CHECK(t2->from == RG_MONTH(2023, 5) && t2->to == RG_MONTH(2023, 8));
    }
    /* warnings for the line that is no JSON, the newer version's and the one
     * whose output is not a plain file name; none for the torn last line */
    CHECK(ctx->warnings == 3);
    rg_served_free(&l);
    CHECK(rg_served_read(ctx, dir, NULL, &l) == RG_OK);
    CHECK(l.n == 3 && find(&l, "jaarverslag-2023.pdf") && !find(&l, "gone.pdf") &&
          !find(&l, "../escape.pdf"));
    rg_served_free(&l);
    rg_served_free(&l);                            /* an emptied list again: nothing */
    rg_ctx_free(ctx);
    static const char *const names[] = { "viermaandsrapportage-2023-T1.pdf",
                                         "viermaandsrapportage-2023-T2.pdf", "jaarverslag-2023.pdf",
                                         ".reportgen-batch", NULL };
    remove_folder(dir, names);
}

TEST(served_refuses_no_manifest_and_nothing_served)
{
    char dir[256];
    temp_folder(dir);
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_served_list l;
    CHECK(rg_served_read(ctx, dir, NULL, &l) == RG_EX_NOINPUT);
    CHECK(ctx->errors == 1 && strstr(ctx->diag_text, "reportgen batch -o"));
    put(dir, ".reportgen-batch",
        "{\"reportgen_manifest\":1,\"output\":\"a.pdf\",\"hash\":\"00000000000000ff\",\"period\":\"2023-T1\"}\n");
    CHECK(rg_served_read(ctx, dir, NULL, &l) == RG_EX_NOINPUT);   /* a.pdf is not there */
    CHECK(strstr(ctx->diag_text, "no report in the manifest is served"));
    put(dir, "a.pdf", "%PDF-1.7\n");
    CHECK(rg_served_read(ctx, dir, "b*.pdf", &l) == RG_EX_NOINPUT);
    CHECK(rg_served_read(ctx, dir, "a*.pdf", &l) == RG_OK && l.n == 1);
    CHECK(l.n == 1 && l.items[0].from == -1 && l.items[0].to == -1);
    rg_served_free(&l);
    rg_ctx_free(ctx);
    static const char *const names[] = { "a.pdf", ".reportgen-batch", NULL };
    remove_folder(dir, names);
}
