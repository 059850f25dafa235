/* load/svg.c - an SVG logo -> rg_vector (model.h). Stage: load.
 *
 * Reads the file with the definitions' safe XML reading (load/xml.c:
 * regular file, size cap, no network, no DTD, no entities, nothing read
 * beside it, nesting capped) and turns the documented subset into painted
 * paths: <svg> (viewBox, or width and height in px, pt, mm, cm, in), <g>,
 * <path>, <rect>, <circle>, <ellipse>, <line>, <polyline>, <polygon>;
 * fill, stroke, stroke-width and fill-rule as presentation attributes or in
 * style=""; solid colours; transforms, applied to the points here. Anything
 * else that would change what is drawn is an error at its element's line
 * and column: never a silent blank, and never a drawing that differs from
 * what a browser shows. docs/images.md lists the subset; rg_load_svg in
 * load/load.h is the contract. */
#include "internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#define NS_SVG "http://www.w3.org/2000/svg"
#define NS_XLINK "http://www.w3.org/1999/xlink"

/* 4/3 (sqrt 2 - 1): the control distance of a quarter circle of radius 1 */
#define KAPPA 0.5522847498307936

/* Named limits of the SVG reader. A logo has a few hundred elements and a
 * few thousand path segments; these bound memory and the PDF's size. */
enum {
    RG_MAX_SVG_BYTES = 4 * 1024 * 1024, /* the file (a logo: a few KiB to 200 KiB) */
    RG_MAX_SVG_DEPTH = 64,              /* element nesting (editors nest groups) */
    RG_MAX_SVG_ELEMENTS = 20000,        /* elements of any kind */
    RG_MAX_SVG_SEGMENTS = 100000        /* path segments after arcs became curves */
};

/* |coordinate| beyond this (user units, after transforms) is refused: no
 * logo needs it, and it keeps every later multiplication finite. */
#define MAX_COORD 1e9

typedef struct { double a, b, c, d, e, f; } matrix;   /* x' = a x + c y + e */

/* The painting properties in force at an element (inherited). */
typedef struct paint {
    int fill, stroke;              /* painted at all */
    double fill_rgb[3], stroke_rgb[3];
    double width;                  /* stroke-width in the element's user units */
    int evenodd;
    matrix m;                      /* user units of this element -> the viewBox's */
} paint;

typedef struct svg {
    rg_ctx *ctx;
    rg_arena *a;
    const char *file;
    const char *data;              /* the raw bytes, for columns */
    size_t len;
    int nerrors;
    size_t nsegs_total;
    int over_limit;                /* the segment limit was reported */
    /* the path being built */
    rg_vseg *segs;
    size_t nsegs, segs_cap;
    /* the paths so far */
    rg_vpath *paths;
    size_t npaths, paths_cap;
} svg;

/* ---- diagnostics ---- */

/* The column of the start tag of n: where "<name" stands on its line in
 * the raw bytes (the first such tag on it), else 1. */
static int column_of(const svg *s, xmlNodePtr n)
{
    int line = rg_xml_line(n), l = 1;
    const char *p = s->data, *end = s->data + s->len;
    while (p < end && l < line) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) return 1;
        p = nl + 1;
        l++;
    }
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol) eol = end;
    char tag[120];
    if (n->ns && n->ns->prefix)
        snprintf(tag, sizeof tag, "<%s:%s", (const char *)n->ns->prefix, (const char *)n->name);
    else
        snprintf(tag, sizeof tag, "<%s", (const char *)n->name);
    size_t tl = strlen(tag);
    for (const char *q = p; q + tl <= eol; q++) {
        if (memcmp(q, tag, tl) != 0) continue;
        char c = q + tl < end ? q[tl] : 0;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/' || c == '>')
            return (int)(q - p) + 1 > 0 ? (int)(q - p) + 1 : 1;
    }
    return 1;
}

static void err(svg *s, xmlNodePtr n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void err(svg *s, xmlNodePtr n, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    s->nerrors++;
    if (s->nerrors > RG_MAX_LOAD_DIAGS) {
        if (s->nerrors == RG_MAX_LOAD_DIAGS + 1)
            rg_diag(s->ctx, RG_SEV_ERROR, s->file, 0, 0, "too many errors; giving up");
        return;
    }
    rg_diag(s->ctx, RG_SEV_ERROR, s->file, n ? rg_xml_line(n) : 0, n ? column_of(s, n) : 0,
            "%s", msg);
}

static void refuse_element(svg *s, xmlNodePtr n)
{
    err(s, n, "<%s> is not in the SVG subset reportgen draws (paths, shapes, groups; see docs)",
        (const char *)n->name);
}

/* ---- numbers, lengths, lists ---- */

static int is_wsp(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static const char *skip_wsp(const char *p)
{
    while (is_wsp((unsigned char)*p)) p++;
    return p;
}

/* Skips white space and at most one comma (with white space around). */
static const char *skip_sep(const char *p)
{
    p = skip_wsp(p);
    if (*p == ',') p = skip_wsp(p + 1);
    return p;
}

/* An SVG number at p (sign, digits, fraction, exponent), locale-
 * independent. Returns the end, or NULL when p holds no number or the
 * value is not finite. */
static const char *parse_number(const char *p, double *out)
{
    double v = 0, scale = 1;
    int neg = 0, digits = 0;
    if (*p == '+' || *p == '-') neg = *p++ == '-';
    for (; *p >= '0' && *p <= '9'; p++, digits++) v = v * 10 + (*p - '0');
    if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
        for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
            scale /= 10;
            v += (*p - '0') * scale;
        }
    }
    if (!digits) return NULL;
    if ((*p == 'e' || *p == 'E') &&
        ((p[1] >= '0' && p[1] <= '9') ||
         ((p[1] == '+' || p[1] == '-') && p[2] >= '0' && p[2] <= '9'))) {
        int eneg = 0, e = 0;
        p++;
        if (*p == '+' || *p == '-') eneg = *p++ == '-';
        for (; *p >= '0' && *p <= '9'; p++)
            if (e < 1000) e = e * 10 + (*p - '0');
        v *= pow(10, eneg ? -e : e);
    }
    if (!isfinite(v)) return NULL;
    *out = neg ? -v : v;
    return p;
}

