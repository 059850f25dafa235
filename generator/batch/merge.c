/* batch/merge.c - reportgen batch --merge OUTDIR SRC...: the output
 * folders of shards built apart, combined into one. Stage: batch.
 *
 * Everything is checked before anything is written: a PDF of one name
 * that two sources built from different inputs (their manifests' hashes
 * differ), or a file in OUTDIR that OUTDIR's manifest does not record
 * (someone else's), stops the merge with nothing changed. Then each PDF
 * a source's manifest records is copied into a temporary file in OUTDIR
 * and renamed over its name, under the output's claim (as batch builds
 * it), and its line appended to OUTDIR's manifest with the definition's
 * path made relative to OUTDIR; a PDF whose bytes OUTDIR already holds is
 * not copied again, so merging twice changes nothing. The manifest is
 * compacted at the end, as a batch's is. */
#include "manifest.h"
#include "pipeline/pipeline.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One PDF to merge: where it is and the line it gets in OUTDIR. */
typedef struct pick {
    const char *src;               /* the source folder as given */
    char pdf[4400];                /* the PDF there */
    rg_manifest_entry e;              /* definition relative to OUTDIR */
} pick;

typedef struct merge {
    const char *outdir;
    char *outdir_real;
    pick *picks;
    size_t n, cap;
    rg_status status;              /* the first refusal */
    size_t copied, unchanged;
} merge;

static void refuse(merge *m, rg_status st)
{
    if (m->status == RG_OK) m->status = st;
}

static pick *find_pick(merge *m, const char *output)
{
    for (size_t k = 0; k < m->n; k++)
        if (!strcmp(m->picks[k].e.output, output)) return &m->picks[k];
    return NULL;
}

static char *dup_or_null(const char *s)
{
    return s ? rg_xstrdup(s) : NULL;
}

/* e as OUTDIR's line: the same, but its definition relative to OUTDIR. */
static void rebase(const merge *m, const char *src_real, const rg_manifest_entry *e,
                   rg_manifest_entry *out)
{
    out->output = rg_xstrdup(e->output);
    out->hash = e->hash;
    out->period = dup_or_null(e->period);
    out->from = dup_or_null(e->from);
    out->to = dup_or_null(e->to);
    out->title = dup_or_null(e->title);
    if (!e->definition || e->definition[0] == '/') {
        out->definition = dup_or_null(e->definition);
        return;
    }
    char *abs = lexical_path(src_real, e->definition);
    out->definition = relative_to(m->outdir_real, abs);
    free(abs);
}

/* Takes the PDFs src's manifest records (and src holds); a name another
 * source gives other inputs is refused, naming both. */
static void collect(merge *m, const char *src)
{
    char *real = realpath(src, NULL);
    if (!real) {
        fprintf(stderr, "%s: error: cannot read folder: %s\n", src, strerror(errno));
        refuse(m, RG_EX_NOINPUT);
        return;
    }
    if (!strcmp(real, m->outdir_real)) {
        fprintf(stderr, "%s: error: it is the folder merged into\n", src);
        refuse(m, RG_EX_USAGE);
        free(real);
        return;
    }
    manifest *man = NULL;
    rg_status st = manifest_read(src, stderr, &man);
    size_t n = 0;
    const rg_manifest_entry *es = st == RG_OK ? manifest_entries(man, &n) : NULL;
    if (st != RG_OK) refuse(m, st);
    else if (n == 0) fprintf(stderr, "%s: warning: no reports recorded (%s): nothing merged from it\n",
                             src, RG_MANIFEST_NAME);
    for (size_t k = 0; k < n; k++) {
        pick p = { .src = src };
        struct stat sb;
        snprintf(p.pdf, sizeof p.pdf, "%s/%s", src, es[k].output);
        if (stat(p.pdf, &sb) != 0 || !S_ISREG(sb.st_mode)) continue;   /* compaction drops it too */
        pick *had = find_pick(m, es[k].output);
        if (had && had->e.hash != es[k].hash) {
            fprintf(stderr, "%s: error: built from other inputs than %s/%s (input hash %016llx, "
                    "there %016llx): run the shards with the same definitions and options\n",
                    p.pdf, had->src, had->e.output, (unsigned long long)es[k].hash,
                    (unsigned long long)had->e.hash);
            refuse(m, RG_EX_DATAERR);
        }
        if (had) continue;
        rebase(m, real, &es[k], &p.e);
        rg_grow(&m->picks, &m->cap, m->n + 1, sizeof *m->picks);
        m->picks[m->n++] = p;
    }
    manifest_free(man);
    free(real);
}

/* Refuses a pick whose name in OUTDIR holds something OUTDIR's manifest
 * does not record: a file that is not a batch's. */
static void check_outdir(merge *m, manifest *out)
{
    size_t n = 0;
    const rg_manifest_entry *es = manifest_entries(out, &n);
    for (size_t k = 0; k < m->n; k++) {
        char dst[4400];
        struct stat sb;
        snprintf(dst, sizeof dst, "%s/%s", m->outdir, m->picks[k].e.output);
        if (lstat(dst, &sb) != 0) continue;
        int recorded = 0;
        for (size_t i = 0; i < n && !recorded; i++) recorded = !strcmp(es[i].output, m->picks[k].e.output);
        if (recorded && S_ISREG(sb.st_mode)) continue;
        fprintf(stderr, "%s: error: %s, refusing to replace it with %s\n", dst,
                S_ISREG(sb.st_mode) ? "not recorded in the folder's manifest (not a batch's "
                "output)" : "not a regular file", m->picks[k].pdf);
        refuse(m, RG_EX_CANTCREAT);
    }
}

