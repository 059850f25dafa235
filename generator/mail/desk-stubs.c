/* TEMPORARY stand-ins for desk.h's other parts (period, journal, maildir,
 * config, guard) until their branches are merged; deleted then. */
#include "desk.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- period ---- */
void rg_period_parse(const char *subject, const char *body, rg_period_ask *out)
{
    memset(out, 0, sizeof *out);
    strcpy(out->lang, "nl");
    char text[8000];
    snprintf(text, sizeof text, "%s\n%s", subject ? subject : "", body ? body : "");
    if (strstr(text, "Dear") || strstr(text, "report for") || strstr(text, "Please")) strcpy(out->lang, "en");
    out->kind = RG_ASK_LATEST;
    int found = 0;
    for (int y = 2020; y < 2030; y++)
        for (int t = 1; t <= 3; t++) {
            char a[20], b[20];
            snprintf(a, sizeof a, "%d-T%d", y, t);
            snprintf(b, sizeof b, "T%d %d", t, y);
            if (strstr(text, a) || strstr(text, b)) {
                if (found) { out->kind = RG_ASK_UNCLEAR; strcpy(out->why, "two periods named"); return; }
                found = 1;
                out->kind = RG_ASK_RANGE;
                out->from = RG_MONTH(y, (t - 1) * 4 + 1);
                out->to = RG_MONTH(y, t * 4);
                snprintf(out->said, sizeof out->said, "%s", a);
            }
        }
    if (!found && strstr(text, "onduidelijk")) { out->kind = RG_ASK_UNCLEAR; strcpy(out->why, "unclear"); }
}

long rg_period_pick(const rg_period_ask *ask, const rg_served_report *reports, size_t n,
                    char *why, size_t why_size)
{
    if (ask->kind == RG_ASK_UNCLEAR) { snprintf(why, why_size, "unclear: %s", ask->why); return -1; }
    long best = -1;
    for (size_t i = 0; i < n; i++) {
        if (ask->kind == RG_ASK_LATEST) {
            if (best < 0 || reports[i].to > reports[best].to) best = (long)i;
        } else if (reports[i].from <= ask->from && ask->to <= reports[i].to) {
            if (best >= 0) { snprintf(why, why_size, "more than one report"); return -1; }
            best = (long)i;
        }
    }
    if (best < 0) snprintf(why, why_size, "no report covers it");
    return best;
}

/* ---- journal ---- */
typedef struct jent { char *key, *addr; rg_jstate st; time_t t; } jent;
struct rg_journal { FILE *f; int lockfd; jent *e; size_t n; const char **fl; };

const char *rg_jstate_name(rg_jstate s)
{
    static const char *n[] = { "none", "sending", "sent", "handmatig", "refused", "inflight" };
    return n[s];
}

static jent *jfind(const rg_journal *j, const char *key)
{
    for (size_t i = 0; i < j->n; i++) if (!strcmp(j->e[i].key, key)) return &j->e[i];
    return NULL;
}

static void jset(rg_journal *j, const char *key, rg_jstate st, const char *addr, time_t t)
{
    jent *e = jfind(j, key);
    if (!e) {
        j->e = realloc(j->e, (j->n + 1) * sizeof *j->e);
        e = &j->e[j->n++];
        e->key = strdup(key);
        e->addr = NULL;
    }
    free(e->addr);
    e->addr = strdup(addr);
    e->st = st;
    e->t = t;
}

rg_status rg_journal_open(rg_ctx *ctx, const char *path, rg_journal **out)
{
    char lp[4200];
    snprintf(lp, sizeof lp, "%s.lock", path);
    int fd = open(lp, O_RDWR | O_CREAT, 0600);
    if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "another reportgen inbox is working on %s", path);
        if (fd >= 0) close(fd);
        return RG_EX_TEMPFAIL;
    }
    rg_journal *j = calloc(1, sizeof *j);
    j->lockfd = fd;
    FILE *f = fopen(path, "r");
    if (f) {
        char line[2000];
        while (fgets(line, sizeof line, f)) {
            if (!strchr(line, '\n')) break;
            long t; char st[32], key[600], addr[600];
            if (sscanf(line, "%ld %31s %599s %599s", &t, st, key, addr) != 4) continue;
            for (int s = 0; s <= RG_J_INFLIGHT; s++)
                if (!strcmp(rg_jstate_name(s), st)) jset(j, key, s, addr, t);
        }
        fclose(f);
    }
    j->f = fopen(path, "a");
    *out = j;
    return RG_OK;
}

void rg_journal_close(rg_journal *j)
{
    if (!j) return;
    fclose(j->f);
    close(j->lockfd);
    free(j->fl);
    free(j);
}

void rg_journal_key(const char *message_id, const char *req, size_t len, char *out, size_t out_size)
{
    if (message_id && *message_id) { snprintf(out, out_size, "%s", message_id); return; }
    unsigned long h = 5381;
    for (size_t i = 0; i < len; i++) {
        if (i + 1 < len && req[i] == '\n' && req[i + 1] == '\n') break;
        h = h * 33 + (unsigned char)req[i];
    }
    snprintf(out, out_size, "sha256:%016lx", h);
}

