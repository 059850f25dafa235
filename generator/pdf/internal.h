/* pdf/internal.h - private to the pdf stage (the files generator/pdf*.c).
 * The one header outside those files that names libharu types; nothing
 * outside the pdf stage may include it. It holds the writer state with its
 * sticky error, the byte buffer with the number formatter, and the seams
 * between the document writer, the page content writer and the font
 * builder. */
#ifndef RG_PDF_IMP_H
#define RG_PDF_IMP_H

#include <hpdf.h>
#include <hpdf_list.h>
#include <hpdf_mmgr.h>
#include <string.h>

#include "base/base.h"
#include "dlist/dlist.h"
#include "pdf.h"            /* rg_pdfa_level */

#if HPDF_VERSION_ID != 20300
#error "the pdf stage uses libharu 2.3.0 internals (hpdf_objects.h, page attr); check them before upgrading"
#endif

/* Largest absolute value written as a number. libharu clamps public-API
 * reals to +-32767 without telling; PDF's largest page is 14400 pt, so
 * anything beyond this is a layout bug, not a coordinate. */
#define RG_PDF_MAX_NUMBER 32767.0

/* zlib levels per kind of stream. Measured with zlib 1.2.13 on this
 * project's streams: a 963-page synthetic report (bench/gen_report.py
 * 1000) and the sample; deflate instructions (callgrind) and bytes:
 *   page content, 15.4 MB raw:  level 1: 643 M, 3.57 MB;  3: 586 M, 2.71 MB;
 *                               4: 985 M, 2.72 MB;  6: 1493 M, 2.26 MB;  9: 3509 M, 2.19 MB
 *   object streams, 3.8 MB raw: level 1: 118 M, 713 KB;  3: 137 M, 668 KB;
 *                               6: 298 M, 586 KB;  9: 623 M, 558 KB
 *   xref stream, 254 KB raw:    level 1: 18 M, 79 KB;  3: 29 M, 84 KB;  6: 85 M, 82 KB
 *   font files, 22 KB raw:      level 1: 2.8 M, 15.8 KB;  6 and 9: 3.5 M, 15.4 KB
 * Levels 1-3 are zlib's fast matcher; 3 costs no more than 1 or 2 and
 * gives the smallest output of the three. Streams that grow with the page
 * count therefore get level 3 (the xref stream 1, smaller and cheaper
 * there); streams written once per document (font files, ToUnicode,
 * CIDSet, the ICC profile) get 9, whose cost does not grow with pages. */
enum {
    RG_PDF_ZLEVEL_PAGE = 3,        /* page content streams (pdf/page.c) */
    RG_PDF_ZLEVEL_OBJSTM = 3,      /* object streams (pdf/objstm.c) */
    RG_PDF_ZLEVEL_XREF = 1,        /* the cross-reference stream (pdf/objstm.c) */
    RG_PDF_ZLEVEL_ONCE = 9         /* per-document streams (pdf/font.c, pdf/pdfa.c) */
};

typedef struct rg_pdf_zip rg_pdf_zip;

/* One rg_pdf_write call. Every failure goes through rg_pdf_fail (or the
 * libharu error handler), which keeps the first status and prints its
 * diagnostic; later failures are dropped. Writers check w->status at their
 * loop heads and stop early, rg_pdf_write checks it once at the end. */
