/* main.c - unit test runner: runs every registered TEST in name order and
 * ends with the summary line "N passed, N failed". */
#include "test.h"

#include <stdlib.h>

int test_failed_checks;
const char *test_root = ".";
static test_case *tests;

void test_register(test_case *tc)
{
    test_case **p = &tests;          /* keep the list sorted by name */
    while (*p && strcmp((*p)->name, tc->name) < 0) p = &(*p)->next;
    tc->next = *p;
    *p = tc;
}

int main(int argc, char **argv)
{
    const char *only = argc > 1 ? argv[1] : NULL;
    const char *root = getenv("RG_TEST_ROOT");
    if (root) test_root = root;
    int passed = 0, failed = 0;
    for (test_case *tc = tests; tc; tc = tc->next) {
        if (only && !strstr(tc->name, only)) continue;
        int before = test_failed_checks;
        tc->fn();
        if (test_failed_checks == before) {
            passed++;
        } else {
            failed++;
            fprintf(stderr, "FAIL %s\n", tc->name);
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
