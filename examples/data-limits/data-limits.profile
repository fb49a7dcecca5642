# A data-processing job (CSV in, JSON out) with tight limits: what a
# converter needs and no more.  Attestable.  Per job, the command line can
# change the limits without editing this file:
#   sbx run -p data-limits.profile --timeout 30 --memory 512M --in IN --out OUT -- …
[sandbox]
name=data-limits

[filesystem]
tmp-size=16M

[limits]
cpu-seconds=20
address-space=1G
open-files=64
processes=16
file-size=32M
wall-seconds=60
