/* load/xml.c - safe XML reading for the load stage. Stage: load.
 *
 * Owns everything between a path on disk and a validated libxml2 tree:
 * reading files with a size cap, parsing without network, DTD loading or
 * entity substitution (any DOCTYPE is refused, so no entity tricks), a
 * process-wide external entity loader that only reads regular files inside
 * one folder (the definition's, or the schema's while the schema is
 * parsed), restricted XInclude, the nesting-depth cap, XSD validation, and
 * turning libxml2's structured errors into "file:line:col: error: ..."
 * diagnostics. The model and style builders (load/load.c, load/style.c) start
 * from the tree this file hands back. */
#define _XOPEN_SOURCE 700

#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/uri.h>
#include <libxml/xinclude.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlschemastypes.h>
#include <pthread.h>

#define NS_XINCLUDE_2001 "http://www.w3.org/2001/XInclude"
#define NS_XINCLUDE_2003 "http://www.w3.org/2003/XInclude"

/* Parser options: no network; no NOENT (entities stay unexpanded), no
 * DTDLOAD, no HUGE (keeps libxml2's own size and depth limits); CDATA is
 * merged into text; XInclude leaves no marker nodes and adds no xml:base. */
#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOXINCNODE | \
                       XML_PARSE_NOBASEFIX)

/* One load in progress on this thread. The entity loader and the error
 * handlers find it here: libxml2's entity loader is process-wide and gets
 * no user data of ours. */
typedef struct session {
    rg_ctx *ctx;
    const char *file;            /* display name of the file being loaded */
    char root[PATH_MAX];         /* folder the entity loader may read; "" = none */
    int ndiags;                  /* diagnostics from libxml2 so far */
    int doctype;                 /* a DOCTYPE was refused: the parse was stopped */
    char refusal[600];           /* why the entity loader last refused, or "" */
    size_t loaded;               /* bytes read through the entity loader */
    struct schema_ahead *ahead;  /* a schema parsed ahead: what it reads is kept */
} session;

static void ahead_record(struct schema_ahead *a, const char *path, const char *data,
                         size_t len, rg_file_id id);
static xmlSchemaPtr ahead_take(rg_ctx *ctx, const char *schema_path);

static _Thread_local session *current;

/* ---- small helpers ---- */

static int is_xml_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int rg_ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z') ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z') cb += 'a' - 'A';
        if (ca != cb || !ca) return ca - cb;
    }
}

void rg_xml_verror(rg_ctx *ctx, const char *file, xmlNodePtr n, const char *fmt, va_list ap)
{
    char msg[800];
    vsnprintf(msg, sizeof msg, fmt, ap);
    rg_diag(ctx, RG_SEV_ERROR, file, rg_xml_line(n), 1, "%s", msg);
}

int rg_xml_line(xmlNodePtr node)
{
    long l = node ? xmlGetLineNo(node) : -1;
    if (l <= 0) return 1;
    return l > INT_MAX ? INT_MAX : (int)l;
}

int rg_xml_is(xmlNodePtr node, const char *ns, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && node->ns &&
           strcmp((const char *)node->ns->href, ns) == 0 &&
           strcmp((const char *)node->name, name) == 0;
}

char *rg_xml_attr(rg_arena *a, xmlNodePtr node, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(node, (const xmlChar *)name);
    char *r = v ? rg_arena_strdup(a, (const char *)v) : NULL;
    xmlFree(v);
    return r;
}

char *rg_xml_text(rg_arena *a, xmlNodePtr node)
{
    xmlChar *v = xmlNodeGetContent(node);
    const char *s = v ? (const char *)v : "";
    char *out = rg_arena_alloc(a, strlen(s) + 1);
    size_t n = 0;
    int space = 0;
    for (; *s; s++) {
        if (is_xml_space((unsigned char)*s)) {
            space = n > 0;
            continue;
        }
        if (space) out[n++] = ' ';
        space = 0;
        out[n++] = *s;
    }
    out[n] = 0;
    xmlFree(v);
    return out;
}

/* Next node after n in document order inside root, entering children only
 * of elements; *depth follows the element nesting. Iterative: deep input
 * cannot overflow the stack. */
static xmlNodePtr next_node(xmlNodePtr n, xmlNodePtr root, int *depth)
{
    if (n->type == XML_ELEMENT_NODE && n->children) {
        (*depth)++;
        return n->children;
    }
    while (n != root && !n->next) {
        n = n->parent;
        (*depth)--;
    }
    return n == root ? NULL : n->next;
}

/* Reads a whole regular file of at most cap bytes into a malloc'd,
 * NUL-terminated buffer (rg_read_regular: a FIFO or device is refused
 * before it is read) and notes it as a file ctx read (may be NULL); within
 * a session its bytes go into the input hash too. On failure returns -1
 * with errno-like text in why. */
static int read_bytes(rg_ctx *ctx, const char *path, size_t cap, char **out, size_t *len,
                      char *why, size_t whylen)
{
    rg_file_id id;
    if (ctx) rg_ctx_note_path(ctx, path);     /* also when it cannot be read (yet) */
    if (rg_read_regular(path, cap, out, len, &id, why, whylen) != RG_OK) return -1;
    if (current && current->ctx) rg_ctx_note_input(current->ctx, *out, *len);
    if (ctx) rg_ctx_note_file(ctx, id);
    if (current && current->ahead) ahead_record(current->ahead, path, *out, *len, id);
    return 0;
}

