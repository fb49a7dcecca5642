# expect: invalid-value 3 [limits] open-files
[limits]
open-files=-1
