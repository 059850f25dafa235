/* test_mail_config.c - the mail desk's configuration (mail/config.c): a
 * full file, each mistake at its line:col, quoted values, the defaults,
 * template filling and its warnings, and the shipped example. Files are
 * written under /tmp/reportgen-unit-mailconf-PID/, removed at exit. */
#include "test.h"
#include "mail/desk.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static const char *tmp_dir(void)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/reportgen-unit-mailconf-%d", (int)getpid());
        mkdir(dir, 0700);
    }
    return dir;
}

/* Removes the folder and what the tests wrote into it, at exit. */
__attribute__((destructor)) static void remove_tmp_dir(void)
{
    static const char *const names[] = { "inbox.conf", "nl.txt", "en.txt", "odd.txt",
                                         "big.txt", "latin1.txt" };
    if (!dir[0]) return;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* Writes text to DIR/name; returns the path (static, overwritten). */
static const char *write_file(const char *name, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmp_dir(), name);
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

static void write_templates(void)
{
    write_file("nl.txt", "Geachte heer/mevrouw,\n\nDe rapportage{?period over {period}}.\n");
    write_file("en.txt", "Dear Sir or Madam,\r\n\r\nThe report{?period for {period}}.\r\n");
}

/* Loads text as a configuration; the diagnostics into *diag (malloc'd). */
static rg_status load(const char *text, rg_desk_config *c, char **diag)
{
    write_templates();
    const char *path = write_file("inbox.conf", text);
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_status st = rg_desk_config_load(ctx, path, c);
    *diag = strdup(ctx->diag_text ? ctx->diag_text : "");
    rg_ctx_free(ctx);
    return st;
}

TEST(mail_config_full_file)
{
    rg_desk_config c;
    char *diag;
    rg_status st = load("# the desk\n"
                        "from = Logius Communicatie <communicatie@logius.nl>\n"
                        "own-addresses = a@logius.nl,b@logius.nl\n"
                        "serve = viermaandsrapportage-*.pdf\n"
                        "subject-prefix = Antw:\n"
                        "  template-nl=nl.txt  \n"
                        "template-en = en.txt\n"
                        "\n"
                        "bcc = archief@logius.nl\n"
                        "smtp = smtps://mail.logius.nl:465\n"
                        "sendmail = /usr/lib/sendmail\n"
                        "log-json = inbox.jsonl\n"
                        "max-per-address-per-day = 5\n"
                        "max-per-day = 1000\n"
                        "max-request-bytes = 2048\n", &c, &diag);
    CHECK(st == RG_OK);
    CHECK_STR(diag, "");
    CHECK_STR(c.from, "Logius Communicatie <communicatie@logius.nl>");
    CHECK_STR(c.own_addresses, "communicatie@logius.nl, a@logius.nl,b@logius.nl");
    CHECK_STR(c.serve, "viermaandsrapportage-*.pdf");
    CHECK_STR(c.subject_prefix, "Antw:");
    CHECK_STR(c.template_nl, "Geachte heer/mevrouw,\n\nDe rapportage{?period over {period}}.\n");
    CHECK_STR(c.template_en, "Dear Sir or Madam,\n\nThe report{?period for {period}}.\n");
    CHECK_STR(c.bcc, "archief@logius.nl");
    CHECK_STR(c.smtp, "smtps://mail.logius.nl:465");
    CHECK_STR(c.sendmail, "/usr/lib/sendmail");
    char log[600];
    snprintf(log, sizeof log, "%s/inbox.jsonl", tmp_dir());
    CHECK_STR(c.log_json, log);
    CHECK(c.max_per_address == 5 && c.max_per_day == 1000 && c.max_request_bytes == 2048);
    rg_desk_config_free(&c);
    free(diag);
}

TEST(mail_config_defaults)
{
    rg_desk_config c;
    char *diag;
    CHECK(load("from = communicatie@logius.nl\ntemplate-nl = nl.txt\n", &c, &diag) == RG_OK);
    CHECK_STR(c.own_addresses, "communicatie@logius.nl");
    CHECK_STR(c.serve, "*.pdf");
    CHECK_STR(c.subject_prefix, "Re:");
    CHECK_STR(c.sendmail, "/usr/sbin/sendmail");
    CHECK(c.template_en == NULL && c.bcc == NULL && c.smtp == NULL && c.log_json == NULL);
    CHECK(c.max_per_address == 3 && c.max_per_day == 200 && c.max_request_bytes == 1048576);
    rg_desk_config_free(&c);
    free(diag);
}

TEST(mail_config_quoted_values)
{
    rg_desk_config c;
    char *diag;
    CHECK(load("from = \"Logius\" <communicatie@logius.nl>\n"   /* quotes in the value: kept */
               "subject-prefix = \" Antw: \"\n"
               "template-nl = \"nl.txt\"\n", &c, &diag) == RG_OK);
    CHECK_STR(c.from, "\"Logius\" <communicatie@logius.nl>");
    CHECK_STR(c.subject_prefix, " Antw: ");
    rg_desk_config_free(&c);
    free(diag);
    CHECK(load("from = a@logius.nl\ntemplate-nl = nl.txt\nsubject-prefix = \"\"\n", &c, &diag) == RG_OK);
    CHECK_STR(c.subject_prefix, "");
    rg_desk_config_free(&c);
    free(diag);
}

/* Each mistake: the file, and the diagnostic expected (after the path). */
static const struct {
    const char *text;
    const char *diag;
} MISTAKES[] = {
    { "from = a@logius.nl\ntemplate-nl = nl.txt\nfrm = x\n",
      ":3:1: error: unknown key 'frm'; did you mean 'from'?" },
    { "from = a@logius.nl\ntemplate-nl = nl.txt\n  max_per_day = 3\n",
      ":3:3: error: unknown key 'max_per_day'; did you mean 'max-per-day'?" },
    { "from = a@logius.nl\ntemplate-nl = nl.txt\ncolour = red\n",
      ":3:1: error: unknown key 'colour'\n" },
    { "from = a@logius.nl\ntemplate-nl = nl.txt\nfrom = b@logius.nl\n",
      ":3:1: error: 'from' given twice (first on line 1)" },
    { "from = a@logius.nl\ntemplate-nl = nl.txt\n\n   just text\n",
      ":4:4: error: expected 'key = value'" },
    { "from = a@logius.nl\ntemplate-nl = nl.txt\n= x\n",
      ":3:1: error: no key before '='" },
    { "from = Logius <communicatie@logius>\ntemplate-nl = nl.txt\n",
      ":1:8: error: from: 'Logius <communicatie@logius>' is not a usable address" },
    { "from = a@logius.nl, b@logius.nl\ntemplate-nl = nl.txt\n",
      ":1:8: error: from: 'a@logius.nl, b@logius.nl' is not a usable address" },
    { "from = a@logius.nl\ntemplate-nl = nl.txt\nown-addresses = x@logius.nl,  y@@logius.nl\n",
      ":3:31: error: own-addresses: 'y@@logius.nl' is not a usable address" },
    { "from = a@logius.nl\ntemplate-nl = nl.txt\nbcc = Archief <archief@logius.nl>\n",
      ":3:7: error: bcc: 'Archief <archief@logius.nl>' is not a usable address (user@domain)" },
    { "from = a@logius.nl\ntemplate-nl = nl.txt\nmax-per-day = 0\n",
      ":3:15: error: max-per-day: '0' is not a whole number from 1 to 1000000" },
    { "from = a@logius.nl\ntemplate-nl = nl.txt\nmax-per-address-per-day = drie\n",
      ":3:27: error: max-per-address-per-day: 'drie' is not a whole number from 1 to 1000" },
    { "from = a@logius.nl\ntemplate-nl = nl.txt\nmax-request-bytes = -5\n",
      ":3:21: error: max-request-bytes: '-5' is not a whole number" },
    { "from = a@logius.nl\ntemplate-nl = nl.txt\nmax-request-bytes = 99999999999999999999999\n",
      ":3:21: error: max-request-bytes: '99999999999999999999999' is not a whole number" },
    { "from = a@logius.nl\ntemplate-nl = missing.txt\n",
      ":2:15: error: template-nl: cannot use '" },
    { "from = a@logius.nl\ntemplate-nl = latin1.txt\n",
      ":2:15: error: template-nl: cannot use '" },
    { "from = a@logius.nl\ntemplate-nl = big.txt\n",
      ":2:15: error: template-nl: cannot use '" },
    { "from = a@logius.nl\ntemplate-nl = nl.txt\nsendmail = sendmail\n",
      ":3:12: error: sendmail: 'sendmail' is not an absolute path" },
    { "from = a@logius.nl\ntemplate-nl = nl.txt\nsmtp = http://mail.logius.nl\n",
      ":3:8: error: smtp: 'http://mail.logius.nl' is not an SMTP URL" },
    { "from = a@logius.nl\ntemplate-nl = nl.txt\nsmtp = smtp://\n",
      ":3:8: error: smtp: 'smtp://' is not an SMTP URL" },
    { "from = a@logius.nl\ntemplate-nl = nl.txt\nserve =\n",
      ":3:8: error: serve: no value" },
    { "from = a@logius.nl\ntemplate-nl = nl.txt\nserve = \"\"\n",
      ":3:10: error: serve: no value" },
    { "from = a@logius.nl\ntemplate-nl = nl.txt\nserve = out/*.pdf\n",
      ":3:9: error: serve: 'out/*.pdf' has a '/'" },
    { "template-nl = nl.txt\n",
      ":2:1: error: no 'from' (required)" },
    { "from = a@logius.nl\n# no template\n",
      ":3:1: error: no 'template-nl' (required)" },
    { "from = a@logius.nl\ntemplate-nl = nl.txt\n# caf\xe9\n",
      ":3:6: error: not UTF-8 text" },
    { "from = a@logius.nl\ntemplate-nl = nl.txt\nsubject-prefix = Re:\x01\n",
      ":3:18: error: subject-prefix: a control character" },
    /* a column counts characters, not bytes */
    { "# \xc3\xa9\xc3\xa9n\nfrom = a@logius.nl\ntemplate-nl = nl.txt\n\xc3\xa9\xc3\xa9n = 1\n",
      ":4:1: error: unknown key '\xc3\xa9\xc3\xa9n'" },
    { "from = a@logius.nl\ntemplate-nl = nl.txt\n  \xc3\xa9 = x\nbcc = \xc3\xa9@x\n",
      ":4:7: error: bcc: '\xc3\xa9@x' is not a usable address" },
};

TEST(mail_config_mistakes_at_line_and_column)
{
    char big[70000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    write_file("big.txt", big);
    write_file("latin1.txt", "Geachte heer/mevrouw, caf\xe9\n");
    for (size_t i = 0; i < sizeof MISTAKES / sizeof MISTAKES[0]; i++) {
        rg_desk_config c;
        char *diag;
        rg_status st = load(MISTAKES[i].text, &c, &diag);
        char want[600];
        snprintf(want, sizeof want, "%s/inbox.conf%s", tmp_dir(), MISTAKES[i].diag);
        if (st != RG_EX_DATAERR || !strstr(diag, want))
            fprintf(stderr, "  mistake %zu: status %d, got:\n%s  want: %s\n", i, (int)st, diag, want);
        CHECK(st == RG_EX_DATAERR);
        CHECK(strstr(diag, want) != NULL);
        CHECK(c.from == NULL && c.template_nl == NULL);   /* nothing half-loaded */
        rg_desk_config_free(&c);
        free(diag);
    }
}

TEST(mail_config_every_mistake_reported)
{
    rg_desk_config c;
    char *diag;
    CHECK(load("frm = a\nfrom = a@logius.nl\ntemplate-nl = nl.txt\nmax-per-day = 0\n", &c, &diag) ==
          RG_EX_DATAERR);
    CHECK(strstr(diag, "inbox.conf:1:1: error:") && strstr(diag, "inbox.conf:4:15: error:"));
    rg_desk_config_free(&c);
    free(diag);
}

TEST(mail_config_missing_file)
{
    char path[400];
    snprintf(path, sizeof path, "%s/no-such.conf", tmp_dir());
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_desk_config c;
    CHECK(rg_desk_config_load(ctx, path, &c) == RG_EX_NOINPUT);
    CHECK(ctx->diag_text && strstr(ctx->diag_text, "no-such.conf: error: cannot read the configuration"));
    rg_ctx_free(ctx);
}

TEST(mail_config_template_placeholder_warnings)
{
    rg_desk_config c;
    char *diag;
    write_file("odd.txt", "Beste,\n\nDe rapportage over {periode} ({{title}}),\n  {?title {title}\n{output}\nCaf\xc3\xa9 {titel}\n");
    CHECK(load("from = a@logius.nl\ntemplate-nl = odd.txt\n", &c, &diag) == RG_OK);
    char want[600];
    snprintf(want, sizeof want, "%s/odd.txt:3:20: warning: unknown placeholder '{periode'", tmp_dir());
    CHECK(strstr(diag, want) != NULL);
    snprintf(want, sizeof want, "%s/odd.txt:4:3: warning: '{?title' has no closing '}'", tmp_dir());
    CHECK(strstr(diag, want) != NULL);
    snprintf(want, sizeof want, "%s/odd.txt:6:6: warning: unknown placeholder '{titel'", tmp_dir());
    CHECK(strstr(diag, want) != NULL);                         /* columns count characters */
    CHECK(!strstr(diag, ":3:35:") && !strstr(diag, ":5:"));    /* {{ and {output} are fine */
    rg_desk_config_free(&c);
    free(diag);
}

TEST(mail_config_fill_template)
{
    char *s = rg_desk_fill_template("Over {period}: {title} ({output}).", "januari t/m april 2023",
                                    "Viermaandsrapportage", "vmr-2023-T1.pdf");
    CHECK_STR(s, "Over januari t/m april 2023: Viermaandsrapportage (vmr-2023-T1.pdf).");
    free(s);
    s = rg_desk_fill_template("a {{period} {unknown} {period", "P", NULL, NULL);
    CHECK_STR(s, "a {period} {unknown} {period");
    free(s);
    s = rg_desk_fill_template("Logius{?period over {period}} als pdf.", "T1 2023", NULL, NULL);
    CHECK_STR(s, "Logius over T1 2023 als pdf.");
    free(s);
    s = rg_desk_fill_template("Logius{?period over {period}} als pdf.", NULL, NULL, NULL);
    CHECK_STR(s, "Logius als pdf.");
    free(s);
    s = rg_desk_fill_template("{title}|{output}|{?title ({title}, {{x)}", NULL, "", "o.pdf");
    CHECK_STR(s, "|o.pdf|");
    free(s);
    s = rg_desk_fill_template("{?title ({title}, {{x)}", NULL, "T", NULL);
    CHECK_STR(s, " (T, {x)");
    free(s);
    s = rg_desk_fill_template("{?perio x}", "P", NULL, NULL);      /* unknown: stays */
    CHECK_STR(s, "{?perio x}");
    free(s);
    s = rg_desk_fill_template("{?period never closed {period}", "P", NULL, NULL);
    CHECK_STR(s, "{?period never closed P");
    free(s);
}

TEST(mail_config_shipped_example_loads)
{
    char path[600];
    snprintf(path, sizeof path, "%s/mail/inbox.conf.example", test_root);
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_desk_config c;
    CHECK(rg_desk_config_load(ctx, path, &c) == RG_OK);
    CHECK(ctx->errors == 0 && ctx->warnings == 0);
    CHECK_STR(c.from, "Logius <communicatie@logius.nl>");
    CHECK(c.template_nl && strstr(c.template_nl, "Hartelijk dank voor uw verzoek"));
    CHECK(c.template_en && strstr(c.template_en, "Thank you for your request"));
    CHECK_STR(c.serve, "viermaandsrapportage-*.pdf");
    rg_desk_config_free(&c);
    /* path NULL: the same file, found as the schema is */
    CHECK(rg_desk_config_load(ctx, NULL, &c) == RG_OK);
    CHECK_STR(c.from, "Logius <communicatie@logius.nl>");
    char *body = c.template_nl ? rg_desk_fill_template(c.template_nl, "januari t/m april 2023",
                                                       NULL, NULL) : NULL;
    CHECK(body && strstr(body, "Viermaandsrapportage van Logius over januari t/m april 2023 als"));
    free(body);
    rg_desk_config_free(&c);
    rg_ctx_free(ctx);
    /* every key is in the example (commented or not) */
    FILE *f = fopen(path, "r");
    char text[8192] = "";
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    text[n] = '\0';
    if (f) fclose(f);
    static const char *const keys[] = { "from", "own-addresses", "serve", "subject-prefix",
        "template-nl", "template-en", "bcc", "smtp", "sendmail", "log-json",
        "max-per-address-per-day", "max-per-day", "max-request-bytes" };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char line[80];
        snprintf(line, sizeof line, "\n%s = ", keys[i]);
        char commented[80];
        snprintf(commented, sizeof commented, "\n# %s = ", keys[i]);
        CHECK(strstr(text, line) || strstr(text, commented));
    }
}

/* reportgen reply's standard text is the shipped Dutch template with no
 * period: the text lives in one place. */
TEST(mail_config_default_reply_text_is_the_shipped_template)
{
    const rg_reply_template *t = rg_reply_template_default();
    CHECK(t->body != NULL);
    CHECK(t->body && strstr(t->body, "Viermaandsrapportage van Logius als pdf-bestand.\n"));
    CHECK(t->body && !strchr(t->body, '{'));
}
