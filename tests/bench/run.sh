#!/bin/sh
# tests/bench/run.sh — `make bench`: what sbx costs per job, measured side by
# side with raw bwrap and firejail on this machine (issue 5).
#
# Prints one table and writes bench-results.json in the build directory.
# Benchmarks, not tests: nothing here fails on a slow machine; the "met"
# column says which targets hold.  Exit status is 0 when every row could be
# measured (targets met or not), 1 when a row could not be measured at all.
#
#   B1  sbx run -- /bin/true  vs  raw bwrap, identical argv, same fds,
#       same helpers (sbx-init, sbx-exec) without the exec gate          ratio <= 1.20
#   B1.gate  the gate's own cost in ms: the replay with the gate (pairtime
#       answers it as sbx does) vs the replay without it                (report)
#   B2  profile -> launch + lock programs + argv, in-process            <= 500 us
#   B3  ns per syscall inside the sandbox, both programs vs none        ratio <= 1.05
#   B4  sbx attest, whole run (and per probe from the bundle)           <= 0.5 s
#   B5  sbx run -- /bin/true  vs  firejail ... /bin/true                ratio <= 0.4
#   B6  peak RSS of sbx just before it execs bwrap                      (report)
#
# How: tests/bench/pairtime runs A and B alternately (A B A B ...) after a
# warm-up and quotes the median of the per-pair ratios.  B1's baseline is the
# exact argv `sbx run` execs — captured by running sbx with --bwrap set to a
# symbolic link to tests/bench/bench-fakebwrap, which records its argv and
# open fds next to the link (sbx gives bwrap the job's environment only) —
# replayed on the real bwrap by pairtime, whose child opens the same things on
# the same fd numbers between fork and exec (the launch program written by
# `sbx compile`, O_PATH fds of the mount sources, a plain folder for /tmp and
# /dev/shm, the exec gate's socket) and applies the profile's rlimits.  The
# baseline runs the same helpers (sbx-init as pid 1, the static sbx-exec and
# its exec) but without the gate: its socket carries a one-instruction
# allow-all program, so nothing notifies.  So the baseline does the work
# bwrap, the helpers and the kernel do; the difference is what sbx itself
# adds (its own exec, profile, compile, memfds, opening, the noexec /tmp
# namespace, as root the job's user namespace and idmapped mounts, and the
# gate).  B1.gate isolates the gate: the replay with the gate program, pairtime
# answering the job's exec as sbx does, against the replay without it.
#
# Environment (set by `make bench` from TESTS_ENVIRONMENT): top_builddir,
# SBX, SBX_HELPER_DIR, BWRAP, SETPRIV, PYTHON3.  Knobs: BENCH_PAIRS (30),
# BENCH_WARMUP (3), BENCH_USERS ("root nobody" when root), BENCH_ONLY
# (e.g. "B1 B3"), BENCH_B3_PAIRS (BENCH_PAIRS, at least 20), BENCH_FIREJAIL_USER (an unprivileged
# account for B5: firejail refuses nobody), BENCH_NO_INSTALL=1 (do not apt-get install firejail).

set -u
LC_ALL=C
export LC_ALL

builddir=${top_builddir:-$(pwd)}
SBX=${SBX:-$builddir/sbx}
helperdir=${SBX_HELPER_DIR:-$builddir}
BWRAP=${BWRAP:-bwrap}
SETPRIV=${SETPRIV:-setpriv}
PYTHON3=${PYTHON3:-python3}
PAIRS=${BENCH_PAIRS:-30}
WARMUP=${BENCH_WARMUP:-3}
ONLY=${BENCH_ONLY:-B1 B2 B3 B4 B5 B6}
results=$builddir/bench-results.json
status=0

start_s=$(date +%s)
log () { printf 'bench [%4ss]: %s\n' "$(( $(date +%s) - start_s ))" "$*" >&2; }
die () { printf 'bench: error: %s\n' "$*" >&2; exit 1; }
wanted () { case " $ONLY " in *" $1 "*) return 0 ;; esac; return 1; }

