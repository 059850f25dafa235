/* fuzz_csv.c - libFuzzer target: bytes -> rg_csv_parse (load/csv.h). Stage:
 * tests. Fresh context and arena per input. Besides the sanitizers it
 * checks the parser's contract on success: every record has the first
 * record's field count (at most RG_CSV_MAX_FIELDS), lines increase, and no
 * field holds a NUL; on failure, an error diagnostic. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rg_ctx *ctx = rg_ctx_new(NULL);
    rg_arena *arena = rg_arena_new();
    rg_csv csv;
    memset(&csv, 0, sizeof csv);
    rg_status st = rg_csv_parse(ctx, "fuzz.csv", (const char *)data, size, ',', arena, &csv);
    if (st == RG_OK) {
        int line = 0;
        for (size_t r = 0; r < csv.nrows; r++) {
            const rg_csv_row *row = &csv.rows[r];
            if (row->nfields != csv.rows[0].nfields || row->nfields > RG_CSV_MAX_FIELDS ||
                row->line <= line)
                abort();
            line = row->line;
            for (size_t f = 0; f < row->nfields; f++)
                if (!row->fields[f] || strlen(row->fields[f]) > size) abort();
        }
    } else if (st != RG_EX_DATAERR || ctx->errors == 0) {
        abort();
    }
    rg_arena_free(arena);
    rg_ctx_free(ctx);
    return 0;
}
