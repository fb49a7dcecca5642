/* sbx-skeleton.h — the skeleton of a bwrap argv, and the first difference
 * between two (pure; sbx verify, attest/sbx-verify.c step_argv).
 *
 * The skeleton is the argv split into options with their arguments
 * (sbx_plan_option_nargs()), bwrap's path left out, and the values that
 * differ from run to run replaced by their shape:
 *   - fd numbers (--bind-fd, --ro-bind-fd, --seccomp, --add-seccomp-fd,
 *     --args, --file, --bind-data, --sync-fd …, and the exec gate's socket
 *     after "--") → "FD";
 *   - the source of a path bind onto a per-run place (/in, /out, /tmp,
 *     /dev/shm, /run/sbx/…) or of a mount sbx re-homed under its scratch
 *     point (…/mN) → "SRC";
 *   - --uid / --gid (the job's id mapping) → "ID";
 *   - the value of a kept variable (--setenv NAME VALUE, NAME in @kept) →
 *     "<kept>": kept values never belong in a comparison (nor a bundle).
 * Everything else — the options, their order, mount destinations, system
 * sources, set= values, the command — is compared exactly. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* (transfer full) The skeleton of @argv (bwrap first): one string per
 * option with its arguments ("--ro-bind-fd FD /usr"), arguments joined by
 * one space; the command after "--" is one last entry "-- ARG …".
 * @kept (nullable): names whose --setenv value is normalised. */
GPtrArray *sbx_argv_skeleton (const char *const *argv, const char *const *kept);

/* The first difference between the skeleton of @recorded and the
 * skeleton of @derived (what the profile gives), in words:
 * "adds “--bind / /host” (option 41), which the profile does not give",
 * "lacks “--unshare-all” (option 1 of the profile's)", or
 * "option 12 is “X”, the profile gives “Y”"; NULL when they are equal.
 * A kept variable the recorded argv does not set (the attesting host had
 * no value for it) is not a difference.  (transfer full) */
char *sbx_argv_skeleton_diff (const char *const *recorded, const char *const *derived, const char *const *kept);

G_END_DECLS
