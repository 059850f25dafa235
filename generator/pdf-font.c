/* pdf-font.c - embedded fonts. Stage: pdf. Owns, per rg_font used in the
 * display list, the Type0 (Identity-H) font with its CIDFontType2
 * descendant, FontDescriptor, W array, ToUnicode CMap and the FontFile2
 * subset made with hb-subset. Built in two steps: rg_pdf_fonts_collect
 * sees every glyph run first (glyph set, glyph -> text), then
 * rg_pdf_fonts_build subsets each font, so the content streams written
 * afterwards can use the subset's renumbered glyph ids as CIDs.
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
#include "pdf-imp.h"

#include <hpdf_objects.h>
#include <hb-subset.h>
#include <hb.h>
#include <stdlib.h>
#include <string.h>

#include "fonts.h"

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

/* For /ActualText (pdf-struct.c): what extraction gives for a glyph. */
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
     * /ActualText (pdf-struct.c), as whole runs. */
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
}

/* ---- building ---- */

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

static double to1000(const rg_pdf_font *pf, double v) { return v * 1000.0 / pf->upem; }

static void add_units(HPDF_Array a, const rg_pdf_font *pf, double v)
{
    double s = to1000(pf, v);
    if (s == (double)(long)s) HPDF_Array_AddNumber(a, (HPDF_INT32)s);
    else HPDF_Array_AddReal(a, (HPDF_REAL)s);
}

