# expect: invalid-value 3 [seccomp] deny
[seccomp]
deny=chmod;notasyscall