/* Turns a URL or path from libxml2 into a local path in out. Returns -1
 * for URLs with a scheme other than file:. */
static int to_local_path(const char *url, char *out, size_t outlen)
{
    const char *p = url;
    if (strncmp(url, "file://", 7) == 0) {
        p = url + 7;
        if (strncmp(p, "localhost/", 10) == 0) p += 9;
        if (*p != '/') return -1;
    } else if (strncmp(url, "file:", 5) == 0) {
        p = url + 5;
    } else {
        /* a scheme is letters, digits, + . - before the first ':' */
        const char *c = url;
        if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z')) {
            while ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
                   (*c >= '0' && *c <= '9') || *c == '+' || *c == '.' || *c == '-')
                c++;
            if (*c == ':') return -1;
        }
    }
    if (strlen(p) >= outlen) return -1;
    strcpy(out, p);
    return 0;
}

/* realpath of path, trying the %-unescaped form when the literal fails
 * (libxml2 hands over escaped URI paths). */
static int resolve(const char *path, char *real)
{
    if (realpath(path, real)) return 0;
    int err = errno;
    if (strchr(path, '%')) {
        char *u = xmlURIUnescapeString(path, 0, NULL);
        int ok = u && realpath(u, real) != NULL;
        xmlFree(u);
        if (ok) return 0;
    }
    errno = err;
    return -1;
}

static int inside(const char *root, const char *real)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/') return real[0] == '/';
    return strncmp(real, root, n) == 0 && real[n] == '/';
}

static void refuse(session *s, const char *url, const char *fmt, ...)
{
    char why[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (!s->refusal[0])
        snprintf(s->refusal, sizeof s->refusal, "refused to read '%.200s': %s", url, why);
}

/* A file already read into memory, handed to libxml2 as a stream. */
typedef struct memsrc {
    char *data;
    size_t len, pos;
} memsrc;

static int mem_read(void *c, char *out, int len)
{
    memsrc *m = c;
    size_t n = m->len - m->pos;
    if (len <= 0) return 0;
    if (n > (size_t)len) n = (size_t)len;
    memcpy(out, m->data + m->pos, n);
    m->pos += n;
    return (int)n;
}

static int mem_close(void *c)
{
    memsrc *m = c;
    free(m->data);
    free(m);
    return 0;
}

/* The only way libxml2 reads a file while a session is active (external
 * entities, XInclude, the schema and its imports). Reads regular files
 * inside s->root with the size cap; refuses everything else. Included
 * documents must be UTF-8 and pass rg_xml_prescan, and may carry no
 * DOCTYPE and no further XInclude. */
static xmlParserInputPtr safe_loader(const char *url, const char *id,
                                     xmlParserCtxtPtr pc)
{
    session *s = current;
    char path[PATH_MAX], real[PATH_MAX], why[200];
    char *data = NULL;
    size_t len = 0;
    memsrc *src = NULL;
    xmlParserInputBufferPtr buf = NULL;
    xmlParserInputPtr in = NULL;

    (void)id;
    if (!s) return NULL;                      /* no load in progress: refuse */
    if (!url) {
        refuse(s, "(none)", "no file name");
        goto fail;
    }
    if (to_local_path(url, path, sizeof path) < 0) {
        refuse(s, url, "only local files may be read (no network)");
        goto fail;
    }
    if (!s->root[0]) {
        refuse(s, url, "no external files may be read here");
        goto fail;
    }
    if (resolve(path, real) < 0) {
        refuse(s, url, "%s", strerror(errno));
        goto fail;
    }
    if (!inside(s->root, real)) {
        refuse(s, url, "outside the folder '%s'", s->root);
        goto fail;
    }
    if (read_bytes(s->ctx, real, RG_MAX_INPUT_BYTES - s->loaded, &data, &len, why, sizeof why) < 0) {
        refuse(s, url, "%s", why);
        goto fail;
    }
    s->loaded += len;
    if (rg_xml_prescan(s->ctx, path, data, len, 1, why, sizeof why) < 0) {
        refuse(s, url, "%s", why);
        goto fail;
    }
    if (strstr(data, "<!DOCTYPE") || strstr(data, "<!ENTITY")) {
        refuse(s, url, "DOCTYPE and entity declarations are not allowed");
        goto fail;
    }
    if (strstr(data, NS_XINCLUDE_2001) || strstr(data, NS_XINCLUDE_2003)) {
        refuse(s, url, "included files may not include further files");
        goto fail;
    }
    /* served through read callbacks, not xmlParserInputBufferCreateMem
     * (parse="text" includes, which libxml2 read only through callbacks,
     * no longer come here: include_text) */
    src = rg_xmalloc(sizeof *src);
    src->data = data;
    src->len = len;
    src->pos = 0;
    buf = xmlParserInputBufferCreateIO(mem_read, mem_close, src, XML_CHAR_ENCODING_NONE);
    if (!buf) goto fail;
    src = NULL;                               /* owned by the buffer now */
    data = NULL;
    in = xmlNewIOInputStream(pc, buf, XML_CHAR_ENCODING_NONE);
    if (!in) goto fail;
    buf = NULL;                               /* owned by the input now */
    in->filename = (const char *)xmlStrdup((const xmlChar *)real);
    return in;
fail:
    if (buf) xmlFreeParserInputBuffer(buf);
    free(src);
    free(data);
    return NULL;
}

/* Removes "{urn:...}" namespace noise from schema messages in place. */
static void clean_message(char *m)
{
    static const char *noise[] = { "{" RG_NS_REPORT "}", "{" RG_NS_LAYOUT "}",
                                   "{" NS_XINCLUDE_2001 "}" };
    for (size_t i = 0; i < sizeof noise / sizeof noise[0]; i++) {
        size_t n = strlen(noise[i]);
        char *p;
        while ((p = strstr(m, noise[i])) != NULL)
            memmove(p, p + n, strlen(p + n) + 1);
    }
    char *g = strstr(m, "No matching global declaration available for the validation root");
    if (g)
        strcpy(g, "not the expected root element (check the element name and its xmlns)");
    /* libxml2's own depth cap (256) hit before ours: no advice about its options */
    if ((g = strstr(m, "Excessive depth in document")) != NULL)
        sprintf(g, "elements nest too deeply (more than 256 levels; the limit is %d)",
                RG_MAX_DEPTH);
    size_t l = strlen(m);
    while (l && (m[l - 1] == '\n' || m[l - 1] == ' ' || m[l - 1] == '.')) m[--l] = 0;
}

/* libxml2 structured error -> diagnostic. */
static void on_error(void *data, xmlErrorPtr e)
{
    session *s = data;
    char msg[1100];

    if (!s || !e || e->level == XML_ERR_NONE) return;
    /* after a refused DOCTYPE the parser only reports that it was stopped */
    if (s->doctype && (e->domain == XML_FROM_PARSER || e->code == XML_ERR_USER_STOP)) return;
    if (s->ndiags++ >= RG_MAX_LOAD_DIAGS) {
        if (s->ndiags == RG_MAX_LOAD_DIAGS + 1)
            rg_diag(s->ctx, RG_SEV_ERROR, s->file, 0, 0, "too many errors; giving up");
        return;
    }
    const char *file = e->file ? e->file : s->file;
    int line = e->line;
    if (line <= 0 && e->node) line = rg_xml_line(e->node);
    int col = 1;
    if ((e->domain == XML_FROM_PARSER || e->domain == XML_FROM_NAMESPACE) && e->int2 > 0)
        col = e->int2;
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "unknown XML error");
    clean_message(msg);
    if (s->refusal[0]) {
        size_t l = strlen(msg);
        snprintf(msg + l, sizeof msg - l, " (%s)", s->refusal);
        s->refusal[0] = 0;
    }
    rg_diag(s->ctx, e->level == XML_ERR_WARNING ? RG_SEV_WARNING : RG_SEV_ERROR,
            file, line, line > 0 ? col : 0, "%s", msg);
}

