/* load/style.c - layout files (house styles): from a validated XML tree to
 * rg_style. Stage: load. Owns rg_load_layout: lengths with units (pt, mm,
 * cm, in) converted to points, #RRGGBB colours, role inheritance from the
 * body role, template field checks, table and chart settings (caption
 * prefixes, cell padding, fills, marks, the chart palette) and typography
 * (hyphenation, word spacing, orphans and widows) with defaults when absent,
 * and range checks that reject absurd values (no text area, sizes <= 0 or
 * > 1000pt, typography outside its ranges, a chart colour under 3:1 on
 * the white page) with file:line. Reading and
 * validating the XML is load/xml.c's job; layouts take no XInclude. */
#include "internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MM (72.0 / 25.4)

/* Named limits with their reason. */
#define MAX_PAGE 14400.0          /* PDF's largest page side (200 in) */
#define MIN_TEXT_AREA 72.0        /* margins must leave at least 1 in of text width/height */
#define MAX_TYPE 1000.0           /* font size, leading, spacing: beyond this is a typo */
#define MAX_RULE 10.0             /* table rules: thicker is a block, not a rule */

/* Typography ranges (<typography>). Hyphenating words shorter than 2
 * characters is meaningless, longer than 30 never happens; a hyphen needs at
 * least one character on each side and more than 10 would forbid nearly
 * every break; a run of at least 1 hyphenated line must be allowed, more
 * than 10 is no limit; a widest word space below the natural one (1.0) could
 * never be met, and 10x is a hole; orphans/widows of 0 make no sense, more
 * than 10 would move whole paragraphs. */
#define MIN_HYPHEN_WORD 2
#define MAX_HYPHEN_WORD 30
#define MAX_HYPHEN_SIDE 10
#define MAX_HYPHEN_RUN 10
#define MIN_WORD_SPACE 1.0
#define MAX_WORD_SPACE 10.0
#define MAX_ORPHANS 10

static const char *const role_names[RG_ROLE_COUNT] = {
    "body", "h1", "h2", "h3", "caption", "header", "footer", "cover-title",
    "cover-subtitle", "cover-meta", "toc-title", "toc-1", "toc-2", "quote", "signature",
    "table", "table-header", "chart", "footnote"
};

typedef struct lbuilder {
    rg_ctx *ctx;
    const char *file;
    rg_style *s;
    rg_arena *a;
    int bad;                      /* sticky: an error was reported */
} lbuilder;

static void lerr(lbuilder *b, xmlNodePtr n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void lerr(lbuilder *b, xmlNodePtr n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rg_xml_verror(b->ctx, b->file, n, fmt, ap);
    va_end(ap);
    b->bad = 1;
}

/* "12.5mm" -> points. Locale-independent (no strtod). */
int rg_parse_length(const char *s, double *out)
{
    double v = 0, scale = 1;
    int digits = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++, digits++) v = v * 10 + (*p - '0');
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
            scale /= 10;
            v += (*p - '0') * scale;
        }
    }
    if (!digits || digits > 12) return -1;
    if (strcmp(p, "pt") == 0) *out = v;
    else if (strcmp(p, "mm") == 0) *out = v * MM;
    else if (strcmp(p, "cm") == 0) *out = v * 10 * MM;
    else if (strcmp(p, "in") == 0) *out = v * 72;
    else if (*p == 0 && v == 0) *out = 0;
    else return -1;
    return isfinite(*out) ? 0 : -1;
}

/* Reads length attribute attr of n into *dst when present; it must lie in
 * [min, max], and be > 0 when positive is set. */
static void get_len(lbuilder *b, xmlNodePtr n, const char *attr, double *dst,
                    double min, double max, int positive)
{
    char *v = rg_xml_attr(b->a, n, attr);
    double d;
    if (!v) return;
    if (rg_parse_length(v, &d) < 0) {
        lerr(b, n, "%s=\"%s\": not a length (a number with pt, mm, cm or in)", attr, v);
        return;
    }
    if ((positive && d <= 0) || d < min || d > max) {
        lerr(b, n, "%s=\"%s\": must be %s%.1fpt and at most %.1fpt", attr, v,
             positive ? "more than " : "at least ", min, max);
        return;
    }
    *dst = d;
}

