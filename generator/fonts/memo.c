/* fonts/memo.c - fontconfig's answers remembered between runs (see
 * fonts/memo.h). Stage: fonts. Owns the memo file, a text file:
 *
 *   reportgen font memo 1
 *   v 21401                                  fontconfig's version
 *   e HOME=/root                             a variable that steers it ("e NAME": unset)
 *   s 1690000000.123456789 4096 1234 /etc/fonts/conf.d
 *   s - /root/.fonts                         a path's status ("-": missing)
 *   a 1 0 1 0 Noto Sans<TAB>/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf
 *
 * The v, e and s lines are the stamp; an a line is one answer: bold,
 * italic, style matched, face index, family, path (empty: not installed).
 * A memo is valid when the v, e and s lines made again now (the same
 * variables and paths, looked at now) are the same text. */
#include "memo.h"
#include "base/base.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "reportgen font memo 1\n"
enum { MAX_MEMO_BYTES = 1 << 20 };

/* The variables fontconfig reads its configuration's place from. */
static const char *const STEERING[] = { "FONTCONFIG_FILE", "FONTCONFIG_PATH",
                                        "FONTCONFIG_SYSROOT", "HOME", "XDG_CONFIG_HOME",
                                        "XDG_DATA_HOME", "XDG_CACHE_HOME" };

typedef struct answer {
    char *family, *path;           /* path NULL: not installed */
    int bold, italic, style_ok;
    unsigned index;
    int loaded;                    /* read from the file (under its stamp) */
} answer;

struct rg_font_memo {
    answer *v;
    size_t n, cap;
    char *stamp;                   /* the loaded file's stamp, or NULL */
    int changed;
};

char *rg_font_memo_path(void)
{
    const char *cache = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    const char *base = cache && cache[0] == '/' ? cache : NULL, *sub = "";
    if (!base && home && home[0] == '/') {
        base = home;
        sub = "/.cache";
    }
    if (!base) return NULL;
    size_t n = strlen(base) + strlen(sub) + sizeof "/reportgen/fonts";
    char *p = rg_xmalloc(n);
    snprintf(p, n, "%s%s/reportgen/fonts", base, sub);
    return p;
}

/* ---- the stamp ---- */

/* One path's status line, as the stamp has it. */
static void stat_line(FILE *out, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        fprintf(out, "s - %s\n", path);
    else
        fprintf(out, "s %lld.%09ld %lld %llu %s\n", (long long)st.st_mtim.tv_sec,
                (long)st.st_mtim.tv_nsec, (long long)st.st_size, (unsigned long long)st.st_ino,
                path);
}

static void env_line(FILE *out, const char *name)
{
    const char *v = getenv(name);
    if (v) fprintf(out, "e %s=%s\n", name, v);
    else fprintf(out, "e %s\n", name);
}

/* Paths a stamp looks at. */
typedef struct path_list {
    char **v;
    size_t n, cap;
} path_list;

static void add_path(path_list *l, const char *path)
{
    if (!path || !*path || strchr(path, '\n')) return;
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], path)) return;
    rg_grow(&l->v, &l->cap, l->n + 1, sizeof *l->v);
    l->v[l->n++] = rg_xstrdup(path);
}

static void add_joined(path_list *l, const char *dir, const char *rest)
{
    if (!dir || dir[0] != '/') return;
    size_t n = strlen(dir) + strlen(rest) + 1;
    char *p = rg_xmalloc(n);
    snprintf(p, n, "%s%s", dir, rest);
    add_path(l, p);
    free(p);
}

static void add_strlist(path_list *l, FcStrList *list)
{
    if (!list) return;
    FcChar8 *s;
    while ((s = FcStrListNext(list))) add_path(l, (const char *)s);
    FcStrListDone(list);
}

/* Where a user or administrator adds fonts or configuration that the
 * configuration read may not have named yet because it did not exist. */
static void add_usual_places(path_list *l)
{
    const char *home = getenv("HOME"), *xc = getenv("XDG_CONFIG_HOME"),
               *xd = getenv("XDG_DATA_HOME");
    add_path(l, "/usr/share/fonts");
    add_path(l, "/usr/local/share/fonts");
    add_path(l, "/etc/fonts/local.conf");
    add_joined(l, home, "/.fonts");
    add_joined(l, home, "/.fonts.conf");
    add_joined(l, home, "/.fonts.conf.d");
    if (xd && xd[0] == '/') add_joined(l, xd, "/fonts");
    else add_joined(l, home, "/.local/share/fonts");
    const char *cfg[] = { "/fontconfig", "/fontconfig/fonts.conf", "/fontconfig/conf.d" };
    for (size_t i = 0; i < sizeof cfg / sizeof *cfg; i++) {
        if (xc && xc[0] == '/') add_joined(l, xc, cfg[i]);
        else {
            char rest[64];
            snprintf(rest, sizeof rest, "/.config%s", cfg[i]);
            add_joined(l, home, rest);
        }
    }
}