/* Unstructured libxml2 messages (rare) become warnings without a place. */
static void on_generic(void *data, const char *fmt, ...)
{
    session *s = data;
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    clean_message(msg);
    if (s && msg[0] && s->ndiags++ < RG_MAX_LOAD_DIAGS)
        rg_diag(s->ctx, RG_SEV_WARNING, s->file, 0, 0, "libxml2: %s", msg);
}

/* SAX hook: a DOCTYPE is refused outright, before its internal subset is
 * read, so entity declarations (billion laughs, external entities) never
 * reach the parser. */
static void on_doctype(void *user, const xmlChar *name, const xmlChar *ext,
                       const xmlChar *sys)
{
    xmlParserCtxtPtr pc = user;
    session *s = current;
    (void)name, (void)ext, (void)sys;
    if (!s) return;
    rg_diag(s->ctx, RG_SEV_ERROR, s->file, pc->input ? pc->input->line : 0,
            pc->input && pc->input->col > 0 ? pc->input->col : 1,
            "DOCTYPE declarations are not allowed (no DTDs, no entity declarations)");
    s->doctype = 1;
    xmlStopParser(pc);
}

/* The real path of the folder holding the file at path into out
 * (PATH_MAX bytes). -1 with errno when path does not resolve. */
static int folder_of(const char *path, char *out)
{
    char real[PATH_MAX];
    if (!realpath(path, real)) return -1;
    char *slash = strrchr(real, '/');
    if (slash == real) slash[1] = 0;
    else if (slash) *slash = 0;
    snprintf(out, PATH_MAX, "%s", real);
    return 0;
}

static int set_root_from_file(session *s, const char *path)
{
    return folder_of(path, s->root);
}

