# expect: invalid-value 3 [seccomp] exec-lock
[seccomp]
exec-lock=sometimes
