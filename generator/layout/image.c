/* layout/image.c - <image> blocks in the layout stage. A picture is an
 * unbreakable block kept together with its caption below it, like a chart
 * (layout/figure.c): its width as the definition gives it (points or a
 * share of the text width; without either its pixels at IMAGE_DPI), never
 * wider than the text area, its height from its aspect ratio; moved to the
 * next page when it does not fit, and scaled down (with a warning naming
 * its line) when it is taller than a page leaves room for. An informative
 * picture is a Figure with the definition's alt= and a BBox; a decorative
 * one an Artifact. The pdf stage embeds the bytes (RG_DL_IMAGE). */
#include "internal.h"

#include <string.h>

/* The resolution a picture without width= is shown at: its pixels at 150
 * dpi (print quality for photos), then at most the text width. */
#define IMAGE_DPI 150.0

/* points: a picture is not squeezed below this to stay under its heading */
#define IMAGE_MIN_HEIGHT 72.0

void lay_image_shape(const rg_image *im, double *w, double *h)
{
    *w = im->vector ? im->vector->width : im->width;
    *h = im->vector ? im->vector->height : im->height;
    if (!im->vector && im->orientation >= 5) {
        double t = *w;
        *w = *h;
        *h = t;
    }
}

/* The picture's own width and height in points at the text width. */
static void image_size(const rg_image *im, double width, double *w, double *h)
{
    double pw, ph;
    lay_image_shape(im, &pw, &ph);
    if (!(pw > 0)) pw = 1;
    if (!(ph > 0)) ph = 1;
    /* without width=: raster pixels at IMAGE_DPI, SVG user units as CSS
     * pixels (96 to the inch) */
    double natural = pw * 72.0 / (im->format == RG_IMAGE_SVG ? 96.0 : IMAGE_DPI);
    double want = im->width_pt > 0      ? im->width_pt
                  : im->width_share > 0 ? im->width_share * width
                                        : natural;
    if (want > width) want = width;
    *w = want;
    *h = want * ph / pw;
}

/* The caption (cp) and what it takes besides the picture. */
static double image_parts(lay *L, const rg_block *b, double width, rg_para *cp)
{
    const captioned *cap = lay_caption_of(L, b);
    const rg_role *cr = lay_role(L, RG_ROLE_CAPTION);
    *cp = (rg_para){ NULL, 0, NULL, 0 };
    if (cap) lay_caption_para(L, cap, width, cp);
    return L->st->paragraph_gap + cr->space_before + cp->nlines * cr->leading;
}

/* The size drawn: no taller than a page leaves room for (scale kept). */
static void image_box(lay *L, const rg_block *b, double width, double parts, double *w,
                      double *h)
{
    image_size(b->image, width, w, h);
    double most = L->top - L->bottom - parts;
    if (*h > most && most > 0) {
        *w *= most / *h;
        *h = most;
    }
}

double lay_image_need(lay *L, const rg_block *b, double width)
{
    rg_para cp;
    double parts = image_parts(L, b, width, &cp), w, h;
    image_box(L, b, width, parts, &w, &h);
    return parts + h;
}

