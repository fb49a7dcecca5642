/* sbx-bpf-sim.c — classic BPF as the kernel runs it for seccomp
 * (sbx-bpf-sim.h).  Only what seccomp accepts: 32-bit absolute loads from
 * seccomp_data, immediates, the 16-word scratch memory, ALU, jumps, RET. */
#include "config.h"

#include "sbx-bpf-sim.h"

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>

#define SIM_ERROR (g_quark_from_static_string ("sbx-bpf-sim"))

static gboolean
fail (GError **error, guint pc, const char *what)
{
  g_set_error (error, SIM_ERROR, 1, "instruction %u: %s", pc, what);
  return FALSE;
}

static gboolean
load (const SbxBpfData *data, guint32 off, guint32 *out)
{
  guint8 raw[sizeof (SbxBpfData)];

  /* the kernel's layout: nr, arch, ip, args — no padding on any ABI */
  memcpy (raw, &data->nr, 4);
  memcpy (raw + 4, &data->arch, 4);
  memcpy (raw + 8, &data->instruction_pointer, 8);
  memcpy (raw + 16, data->args, 48);
  if (off % 4 != 0 || off + 4 > 64)
    return FALSE;
  memcpy (out, raw + off, 4);
  return TRUE;
}

static gboolean
alu (guint16 op, guint32 *a, guint32 v)
{
  switch (op)
    {
    case BPF_ADD: *a += v; return TRUE;
    case BPF_SUB: *a -= v; return TRUE;
    case BPF_MUL: *a *= v; return TRUE;
    case BPF_DIV: if (v == 0) return FALSE; *a /= v; return TRUE;
    case BPF_MOD: if (v == 0) return FALSE; *a %= v; return TRUE;
    case BPF_AND: *a &= v; return TRUE;
    case BPF_OR: *a |= v; return TRUE;
    case BPF_XOR: *a ^= v; return TRUE;
    case BPF_LSH: *a = v >= 32 ? 0 : *a << v; return TRUE;
    case BPF_RSH: *a = v >= 32 ? 0 : *a >> v; return TRUE;
    case BPF_NEG: *a = -*a; return TRUE;
    default: return FALSE;
    }
}

gboolean
sbx_bpf_sim_run (const guint8 *program, gsize length, const SbxBpfData *data, guint32 *action,
                 GError **error)
{
  guint32 a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
  gsize n = length / sizeof (struct sock_filter);

  if (length == 0 || length % sizeof (struct sock_filter) != 0 || n > BPF_MAXINSNS)
    return fail (error, 0, "length is not a whole number of instructions (1…4096)");
  for (guint pc = 0; pc < n; pc++)
    {
      struct sock_filter f;
      guint32 v;

      memcpy (&f, program + pc * sizeof f, sizeof f);
      switch (BPF_CLASS (f.code))
        {
        case BPF_LD:
          if (f.code == (BPF_LD | BPF_W | BPF_ABS))
            {
              if (!load (data, f.k, &a))
                return fail (error, pc, "load outside seccomp_data");
            }
          else if (f.code == (BPF_LD | BPF_IMM))
            a = f.k;
          else if (f.code == (BPF_LD | BPF_MEM) && f.k < BPF_MEMWORDS)
            a = mem[f.k];
          else if (f.code == (BPF_LD | BPF_W | BPF_LEN))
            a = sizeof (SbxBpfData);
          else
            return fail (error, pc, "unsupported load");
          break;
        case BPF_LDX:
          if (f.code == (BPF_LDX | BPF_IMM))
            x = f.k;
          else if (f.code == (BPF_LDX | BPF_MEM) && f.k < BPF_MEMWORDS)
            x = mem[f.k];
          else if (f.code == (BPF_LDX | BPF_W | BPF_LEN))
            x = sizeof (SbxBpfData);
          else
            return fail (error, pc, "unsupported load into X");
          break;
        case BPF_ST:
        case BPF_STX:
          if (f.k >= BPF_MEMWORDS)
            return fail (error, pc, "store outside the scratch memory");
          mem[f.k] = BPF_CLASS (f.code) == BPF_ST ? a : x;
          break;
        case BPF_ALU:
          v = BPF_SRC (f.code) == BPF_X ? x : f.k;
          if (!alu (BPF_OP (f.code), &a, v))
            return fail (error, pc, "unsupported or dividing ALU operation");
          break;
        case BPF_JMP:
          {
            gboolean taken;

            if (BPF_OP (f.code) == BPF_JA)
              {
                if ((gsize) pc + 1 + f.k >= n)
                  return fail (error, pc, "jump past the end");
                pc += f.k;
                break;
              }
            v = BPF_SRC (f.code) == BPF_X ? x : f.k;
            switch (BPF_OP (f.code))
              {
              case BPF_JEQ: taken = a == v; break;
              case BPF_JGT: taken = a > v; break;
              case BPF_JGE: taken = a >= v; break;
              case BPF_JSET: taken = (a & v) != 0; break;
              default: return fail (error, pc, "unsupported jump");
              }
            if ((gsize) pc + 1 + (taken ? f.jt : f.jf) >= n)
              return fail (error, pc, "jump past the end");
            pc += taken ? f.jt : f.jf;
            break;
          }
        case BPF_RET:
          if (BPF_RVAL (f.code) == BPF_K)
            *action = f.k;
          else if (BPF_RVAL (f.code) == BPF_A)
            *action = a;
          else
            return fail (error, pc, "unsupported return");
          return TRUE;
        case BPF_MISC:
          if (BPF_MISCOP (f.code) == BPF_TAX)
            x = a;
          else if (BPF_MISCOP (f.code) == BPF_TXA)
            a = x;
          else
            return fail (error, pc, "unsupported misc operation");
          break;
        default:
          return fail (error, pc, "unknown instruction class");
        }
    }
  return fail (error, (guint) n, "the program ends without a return");
}

guint32
sbx_bpf_sim_combine (const guint32 *actions, gsize n)
{
  guint32 best = SECCOMP_RET_ALLOW;

  /* kernel: ACTION_ONLY(ret) = (s32)(ret & SECCOMP_RET_ACTION_FULL); the
   * smallest signed value wins, the first seen on a tie */
  for (gsize i = 0; i < n; i++)
    if (i == 0 || (gint32) (actions[i] & SECCOMP_RET_ACTION_FULL) < (gint32) (best & SECCOMP_RET_ACTION_FULL))
      best = actions[i];
  return best;
}
