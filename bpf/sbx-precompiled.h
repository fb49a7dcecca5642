/* sbx-precompiled.h — the built-in default profile's launch and lock
 * programs, compiled ahead of time: bpf/sbx-precompiled.c is generated into
 * the build folder at build time by bpf/gen-precompiled, with the tables of
 * this tree and the libseccomp installed (never committed).
 *
 * Compiling a program with libseccomp costs ~0.7 ms; sbx_program_new()
 * first looks the profile's key (sbx_program_key(): libseccomp version,
 * native arch, stage, bpf/ tables, the profile's seccomp part, the
 * compiler's own version) up here and takes the instructions as they are
 * on a match.  Any other key compiles (or is read from the user's cache).
 * tests/unit/test-precompiled.c checks every entry against a fresh
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
/* The highest call number the libseccomp of the build knew, or 0: where
 * libseccomp still knows that one and none of the next 64, it is the
 * answer of sbx_seccomp_max_known_syscall() without a scan. */
__attribute__ ((visibility ("hidden"))) extern const int sbx_precompiled_max_syscall;

/* The entry of @table for @key and @stage, or NULL (sbx-program.c). */
__attribute__ ((visibility ("hidden"))) const SbxPrecompiled *
sbx_precompiled_lookup (const SbxPrecompiled *table, gsize n_entries, const char *key, int stage);

G_END_DECLS
