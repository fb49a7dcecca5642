/* sha256.h — SHA-256 (FIPS 180-4) for sbx-probe, which is libc only.  Used
 * to record a salted digest of a variable's value instead of the value
 * (probes/README.md, PR-ENV-1), never for signatures. */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint32_t h[8];
  uint64_t len;          /* bytes hashed so far */
  unsigned char buf[64];
  size_t fill;
} ProbeSha256;

void probe_sha256_init (ProbeSha256 *s);
void probe_sha256_update (ProbeSha256 *s, const void *data, size_t n);
/* Writes 64 lower-case hex digits and a NUL into @hex. */
void probe_sha256_hex (ProbeSha256 *s, char hex[65]);