/* Reads whole-number attribute attr of n into *dst when present; it must
 * lie in [min, max]. */
static void get_int(lbuilder *b, xmlNodePtr n, const char *attr, int *dst, int min, int max)
{
    char *v = rg_xml_attr(b->a, n, attr);
    long d = 0;
    const char *p;
    if (!v) return;
    for (p = v; *p >= '0' && *p <= '9' && d <= max; p++) d = d * 10 + (*p - '0');
    if (p == v || (*p && !(*p >= '0' && *p <= '9'))) {
        lerr(b, n, "%s=\"%s\": not a whole number", attr, v);
        return;
    }
    if (*p || d < min || d > max) {          /* *p: digits left over, too big */
        lerr(b, n, "%s=\"%s\": must be %d to %d", attr, v, min, max);
        return;
    }
    *dst = (int)d;
}

/* Reads decimal attribute attr of n ("2", "2.0", "1.75"; no unit) into *dst
 * when present; it must be finite and lie in [min, max]. Locale-independent
 * (no strtod). */
static void get_factor(lbuilder *b, xmlNodePtr n, const char *attr, double *dst,
                       double min, double max)
{
    char *v = rg_xml_attr(b->a, n, attr);
    double d = 0, scale = 1;
    int digits = 0;
    const char *p;
    if (!v) return;
    for (p = v; *p >= '0' && *p <= '9'; p++, digits++) d = d * 10 + (*p - '0');
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
            scale /= 10;
            d += (*p - '0') * scale;
        }
    if (!digits || digits > 12 || *p) {
        lerr(b, n, "%s=\"%s\": not a number (such as 2.0)", attr, v);
        return;
    }
    if (!isfinite(d) || d < min || d > max) {
        lerr(b, n, "%s=\"%s\": must be %.1f to %.1f", attr, v, min, max);
        return;
    }
    *dst = d;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* "#RRGGBB" -> colour. Returns 0, or -1 when v is not such a colour. */
static int parse_color(const char *v, rg_color *dst)
{
    int h[6];
    if (strlen(v) != 7 || v[0] != '#') return -1;
    for (int i = 0; i < 6; i++)
        if ((h[i] = hexval((unsigned char)v[i + 1])) < 0) return -1;
    dst->r = (h[0] * 16 + h[1]) / 255.0;
    dst->g = (h[2] * 16 + h[3]) / 255.0;
    dst->b = (h[4] * 16 + h[5]) / 255.0;
    return 0;
}

static void get_color(lbuilder *b, xmlNodePtr n, const char *attr, rg_color *dst)
{
    char *v = rg_xml_attr(b->a, n, attr);
    if (v && parse_color(v, dst) < 0) lerr(b, n, "%s=\"%s\": not a colour (#RRGGBB)", attr, v);
}

static const char *const template_fields[] = { "title", "subtitle", "organisation", "period",
                                              "section", "page", "pages" };
enum {
    FIELDS_ALL = 7,                /* header and footer text */
    FIELDS_COVER = 4               /* the wordmark: no {section}, {page}, {pages} on a cover */
};

/* The known field v starts with ("{title}"...), or -1. */
static int field_at(const char *v)
{
    for (int i = 0; i < FIELDS_ALL; i++) {
        size_t len = strlen(template_fields[i]);
        if (v[0] == '{' && !strncmp(v + 1, template_fields[i], len) && v[len + 1] == '}') return i;
    }
    return -1;
}

/* A non-empty text attribute (prefixes, marks) into *dst when present.
 * Fields are replaced only in templates: a field here would be printed
 * as it stands, so it is refused. */
static void get_text(lbuilder *b, xmlNodePtr n, const char *attr, const char **dst)
{
    char *v = rg_xml_attr(b->a, n, attr);
    if (!v) return;
    for (const char *p = v; *p; p++)
        if (field_at(p) >= 0) {
            lerr(b, n, "%s=\"%s\": fields such as {title} are replaced only in the header, "
                 "footer and wordmark text", attr, v);
            return;
        }
    if (v[0]) *dst = v;
    else lerr(b, n, "%s must not be empty", attr);
}