typedef struct rg_pdf_writer {
    rg_ctx *ctx;
    const char *scratch_dir;       /* where the pages' content and the unpacked PDF
                                    * wait (pdf/keep.c, pdf/save.c); NULL: memory */
    const char *path;              /* the file written */
    const char *name;              /* the file named in diagnostics */
    HPDF_Doc pdf;
    rg_status status;              /* first failure, RG_OK while none */
    uint64_t hash[2];              /* over everything written, for the trailer /ID */
    rg_pdfa_level pdfa;            /* PDF/A level asked for (pdf/pdfa.c, CIDSet) */
    rg_pdf_zip *zip;               /* zlib state, made on first use (pdf/deflate.c) */
    struct rg_pdf_bg *bg;          /* the page compressor thread, if running (pdf/deflate.c) */
    int bg_tried;                  /* it was started (or could not be) */
    struct rg_pdf_images *images;  /* pictures embedded so far (pdf/image.c) */
    struct rg_pdf_keep *keep;      /* pages' content until the save (pdf/keep.c) */
    HPDF_Dict outline_root;        /* made with the first outline entry (pdf/outline.c) */
    struct {                       /* the entry list lean dicts share (pdf/lean.c) */
        HPDF_MMgr_Rec mmgr;        /* frees nothing, allocates nothing */
        HPDF_UINT debug_counts[4]; /* room for HPDF_MEM_DEBUG's counters after it */
        HPDF_List_Rec list;        /* always empty */
    } lean;
} rg_pdf_writer;

/* Records status (if it is the first failure) with an error diagnostic on
 * the output path. Cannot fail. */