/* A whole attribute that is one number, optionally with "px" after it
 * (user units). Returns 0, or -1. */
static int parse_user_length(const char *v, double *out)
{
    const char *p = parse_number(skip_wsp(v), out);
    if (!p) return -1;
    if (p[0] == 'p' && p[1] == 'x') p += 2;
    return *skip_wsp(p) ? -1 : 0;
}

/* A length with a unit for the root's width and height, in px (the user
 * unit: 96 to the inch). Returns 0, or -1 (percentages, em, ...). */
static int parse_abs_length(const char *v, double *out)
{
    double x;
    const char *p = parse_number(skip_wsp(v), &x);
    if (!p) return -1;
    const char *u = p;
    p = skip_wsp(p);
    double k;
    if (!*p) k = 1;
    else if (!strncmp(u, "px", 2)) k = 1;
    else if (!strncmp(u, "pt", 2)) k = 96.0 / 72;
    else if (!strncmp(u, "mm", 2)) k = 96.0 / 25.4;
    else if (!strncmp(u, "cm", 2)) k = 96.0 / 2.54;
    else if (!strncmp(u, "in", 2)) k = 96.0;
    else return -1;
    if (*p && *skip_wsp(u + 2)) return -1;
    *out = x * k;
    return isfinite(*out) ? 0 : -1;
}

/* Attribute name of n as a number in user units, or def when absent.
 * Returns 0, or -1 after an error. */
static int length_attr(svg *s, xmlNodePtr n, const char *name, double def, double *out)
{
    char *v = rg_xml_attr(s->a, n, name);
    *out = def;
    if (!v) return 0;
    if (parse_user_length(v, out) < 0 || fabs(*out) > MAX_COORD) {
        err(s, n, "%s=\"%.60s\" on <%s>: not a number of user units (no %%, em or other units "
            "in the SVG subset)", name, v, (const char *)n->name);
        return -1;
    }
    return 0;
}

/* ---- matrices ---- */

static matrix mul(matrix p, matrix q)   /* p after q: x -> p(q(x)) */
{
    matrix r;
    r.a = p.a * q.a + p.c * q.b;
    r.b = p.b * q.a + p.d * q.b;
    r.c = p.a * q.c + p.c * q.d;
    r.d = p.b * q.c + p.d * q.d;
    r.e = p.a * q.e + p.c * q.f + p.e;
    r.f = p.b * q.e + p.d * q.f + p.f;
    return r;
}

static const matrix IDENTITY = { 1, 0, 0, 1, 0, 0 };

/* transform="..." into *out (the list composed left to right: the first
 * is applied last). Returns 0, or -1 after an error. */
static int parse_transform(svg *s, xmlNodePtr n, const char *v, matrix *out)
{
    static const struct { const char *name; int min, max; } fns[] = {
        { "matrix", 6, 6 }, { "translate", 1, 2 }, { "scale", 1, 2 },
        { "rotate", 1, 3 }, { "skewX", 1, 1 }, { "skewY", 1, 1 },
    };
    matrix m = IDENTITY;
    const char *p = skip_wsp(v);
    while (*p) {
        size_t k, nf = sizeof fns / sizeof fns[0];
        for (k = 0; k < nf; k++) {
            size_t l = strlen(fns[k].name);
            if (!strncmp(p, fns[k].name, l) && (*skip_wsp(p + l) == '(')) {
                p = skip_wsp(p + l) + 1;
                break;
            }
        }
        if (k == nf) goto bad;
        double arg[6];
        int na = 0;
        p = skip_wsp(p);
        while (*p != ')') {
            if (na == 6) goto bad;
            const char *q = parse_number(p, &arg[na]);
            if (!q) goto bad;
            na++;
            p = skip_sep(q);
        }
        p++;
        if (na < fns[k].min || na > fns[k].max || (k == 3 && na == 2)) goto bad;
        matrix t = IDENTITY;
        switch (k) {
        case 0:
            t = (matrix){ arg[0], arg[1], arg[2], arg[3], arg[4], arg[5] };
            break;
        case 1:
            t.e = arg[0];
            t.f = na > 1 ? arg[1] : 0;
            break;
        case 2:
            t.a = arg[0];
            t.d = na > 1 ? arg[1] : arg[0];
            break;
        case 3: {
            double r = arg[0] * M_PI / 180, c = cos(r), sn = sin(r);
            t = (matrix){ c, sn, -sn, c, 0, 0 };
            if (na == 3) {
                matrix to = { 1, 0, 0, 1, arg[1], arg[2] }, back = { 1, 0, 0, 1, -arg[1], -arg[2] };
                t = mul(to, mul(t, back));
            }
            break;
        }
        case 4:
            t.c = tan(arg[0] * M_PI / 180);
            break;
        default:
            t.b = tan(arg[0] * M_PI / 180);
            break;
        }
        m = mul(m, t);
        p = skip_sep(p);
    }
    if (!isfinite(m.a) || !isfinite(m.b) || !isfinite(m.c) || !isfinite(m.d) ||
        !isfinite(m.e) || !isfinite(m.f))
        goto bad;
    *out = m;
    return 0;
bad:
    err(s, n, "transform=\"%.80s\": not a list of matrix, translate, scale, rotate, skewX "
        "and skewY", v);
    return -1;
}

/* ---- colours and painting properties ---- */

static const struct { const char *name; unsigned rgb; } NAMED[] = {
    { "black", 0x000000 }, { "silver", 0xc0c0c0 }, { "gray", 0x808080 },
    { "white", 0xffffff }, { "maroon", 0x800000 }, { "red", 0xff0000 },
    { "purple", 0x800080 }, { "fuchsia", 0xff00ff }, { "green", 0x008000 },
    { "lime", 0x00ff00 }, { "olive", 0x808000 }, { "yellow", 0xffff00 },
    { "navy", 0x000080 }, { "blue", 0x0000ff }, { "teal", 0x008080 },
    { "aqua", 0x00ffff },
};

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* A colour value: 1 painted (rgb set, 0..1), 0 for none; -1 not a colour
 * of the subset; -2 a paint server (url(...)). */