/* Do the files at a and b hold the same bytes? */
static int same_bytes(const char *a, const char *b)
{
    int fa = open(a, O_RDONLY | O_CLOEXEC), fb = open(b, O_RDONLY | O_CLOEXEC);
    int same = fa >= 0 && fb >= 0;
    char x[65536], y[65536];
    while (same) {
        ssize_t na = read(fa, x, sizeof x), nb = read(fb, y, sizeof y);
        same = na >= 0 && na == nb && !memcmp(x, y, (size_t)na);
        if (na <= 0) break;
    }
    if (fa >= 0) close(fa);
    if (fb >= 0) close(fb);
    return same;
}

/* Copies the file at from into fd: 0, or -1 with errno. */
static int copy_into(const char *from, int fd)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0) return -1;
    char buf[65536];
    ssize_t got;
    while ((got = read(in, buf, sizeof buf)) > 0)
        if (rg_write_all(fd, buf, (size_t)got) != 0) break;
    int saved = errno, bad = got != 0;
    close(in);
    errno = saved;
    return bad ? -1 : 0;
}

/* Copies from to dst: a temporary file in dir, fsync'd, renamed over dst
 * (closed only after, so that no sweep takes it for a dead run's). 0, or
 * -1 with errno. */
static int copy_atomically(const char *dir, const char *from, const char *dst)
{
    char tmp[4400];
    int slot;
    snprintf(tmp, sizeof tmp, "%s/.reportgen-XXXXXX", dir);
    int fd = rg_build_temp_create(tmp, &slot);
    if (fd < 0) return -1;
    mode_t mask = umask(0);
    umask(mask);
    int bad = fchmod(fd, 0666 & ~mask) != 0 || copy_into(from, fd) != 0 || fsync(fd) != 0 ||
              rename(tmp, dst) != 0;
    int saved = errno;
    if (bad) unlink(tmp);
    if (close(fd) != 0 && !bad) bad = 1, saved = errno;
    rg_build_temp_release(slot);
    errno = saved;
    return bad ? -1 : 0;
}

/* One pick into OUTDIR under its claim: copied unless OUTDIR has its
 * bytes, its line appended unless OUTDIR records it as it is. */
static rg_status merge_one(merge *m, manifest *out, const pick *p)
{
    char dst[4400];
    snprintf(dst, sizeof dst, "%s/%s", m->outdir, p->e.output);
    claim c;
    if (claim_take(m->outdir, p->e.output, &c) != 0) {
        fprintf(stderr, "%s: error: cannot take the claim to write it: %s\n", dst, strerror(errno));
        return RG_EX_CANTCREAT;
    }
    rg_status st = RG_OK;
    int copy = !same_bytes(p->pdf, dst);
    if (copy && copy_atomically(m->outdir, p->pdf, dst) != 0) {
        fprintf(stderr, "%s: error: cannot copy %s here: %s\n", dst, p->pdf, strerror(errno));
        st = RG_EX_CANTCREAT;
    }
    if (st == RG_OK && (copy || manifest_recorded(out, p->e.output, p->e.hash, p->e.definition) != RECORDED))
        st = manifest_append(out, &p->e);
    if (st == RG_OK) copy ? m->copied++ : m->unchanged++;
    claim_give(&c);
    return st;
}

static rg_status merge_into(merge *m, char *const *srcs, int nsrcs)
{
    if (make_folders(m->outdir) != 0 || !(m->outdir_real = realpath(m->outdir, NULL))) {
        fprintf(stderr, "%s: error: cannot create the output folder: %s\n", m->outdir,
                strerror(errno));
        return RG_EX_CANTCREAT;
    }
    for (int i = 0; i < nsrcs; i++) collect(m, srcs[i]);
    if (m->status != RG_OK) return m->status;
    sweep_dead_runs_files(m->outdir);
    manifest *out = NULL;
    rg_status st = manifest_open(m->outdir, stderr, &out);
    if (st == RG_OK) check_outdir(m, out);
    if (st == RG_OK && m->status != RG_OK) st = m->status;
    for (size_t k = 0; k < m->n && st == RG_OK; k++) st = merge_one(m, out, &m->picks[k]);
    if (st == RG_OK && rg_sync_folder(m->outdir) != 0) {
        fprintf(stderr, "%s: error: cannot sync the folder: %s\n", m->outdir, strerror(errno));
        st = RG_EX_CANTCREAT;
    }
    if (out) {
        rg_status compacted = manifest_compact(out);
        if (st == RG_OK) st = compacted;
    }
    manifest_free(out);
    return st;
}

int merge_folders(const char *outdir, char *const *srcs, int nsrcs)
{
    merge m = { .outdir = outdir };
    rg_status st = merge_into(&m, srcs, nsrcs);
    if (st == RG_OK)
        printf("merge: %zu copied, %zu already there (%d folder%s into %s)\n", m.copied,
               m.unchanged, nsrcs, nsrcs == 1 ? "" : "s", outdir);
    else
        fprintf(stderr, "%s: %s\n", outdir, m.copied ? "merge stopped: the PDFs copied so far are "
                "recorded in its manifest" : "nothing merged");
    for (size_t k = 0; k < m.n; k++) rg_manifest_entry_clear(&m.picks[k].e);
    free(m.picks);
    free(m.outdir_real);
    return st;
}
