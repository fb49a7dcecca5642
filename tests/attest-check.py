#!/usr/bin/env python3
"""attest-check.py — an independent reader of the evidence of `sbx attest` for
the attest tests (tests/3N-attest-*.sh).  It shares no code with sbx.  A DSSE
envelope (what sbx attest writes) is opened here: its in-toto statement's
predicate is the evidence; an old sbxprofile.evidence/1 bundle has its
digest recomputed from the rules in probes/EVIDENCE.md.

  attest-check.py check BUNDLE STATUS [FAIL_ID...]
      The bundle's digest recomputes; final_status is STATUS; the probes with
      verdict FAIL are exactly FAIL_ID...; every other required probe PASSes
      with a control that detected (VIOLATED); nothing reached the sandbox
      run's decoys while the control reached every one of its own; the
      scratch folder is gone.  Problems on stdout, exit 1.
  attest-check.py tamper IN OUT EDIT [redigest]
      EDIT: verdict:ID:VALUE | sandbox-result:ID:VALUE | drop-probe:ID |
            obs:ID:ARGS=RET (the sandbox observation with ARGS made to read
            RET) | job:KEY:N (run.job.KEY set to N)
      With "redigest" the digest is recomputed (an envelope is signed again
      with the key in $SBX_TEST_SIGN_KEY), so only the deeper checks of
      sbx verify can notice; without it the old signature stays.
  attest-check.py get BUNDLE PATH      prints a dotted member (run.input.from)
  attest-check.py attempts BUNDLE ID SIDE   prints probe ID's SIDE (sandbox, control) attempts, verdict, result
  attest-check.py failing BUNDLE ID TEXT
      The bundle is not SANDBOX_ATTESTED, probe ID has verdict FAIL, and
      what it failed for (a failed host check's detail or the sandbox
      run's summary) contains TEXT.
"""
import base64
import hashlib
import json
import os
import sys

PREDICATE_TYPE = "https://github.com/sbxprofile/sbxprofile/blob/main/probes/EVIDENCE.md#schema-v3"


def load(path):
    """(evidence, envelope, statement): the evidence document, and the
    envelope and statement around it (None for an old bundle)."""
    doc = json.load(open(path, encoding="utf-8"))
    if "payloadType" not in doc:
        return doc, None, None
    statement = json.loads(base64.b64decode(doc["payload"]))
    return statement["predicate"], doc, statement


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(doc):
    rest = {k: v for k, v in doc.items() if k != "digest"}
    return hashlib.sha256(canonical(rest).encode("utf-8")).hexdigest()


def check(path, status, fail_ids):
    doc, envelope, statement = load(path)
    problems = []
    if envelope is not None:
        if envelope["payloadType"] != "application/vnd.in-toto+json":
            problems.append("payloadType is %r" % envelope["payloadType"])
        if statement.get("_type") != "https://in-toto.io/Statement/v1":
            problems.append("statement _type is %r" % statement.get("_type"))
        if statement.get("predicateType") != PREDICATE_TYPE:
            problems.append("predicateType is %r" % statement.get("predicateType"))
    else:
        if doc.get("schema") != "sbxprofile.evidence/1":
            problems.append("schema is %r" % doc.get("schema"))
        want = digest(doc)
        if doc.get("digest", {}).get("value") != want:
            problems.append("digest %s, recomputed %s" % (doc.get("digest", {}).get("value"), want))
    if doc.get("final_status") != status:
        problems.append("final_status %s, expected %s" % (doc.get("final_status"), status))
    failed = sorted(p["id"] for p in doc["probes"] if p["verdict"] == "FAIL")
    if failed != sorted(fail_ids):
        problems.append("FAIL verdicts %s, expected exactly %s" % (failed, sorted(fail_ids)))
    for p in doc["probes"]:
        line = "%s: verdict %s (sandbox %s: %s | control %s: %s)" % (
            p["id"], p["verdict"], p["sandbox"]["result"], p["sandbox"]["summary"],
            p["control"]["result"], p["control"]["summary"])
        if p["id"] in fail_ids:
            continue
        if p["required"] and (p["verdict"] != "PASS" or p["control"]["result"] != "VIOLATED"):
            problems.append("required " + line)
        for c in p["host_checks"]:
            if not c["ok"]:
                problems.append("%s: host check failed: %s (%s)" % (p["id"], c["check"], c["detail"]))
    run = doc["run"]
    for key in ("tcp_connections", "udp_datagrams", "unix_connections", "abstract_connections"):
        if run["sandbox"]["decoys"][key] != 0:
            problems.append("the sandbox run reached a decoy: %s = %d" % (key, run["sandbox"]["decoys"][key]))
        if run["control"]["decoys"][key] < 1:
            problems.append("the control did not reach its decoy (%s = 0): the host side cannot see" % key)
    if os.path.exists(run["scratch"]):
        problems.append("scratch folder %s still exists" % run["scratch"])
    for side in ("sandbox", "control"):
        if run[side]["exit"] != "exit 0":
            problems.append("%s run: %s; stderr: %s" % (side, run[side]["exit"], run[side]["stderr"]))
    for p in problems:
        print(p)
    return 1 if problems else 0