case $BWRAP in /*) ;; *) BWRAP=$(command -v "$BWRAP") || die "bwrap not found (apt-get install bubblewrap)" ;; esac
[ -x "$SBX" ] || die "$SBX not built (run make first)"
for p in pairtime bench-syscall bench-fakebwrap bench-compile; do
  [ -x "$builddir/tests/bench/$p" ] || die "tests/bench/$p not built (make bench builds it)"
done

if [ "$(id -u)" = 0 ]; then
  USERS=${BENCH_USERS:-root nobody}
else
  USERS=${BENCH_USERS:-$(id -un)}
fi

# ------------------------------------------------------------ staging
# Everything the unprivileged user executes or reads lives in a 0755 temp
# folder: the build tree may sit where nobody cannot enter (/root/...).
work=$(mktemp -d "${TMPDIR:-/tmp}/sbx-bench.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP
stage=$work/stage
mkdir -p "$stage/job" "$work/tmpsrc" || die "cannot create $work"
chmod 0755 "$work" "$stage" "$stage/job" && chmod 1777 "$work/tmpsrc" || die "chmod in $work failed"
cp "$SBX" "$stage/sbx" || die "staging sbx failed"
for f in sbx-init sbx-exec sbx-probe sbx-attest; do
  if [ -e "$helperdir/$f" ]; then cp "$helperdir/$f" "$stage/$f" || die "staging $f failed"; fi
done
for p in pairtime bench-fakebwrap; do
  cp "$builddir/tests/bench/$p" "$stage/$p" || die "staging $p failed"
done
cp "$builddir/tests/bench/bench-syscall" "$stage/job/bench-syscall" || die "staging bench-syscall failed"
chmod -R a+rX "$stage" || die "chmod -R $stage failed"
SBX_HELPER_DIR=$stage
export SBX_HELPER_DIR
cd "$stage" || die "cd $stage"
for u in $USERS; do
  mkdir -p "$work/$u" && { [ "$u" = "$(id -un)" ] || chown "$u" "$work/$u"; } \
    || die "cannot prepare $work/$u for $u"
done

# Run "$@" as user $1 (setpriv from root; the same environment).
as_user () {
  u=$1; shift
  if [ "$u" = "$(id -un)" ]; then
    "$@"
  else
    "$SETPRIV" --reuid="$u" --regid="$(id -gn "$u" 2>/dev/null || echo nogroup)" --clear-groups "$@"
  fi
}

# r_KEY=VALUE from a tool's key=value output (numbers only).
load_kv () {
  for v in $(set | sed -n 's/^\(r_[a-z_]*\)=.*/\1/p'); do unset "$v"; done
  eval "$(printf '%s\n' "$1" | grep -E '^[a-z_]+=[-+0-9.eE]+$' | sed 's/^/r_/')"
}

fmt () { awk -v x="$1" -v d="${2:-2}" 'BEGIN { if (x == "") print "-"; else printf "%.*f\n", d, x }'; }
le () { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && a + 0 <= b + 0) }'; }
retry_note () { [ "${r_retries:-0}" -gt 0 ] 2>/dev/null && printf '; %s pair(s) re-run after a failed run' "$r_retries"; }
clean_note () { printf '%s' "$*" | tr '"\\\t\n' "'/  " | cut -c1-300; }

# ------------------------------------------------------------ result rows
rows=$work/rows.tsv
: > "$rows"
json_rows=$work/rows.json
: > "$json_rows"

# add_row ID USER WHAT UNIT MEDIAN MIN MAX RATIO RMIN RMAX ADDED TARGET MET NOTE
add_row () {
  for f in "$@"; do printf '%s\t' "$(printf '%s' "$f" | tr '\t\n' '  ')"; done | sed 's/\t$//' >> "$rows"
  printf '\n' >> "$rows"
  num () { if [ -n "$1" ]; then printf '%s' "$1"; else printf 'null'; fi; }
  [ -s "$json_rows" ] && printf ',\n' >> "$json_rows"
  printf '    {"id": "%s", "user": "%s", "what": "%s", "unit": "%s", "median": %s, "min": %s, "max": %s, "ratio": %s, "ratio_min": %s, "ratio_max": %s, "added": %s, "target": "%s", "met": "%s", "note": "%s"}' \
    "$1" "$2" "$(clean_note "$3")" "$4" "$(num "$5")" "$(num "$6")" "$(num "$7")" "$(num "$8")" \
    "$(num "$9")" "$(num "${10}")" "$(num "${11}")" "$(clean_note "${12}")" "${13}" "$(clean_note "${14}")" >> "$json_rows"
  log "$1 $2: median $5 $4, ratio ${8:--}, target ${12}, met: ${13}${14:+ — ${14}}"
}