static int parse_colour(const char *v, double rgb[3])
{
    char buf[64];
    size_t l;
    v = skip_wsp(v);
    for (l = 0; v[l] && l < sizeof buf - 1; l++) buf[l] = v[l];
    while (l && is_wsp((unsigned char)buf[l - 1])) l--;
    buf[l] = 0;
    if (!strcmp(buf, "none")) return 0;
    if (!strncmp(buf, "url(", 4)) return -2;
    if (buf[0] == '#') {
        int h[6];
        size_t nd = strlen(buf + 1);
        if (nd != 3 && nd != 6) return -1;
        for (size_t i = 0; i < nd; i++)
            if ((h[i] = hexval((unsigned char)buf[1 + i])) < 0) return -1;
        for (int i = 0; i < 3; i++)
            rgb[i] = (nd == 3 ? h[i] * 17 : h[2 * i] * 16 + h[2 * i + 1]) / 255.0;
        return 1;
    }
    if (!strncmp(buf, "rgb(", 4)) {
        const char *p = skip_wsp(buf + 4);
        for (int i = 0; i < 3; i++) {
            double x;
            p = parse_number(p, &x);
            if (!p) return -1;
            if (*p == '%') {
                x = x * 255 / 100;
                p++;
            }
            if (x < 0) x = 0;
            if (x > 255) x = 255;
            rgb[i] = x / 255;
            p = i < 2 ? skip_sep(p) : skip_wsp(p);
        }
        return *p == ')' && !*skip_wsp(p + 1) ? 1 : -1;
    }
    for (size_t i = 0; i < sizeof NAMED / sizeof NAMED[0]; i++)
        if (!rg_ascii_casecmp(buf, NAMED[i].name)) {
            rgb[0] = ((NAMED[i].rgb >> 16) & 255) / 255.0;
            rgb[1] = ((NAMED[i].rgb >> 8) & 255) / 255.0;
            rgb[2] = (NAMED[i].rgb & 255) / 255.0;
            return 1;
        }
    return -1;
}

/* Whether a property value means "the parent's" (nothing to set). */
static int is_inherit(const char *v)
{
    v = skip_wsp(v);
    return !strncmp(v, "inherit", 7) && !*skip_wsp(v + 7);
}

static int value_is(const char *v, const char *want)
{
    v = skip_wsp(v);
    size_t l = strlen(want);
    return !strncmp(v, want, l) && !*skip_wsp(v + l);
}

/* One painting property name: value of element n onto *pt. *hidden is set
 * by display:none. Properties that change nothing drawn here (font-*,
 * stroke-miterlimit, ...) are ignored; ones that would be drawn
 * differently from a browser are errors. Returns 0, or -1 after an error. */
static int apply_property(svg *s, xmlNodePtr n, const char *name, const char *v, paint *pt,
                          int *hidden)
{
    const char *el = (const char *)n->name;
    if (is_inherit(v)) return 0;
    if (!strcmp(name, "fill") || !strcmp(name, "stroke")) {
        int fill = name[0] == 'f';
        double rgb[3];
        int r = parse_colour(v, rgb);
        if (r == -2) {
            err(s, n, "%s=\"%.60s\" on <%s>: gradients and patterns are not in the SVG subset "
                "reportgen draws (solid colours only; see docs)", name, v, el);
            return -1;
        }
        if (r < 0) {
            err(s, n, "%s=\"%.60s\" on <%s>: not a colour of the SVG subset (#rgb, #rrggbb, "
                "rgb(r,g,b), one of the 16 basic colour names, or none)", name, v, el);
            return -1;
        }
        if (fill) {
            pt->fill = r;
            if (r) memcpy(pt->fill_rgb, rgb, sizeof rgb);
        } else {
            pt->stroke = r;
            if (r) memcpy(pt->stroke_rgb, rgb, sizeof rgb);
        }
        return 0;
    }
    if (!strcmp(name, "stroke-width")) {
        double w;
        if (parse_user_length(v, &w) < 0 || w < 0 || w > MAX_COORD) {
            err(s, n, "stroke-width=\"%.60s\" on <%s>: not a number of user units at least 0",
                v, el);
            return -1;
        }
        pt->width = w;
        return 0;
    }
    if (!strcmp(name, "fill-rule")) {
        if (value_is(v, "evenodd")) pt->evenodd = 1;
        else if (value_is(v, "nonzero")) pt->evenodd = 0;
        else {
            err(s, n, "fill-rule=\"%.60s\" on <%s>: nonzero or evenodd", v, el);
            return -1;
        }
        return 0;
    }
    if (!strcmp(name, "opacity") || !strcmp(name, "fill-opacity") ||
        !strcmp(name, "stroke-opacity")) {
        double o;
        const char *e = parse_number(skip_wsp(v), &o);
        if (!e || *skip_wsp(e) || o != 1) {
            err(s, n, "%s=\"%.60s\" on <%s>: only opacity 1 is in the SVG subset reportgen "
                "draws (no transparency; see docs)", name, v, el);
            return -1;
        }
        return 0;
    }
    if (!strcmp(name, "display")) {
        if (value_is(v, "none")) *hidden = 1;
        return 0;
    }
    static const struct { const char *name, *only; } defaults[] = {
        { "visibility", "visible" }, { "stroke-linecap", "butt" },
        { "stroke-linejoin", "miter" }, { "stroke-dasharray", "none" },
        { "clip-path", "none" }, { "mask", "none" }, { "filter", "none" },
        { "marker-start", "none" }, { "marker-mid", "none" }, { "marker-end", "none" },
        { "marker", "none" }, { "paint-order", "normal" },
    };
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
        if (!strcmp(name, defaults[i].name) && !value_is(v, defaults[i].only)) {
            err(s, n, "%s=\"%.60s\" on <%s>: only %s is in the SVG subset reportgen draws "
                "(see docs)", name, v, el, defaults[i].only);
            return -1;
        }
    return 0;
}

