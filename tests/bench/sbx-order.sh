#!/bin/sh
# sbx-order.sh — regenerate cli/sbx.order, the order in which the linker
# lays out the functions `sbx run` executes (a maintainer's tool; needs
# valgrind, not run by make).
#
#   tests/bench/sbx-order.sh SRCDIR > cli/sbx.order
#
# Why: on a virtual machine each page of code a new process touches costs
# several microseconds, and sbx's run path (glibc's start-up, GLib, the
# library) is spread over ~160 of the ~330 pages of its text.  Packed
# together by ld.lld's --symbol-ordering-file (configure uses it when lld
# is there), the same code fits in far fewer pages: benchmark B1 measured
# sbx run -- /bin/true 0.25-0.34 ms faster (paired runs, 150 pairs).  A
# stale list only costs speed: a name that no longer exists is skipped.
#
# What: callgrind records every function executed by `sbx run -- /bin/true`
# (as the current user, and as nobody when root) and `sbx run --dry-run`,
# in an sbx built here with -DSBX_SPAWN_WITH_FORK (valgrind cannot follow
# the CLONE_VM child; the forked one runs the same code);
# glibc's start-up before main, which callgrind does not see, is listed by
# hand first; the AVX2 string functions callgrind's CPU picks get their
# EVEX twins (what glibc's ifunc picks on AVX-512 hosts).  Only names the
# linked sbx defines are kept, in first-seen order.
set -eu
LC_ALL=C
export LC_ALL

src=$(cd "${1:?usage: sbx-order.sh SRCDIR}" && pwd)
command -v valgrind >/dev/null || { echo "sbx-order.sh: needs valgrind" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/sbx-order.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/build" "$work/run"
echo "sbx-order.sh: building sbx with -DSBX_SPAWN_WITH_FORK in $work/build" >&2
(cd "$work/build" && "$src/configure" -q CPPFLAGS=-DSBX_SPAWN_WITH_FORK >/dev/null \
   && make -s -j"$(nproc)" >/dev/null 2>&1) \
  || { echo "sbx-order.sh: the build failed" >&2; exit 1; }
for f in sbx sbx-init sbx-exec; do cp "$work/build/$f" "$work/run/$f"; done
chmod -R a+rX "$work"
chmod 0777 "$work/run"

profile () { # OUT [setpriv args] -- sbx args
  out=$1; shift
  valgrind -q --tool=callgrind --callgrind-out-file="$out" "$@" >/dev/null 2>&1 || true
}
profile "$work/run/run.%p.cg" "$work/run/sbx" run -- /bin/true
profile "$work/run/dry.%p.cg" "$work/run/sbx" run --dry-run -- /bin/true
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  profile "$work/run/nobody.%p.cg" setpriv --reuid=nobody --regid=nogroup --clear-groups \
    "$work/run/sbx" run -- /bin/true
fi

nm "$work/run/sbx" | awk '$2 ~ /^[tTwWiI]$/ { print $3 }' | sort -u > "$work/defined"
for cg in "$work"/run/*.cg; do
  [ -s "$cg" ] || continue
  sed -n -E "s/^c?fn=\([0-9]+\) (.*)/\1/p" "$cg" | sed -E "s/'[0-9]+\$//"
done > "$work/seen"
{
  # glibc's static start-up, before main (callgrind starts at main), and
  # the spawn child of a normal build, which starts with clone(), not fork()
  printf '%s\n' _start __libc_start_main_impl __libc_start_call_main _dl_relocate_static_pie \
    _dl_aux_init __tunables_init __libc_init_secure init_cpu_features update_active.constprop.0 \
    get_common_indices.constprop.0 get_extended_indices.constprop.0 handle_amd handle_intel \
    intel_check_word.constprop.0 dl_init_cacheinfo __libc_setup_tls _dl_non_dynamic_init \
    __libc_init_first _dl_protect_relro clone __clone spawn_child
  # the ifunc resolvers glibc runs before main (the IRELATIVE relocations)
  for a in $(readelf -rW "$work/run/sbx" | awk '/IRELATIVE/ { print $4 }'); do
    nm "$work/run/sbx" | awk -v a="$a" '$1 ~ "^0*" a "$" && $2 ~ /^[iItT]$/ { print $3; exit }'
  done
  {
    cat "$work/seen"
    # what valgrind cannot run (open_tree, a capped RLIMIT_NOFILE, the
    # seccomp listener): all of the spawn child's and the supervisor's own
    # files, and what they call
    for o in $(find "$work/build" -name '*sbx-supervise.o' -o -name '*sbx-tmpfs.o' \
                 -o -name '*sbx-jobuid.o' -o -name '*sbx-gate.o' | sort); do
      nm "$o" | awk '$2 ~ /^[tT]$/ { print $3 }'
      nm -u "$o" | awk '{ print $2 }'
    done
    sed -n -E 's/_avx2(_[a-z_]+)?$/_evex\1/p; s/_avx2?_unaligned_erms$/_avx512_unaligned_erms/p' "$work/seen"
  } | grep -Fx -f "$work/defined"
} | awk '!seen[$0]++'