# ------------------------------------------------------------ B1 inputs
launch=$work/launch.bpf
gate=$work/gate.bpf
if ! "$stage/sbx" compile --launch-bpf "$launch" --gate-bpf "$gate" > "$work/compile.out" 2>&1; then
  cat "$work/compile.out" >&2
  die "sbx compile --launch-bpf --gate-bpf failed"
fi
chmod 0644 "$launch" "$gate"

rl_opts=
for kv in $("$builddir/tests/bench/bench-compile" rlimits); do
  rl_opts="$rl_opts --rlimit $kv"
done

# capture_argv USER OUT SBX-RUN-ARGS...: the argv and fds `sbx run` execs.
# sbx runs bwrap through a link to the stand-in, in a folder of its own that
# the uid bwrap runs as can write (as root that is the job's uid, not root);
# the stand-in writes LINK.argv and LINK.argv.fds there.
capture_argv () {
  u=$1 out=$2; shift 2
  cap=$(mktemp -d "$work/capture.XXXXXX") && chmod 0777 "$cap" \
    && ln -s "$stage/bench-fakebwrap" "$cap/bwrap" || { log "cannot prepare $cap"; return 1; }
  rm -f "$out" "$out.fds"
  if ! as_user "$u" "$stage/sbx" run --bwrap "$cap/bwrap" "$@" > "$out.rss" 2> "$out.err"; then
    cat "$out.err" >&2
    return 1
  fi
  [ -s "$cap/bwrap.argv" ] || { log "sbx did not exec the stand-in bwrap (no $cap/bwrap.argv)"; return 1; }
  cp "$cap/bwrap.argv" "$out" && cp "$cap/bwrap.argv.fds" "$out.fds" && rm -rf "$cap" || return 1
  if [ "$(tr -cd '\n' < "$out" | wc -c)" != 0 ]; then
    log "the captured argv has a newline in an element; the replay cannot read it"
    return 1
  fi
}

# pair_vs_bwrap USER ARGVFILE PAIRTIME-OPTS... A-ARGV...: A vs the replayed argv.
pair_vs_bwrap () {
  u=$1 file=$2; shift 2
  set -- "$@" --vs "$BWRAP"
  tr '\0' '\n' < "$file" > "$file.lines"
  while IFS= read -r l; do set -- "$@" "$l"; done < "$file.lines"
  as_user "$u" "$stage/pairtime" "$@"
}

# pair_replays USER ARGVFILE PAIRTIME-OPTS...: the replayed argv against itself
# (--bwrap-fds-both; B-only options such as --no-gate make the difference).
pair_replays () {
  u=$1 file=$2; shift 2
  tr '\0' '\n' < "$file" > "$file.lines"
  set -- "$@" "$BWRAP"
  while IFS= read -r l; do set -- "$@" "$l"; done < "$file.lines"
  set -- "$@" --vs "$BWRAP"
  while IFS= read -r l; do set -- "$@" "$l"; done < "$file.lines"
  as_user "$u" "$stage/pairtime" "$@"
}

replay_opts="--bwrap-fds --launch $launch --gate $gate --helper-dir $stage --map /tmp=$work/tmpsrc --map /dev/shm=$work/tmpsrc --map /in=$stage/job"

