# Runs inside the sandbox: proves it runs from the read-only venv and
# writes a small report to /out.
import json, os, sys

report = {
    "prefix": sys.prefix,
    "base_prefix": sys.base_prefix,
    "in_venv": sys.prefix != sys.base_prefix,
    "venv_env": os.environ.get("VIRTUAL_ENV"),
    "venv_writable": os.access(sys.prefix, os.W_OK),
    "words": len(open("/in/words.txt").read().split()),
}
with open("/out/report.json", "w") as f:
    json.dump(report, f, sort_keys=True)
print(json.dumps(report, sort_keys=True))