/* numbering="1. a. i.": per level a kind (1 a A i I) and a suffix (. ) or
 * none), separated by spaces; at most RG_NUMBERING_MAX levels. */
static void get_numbering(lbuilder *b, xmlNodePtr n, rg_style *s)
{
    char *v = rg_xml_attr(b->a, n, "numbering");
    if (!v) return;
    struct rg_numbering levels[RG_NUMBERING_MAX];
    int k = 0;
    for (const char *p = v; *p;) {
        if (*p == ' ') {
            p++;
            continue;
        }
        if (k == RG_NUMBERING_MAX || !strchr("1aAiI", *p) ||
            (p[1] && p[1] != ' ' && ((p[1] != '.' && p[1] != ')') || (p[2] && p[2] != ' ')))) {
            lerr(b, n, "numbering=\"%s\": give 1 to %d levels, each 1, a, A, i or I with . or ) "
                 "after it or nothing, separated by spaces (e.g. \"1. a. i.\")", v,
                 RG_NUMBERING_MAX);
            return;
        }
        char suffix = p[1] == '.' || p[1] == ')' ? p[1] : 0;
        levels[k++] = (struct rg_numbering){ *p, suffix };
        p += suffix ? 2 : 1;
    }
    if (!k) {
        lerr(b, n, "numbering must not be empty");
        return;
    }
    memcpy(s->numbering, levels, sizeof levels[0] * (size_t)k);
    s->nnumbering = k;
}

static void get_bool(lbuilder *b, xmlNodePtr n, const char *attr, int *dst)
{
    char *v = rg_xml_attr(b->a, n, attr);
    if (!v) return;
    if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0) *dst = 1;
    else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0) *dst = 0;
    else lerr(b, n, "%s=\"%s\": not a boolean (true or false)", attr, v);
}

/* A template: only the first nfields of template_fields, braces balanced. */
static void get_template(lbuilder *b, xmlNodePtr n, const char *attr, int nfields,
                         const char **dst)
{
    char *v = rg_xml_attr(b->a, n, attr);
    if (!v) return;
    for (const char *p = v; *p; p++) {
        if (*p == '}') goto bad;
        if (*p != '{') continue;
        int i = field_at(p);
        if (i < 0 || i >= nfields) goto bad;
        p = strchr(p, '}');
    }
    *dst = v;
    return;
bad:;
    char known[128] = "";
    for (int i = 0; i < nfields; i++)
        snprintf(known + strlen(known), sizeof known - strlen(known), "%s{%s}", i ? " " : "",
                 template_fields[i]);
    lerr(b, n, "%s=\"%s\": fields are %s", attr, v, known);
}