/* The painting properties of element n (presentation attributes, then
 * style="", which wins) onto *pt, and its transform onto pt->m. Refuses
 * href and xlink:href. Returns 0, or -1 after errors. */
static int element_paint(svg *s, xmlNodePtr n, paint *pt, int *hidden)
{
    int bad = 0;
    char *style = NULL;
    /* display="none" (or in style=""): not drawn, whatever else it says */
    char *disp = rg_xml_attr(s->a, n, "display"), *st = rg_xml_attr(s->a, n, "style");
    if (disp && value_is(disp, "none")) {
        *hidden = 1;
        return 0;
    }
    for (char *q = st; q && (q = strstr(q, "display")) != NULL; q += 7) {
        const char *c = skip_wsp(q + 7);
        if ((q == st || q[-1] == ';' || is_wsp((unsigned char)q[-1])) && *c == ':') {
            c = skip_wsp(c + 1);
            if (!strncmp(c, "none", 4) && (!*skip_wsp(c + 4) || *skip_wsp(c + 4) == ';')) {
                *hidden = 1;
                return 0;
            }
        }
    }
    for (xmlAttrPtr at = n->properties; at; at = at->next) {
        const char *name = (const char *)at->name;
        if (at->ns && strcmp((const char *)at->ns->href, NS_XLINK) != 0) continue;   /* inkscape: ... */
        if (!strcmp(name, "href")) {
            err(s, n, "%shref on <%s>: references to other elements or files are not in the SVG "
                "subset reportgen draws (see docs)", at->ns ? "xlink:" : "",
                (const char *)n->name);
            bad = 1;
            continue;
        }
        if (at->ns) continue;
        xmlChar *v = xmlNodeListGetString(n->doc, at->children, 1);
        const char *val = v ? (const char *)v : "";
        if (!strcmp(name, "style")) style = rg_arena_strdup(s->a, val);
        else if (!strcmp(name, "transform")) {
            matrix t;
            if (parse_transform(s, n, val, &t) < 0) bad = 1;
            else pt->m = mul(pt->m, t);
        } else if (!strcmp(name, "class")) {
            /* harmless without a <style> element, which is refused */
        } else if (apply_property(s, n, name, val, pt, hidden) < 0) {
            bad = 1;
        }
        xmlFree(v);
    }
    /* style="fill:#123;stroke:none" (no CSS comments, no !important) */
    for (char *p = style; p && *p;) {
        char *semi = strchr(p, ';');
        if (semi) *semi = 0;
        char *colon = strchr(p, ':');
        if (colon) {
            *colon = 0;
            char *name = (char *)skip_wsp(p), *val = colon + 1;
            size_t l = strlen(name);
            while (l && is_wsp((unsigned char)name[l - 1])) name[--l] = 0;
            if (strstr(val, "!important") || strstr(val, "/*")) {
                err(s, n, "style=\"...%s:%.60s\" on <%s>: no !important or comments in the SVG "
                    "subset", name, val, (const char *)n->name);
                bad = 1;
            } else if (apply_property(s, n, name, val, pt, hidden) < 0) {
                bad = 1;
            }
        } else if (*skip_wsp(p)) {
            err(s, n, "style=\"%.60s\" on <%s>: not a list of property:value", p,
                (const char *)n->name);
            bad = 1;
        }
        p = semi ? semi + 1 : NULL;
    }
    return bad ? -1 : 0;
}

/* ---- building paths ---- */

static void add_seg(svg *s, rg_vseg_op op, const matrix *m, const double *pts, int npts)
{
    rg_grow(&s->segs, &s->segs_cap, s->nsegs + 1, sizeof *s->segs);
    rg_vseg *g = &s->segs[s->nsegs++];
    memset(g, 0, sizeof *g);
    g->op = op;
    for (int i = 0; i < npts; i++) {
        double x = pts[2 * i], y = pts[2 * i + 1];
        g->pts[2 * i] = m->a * x + m->c * y + m->e;
        g->pts[2 * i + 1] = m->b * x + m->d * y + m->f;
    }
}

static void move_to(svg *s, const matrix *m, double x, double y)
{
    double p[2] = { x, y };
    add_seg(s, RG_VSEG_MOVE, m, p, 1);
}

static void line_to(svg *s, const matrix *m, double x, double y)
{
    double p[2] = { x, y };
    add_seg(s, RG_VSEG_LINE, m, p, 1);
}

static void curve_to(svg *s, const matrix *m, double x1, double y1, double x2, double y2,
                     double x, double y)
{
    double p[6] = { x1, y1, x2, y2, x, y };
    add_seg(s, RG_VSEG_CURVE, m, p, 3);
}

static void close_path(svg *s)
{
    rg_grow(&s->segs, &s->segs_cap, s->nsegs + 1, sizeof *s->segs);
    memset(&s->segs[s->nsegs], 0, sizeof s->segs[0]);
    s->segs[s->nsegs++].op = RG_VSEG_CLOSE;
}

/* The elliptical arc from (x0,y0) to (x,y) (SVG implementation notes,
 * F.6.5 and F.6.6: radii scaled up when too small) as cubic Béziers of at
 * most 90 degrees each. */
