/* pdf/font.c - embedded fonts. Stage: pdf. Owns, per rg_font used in the
 * display list, the Type0 (Identity-H) font with its CIDFontType2
 * descendant, FontDescriptor, W array, ToUnicode CMap and the FontFile2
 * subset made with hb-subset. Built in two steps: rg_pdf_fonts_collect
 * sees every glyph run first (glyph set, glyph -> text), then
 * rg_pdf_fonts_build subsets each font, so the content streams written
 * afterwards can use the subset's renumbered glyph ids as CIDs. The
 * subsetting and compression run on two threads (see "building").
 *
 * Subset choice, measured on a one-page test with three Noto Sans faces
 * (regular 54 glyphs, bold 14, italic 22; whole file, Flate on):
 *   renumbered, CID = new GID, CIDToGIDMap /Identity   14199 bytes
 *   RETAIN_GIDS, CID = GID, /Identity                  14998 bytes
 *   renumbered, CID = old GID, CIDToGIDMap stream      15354 bytes
 * so glyphs are renumbered and the content streams use the new ids (which
 * is why fonts are built before any page is written); the W array then
 * collapses to a single range. Hinting instructions are dropped
 * (HB_SUBSET_FLAGS_NO_HINTING): with them the same file is 23715 bytes,
 * and PDF viewers rasterise unhinted (poppler, pdf.js, MuPDF) or
 * with their own hinting. */
#include "internal.h"

#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <hb-subset.h>
#include <hb.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "fonts/fonts.h"

/* A ToUnicode destination string holds at most 512 bytes (PDF 32000-1,
 * 9.10.3): 256 UTF-16 units. Longer clusters are cut there. */
enum { MAX_CLUSTER_UNITS = 256 };

/* bfchar entries per beginbfchar block: the CMap format's limit. */
enum { BFCHAR_CHUNK = 100 };

/* FontDescriptor /Flags bits (PDF 32000-1, table 123) */
enum { FLAG_FIXED_PITCH = 1, FLAG_SYMBOLIC = 4, FLAG_ITALIC = 64 };

typedef struct uni_span {
    uint32_t off, len;             /* UTF-16 units in rg_pdf_font.text; len 0 = none */
} uni_span;

struct rg_pdf_font {
    const rg_font *src;
    unsigned upem, nglyphs;
    unsigned char *used;           /* per source gid */
    uni_span *uni;                 /* per source gid */
    uint16_t *text;                /* UTF-16 units the spans point into */
    size_t text_len, text_cap;
    uint32_t space;                /* the glyph of U+0020, 0: none */
    uint16_t *cid;                 /* per source gid, after build */
    unsigned ncids;                /* CIDs 0..ncids-1 after build */
    HPDF_Dict type0;
};

struct rg_pdf_fonts {
    rg_pdf_writer *w;
    rg_pdf_font **fonts;
    size_t n, cap;
    rg_pdf_font *last;             /* runs come in streaks of one font */
};

rg_pdf_fonts *rg_pdf_fonts_new(rg_pdf_writer *w)
{
    rg_pdf_fonts *fs = rg_xcalloc(1, sizeof *fs);
    fs->w = w;
    return fs;
}

static void font_free(rg_pdf_font *pf)
{
    free(pf->used);
    free(pf->uni);
    free(pf->text);
    free(pf->cid);
    free(pf);
}

void rg_pdf_fonts_free(rg_pdf_fonts *fs)
{
    if (!fs) return;
    for (size_t i = 0; i < fs->n; i++) font_free(fs->fonts[i]);
    free(fs->fonts);
    free(fs);
}

const rg_pdf_font *rg_pdf_fonts_find(const rg_pdf_fonts *fs, const rg_font *f)
{
    for (size_t i = 0; i < fs->n; i++)
        if (fs->fonts[i]->src == f) return fs->fonts[i];
    return NULL;
}

rg_pdf_font *rg_pdf_fonts_lookup(rg_pdf_fonts *fs, const rg_font *f)
{
    if (fs->last && fs->last->src == f) return fs->last;
    for (size_t i = 0; i < fs->n; i++)
        if (fs->fonts[i]->src == f) return fs->last = fs->fonts[i];
    return NULL;
}

HPDF_Dict rg_pdf_font_dict(const rg_pdf_font *pf) { return pf->type0; }

unsigned rg_pdf_font_cid(const rg_pdf_font *pf, uint32_t gid)
{
    return gid < pf->nglyphs && pf->cid ? pf->cid[gid] : 0;
}

uint32_t rg_pdf_font_space(const rg_pdf_font *pf) { return pf->space; }