static void parse_page(lbuilder *b, xmlNodePtr n)
{
    rg_style *s = b->s;
    char *size = rg_xml_attr(b->a, n, "size");
    char *orient = rg_xml_attr(b->a, n, "orientation");
    int has_w = xmlHasProp(n, (const xmlChar *)"width") != NULL;
    int has_h = xmlHasProp(n, (const xmlChar *)"height") != NULL;

    if (size && (has_w || has_h))
        lerr(b, n, "give either size= or width= and height=, not both");
    else if (has_w != has_h)
        lerr(b, n, "width= and height= go together");
    if (size) {
        if (strcmp(size, "A3") == 0) s->page_w = 297 * MM, s->page_h = 420 * MM;
        else if (strcmp(size, "A4") == 0) s->page_w = 210 * MM, s->page_h = 297 * MM;
        else if (strcmp(size, "A5") == 0) s->page_w = 148 * MM, s->page_h = 210 * MM;
        else if (strcmp(size, "letter") == 0) s->page_w = 612, s->page_h = 792;
        else if (strcmp(size, "legal") == 0) s->page_w = 612, s->page_h = 1008;
        else lerr(b, n, "size=\"%s\": known sizes are A3 A4 A5 letter legal", size);
    }
    get_len(b, n, "width", &s->page_w, 0, MAX_PAGE, 1);
    get_len(b, n, "height", &s->page_h, 0, MAX_PAGE, 1);
    if (orient && strcmp(orient, "landscape") == 0) {
        double t = s->page_w;
        s->page_w = s->page_h;
        s->page_h = t;
    }
    get_len(b, n, "margin-top", &s->margin_top, 0, MAX_PAGE, 0);
    get_len(b, n, "margin-bottom", &s->margin_bottom, 0, MAX_PAGE, 0);
    get_len(b, n, "margin-left", &s->margin_left, 0, MAX_PAGE, 0);
    get_len(b, n, "margin-right", &s->margin_right, 0, MAX_PAGE, 0);
    get_len(b, n, "header-offset", &s->header_offset, 0, MAX_PAGE, 1);
    get_len(b, n, "footer-offset", &s->footer_offset, 0, MAX_PAGE, 1);

    if (s->page_w - s->margin_left - s->margin_right < MIN_TEXT_AREA)
        lerr(b, n, "the margins leave %.1fpt of text width on a %.1fpt wide page "
             "(at least %.0fpt needed)", s->page_w - s->margin_left - s->margin_right,
             s->page_w, MIN_TEXT_AREA);
    if (s->page_h - s->margin_top - s->margin_bottom < MIN_TEXT_AREA)
        lerr(b, n, "the margins leave %.1fpt of text height on a %.1fpt high page "
             "(at least %.0fpt needed)", s->page_h - s->margin_top - s->margin_bottom,
             s->page_h, MIN_TEXT_AREA);
    if (s->header_offset >= s->page_h / 2 || s->footer_offset >= s->page_h / 2)
        lerr(b, n, "header-offset and footer-offset must be less than half the page height");
}

/* Parses one <role> into r. */
static void parse_role(lbuilder *b, xmlNodePtr n, rg_role *r)
{
    char *family = rg_xml_attr(b->a, n, "family");
    char *align = rg_xml_attr(b->a, n, "align");
    double size = r->size, leading = r->leading;
    if (family) r->family = family;
    get_len(b, n, "size", &size, 0, MAX_TYPE, 1);
    get_len(b, n, "leading", &leading, 0, MAX_TYPE, 1);
    if (!xmlHasProp(n, (const xmlChar *)"leading") && size != r->size && r->size > 0)
        leading = r->leading * size / r->size;   /* keep the body's proportion */
    r->size = size;
    r->leading = leading;
    get_bool(b, n, "bold", &r->bold);
    get_bool(b, n, "italic", &r->italic);
    get_color(b, n, "color", &r->color);
    if (align) {
        if (strcmp(align, "left") == 0) r->align = RG_ALIGN_LEFT;
        else if (strcmp(align, "justify") == 0) r->align = RG_ALIGN_JUSTIFY;
        else if (strcmp(align, "center") == 0) r->align = RG_ALIGN_CENTER;
        else if (strcmp(align, "right") == 0) r->align = RG_ALIGN_RIGHT;
        else lerr(b, n, "align=\"%s\": use left, justify, center or right", align);
    }
    get_len(b, n, "space-before", &r->space_before, 0, MAX_TYPE, 0);
    get_len(b, n, "space-after", &r->space_after, 0, MAX_TYPE, 0);
}

/* ---- notes (issue 16) ---- */

/* The footnote role without a <role name="footnote">: 8pt on 10pt. */
static void footnote_role_defaults(rg_role *r)
{
    r->size = 8;
    r->leading = 10;
}

/* <notes placement="foot|chapter|document" numbering="document|chapter"/> */
static void parse_notes(lbuilder *b, xmlNodePtr n)
{
    rg_style *s = b->s;
    char *placement = rg_xml_attr(b->a, n, "placement");
    char *numbering = rg_xml_attr(b->a, n, "numbering");
    if (placement && strcmp(placement, "chapter") == 0) s->notes_placement = RG_NOTES_CHAPTER;
    else if (placement && strcmp(placement, "document") == 0)
        s->notes_placement = RG_NOTES_DOCUMENT;
    else s->notes_placement = RG_NOTES_FOOT;
    s->notes_per_chapter = numbering && strcmp(numbering, "chapter") == 0;
}

