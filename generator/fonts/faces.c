/* fonts/faces.c - facts about faces kept between runs (see fonts/faces.h).
 * Stage: fonts. Owns the faces file, a text file:
 *
 *   reportgen face facts 1
 *   f 1 0 1608951682.000000000 515752 1065038 /usr/share/fonts/truetype/noto/NotoSans-Bold.ttf
 *
 * one f line per face: its space plain (1) or not (0), its face index,
 * its file's status when the fact was found, its path. */
#include "faces.h"
#include "memo.h"
#include "base/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAGIC "reportgen face facts 1\n"
enum { MAX_FACTS_BYTES = 1 << 20 };

typedef struct fact {
    char *status;                  /* "MTIME SIZE INODE", then (after its NUL) the path */
    const char *path;
    unsigned index;
    int plain;
} fact;

struct rg_face_facts {
    fact *v;
    size_t n, cap;
    int changed;
};

char *rg_face_facts_path(void)
{
    char *p = rg_font_memo_path();         /* .../reportgen/fonts */
    char *slash = p ? strrchr(p, '/') : NULL;
    if (slash && !strcmp(slash, "/fonts")) memcpy(slash, "/faces", sizeof "/faces");
    return p;
}

int rg_face_status(const char *path, char *out, size_t cap)
{
    struct stat st;
    if (stat(path, &st) != 0) return -1;
    snprintf(out, cap, "%lld.%09ld %lld %llu", (long long)st.st_mtim.tv_sec,
             (long)st.st_mtim.tv_nsec, (long long)st.st_size, (unsigned long long)st.st_ino);
    return 0;
}

static fact *find(const rg_face_facts *m, const char *path, unsigned index)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].index == index && !strcmp(m->v[i].path, path)) return &m->v[i];
    return NULL;
}

static void put(rg_face_facts *m, const char *path, unsigned index, const char *status,
                int plain)
{
    fact *f = find(m, path, index);
    if (!f) {
        rg_grow(&m->v, &m->cap, m->n + 1, sizeof *m->v);
        f = &m->v[m->n++];
        f->status = NULL;
        f->index = index;
    }
    size_t ns = strlen(status) + 1, np = strlen(path) + 1;
    char *text = rg_xmalloc(ns + np);
    memcpy(text, status, ns);
    memcpy(text + ns, path, np);
    free(f->status);
    f->status = text;
    f->path = text + ns;
    f->plain = plain;
}

int rg_face_facts_space_plain(const rg_face_facts *m, const char *path, unsigned index,
                              const char *status)
{
    const fact *f = m && status ? find(m, path, index) : NULL;
    return f && !strcmp(f->status, status) ? f->plain : -1;
}

void rg_face_facts_put_space_plain(rg_face_facts *m, const char *path, unsigned index,
                                   const char *status, int plain)
{
    if (!status || !*path || strchr(path, '\n')) return;
    put(m, path, index, status, plain != 0);
    m->changed = 1;
}

int rg_face_facts_changed(const rg_face_facts *m)
{
    return m && m->changed;
}

void rg_face_facts_free(rg_face_facts *m)
{
    for (size_t i = 0; m && i < m->n; i++) free(m->v[i].status);
    if (m) free(m->v);
    free(m);
}

/* One f line into m; 0 when it is malformed. */
static int parse_fact(rg_face_facts *m, const char *line)
{
    int plain, used = 0;
    unsigned index;
    long long size;
    unsigned long long ino;
    char mtime[40], status[RG_FACE_STATUS_MAX];
    if (sscanf(line, "f %d %u %39s %lld %llu %n", &plain, &index, mtime, &size, &ino, &used) !=
            5 || !used || (plain & ~1) || !line[used])
        return 0;
    snprintf(status, sizeof status, "%s %lld %llu", mtime, size, ino);
    put(m, line + used, index, status, plain);
    return 1;
}

rg_face_facts *rg_face_facts_load(const char *path)
{
    rg_face_facts *m = rg_xcalloc(1, sizeof *m);
    char *text = NULL, why[160];
    size_t len;
    /* opened without blocking: a FIFO put there cannot hang a run */
    if (!path || rg_read_regular(path, MAX_FACTS_BYTES, &text, &len, NULL, why, sizeof why) !=
                     RG_OK)
        return m;
    int ok = !strncmp(text, MAGIC, strlen(MAGIC));
    for (char *line = text + (ok ? strlen(MAGIC) : 0); ok && *line;) {
        char *end = strchr(line, '\n');
        if (!end) break;                       /* cut short: the lines before hold */
        *end = 0;
        ok = parse_fact(m, line);
        line = end + 1;
    }
    free(text);
    if (!ok) {                                 /* damaged: none of it */
        rg_face_facts_free(m);
        m = rg_xcalloc(1, sizeof *m);
    }
    return m;
}

static void write_facts(FILE *out, void *data)
{
    const rg_face_facts *m = data;
    fputs(MAGIC, out);
    for (size_t i = 0; i < m->n; i++) {
        const fact *f = &m->v[i];
        char now[RG_FACE_STATUS_MAX];          /* a file changed or gone: its fact goes */
        if (rg_face_status(f->path, now, sizeof now) == 0 && !strcmp(now, f->status))
            fprintf(out, "f %d %u %s %s\n", f->plain, f->index, f->status, f->path);
    }
}

int rg_face_facts_save(rg_face_facts *m, const char *path)
{
    if (rg_font_memo_replace(path, write_facts, m) != 0) return -1;
    m->changed = 0;
    return 0;
}