/* Maps the nominal glyph of cp (UTF-8 utf8) in f to cp itself in pf's
 * ToUnicode, before any run can give it another text. */
static void map_own_char(rg_pdf_font *pf, const rg_font *f, uint32_t cp, const char *utf8)
{
    hb_codepoint_t gid;
    if (!hb_font_get_nominal_glyph(rg_font_hb(f), cp, &gid) || gid == 0 || gid >= pf->nglyphs)
        return;
    size_t off = pf->text_len;
    rg_pdf_utf16(utf8, strlen(utf8), 1, &pf->text, &pf->text_len, &pf->text_cap);
    pf->uni[gid] = (uni_span){ (uint32_t)off, (uint32_t)(pf->text_len - off) };
}

/* For /ActualText (pdf/struct.c): what extraction gives for a glyph. */
const uint16_t *rg_pdf_font_unicode(const rg_pdf_font *pf, uint32_t gid, size_t *n)
{
    if (gid >= pf->nglyphs || !pf->uni[gid].len) {
        *n = 0;
        return NULL;
    }
    *n = pf->uni[gid].len;
    return pf->text + pf->uni[gid].off;
}

static rg_pdf_font *font_get(rg_pdf_fonts *fs, const rg_font *f)
{
    rg_pdf_font *pf = rg_pdf_fonts_lookup(fs, f);
    if (pf) return pf;
    pf = rg_xcalloc(1, sizeof *pf);
    pf->src = f;
    pf->upem = rg_font_upem(f);
    pf->nglyphs = rg_font_glyph_count(f);
    pf->used = rg_xcalloc(pf->nglyphs, 1);
    pf->uni = rg_xcalloc(pf->nglyphs, sizeof *pf->uni);
    pf->used[0] = 1;               /* .notdef: hb-subset keeps it as glyph 0 anyway */
    /* .notdef stands for every character no face has: it extracts as
     * U+FFFD, and each such character gets its own /ActualText, rather
     * than all reading as the first one seen */
    rg_pdf_utf16("\xEF\xBF\xBD", 3, 1, &pf->text, &pf->text_len, &pf->text_cap);
    pf->uni[0] = (uni_span){ 0, (uint32_t)pf->text_len };
    hb_codepoint_t space;
    if (hb_font_get_nominal_glyph(rg_font_hb(f), 0x20, &space) && space < pf->nglyphs)
        pf->space = space;
    /* the glyphs text/text.c draws for characters no face has extract as
     * themselves, so that those characters get /ActualText rather than
     * lending their text to the glyph (and to every real U+FFFD or '?') */
    map_own_char(pf, f, 0xFFFD, "\xEF\xBF\xBD");
    map_own_char(pf, f, '?', "?");
    rg_grow(&fs->fonts, &fs->cap, fs->n + 1, sizeof *fs->fonts);
    fs->fonts[fs->n++] = pf;
    return fs->last = pf;
}

/* End (byte offset) of the cluster starting at glyph i: the smallest
 * cluster value above its own among the run's glyphs, else the text end.
 * Left-to-right runs find it at the next differing glyph. */
size_t rg_pdf_cluster_end(const rg_dl_glyphs *run, size_t i)
{
    uint32_t start = run->glyphs[i].cluster;
    size_t end = run->text_len;
    for (size_t j = i + 1; j < run->nglyphs; j++) {
        uint32_t c = run->glyphs[j].cluster;
        if (c == start) continue;
        if (c > start) return c < end ? c : end;
        break;                     /* not monotonic: scan everything */
    }
    for (size_t j = 0; j < run->nglyphs; j++) {
        uint32_t c = run->glyphs[j].cluster;
        if (c > start && c < end) end = c;
    }
    return end;
}

/* The first glyph of a cluster stands for the cluster's whole text (a
 * ligature maps to several characters); the cluster's other glyphs map to
 * nothing so text extraction returns the text once. The first text seen
 * for a glyph wins (same glyph with another text needs /ActualText). */
static void map_cluster(rg_pdf_font *pf, const rg_dl_glyphs *run, size_t i)
{
    const rg_glyph *g = &run->glyphs[i];
    const uni_span *u = &pf->uni[g->gid];
    /* ... except over a lone soft hyphen: layout draws the hyphen glyph for
     * U+00AD at hyphenated line ends, and the glyph's own text '-' is the
     * better map when the document has one; the U+00AD places then get
     * /ActualText (pdf/struct.c), as whole runs. */
    int soft = u->len == 1 && pf->text[u->off] == 0x00AD;
    if (u->len && !soft) return;
    if (i > 0 && run->glyphs[i - 1].cluster == g->cluster) return;
    size_t start = g->cluster, end = rg_pdf_cluster_end(run, i);
    if (start >= end || end > run->text_len) return;
    if (soft && end - start == 2 && !memcmp(run->text + start, "\xC2\xAD", 2)) return;
    size_t off = pf->text_len;
    rg_pdf_utf16(run->text + start, end - start, MAX_CLUSTER_UNITS, &pf->text,
                 &pf->text_len, &pf->text_cap);
    if (pf->text_len > UINT32_MAX) return;
    pf->uni[g->gid].off = (uint32_t)off;
    pf->uni[g->gid].len = (uint32_t)(pf->text_len - off);
}

