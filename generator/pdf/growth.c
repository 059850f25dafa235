/* pdf/growth.c - libharu's cross-reference table grown geometrically (issue 22).
 * Stage: pdf.
 *
 * libharu keeps every indirect object in one HPDF_List (doc->xref->entries)
 * that grows by a fixed HPDF_DEFALUT_XREF_ENTRY_NUM (1024) entries at a
 * time, each growth copying the whole list: with the ~10^6 objects of an
 * 8,000-page report that is quadratic (several GB copied, ~9 % of the
 * run). Setting the list's step to its current size before objects are
 * added in bulk makes every later growth at least double it. The step
 * changes how libharu allocates, nothing it writes. */
#include "internal.h"

#include <hpdf_list.h>
#include <hpdf_objects.h>

void rg_pdf_xref_grow_geometric(rg_pdf_writer *w)
{
    if (!w->pdf || !w->pdf->xref || !w->pdf->xref->entries) return;
    HPDF_List entries = w->pdf->xref->entries;
    if (entries->count > entries->items_per_block) entries->items_per_block = entries->count;
}