void rg_pdf_fail(rg_pdf_writer *w, rg_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Folds n bytes at p into the document hash that becomes the trailer /ID.
 * Deterministic and sensitive to every byte and its order. It folds 8
 * bytes at a time, so the value also depends on where calls split the
 * data: equal documents give equal /IDs because every caller hashes what
 * it writes, in the order written, in the same pieces. Cannot fail. */
void rg_pdf_hash(rg_pdf_writer *w, const void *p, size_t n);

/* ---- growable byte buffer (malloc'd; rg_pdf_buf_free releases it) ----
 * The appending helpers are inline: the page writer calls them a few
 * hundred thousand times per 100 pages, mostly with short literals whose
 * length the compiler then knows. There is always room for one byte past
 * len (a terminator, should a caller want one). */
typedef struct rg_pdf_buf {
    char *p;
    size_t len, cap;
} rg_pdf_buf;

/* Grows b so that n more bytes and a terminator fit. Cannot fail (aborts
 * on OOM). */
void rg_pdf_buf_reserve(rg_pdf_buf *b, size_t n);

/* Where the next n bytes go, room made; the caller writes at most n bytes
 * there and adds their count to b->len. Cannot fail. */
static inline char *rg_pdf_buf_room(rg_pdf_buf *b, size_t n)
{
    if (b->cap - b->len <= n) rg_pdf_buf_reserve(b, n);
    return b->p + b->len;
}

/* Appends n bytes at s (s may be NULL when n is 0). Cannot fail. */
static inline void rg_pdf_buf_put(rg_pdf_buf *b, const void *s, size_t n)
{
    char *d = rg_pdf_buf_room(b, n);
    if (n) memcpy(d, s, n);        /* memcpy from NULL is undefined even for 0 bytes */
    b->len += n;
}

/* Appends the string s (without its NUL). Cannot fail. */
static inline void rg_pdf_buf_str(rg_pdf_buf *b, const char *s)
{
    rg_pdf_buf_put(b, s, strlen(s));
}

/* Appends v as 4 upper-case hex digits (its low 16 bits). Cannot fail. */
static inline void rg_pdf_buf_hex4(rg_pdf_buf *b, unsigned v)
{
    static const char hex[] = "0123456789ABCDEF";
    char *d = rg_pdf_buf_room(b, 4);
    d[0] = hex[(v >> 12) & 15];
    d[1] = hex[(v >> 8) & 15];
    d[2] = hex[(v >> 4) & 15];
    d[3] = hex[v & 15];
    b->len += 4;
}

/* Appends v in decimal ("-" for negatives). Cannot fail. */
void rg_pdf_buf_int(rg_pdf_buf *b, long long v);

void rg_pdf_buf_free(rg_pdf_buf *b);

/* Appends v with at most 3 decimals, trailing zeros stripped, never "-0".
 * Returns the value as written (for callers that track rounding), or sets
 * the sticky error RG_EX_SOFTWARE and writes "0" when v is not finite or
 * beyond RG_PDF_MAX_NUMBER (what says which value, for the diagnostic). */
double rg_pdf_buf_num(rg_pdf_writer *w, rg_pdf_buf *b, double v, const char *what);
/* Whether v can be written (finite, within RG_PDF_MAX_NUMBER); then
 * rg_pdf_buf_fixed writes it as rg_pdf_buf_num does and returns the value
 * written. */
int rg_pdf_number_ok(double v);
double rg_pdf_buf_fixed(rg_pdf_buf *b, double v);

/* Converts UTF-8 to UTF-16 code units (surrogate pairs above U+FFFF,
 * U+FFFD for malformed bytes), appending at most max units to *out (grown
 * with rg_grow, *cap its capacity, *len its length). Cannot fail. */
void rg_pdf_utf16(const char *s, size_t n, size_t max, uint16_t **out, size_t *len,
                  size_t *cap);

/* ---- stream compression (pdf/deflate.c) ---- */

/* Sets the data of the stream object s (from HPDF_DictStream_New, nothing
 * written to it yet) to n bytes at data deflated at level; libharu then
 * writes them as they are, with /Filter /FlateDecode. Data that would not
 * shrink is stored unfiltered. s must not be written to afterwards. The
 * caller keeps data. Failures set the sticky error. */
void rg_pdf_stream_deflate(rg_pdf_writer *w, HPDF_Dict s, const void *data, size_t n,
                           int level);

/* A zlib state of one's own: rg_pdf_zip_deflate touches nothing but it,
 * so a thread with its own may deflate beside others (pdf/font.c). */
rg_pdf_zip *rg_pdf_zip_new(void);                           /* cannot fail */
void rg_pdf_zip_free(rg_pdf_zip *zp);                       /* accepts NULL */

/* Deflates n bytes at level into zp's buffer: 0, the result then read
 * with rg_pdf_zip_out (valid until zp's next call); or -1 with *why
 * (zlib's message or a static string). */
int rg_pdf_zip_deflate(rg_pdf_zip *zp, int level, const void *p, size_t n, const char **why);
const rg_pdf_buf *rg_pdf_zip_out(const rg_pdf_zip *zp);

/* Whether deflated bytes are worth storing instead of n raw ones: they
 * must save more than the /Filter entry they need. */
int rg_pdf_flate_pays(size_t deflated, size_t n);

/* Gives stream s (from HPDF_DictStream_New, nothing written to it) exactly
 * n bytes at p, written by libharu as they are, with /Filter /FlateDecode
 * when flate. The calling thread only (libharu); its failures go through
 * libharu's error handler. */
void rg_pdf_stream_set(HPDF_Dict s, const void *p, size_t n, int flate);

/* Sets stream s's filter to NONE, so that libharu writes its bytes as they
 * are, and makes s write /Filter /FlateDecode when flate. Cannot fail. */
void rg_pdf_stream_filter(HPDF_Dict s, int flate);

/* Like rg_pdf_stream_deflate for a page's content, on another thread:
 * takes data's bytes (data is left empty) and returns at once; the
 * compressed bytes reach s in call order, as soon as they are ready and
 * at the latest at rg_pdf_deflate_settle, through rg_pdf_stream_keep
 * (pdf/keep.c: in the scratch file, not libharu's memory). Without a
 * thread it compresses here. Failures set the sticky error, at the latest
 * in rg_pdf_deflate_settle. Pages in order, one call each. */
void rg_pdf_stream_deflate_later(rg_pdf_writer *w, HPDF_Dict s, rg_pdf_buf *data, int level);

/* ---- scratch files appended through a buffer (pdf/spool.c, issue 22) ----
 * Used for the pages' content (pdf/keep.c) and libharu's unpacked output
 * (pdf/save.c). fd is an unlinked file in w->scratch_dir. A failed write
 * is the sticky error RG_EX_CANTCREAT: "cannot write WHAT to a temporary
 * file in DIR: reason". */
typedef struct rg_pdf_spool {
    int fd;                        /* -1: none */
    const char *what;              /* what it holds, for the diagnostic */
    size_t flush_at;               /* buffered bytes that make a write */
    uint64_t written;              /* bytes in the file */
    rg_pdf_buf pending;            /* appended after them, not written yet */
} rg_pdf_spool;

/* Appends n bytes at p; writes the buffer once it holds flush_at bytes.
 * 0, or -1 after a failed write. */
int rg_pdf_spool_put(rg_pdf_writer *w, rg_pdf_spool *sp, const void *p, size_t n);
/* Writes what is buffered: 0, or -1 after a failed write. */
int rg_pdf_spool_flush(rg_pdf_writer *w, rg_pdf_spool *sp);
/* Closes the file and frees the buffer. */
void rg_pdf_spool_close(rg_pdf_spool *sp);

/* Waits for the compressor and hands every result to its stream; call
 * after the last page and before anything is saved. Nothing without one. */
void rg_pdf_deflate_settle(rg_pdf_writer *w);

/* Releases w's zlib state, buffers and compressor thread (joined), and
 * closes its scratch file (rg_pdf_keep_close); nothing when there are
 * none. */
void rg_pdf_deflate_free(rg_pdf_writer *w);

/* ---- page content outside libharu's memory (pdf/keep.c, issue 22) ---- */

/* Makes stream s (from HPDF_DictStream_New, nothing written to it: else
 * the sticky error RG_EX_SOFTWARE) a read-only stream of the n bytes at p,
 * which libharu writes as they are, with /Filter /FlateDecode when flate:
 * they go to w's scratch file in ctx->scratch_dir (unlinked, made on first
 * use) and are read back while libharu saves; without a scratch folder,
 * or when no file can be made in it, they stay in memory in p itself.
 * Takes p (malloc'd; NULL when n is 0). Calls are numbered: the k-th is
 * named page k in diagnostics. A failing write now, or a failing read
 * during the save, sets the sticky error RG_EX_CANTCREAT with a
 * diagnostic (and fails the save). The calling thread only (libharu). */
void rg_pdf_stream_keep(rg_pdf_writer *w, HPDF_Dict s, char *p, size_t n, int flate);

/* The scratch file's descriptor, -1 while there is none (tests). */
int rg_pdf_keep_fd(const rg_pdf_writer *w);

/* Closes w's scratch file and frees its buffer; kept streams must not be
 * read afterwards (libharu may still free them). Accepts none. */
void rg_pdf_keep_close(rg_pdf_writer *w);

/* ---- fonts (pdf/font.c) ---- */
typedef struct rg_pdf_fonts rg_pdf_fonts;
typedef struct rg_pdf_font rg_pdf_font;

rg_pdf_fonts *rg_pdf_fonts_new(rg_pdf_writer *w);
void rg_pdf_fonts_free(rg_pdf_fonts *fs);                 /* accepts NULL */

/* Pass 1: records the glyphs a run uses and what text each stands for.
 * A bad glyph id sets the sticky error. */
void rg_pdf_fonts_collect(rg_pdf_fonts *fs, const rg_dl_glyphs *run);

/* After collecting: subsets every font and creates its PDF objects. On
 * failure sets the sticky error. Subsetting and compression run on two
 * threads (the caller's and one it starts and joins); libharu is used on
 * the caller's only, and the output does not depend on the threads. */
void rg_pdf_fonts_build(rg_pdf_fonts *fs);

/* Pass 2 (after build): the font of a collected rg_font, or NULL. */
rg_pdf_font *rg_pdf_fonts_lookup(rg_pdf_fonts *fs, const rg_font *f);
/* The same without remembering the last one: for threads that render. */
const rg_pdf_font *rg_pdf_fonts_find(const rg_pdf_fonts *fs, const rg_font *f);
HPDF_Dict rg_pdf_font_dict(const rg_pdf_font *pf);         /* the Type0 font */
/* The CID written in content streams for a collected glyph id. */
unsigned rg_pdf_font_cid(const rg_pdf_font *pf, uint32_t gid);
/* The text a collected glyph id maps to in the font's ToUnicode CMap, as
 * UTF-16 units (*n = 0: none). Valid until rg_pdf_fonts_free. Cannot fail. */
const uint16_t *rg_pdf_font_unicode(const rg_pdf_font *pf, uint32_t gid, size_t *n);
/* The font's space glyph (U+0020), kept in the subset and mapped to U+0020
 * by collect when a run of the font asks for a word separator
 * (RG_RUN_SPACE_AFTER); 0 when the face has none. Cannot fail. */
uint32_t rg_pdf_font_space(const rg_pdf_font *pf);

/* ---- logical structure, tagged PDF (pdf/struct.c) ---- */
typedef struct rg_pdf_struct rg_pdf_struct;

/* For a tagged document (dl->nelems > 0): checks that dl's structure is a
 * tree of standard structure types and returns the state that collects
 * MCIDs and link annotations while pages are written. Returns NULL when
 * dl has no elements, or with the sticky error set when the tree is
 * broken. rg_pdf_struct_free accepts NULL. */
rg_pdf_struct *rg_pdf_struct_new(rg_pdf_writer *w, const rg_dl *dl);
void rg_pdf_struct_free(rg_pdf_struct *st);

/* Records the marked-content sequences of page: MCID k (k = 0..n-1) is
 * chunk chunks[k] (checked by the page renderer). Pages come in order,
 * once each. Cannot fail. */
void rg_pdf_struct_add_mcids(rg_pdf_struct *st, size_t page, const int *chunks, size_t n);

/* Records the annotation libharu made for the RG_DL_LINK item `item` of
 * page (calls come in page, item order) and gives it a /Contents when
 * layout gave none: the URI, or "Ga naar <dest>". Cannot fail. */
void rg_pdf_struct_annot(rg_pdf_struct *st, size_t page, size_t item, HPDF_Annotation a);

/* After every page and link: writes the StructTreeRoot, one StructElem
 * per element, the ParentTree, /StructParents and /Tabs on pages,
 * /StructParent on tagged annotations and /MarkInfo in the catalog, and
 * hashes them for the /ID. pages are the document's pages by index.
 * Failures set the sticky error. libharu writes the StructTreeRoot and
 * StructElems by calling back into st while it saves: st and the display
 * list must live until the document is saved (rg_pdf_struct_free after
 * HPDF_SaveToFile / HPDF_SaveToStream). HPDF_Free may come before or
 * after rg_pdf_struct_free. */
void rg_pdf_struct_build(rg_pdf_struct *st, const HPDF_Page *pages);

/* The object number libharu gave an indirect object (its generation is
 * always 0). Cannot fail. */
static inline uint32_t rg_pdf_obj_num(const void *obj)
{
    return ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFF;
}

/* Object writers for the write functions that stand in for libharu's
 * objects (pdf/struct.c, pdf/annot.c, pdf/outline.c): the bytes libharu's
 * own objects gave. A number as HPDF_Stream_WriteInt, a real as
 * HPDF_Stream_WriteReal (HPDF_FToA), a reference "N 0 R", a text string as
 * rg_pdf_text_string's object wrote it (printable ASCII as an escaped
 * literal, anything else as <FEFF...> UTF-16BE hex; *units, *cap: a
 * scratch buffer for rg_grow). Cannot fail. */
void rg_pdf_put_int(rg_pdf_buf *b, HPDF_INT32 v);
void rg_pdf_put_real(rg_pdf_buf *b, double v);
void rg_pdf_put_ref(rg_pdf_buf *b, uint32_t id);
void rg_pdf_put_text(rg_pdf_buf *b, const char *s, uint16_t **units, size_t *cap);
/* The entry "/Dest [ page 0 R /XYZ 0 top null ]\012" of a link or an
 * outline entry: libharu's direct /XYZ destination array with a null zoom
 * (page: its object number). Cannot fail. */
void rg_pdf_put_dest(rg_pdf_buf *b, uint32_t page, HPDF_REAL top);
/* Whether s as a text string is within libharu's string limit
 * (HPDF_LIMIT_MAX_STRING_LEN bytes as written). Cannot fail. */
int rg_pdf_text_fits(const char *s, uint16_t **units, size_t *cap);

/* ---- lean dicts (pdf/lean.c, issue 22) ---- */

/* Makes d, a dict without entries whose write_fn writes it (an indirect
 * one of pdf/struct.c or pdf/annot.c, a page's /Resources), give up its
 * own entry list (40 bytes and an allocation, times every link and page)
 * for an empty one that w's lean dicts share and
 * libharu's HPDF_Dict_Free frees as nothing; its output is unchanged. No
 * entry may be added to d afterwards: that is a pdf-stage bug, and aborts
 * with a message. w must outlive the libharu document (rg_pdf_writer is
 * on rg_pdf_write's stack until after HPDF_Free). Cannot fail. */
void rg_pdf_lean(rg_pdf_writer *w, HPDF_Dict d);

/* A new lean dict: indirect (in w's cross-reference table, so it has its
 * object number: the next one), without entries, written by write_fn from
 * attr while libharu saves; free_fn (or NULL) is called when libharu frees
 * it. NULL when libharu fails (its error handler has reported it): attr is
 * then still the caller's. */
HPDF_Dict rg_pdf_lean_dict(rg_pdf_writer *w, HPDF_Dict_OnWriteFunc write_fn,
                           HPDF_Dict_FreeFunc free_fn, void *attr);

/* For lean dicts' write functions: hands what b holds to libharu's stream
 * s and frees b; libharu's status. */
HPDF_STATUS rg_pdf_lean_write(HPDF_Stream s, rg_pdf_buf *b);
/* A free_fn for a lean dict whose attr is one malloc'd block. */
void rg_pdf_lean_free_attr(HPDF_Dict d);

/* ---- link annotations (pdf/annot.c, issue 22) ---- */

/* A link annotation on page, as HPDF_Page_CreateLinkAnnot (dest: a page
 * of the document, top its /XYZ top, already clamped to the page) or
 * HPDF_Page_CreateURILinkAnnot (dest NULL, uri: malloc'd ASCII, taken)
 * with HPDF_LinkAnnot_SetBorderStyle(0, 0, 0) and /F 4 made it, in the
 * page's /Annots: the same object number and bytes, but one entry-less
 * indirect dict whose write function writes the entries from a small
 * record, not libharu's dozens of objects. NULL after the sticky error
 * (a corner beyond libharu's +-32767: as libharu refused it). */
HPDF_Annotation rg_pdf_link_new(rg_pdf_writer *w, HPDF_Page page, HPDF_Rect r, HPDF_Page dest,
                                double top, char *uri);
/* Gives a link from rg_pdf_link_new its /Contents (copied; once, non-empty)
 * and its /StructParent. A text beyond libharu's limit sets the sticky
 * error. */
void rg_pdf_link_set_contents(rg_pdf_writer *w, HPDF_Annotation a, const char *text);
void rg_pdf_link_set_struct_parent(HPDF_Annotation a, HPDF_INT32 key);

/* ---- the outline (pdf/outline.c, issue 22) ---- */

/* An outline entry (bookmark) under parent (an entry from here; NULL: the
 * top level), as libharu 2.3.0 made it with HPDF_CreateOutline(pdf,
 * parent, title, its UTF-8 encoder), HPDF_Outline_SetDestination (dest: a
 * page of the document, top its /XYZ top, already within the page; the
 * direct array of rg_pdf_put_dest) unless dest is NULL,
 * HPDF_Outline_SetOpened(opened) and the removal of its /Type: the same
 * object numbers (the first entry makes the root, /Type /Outlines, the
 * catalog's /Outlines, before itself) and the same bytes, but each an
 * entry-less indirect dict written from a small record (pdf/lean.c), not
 * libharu's dozen objects. title is not copied: it must live until the
 * document is saved. NULL after the sticky error (a title beyond
 * libharu's string limit, as libharu refused it) or a libharu failure. */
HPDF_Dict rg_pdf_outline_add(rg_pdf_writer *w, HPDF_Dict parent, const char *title,
                             HPDF_Page dest, HPDF_REAL top, int opened);

/* When the glyph cluster starting at glyph i of run would not extract as
 * its own text through the font's ToUnicode map (a glyph whose first-seen
 * text differs, e.g. a hyphen standing for U+00AD; .notdef), appends the
 * cluster's text as a UTF-16BE hex string (<FEFF...>) to out and returns
 * the cluster's glyph count; else returns 0. An inserted hyphen with the
 * rest of its word (dlist.h, RG_RUN_HYPHEN) reads as that rest: i = 0
 * gives the rest and the run's glyph count. Cannot fail. */
size_t rg_pdf_actual_text(const rg_pdf_font *pf, const rg_dl_glyphs *run, size_t i,
                          rg_pdf_buf *out);
/* The word separator where a run's font has no space glyph: appends the
 * run's text from the cluster of glyph i to its end, and a space, as a
 * UTF-16BE hex string for /ActualText. Cannot fail. */
void rg_pdf_actual_text_spaced(const rg_dl_glyphs *run, size_t i, rg_pdf_buf *out);
/* A run flagged RG_RUN_CONTINUES (dlist.h): appends an empty /ActualText
 * string to out and returns the count of leading glyphs it covers, those
 * of the rest of the word the hyphen before already read as; 0 (out
 * untouched) for other runs. Cannot fail. */
size_t rg_pdf_actual_text_continuation(const rg_dl_glyphs *run, rg_pdf_buf *out);

/* ---- page content (pdf/page.c) ---- */

/* A page rendered but not yet handed to libharu: its content, the fonts
 * it names F1, F2, ... in that order, the chunk of each of its MCIDs, and
 * its first failure. */
typedef struct rg_pdf_page_out {
    rg_pdf_buf content;
    const rg_pdf_font **fonts;
    size_t nfonts;
    const rg_dl_image **images;    /* named X1, X2, ... in this order */
    size_t nimages;
    int *mcid_chunks;
    size_t nmcids;
    rg_status status;              /* RG_OK, or the failure message says what */
    char message[256];
} rg_pdf_page_out;

/* Writes the drawing items of display-list page index (glyph runs, rects,
 * paths; when tagged every drawing item is marked content: its chunk's
 * MCID sequence, or an /Artifact) into out. Touches neither libharu nor
 * the writer: it may run on another thread than rg_pdf_page_commit, for
 * built fonts. Links and destinations are the document writer's. */
void rg_pdf_page_render(const rg_pdf_fonts *fs, const rg_dl *dl, int tagged, size_t index,
                        rg_pdf_page_out *out);
/* Hands a rendered page to libharu's page (its fonts, its compressed
 * content), its MCIDs to st (NULL: untagged) and its content to the /ID
 * hash; pages in order. A failure in out, or here, sets the sticky error.
 * Frees out's contents. */
void rg_pdf_page_commit(rg_pdf_writer *w, rg_pdf_struct *st, size_t index, HPDF_Page page,
                        rg_pdf_page_out *out);
void rg_pdf_page_out_free(rg_pdf_page_out *out);

/* ---- a page's /Resources (pdf/resources.c, issue 22) ---- */

/* Takes over the /Resources of a page just made by HPDF_AddPage: its
 * /ProcSet and its fonts' and pictures' names are written by the pdf
 * stage while libharu saves, the bytes libharu's objects gave, and
 * HPDF_Page_GetLocalFontName and HPDF_Page_GetXObjectName must not be
 * used on the page. Resources not as libharu 2.3.0 makes them set the
 * sticky error. */
void rg_pdf_resources_take(rg_pdf_writer *w, HPDF_Page page);
/* The page's fonts (named F1, F2, ... in this order) and pictures (X1,
 * X2, ..., from rg_pdf_image, none NULL); once per page, after
 * rg_pdf_resources_take. The arrays are copied. */
void rg_pdf_resources_set(rg_pdf_writer *w, HPDF_Page page, const rg_pdf_font *const *fonts,
                          size_t nfonts, const HPDF_Image *images, size_t nimages);

/* ---- pictures (pdf/image.c) ---- */

/* The image XObject of im's bytes, made on first use and shared by every
 * later use of the same bytes; NULL after rg_pdf_fail (a corrupt file, a
 * CMYK JPEG under PDF/A). With --pdfa=1b a soft mask is flattened onto
 * white (a warning). */
HPDF_Image rg_pdf_image(rg_pdf_writer *w, const rg_dl_image *im);
void rg_pdf_images_free(rg_pdf_writer *w);

/* ---- libharu's object table (pdf/growth.c, issue 22) ---- */

/* Makes the next growths of libharu's cross-reference list at least double
 * it (its own step is a constant 1024 entries: quadratic copying on big
 * documents). Call it where objects are added in bulk (per page, per
 * structure element, per outline entry); cheap. Output is unchanged. */
void rg_pdf_xref_grow_geometric(rg_pdf_writer *w);

/* ---- PDF/A (pdf/pdfa.c) ---- */

/* Makes the document meet w->pdfa (nothing for RG_PDFA_OFF): the sRGB
 * OutputIntent and the XMP metadata stream that mirrors the info dict
 * (call after it is set, with the same m) and claims the level, plus
 * PDF/UA-1 when tagged. PDF/A-2a without tagging is written as 2u with a
 * warning. A missing or unusable ICC profile sets the sticky error
 * RG_EX_UNAVAILABLE naming the file and its Debian package; other
 * failures come through libharu's error handler. */
void rg_pdf_pdfa_write(rg_pdf_writer *w, const rg_dl_meta *m, int tagged);

/* A PDF text string object: printable ASCII as is, anything else as
 * UTF-16BE with a byte-order mark (pdf/pdf.c). */
void *rg_pdf_text_string(rg_pdf_writer *w, const char *s);
/* Byte offset in run->text where the cluster starting at glyph i ends: the
 * smallest cluster value above its own, else the text's end (pdf/font.c). */
size_t rg_pdf_cluster_end(const rg_dl_glyphs *run, size_t i);

/* Rewrites a finished PDF (libharu's output) with its non-stream objects in
 * Flate-compressed object streams and a cross-reference stream (PDF 1.5).
 * On success *out is malloc'ed and 0 is returned; -1 (the input is not as
 * expected) leaves the caller with its original bytes (pdf/objstm.c). */
int rg_pdf_pack_object_streams(const unsigned char *in, size_t n, unsigned char **out,
                               size_t *outn);

/* ---- saving (pdf/save.c) ---- */

/* Serialises the finished document w->pdf into a malloc'd buffer (*out,
 * *len), then frees libharu's objects (w->pdf NULL) and packs the object
 * streams (but for PDF/A-1b). On failure the sticky error is set and *out
 * is left alone. */
void rg_pdf_save_mem(rg_pdf_writer *w, unsigned char **out, size_t *len);

/* The same bytes into fd (rg_pdf_write_fd's contract, pdf.h): through a
 * scratch file in w->ctx->scratch_dir, or memory when it is NULL. On
 * failure the sticky error is set (RG_EX_CANTCREAT naming the errno). */
void rg_pdf_save_fd(rg_pdf_writer *w, int fd);

/* The same pass from a file to a file (issue 22: the PDF is never whole in
 * memory): reads the n bytes of libharu's output in descriptor in (with
 * pread, any offset) and writes to out, from its current offset, the very
 * bytes rg_pdf_pack_object_streams would give, or, when it would give up,
 * the input as it is (out is cut back to that offset first: it must be a
 * regular file with nothing after it). Holds in memory 8 bytes an object,
 * a 1 MB window of the input (or one larger object) and 16 object
 * streams. 0, or -1 with errno when a read or write failed (ENOSPC, EIO):
 * out then holds part of a PDF. */
int rg_pdf_pack_file(int in, uint64_t n, int out);

/* Copies the n bytes of in (from offset 0, with pread) to out at its
 * current offset: 0, or -1 with errno (pdf/objstm.c). */
int rg_pdf_copy_file(int in, uint64_t n, int out);

#endif
