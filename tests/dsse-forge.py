#!/usr/bin/python3
"""dsse-forge.py IN OUT EDIT [--sign KEY.pem] [-- IN OUT EDIT [--sign KEY.pem]]…
— what a forger does to a
signed bundle of `sbx attest`: decode the statement, apply EDIT, encode it
again, and either keep the old signatures (no --sign) or sign with KEY.pem
(the forger's own key, or the trusted one to reach the checks behind the
signature).  EDIT is one of:

  flip-verdicts    every FAIL → PASS, summary and final_status made to match
  flip-all         every FAIL → PASS with the results to match (sandbox
                   HOLDS, control VIOLATED, host checks ok), summary and
                   final_status too; the observations left as they are
  weaken=ID        probe ID's first sandbox observation made to show the
                   call working (ret 3, errno 0); its verdict left PASS
  empty-attempts   every probe's sandbox and control attempts emptied
  edit-venue       hostname, uid/euid and user-namespace mode changed
  challenge=NONCE  the predicate's challenge replaced
  bwrap=SHA256     venue.bwrap.sha256 and the bwrap subject replaced
  unknown-probe    the first probe renamed PR-FAKE-1
  time=ISO8601     the statement's time replaced
  type=URI         the statement's predicateType replaced
  argv-add=A,B,C   the options A B C put into the recorded bwrap argv just
                   before "--seccomp", its sha256 recomputed
  argv-drop=OPT    the option OPT (no arguments) taken out of the recorded
                   bwrap argv, its sha256 recomputed
  obs=ID:ARGS=RET  probe ID's sandbox observation whose args are ARGS given
                   the text RET (e.g. "PR-NS-1:/proc/self/uid_map=0 0 1");
                   its verdict left as it is
  job=KEY=N        run.job.KEY (host_uid, host_gid, uid, gid) set to N
  none             nothing changed (re-signing only)
"""
import base64
import hashlib
import json
import sys

from cryptography.hazmat.primitives import serialization


def pae(t: bytes, body: bytes) -> bytes:
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(body), body)


def edit(st: dict, what: str) -> None:
    p = st["predicate"]
    if what == "flip-verdicts":
        for probe in p["probes"]:
            probe["verdict"] = "PASS"
        n = len(p["probes"])
        p["summary"].update(total=n, **{"pass": n}, fail=0, inconclusive=0,
                            required_pass=p["summary"]["required"])
        p["final_status"] = "SANDBOX_ATTESTED"
    elif what == "flip-all":
        for probe in p["probes"]:
            if probe["verdict"] != "PASS":
                probe["verdict"] = "PASS"
                probe["sandbox"]["result"] = "HOLDS"
                probe["sandbox"]["summary"] = "as planned"
                probe["control"]["result"] = "VIOLATED"
                for c in probe["host_checks"]:
                    c["ok"] = True
                    c["detail"] = ""
        n = len(p["probes"])
        p["summary"].update(total=n, **{"pass": n}, fail=0, inconclusive=0,
                            required_pass=p["summary"]["required"])
        p["final_status"] = "SANDBOX_ATTESTED"
    elif what.startswith("weaken="):
        probe = next(x for x in p["probes"] if x["id"] == what.split("=", 1)[1])
        obs = probe["sandbox"]["attempts"][0]
        obs["ret"], obs["errno"] = 3, "0"
    elif what == "empty-attempts":
        for probe in p["probes"]:
            for side in ("sandbox", "control"):
                for key in ("attempts", "observations"):
                    if key in probe[side]:
                        probe[side][key] = []
    elif what == "edit-venue":
        p["venue"]["hostname"] = "approved-ci-runner"
        p["venue"]["uid"] = p["venue"]["euid"] = 1000
        p["venue"]["user_namespaces"]["mode"] = "unprivileged-allowed"
    elif what.startswith("challenge="):
        p["challenge"] = what.split("=", 1)[1]
    elif what.startswith("bwrap="):
        sha = what.split("=", 1)[1]
        p["venue"]["bwrap"]["sha256"] = sha
        for s in st["subject"]:
            if s["name"] == "bwrap":
                s["digest"]["sha256"] = sha
    elif what.startswith("argv-add=") or what.startswith("argv-drop="):
        argv = p["bwrap_argv"]["argv"]
        arg = what.split("=", 1)[1]
        if what.startswith("argv-add="):
            i = argv.index("--seccomp")
            argv[i:i] = arg.split(",")
        else:
            argv.remove(arg)
        p["bwrap_argv"]["sha256"] = hashlib.sha256(b"".join(a.encode() + b"\0" for a in argv)).hexdigest()
    elif what.startswith("type="):
        st["predicateType"] = what.split("=", 1)[1]
    elif what.startswith("time="):
        p["time"] = what.split("=", 1)[1]
    elif what == "bad-profile-text":
        # a recorded profile text that does not load (cpu-seconds=0), its
        # hashes made to match: only parsing the whole text catches it
        text = p["profile"]["canonical"].replace("cpu-seconds=60", "cpu-seconds=0")
        assert text != p["profile"]["canonical"], "no cpu-seconds=60 in the profile text"
        p["profile"]["canonical"] = text
        sha = hashlib.sha256(text.encode()).hexdigest()
        p["profile"]["sha256"] = sha
        for s in st["subject"]:
            if s["name"] == "profile":
                s["digest"]["sha256"] = sha
    elif what.startswith("obs="):
        ident, rest = what[4:].split(":", 1)
        args, ret = rest.split("=", 1)
        probe = next(x for x in p["probes"] if x["id"] == ident)
        obs = next(o for o in probe["sandbox"]["attempts"] if o["args"] == args)
        obs["ret"], obs["errno"] = ret, "0"
    elif what.startswith("job="):
        key, n = what[4:].split("=", 1)
        assert key in p["run"]["job"], f"no run.job.{key}"
        p["run"]["job"][key] = int(n)
    elif what == "unknown-probe":
        p["probes"][0]["id"] = "PR-FAKE-1"
    elif what != "none":
        sys.exit(f"unknown edit {what}")


def forge(args: list) -> None:
    src, dst, what = args[0:3]
    env = json.load(open(src))
    st = json.loads(base64.b64decode(env["payload"]))
    edit(st, what)
    body = json.dumps(st, separators=(",", ":")).encode()
    env["payload"] = base64.b64encode(body).decode()
    if len(args) > 4 and args[3] == "--sign":
        key = serialization.load_pem_private_key(open(args[4], "rb").read(), password=None)
        sig = key.sign(pae(env["payloadType"].encode(), body))
        der = key.public_key().public_bytes(serialization.Encoding.DER,
                                            serialization.PublicFormat.SubjectPublicKeyInfo)
        env["signatures"] = [{"keyid": hashlib.sha256(der).hexdigest(), "sig": base64.b64encode(sig).decode()}]
    json.dump(env, open(dst, "w"), indent=2)


def main() -> int:
    # several forgeries per call: "--" separates them (one Python start-up)
    args = sys.argv[1:]
    while args:
        n = args.index("--") if "--" in args else len(args)
        forge(args[:n])
        args = args[n + 1:]
    return 0


if __name__ == "__main__":
    sys.exit(main())