# ------------------------------------------------------------ B1
if wanted B1; then
  for u in $USERS; do
    log "B1 $u: sbx run -- /bin/true vs raw bwrap with the identical argv ($PAIRS pairs)"
    av=$work/$u/b1.argv
    if ! capture_argv "$u" "$av" -- /bin/true; then
      add_row B1 "$u" "sbx run -- /bin/true vs raw bwrap" ms "" "" "" "" "" "" "" "<= 1.20" n/a "could not capture sbx's argv"
      status=1
      continue
    fi
    # The baseline's job must carry the same two programs as sbx's.
    filters="?"
    if capture_argv "$u" "$work/$u/b1-filters.argv" --in "$stage/job" -- /in/bench-syscall filters \
       && out=$(pair_vs_bwrap "$u" "$work/$u/b1-filters.argv" -n 1 -w 0 --metric $replay_opts $rl_opts \
                  --no-gate "$stage/sbx" run --in "$stage/job" -- /in/bench-syscall filters); then
      load_kv "$out"
      filters="$(fmt "$r_a_median" 0) under sbx, $(fmt "$r_b_median" 0) under the replay"
    fi
    # The replayed argv must be the one --dry-run shows (DESIGN §6).
    same=no
    dry=$(as_user "$u" "$stage/sbx" run --dry-run -- /bin/true 2>/dev/null | head -n 1)
    if [ -n "$dry" ] && eval "set -- $dry" 2>/dev/null; then
      shift
      # --dry-run shows a kept variable's value as <kept> (it never shows
      # values); the captured argv has the value itself in that place.
      printf '%s\0' "$@" | tr '\0' '\n' >"$work/$u/b1.dry"
      tr '\0' '\n' <"$av" | awk -v dry="$work/$u/b1.dry" '
        { if ((getline d < dry) <= 0) exit 1
          if (d != $0 && !(d == "<kept>" && p2 == "--setenv")) exit 1
          p2 = p1; p1 = $0 }
        END { if ((getline d < dry) > 0) exit 1 }' && same=yes
    fi
    if out=$(pair_vs_bwrap "$u" "$av" -n "$PAIRS" -w "$WARMUP" $replay_opts $rl_opts --no-gate \
               --label-a "sbx run" --label-b "raw bwrap" "$stage/sbx" run -- /bin/true); then
      load_kv "$out"
      met=no; le "$r_ratio_median" 1.20 && met=yes
      add_row B1 "$u" "sbx run -- /bin/true vs raw bwrap (identical argv, same fds, same helpers sbx-init + sbx-exec, no gate)" ms \
        "$(fmt "$r_a_median")" "$(fmt "$r_a_min")" "$(fmt "$r_a_max")" \
        "$(fmt "$r_ratio_median" 3)" "$(fmt "$r_ratio_min" 3)" "$(fmt "$r_ratio_max" 3)" \
        "$(fmt "$r_diff_median")" "<= 1.20" "$met" "raw bwrap median $(fmt "$r_b_median") ms; replayed argv identical to sbx run --dry-run: $same; seccomp filters on a job: $filters$(retry_note)"
      b1_bwrap_ms=$r_b_median
      # The gate's own cost: the same replay with the gate (its program on
      # the socket, pairtime answering the job's exec as sbx does) against
      # the replay without it.
      if out=$(pair_replays "$u" "$av" -n "$PAIRS" -w "$WARMUP" --bwrap-fds-both $replay_opts $rl_opts \
                 --no-gate --label-a "raw bwrap + gate" --label-b "raw bwrap, no gate"); then
        load_kv "$out"
        add_row B1.gate "$u" "the exec gate's own cost: replay with the gate (program installed with a listener, job's exec answered CONTINUE) vs the same replay without it" ms \
          "$(fmt "$r_a_median")" "$(fmt "$r_a_min")" "$(fmt "$r_a_max")" \
          "$(fmt "$r_ratio_median" 3)" "$(fmt "$r_ratio_min" 3)" "$(fmt "$r_ratio_max" 3)" \
          "$(fmt "$r_diff_median" 3)" "-" info \
          "gate's own cost = added: median $(fmt "$r_diff_median" 3) ms (min $(fmt "$r_diff_min" 3), max $(fmt "$r_diff_max" 3)); without the gate $(fmt "$r_b_median") ms$(retry_note)"
      else
        add_row B1.gate "$u" "the exec gate's own cost" ms "" "" "" "" "" "" "" "-" n/a "a run failed: $out"
        status=1
      fi
      # Attribution: the same replay, but the baseline also mounts the noexec
      # tmpfs in a namespace of its own, as sbx does for /tmp.
      if out=$(pair_vs_bwrap "$u" "$av" -n "$PAIRS" -w "$WARMUP" $replay_opts $rl_opts --no-gate --tmpfs-ns 64M \
                 --label-a "sbx run" --label-b "raw bwrap + tmpfs namespace" "$stage/sbx" run -- /bin/true); then
        load_kv "$out"
        add_row B1.ns "$u" "sbx run vs raw bwrap that also prepares the noexec /tmp namespace" ms \
          "$(fmt "$r_a_median")" "$(fmt "$r_a_min")" "$(fmt "$r_a_max")" \
          "$(fmt "$r_ratio_median" 3)" "$(fmt "$r_ratio_min" 3)" "$(fmt "$r_ratio_max" 3)" \
          "$(fmt "$r_diff_median")" "-" info \
          "baseline with the namespace $(fmt "$r_b_median") ms vs $(fmt "$b1_bwrap_ms") ms without: what remains is sbx's own exec and set-up$(retry_note)"
      fi
      # Attribution: sbx alone, up to its exec of bwrap — the stand-in bwrap
      # exits at once — against starting the stand-in directly.
      if out=$(as_user "$u" "$stage/pairtime" -n "$PAIRS" -w "$WARMUP" --label-a "sbx + stand-in" \
                 --label-b "stand-in" "$stage/sbx" run --bwrap "$stage/bench-fakebwrap" -- /bin/true \
                 --vs "$stage/bench-fakebwrap" -- /bin/true); then
        load_kv "$out"
        add_row B1.self "$u" "sbx itself up to the exec of bwrap (bwrap replaced by a stand-in that exits at once) vs the stand-in alone" ms \
          "$(fmt "$r_a_median")" "$(fmt "$r_a_min")" "$(fmt "$r_a_max")" \
          "$(fmt "$r_ratio_median" 3)" "$(fmt "$r_ratio_min" 3)" "$(fmt "$r_ratio_max" 3)" \
          "$(fmt "$r_diff_median")" "-" info \
          "added = sbx's exec, dynamic loading, locale, profile, programs, opens, namespace, rlimits; stand-in alone $(fmt "$r_b_median") ms$(retry_note)"
      fi
    else
      add_row B1 "$u" "sbx run -- /bin/true vs raw bwrap" ms "" "" "" "" "" "" "" "<= 1.20" n/a "a run failed: $out"
      status=1
    fi
  done
