# expect: ok
# A folder with a blank in its name, and blanks around '=' and list items.
[filesystem]
input  =  @TMP@/with space
output=@TMP@/out
system = /usr ; /etc/ld.so.cache

[seccomp]
deny = uname ; chmod