static void arc_to(svg *s, const matrix *m, double x0, double y0, double rx, double ry,
                   double angle, int large, int sweep, double x, double y)
{
    if (x0 == x && y0 == y) return;
    rx = fabs(rx);
    ry = fabs(ry);
    if (rx == 0 || ry == 0) {
        line_to(s, m, x, y);
        return;
    }
    double phi = angle * M_PI / 180, cp = cos(phi), sp = sin(phi);
    double dx = (x0 - x) / 2, dy = (y0 - y) / 2;
    double x1 = cp * dx + sp * dy, y1 = -sp * dx + cp * dy;
    double lambda = (x1 * x1) / (rx * rx) + (y1 * y1) / (ry * ry);
    if (lambda > 1) {
        double k = sqrt(lambda);
        rx *= k;
        ry *= k;
    }
    double num = rx * rx * ry * ry - rx * rx * y1 * y1 - ry * ry * x1 * x1;
    double den = rx * rx * y1 * y1 + ry * ry * x1 * x1;
    double coef = den > 0 && num > 0 ? sqrt(num / den) : 0;
    if (large == sweep) coef = -coef;
    double cx1 = coef * rx * y1 / ry, cy1 = -coef * ry * x1 / rx;
    double cx = cp * cx1 - sp * cy1 + (x0 + x) / 2, cy = sp * cx1 + cp * cy1 + (y0 + y) / 2;
    double ux = (x1 - cx1) / rx, uy = (y1 - cy1) / ry;
    double vx = (-x1 - cx1) / rx, vy = (-y1 - cy1) / ry;
    double t1 = atan2(uy, ux);
    double dt = atan2(ux * vy - uy * vx, ux * vx + uy * vy);
    if (!sweep && dt > 0) dt -= 2 * M_PI;
    else if (sweep && dt < 0) dt += 2 * M_PI;
    int nseg = (int)ceil(fabs(dt) / (M_PI / 2) - 1e-9);
    if (nseg < 1) nseg = 1;
    if (nseg > 4) nseg = 4;
    double step = dt / nseg, k = 4.0 / 3 * tan(step / 4);
    double t = t1;
    for (int i = 0; i < nseg; i++) {
        double c1 = cos(t), s1 = sin(t), c2 = cos(t + step), s2 = sin(t + step);
        /* on the unit circle, then scaled by the radii, turned and moved */
        double ex[3] = { c1 - k * s1, c2 + k * s2, c2 }, ey[3] = { s1 + k * c1, s2 - k * c2, s2 };
        double px[3], py[3];
        for (int j = 0; j < 3; j++) {
            px[j] = cx + rx * ex[j] * cp - ry * ey[j] * sp;
            py[j] = cy + rx * ex[j] * sp + ry * ey[j] * cp;
        }
        if (i == nseg - 1) {           /* end exactly where the arc ends */
            px[2] = x;
            py[2] = y;
        }
        curve_to(s, m, px[0], py[0], px[1], py[1], px[2], py[2]);
        t += step;
    }
}

/* Path data d of n. Returns 0, or -1 after an error naming where d went
 * wrong (nothing of the path is drawn then). */
static int parse_path_data(svg *s, xmlNodePtr n, const char *d, const matrix *m)
{
    const char *p = skip_wsp(d);
    double cx = 0, cy = 0, sx = 0, sy = 0;    /* current point, subpath start */
    double qx = 0, qy = 0, kx = 0, ky = 0;    /* last quadratic / cubic control point */
    char prev = 0, cmd = 0;
    int open = 0, closed = 0;                  /* a subpath started; Z was last */
    const char *why = "a number", *at = p;
    while (*p) {
        at = p;
        if (strchr("MmLlHhVvCcSsQqTtAaZz", *p)) {
            cmd = *p++;
            p = skip_wsp(p);
        } else if (!cmd) {
            why = "a command (M first)";
            goto bad;
        } else if (cmd == 'M') {
            cmd = 'L';                         /* more pairs after M are lines */
        } else if (cmd == 'm') {
            cmd = 'l';
        } else if (cmd == 'Z' || cmd == 'z') {
            why = "a command after Z";
            goto bad;
        }
        if (!open && cmd != 'M' && cmd != 'm') {
            why = "M to start the path";
            p = at;
            goto bad;
        }
        int rel = cmd >= 'a';
        char up = (char)(rel ? cmd - 32 : cmd);
        double v[7];
        int nv = up == 'M' || up == 'L' || up == 'T' ? 2 : up == 'H' || up == 'V' ? 1
                 : up == 'C' ? 6 : up == 'S' || up == 'Q' ? 4 : up == 'A' ? 7 : 0;
        for (int i = 0; i < nv; i++) {
            if (up == 'A' && (i == 3 || i == 4)) {         /* flags: one digit, 0 or 1 */
                if (*p != '0' && *p != '1') {
                    why = "an arc flag (0 or 1)";
                    goto bad;
                }
                v[i] = *p++ - '0';
            } else {
                const char *q = parse_number(p, &v[i]);
                if (!q) goto bad;
                if (fabs(v[i]) > MAX_COORD) {
                    why = "numbers within 1e9";
                    goto bad;
                }
                p = q;
            }
            p = skip_sep(p);
        }
        if (closed && up != 'M') {                 /* a drawing command after Z */
            move_to(s, m, cx, cy);
        }
        closed = 0;
        double ox = rel ? cx : 0, oy = rel ? cy : 0;
        switch (up) {
        case 'M':
            cx = sx = v[0] + ox;
            cy = sy = v[1] + oy;
            move_to(s, m, cx, cy);
            open = 1;
            break;
        case 'L':
            cx = v[0] + ox;
            cy = v[1] + oy;
            line_to(s, m, cx, cy);
            break;
        case 'H':
            cx = v[0] + ox;
            line_to(s, m, cx, cy);
            break;
        case 'V':
            cy = v[0] + oy;
            line_to(s, m, cx, cy);
            break;
        case 'C':
        case 'S': {
            double x1, y1;
            int o = 0;
            if (up == 'C') {
                x1 = v[0] + ox;
                y1 = v[1] + oy;
                o = 2;
            } else if (prev == 'C' || prev == 'S') {
                x1 = 2 * cx - kx;
                y1 = 2 * cy - ky;
            } else {
                x1 = cx;
                y1 = cy;
            }
            kx = v[o] + ox;
            ky = v[o + 1] + oy;
            double x = v[o + 2] + ox, y = v[o + 3] + oy;
            curve_to(s, m, x1, y1, kx, ky, x, y);
            cx = x;
            cy = y;
            break;
        }
        case 'Q':
        case 'T': {
            double x, y;
            if (up == 'Q') {
                qx = v[0] + ox;
                qy = v[1] + oy;
                x = v[2] + ox;
                y = v[3] + oy;
            } else {
                if (prev == 'Q' || prev == 'T') {
                    qx = 2 * cx - qx;
                    qy = 2 * cy - qy;
                } else {
                    qx = cx;
                    qy = cy;
                }
                x = v[0] + ox;
                y = v[1] + oy;
            }
            /* raised to a cubic: controls 2/3 of the way to the quadratic's */
            curve_to(s, m, cx + 2.0 / 3 * (qx - cx), cy + 2.0 / 3 * (qy - cy),
                     x + 2.0 / 3 * (qx - x), y + 2.0 / 3 * (qy - y), x, y);
            cx = x;
            cy = y;
            break;
        }
        case 'A': {
            double x = v[5] + ox, y = v[6] + oy;
            arc_to(s, m, cx, cy, v[0], v[1], v[2], (int)v[3], (int)v[4], x, y);
            cx = x;
            cy = y;
            break;
        }
        default:                                  /* Z */
            close_path(s);
            cx = sx;
            cy = sy;
            closed = 1;
            break;
        }
        if (fabs(cx) > MAX_COORD || fabs(cy) > MAX_COORD) {
            why = "coordinates within 1e9";
            goto bad;
        }
        prev = up;
        if (s->nsegs_total + s->nsegs > RG_MAX_SVG_SEGMENTS) return 0;   /* reported by the caller */
    }
    return 0;
bad:;
    if (!*p)
        err(s, n, "d=\"%.40s%s\" on <path>: expected %s at the end", d,
            strlen(d) > 40 ? "..." : "", why);
    else
        err(s, n, "d=\"%.40s%s\" on <path>: expected %s at character %zu ('%.12s')", d,
            strlen(d) > 40 ? "..." : "", why, (size_t)(p - d) + 1, p);
    return -1;
}