/* The word separator after a run (RG_RUN_SPACE_AFTER) is the space glyph,
 * which must extract as U+0020: it gets that map even when another
 * cluster drew the glyph first (a soft hyphen inside a line, which
 * HarfBuzz shows as a space, or a no-break space in a face whose U+00A0
 * is its space glyph); those clusters then get /ActualText. */
static void use_space(rg_pdf_font *pf)
{
    if (!pf->space) return;
    pf->used[pf->space] = 1;
    uni_span *u = &pf->uni[pf->space];
    if (u->len == 1 && pf->text[u->off] == 0x20) return;
    size_t off = pf->text_len;
    rg_pdf_utf16(" ", 1, 1, &pf->text, &pf->text_len, &pf->text_cap);
    if (pf->text_len > UINT32_MAX) return;
    u->off = (uint32_t)off;
    u->len = (uint32_t)(pf->text_len - off);
}

void rg_pdf_fonts_collect(rg_pdf_fonts *fs, const rg_dl_glyphs *run)
{
    if (!run->font || run->nglyphs == 0) return;
    rg_pdf_font *pf = font_get(fs, run->font);
    for (size_t i = 0; i < run->nglyphs; i++) {
        uint32_t gid = run->glyphs[i].gid;
        if (gid >= pf->nglyphs) {
            rg_pdf_fail(fs->w, RG_EX_SOFTWARE, "glyph id %u out of range for font %s",
                        (unsigned)gid, rg_font_psname(run->font));
            return;
        }
        pf->used[gid] = 1;
        if (run->text) map_cluster(pf, run, i);
    }
    if (run->flags & RG_RUN_SPACE_AFTER) use_space(pf);
}

/* ---- building ----
 *
 * In two phases. (a) font_prepare does, per font, everything that needs
 * no libharu: the hb-subset font file and the CID maps, the subset tag,
 * the widths, the ToUnicode CMap and CIDSet bytes, and those three
 * streams deflated with a zlib stream of the running thread's own. It
 * writes only the font's job and the font's cid/ncids, so the fonts are
 * shared out over FONT_THREADS threads (the calling one and a worker).
 * (b) font_emit, on the calling thread afterwards and in font order, makes
 * the libharu objects (libharu's allocator and xref are shared, not
 * thread-safe), hashes the streams for the /ID and reports what failed in
 * (a) through the sticky error. Objects, object numbers and the hash come
 * in the same order as when one thread did it all: the output is the same
 * bytes whichever thread prepared which font.
 *
 * Measured on the 8-page sample (6 faces, callgrind): phase (a) is ~27 M
 * instructions, 97% of the font work, of which hb_subset_plan_create_or_fail
 * is 18 M (with a glyph set as input it maps the face's whole cmap, to keep
 * the code points of the kept glyphs) and deflate 8 M; the calling thread
 * now runs about half of it (14-15 M, callgrind --fair-sched=yes). A font
 * takes 0.3-0.7 ms: ~0.08 us per glyph of the face plus ~3 us per glyph
 * kept. */

/* Threads that prepare fonts, the calling one included. The machines this
 * runs on have 2 cores, and a document's 4-6 fonts would leave a third
 * thread little to take. */
enum { FONT_THREADS = 2 };

/* Why a font's phase (a) failed; phase (b) words the diagnostic. */
typedef enum { PREP_OK, PREP_SUBSET, PREP_ZLIB, PREP_TOO_LARGE } prep_error;

/* A stream's bytes after phase (a): raw, which the /ID hash covers, and
 * deflated in z, unless deflating would not shrink them (flate 0: stored
 * raw, as pdf/deflate.c does). raw points into the job. */
typedef struct packed {
    const void *raw;
    size_t raw_len;
    rg_pdf_buf z;
    int flate;
} packed;