static void parse_roles(lbuilder *b, xmlNodePtr roles)
{
    rg_style *s = b->s;
    xmlNodePtr seen[RG_ROLE_COUNT] = { 0 };

    for (xmlNodePtr c = roles->children; c; c = c->next) {
        if (!rg_xml_is(c, RG_NS_LAYOUT, "role")) continue;
        char *name = rg_xml_attr(b->a, c, "name");
        int i = 0;
        while (i < RG_ROLE_COUNT && (!name || strcmp(name, role_names[i]) != 0)) i++;
        if (i == RG_ROLE_COUNT) {
            lerr(b, c, "unknown role '%s'", name ? name : "");
        } else if (seen[i]) {
            lerr(b, c, "role '%s' is given twice (first on line %d)", name, rg_xml_line(seen[i]));
        } else {
            seen[i] = c;
        }
    }
    /* the body first: every other role starts from it */
    if (!seen[RG_ROLE_BODY]) lerr(b, roles, "the role 'body' is required");
    else parse_role(b, seen[RG_ROLE_BODY], &s->roles[RG_ROLE_BODY]);
    const rg_role *body = &s->roles[RG_ROLE_BODY];
    for (int i = 1; i < RG_ROLE_COUNT; i++) {
        rg_role *r = &s->roles[i];
        r->family = body->family;
        r->size = body->size;
        r->leading = body->leading;
        r->color = body->color;
        r->align = RG_ALIGN_LEFT;
        if (i == RG_ROLE_FOOTNOTE) footnote_role_defaults(r);
        if (seen[i]) parse_role(b, seen[i], r);
    }
}

/* <captions table-prefix figure-prefix/> */
static void parse_captions(lbuilder *b, xmlNodePtr n)
{
    get_text(b, n, "table-prefix", &b->s->table_prefix);
    get_text(b, n, "figure-prefix", &b->s->figure_prefix);
    get_text(b, n, "appendix-prefix", &b->s->appendix_prefix);   /* issue 16, xref */
    get_text(b, n, "appendices-title", &b->s->appendices_title);
    get_text(b, n, "chapter-prefix", &b->s->chapter_prefix);
    get_text(b, n, "section-prefix", &b->s->section_prefix);
    get_text(b, n, "note-prefix", &b->s->note_prefix);
    int numbered = !b->s->captions_unnumbered;                               /* issue 17 */
    get_bool(b, n, "numbered", &numbered);
    b->s->captions_unnumbered = !numbered;
}

/* <typography hyphenate hyphen-min-word hyphen-left hyphen-right
 *             hyphen-max-run max-word-space orphans widows/> */
static void parse_typography(lbuilder *b, xmlNodePtr n)
{
    rg_style *s = b->s;
    get_bool(b, n, "hyphenate", &s->hyphenate);
    get_int(b, n, "hyphen-min-word", &s->hyphen_min_word, MIN_HYPHEN_WORD, MAX_HYPHEN_WORD);
    get_int(b, n, "hyphen-left", &s->hyphen_left, 1, MAX_HYPHEN_SIDE);
    get_int(b, n, "hyphen-right", &s->hyphen_right, 1, MAX_HYPHEN_SIDE);
    get_int(b, n, "hyphen-max-run", &s->hyphen_max_run, 1, MAX_HYPHEN_RUN);
    get_factor(b, n, "max-word-space", &s->max_word_space, MIN_WORD_SPACE, MAX_WORD_SPACE);
    get_int(b, n, "orphans", &s->orphans, 1, MAX_ORPHANS);
    get_int(b, n, "widows", &s->widows, 1, MAX_ORPHANS);
}

/* <table cell-pad-x cell-pad-y header-fill zebra zebra-fill rule
 *        rule-width total-fill mark-color mark-sign mark-alt mark-bold negative
 *        min-size/> */