int rg_read_beside(rg_ctx *ctx, const char *base_dir, const char *rel, size_t cap,
                   char **out, size_t *len, char *why, size_t whylen)
{
    session s;
    char local[PATH_MAX], joined[PATH_MAX * 2], real[PATH_MAX];

    *out = NULL;
    *len = 0;
    if (!base_dir) {
        snprintf(why, whylen, "no files may be read beside a definition given in memory");
        return -1;
    }
    if (!rel[0] || rel[0] == '/' || strncmp(rel, "file:", 5) == 0 ||
        to_local_path(rel, local, sizeof local) < 0) {
        snprintf(why, whylen, "use a path relative to the definition's folder");
        return -1;
    }
    for (const char *p = rel; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            snprintf(why, whylen, "outside the definition's folder ('..' is not allowed)");
            return -1;
        }
        p += n + (p[n] == '/');
    }
    memset(&s, 0, sizeof s);
    if (!realpath(base_dir, s.root)) {
        snprintf(why, whylen, "%s", strerror(errno));
        return -1;
    }
    snprintf(joined, sizeof joined, "%s/%s", s.root, rel);
    if (!realpath(joined, real)) {
        snprintf(why, whylen, "%s", strerror(errno));
        if (ctx) rg_ctx_note_path(ctx, joined);   /* a file still to be made */
        return -1;
    }
    if (!inside(s.root, real)) {     /* a symlink pointing out */
        snprintf(why, whylen, "outside the definition's folder");
        return -1;
    }
    if (read_bytes(ctx, real, cap, out, len, why, whylen) < 0) return -1;
    if (ctx && !current) rg_ctx_note_input(ctx, *out, *len);
    return 0;
}

/* An xi:include that check_includes accepted. */
typedef struct include_ref {
    xmlNodePtr node;
    char real[PATH_MAX];           /* the file it names, resolved */
} include_ref;

/* Checks the xi:include elements of the main document before they are
 * run: local files inside the definition's folder, each at most once, no
 * xpointer, no xml:base redirection; at most RG_MAX_INCLUDES. Returns the
 * number of includes, each in *refs (malloc'd; the caller frees it), or -1
 * after diagnostics. */
static int check_includes(session *s, xmlDocPtr doc, include_ref **refs)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    include_ref *seen = NULL;
    int n = 0, bad = 0, depth = 0;
    char dir[PATH_MAX];

    snprintf(dir, sizeof dir, "%s", s->root);
    for (xmlNodePtr e = root; e; e = next_node(e, root, &depth)) {
        if (e->type != XML_ELEMENT_NODE) continue;
        int line = rg_xml_line(e);
        if (xmlHasNsProp(e, (const xmlChar *)"base", XML_XML_NAMESPACE)) {
            rg_diag(s->ctx, RG_SEV_ERROR, s->file, line, 1, "xml:base is not allowed");
            bad = 1;
        }
        if (!(e->ns && (xmlStrEqual(e->ns->href, (const xmlChar *)NS_XINCLUDE_2001) ||
                        xmlStrEqual(e->ns->href, (const xmlChar *)NS_XINCLUDE_2003)) &&
              xmlStrEqual(e->name, (const xmlChar *)"include")))
            continue;
        if (n >= RG_MAX_INCLUDES) {
            rg_diag(s->ctx, RG_SEV_ERROR, s->file, line, 1,
                    "too many xi:include elements (the limit is %d)", RG_MAX_INCLUDES);
            bad = 1;
            break;
        }
        xmlChar *href = xmlGetNoNsProp(e, (const xmlChar *)"href");
        char path[PATH_MAX], joined[PATH_MAX * 2], real[PATH_MAX];
        if (xmlHasNsProp(e, (const xmlChar *)"xpointer", NULL)) {
            rg_diag(s->ctx, RG_SEV_ERROR, s->file, line, 1,
                    "xi:include with xpointer is not supported");
            bad = 1;
        } else if (!href || !href[0]) {
            rg_diag(s->ctx, RG_SEV_ERROR, s->file, line, 1, "xi:include needs an href");
            bad = 1;
        } else if (!s->root[0]) {
            rg_diag(s->ctx, RG_SEV_ERROR, s->file, line, 1,
                    "xi:include of '%s' refused: no files may be included here",
                    (const char *)href);
            bad = 1;
        } else if (to_local_path((const char *)href, path, sizeof path) < 0) {
            rg_diag(s->ctx, RG_SEV_ERROR, s->file, line, 1,
                    "xi:include of '%s' refused: only local files may be included",
                    (const char *)href);
            bad = 1;
        } else {
            if (path[0] == '/') snprintf(joined, sizeof joined, "%s", path);
            else snprintf(joined, sizeof joined, "%s/%s", dir, path);
            if (resolve(joined, real) < 0) {
                rg_diag(s->ctx, RG_SEV_ERROR, s->file, line, 1,
                        "xi:include of '%s' failed: %s", (const char *)href, strerror(errno));
                rg_ctx_note_path(s->ctx, joined);     /* a part still to be made */
                bad = 1;
            } else if (!inside(s->root, real)) {
                rg_diag(s->ctx, RG_SEV_ERROR, s->file, line, 1,
                        "xi:include of '%s' refused: outside the definition's folder",
                        (const char *)href);
                bad = 1;
            } else {
                for (int i = 0; i < n; i++)
                    if (strcmp(seen[i].real, real) == 0) {
                        rg_diag(s->ctx, RG_SEV_ERROR, s->file, line, 1,
                                "'%s' is included more than once", (const char *)href);
                        bad = 1;
                    }
                seen = rg_xrealloc(seen, (size_t)(n + 1) * sizeof *seen);
                seen[n].node = e;
                snprintf(seen[n].real, PATH_MAX, "%s", real);
                n++;
            }
        }
        xmlFree(href);
    }
    *refs = seen;
    return bad ? -1 : n;
}

/* Whether xi:include e has parse="text". */
static int is_text_include(xmlNodePtr e)
{
    xmlChar *parse = xmlGetNoNsProp(e, (const xmlChar *)"parse");
    int text = parse && xmlStrEqual(parse, (const xmlChar *)"text");
    xmlFree(parse);
    return text;
}

