/* pdf/pdfa.c - PDF/A conformance. Stage: pdf. Owns the document-level
 * parts PDF/A asks for beyond a clean PDF: the XMP metadata stream (the
 * catalog's /Metadata) that mirrors the document info dict field for
 * field and claims the PDF/A part and conformance (and PDF/UA-1 for a
 * tagged document, with the PDF/A extension schema that describes the
 * pdfuaid namespace), and the sRGB OutputIntent with its ICC profile.
 * The per-object rules (embedded fonts with CIDSet, printable link
 * annotations, the trailer /ID) are kept where those objects are written:
 * pdf/font.c and pdf/pdf.c.
 *
 * libharu's own PDF/A support (HPDF_PDFA_SetPDFAConformance) is not used:
 * it writes /SubType instead of /Subtype, leaves out most of the XMP and
 * derives the /ID from the clock. Everything here goes through libharu's
 * object API, so it is serialised with the rest of the document. */
#include "internal.h"

#include <hpdf_objects.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf.h"

/* The sRGB profile (ICC v2, as PDF/A-1 needs) and where it comes from. */
#ifndef RG_SRGB_ICC
#define RG_SRGB_ICC "/usr/share/color/icc/sRGB.icc"
#endif
#define SRGB_PACKAGE "icc-profiles-free"

/* An ICC profile larger than this is not the small sRGB profile we mean
 * (the Debian one is 6922 bytes; the largest common sRGB variant ~60 KB). */
enum { MAX_ICC_BYTES = 1 << 20 };

/* Header fields of an ICC profile (ICC.1, 7.2). */
enum { ICC_HEADER = 128, ICC_COLOR_SPACE = 16, ICC_SIGNATURE = 36 };

static const char *level_name(rg_pdfa_level level)
{
    switch (level) {
    case RG_PDFA_1B: return "PDF/A-1b";
    case RG_PDFA_2B: return "PDF/A-2b";
    case RG_PDFA_2U: return "PDF/A-2u";
    case RG_PDFA_2A: return "PDF/A-2a";
    case RG_PDFA_OFF: break;
    }
    return "none";
}

/* ---- XMP ---- */

/* Appends s as XML character data. Characters XML 1.0 cannot hold
 * (controls other than tab, LF, CR) are left out. */
static void put_xml(rg_pdf_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&': rg_pdf_buf_str(b, "&amp;"); break;
        case '<': rg_pdf_buf_str(b, "&lt;"); break;
        case '>': rg_pdf_buf_str(b, "&gt;"); break;
        case '"': rg_pdf_buf_str(b, "&quot;"); break;
        default:
            if (*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r') rg_pdf_buf_put(b, p, 1);
        }
    }
}

static int has(const char *s) { return s && *s; }

/* <tag>value</tag> on its own line, when value is set. */
static void simple(rg_pdf_buf *b, const char *tag, const char *value)
{
    if (!has(value)) return;
    rg_pdf_buf_str(b, "   <");
    rg_pdf_buf_str(b, tag);
    rg_pdf_buf_str(b, ">");
    put_xml(b, value);
    rg_pdf_buf_str(b, "</");
    rg_pdf_buf_str(b, tag);
    rg_pdf_buf_str(b, ">\n");
}

/* An rdf:Alt (language alternatives, x-default only), rdf:Seq or rdf:Bag
 * with the single item value. */
static void container(rg_pdf_buf *b, const char *tag, const char *kind, const char *value)
{
    if (!has(value)) return;
    rg_pdf_buf_str(b, "   <");
    rg_pdf_buf_str(b, tag);
    rg_pdf_buf_str(b, "><rdf:");
    rg_pdf_buf_str(b, kind);
    rg_pdf_buf_str(b, strcmp(kind, "Alt") ? "><rdf:li>" : "><rdf:li xml:lang=\"x-default\">");
    put_xml(b, value);
    rg_pdf_buf_str(b, "</rdf:li></rdf:");
    rg_pdf_buf_str(b, kind);
    rg_pdf_buf_str(b, "></");
    rg_pdf_buf_str(b, tag);
    rg_pdf_buf_str(b, ">\n");
}

static void description_open(rg_pdf_buf *b, const char *prefix, const char *uri)
{
    rg_pdf_buf_str(b, "  <rdf:Description rdf:about=\"\" xmlns:");
    rg_pdf_buf_str(b, prefix);
    rg_pdf_buf_str(b, "=\"");
    rg_pdf_buf_str(b, uri);
    rg_pdf_buf_str(b, "\">\n");
}

