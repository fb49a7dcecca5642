# expect: invalid-value 3 [seccomp] mode
[seccomp]
mode=allow-all