/* The name of the part href in messages: beside the definition as it was
 * named (libxml2 names XML parts so too). */
static void part_name(const session *s, const char *href, char *out, size_t cap)
{
    const char *slash = strrchr(s->file, '/');
    if (slash && href[0] != '/')
        snprintf(out, cap, "%.*s/%s", (int)(slash - s->file), s->file, href);
    else
        snprintf(out, cap, "%s", href);
}

/* Replaces the xi:include parse="text" ref->node with one text node
 * holding the file it names, read like every part (a regular file, within
 * what is left of RG_MAX_INPUT_BYTES) and held to the same byte rules
 * (rg_part_check_utf8); encoding= may only say UTF-8. Done here, not by
 * libxml2: its 2.9 XInclude adds such a text a character at a time,
 * measuring all it has each time (quadratic: 3 MiB took 54 s). Returns 0,
 * or -1 after a diagnostic. */
static int include_text(session *s, xmlDocPtr doc, const include_ref *ref)
{
    int line = rg_xml_line(ref->node), ok = -1;
    xmlChar *href = xmlGetNoNsProp(ref->node, (const xmlChar *)"href");
    xmlChar *enc = xmlGetNoNsProp(ref->node, (const xmlChar *)"encoding");
    char why[200], name[PATH_MAX], *data = NULL;
    size_t len = 0;
    part_name(s, (const char *)href, name, sizeof name);
    if (enc && rg_ascii_casecmp((const char *)enc, "UTF-8") != 0 &&
        rg_ascii_casecmp((const char *)enc, "UTF8") != 0) {
        rg_diag(s->ctx, RG_SEV_ERROR, s->file, line, 1, "xi:include of '%s' with "
                "encoding=\"%s\": included parts must be UTF-8 like the definition",
                (const char *)href, (const char *)enc);
    } else if (read_bytes(s->ctx, ref->real, RG_MAX_INPUT_BYTES - s->loaded, &data, &len, why,
                          sizeof why) < 0) {
        rg_diag(s->ctx, RG_SEV_ERROR, s->file, line, 1, "xi:include of '%s' failed: %s",
                (const char *)href, why);
    } else if (rg_part_check_utf8(s->ctx, name, data, len, why, sizeof why) == 0) {
        s->loaded += len;
        /* where the include follows text, the two merge, as libxml2 does */
        xmlAddPrevSibling(ref->node, xmlNewDocTextLen(doc, (const xmlChar *)data, (int)len));
        xmlUnlinkNode(ref->node);
        xmlFreeNode(ref->node);
        ok = 0;
    }
    free(data);
    xmlFree(enc);
    xmlFree(href);
    return ok;
}

/* Runs the xi:includes of doc that check_includes accepted: the text ones
 * here (include_text), the XML ones through libxml2 (and safe_loader).
 * Returns 0, or -1 after diagnostics. */
static int run_includes(session *s, xmlDocPtr doc, const include_ref *refs, int n)
{
    int errors0 = s->ctx->errors, nxml = 0;
    for (int i = 0; i < n; i++) {
        if (!is_text_include(refs[i].node)) nxml++;
        else if (include_text(s, doc, &refs[i]) < 0) return -1;
    }
    if (nxml > 0 && (xmlXIncludeProcessFlags(doc, PARSE_OPTIONS) < 0 ||
                     s->ctx->errors > errors0)) {
        if (s->ctx->errors == errors0)
            rg_diag(s->ctx, RG_SEV_ERROR, s->file, 0, 0, "XInclude processing failed");
        return -1;
    }
    return 0;
}

static int check_depth(session *s, xmlDocPtr doc, int max_depth)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    int depth = 1;
    for (xmlNodePtr e = root; e; e = next_node(e, root, &depth)) {
        if (e->type == XML_ELEMENT_NODE && depth > max_depth) {
            rg_diag(s->ctx, RG_SEV_ERROR, s->file, rg_xml_line(e), 1,
                    "elements nest too deeply (the limit is %d levels)", max_depth);
            return -1;
        }
    }
    return 0;
}

rg_status rg_xml_read_file(rg_ctx *ctx, const char *path, char **data, size_t *len,
                           char dir[PATH_MAX])
{
    char why[200];
    *data = NULL;
    *len = 0;
    if (read_bytes(ctx, path, RG_MAX_INPUT_BYTES, data, len, why, sizeof why) < 0) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "cannot read: %s", why);
        return strncmp(why, "file too large", 14) == 0 ? RG_EX_DATAERR : RG_EX_NOINPUT;
    }
    if (folder_of(path, dir) < 0) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
        free(*data);
        *data = NULL;
        *len = 0;
        return RG_EX_NOINPUT;
    }
    return RG_OK;
}

rg_status rg_xml_read_stdin(rg_ctx *ctx, char **data, size_t *len, char dir[PATH_MAX])
{
    char why[200];
    rg_file_id id;
    int have_id;
    rg_status st = rg_read_stream(0, RG_MAX_INPUT_BYTES, data, len, &id, &have_id, why,
                                  sizeof why);
    if (st != RG_OK) {
        rg_diag(ctx, RG_SEV_ERROR, RG_STDIN_NAME, 0, 0, "cannot read: %s", why);
        return st;
    }
    if (have_id) rg_ctx_note_file(ctx, id);    /* "< def.xml -o def.xml" is refused */
    if (!realpath(".", dir)) {
        rg_diag(ctx, RG_SEV_ERROR, ".", 0, 0, "cannot read: %s", strerror(errno));
        free(*data);
        *data = NULL;
        *len = 0;
        return RG_EX_NOINPUT;
    }
    return RG_OK;
}