static char *stamp_of(const path_list *l)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out) return NULL;
    fprintf(out, "v %d\n", FcGetVersion());
    for (size_t i = 0; i < sizeof STEERING / sizeof *STEERING; i++) env_line(out, STEERING[i]);
    for (size_t i = 0; i < l->n; i++) stat_line(out, l->v[i]);
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* The stamp of cfg: its configuration files and folders, its font
 * folders and the usual places, looked at now. */
static char *stamp_of_config(FcConfig *cfg)
{
    path_list l = { NULL, 0, 0 };
    add_strlist(&l, FcConfigGetConfigFiles(cfg));
    add_strlist(&l, FcConfigGetConfigDirs(cfg));
    add_strlist(&l, FcConfigGetFontDirs(cfg));
    add_usual_places(&l);
    char *s = stamp_of(&l);
    for (size_t i = 0; i < l.n; i++) free(l.v[i]);
    free(l.v);
    return s;
}

/* ---- answers ---- */

rg_font_memo *rg_font_memo_new(void)
{
    return rg_xcalloc(1, sizeof(rg_font_memo));
}

static answer *find(const rg_font_memo *m, const char *family, int bold, int italic)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].bold == bold && m->v[i].italic == italic &&
            !strcasecmp(m->v[i].family, family))
            return &m->v[i];
    return NULL;
}

int rg_font_memo_get(const rg_font_memo *m, const char *family, int bold, int italic,
                     const char **path, unsigned *index, int *style_ok)
{
    const answer *a = m ? find(m, family, bold != 0, italic != 0) : NULL;
    if (!a) return 0;
    *path = a->path;
    *index = a->index;
    *style_ok = a->style_ok;
    return 1;
}

static int storable(const char *s)
{
    return !s || !strpbrk(s, "\t\n");
}

static void put(rg_font_memo *m, const char *family, int bold, int italic, const char *path,
                unsigned index, int style_ok, int loaded)
{
    answer *a = find(m, family, bold, italic);
    if (!a) {
        rg_grow(&m->v, &m->cap, m->n + 1, sizeof *m->v);
        a = &m->v[m->n++];
        a->family = rg_xstrdup(family);
        a->bold = bold;
        a->italic = italic;
    } else {
        free(a->path);
    }
    a->path = path ? rg_xstrdup(path) : NULL;
    a->index = index;
    a->style_ok = style_ok;
    a->loaded = loaded;
}

void rg_font_memo_put(rg_font_memo *m, const char *family, int bold, int italic,
                      const char *path, unsigned index, int style_ok)
{
    if (!*family || !storable(family) || !storable(path)) return;
    put(m, family, bold != 0, italic != 0, path, index, style_ok != 0, 0);
    m->changed = 1;
}

int rg_font_memo_changed(const rg_font_memo *m)
{
    return m && m->changed;
}

void rg_font_memo_free(rg_font_memo *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].family);
        free(m->v[i].path);
    }
    free(m->v);
    free(m->stamp);
    free(m);
}

/* ---- reading ---- */

/* The memo's text, or NULL when there is none or it is not a regular
 * file of at most MAX_MEMO_BYTES (opened without blocking: a FIFO put
 * there cannot hang a run). */
static char *read_text(const char *path)
{
    char *text, why[160];
    size_t n;
    if (rg_read_regular(path, MAX_MEMO_BYTES, &text, &n, NULL, why, sizeof why) != RG_OK)
        return NULL;
    return text;
}

/* The path of an s line ("s - PATH" or "s MTIME SIZE INODE PATH"). */
static const char *stat_line_path(const char *line)
{
    const char *p = line + 2;
    int fields = p[0] == '-' && p[1] == ' ' ? 1 : 3;
    for (int i = 0; i < fields; i++) {
        p = strchr(p, ' ');
        if (!p) return NULL;
        p++;
    }
    return *p ? p : NULL;
}

