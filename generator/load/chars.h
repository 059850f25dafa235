/* load/chars.h - which characters the load stage accepts, the same for
 * every input: definitions, XIncluded parts (XML or text) and CSV files.
 * Stage: load (no third-party headers, so the CSV reader can use it). */
#ifndef RG_LOAD_CHARS_H
#define RG_LOAD_CHARS_H

#include <stddef.h>
#include <stdint.h>

/* Length of the valid UTF-8 sequence at p (1..4; avail bytes may be read),
 * or 0 when p starts an invalid one: a stray continuation byte, an overlong
 * form, a surrogate, beyond U+10FFFF, or cut short by the end of the data.
 * Cannot fail otherwise. */
size_t rg_utf8_valid_len(const unsigned char *p, size_t avail);

/* The code point of the valid UTF-8 sequence of n bytes at p (as returned
 * by rg_utf8_valid_len). Cannot fail. */
uint32_t rg_utf8_code(const unsigned char *p, size_t n);

/* Why c may not reach a report, or NULL when it may: "control character"
 * for C0 controls other than tab, line feed and carriage return (the
 * whitespace XML and CSV use), DEL and the C1 controls U+0080-U+009F (NEL,
 * "single shift" and the like: invisible, and read differently by every
 * viewer); "noncharacter" for U+FDD0-U+FDEF and the last two code points
 * of every plane (U+FFFE, U+FFFF, ...). NUL is a control character. */
const char *rg_char_refusal(uint32_t c);

/* The first fault in len bytes of UTF-8 text: a NUL, invalid UTF-8 or a
 * character rg_char_refusal refuses. Returns 0 when there is none;
 * otherwise -1 with its place in *line and *col (from 1; columns count
 * characters) and a message in why ("control character U+001B"). Linear
 * in len. */
int rg_text_fault(const char *data, size_t len, int *line, int *col, char *why, size_t whylen);

#endif
