/* test_base_sha256.c - base/sha256.c against the vectors of FIPS 180-4's
 * examples (and NIST's one million 'a'), whole and fed in pieces. */
#include "base/base.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>

static void digest_hex(const void *p, size_t n, char hex[65])
{
    rg_sha256 s;
    unsigned char d[32];
    rg_sha256_init(&s);
    rg_sha256_update(&s, p, n);
    rg_sha256_final(&s, d);
    rg_sha256_hex(d, hex);
}

TEST(base_sha256_standard_vectors)
{
    char hex[65];
    digest_hex("abc", 3, hex);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    digest_hex("", 0, hex);
    CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    /* 448 bits: the padding then needs a second block */
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    digest_hex(two, strlen(two), hex);
    CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char *million = malloc(1000000);
    memset(million, 'a', 1000000);
    digest_hex(million, 1000000, hex);
    CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(million);
}

TEST(base_sha256_pieces_give_the_same_digest)
{
    char data[300], whole[65], hex[65];
    for (int i = 0; i < 300; i++) data[i] = (char)(i * 7 + 3);
    digest_hex(data, sizeof data, whole);
    /* every split point, across the 64-byte blocks and the padding */
    for (size_t cut = 0; cut <= sizeof data; cut += 13) {
        rg_sha256 s;
        unsigned char d[32];
        rg_sha256_init(&s);
        rg_sha256_update(&s, data, cut);
        rg_sha256_update(&s, data + cut, sizeof data - cut);
        rg_sha256_final(&s, d);
        rg_sha256_hex(d, hex);
        CHECK_STR(hex, whole);
    }
}