static void parse_table(lbuilder *b, xmlNodePtr n)
{
    rg_style *s = b->s;
    char *neg = rg_xml_attr(b->a, n, "negative");
    get_len(b, n, "cell-pad-x", &s->cell_pad_x, 0, MAX_TYPE, 0);
    get_len(b, n, "cell-pad-y", &s->cell_pad_y, 0, MAX_TYPE, 0);
    get_color(b, n, "header-fill", &s->table_header_fill);
    get_bool(b, n, "zebra", &s->table_zebra);
    get_color(b, n, "zebra-fill", &s->table_zebra_fill);
    get_color(b, n, "rule", &s->table_rule);
    get_len(b, n, "rule-width", &s->table_rule_width, 0, MAX_RULE, 0);
    get_color(b, n, "total-fill", &s->table_total_fill);
    get_color(b, n, "mark-color", &s->mark_color);
    get_text(b, n, "mark-sign", &s->mark_sign);
    get_text(b, n, "mark-alt", &s->mark_alt);
    get_bool(b, n, "mark-bold", &s->mark_bold);
    get_len(b, n, "min-size", &s->table_min_size, 0, MAX_TYPE, 1);
    get_bool(b, n, "continued-caption", &s->table_continued_caption);   /* issue 17 */
    if (neg) {
        if (strcmp(neg, "minus") == 0) s->negative_parentheses = 0;
        else if (strcmp(neg, "parentheses") == 0) s->negative_parentheses = 1;
        else lerr(b, n, "negative=\"%s\": use minus or parentheses", neg);
    }
}

/* <chart height axis grid reference> <color>#RRGGBB</color>{1,12} </chart>:
 * the palette replaces the default one when given. A series colour must
 * stand out from the white page by RG_MIN_CHART_CONTRAST (WCAG 1.4.11,
 * non-text contrast): the chart separates adjacent fills by white rules, so
 * each fill needs that contrast against white only. */
static void parse_chart(lbuilder *b, xmlNodePtr n)
{
    static const rg_color white = { 1, 1, 1 };
    rg_style *s = b->s;
    int npal = 0;
    get_len(b, n, "height", &s->chart_height, 0, MAX_PAGE, 1);
    get_color(b, n, "axis", &s->chart_axis);
    get_color(b, n, "grid", &s->chart_grid);
    get_color(b, n, "reference", &s->chart_reference);
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (!rg_xml_is(c, RG_NS_LAYOUT, "color")) continue;
        char *v = rg_xml_text(b->a, c);
        double k;
        if (npal == RG_MAX_PALETTE)
            lerr(b, c, "at most %d palette colours", npal);
        else if (parse_color(v, &s->palette[npal]) < 0)
            lerr(b, c, "palette colour \"%s\": not a colour (#RRGGBB)", v);
        else if ((k = rg_color_contrast(s->palette[npal], white)) < RG_MIN_CHART_CONTRAST)
            lerr(b, c, "palette colour \"%s\": %.2f:1 against the white page, less than "
                 "%.0f:1 (WCAG 1.4.11): series would be hard to see; choose a darker colour",
                 v, k, RG_MIN_CHART_CONTRAST);
        else
            npal++;
    }
    if (npal) s->npalette = npal;
}

static rg_color rgb(unsigned hex)
{
    return (rg_color){ ((hex >> 16) & 255) / 255.0, ((hex >> 8) & 255) / 255.0,
                       (hex & 255) / 255.0 };
}

/* Tables and charts when the layout says nothing: grey rules, a light
 * zebra, marks that do not rely on colour alone, the style stage's
 * twelve-colour palette (each colour 3:1 or more on white). */
static void figure_defaults(rg_style *s)
{
    s->table_prefix = "Tabel";
    s->figure_prefix = "Figuur";
    s->appendix_prefix = "Bijlage";            /* issue 16, xref */
    s->appendices_title = "Bijlagen";
    s->chapter_prefix = "hoofdstuk";
    s->section_prefix = "paragraaf";
    s->note_prefix = "noot";
    s->cell_pad_x = 4;
    s->cell_pad_y = 3;
    s->table_header_fill = rgb(0xE6E6E6);
    s->table_zebra = 1;
    s->table_zebra_fill = rgb(0xF2F2F2);
    s->table_rule = rgb(0x999999);
    s->table_rule_width = 0.5;
    s->table_total_fill = rgb(0xE6E6E6);
    s->mark_color = rgb(0xB00000);
    s->mark_sign = " \xE2\x96\xBC";   /* U+25BC black down-pointing triangle */
    s->mark_alt = "onder de norm";
    s->mark_bold = 1;
    s->negative_parentheses = 0;
    s->table_min_size = 7;
    for (int i = 0; i < RG_MAX_PALETTE; i++) s->palette[i] = rg_default_palette[i];
    s->npalette = RG_MAX_PALETTE;
    s->chart_axis = rgb(0x333333);
    s->chart_grid = rgb(0xD9D9D9);
    s->chart_reference = rgb(0xB00000);
    s->chart_height = 200;
}