fi

# ------------------------------------------------------------ B2
if wanted B2; then
  log "B2: in-process compile, default profile -> launch + lock + argv (2000 iterations)"
  if out=$("$builddir/tests/bench/bench-compile" compile 2000); then
    load_kv "$out"
    met=no; le "$r_total_median_us" 500 && met=yes
    add_row B2 "$(id -un)" "profile -> launch + lock programs + argv, per compile" us \
      "$(fmt "$r_total_median_us" 1)" "$(fmt "$r_total_min_us" 1)" "$(fmt "$r_total_max_us" 1)" "" "" "" "" \
      "<= 500 us" "$met" "default profile (programs precompiled into the library); medians: parse $(fmt "$r_parse_median_us" 1), launch $(fmt "$r_launch_median_us" 1), lock $(fmt "$r_lock_median_us" 1), argv $(fmt "$r_argv_median_us" 1) us; $r_iterations iterations"
  else
    add_row B2 "$(id -un)" "profile -> launch + lock programs + argv" us "" "" "" "" "" "" "" "<= 500 us" n/a "bench-compile failed"
    status=1
  fi
  log "B2.custom: the same for a non-default profile (errno=EACCES: compiled once, then read from the program cache), 1000 iterations"
  b2_cache=$(mktemp -d "${TMPDIR:-/tmp}/sbx-bench-cache.XXXXXX")
  if out=$(XDG_CACHE_HOME=$b2_cache "$builddir/tests/bench/bench-compile" custom 1000); then
    load_kv "$out"
    met=no; le "$r_total_median_us" 500 && met=yes
    add_row B2.custom "$(id -un)" "the same, profile not precompiled ([seccomp] errno=EACCES): compiled on the first run, then from \$XDG_CACHE_HOME/sbxprofile" us \
      "$(fmt "$r_total_median_us" 1)" "$(fmt "$r_total_min_us" 1)" "$(fmt "$r_total_max_us" 1)" "" "" "" "" \
      "<= 500 us" "$met" "medians: parse $(fmt "$r_parse_median_us" 1), launch $(fmt "$r_launch_median_us" 1), lock $(fmt "$r_lock_median_us" 1), argv $(fmt "$r_argv_median_us" 1) us"
  else
    add_row B2.custom "$(id -un)" "profile not precompiled" us "" "" "" "" "" "" "" "<= 500 us" n/a "bench-compile custom failed"
    status=1
  fi
  rm -rf "$b2_cache"
  log "B2.prep: sbx_sandbox_new + sbx_sandbox_prepare(DRY_RUN), 300 iterations"
  if out=$("$builddir/tests/bench/bench-compile" prepare 300); then
    load_kv "$out"
    add_row B2.prep "$(id -un)" "sbx_sandbox_new + prepare(DRY_RUN): programs, bwrap features, resolve, open, argv" us \
      "$(fmt "$r_total_median_us" 1)" "$(fmt "$r_total_min_us" 1)" "$(fmt "$r_total_max_us" 1)" "" "" "" "" "-" info \
      "new $(fmt "$r_new_median_us" 1) us, prepare $(fmt "$r_prepare_median_us" 1) us"
  fi