void lay_place_image(lay *L, const rg_block *b, double x, double width)
{
    const rg_image *im = b->image;
    if (!im) return;
    captioned *cap = lay_caption_of(L, b);
    rg_para cp;
    double parts = image_parts(L, b, width, &cp), w0, h0, w, h;
    image_size(im, width, &w0, &h0);
    image_box(L, b, width, parts, &w, &h);
    lay_ensure_page(L);
    if (!L->at_top && lay_room(L) + LAY_EPS < h + parts) {
        /* below its heading at a page's top (where the heading's look-ahead
         * put it) the picture takes the room there is, as a chart does:
         * moving on would leave the heading alone */
        double here = lay_room(L) - parts;
        if (L->head_top && here >= IMAGE_MIN_HEIGHT) {
            w *= here / h;
            h = here;
        } else {
            lay_new_page(L, 1);
        }
    }
    if (h < h0 - LAY_EPS)
        rg_diag(L->ctx, RG_SEV_WARNING, NULL, 0, 0,
                "image '%s' %.0f pt high does not fit on a page: drawn %.0f x %.0f pt", im->src,
                h0, w, h);
    lay_vspace(L, L->st->paragraph_gap);
    if (cap) {
        rg_dl_dest_add(L->dl, (size_t)L->page, cap->dest, L->y);
        cap->page = (int)L->page;
    } else if (b->id) {
        rg_dl_dest_add(L->dl, (size_t)L->page, b->id, L->y);
    }
    double x0 = x + (width - w) / 2, y0 = L->y - h;
    int fig = -1;
    if (!im->decorative) {
        fig = lay_open(L, "Figure");
        rg_dl_elem_set_alt(L->dl, fig, im->alt ? im->alt : "");
        rg_dl_elem_set_bbox(L->dl, fig, (size_t)L->page, x0, y0, x0 + w, L->y);
        if (b->lang) rg_dl_elem_set_lang(L->dl, fig, b->lang);
    } else {
        rg_dl_artifact_begin(L->dl, (size_t)L->page);
    }
    lay_box_open(L, RG_BOX_CHART, x0, y0, x0 + w, L->y);
    lay_draw_image(L, (size_t)L->page, im, x0, y0, w, h);
    lay_box_close(L);
    if (fig >= 0) lay_close(L);
    else rg_dl_artifact_end(L->dl, (size_t)L->page);
    lay_figure_below(L, cap, &cp, h, x, width);
}

/* An SVG's paths into the box: user units scaled to it, y flipped, each
 * clipped to the box (an SVG shows nothing outside its viewBox). */
static void draw_vector(lay *L, size_t page, const rg_vector *v, double x, double y, double w,
                        double h)
{
    double sx = w / v->width, sy = h / v->height, top = y + h;
    for (size_t i = 0; i < v->npaths; i++) {
        const rg_vpath *vp = &v->paths[i];
        rg_path_seg *segs = rg_arena_alloc(L->arena, (vp->nsegs ? vp->nsegs : 1) * sizeof *segs);
        for (size_t k = 0; k < vp->nsegs; k++) {
            segs[k].op = (rg_path_op)vp->segs[k].op;
            for (int j = 0; j < 6; j += 2) {
                segs[k].pts[j] = x + vp->segs[k].pts[j] * sx;
                segs[k].pts[j + 1] = top - vp->segs[k].pts[j + 1] * sy;
            }
        }
        rg_dl_path p = { .segs = segs, .nsegs = vp->nsegs, .fill = vp->fill,
                         .stroke = vp->stroke, .line_width = vp->line_width * sx,
                         .clip = 1, .clip_x0 = x, .clip_y0 = y, .clip_x1 = x + w,
                         .clip_y1 = top };
        p.fill_color = (rg_color){ vp->fill_rgb[0], vp->fill_rgb[1], vp->fill_rgb[2] };
        p.stroke_color = (rg_color){ vp->stroke_rgb[0], vp->stroke_rgb[1], vp->stroke_rgb[2] };
        rg_dl_add_path(L->dl, page, &p);
    }
}

void lay_draw_image(lay *L, size_t page, const rg_image *im, double x, double y, double w,
                    double h)
{
    if (im->format == RG_IMAGE_SVG) {
        if (im->vector) draw_vector(L, page, im->vector, x, y, w, h);
        return;
    }
    rg_dl_image d = { .format = im->format == RG_IMAGE_JPEG ? RG_DL_IMAGE_JPEG : RG_DL_IMAGE_PNG,
                      .data = im->data, .len = im->len, .width = im->width,
                      .height = im->height, .channels = im->channels, .alpha = im->alpha,
                      .adobe_transform = im->adobe_transform,
                      .orientation = im->orientation, .icc_channels = im->icc_channels,
                      .name = im->path ? im->path : im->src, .x = x, .y = y, .w = w, .h = h };
    rg_dl_add_image(L->dl, page, &d);
}
