# expect: ok
# Nothing but comments: every key takes its default.