/* One font's phase (a): its input (pf, want_cidset) and its results. */
typedef struct font_job {
    rg_pdf_font *pf;
    int want_cidset;               /* PDF/A: a CIDSet stream */
    prep_error err;
    const char *zmsg;              /* PREP_ZLIB: zlib's message (a static string) */
    size_t too_large;              /* PREP_TOO_LARGE: the stream's size */
    char tag[7];                   /* subset tag */
    uint32_t *gid_of;              /* CID -> source gid, UINT32_MAX: none */
    int32_t *adv;                  /* CID -> advance, font units */
    hb_blob_t *file;               /* the subset font file */
    rg_pdf_buf cmap;               /* the ToUnicode CMap */
    unsigned char *cidset;         /* the CIDSet bits */
    packed file_s, cmap_s, cidset_s;
} font_job;

static void job_free(font_job *j)
{
    free(j->gid_of);
    free(j->adv);
    hb_blob_destroy(j->file);
    rg_pdf_buf_free(&j->cmap);
    free(j->cidset);
    rg_pdf_buf_free(&j->file_s.z);
    rg_pdf_buf_free(&j->cmap_s.z);
    rg_pdf_buf_free(&j->cidset_s.z);
}

/* Subset tag: six capitals from a hash of the glyph set and the name, so
 * equal input gives equal names and different subsets differ. */