/* ---- shapes ---- */

/* An ellipse (or circle) as four quarter arcs, clockwise on the page. */
static void ellipse_path(svg *s, const matrix *m, double cx, double cy, double rx, double ry)
{
    double kx = rx * KAPPA, ky = ry * KAPPA;
    move_to(s, m, cx + rx, cy);
    curve_to(s, m, cx + rx, cy + ky, cx + kx, cy + ry, cx, cy + ry);
    curve_to(s, m, cx - kx, cy + ry, cx - rx, cy + ky, cx - rx, cy);
    curve_to(s, m, cx - rx, cy - ky, cx - kx, cy - ry, cx, cy - ry);
    curve_to(s, m, cx + kx, cy - ry, cx + rx, cy - ky, cx + rx, cy);
    close_path(s);
}

static void rect_path(svg *s, const matrix *m, double x, double y, double w, double h, double rx,
                      double ry)
{
    if (rx <= 0 || ry <= 0) {
        move_to(s, m, x, y);
        line_to(s, m, x + w, y);
        line_to(s, m, x + w, y + h);
        line_to(s, m, x, y + h);
        close_path(s);
        return;
    }
    double kx = rx * KAPPA, ky = ry * KAPPA;
    move_to(s, m, x + rx, y);
    line_to(s, m, x + w - rx, y);
    curve_to(s, m, x + w - rx + kx, y, x + w, y + ry - ky, x + w, y + ry);
    line_to(s, m, x + w, y + h - ry);
    curve_to(s, m, x + w, y + h - ry + ky, x + w - rx + kx, y + h, x + w - rx, y + h);
    line_to(s, m, x + rx, y + h);
    curve_to(s, m, x + rx - kx, y + h, x, y + h - ry + ky, x, y + h - ry);
    line_to(s, m, x, y + ry);
    curve_to(s, m, x, y + ry - ky, x + rx - kx, y, x + rx, y);
    close_path(s);
}

/* points="x,y x,y ..." of <polyline>/<polygon>. Returns 0, or -1. */
static int points_path(svg *s, xmlNodePtr n, const char *v, const matrix *m, int closed)
{
    const char *p = skip_wsp(v);
    int k = 0;
    while (*p) {
        double x, y;
        const char *q = parse_number(p, &x);
        if (q) q = parse_number(skip_sep(q), &y);
        if (!q || fabs(x) > MAX_COORD || fabs(y) > MAX_COORD) {
            err(s, n, "points=\"%.40s...\" on <%s>: expected pairs of numbers at character %zu",
                v, (const char *)n->name, (size_t)(p - v) + 1);
            return -1;
        }
        if (k++ == 0) move_to(s, m, x, y);
        else line_to(s, m, x, y);
        p = skip_sep(q);
        if (s->nsegs_total + s->nsegs > RG_MAX_SVG_SEGMENTS) return 0;
    }
    if (closed && k > 0) close_path(s);
    return 0;
}

/* Ends the path built in s->segs as painted with pt (when it draws
 * anything). Returns 0, or -1 when the segment limit is passed. */
static int finish_path(svg *s, xmlNodePtr n, const paint *pt, int fillable)
{
    size_t ns = s->nsegs;
    s->nsegs = 0;
    if (s->nsegs_total + ns > RG_MAX_SVG_SEGMENTS) {
        if (!s->over_limit)
            err(s, n, "more than %d path segments in the SVG (the limit for a logo)",
                RG_MAX_SVG_SEGMENTS);
        s->over_limit = 1;
        return -1;
    }
    int fill = fillable && pt->fill, stroke = pt->stroke && pt->width > 0;
    int draws = 0;
    for (size_t i = 0; i < ns; i++)
        if (s->segs[i].op == RG_VSEG_LINE || s->segs[i].op == RG_VSEG_CURVE) draws = 1;
    if (!draws || (!fill && !stroke)) return 0;
    for (size_t i = 0; i < ns; i++)
        for (int j = 0; j < 6; j++)
            if (!isfinite(s->segs[i].pts[j]) || fabs(s->segs[i].pts[j]) > MAX_COORD) {
                err(s, n, "<%s>: coordinates after the transforms beyond 1e9 user units",
                    (const char *)n->name);
                return -1;
            }
    s->nsegs_total += ns;
    rg_vseg *segs = rg_arena_alloc(s->a, ns * sizeof *segs);
    memcpy(segs, s->segs, ns * sizeof *segs);
    rg_grow(&s->paths, &s->paths_cap, s->npaths + 1, sizeof *s->paths);
    rg_vpath *vp = &s->paths[s->npaths++];
    memset(vp, 0, sizeof *vp);
    vp->segs = segs;
    vp->nsegs = ns;
    vp->fill = fill;
    vp->stroke = stroke;
    vp->evenodd = pt->evenodd;
    memcpy(vp->fill_rgb, pt->fill_rgb, sizeof vp->fill_rgb);
    memcpy(vp->stroke_rgb, pt->stroke_rgb, sizeof vp->stroke_rgb);
    /* the mean scale of the transform (the square root of its area
     * factor): a non-uniform scale strokes with one width, not an
     * elliptical pen */
    vp->line_width = stroke ? pt->width * sqrt(fabs(pt->m.a * pt->m.d - pt->m.b * pt->m.c)) : 0;
    return 0;
}