static void defaults(rg_style *s)
{
    static const rg_color black = { 0, 0, 0 }, grey = { 0.6, 0.6, 0.6 };
    s->page_w = 210 * MM;
    s->page_h = 297 * MM;
    s->margin_top = s->margin_bottom = s->margin_left = s->margin_right = 25 * MM;
    s->header_offset = s->footer_offset = 12 * MM;
    s->roles[RG_ROLE_BODY] = (rg_role){ "DejaVu Sans", 10, 14, 0, 0, black, RG_ALIGN_LEFT, 0, 0 };
    s->ribbon = s->accent = s->link = black;
    s->rule = grey;
    s->paragraph_gap = 6;
    s->list_indent = 14;
    s->list_gap = 3;
    s->bullet = "\xE2\x80\xA2";    /* U+2022 bullet */
    s->bullet2 = "\xE2\x80\x93";   /* U+2013 en dash */
    s->nnumbering = 3;             /* 1. a. i. */
    s->numbering[0] = (struct rg_numbering){ '1', '.' };
    s->numbering[1] = (struct rg_numbering){ 'a', '.' };
    s->numbering[2] = (struct rg_numbering){ 'i', '.' };
    s->quote_indent = 18;
    s->toc_indent = 14;
    /* h1/h2/h3_new_page stay 0 (the arena zeroes) */
    s->hyphenate = 1;
    s->hyphen_min_word = 6;
    s->hyphen_left = 2;
    s->hyphen_right = 3;
    s->hyphen_max_run = 2;
    s->max_word_space = 2.0;
    s->orphans = 2;
    s->widows = 2;
    figure_defaults(s);
}

