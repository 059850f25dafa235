/* base/hash.c - rg_hash_bytes (see base/base.h). Stage: base. On its own, so that
 * the build's hyphen-image tool links it without the rest of base/base.c. */
#include "base.h"

#include <string.h>

uint64_t rg_hash_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    h ^= n * 0x9E3779B97F4A7C15ull;
    for (; n >= 8; b += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, b, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, b, n);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 29);
}