def resign(envelope, statement):
    """Encodes @statement into @envelope and signs it with $SBX_TEST_SIGN_KEY."""
    from cryptography.hazmat.primitives import serialization
    body = json.dumps(statement, separators=(",", ":")).encode()
    envelope["payload"] = base64.b64encode(body).decode()
    key = serialization.load_pem_private_key(open(os.environ["SBX_TEST_SIGN_KEY"], "rb").read(), password=None)
    t = envelope["payloadType"].encode()
    sig = key.sign(b"DSSEv1 %d %s %d %s" % (len(t), t, len(body), body))
    envelope["signatures"] = [{"keyid": "", "sig": base64.b64encode(sig).decode()}]


def tamper(src, dst, edit, redigest):
    doc, envelope, statement = load(src)
    kind, _, rest = edit.partition(":")
    if kind == "drop-probe":
        doc["probes"] = [p for p in doc["probes"] if p["id"] != rest]
    elif kind == "job":
        key, _, value = rest.partition(":")
        doc["run"]["job"][key] = int(value)
    else:
        pid, _, value = rest.partition(":")
        probe = next(p for p in doc["probes"] if p["id"] == pid)
        if kind == "verdict":
            probe["verdict"] = value
        elif kind == "sandbox-result":
            probe["sandbox"]["result"] = value
        elif kind == "obs":
            args, _, ret = value.partition("=")
            obs = next(o for o in probe["sandbox"]["attempts"] if o["args"] == args)
            obs["ret"], obs["errno"] = ret, "0"
        else:
            sys.exit("unknown edit " + edit)
    if envelope is not None:
        if redigest:
            resign(envelope, statement)
        else:
            envelope["payload"] = base64.b64encode(json.dumps(statement).encode()).decode()
        doc = envelope
    elif redigest:
        doc["digest"]["value"] = digest(doc)
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
    return 0


def get(path, dotted):
    value = load(path)[0]
    for part in dotted.split("."):
        value = value[part]
    print(value)
    return 0


def attempts(path, pid, side):
    """Every ATTEMPT of probe PID's SIDE run, one line each: call, args,
    ret, errno separated by tabs; then "verdict VERDICT" and "result R"."""
    probe = next((p for p in load(path)[0]["probes"] if p["id"] == pid), None)
    if probe is None:
        print("no probe " + pid)
        return 1
    for a in probe[side]["attempts"]:
        print("%s\t%s\t%s\t%s" % (a["call"], a["args"], a["ret"], a["errno"]))
    print("verdict\t" + probe["verdict"])
    print("result\t%s\t%s" % (probe[side]["result"], probe[side]["summary"]))
    return 0


def failing(path, pid, text):
    if not os.path.exists(path):
        print("no bundle " + path)
        return 1
    doc = load(path)[0]
    problems = []
    if doc.get("final_status") == "SANDBOX_ATTESTED":
        problems.append("final_status is SANDBOX_ATTESTED")
    probe = next((p for p in doc["probes"] if p["id"] == pid), None)
    if probe is None:
        problems.append("no probe " + pid)
    else:
        reasons = [c["detail"] for c in probe["host_checks"] if not c["ok"]]
        if probe["sandbox"]["result"] != "HOLDS":
            reasons.append(probe["sandbox"]["summary"])
        if probe["verdict"] != "FAIL":
            problems.append("%s: verdict %s, expected FAIL" % (pid, probe["verdict"]))
        elif not any(text in r for r in reasons):
            problems.append("%s FAILs, but not naming %r: %s" % (pid, text, " | ".join(reasons)))
    for p in problems:
        print(p)
    return 1 if problems else 0


def main(argv):
    if len(argv) == 5 and argv[1] == "failing":
        return failing(argv[2], argv[3], argv[4])
    if len(argv) >= 4 and argv[1] == "check":
        return check(argv[2], argv[3], argv[4:])
    if len(argv) in (5, 6) and argv[1] == "tamper":
        return tamper(argv[2], argv[3], argv[4], len(argv) == 6 and argv[5] == "redigest")
    if len(argv) == 5 and argv[1] == "attempts":
        return attempts(argv[2], argv[3], argv[4])
    if len(argv) == 4 and argv[1] == "get":
        return get(argv[2], argv[3])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