static void build_style(lbuilder *b, xmlNodePtr root)
{
    rg_style *s = b->s;
    defaults(s);
    s->name = rg_xml_attr(b->a, root, "name");
    if (!s->name) s->name = "layout";
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        if (rg_xml_is(c, RG_NS_LAYOUT, "page")) {
            parse_page(b, c);
        } else if (rg_xml_is(c, RG_NS_LAYOUT, "colors")) {
            get_color(b, c, "ribbon", &s->ribbon);
            get_color(b, c, "accent", &s->accent);
            get_color(b, c, "rule", &s->rule);
            get_color(b, c, "link", &s->link);
        } else if (rg_xml_is(c, RG_NS_LAYOUT, "fonts")) {
            for (xmlNodePtr f = c->children; f; f = f->next) {
                if (!rg_xml_is(f, RG_NS_LAYOUT, "fallback")) continue;
                if (s->nfallback >= RG_MAX_FALLBACK) {
                    lerr(b, f, "at most %d fallback families", RG_MAX_FALLBACK);
                    break;
                }
                s->fallback[s->nfallback++] = rg_xml_attr(b->a, f, "family");
            }
        } else if (rg_xml_is(c, RG_NS_LAYOUT, "roles")) {
            parse_roles(b, c);
        } else if (rg_xml_is(c, RG_NS_LAYOUT, "cover")) {
            get_len(b, c, "ribbon-width", &s->cover_ribbon_width, 0, s->page_w, 0);
            get_len(b, c, "band-height", &s->cover_band_height, 0, s->page_h, 0);
            get_template(b, c, "wordmark", FIELDS_COVER, &s->cover_wordmark);
            int date = !s->cover_no_date;                                   /* issue 17 */
            get_bool(b, c, "date", &date);
            s->cover_no_date = !date;
            s->cover_logo = rg_xml_attr(b->a, c, "logo");
            s->cover_line = rg_xml_line(c);
        } else if (rg_xml_is(c, RG_NS_LAYOUT, "header")) {
            get_template(b, c, "left", FIELDS_ALL, &s->header_left);
            get_template(b, c, "right", FIELDS_ALL, &s->header_right);
            get_template(b, c, "center", FIELDS_ALL, &s->header_center);   /* issue 17 */
            s->header_logo = rg_xml_attr(b->a, c, "logo");
            s->header_line = rg_xml_line(c);
            get_bool(b, c, "rule", &s->header_rule);
        } else if (rg_xml_is(c, RG_NS_LAYOUT, "footer")) {
            get_template(b, c, "left", FIELDS_ALL, &s->footer_left);
            get_template(b, c, "right", FIELDS_ALL, &s->footer_right);
            get_template(b, c, "center", FIELDS_ALL, &s->footer_center);   /* issue 17 */
            if (xmlHasProp(c, (const xmlChar *)"logo"))
                lerr(b, c, "logo= is for the <header> and the <cover>, not the footer");
            s->footer_line = rg_xml_line(c);
            get_bool(b, c, "rule", &s->footer_rule);
        } else if (rg_xml_is(c, RG_NS_LAYOUT, "blocks")) {
            get_len(b, c, "paragraph-gap", &s->paragraph_gap, 0, MAX_TYPE, 0);
            get_len(b, c, "list-indent", &s->list_indent, 0, MAX_TYPE, 0);
            get_len(b, c, "list-gap", &s->list_gap, 0, MAX_TYPE, 0);
            get_len(b, c, "quote-indent", &s->quote_indent, 0, MAX_TYPE, 0);
            get_len(b, c, "toc-indent", &s->toc_indent, 0, MAX_TYPE, 0);
            get_bool(b, c, "h1-new-page", &s->h1_new_page);
            get_bool(b, c, "h2-new-page", &s->h2_new_page);
            get_bool(b, c, "h3-new-page", &s->h3_new_page);
            get_bool(b, c, "number-sections", &s->number_sections);
            get_bool(b, c, "toc-tables-figures", &s->toc_tables_figures);
            get_text(b, c, "bullet", &s->bullet);
            get_text(b, c, "bullet2", &s->bullet2);
            get_numbering(b, c, s);
        } else if (rg_xml_is(c, RG_NS_LAYOUT, "captions")) {
            parse_captions(b, c);
        } else if (rg_xml_is(c, RG_NS_LAYOUT, "typography")) {
            parse_typography(b, c);
        } else if (rg_xml_is(c, RG_NS_LAYOUT, "table")) {
            parse_table(b, c);
        } else if (rg_xml_is(c, RG_NS_LAYOUT, "chart")) {
            parse_chart(b, c);
        } else if (rg_xml_is(c, RG_NS_LAYOUT, "notes")) {
            parse_notes(b, c);
        } else {
            lerr(b, c, "unexpected element <%s>", (const char *)c->name);
        }
    }
}

rg_status rg_load_layout(rg_ctx *ctx, const char *path, const char *schema_path,
                         rg_style **out)
{
    rg_status st;
    xmlDocPtr x = NULL;
    rg_style *s = NULL;
    lbuilder b;

    *out = NULL;
    st = rg_xml_load(ctx, path, schema_path, 0, &x);
    if (st == RG_OK && rg_xml_check_text(ctx, path, x) < 0) st = RG_EX_DATAERR;
    if (st != RG_OK) goto fail;
    rg_arena *a = rg_arena_new();
    s = rg_arena_alloc(a, sizeof *s);
    s->arena = a;
    s->path = rg_arena_strdup(a, path);
    b = (lbuilder){ ctx, path, s, a, 0 };
    build_style(&b, xmlDocGetRootElement(x));
    if (b.bad) {
        st = RG_EX_DATAERR;
        goto fail;
    }
    *out = s;
    s = NULL;
fail:
    rg_style_free(s);
    if (x) xmlFreeDoc(x);
    return st;
}
