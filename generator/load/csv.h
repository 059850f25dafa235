/* load/csv.h - reading CSV files (RFC 4180): quoted fields, doubled quotes,
 * embedded separators and newlines, CRLF or LF, UTF-8 with or without BOM;
 * the separator ',' or another (';' as Dutch Excel writes, tab). Stage:
 * load (no third-party headers). */
#ifndef RG_CSV_H
#define RG_CSV_H

#include "base/base.h"

typedef struct rg_csv_row {
    const char **fields;           /* NUL-terminated UTF-8, in the arena */
    size_t nfields;
    int line;                      /* line where the record starts (1-based) */
} rg_csv_row;

typedef struct rg_csv {
    rg_csv_row *rows;              /* rows[0] is the header when the file has one */
    size_t nrows;
} rg_csv;

enum { RG_CSV_MAX_FIELDS = 256 };  /* columns per record: tables are read by people */

/* Parses data (len bytes) into out, fields separated by sep (',', ';' or
 * '\t'), everything allocated in arena. path is used in diagnostics only.
 * Errors, each "path:line:col: error: ...", give RG_EX_DATAERR:
 * unterminated quoted field, a quote inside an unquoted field, text after a
 * closing quote, invalid UTF-8, a NUL byte, a control character or
 * noncharacter (load/chars.h: the rules of definitions), a record whose
 * field count differs from the first record's (naming the separator when
 * it is not ','), more than RG_CSV_MAX_FIELDS fields. An empty last line
 * is not a record. */
rg_status rg_csv_parse(rg_ctx *ctx, const char *path, const char *data, size_t len, char sep,
                       rg_arena *arena, rg_csv *out);

/* The first record of data split on sep, quietly (no diagnostics): for
 * finding the separator a file uses. Returns 0 and *out, or -1 when the
 * data is empty or the record is not valid CSV on sep. */
int rg_csv_header(const char *data, size_t len, char sep, rg_arena *arena, rg_csv_row *out);

/* sep as diagnostics and attributes name it: ",", ";" or "tab". */
const char *rg_csv_sep_name(char sep);

#endif
