/* pipeline/init.c - reportgen init: the next period's definition (see
 * pipeline/pipeline.h). Stage: pipeline. The work is the load stage's
 * (load/init.c); this finds the schema it validates the previous
 * definition with. */
#include "pipeline.h"
#include "load/load.h"

rg_status rg_init_next_period(const char *from, const char *period, const char *output,
                              int verbosity)
{
    rg_ctx *ctx = rg_ctx_new(stderr);
    rg_paths paths;
    rg_paths_find(&paths);
    rg_init_opts o = { from, period, output, verbosity < 0 ? NULL : stderr, verbosity > 0 };
    rg_status st = rg_load_init(ctx, paths.schema, &o, NULL, 0);
    rg_ctx_free(ctx);
    return st;
}