static void description_close(rg_pdf_buf *b) { rg_pdf_buf_str(b, "  </rdf:Description>\n"); }

/* PDF/A-1 (6.7.8) and PDF/A-2 (6.6.2.3) accept properties outside their
 * predefined schemas only with this description in the same packet. */
static const char PDFUA_EXTENSION[] =
    "  <rdf:Description rdf:about=\"\"\n"
    "    xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n"
    "    xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n"
    "    xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
    "   <pdfaExtension:schemas>\n"
    "    <rdf:Bag>\n"
    "     <rdf:li rdf:parseType=\"Resource\">\n"
    "      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n"
    "      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n"
    "      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
    "      <pdfaSchema:property>\n"
    "       <rdf:Seq>\n"
    "        <rdf:li rdf:parseType=\"Resource\">\n"
    "         <pdfaProperty:name>part</pdfaProperty:name>\n"
    "         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
    "         <pdfaProperty:category>internal</pdfaProperty:category>\n"
    "         <pdfaProperty:description>Indicates, which part of ISO 14289 standard is "
    "followed</pdfaProperty:description>\n"
    "        </rdf:li>\n"
    "       </rdf:Seq>\n"
    "      </pdfaSchema:property>\n"
    "     </rdf:li>\n"
    "    </rdf:Bag>\n"
    "   </pdfaExtension:schemas>\n"
    "  </rdf:Description>\n";

/* The packet. Every info-dict field metadata() in pdf/pdf.c writes has its
 * XMP twin with the same text (PDF/A-1 6.7.3, PDF/A-2 6.6.2.2); the one
 * date is both creation and modification date, as in the info dict, with
 * an explicit +00:00 (the info dict has +00'00'). */
