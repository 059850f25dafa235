/* model.h - the document tree: what a report definition says, after loading
 * and validation, with no layout decisions in it. Stage: model. Everything
 * hangs off the document's arena and is freed with rg_doc_free.
 * Includes no third-party header. */
#ifndef RG_MODEL_H
#define RG_MODEL_H

#include "base.h"

typedef struct rg_date {
    int year, month, day;          /* 0 when absent */
} rg_date;

/* Inline content is flattened at load time into spans of uniform style. */
enum {
    RG_SPAN_EM = 1,                /* <em>: italic */
    RG_SPAN_STRONG = 2             /* <strong>: bold */
};

typedef struct rg_span {
    const char *text;              /* UTF-8, whitespace already collapsed */
    size_t len;
    unsigned flags;                /* RG_SPAN_* */
    const char *href;              /* <a href>: link target, else NULL */
    const char *lang;              /* xml:lang in effect when it differs from the document's, else NULL */
} rg_span;

typedef struct rg_inlines {
    rg_span *spans;
    size_t n;
} rg_inlines;

typedef enum {
    RG_BLOCK_PARA,                 /* text */
    RG_BLOCK_LIST,                 /* children: ITEMs; ordered */
    RG_BLOCK_ITEM,                 /* text = the item's own text; children: nested LISTs / PARAs */
    RG_BLOCK_QUOTE,                /* children: PARAs */
    RG_BLOCK_SECTION,              /* text = title; level; id; children: blocks; foreword */
    RG_BLOCK_TOC,                  /* text = title ("Inhoud"); level = depth of entries */
    RG_BLOCK_COVER,                /* the cover page: content comes from rg_doc.info */
    RG_BLOCK_SIGNATURE             /* text = name, text2 = role (may be empty) */
} rg_block_kind;

typedef struct rg_block {
    rg_block_kind kind;
    struct rg_block *next;         /* next sibling */
    struct rg_block *children;     /* first child */
    int line;                      /* line in the definition, for diagnostics */
    const char *id;                /* anchor id (sections, any block with id=), or NULL */
    const char *lang;              /* xml:lang when it differs from the document's, else NULL */
    rg_inlines text;
    rg_inlines text2;
    int level;                     /* SECTION: 1 for top level; TOC: depth */
    int ordered;                   /* LIST: numbered */
    int foreword;                  /* SECTION: the signed foreword (<foreword>) */
} rg_block;

typedef struct rg_info {
    const char *title;
    const char *subtitle;          /* may be NULL */
    const char *organisation;
    const char *author;            /* defaults to organisation */
    const char *subject;           /* may be NULL */
    const char *keywords;          /* may be NULL */
    const char *period_id;         /* e.g. "2023-T1" */
    const char *period_label;      /* e.g. "januari t/m april 2023" */
    rg_date period_from, period_to;
    rg_date date;                  /* publication date; 0 when absent */
    const char *contact_href;      /* e.g. "mailto:communicatie@logius.nl", may be NULL */
    const char *contact_text;      /* visible text, may be NULL */
} rg_info;

typedef struct rg_doc {
    rg_arena *arena;
    const char *path;              /* the definition file */
    const char *lang;              /* xml:lang of <report>, e.g. "nl-NL" */
    const char *layout;            /* layout name ("logius") or path relative to the definition */
    rg_info info;
    rg_block *blocks;              /* top-level blocks in document order */
} rg_doc;

/* Frees the document and everything in its arena. Accepts NULL. */
void rg_doc_free(rg_doc *doc);

#endif
