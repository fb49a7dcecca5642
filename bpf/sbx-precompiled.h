/* sbx-precompiled.h — the built-in default profile's launch and lock
 * programs, compiled ahead of time (bpf/sbx-precompiled.c, written by
 * bpf/gen-precompiled from `make update-golden`).
 *
 * Compiling a program with libseccomp costs ~0.7 ms; sbx_program_new()
 * first looks the profile's key (sbx_seccomp_key(): libseccomp version,
 * native arch, stage, bpf/ tables, the profile's seccomp part) up here and
 * takes the instructions as they are on a match.  Any other key compiles as
 * before.  tests/unit/test-precompiled.c checks every entry against a fresh
 * compile, byte for byte.
 */
#pragma once

#include <glib.h>
#include <linux/filter.h>

G_BEGIN_DECLS

typedef struct {
  const char *key;                 /* hex sha256, sbx_seccomp_key() */
  int stage;                       /* SbxStage */
  const char *libseccomp;          /* "major.minor.micro" it was compiled with */
  guint32 arch;                    /* seccomp_arch_native() it was compiled on */
  gsize n_instructions;            /* sbx prologue included */
  const struct sock_filter *instructions;
} SbxPrecompiled;

/* bpf/sbx-precompiled.c (generated) */
__attribute__ ((visibility ("hidden"))) extern const SbxPrecompiled sbx_precompiled_table[];
__attribute__ ((visibility ("hidden"))) extern const gsize sbx_precompiled_table_len;

G_END_DECLS
