# A Python job that runs from a virtual environment.  The venv is a host
# folder shown read-only at /opt/venv, given on the command line:
#   sbx run -p python-venv.profile --ro ~/venvs/job:/opt/venv --in IN --out OUT \
#       -- /opt/venv/bin/python /in/job.py
# (or fixed here: read-only=/home/me/venvs/job:/opt/venv).  A venv made with
# /usr/bin/python3 -m venv links its python to /usr/bin/python3, which the
# default system paths show.  Attestable: nothing here weakens the sandbox.
[sandbox]
name=python-venv

[environment]
set=PATH=/opt/venv/bin:/usr/bin:/bin;HOME=/tmp;VIRTUAL_ENV=/opt/venv;PYTHONDONTWRITEBYTECODE=1

[limits]
cpu-seconds=60
wall-seconds=120
