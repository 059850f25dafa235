/* pipeline/paths.c - locating the data folder (see pipeline/pipeline.h). Stage: pipeline. */
#include "pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef RG_DATADIR
#define RG_DATADIR "/usr/local/share/reportgen"
#endif
#ifndef RG_LIBEXECDIR
#define RG_LIBEXECDIR "/usr/local/libexec/reportgen"
#endif

static int exists(const char *path)
{
    return access(path, R_OK) == 0;
}

/* The folder of the running executable, its real path (/proc/self/exe has
 * symbolic links resolved), into out; 0 when it cannot be told. */
static int exe_dir(char *out, size_t cap)
{
    if (cap < 2) return 0;
    ssize_t n = readlink("/proc/self/exe", out, cap - 1);
    if (n <= 0) return 0;
    out[n] = 0;
    char *slash = strrchr(out, '/');
    if (!slash) return 0;
    *slash = 0;
    return 1;
}

/* Writes into out (cap bytes) the copy of a schema without its
 * documentation (compact, made by the build's schema-compact) when it
 * exists and is at least as new as the documented source, else the
 * source: a schema edited in a source tree counts before the build
 * catches up. */
static void pick_schema(char *out, size_t cap, const char *source, const char *compact)
{
    struct stat ss, cs;
    int use_compact = stat(compact, &cs) == 0 && S_ISREG(cs.st_mode) &&
                      (stat(source, &ss) != 0 || cs.st_mtime >= ss.st_mtime);
    snprintf(out, cap, "%s", use_compact ? compact : source);
}

static void set_schemas(rg_paths *p, const char *report, const char *layout,
                        const char *compact_dir)
{
    char compact[4200];
    snprintf(compact, sizeof compact, "%s/report.xsd", compact_dir);
    pick_schema(p->schema, sizeof p->schema, report, compact);
    snprintf(compact, sizeof compact, "%s/layout.xsd", compact_dir);
    pick_schema(p->layout_schema, sizeof p->layout_schema, layout, compact);
}

static void set_installed(rg_paths *p, const char *dir)
{
    char report[4200], layout[4200], compact[4200];
    snprintf(report, sizeof report, "%s/schema/report.xsd", dir);
    snprintf(layout, sizeof layout, "%s/layouts/layout.xsd", dir);
    snprintf(compact, sizeof compact, "%s/schema/compact", dir);
    set_schemas(p, report, layout, compact);
    snprintf(p->layouts, sizeof p->layouts, "%s/layouts", dir);
    snprintf(p->fonts, sizeof p->fonts, "%s/fonts", dir);
    snprintf(p->hyphen_images, sizeof p->hyphen_images, "%s/hyphen", dir);
    snprintf(p->mail, sizeof p->mail, "%s/mail", dir);
}

/* build/reportgen in a source tree: data lives beside build/, what the
 * build made (images of hyphenation patterns) in build/ */
static int set_source_tree(rg_paths *p)
{
    char exe[4096];
    if (!exe_dir(exe, sizeof exe)) return 0;
    char probe[4096 + 64];
    snprintf(probe, sizeof probe, "%s/../generator/schema/report.xsd", exe);
    if (!exists(probe)) return 0;
    char root[4096];
    if (!realpath(exe, root)) return 0;
    char *slash = strrchr(root, '/');
    if (slash) *slash = 0;
    char report[4200], layout[4200], compact[4200];
    snprintf(report, sizeof report, "%s/generator/schema/report.xsd", root);
    snprintf(layout, sizeof layout, "%s/layouts/layout.xsd", root);
    snprintf(compact, sizeof compact, "%s/schema", exe);
    set_schemas(p, report, layout, compact);
    snprintf(p->layouts, sizeof p->layouts, "%s/layouts", root);
    snprintf(p->fonts, sizeof p->fonts, "%s/fonts", root);
    snprintf(p->hyphen_images, sizeof p->hyphen_images, "%s/hyphen", exe);
    snprintf(p->mail, sizeof p->mail, "%s/mail", root);
    return 1;
}

/* An installed tree moved elsewhere (or staged with DESTDIR): BIN/reportgen
 * with its data in BIN/../share/reportgen, wherever that now is; or
 * PREFIX/libexec/reportgen/reportgen-reply with it in ../../share/reportgen. */
static int set_relocated(rg_paths *p)
{
    static const char *const up[] = { "..", "../.." };
    char exe[4096], dir[4200], probe[4300], real[4096];
    if (!exe_dir(exe, sizeof exe)) return 0;
    for (size_t i = 0; i < sizeof up / sizeof up[0]; i++) {
        snprintf(dir, sizeof dir, "%s/%s/share/reportgen", exe, up[i]);
        snprintf(probe, sizeof probe, "%s/schema/report.xsd", dir);
        if (!exists(probe) || !realpath(dir, real)) continue;
        set_installed(p, real);
        return 1;
    }
    return 0;
}

void rg_paths_find(rg_paths *p)
{
    const char *env = getenv("REPORTGEN_DATADIR");
    if (env && *env) set_installed(p, env);
    else if (!set_source_tree(p) && !set_relocated(p)) set_installed(p, RG_DATADIR);
}

int rg_paths_libexec(const char *name, char *out, size_t cap)
{
    const char *env = getenv("REPORTGEN_LIBEXECDIR");
    if (env && *env) {
        snprintf(out, cap, "%s/%s", env, name);
        return access(out, X_OK) == 0;
    }
    char exe[4096];
    if (exe_dir(exe, sizeof exe)) {
        snprintf(out, cap, "%s/%s", exe, name);                  /* a build folder */
        if (access(out, X_OK) == 0) return 1;
        char dir[4200], real[4096];
        snprintf(dir, sizeof dir, "%s/../libexec/reportgen", exe);   /* relocated */
        if (realpath(dir, real)) {
            snprintf(out, cap, "%s/%s", real, name);
            if (access(out, X_OK) == 0) return 1;
        }
    }
    snprintf(out, cap, "%s/%s", RG_LIBEXECDIR, name);
    return access(out, X_OK) == 0;
}

void rg_paths_layout(const rg_paths *p, const char *ref, const char *base_dir, char *out,
                     size_t cap)
{
    size_t n = strlen(ref);
    int is_path = strchr(ref, '/') || (n > 4 && !strcmp(ref + n - 4, ".xml"));
    if (!is_path) snprintf(out, cap, "%s/%s.xml", p->layouts, ref);
    else if (ref[0] == '/' || !base_dir) snprintf(out, cap, "%s", ref);
    else snprintf(out, cap, "%s/%s", base_dir, ref);
}
