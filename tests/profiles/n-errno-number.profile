# expect: invalid-value 3 [seccomp] errno
[seccomp]
errno=1