static void dict_units(HPDF_Dict d, const char *key, const rg_pdf_font *pf, double v)
{
    double s = to1000(pf, v);
    if (s == (double)(long)s) HPDF_Dict_AddNumber(d, key, (HPDF_INT32)s);
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
static HPDF_Array widths_new(rg_pdf_writer *w, const rg_pdf_font *pf, const uint32_t *gid_of)
{
    HPDF_MMgr mm = w->pdf->mmgr;
    HPDF_Array W = HPDF_Array_New(mm);
    for (unsigned c = 0; c < pf->ncids; c++) {
        if (gid_of[c] == UINT32_MAX) continue;
        HPDF_Array_AddNumber(W, (HPDF_INT32)c);
        HPDF_Array ws = HPDF_Array_New(mm);
        for (; c < pf->ncids && gid_of[c] != UINT32_MAX; c++)
            add_units(ws, pf, rg_font_advance(pf->src, gid_of[c]));
        HPDF_Array_Add(W, ws);
    }
    return W;
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

/* A compressed stream object holding data (pdf-deflate.c); NULL on failure. */
static HPDF_Dict stream_new(rg_pdf_writer *w, const void *data, size_t len)
{
    HPDF_Dict s = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
    if (!s) return NULL;
    rg_pdf_stream_deflate(w, s, data, len, RG_PDF_ZLEVEL_ONCE);
    if (w->status) return NULL;
    rg_pdf_hash(w, data, len);
    return s;
}

/* CIDSet (PDF/A-1 6.3.5 wants it for a subset CID font): one bit per CID
 * the font program holds, the high bit of byte 0 for CID 0. */
static HPDF_Dict cidset_new(rg_pdf_writer *w, const rg_pdf_font *pf, const uint32_t *gid_of)
{
    size_t n = (pf->ncids + 7) / 8;
    unsigned char *bits = rg_xcalloc(n ? n : 1, 1);
    for (unsigned c = 0; c < pf->ncids; c++)
        if (gid_of[c] != UINT32_MAX) bits[c / 8] |= (unsigned char)(0x80 >> (c % 8));
    HPDF_Dict s = stream_new(w, bits, n);
    free(bits);
    return s;
}

/* Fills pf->cid and pf->ncids from the plan's new -> old map, which holds
 * only the kept glyphs (asking the old -> new map about every glyph of the
 * face cost 2 M instructions on the sample, 7% of the font work), and
 * returns the CID -> source gid map (UINT32_MAX: none). New ids above
 * 0xFFFF are no CIDs. Cannot fail. */
static uint32_t *cid_maps(rg_pdf_font *pf, hb_subset_plan_t *plan)
{
    const hb_map_t *new_to_old = hb_subset_plan_new_to_old_glyph_mapping(plan);
    unsigned left = hb_map_get_population(new_to_old);
    uint32_t *gid_of = NULL;
    size_t cap = 0;
    pf->cid = rg_xcalloc(pf->nglyphs, sizeof *pf->cid);
    pf->ncids = 0;
    for (unsigned n = 0; left > 0 && n <= 0xFFFF; n++) {
        hb_codepoint_t g = hb_map_get(new_to_old, n);
        if (g == HB_MAP_VALUE_INVALID) continue;
        left--;
        if (g >= pf->nglyphs) continue;
        rg_grow(&gid_of, &cap, n + 1, sizeof *gid_of);
        while (pf->ncids < n) gid_of[pf->ncids++] = UINT32_MAX;
        pf->cid[g] = (uint16_t)n;
        gid_of[pf->ncids++] = g;   /* with the components the subset added: W stays one range */
    }
    return gid_of ? gid_of : rg_xmalloc(sizeof *gid_of);
}

/* Subsets pf's face to the used glyphs; fills pf->cid and gid_of (new
 * gid -> source gid, UINT32_MAX for glyphs the subset added itself) and
 * returns the subset font file, or NULL. */
static hb_blob_t *subset(rg_pdf_writer *w, rg_pdf_font *pf, uint32_t **gid_of_out)
{
    static const char drop[][5] = {"GSUB", "GPOS", "GDEF", "kern", "morx", "mort",
                                   "kerx", "BASE", "JSTF", "MATH", "DSIG", "FFTM",
                                   "gasp", "hdmx", "LTSH", "VDMX", "PCLT"};
    size_t len = 0;
    const unsigned char *data = rg_font_data(pf->src, &len);
    hb_blob_t *blob = NULL, *out = NULL;
    hb_face_t *face = NULL, *sub = NULL;
    hb_subset_input_t *in = NULL;
    hb_subset_plan_t *plan = NULL;
    uint32_t *gid_of = NULL;

    if (!data || len == 0 || len > UINT32_MAX) goto fail;
    blob = hb_blob_create_or_fail((const char *)data, (unsigned)len,
                                  HB_MEMORY_MODE_READONLY, NULL, NULL);
    if (!blob) goto fail;
    face = hb_face_create(blob, rg_font_face_index(pf->src));
    in = hb_subset_input_create_or_fail();
    if (!in) goto fail;
    hb_set_t *glyphs = hb_subset_input_glyph_set(in);
    for (unsigned g = 0; g < pf->nglyphs; g++)
        if (pf->used[g]) hb_set_add(glyphs, g);
    hb_set_t *tables = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof drop / sizeof *drop; i++)
        hb_set_add(tables, hb_tag_from_string(drop[i], 4));
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    plan = hb_subset_plan_create_or_fail(face, in);
    if (!plan) goto fail;

    gid_of = cid_maps(pf, plan);
    sub = hb_subset_plan_execute_or_fail(plan);
    if (!sub) goto fail;
    out = hb_face_reference_blob(sub);
    if (hb_blob_get_length(out) == 0) {
        hb_blob_destroy(out);
        out = NULL;
        goto fail;
    }
    *gid_of_out = gid_of;
    gid_of = NULL;
fail:
    if (!out)
        rg_pdf_fail(w, RG_EX_SOFTWARE, "cannot subset font %s (%s)", rg_font_psname(pf->src),
                    rg_font_path(pf->src));
    free(gid_of);
    hb_face_destroy(sub);
    hb_subset_plan_destroy(plan);
    hb_subset_input_destroy(in);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return out;
}

static void font_build(rg_pdf_writer *w, rg_pdf_font *pf)
{
    HPDF_MMgr mm = w->pdf->mmgr;
    HPDF_Xref xref = w->pdf->xref;
    uint32_t *gid_of = NULL;
    rg_pdf_buf cmap = {0};
    char tag[7], basefont[160];
    hb_blob_t *file = subset(w, pf, &gid_of);
    if (!file) goto fail;
    subset_tag(pf, tag);
    snprintf(basefont, sizeof basefont, "%s+%s", tag, rg_font_psname(pf->src));

    HPDF_Dict type0 = HPDF_Dict_New(mm), cidfont = HPDF_Dict_New(mm);
    if (!type0 || HPDF_Xref_Add(xref, type0) != HPDF_OK) goto fail;
    if (!cidfont || HPDF_Xref_Add(xref, cidfont) != HPDF_OK) goto fail;
    HPDF_Dict desc = descriptor_new(w, pf, basefont);
    if (!desc) goto fail;

    unsigned flen;
    const char *fdata = hb_blob_get_data(file, &flen);
    HPDF_Dict fontfile = stream_new(w, fdata, flen);
    if (!fontfile) goto fail;
    HPDF_Dict_AddNumber(fontfile, "Length1", (HPDF_INT32)flen);
    HPDF_Dict_Add(desc, "FontFile2", fontfile);
    if (w->pdfa != RG_PDFA_OFF) {
        HPDF_Dict cidset = cidset_new(w, pf, gid_of);
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
    HPDF_Dict_Add(cidfont, "W", widths_new(w, pf, gid_of));

    tounicode_write(pf, gid_of, &cmap);
    HPDF_Dict tounicode = stream_new(w, cmap.p, cmap.len);
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
    rg_pdf_buf_free(&cmap);
    free(gid_of);
    hb_blob_destroy(file);
}

void rg_pdf_fonts_build(rg_pdf_fonts *fs)
{
    for (size_t i = 0; i < fs->n && !fs->w->status; i++) font_build(fs->w, fs->fonts[i]);
}
