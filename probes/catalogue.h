/* catalogue.h — the probe catalogue (DESIGN §4) as data, shared by the
 * probe program, the profile validator ([attest] required) and attestation.
 * Plain C, no GLib: sbx-probe is libc-only. */
#pragma once

typedef struct {
  const char *id;        /* "PR-NET-1" */
  const char *property;  /* what a PASS proves, in words */
  int required;          /* 1: in the default [attest] required list */
  const char *host_check; /* the check sbx attest makes on the host after both runs (its
                             name in the evidence), or 0: the probe's verdict rests on it too */
} SbxProbeInfo;

extern const SbxProbeInfo sbx_probe_catalogue[];
extern const unsigned sbx_probe_catalogue_size;

/* The variables sbx attest plants in its own environment before the
 * sandbox run: a canary with the run's nonce, and secret-looking decoys.
 * A profile that keeps one of them fails PR-ENV-1 (`sbx check` warns). */
#define SBX_ATTEST_CANARY_ENV "SBX_ATTEST_CANARY"
extern const char *const sbx_attest_secret_env_names[]; /* NULL-terminated */

/* The entry for @id, or NULL. */
const SbxProbeInfo *sbx_probe_catalogue_find (const char *id);