/* One a line into m; 0 when it is malformed. */
static int parse_answer(rg_font_memo *m, char *line)
{
    int bold, italic, style_ok, used = 0;
    unsigned index;
    if (sscanf(line, "a %d %d %d %u %n", &bold, &italic, &style_ok, &index, &used) != 4 ||
        !used)
        return 0;
    char *family = line + used, *tab = strchr(family, '\t');
    if (!tab || tab == family || (bold | italic | style_ok) & ~1) return 0;
    *tab = 0;
    put(m, family, bold, italic, tab[1] ? tab + 1 : NULL, index, style_ok, 1);
    return 1;
}

rg_font_memo *rg_font_memo_load(const char *path)
{
    char *text = path ? read_text(path) : NULL;
    if (!text || strncmp(text, MAGIC, strlen(MAGIC))) {
        free(text);
        return NULL;
    }
    rg_font_memo *m = rg_font_memo_new();
    path_list l = { NULL, 0, 0 };
    char *stored = NULL;
    size_t stored_len = 0;
    FILE *stamp = open_memstream(&stored, &stored_len);
    int ok = stamp != NULL;
    for (char *line = text + strlen(MAGIC); ok && *line;) {
        char *end = strchr(line, '\n');
        if (!end) {
            ok = 0;                /* cut short */
            break;
        }
        *end = 0;
        if (line[0] == 's' && line[1] == ' ') {
            const char *p = stat_line_path(line);
            ok = p != NULL;
            if (ok) add_path(&l, p);
        }
        if ((line[0] == 'v' || line[0] == 'e' || line[0] == 's') && line[1] == ' ')
            fprintf(stamp, "%s\n", line);
        else if (line[0] != 'a' || !parse_answer(m, line))
            ok = 0;
        line = end + 1;
    }
    if (stamp && fclose(stamp) != 0) ok = 0;
    char *now = ok ? stamp_of(&l) : NULL;
    ok = ok && now && stored && !strcmp(now, stored);
    for (size_t i = 0; i < l.n; i++) free(l.v[i]);
    free(l.v);
    free(now);
    free(text);
    if (!ok) {
        free(stored);
        rg_font_memo_free(m);
        return NULL;
    }
    m->stamp = stored;
    return m;
}

/* ---- writing ---- */

/* Makes the folders above path (like mkdir -p, mode 0700 as the XDG base
 * directory rules ask). */
void rg_font_memo_make_parents(const char *path)
{
    char *p = rg_xstrdup(path);
    for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = 0;
        if (mkdir(p, 0700) != 0 && errno != EEXIST) break;
        *s = '/';
    }
    free(p);
}

int rg_font_memo_replace(const char *path, void (*write)(FILE *out, void *data), void *data)
{
    struct stat st;
    if (!path || (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)))
        return -1;         /* not ours to replace (a FIFO, a link) */
    rg_font_memo_make_parents(path);
    size_t n = strlen(path);
    char *tmp = rg_xmalloc(n + 8);
    snprintf(tmp, n + 8, "%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (fd >= 0 && !out) close(fd);
    if (out) write(out, data);
    int ok = out && !ferror(out);
    if (out && fclose(out) != 0) ok = 0;
    if (ok) ok = rename(tmp, path) == 0;
    if (!ok && fd >= 0) unlink(tmp);
    free(tmp);
    return ok ? 0 : -1;
}

typedef struct memo_text {
    const rg_font_memo *m;
    const char *stamp;
    int keep_loaded;
} memo_text;

static void write_memo(FILE *out, void *data)
{
    const memo_text *t = data;
    fputs(MAGIC, out);
    fputs(t->stamp, out);
    for (size_t i = 0; i < t->m->n; i++) {
        const answer *a = &t->m->v[i];
        if (a->loaded && !t->keep_loaded) continue;
        fprintf(out, "a %d %d %d %u %s\t%s\n", a->bold, a->italic, a->style_ok, a->index,
                a->family, a->path ? a->path : "");
    }
}

int rg_font_memo_save(rg_font_memo *m, FcConfig *cfg, const char *path)
{
    char *stamp = path ? stamp_of_config(cfg) : NULL;
    if (!stamp) return -1;
    /* answers read under another stamp may not hold for this configuration */
    memo_text t = { m, stamp, m->stamp && !strcmp(m->stamp, stamp) };
    int ok = rg_font_memo_replace(path, write_memo, &t) == 0;
    free(stamp);
    if (ok) m->changed = 0;
    return ok ? 0 : -1;
}