static void subset_tag(const rg_pdf_font *pf, char tag[7])
{
    uint64_t h = 0xcbf29ce484222325u;               /* FNV-1a */
    const char *name = rg_font_psname(pf->src);
    for (const char *s = name; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    for (unsigned g = 0; g < pf->nglyphs; g++) {
        if (!pf->used[g]) continue;
        for (int k = 0; k < 4; k++) h = (h ^ ((g >> (8 * k)) & 0xff)) * 0x100000001b3u;
    }
    for (int i = 0; i < 6; i++) {
        tag[i] = (char)('A' + h % 26);
        h /= 26;
    }
    tag[6] = 0;
}

/* ---- phase (a): pure, any thread ---- */

/* Fills pf->cid, pf->ncids and j->gid_of from the plan's new -> old map,
 * which holds only the kept glyphs (the old -> new map would have to be
 * asked for every glyph of the face). New ids above 0xFFFF are no CIDs.
 * Cannot fail. */
static void cid_maps(font_job *j, hb_subset_plan_t *plan)
{
    rg_pdf_font *pf = j->pf;
    const hb_map_t *new_to_old = hb_subset_plan_new_to_old_glyph_mapping(plan);
    unsigned left = hb_map_get_population(new_to_old);
    size_t cap = 0;
    pf->cid = rg_xcalloc(pf->nglyphs, sizeof *pf->cid);
    pf->ncids = 0;
    for (unsigned n = 0; left > 0 && n <= 0xFFFF; n++) {
        hb_codepoint_t g = hb_map_get(new_to_old, n);
        if (g == HB_MAP_VALUE_INVALID) continue;
        left--;
        if (g >= pf->nglyphs) continue;
        rg_grow(&j->gid_of, &cap, n + 1, sizeof *j->gid_of);
        while (pf->ncids < n) j->gid_of[pf->ncids++] = UINT32_MAX;
        pf->cid[g] = (uint16_t)n;
        j->gid_of[pf->ncids++] = g;   /* with the components the subset added: W stays one range */
    }
    if (!j->gid_of) j->gid_of = rg_xmalloc(sizeof *j->gid_of);
}

/* The one code point the text of glyph g stands for, or -1 (no text, a
 * ligature's several, a lone surrogate). */
static long single_codepoint(const rg_pdf_font *pf, unsigned g)
{
    const uni_span *u = &pf->uni[g];
    const uint16_t *t = pf->text + u->off;
    if (u->len == 1 && (t[0] < 0xD800 || t[0] > 0xDFFF)) return t[0];
    if (u->len == 2 && t[0] >= 0xD800 && t[0] <= 0xDBFF && t[1] >= 0xDC00 && t[1] <= 0xDFFF)
        return 0x10000 + ((long)(t[0] - 0xD800) << 10) + (t[1] - 0xDC00);
    return -1;
}

/* Asks hb-subset for the used glyphs by their code points when every one
 * (but .notdef, always kept) is the nominal glyph of the one code point it
 * stands for, and by_codepoint is set: the plan then looks up only those
 * code points, where a glyph set makes it map the face's whole cmap (the
 * sample's six faces: 18 M instructions -> 2.5 M). Otherwise (a ligature,
 * an alternate, a glyph without text) it asks by glyph ids. Returns
 * whether it asked by code points. */
static int select_glyphs(const rg_pdf_font *pf, hb_face_t *face, hb_subset_input_t *in,
                         int by_codepoint)
{
    hb_set_t *unicodes = hb_subset_input_unicode_set(in);
    if (by_codepoint) {
        hb_font_t *font = hb_font_create(face);
        for (unsigned g = 1; g < pf->nglyphs && by_codepoint; g++) {
            if (!pf->used[g]) continue;
            long cp = single_codepoint(pf, g);
            hb_codepoint_t nominal;
            by_codepoint = cp >= 0 &&
                           hb_font_get_nominal_glyph(font, (hb_codepoint_t)cp, &nominal) &&
                           nominal == g;
            if (by_codepoint) hb_set_add(unicodes, (hb_codepoint_t)cp);
        }
        hb_font_destroy(font);
        if (by_codepoint) return 1;
    }
    hb_set_clear(unicodes);
    hb_set_t *glyphs = hb_subset_input_glyph_set(in);
    for (unsigned g = 0; g < pf->nglyphs; g++)
        if (pf->used[g]) hb_set_add(glyphs, g);
    return 0;
}

/* Whether the plan keeps every used glyph (what a plan made from code
 * points is checked for before it is trusted). */
static int keeps_used(const rg_pdf_font *pf, hb_subset_plan_t *plan)
{
    const hb_map_t *old_to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
    for (unsigned g = 0; g < pf->nglyphs; g++)
        if (pf->used[g] && !hb_map_has(old_to_new, g)) return 0;
    return 1;
}

/* Subsets pf's face to the used glyphs with an input and plan of this
 * thread's own (the face is made here too, over the font's bytes, which
 * are only read). Returns the subset font file with the CID maps filled
 * (cid_maps), or NULL with j->err set. */
static hb_blob_t *subset(font_job *j)
{
    static const char drop[][5] = {"GSUB", "GPOS", "GDEF", "kern", "morx", "mort",
                                   "kerx", "BASE", "JSTF", "MATH", "DSIG", "FFTM",
                                   "gasp", "hdmx", "LTSH", "VDMX", "PCLT"};
    const rg_pdf_font *pf = j->pf;
    size_t len = 0;
    const unsigned char *data = rg_font_data(pf->src, &len);
    hb_blob_t *blob = NULL, *out = NULL;
    hb_face_t *face = NULL, *sub = NULL;
    hb_subset_input_t *in = NULL;
    hb_subset_plan_t *plan = NULL;

    if (!data || len == 0 || len > UINT32_MAX) goto fail;
    blob = hb_blob_create_or_fail((const char *)data, (unsigned)len,
                                  HB_MEMORY_MODE_READONLY, NULL, NULL);
    if (!blob) goto fail;
    face = hb_face_create(blob, rg_font_face_index(pf->src));
    in = hb_subset_input_create_or_fail();
    if (!in) goto fail;
    int by_codepoint = select_glyphs(pf, face, in, 1);
    hb_set_t *tables = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof drop / sizeof *drop; i++)
        hb_set_add(tables, hb_tag_from_string(drop[i], 4));
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    plan = hb_subset_plan_create_or_fail(face, in);
    if (plan && by_codepoint && !keeps_used(pf, plan)) {
        hb_subset_plan_destroy(plan);
        select_glyphs(pf, face, in, 0);
        plan = hb_subset_plan_create_or_fail(face, in);
    }
    if (!plan) goto fail;
    cid_maps(j, plan);
    sub = hb_subset_plan_execute_or_fail(plan);
    if (!sub) goto fail;
    out = hb_face_reference_blob(sub);
    if (hb_blob_get_length(out) == 0) {
        hb_blob_destroy(out);
        out = NULL;
    }
fail:
    if (!out) j->err = PREP_SUBSET;
    hb_face_destroy(sub);
    hb_subset_plan_destroy(plan);
    hb_subset_input_destroy(in);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return out;
}

/* Each CID's advance (font units; 0 for CIDs without a source glyph).
 * rg_font_advance may be called from several threads. */
static int32_t *advances(const rg_pdf_font *pf, const uint32_t *gid_of)
{
    int32_t *adv = rg_xcalloc(pf->ncids ? pf->ncids : 1, sizeof *adv);
    for (unsigned c = 0; c < pf->ncids; c++)
        if (gid_of[c] != UINT32_MAX) adv[c] = rg_font_advance(pf->src, gid_of[c]);
    return adv;
}

