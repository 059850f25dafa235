/* test_batch_manifest.c - one line of the batch manifest (pipeline/manifestline.c):
 * JSON escaping on the way out, the same entry on the way back in, and a
 * reader that skips what it cannot read without crashing. */
#include "test.h"
#include "batch/manifest.h"

#include <stdlib.h>

static rg_manifest_entry sample_entry(void)
{
    rg_manifest_entry e = { 0 };
    e.output = "rapport-2023-T1.pdf";
    e.hash = 0x0123456789abcdefull;
    e.definition = "../defs/r\"1\\.xml";
    e.period = "2023-T1";
    e.from = "2023-01-01";
    e.to = NULL;
    e.title = "Caf\xc3\xa9 \xe2\x82\xac\t\n\x01 \xf0\x9f\x93\x88";   /* é € tab nl U+0001 U+1F4C8 */
    return e;
}

TEST(batch_manifest_line_escapes_json)
{
    rg_manifest_entry e = sample_entry();
    char *line = rg_manifest_line_format(&e);
    CHECK_STR(line, "{\"reportgen_manifest\":1,\"output\":\"rapport-2023-T1.pdf\","
                    "\"hash\":\"0123456789abcdef\",\"definition\":\"../defs/r\\\"1\\\\.xml\","
                    "\"period\":\"2023-T1\",\"from\":\"2023-01-01\",\"to\":null,"
                    "\"title\":\"Caf\xc3\xa9 \xe2\x82\xac\\t\\n\\u0001 \xf0\x9f\x93\x88\"}\n");
    free(line);
}

TEST(batch_manifest_line_reads_back)
{
    rg_manifest_entry e = sample_entry(), back;
    char *line = rg_manifest_line_format(&e);
    char why[128];
    CHECK(rg_manifest_line_parse(line, strlen(line) - 1, &back, why, sizeof why) == RG_LINE_RECORD);
    CHECK_STR(back.output, e.output);
    CHECK(back.hash == e.hash);
    CHECK_STR(back.definition, e.definition);
    CHECK_STR(back.period, e.period);
    CHECK_STR(back.from, e.from);
    CHECK(back.to == NULL);
    CHECK_STR(back.title, e.title);
    rg_manifest_entry_clear(&back);
    free(line);
}

TEST(batch_manifest_line_refuses_bytes_json_cannot_carry)
{
    rg_manifest_entry e = sample_entry();
    e.definition = "defs/\xff.xml";
    CHECK(rg_manifest_line_format(&e) == NULL);
    e.definition = "defs/\xed\xa0\x80.xml";                     /* an encoded surrogate */
    CHECK(rg_manifest_line_format(&e) == NULL);
}

TEST(batch_manifest_line_reader_is_tolerant)
{
    static const char *const lines[] = {
        "{\"reportgen_manifest\":1,\"output\":\"a.pdf\",\"hash\":\"0123456789abcdef\"",
        "{\"reportgen_manifest\":1,\"output\":\"a.pdf\",\"hash\":\"0123\"}",
        "{\"reportgen_manifest\":1,\"hash\":\"0123456789abcdef\"}",
        "{\"output\":\"a.pdf\",\"hash\":\"0123456789abcdef\"}",
        "{\"reportgen_manifest\":1,\"output\":\"a\\ud800.pdf\",\"hash\":\"0123456789abcdef\"}",
        "{\"reportgen_manifest\":1,\"output\":\"a\xff.pdf\",\"hash\":\"0123456789abcdef\"}",
        "{\"reportgen_manifest\":1,\"output\":[1],\"hash\":\"0123456789abcdef\"}",
        "{\"reportgen_manifest\":1,\"output\":\"a.pdf\",\"title\":7,\"hash\":\"0123456789abcdef\"}",
        "{\"reportgen_manifest\":1,\"output\":\"a.pdf\",\"hash\":\"0123456789abcdef\"} x",
        "{\"reportgen_manifest\":1,\"output\":\"a\\u0000.pdf\",\"hash\":\"0123456789abcdef\"}",
        "{\"reportgen_manifest\":\"1\",\"output\":\"a.pdf\",\"hash\":\"0123456789abcdef\"}",
        "{\"reportgen_manifest\":1,\"output\":\"a.pdf\",\"hash\":\"0123456789abcdef\",",
        "{\"reportgen_manifest\":1,\"output\":\"a.pdf\\",
        "\"a.pdf\"", "{", "", "nul\0l",
    };
    char why[128];
    rg_manifest_entry e;
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        why[0] = 0;
        size_t len = i == sizeof lines / sizeof *lines - 1 ? 5 : strlen(lines[i]);
        CHECK(rg_manifest_line_parse(lines[i], len, &e, why, sizeof why) == RG_LINE_BAD);
        CHECK(why[0] != 0);
        CHECK(e.output == NULL);
    }
    const char *newer = "{\"reportgen_manifest\":2,\"output\":{\"a\":1}}";
    CHECK(rg_manifest_line_parse(newer, strlen(newer), &e, why, sizeof why) == RG_LINE_BAD);
    newer = "{\"reportgen_manifest\":2,\"output\":\"a.pdf\",\"hash\":\"x\"}";
    CHECK(rg_manifest_line_parse(newer, strlen(newer), &e, why, sizeof why) == RG_LINE_NEWER);
    const char *old = "0123456789abcdef rapport.pdf";
    CHECK(rg_manifest_line_parse(old, strlen(old), &e, why, sizeof why) == RG_LINE_OLD);
    const char *later = " { \"reportgen_manifest\" : 1 , \"extra\" : [] }";
    CHECK(rg_manifest_line_parse(later, strlen(later), &e, why, sizeof why) == RG_LINE_BAD);
    const char *unknown = "{\"reportgen_manifest\":1,\"shard\":3,\"ok\":true,\"output\":\"a.pdf\","
                          "\"hash\":\"0123456789abcdef\",\"note\":\"x\\u00e9\\ud83d\\udcc8\"}";
    CHECK(rg_manifest_line_parse(unknown, strlen(unknown), &e, why, sizeof why) == RG_LINE_RECORD);
    CHECK_STR(e.output, "a.pdf");
    rg_manifest_entry_clear(&e);
}