fi

# ------------------------------------------------------------ B3
if wanted B3; then
  u=$(id -un)
  B3_PAIRS=${BENCH_B3_PAIRS:-$PAIRS}
  [ "$B3_PAIRS" -ge 20 ] 2>/dev/null || B3_PAIRS=20
  # What each side carries: seccomp programs on the job (2 = launch + lock).
  filters="?"
  if capture_argv "$u" "$work/$u/b3-filters.argv" --in "$stage/job" -- /in/bench-syscall filters \
     && out=$(pair_vs_bwrap "$u" "$work/$u/b3-filters.argv" -n 1 -w 0 --metric $replay_opts $rl_opts \
                --strip-seccomp --strip-lock "$stage/sbx" run --in "$stage/job" -- /in/bench-syscall filters); then
    load_kv "$out"
    filters="seccomp filters on the job: sbx $(fmt "$r_a_median" 0), baseline $(fmt "$r_b_median" 0)"
  fi
  for loop in getppid pipe; do
    log "B3 $loop: ns per call in the sandbox, both programs vs no seccomp ($B3_PAIRS pairs)"
    av=$work/$u/b3-$loop.argv
    if ! capture_argv "$u" "$av" --in "$stage/job" -- /in/bench-syscall "$loop" 100000; then
      add_row "B3.$loop" "$u" "$loop ns per call" ns "" "" "" "" "" "" "" "<= 1.05" n/a "could not capture sbx's argv"
      status=1
      continue
    fi
    if out=$(pair_vs_bwrap "$u" "$av" -n "$B3_PAIRS" -w 1 --metric $replay_opts $rl_opts \
               --strip-seccomp --strip-lock --label-a "sbx run" --label-b "bwrap without seccomp" \
               "$stage/sbx" run --in "$stage/job" -- /in/bench-syscall "$loop" 100000); then
      load_kv "$out"
      met=no; le "$r_ratio_median" 1.05 && met=yes
      add_row "B3.$loop" "$u" "$loop: ns per call, launch+lock filters vs same sandbox without seccomp" ns \
        "$(fmt "$r_a_median" 1)" "$(fmt "$r_a_min" 1)" "$(fmt "$r_a_max" 1)" \
        "$(fmt "$r_ratio_median" 3)" "$(fmt "$r_ratio_min" 3)" "$(fmt "$r_ratio_max" 3)" \
        "$(fmt "$r_diff_median" 1)" "<= 1.05" "$met" "without seccomp $(fmt "$r_b_median" 1) ns; fastest of 16 batches per run; $filters$(retry_note)"
    else
      add_row "B3.$loop" "$u" "$loop ns per call" ns "" "" "" "" "" "" "" "<= 1.05" n/a "a run failed: $out"
      status=1
    fi
  done
fi

