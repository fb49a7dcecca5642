/* sbx-precompiled-none.c — an empty precompiled table, linked into
 * bpf/gen-precompiled in place of the bpf/sbx-precompiled.c it writes: the
 * generator compiles every program itself (sbx_program_new_compiled()). */
#include "config.h"

#include "sbx-precompiled.h"

const SbxPrecompiled sbx_precompiled_table[] = { { NULL, 0, NULL, 0, 0, NULL } };
const gsize sbx_precompiled_table_len = 0;
const int sbx_precompiled_max_syscall = 0;