rg_status rg_xml_load(rg_ctx *ctx, const char *path, const char *schema_path,
                      int xinclude, xmlDocPtr *out)
{
    char *data = NULL, dir[PATH_MAX];
    size_t len = 0;
    *out = NULL;
    rg_status st = rg_xml_read_file(ctx, path, &data, &len, dir);
    if (st == RG_OK) st = rg_xml_load_mem(ctx, path, data, len, dir, schema_path, xinclude, out);
    free(data);
    return st;
}

/* libxml2's global state, set up once for all threads: libxml2 2.9 builds
 * its table of XSD built-in types lazily, unlocked, in the first
 * xmlSchemaParse, so two batch workers parsing at once both built it (one
 * table leaked, and the other thread could look types up in a table half
 * filled). */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
    xmlInitParser();
    xmlSchemaInitTypes();
    xmlSetExternalEntityLoader(safe_loader);
}

/* rg_xml_load_mem, and rg_xml_parse_mem when schema_path is NULL and
 * no_schema set: the same reading without a schema (and then without
 * base_dir and XInclude), the depth checked against max_depth. */
static rg_status load_mem(rg_ctx *ctx, const char *name, const char *data, size_t len,
                          const char *base_dir, const char *schema_path, int xinclude,
                          int no_schema, int max_depth, xmlDocPtr *out)
{
    rg_status st = RG_EX_DATAERR;
    session s;
    xmlParserCtxtPtr pc = NULL;
    xmlDocPtr doc = NULL;
    xmlSchemaParserCtxtPtr spc = NULL;
    xmlSchemaPtr schema = NULL;
    xmlSchemaValidCtxtPtr vc = NULL;
    int errors0 = ctx->errors;
    struct stat sst;
    const char *path = name;

    *out = NULL;
    memset(&s, 0, sizeof s);
    s.ctx = ctx;
    s.file = path;

    pthread_once(&xml_once, xml_init);
    session *saved = current;
    xmlStructuredErrorFunc old_serror = xmlStructuredError;
    void *old_sdata = xmlStructuredErrorContext;
    xmlGenericErrorFunc old_generic = xmlGenericError;
    void *old_gdata = xmlGenericErrorContext;
    current = &s;
    xmlSetStructuredErrorFunc(&s, on_error);
    xmlSetGenericErrorFunc(&s, on_generic);

    rg_ctx_note_input(ctx, data, len);
    if (len > RG_MAX_INPUT_BYTES) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0,
                "cannot read: file too large (%zu bytes; the limit is %d)", len,
                RG_MAX_INPUT_BYTES);
        goto fail;
    }
    char why[200];
    if (rg_xml_prescan(ctx, path, data, len, 0, why, sizeof why) < 0) goto fail;

    /* the schema: read through the loader, confined to its own folder */
    if (no_schema) goto parse;
    if (!schema_path || stat(schema_path, &sst) != 0 || !S_ISREG(sst.st_mode)) {
        const char *why_s = !schema_path ? "no schema given"
                            : stat(schema_path, &sst) != 0 ? strerror(errno)
                            : "not a regular file";
        rg_diag(ctx, RG_SEV_ERROR, schema_path ? schema_path : path, 0, 0,
                "schema not found: %s", why_s);
        st = RG_EX_UNAVAILABLE;
        goto fail;
    }
    s.file = schema_path;
    if (set_root_from_file(&s, schema_path) < 0) {
        rg_diag(ctx, RG_SEV_ERROR, schema_path, 0, 0, "schema not found: %s", strerror(errno));
        st = RG_EX_UNAVAILABLE;
        goto fail;
    }
    schema = ahead_take(ctx, schema_path);    /* parsed on another thread meanwhile? */
    if (schema) goto parse;
    spc = xmlSchemaNewParserCtxt(schema_path);
    if (!spc) goto unusable;
    xmlSchemaSetParserStructuredErrors(spc, on_error, &s);
    schema = xmlSchemaParse(spc);
    if (!schema) goto unusable;
