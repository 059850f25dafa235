/* fonts/faces.h - facts about faces, remembered between runs while their
 * file is unchanged. Stage: fonts (fonts/fonts.c is the only user).
 *
 * Whether a face's space is plain (rg_font_space_is_plain) takes a walk
 * over every GSUB and GPOS lookup of the face: 5.8 M instructions, 0.4-0.5
 * ms, a twentieth of the sample report's time, for an answer that only
 * changes with the file. The facts live in $XDG_CACHE_HOME/reportgen/faces
 * (~/.cache/reportgen/faces), beside fontconfig's answers (fonts/memo.h)
 * but in a file of their own, which older builds do not read: a line per
 * face with the status of its file (modification time, size, inode) when
 * the fact was found; a fact whose file's status differs now is not used,
 * and is left out when the file is written again. */
#ifndef RG_FONT_FACES_H
#define RG_FONT_FACES_H

#include <stddef.h>

typedef struct rg_face_facts rg_face_facts;

enum { RG_FACE_STATUS_MAX = 96 };

/* Where the facts live: the memo's folder (rg_font_memo_path), file
 * "faces" (malloc'ed); NULL when there is no such folder. */
char *rg_face_facts_path(void);

/* The facts at path (NULL: none); an empty set when the file is missing,
 * not a regular file or damaged. Never NULL. */
rg_face_facts *rg_face_facts_load(const char *path);

/* The status of the file at path ("MTIME SIZE INODE") into out
 * (RG_FACE_STATUS_MAX bytes); -1 when it cannot be had. */
int rg_face_status(const char *path, char *out, size_t cap);

/* Whether the space of face index in the file at path, whose status is
 * now status, is plain: 1 yes, 0 no, -1 unknown (no fact, another status,
 * status NULL). */
int rg_face_facts_space_plain(const rg_face_facts *m, const char *path, unsigned index,
                              const char *status);

/* Adds (replaces) that fact. A NULL status, or a path with a line break,
 * is not remembered. Cannot fail. */
void rg_face_facts_put_space_plain(rg_face_facts *m, const char *path, unsigned index,
                                   const char *status, int plain);

/* Whether facts were added since the set was loaded. */
int rg_face_facts_changed(const rg_face_facts *m);

/* Writes the facts whose file is unchanged to path (a temporary file
 * renamed over it; the folder made if needed). 0, or -1 when nothing
 * could be written; a path that exists and is not a regular file is left
 * alone. */
int rg_face_facts_save(rg_face_facts *m, const char *path);

void rg_face_facts_free(rg_face_facts *m);   /* accepts NULL */

#endif