static void xmp_write(rg_pdf_buf *b, const rg_dl_meta *m, rg_pdfa_level level, int tagged)
{
    char date[40] = "";
    if (m->year)
        snprintf(date, sizeof date, "%04d-%02d-%02dT%02d:%02d:%02d+00:00", m->year, m->month,
                 m->day, m->hour, m->minute, m->second);

    rg_pdf_buf_str(b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                      "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                      " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");

    description_open(b, "dc", "http://purl.org/dc/elements/1.1/");
    simple(b, "dc:format", "application/pdf");
    container(b, "dc:title", "Alt", m->title);
    container(b, "dc:creator", "Seq", m->author);
    container(b, "dc:description", "Alt", m->subject);
    container(b, "dc:language", "Bag", m->lang);
    description_close(b);

    description_open(b, "pdf", "http://ns.adobe.com/pdf/1.3/");
    simple(b, "pdf:Keywords", m->keywords);
    simple(b, "pdf:Producer", m->producer);
    description_close(b);

    description_open(b, "xmp", "http://ns.adobe.com/xap/1.0/");
    simple(b, "xmp:CreatorTool", m->creator);
    simple(b, "xmp:CreateDate", date);
    simple(b, "xmp:ModifyDate", date);
    simple(b, "xmp:MetadataDate", date);
    description_close(b);

    description_open(b, "pdfaid", "http://www.aiim.org/pdfa/ns/id/");
    simple(b, "pdfaid:part", level == RG_PDFA_1B ? "1" : "2");
    simple(b, "pdfaid:conformance", level == RG_PDFA_2A ? "A" : level == RG_PDFA_2U ? "U" : "B");
    description_close(b);

    if (tagged) {
        description_open(b, "pdfuaid", "http://www.aiim.org/pdfua/ns/id/");
        simple(b, "pdfuaid:part", "1");
        description_close(b);
        rg_pdf_buf_str(b, PDFUA_EXTENSION);
    }
    rg_pdf_buf_str(b, " </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>");
}

/* The metadata stream stays unfiltered: PDF/A-1 (6.7.2) forbids a
 * filter on it, and readers that do not parse PDF can still find it. */
static void metadata_stream(rg_pdf_writer *w, const rg_pdf_buf *xmp)
{
    HPDF_Dict s = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
    if (!s) return;
    s->filter = HPDF_STREAM_FILTER_NONE;
    HPDF_Dict_AddName(s, "Type", "Metadata");
    HPDF_Dict_AddName(s, "Subtype", "XML");
    HPDF_Stream_Write(s->stream, (const HPDF_BYTE *)xmp->p, (HPDF_UINT)xmp->len);
    HPDF_Dict_Add(w->pdf->catalog, "Metadata", s);
    rg_pdf_hash(w, xmp->p, xmp->len);
}

/* ---- OutputIntent ---- */

/* Reads the sRGB profile; NULL (with the sticky error RG_EX_UNAVAILABLE)
 * when it is missing or is not an RGB ICC profile. */
static unsigned char *icc_read(rg_pdf_writer *w, size_t *len)
{
    unsigned char *data = NULL;
    size_t n = 0;
    const char *why = NULL;
    FILE *f = fopen(RG_SRGB_ICC, "rb");
    if (!f) {
        why = strerror(errno);
        goto fail;
    }
    data = rg_xmalloc(MAX_ICC_BYTES + 1);
    n = fread(data, 1, MAX_ICC_BYTES + 1, f);
    if (ferror(f)) why = "read error";
    else if (n > MAX_ICC_BYTES) why = "too large for an sRGB profile";
    else if (n < ICC_HEADER || memcmp(data + ICC_SIGNATURE, "acsp", 4))
        why = "not an ICC profile";
    else if (memcmp(data + ICC_COLOR_SPACE, "RGB ", 4)) why = "not an RGB profile";
    fclose(f);
fail:
    if (why) {
        rg_pdf_fail(w, RG_EX_UNAVAILABLE,
                    "%s needs the sRGB colour profile %s (Debian package %s): %s",
                    level_name(w->pdfa), RG_SRGB_ICC, SRGB_PACKAGE, why);
        free(data);
        return NULL;
    }
    *len = n;
    return data;
}

/* /OutputIntents [<</S /GTS_PDFA1 ... /DestOutputProfile icc>>]: device
 * RGB in the content streams then means sRGB. PDF/A-2 uses the same
 * subtype name. */
static void output_intent(rg_pdf_writer *w)
{
    HPDF_MMgr mm = w->pdf->mmgr;
    size_t len = 0;
    unsigned char *icc = icc_read(w, &len);
    if (!icc) return;
    HPDF_Dict profile = HPDF_DictStream_New(mm, w->pdf->xref);
    HPDF_Dict intent = HPDF_Dict_New(mm);
    HPDF_Array intents = HPDF_Array_New(mm);
    if (!profile || !intent || !intents) goto done;
    HPDF_Dict_AddNumber(profile, "N", 3);
    rg_pdf_stream_deflate(w, profile, icc, len, RG_PDF_ZLEVEL_ONCE);
    rg_pdf_hash(w, icc, len);

    HPDF_Dict_AddName(intent, "Type", "OutputIntent");
    HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
    HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                  HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL));
    HPDF_Dict_Add(intent, "RegistryName", HPDF_String_New(mm, "http://www.color.org", NULL));
    HPDF_Dict_Add(intent, "Info", HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL));
    HPDF_Dict_Add(intent, "DestOutputProfile", profile);
    HPDF_Array_Add(intents, intent);
    HPDF_Dict_Add(w->pdf->catalog, "OutputIntents", intents);
done:
    free(icc);
}

/* ---- entry point ---- */

void rg_pdf_pdfa_write(rg_pdf_writer *w, const rg_dl_meta *m, int tagged)
{
    rg_pdfa_level level = w->pdfa;
    if (level == RG_PDFA_OFF || w->status) return;
    if (level == RG_PDFA_2A && !tagged) {
        /* conformance A is a promise about the structure tree */
        rg_diag(w->ctx, RG_SEV_WARNING, w->path, 0, 0,
                "PDF/A-2a needs a tagged document; writing PDF/A-2u");
        level = RG_PDFA_2U;
    }
    /* PDF/A-1 is PDF 1.4. Keys from later versions that other parts add
     * (the structure tree's /Tabs) are ignored by 1.4 readers, but the
     * header must not promise more. PDF/A-2 accepts 1.4 to 1.7. */
    if (level == RG_PDFA_1B) w->pdf->pdf_version = HPDF_VER_14;
    output_intent(w);
    if (w->status) return;
    rg_pdf_buf xmp = {0};
    xmp_write(&xmp, m, level, tagged);
    metadata_stream(w, &xmp);
    rg_pdf_buf_free(&xmp);
}
