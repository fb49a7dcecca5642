/* sbx-bpf-sim.h — a small classic-BPF interpreter for seccomp programs, so
 * that sbx attest can say what the compiled launch and lock programs answer
 * for a system call, without asking the compiler that made them (STYLE 13:
 * it links nothing from lib/; libseccomp's scmp_bpf_sim is the model).
 *
 * A program is the raw bytes handed to the kernel: 8-byte instructions
 * { u16 code; u8 jt; u8 jf; u32 k } in host byte order. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The kernel's struct seccomp_data, as the program reads it. */
typedef struct {
  guint32 nr;
  guint32 arch;
  guint64 instruction_pointer;
  guint64 args[6];
} SbxBpfData;

/* Runs @program (@length bytes) on @data.  Returns TRUE with the value of
 * the RET instruction reached in *@action; FALSE with a reason in @error
 * (a malformed program: bad length, unknown opcode, a load outside
 * seccomp_data, a jump past the end, no RET reached). */
gboolean sbx_bpf_sim_run (const guint8 *program, gsize length, const SbxBpfData *data,
                          guint32 *action, GError **error);

/* The action the kernel takes when several filters answer (the newest
 * filter first in @actions): the most restrictive one; among equally
 * restrictive ones, the newest (kernel/seccomp.c seccomp_run_filters). */
guint32 sbx_bpf_sim_combine (const guint32 *actions, gsize n);

G_END_DECLS