parse:
    s.file = path;
    s.ndiags = 0;
    s.loaded = 0;

    /* the document itself, from memory: no gzip, no loader; includes and
     * external files only from base_dir, none at all without one */
    s.root[0] = 0;
    if (base_dir && !realpath(base_dir, s.root)) {
        rg_diag(ctx, RG_SEV_ERROR, base_dir, 0, 0, "cannot read: %s", strerror(errno));
        st = RG_EX_NOINPUT;
        goto fail;
    }
    if (len > INT_MAX) goto fail;
    pc = xmlNewParserCtxt();
    if (!pc) {
        st = RG_EX_SOFTWARE;
        goto fail;
    }
    pc->sax->internalSubset = on_doctype;
    doc = xmlCtxtReadMemory(pc, data, (int)len, path, NULL, PARSE_OPTIONS);
    if (!doc || !pc->wellFormed || s.doctype || ctx->errors > errors0) {
        if (ctx->errors == errors0)
            rg_diag(ctx, RG_SEV_ERROR, path, 1, 1, "not a well-formed XML document");
        goto fail;
    }
    if (!xmlDocGetRootElement(doc)) {
        rg_diag(ctx, RG_SEV_ERROR, path, 1, 1, "empty document");
        goto fail;
    }

    if (xinclude) {
        include_ref *refs = NULL;
        int n = check_includes(&s, doc, &refs);
        int ran = n >= 0 ? run_includes(&s, doc, refs, n) : -1;
        free(refs);
        if (ran < 0) goto fail;
    }
    s.root[0] = 0;                            /* nothing more may be read */

    if (check_depth(&s, doc, max_depth) < 0) goto fail;
    if (no_schema) goto valid;

    vc = xmlSchemaNewValidCtxt(schema);
    if (!vc) {
        st = RG_EX_SOFTWARE;
        goto fail;
    }
    xmlSchemaSetValidStructuredErrors(vc, on_error, &s);
    /* with a file name given, libxml2 2.9 does not look for it by walking
     * back over every earlier sibling of the node at fault (for an
     * XInclude start marker), which made many errors quadratic */
    xmlSchemaValidateSetFilename(vc, path);
    int r = xmlSchemaValidateDoc(vc, doc);
    if (r != 0 || ctx->errors > errors0) {
        if (ctx->errors == errors0)
            rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "schema validation failed (internal error %d)", r);
        goto fail;
    }

valid:
    *out = doc;
    doc = NULL;
    st = RG_OK;
    goto done;

unusable:
    rg_diag(ctx, RG_SEV_ERROR, schema_path, 0, 0, "schema cannot be used");
    st = RG_EX_UNAVAILABLE;
fail:
done:
    if (vc) xmlSchemaFreeValidCtxt(vc);
    if (schema) xmlSchemaFree(schema);
    if (spc) xmlSchemaFreeParserCtxt(spc);
    if (doc) xmlFreeDoc(doc);
    if (pc) xmlFreeParserCtxt(pc);
    xmlSetStructuredErrorFunc(old_sdata, old_serror);
    xmlSetGenericErrorFunc(old_gdata, old_generic);
    current = saved;
    return st;
}

rg_status rg_xml_load_mem(rg_ctx *ctx, const char *name, const char *data, size_t len,
                          const char *base_dir, const char *schema_path, int xinclude,
                          xmlDocPtr *out)
{
    return load_mem(ctx, name, data, len, base_dir, schema_path, xinclude, 0, RG_MAX_DEPTH,
                    out);
}

rg_status rg_xml_parse_mem(rg_ctx *ctx, const char *name, const char *data, size_t len,
                           int max_depth, xmlDocPtr *out)
{
    return load_mem(ctx, name, data, len, NULL, NULL, 0, 1, max_depth, out);
}

/* ---- schemas parsed ahead (rg_load_schemas_ahead) ----
 * One thread parses the schemas in turn, each in a session of its own
 * with a scratch context, and keeps what it read (path, bytes, file id).
 * load_mem takes a schema by its path (ahead_take), waiting for it while
 * the thread is parsing it, and notes those reads on its own context in
 * the order it would have made them itself; so the inputs noted, and
 * their hash, are the same. A schema the thread has not started on (a
 * busy machine gave the thread no core yet) is parsed by load_mem itself,
 * as without the thread, and skipped by the thread. A schema whose parse
 * said anything at all (an error, a warning, a refused read) is dropped:
 * load_mem then parses it again, with the messages. */
enum { AHEAD_WAITING, AHEAD_PARSING, AHEAD_DONE, AHEAD_CLAIMED };
typedef struct schema_read {
    char *path, *data;
    size_t len;
    rg_file_id id;
} schema_read;

typedef struct schema_ahead {
    char *path;
    xmlSchemaPtr schema;         /* NULL: not parsed (yet), or dropped */
    int state;                   /* AHEAD_*, under the group's lock */
    int taken;
    schema_read *reads;
    size_t nreads, reads_cap;
} schema_ahead;

typedef struct schemas_ahead {
    rg_ctx *owner;
    schema_ahead *v;
    int n;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t done;
    struct schemas_ahead *next;
} schemas_ahead;

static pthread_mutex_t aheads_lock = PTHREAD_MUTEX_INITIALIZER;
static schemas_ahead *aheads;          /* one per context that asked */

static void ahead_record(schema_ahead *a, const char *path, const char *data, size_t len,
                         rg_file_id id)
{
    rg_grow(&a->reads, &a->reads_cap, a->nreads + 1, sizeof *a->reads);
    schema_read *r = &a->reads[a->nreads++];
    r->path = rg_xstrdup(path);
    r->data = rg_xmalloc(len ? len : 1);
    memcpy(r->data, data, len);
    r->len = len;
    r->id = id;
}

static void ahead_free_one(schema_ahead *a)
{
    if (a->schema) xmlSchemaFree(a->schema);
    for (size_t i = 0; i < a->nreads; i++) {
        free(a->reads[i].path);
        free(a->reads[i].data);
    }
    free(a->reads);
    free(a->path);
}

/* Parses a->path as load_mem would; a->schema stays NULL unless the parse
 * was silent. */