static void tounicode_write(const rg_pdf_font *pf, const uint32_t *gid_of, rg_pdf_buf *b)
{
    rg_pdf_buf_str(b,
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    unsigned total = 0, done = 0;
    for (unsigned c = 0; c < pf->ncids; c++)
        if (gid_of[c] != UINT32_MAX && pf->uni[gid_of[c]].len) total++;
    for (unsigned c = 0; c < pf->ncids; c++) {
        if (gid_of[c] == UINT32_MAX) continue;
        const uni_span *u = &pf->uni[gid_of[c]];
        if (!u->len) continue;
        if (done % BFCHAR_CHUNK == 0) {
            unsigned chunk = total - done < BFCHAR_CHUNK ? total - done : BFCHAR_CHUNK;
            char line[32];
            int n = snprintf(line, sizeof line, "%u beginbfchar\n", chunk);
            rg_pdf_buf_put(b, line, (size_t)n);
        }
        rg_pdf_buf_put(b, "<", 1);
        rg_pdf_buf_hex4(b, c);
        rg_pdf_buf_put(b, "> <", 3);
        for (uint32_t k = 0; k < u->len; k++) rg_pdf_buf_hex4(b, pf->text[u->off + k]);
        rg_pdf_buf_put(b, ">\n", 2);
        if (++done % BFCHAR_CHUNK == 0 || done == total) rg_pdf_buf_str(b, "endbfchar\n");
    }
    rg_pdf_buf_str(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

/* CIDSet (PDF/A-1 6.3.5 wants it for a subset CID font): one bit per CID
 * the font program holds, the high bit of byte 0 for CID 0. *n: its bytes. */
static unsigned char *cidset_bits(const rg_pdf_font *pf, const uint32_t *gid_of, size_t *n)
{
    *n = (pf->ncids + 7) / 8;
    unsigned char *bits = rg_xcalloc(*n ? *n : 1, 1);
    for (unsigned c = 0; c < pf->ncids; c++)
        if (gid_of[c] != UINT32_MAX) bits[c / 8] |= (unsigned char)(0x80 >> (c % 8));
    return bits;
}

/* Deflates n bytes at raw into p as rg_pdf_stream_deflate would (level
 * RG_PDF_ZLEVEL_ONCE: the same bytes), with zp, the thread's own zlib
 * state. The caller keeps raw until p is emitted. Returns 0, or -1 with
 * j->err. */
static int pack(font_job *j, rg_pdf_zip *zp, const void *raw, size_t n, packed *p)
{
    p->raw = raw;
    p->raw_len = n;
    if (n > UINT_MAX / 2) {
        j->err = PREP_TOO_LARGE;
        j->too_large = n;
        return -1;
    }
    if (rg_pdf_zip_deflate(zp, RG_PDF_ZLEVEL_ONCE, raw, n, &j->zmsg) < 0) {
        j->err = PREP_ZLIB;
        return -1;
    }
    const rg_pdf_buf *z = rg_pdf_zip_out(zp);
    p->flate = rg_pdf_flate_pays(z->len, n);
    if (p->flate) rg_pdf_buf_put(&p->z, z->p, z->len);
    return 0;
}

/* Phase (a) for one font. Touches nothing but j and j->pf's cid/ncids;
 * failures are left in j->err. */
static void font_prepare(font_job *j, rg_pdf_zip *zp)
{
    rg_pdf_font *pf = j->pf;
    j->file = subset(j);
    if (!j->file) return;
    subset_tag(pf, j->tag);
    j->adv = advances(pf, j->gid_of);
    unsigned flen;
    const char *fdata = hb_blob_get_data(j->file, &flen);
    if (pack(j, zp, fdata, flen, &j->file_s) < 0) return;
    if (j->want_cidset) {
        size_t n;
        j->cidset = cidset_bits(pf, j->gid_of, &n);
        if (pack(j, zp, j->cidset, n, &j->cidset_s) < 0) return;
    }
    tounicode_write(pf, j->gid_of, &j->cmap);
    pack(j, zp, j->cmap.p, j->cmap.len, &j->cmap_s);
}

/* The jobs of one rg_pdf_fonts_build, shared by the threads of phase (a):
 * each takes the next job from next until none is left. */
typedef struct prep_queue {
    font_job *jobs;
    size_t n;
    atomic_size_t next;
} prep_queue;

static void prep_run(prep_queue *q)
{
    rg_pdf_zip *zp = rg_pdf_zip_new();
    size_t i;
    while ((i = atomic_fetch_add_explicit(&q->next, 1, memory_order_relaxed)) < q->n)
        font_prepare(&q->jobs[i], zp);
    rg_pdf_zip_free(zp);
}

static void *prep_main(void *arg)
{
    prep_run(arg);
    return NULL;
}

/* Runs phase (a) for n jobs on min(n, FONT_THREADS) threads, this one
 * included, and returns when every job is done (pthread_join: the jobs'
 * results are then this thread's to read). Without a worker thread (none
 * could be made) this thread does them all. Cannot fail. */
static void prep_all(font_job *jobs, size_t n)
{
    prep_queue q = {jobs, n, 0};
    pthread_t t[FONT_THREADS - 1];
    size_t nt = 0;
    while (nt + 1 < FONT_THREADS && nt + 1 < n && pthread_create(&t[nt], NULL, prep_main, &q) == 0)
        nt++;
    prep_run(&q);
    for (size_t i = 0; i < nt; i++) pthread_join(t[i], NULL);
}

/* ---- phase (b): libharu, the calling thread ---- */

static double to1000(const rg_pdf_font *pf, double v) { return v * 1000.0 / pf->upem; }

/* Whether s is a whole number a PDF integer holds (font units from
 * 16-bit tables always are; the test itself must not cast blindly). */
static int whole_units(double s, int *n)
{
    return s == trunc(s) && rg_double_to_int(s, INT32_MIN, INT32_MAX, n) == 0;
}

static void add_units(HPDF_Array a, const rg_pdf_font *pf, double v)
{
    double s = to1000(pf, v);
    int n;
    if (whole_units(s, &n)) HPDF_Array_AddNumber(a, n);
    else HPDF_Array_AddReal(a, (HPDF_REAL)s);
}

static void dict_units(HPDF_Dict d, const char *key, const rg_pdf_font *pf, double v)
{
    double s = to1000(pf, v);
    int n;
    if (whole_units(s, &n)) HPDF_Dict_AddNumber(d, key, n);
    else HPDF_Dict_AddReal(d, key, (HPDF_REAL)s);
}

static HPDF_Dict descriptor_new(rg_pdf_writer *w, const rg_pdf_font *pf, const char *basefont)
{
    HPDF_MMgr mm = w->pdf->mmgr;
    rg_font_metrics m;
    rg_font_get_metrics(pf->src, &m);
    HPDF_Dict d = HPDF_Dict_New(mm);
    if (!d || HPDF_Xref_Add(w->pdf->xref, d) != HPDF_OK) return NULL;
    int flags = FLAG_SYMBOLIC;
    if (m.fixed_pitch) flags |= FLAG_FIXED_PITCH;
    if (rg_font_is_italic(pf->src) || m.italic_angle != 0) flags |= FLAG_ITALIC;
    HPDF_Dict_AddName(d, "Type", "FontDescriptor");
    HPDF_Dict_AddName(d, "FontName", basefont);
    HPDF_Dict_AddNumber(d, "Flags", flags);
    HPDF_Array bbox = HPDF_Array_New(mm);
    for (int i = 0; i < 4; i++) add_units(bbox, pf, m.bbox[i]);
    HPDF_Dict_Add(d, "FontBBox", bbox);
    HPDF_Dict_AddReal(d, "ItalicAngle", (HPDF_REAL)m.italic_angle);
    dict_units(d, "Ascent", pf, m.ascender);
    dict_units(d, "Descent", pf, m.descender);
    dict_units(d, "CapHeight", pf, m.cap_height ? m.cap_height : m.ascender);
    dict_units(d, "XHeight", pf, m.x_height);
    /* No stem width in TrueType: the usual estimate from the weight class. */
    int weight = m.weight > 0 ? m.weight : 400;
    HPDF_Dict_AddNumber(d, "StemV", 10 + 220 * (weight - 50) / 900);
    return d;
}

/* W: one [first [w ...]] group per run of consecutive CIDs. */
static HPDF_Array widths_new(rg_pdf_writer *w, const font_job *j)
{
    const rg_pdf_font *pf = j->pf;
    HPDF_MMgr mm = w->pdf->mmgr;
    HPDF_Array W = HPDF_Array_New(mm);
    for (unsigned c = 0; c < pf->ncids; c++) {
        if (j->gid_of[c] == UINT32_MAX) continue;
        HPDF_Array_AddNumber(W, (HPDF_INT32)c);
        HPDF_Array ws = HPDF_Array_New(mm);
        for (; c < pf->ncids && j->gid_of[c] != UINT32_MAX; c++) add_units(ws, pf, j->adv[c]);
        HPDF_Array_Add(W, ws);
    }
    return W;
}

/* A stream object holding p's bytes (pdf/deflate.c hands them to
 * libharu), with p's raw bytes hashed for the /ID. NULL on failure
 * (libharu has reported it). */
static HPDF_Dict stream_emit(rg_pdf_writer *w, const packed *p)
{
    HPDF_Dict s = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
    if (!s) return NULL;
    if (p->flate) rg_pdf_stream_set(s, p->z.p, p->z.len, 1);
    else rg_pdf_stream_set(s, p->raw, p->raw_len, 0);
    rg_pdf_hash(w, p->raw, p->raw_len);
    return s;
}

static void report_prep_error(rg_pdf_writer *w, const font_job *j)
{
    const rg_font *f = j->pf->src;
    if (j->err == PREP_SUBSET)
        rg_pdf_fail(w, RG_EX_SOFTWARE, "cannot subset font %s (%s)", rg_font_psname(f),
                    rg_font_path(f));
    else if (j->err == PREP_ZLIB)
        rg_pdf_fail(w, RG_EX_SOFTWARE, "zlib failure (%s)", j->zmsg);
    else
        rg_pdf_fail(w, RG_EX_SOFTWARE, "a PDF stream of %zu bytes is too large", j->too_large);
}

/* Phase (b) for one font: its Type0 font with the objects below it, in
 * the order the single-threaded writer made them. */
static void font_emit(rg_pdf_writer *w, font_job *j)
{
    rg_pdf_font *pf = j->pf;
    HPDF_MMgr mm = w->pdf->mmgr;
    HPDF_Xref xref = w->pdf->xref;
    char basefont[160];
    if (j->err) {
        report_prep_error(w, j);
        return;
    }
    snprintf(basefont, sizeof basefont, "%s+%s", j->tag, rg_font_psname(pf->src));

    HPDF_Dict type0 = HPDF_Dict_New(mm), cidfont = HPDF_Dict_New(mm);
    if (!type0 || HPDF_Xref_Add(xref, type0) != HPDF_OK) goto fail;
    if (!cidfont || HPDF_Xref_Add(xref, cidfont) != HPDF_OK) goto fail;
    HPDF_Dict desc = descriptor_new(w, pf, basefont);
    if (!desc) goto fail;

    HPDF_Dict fontfile = stream_emit(w, &j->file_s);
    if (!fontfile) goto fail;
    HPDF_Dict_AddNumber(fontfile, "Length1", (HPDF_INT32)j->file_s.raw_len);
    HPDF_Dict_Add(desc, "FontFile2", fontfile);
    if (j->want_cidset) {
        HPDF_Dict cidset = stream_emit(w, &j->cidset_s);
        if (!cidset) goto fail;
        HPDF_Dict_Add(desc, "CIDSet", cidset);
    }

    HPDF_Dict_AddName(cidfont, "Type", "Font");
    HPDF_Dict_AddName(cidfont, "Subtype", "CIDFontType2");
    HPDF_Dict_AddName(cidfont, "BaseFont", basefont);
    HPDF_Dict csi = HPDF_Dict_New(mm);
    HPDF_Dict_Add(csi, "Registry", HPDF_String_New(mm, "Adobe", NULL));
    HPDF_Dict_Add(csi, "Ordering", HPDF_String_New(mm, "Identity", NULL));
    HPDF_Dict_AddNumber(csi, "Supplement", 0);
    HPDF_Dict_Add(cidfont, "CIDSystemInfo", csi);
    HPDF_Dict_Add(cidfont, "FontDescriptor", desc);
    HPDF_Dict_AddName(cidfont, "CIDToGIDMap", "Identity");
    HPDF_Dict_Add(cidfont, "W", widths_new(w, j));

    HPDF_Dict tounicode = stream_emit(w, &j->cmap_s);
    if (!tounicode) goto fail;

    HPDF_Dict_AddName(type0, "Type", "Font");
    HPDF_Dict_AddName(type0, "Subtype", "Type0");
    HPDF_Dict_AddName(type0, "BaseFont", basefont);
    HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
    HPDF_Array desc_fonts = HPDF_Array_New(mm);
    HPDF_Array_Add(desc_fonts, cidfont);
    HPDF_Dict_Add(type0, "DescendantFonts", desc_fonts);
    HPDF_Dict_Add(type0, "ToUnicode", tounicode);
    pf->type0 = type0;
fail:
    if (!pf->type0)
        rg_pdf_fail(w, RG_EX_SOFTWARE, "cannot build the PDF font for %s",
                    rg_font_psname(pf->src));
}

void rg_pdf_fonts_build(rg_pdf_fonts *fs)
{
    rg_pdf_writer *w = fs->w;
    if (w->status || fs->n == 0) return;
    font_job *jobs = rg_xcalloc(fs->n, sizeof *jobs);
    for (size_t i = 0; i < fs->n; i++) {
        jobs[i].pf = fs->fonts[i];
        jobs[i].want_cidset = w->pdfa != RG_PDFA_OFF;
    }
    prep_all(jobs, fs->n);
    for (size_t i = 0; i < fs->n && !w->status; i++) font_emit(w, &jobs[i]);
    for (size_t i = 0; i < fs->n; i++) job_free(&jobs[i]);
    free(jobs);
}
