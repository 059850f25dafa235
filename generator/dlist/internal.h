/* dlist/internal.h - what dlist.c and spill.c share (issue 22). Stage:
 * display list; for this folder only. */
#ifndef RG_DLIST_INTERNAL_H
#define RG_DLIST_INTERNAL_H

#include "dlist.h"

/* Closes and frees dl's scratch file (rg_dl_free). */
void rg_dl_spill_close(rg_dl *dl);
/* How many items page has, spilled ones included. */
size_t rg_dl_page_count(const rg_dl_page *p);
/* The chunk of page's last item, spilled or not; -2 when it has none. */
int rg_dl_page_last_chunk(const rg_dl_page *p);
/* Forgets page's record and frees what was read back of it (release). */
void rg_dl_page_spill_release(rg_dl_page *p);

#endif