static void ahead_parse(schema_ahead *a)
{
    rg_ctx *scratch = rg_ctx_new(NULL);
    session s;
    memset(&s, 0, sizeof s);
    s.ctx = scratch;
    s.file = a->path;
    s.ahead = a;
    current = &s;
    xmlSetStructuredErrorFunc(&s, on_error);
    xmlSetGenericErrorFunc(&s, on_generic);
    xmlSchemaParserCtxtPtr spc = NULL;
    if (set_root_from_file(&s, a->path) == 0) spc = xmlSchemaNewParserCtxt(a->path);
    if (spc) {
        xmlSchemaSetParserStructuredErrors(spc, on_error, &s);
        a->schema = xmlSchemaParse(spc);
        xmlSchemaFreeParserCtxt(spc);
    }
    if (a->schema && (scratch->errors || scratch->warnings || scratch->diag_len ||
                      s.ndiags || s.refusal[0])) {
        xmlSchemaFree(a->schema);
        a->schema = NULL;
    }
    current = NULL;
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlSetGenericErrorFunc(NULL, NULL);
    rg_ctx_free(scratch);
}

static void *ahead_main(void *arg)
{
    schemas_ahead *g = arg;
    for (int i = 0; i < g->n; i++) {
        pthread_mutex_lock(&g->lock);
        int mine = g->v[i].state == AHEAD_WAITING;
        if (mine) g->v[i].state = AHEAD_PARSING;
        pthread_mutex_unlock(&g->lock);
        if (!mine) continue;                   /* claimed by its load */
        ahead_parse(&g->v[i]);
        pthread_mutex_lock(&g->lock);
        g->v[i].state = AHEAD_DONE;
        pthread_cond_broadcast(&g->done);
        pthread_mutex_unlock(&g->lock);
    }
    return NULL;
}

/* Joins the thread of ctx's schemas and frees what was not taken. */
static void ahead_release(void *data)
{
    rg_ctx *ctx = data;
    pthread_mutex_lock(&aheads_lock);
    schemas_ahead **p = &aheads;
    while (*p && (*p)->owner != ctx) p = &(*p)->next;
    schemas_ahead *g = *p;
    if (g) *p = g->next;
    pthread_mutex_unlock(&aheads_lock);
    if (!g) return;
    pthread_join(g->thread, NULL);
    for (int i = 0; i < g->n; i++) ahead_free_one(&g->v[i]);
    free(g->v);
    pthread_mutex_destroy(&g->lock);
    pthread_cond_destroy(&g->done);
    free(g);
}

void rg_load_schemas_ahead(rg_ctx *ctx, const char *const *schema_paths, int n)
{
    pthread_mutex_lock(&aheads_lock);
    int asked = 0;
    for (schemas_ahead *g = aheads; g; g = g->next) asked |= g->owner == ctx;
    pthread_mutex_unlock(&aheads_lock);
    if (asked || n <= 0) return;
    pthread_once(&xml_once, xml_init);
    schemas_ahead *g = rg_xcalloc(1, sizeof *g);
    g->owner = ctx;
    g->v = rg_xcalloc((size_t)n, sizeof *g->v);
    for (int i = 0; i < n; i++) g->v[i].path = rg_xstrdup(schema_paths[i] ? schema_paths[i] : "");
    g->n = n;
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->done, NULL);
    if (pthread_create(&g->thread, NULL, ahead_main, g) != 0) {
        for (int i = 0; i < n; i++) ahead_free_one(&g->v[i]);
        free(g->v);
        pthread_mutex_destroy(&g->lock);
        pthread_cond_destroy(&g->done);
        free(g);
        return;                                /* then each is parsed when needed */
    }
    pthread_mutex_lock(&aheads_lock);
    g->next = aheads;
    aheads = g;
    pthread_mutex_unlock(&aheads_lock);
    rg_ctx_on_free(ctx, ahead_release, ctx);
}

/* The schema at schema_path parsed ahead for ctx, once (the caller owns it
 * then), after noting what its parse read; NULL when there is none. */
static xmlSchemaPtr ahead_take(rg_ctx *ctx, const char *schema_path)
{
    pthread_mutex_lock(&aheads_lock);
    schemas_ahead *g = aheads;
    while (g && g->owner != ctx) g = g->next;
    pthread_mutex_unlock(&aheads_lock);
    if (!g) return NULL;
    schema_ahead *a = NULL;
    for (int i = 0; i < g->n && !a; i++)
        if (!g->v[i].taken && !strcmp(g->v[i].path, schema_path)) a = &g->v[i];
    if (!a) return NULL;
    pthread_mutex_lock(&g->lock);
    if (a->state == AHEAD_WAITING) a->state = AHEAD_CLAIMED;   /* not started: parse it here */
    while (a->state == AHEAD_PARSING) pthread_cond_wait(&g->done, &g->lock);
    pthread_mutex_unlock(&g->lock);
    a->taken = 1;
    xmlSchemaPtr schema = a->schema;
    a->schema = NULL;
    if (!schema) return NULL;
    for (size_t i = 0; i < a->nreads; i++) {
        const schema_read *r = &a->reads[i];
        rg_ctx_note_path(ctx, r->path);
        rg_ctx_note_input(ctx, r->data, r->len);
        rg_ctx_note_file(ctx, r->id);
    }
    return schema;
}