# ------------------------------------------------------------ B4
if wanted B4; then
  for u in $USERS; do
    n4=5
    log "B4 $u: sbx attest, whole run ($n4 runs after 1 warm-up)"
    ev=$work/$u/evidence.json
    if out=$(as_user "$u" "$stage/pairtime" -n "$n4" -w 1 --any-status \
               "$stage/sbx" attest --evidence "$ev"); then
      load_kv "$out"
      per=
      final=?
      if [ -s "$ev" ] && command -v "$PYTHON3" > /dev/null 2>&1; then
        per=$("$PYTHON3" - "$ev" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
probes = doc.get("probes", [])
parts = []
for p in sorted(probes, key=lambda p: -int(p.get("duration_ms", 0))):
    sb = p.get("sandbox", {}).get("duration_ms", "?")
    ct = p.get("control", {}).get("duration_ms", "?")
    parts.append("%s %s ms (sandbox %s, control %s)" % (p.get("id"), p.get("duration_ms"), sb, ct))
print("final_status " + str(doc.get("final_status")) + "; per probe: " + "; ".join(parts))
EOF
)
        cp "$ev" "$builddir/bench-evidence-$u.json" 2>/dev/null
      fi
      met=no; le "$r_a_median" 500 && met=yes
      add_row B4 "$u" "sbx attest, default profile, whole run" ms \
        "$(fmt "$r_a_median" 1)" "$(fmt "$r_a_min" 1)" "$(fmt "$r_a_max" 1)" "" "" "" "" "<= 500 ms" "$met" \
        "${per:-no per-probe figures (no bundle or no python3)}"
    else
      add_row B4 "$u" "sbx attest, whole run" ms "" "" "" "" "" "" "" "<= 500 ms" n/a "attest failed: $out"
      status=1
    fi
  done
fi

# ------------------------------------------------------------ B5
if wanted B5; then
  FIREJAIL=$(command -v firejail 2>/dev/null)
  fj_note=
  if [ -z "$FIREJAIL" ] && [ "$(id -u)" = 0 ] && [ "${BENCH_NO_INSTALL:-0}" != 1 ]; then
    log "B5: firejail is absent; installing it with apt-get (as root)"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q firejail > "$work/apt.log" 2>&1; then
      DEBIAN_FRONTEND=noninteractive apt-get update -q > /dev/null 2>&1
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q firejail > "$work/apt.log" 2>&1
    fi
    FIREJAIL=$(command -v firejail 2>/dev/null)
    [ -n "$FIREJAIL" ] || fj_note="apt-get install firejail failed: $(tail -n 2 "$work/apt.log")"
  elif [ -z "$FIREJAIL" ]; then
    fj_note="firejail is not installed and this is not root (or BENCH_NO_INSTALL=1): apt-get install firejail"
  fi
  # firejail never lets user nobody in (firejail-users(5)); BENCH_FIREJAIL_USER
  # names another unprivileged account to use instead.
  b5_users=$(printf '%s\n' $USERS | sed "s/^nobody\$/${BENCH_FIREJAIL_USER:-nobody}/")
  for u in $b5_users; do
    if [ "$u" != nobody ] && [ "$u" != "$(id -un)" ] && ! [ -d "$work/$u" ]; then
      mkdir -p "$work/$u" && chown "$u" "$work/$u"
    fi
    if [ -z "$FIREJAIL" ]; then
      add_row B5 "$u" "sbx run -- /bin/true vs firejail" ms "" "" "" "" "" "" "" "<= 0.40" n/a "$fj_note"
      continue
    fi
    log "B5 $u: sbx run -- /bin/true vs firejail --noprofile --net=none --private --caps.drop=all --seccomp /bin/true ($PAIRS pairs)"
    if out=$(as_user "$u" "$stage/pairtime" -n "$PAIRS" -w "$WARMUP" --label-a "sbx run" --label-b firejail \
               "$stage/sbx" run -- /bin/true \
               --vs "$FIREJAIL" --noprofile --net=none --private --caps.drop=all --seccomp /bin/true 2>&1); then
      load_kv "$out"
      met=no; le "$r_ratio_median" 0.40 && met=yes
      add_row B5 "$u" "sbx run -- /bin/true vs firejail --noprofile --net=none --private --caps.drop=all --seccomp" ms \
        "$(fmt "$r_a_median")" "$(fmt "$r_a_min")" "$(fmt "$r_a_max")" \
        "$(fmt "$r_ratio_median" 3)" "$(fmt "$r_ratio_min" 3)" "$(fmt "$r_ratio_max" 3)" \
        "$(fmt "$r_diff_median")" "<= 0.40" "$met" "firejail median $(fmt "$r_b_median") ms ($($FIREJAIL --version 2>/dev/null | head -n 1))$(retry_note)"
    else
      why=$(printf '%s\n' "$out" | grep -v '^error=\|^pairtime:' | head -n 1)
      [ "$u" = nobody ] && why="$why (firejail-users(5): root is allowed by default, user nobody is never allowed; set BENCH_FIREJAIL_USER to another unprivileged account)"
      add_row B5 "$u" "sbx run -- /bin/true vs firejail" ms "" "" "" "" "" "" "" "<= 0.40" n/a \
        "firejail could not run here as $u: $why"
    fi
  done