rg_jstate rg_journal_state(const rg_journal *j, const char *key)
{
    jent *e = jfind(j, key);
    return e ? e->st : RG_J_NONE;
}

rg_status rg_journal_record(rg_journal *j, rg_ctx *ctx, const char *key, rg_jstate state,
                            const char *address, const char *detail)
{
    (void)ctx;
    time_t t = time(NULL);
    fprintf(j->f, "%ld %s %s %s %s\n", (long)t, rg_jstate_name(state), key, address, detail ? detail : "-");
    fflush(j->f);
    fsync(fileno(j->f));
    jset(j, key, state, address, t);
    return RG_OK;
}

size_t rg_journal_sent_to(const rg_journal *j, const char *address, time_t since)
{
    size_t n = 0;
    for (size_t i = 0; i < j->n; i++)
        if ((j->e[i].st == RG_J_SENT || j->e[i].st == RG_J_SENDING) && j->e[i].t >= since &&
            (!address || !strcasecmp(j->e[i].addr, address)))
            n++;
    return n;
}

size_t rg_journal_sent_total(const rg_journal *j, time_t since)
{
    return rg_journal_sent_to(j, NULL, since);
}

const char *const *rg_journal_in_flight(const rg_journal *j, size_t *n)
{
    rg_journal *m = (rg_journal *)j;
    free(m->fl);
    m->fl = calloc(j->n + 1, sizeof *m->fl);
    *n = 0;
    for (size_t i = 0; i < j->n; i++) if (j->e[i].st == RG_J_SENDING) m->fl[(*n)++] = j->e[i].key;
    return m->fl;
}

/* ---- maildir ---- */
static int cmpmsg(const void *a, const void *b)
{
    return strcmp(((const rg_maildir_msg *)a)->name, ((const rg_maildir_msg *)b)->name);
}

rg_status rg_maildir_scan(rg_ctx *ctx, const char *maildir, rg_maildir_msg **msgs, size_t *n)
{
    *msgs = NULL;
    *n = 0;
    const char *subs[] = { "new", "cur" };
    for (int s = 0; s < 2; s++) {
        char dp[4200];
        snprintf(dp, sizeof dp, "%s/%s", maildir, subs[s]);
        DIR *d = opendir(dp);
        if (!d) { rg_diag(ctx, RG_SEV_ERROR, dp, 0, 0, "no"); return RG_EX_NOINPUT; }
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.') continue;
            char *colon = strstr(e->d_name, ":2,");
            if (s == 1 && colon && strchr(colon + 3, 'S')) continue;
            *msgs = realloc(*msgs, (*n + 1) * sizeof **msgs);
            rg_maildir_msg *m = &(*msgs)[(*n)++];
            m->path = malloc(strlen(dp) + strlen(e->d_name) + 2);
            sprintf(m->path, "%s/%s", dp, e->d_name);
            m->name = strdup(e->d_name);
            if ((colon = strstr(m->name, ":2,"))) *colon = 0;
        }
        closedir(d);
    }
    qsort(*msgs, *n, sizeof **msgs, cmpmsg);
    return RG_OK;
}

void rg_maildir_msgs_free(rg_maildir_msg *msgs, size_t n)
{
    for (size_t i = 0; i < n; i++) { free(msgs[i].path); free(msgs[i].name); }
    free(msgs);
}

rg_status rg_maildir_done(rg_ctx *ctx, const char *maildir, rg_maildir_msg *m, const char *flags)
{
    char to[4400];
    snprintf(to, sizeof to, "%s/cur/%s:2,%s", maildir, m->name, flags);
    if (rename(m->path, to) != 0) { rg_diag(ctx, RG_SEV_ERROR, m->path, 0, 0, "rename: %s", strerror(errno)); return RG_EX_CANTCREAT; }
    free(m->path);
    m->path = strdup(to);
    return RG_OK;
}

rg_status rg_maildir_to_folder(rg_ctx *ctx, const char *maildir, const char *folder, rg_maildir_msg *m)
{
    char to[4400];
    const char *subs[] = { "", "/new", "/cur", "/tmp" };
    for (int i = 0; i < 4; i++) {
        snprintf(to, sizeof to, "%s/%s%s", maildir, folder, subs[i]);
        mkdir(to, 0700);
    }
    snprintf(to, sizeof to, "%s/%s/new/%s", maildir, folder, m->name);
    if (rename(m->path, to) != 0) { rg_diag(ctx, RG_SEV_ERROR, m->path, 0, 0, "rename: %s", strerror(errno)); return RG_EX_CANTCREAT; }
    free(m->path);
    m->path = strdup(to);
    return RG_OK;
}