/* A shape element n with the paint pt in force. */
static void shape(svg *s, xmlNodePtr n, const paint *pt)
{
    const char *name = (const char *)n->name;
    const matrix *m = &pt->m;
    int fillable = 1;
    s->nsegs = 0;
    if (!strcmp(name, "path")) {
        char *d = rg_xml_attr(s->a, n, "d");
        if (!d) return;                        /* no d: nothing drawn, as in SVG */
        if (parse_path_data(s, n, d, m) < 0) return;
    } else if (!strcmp(name, "rect")) {
        double x, y, w, h, rx, ry;
        char *arx = rg_xml_attr(s->a, n, "rx"), *ary = rg_xml_attr(s->a, n, "ry");
        if (length_attr(s, n, "x", 0, &x) < 0 || length_attr(s, n, "y", 0, &y) < 0 ||
            length_attr(s, n, "width", 0, &w) < 0 || length_attr(s, n, "height", 0, &h) < 0 ||
            length_attr(s, n, "rx", 0, &rx) < 0 || length_attr(s, n, "ry", 0, &ry) < 0)
            return;
        if (w < 0 || h < 0 || rx < 0 || ry < 0) {
            err(s, n, "<rect> with a negative width, height, rx or ry");
            return;
        }
        if (arx && !ary) ry = rx;
        if (ary && !arx) rx = ry;
        if (rx > w / 2) rx = w / 2;
        if (ry > h / 2) ry = h / 2;
        if (w == 0 || h == 0) return;          /* not drawn, as in SVG */
        rect_path(s, m, x, y, w, h, rx, ry);
    } else if (!strcmp(name, "circle") || !strcmp(name, "ellipse")) {
        double cx, cy, rx, ry;
        int circle = name[0] == 'c';
        if (length_attr(s, n, "cx", 0, &cx) < 0 || length_attr(s, n, "cy", 0, &cy) < 0) return;
        if (circle) {
            if (length_attr(s, n, "r", 0, &rx) < 0) return;
            ry = rx;
        } else if (length_attr(s, n, "rx", 0, &rx) < 0 || length_attr(s, n, "ry", 0, &ry) < 0) {
            return;
        }
        if (rx < 0 || ry < 0) {
            err(s, n, "<%s> with a negative radius", name);
            return;
        }
        if (rx == 0 || ry == 0) return;
        ellipse_path(s, m, cx, cy, rx, ry);
    } else if (!strcmp(name, "line")) {
        double x1, y1, x2, y2;
        if (length_attr(s, n, "x1", 0, &x1) < 0 || length_attr(s, n, "y1", 0, &y1) < 0 ||
            length_attr(s, n, "x2", 0, &x2) < 0 || length_attr(s, n, "y2", 0, &y2) < 0)
            return;
        move_to(s, m, x1, y1);
        line_to(s, m, x2, y2);
        fillable = 0;                          /* a line has no inside */
    } else {                                   /* polyline, polygon */
        char *pts = rg_xml_attr(s->a, n, "points");
        if (!pts) return;
        if (points_path(s, n, pts, m, name[4] == 'g') < 0) return;
    }
    finish_path(s, n, pt, fillable);
}

/* ---- the tree ---- */

static int is_svg(xmlNodePtr n, const char *name)
{
    return rg_xml_is(n, NS_SVG, name);
}

/* Elements that never draw and are skipped with their content. */
static int is_ignored(xmlNodePtr n)
{
    return is_svg(n, "title") || is_svg(n, "desc") || is_svg(n, "metadata");
}

/* The children of container n (the root <svg> or a <g>), painted with pt. */
static void walk(svg *s, xmlNodePtr parent, const paint *inherited, int depth)
{
    for (xmlNodePtr n = parent->children; n; n = n->next) {
        if (s->over_limit || s->nerrors > RG_MAX_LOAD_DIAGS) return;
        if (n->type != XML_ELEMENT_NODE) continue;   /* text, comments, PIs */
        if (n->ns && strcmp((const char *)n->ns->href, NS_SVG) != 0) continue;  /* sodipodi:namedview */
        if (is_ignored(n)) continue;
        const char *name = (const char *)n->name;
        if (is_svg(n, "defs")) {
            /* editors write an empty <defs/>; what it holds is only drawn
             * through <use>, url(#...) and the like, all refused */
            for (xmlNodePtr c = n->children; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE && !(c->ns && strcmp((const char *)c->ns->href, NS_SVG)) &&
                    !is_ignored(c))
                    refuse_element(s, c);
            continue;
        }
        int group = is_svg(n, "g");
        int shp = is_svg(n, "path") || is_svg(n, "rect") || is_svg(n, "circle") ||
                  is_svg(n, "ellipse") || is_svg(n, "line") || is_svg(n, "polyline") ||
                  is_svg(n, "polygon");
        if (!group && !shp) {
            refuse_element(s, n);
            continue;
        }
        paint pt = *inherited;
        int hidden = 0;
        if (element_paint(s, n, &pt, &hidden) < 0 || hidden) continue;
        if (group) {
            if (depth + 1 > RG_MAX_SVG_DEPTH) {
                err(s, n, "<%s> nests too deeply (the limit is %d levels)", name,
                    RG_MAX_SVG_DEPTH);
                continue;
            }
            walk(s, n, &pt, depth + 1);
        } else {
            for (xmlNodePtr c = n->children; c; c = c->next)   /* <path><animate/></path> */
                if (c->type == XML_ELEMENT_NODE && !is_ignored(c) &&
                    !(c->ns && strcmp((const char *)c->ns->href, NS_SVG)))
                    refuse_element(s, c);
            shape(s, n, &pt);
        }
    }
}