fi

# ------------------------------------------------------------ B6
if wanted B6; then
  for u in $USERS; do
    log "B6 $u: peak RSS of sbx just before it execs bwrap (5 runs)"
    vals=
    own=
    for i in 1 2 3 4 5; do
      r=$(as_user "$u" "$stage/sbx" run --bwrap "$stage/bench-fakebwrap" -- /bin/true 2>/dev/null) || { vals=; break; }
      load_kv "$(printf '%s\n' "$r" | tr ' ' '\n')"
      vals="$vals $r_peak_rss_kb"
      own=$r_own_hwm_kb
    done
    dry=$(as_user "$u" /usr/bin/time -f '%M' "$stage/sbx" run --dry-run -- /bin/true 2>&1 >/dev/null | tail -n 1)
    bw=$(as_user "$u" /usr/bin/time -f '%M' "$BWRAP" --version 2>&1 >/dev/null | tail -n 1)
    if [ -n "$vals" ]; then
      set -- $(printf '%s\n' $vals | sort -n)
      add_row B6 "$u" "peak RSS of sbx before the exec of bwrap (ru_maxrss across execve)" KiB \
        "$3" "$1" "$5" "" "" "" "" report info \
        "measured in a stand-in bwrap whose own RSS is ${own} KiB; for scale: /usr/bin/time %M of sbx run --dry-run ${dry} KiB, of bwrap --version ${bw} KiB"
    else
      add_row B6 "$u" "peak RSS of sbx before the exec" KiB "" "" "" "" "" "" "" report n/a \
        "sbx run --bwrap stand-in failed; /usr/bin/time %M of sbx run --dry-run: ${dry} KiB"
      status=1
    fi
  done
fi

# ------------------------------------------------------------ report
machine="$(uname -srm), $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
os=$( (. /etc/os-release 2>/dev/null && printf '%s' "$PRETTY_NAME") || uname -o)
bwv=$("$BWRAP" --version 2>/dev/null | head -n 1)
sbxv=$("$stage/sbx" --version 2>/dev/null | tr '\n' ' ')
when=$(date -u +%Y-%m-%dT%H:%M:%SZ)

{
  printf '{\n  "schema": "sbxprofile.bench/1",\n  "date": "%s",\n' "$when"
  printf '  "machine": "%s",\n  "os": "%s",\n' "$(clean_note "$machine")" "$(clean_note "$os")"
  printf '  "bwrap": "%s",\n  "sbx": "%s",\n' "$(clean_note "$bwv")" "$(clean_note "$sbxv")"
  printf '  "pairs": %s,\n  "warmup": %s,\n  "rows": [\n' "$PAIRS" "$WARMUP"
  cat "$json_rows"
  printf '\n  ]\n}\n'
} > "$results" || die "cannot write $results"

printf '\nsbx benchmarks — %s\n%s; %s; %s\n' "$when" "$machine" "$os" "$bwv"
printf 'timings: median over %s alternating pairs after %s warm-up pairs; ratio = median of per-pair A/B\n\n' "$PAIRS" "$WARMUP"
printf '%-10s %-9s %-10s %-21s %-21s %-9s %-10s %-4s\n' id user median "min-max" "ratio (min-max)" added target met
awk -F '\t' '{
  mm = ($6 == "" ? "-" : $6 "-" $7)
  ra = ($8 == "" ? "-" : $8 " (" $9 "-" $10 ")")
  printf "%-10s %-9s %-10s %-21s %-21s %-9s %-10s %-4s\n", $1, $2, ($5 == "" ? "-" : $5 " " $4), mm, ra, ($11 == "" ? "-" : $11), $12, $13
}' "$rows"
printf '\nnotes:\n'
awk -F '\t' '{ printf "  %-10s %-9s %s%s\n", $1, $2, $3, ($14 == "" ? "" : ": " $14) }' "$rows"
printf '\nresults: %s\n' "$results"
exit $status