rg_status rg_maildir_deliver(rg_ctx *ctx, const char *dir, const char *data, size_t len, char **name_out)
{
    static int seq;
    char name[200], tmp[4400], to[4400];
    snprintf(name, sizeof name, "%ld.P%dQ%d.stub", (long)time(NULL), (int)getpid(), seq++);
    snprintf(tmp, sizeof tmp, "%s/tmp/%s", dir, name);
    snprintf(to, sizeof to, "%s/new/%s", dir, name);
    FILE *f = fopen(tmp, "w");
    if (!f) { rg_diag(ctx, RG_SEV_ERROR, tmp, 0, 0, "cannot"); return RG_EX_CANTCREAT; }
    fwrite(data, 1, len, f);
    fclose(f);
    rename(tmp, to);
    if (name_out) *name_out = strdup(name);
    return RG_OK;
}

/* ---- config ---- */
rg_status rg_desk_config_load(rg_ctx *ctx, const char *path, rg_desk_config *out)
{
    (void)ctx;
    (void)path;
    memset(out, 0, sizeof *out);
    out->from = strdup("Logius Communicatie <communicatie@logius.nl>");
    out->own_addresses = strdup("communicatie@logius.nl");
    out->serve = strdup("viermaandsrapportage-*.pdf");
    out->subject_prefix = strdup("Re:");
    out->template_nl = strdup("Geachte heer/mevrouw,\n\nIn de bijlage vindt u de rapportage over {period}.\n\nMet vriendelijke groet,\nLogius\n");
    out->template_en = strdup("Dear Sir or Madam,\n\nPlease find attached the report for {period}.\n\nKind regards,\nLogius\n");
    out->sendmail = strdup("/usr/sbin/sendmail");
    out->max_per_address = 3;
    out->max_per_day = 200;
    out->max_request_bytes = 1048576;
    return RG_OK;
}

void rg_desk_config_free(rg_desk_config *c)
{
    free(c->from); free(c->own_addresses); free(c->serve); free(c->subject_prefix);
    free(c->template_nl); free(c->template_en); free(c->bcc); free(c->smtp); free(c->sendmail);
    free(c->log_json);
}

char *rg_desk_fill_template(const char *tmpl, const char *period, const char *title, const char *output)
{
    (void)title; (void)output;
    const char *p = strstr(tmpl, "{period}");
    size_t n = strlen(tmpl) + strlen(period) + 1;
    char *out = malloc(n);
    if (!p) { strcpy(out, tmpl); return out; }
    snprintf(out, n, "%.*s%s%s", (int)(p - tmpl), tmpl, period, p + 8);
    return out;
}

/* ---- guard, request info ---- */
static char *header(const char *req, size_t len, const char *name)
{
    size_t nl = strlen(name);
    for (const char *p = req; p < req + len;) {
        const char *e = memchr(p, '\n', (size_t)(req + len - p));
        if (!e) e = req + len;
        if (e == p || (e == p + 1 && *p == '\r')) break;
        if ((size_t)(e - p) > nl && !strncasecmp(p, name, nl) && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (v < e && (*v == ' ' || *v == '\t')) v++;
            size_t vl = (size_t)(e - v);
            if (vl && v[vl - 1] == '\r') vl--;
            return strndup(v, vl);
        }
        p = e + 1;
    }
    return NULL;
}

const char *rg_guard_refusal(const char *req, size_t len, const char *own, size_t max_bytes)
{
    (void)own;
    if (len > max_bytes) return "too large";
    char *v;
    static const char *names[] = { "Auto-Submitted", "Precedence", "List-Id", "X-Autoreply", NULL };
    for (int i = 0; names[i]; i++)
        if ((v = header(req, len, names[i]))) {
            int no = !strcasecmp(v, "no");
            free(v);
            if (!(i == 0 && no)) return names[i];
        }
    if ((v = header(req, len, "Return-Path"))) {
        int empty = !strcmp(v, "<>");
        free(v);
        if (empty) return "Return-Path: <>";
    }
    if ((v = header(req, len, "From"))) {
        int bad = strstr(v, "MAILER-DAEMON") || strstr(v, "noreply") || strstr(v, "communicatie@logius.nl");
        free(v);
        if (bad) return "From: automatic";
    }
    return NULL;
}

void rg_request_info_read(const char *req, size_t len, rg_request_info *out)
{
    memset(out, 0, sizeof *out);
    char *id = header(req, len, "Message-ID");
    if (id) {
        char *a = strchr(id, '<'), *b = strchr(id, '>');
        if (a && b && b > a + 1) out->message_id = strndup(a + 1, (size_t)(b - a - 1));
        free(id);
    }
    char *from = header(req, len, "From");
    if (from) {
        char *a = strchr(from, '<'), *b = strchr(from, '>');
        out->from = a && b && b > a ? strndup(a + 1, (size_t)(b - a - 1)) : strdup(from);
        free(from);
    }
    out->subject = header(req, len, "Subject");
    const char *body = strstr(req, "\n\n");
    const char *body2 = strstr(req, "\r\n\r\n");
    if (body2 && (!body || body2 < body)) body = body2 + 2;
    if (body) out->body = strndup(body + 2, len - (size_t)(body + 2 - req));
}

void rg_request_info_clear(rg_request_info *info)
{
    free(info->message_id); free(info->from); free(info->subject); free(info->body);
    memset(info, 0, sizeof *info);
}