/* The root's viewBox (or width and height) into v and the matrix that
 * puts the viewBox's origin at 0,0. Returns 0, or -1 after an error. */
static int root_box(svg *s, xmlNodePtr root, rg_vector *v, matrix *m)
{
    char *vb = rg_xml_attr(s->a, root, "viewBox");
    *m = IDENTITY;
    if (vb) {
        double b[4];
        const char *p = skip_wsp(vb);
        for (int i = 0; i < 4; i++) {
            p = p ? parse_number(p, &b[i]) : NULL;
            if (!p) break;
            p = skip_sep(p);
        }
        if (!p || *p || b[2] <= 0 || b[3] <= 0 || fabs(b[0]) > MAX_COORD ||
            fabs(b[1]) > MAX_COORD || b[2] > MAX_COORD || b[3] > MAX_COORD) {
            err(s, root, "viewBox=\"%.60s\": four numbers: min-x min-y width height, the "
                "width and height more than 0", vb);
            return -1;
        }
        v->width = b[2];
        v->height = b[3];
        m->e = -b[0];
        m->f = -b[1];
        return 0;
    }
    char *w = rg_xml_attr(s->a, root, "width"), *h = rg_xml_attr(s->a, root, "height");
    if (!w || !h) {
        err(s, root, "<svg> needs a viewBox (or a width and a height) to give its size");
        return -1;
    }
    if (parse_abs_length(w, &v->width) < 0 || parse_abs_length(h, &v->height) < 0 ||
        v->width <= 0 || v->height <= 0 || v->width > MAX_COORD || v->height > MAX_COORD) {
        err(s, root, "width=\"%.40s\" height=\"%.40s\" on <svg>: lengths more than 0 in px, pt, "
            "mm, cm or in (no %%; or give a viewBox)", w, h);
        return -1;
    }
    return 0;
}

rg_status rg_load_svg_mem(rg_ctx *ctx, rg_arena *a, const char *name, const char *data,
                          size_t len, const rg_vector **out)
{
    xmlDocPtr doc = NULL;
    svg s;
    int errors0 = ctx->errors;
    *out = NULL;
    if (len > RG_MAX_SVG_BYTES) {
        rg_diag(ctx, RG_SEV_ERROR, name, 0, 0,
                "cannot read: file too large for an SVG logo (%zu bytes; the limit is %d)", len,
                RG_MAX_SVG_BYTES);
        return RG_EX_DATAERR;
    }
    rg_status st = rg_xml_parse_mem(ctx, name, data, len, RG_MAX_SVG_DEPTH, &doc);
    if (st != RG_OK) return st == RG_EX_NOINPUT ? st : RG_EX_DATAERR;

    memset(&s, 0, sizeof s);
    s.ctx = ctx;
    s.a = a;
    s.file = name;
    s.data = data;
    s.len = len;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    rg_vector *v = rg_arena_alloc(a, sizeof *v);
    if (!is_svg(root, "svg")) {
        err(&s, root, "not an SVG image: the root element is <%s>, not <svg> in the SVG "
            "namespace (xmlns=\"" NS_SVG "\")", (const char *)root->name);
        goto done;
    }
    /* the element limit before anything is built */
    size_t nel = 0;
    for (xmlNodePtr e = root, next; e; e = next) {
        if (e->type == XML_ELEMENT_NODE && ++nel > RG_MAX_SVG_ELEMENTS) {
            err(&s, e, "more than %d elements in the SVG (the limit for a logo)",
                RG_MAX_SVG_ELEMENTS);
            goto done;
        }
        if (e->type == XML_ELEMENT_NODE && e->children) {
            next = e->children;
            continue;
        }
        while (e != root && !e->next) e = e->parent;
        next = e == root ? NULL : e->next;
    }
    paint pt;
    memset(&pt, 0, sizeof pt);
    pt.fill = 1;                               /* SVG's initial values: black fill, */
    pt.width = 1;                              /* no stroke, width 1, nonzero */
    if (root_box(&s, root, v, &pt.m) < 0) goto done;
    int hidden = 0;
    if (element_paint(&s, root, &pt, &hidden) < 0) goto done;
    if (!hidden) walk(&s, root, &pt, 1);
    if (ctx->errors == errors0 && s.npaths == 0)
        err(&s, root, "the SVG draws nothing (no path or shape with a fill or a stroke)");
    if (ctx->errors == errors0) {
        rg_vpath *paths = rg_arena_alloc(a, s.npaths * sizeof *paths);
        memcpy(paths, s.paths, s.npaths * sizeof *paths);
        v->paths = paths;
        v->npaths = s.npaths;
        *out = v;
    }
done:
    free(s.segs);
    free(s.paths);
    xmlFreeDoc(doc);
    return *out ? RG_OK : RG_EX_DATAERR;
}

rg_status rg_load_svg(rg_ctx *ctx, rg_arena *a, const char *path, const rg_vector **out)
{
    char *data = NULL, why[200];
    size_t len = 0;
    rg_file_id id;
    *out = NULL;
    rg_ctx_note_path(ctx, path);
    rg_status st = rg_read_regular(path, RG_MAX_SVG_BYTES, &data, &len, &id, why, sizeof why);
    if (st != RG_OK) {
        rg_diag(ctx, RG_SEV_ERROR, path, 0, 0, "cannot read: %s", why);
        return st;
    }
    rg_ctx_note_file(ctx, id);
    st = rg_load_svg_mem(ctx, a, path, data, len, out);
    free(data);
    return st;
}
