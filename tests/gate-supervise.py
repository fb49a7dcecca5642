#!/usr/bin/env python3
"""gate-supervise.py PROGRAM FD -- CMD [ARG...]

An exec-gate supervisor written apart from sbx, for tests that run bwrap by
hand (tests/20-probe-control.sh): it queues the gate program PROGRAM (sbx
compile --gate-bpf) on a SOCK_SEQPACKET socketpair whose other end CMD gets
as fd FD, runs CMD (bwrap ... -- /run/sbx/sbx-exec FD JOB), takes the
listener sbx-exec hands back, lets the first execve/execveat continue and
answers every later one EPERM, and exits with CMD's status.

SBX_TEST_GATE_ALLOW=N lets the first N execs continue instead: a lax gate,
for the test that PR-EXEC-1 catches one that lets a second exec through
(sbx-probe's .preinit_array exec is the job's second).
"""
import fcntl
import os
import select
import socket
import struct
import sys

# linux/seccomp.h on x86_64: _IOWR('!', 0, struct seccomp_notif) (80 bytes),
# _IOWR('!', 1, struct seccomp_notif_resp) (24 bytes)
NOTIF_RECV = 0xC0502100
NOTIF_SEND = 0xC0182101
FLAG_CONTINUE = 1
EXEC_NRS = (59, 322)  # execve, execveat on x86_64
EPERM = 1


def main():
    if len(sys.argv) < 5 or sys.argv[3] != "--" or os.uname().machine != "x86_64":
        sys.exit("usage (x86_64): gate-supervise.py PROGRAM FD -- CMD [ARG...]")
    program = open(sys.argv[1], "rb").read()
    fd = int(sys.argv[2])
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    ours.send(program)
    pid = os.fork()
    if pid == 0:
        os.dup2(theirs.fileno(), fd)  # inheritable
        os.execvp(sys.argv[4], sys.argv[4:])
    theirs.close()
    _, fds, _, _ = socket.recv_fds(ours, 1, 1)
    ours.close()
    listener = fds[0] if fds else -1
    allow = int(os.environ.get("SBX_TEST_GATE_ALLOW", "1"))
    while True:
        events = 0
        if listener >= 0:
            poller = select.poll()
            poller.register(listener, select.POLLIN)
            events = sum(e for _, e in poller.poll(100))
        if events & select.POLLHUP:
            # the last user of the filter is gone: nothing more to answer
            os.close(listener)
            listener = -1
        elif events & select.POLLIN:
            req = bytearray(80)
            try:
                fcntl.ioctl(listener, NOTIF_RECV, req)
            except OSError:
                req = None  # the caller was interrupted or died meanwhile
            if req is not None:
                (ident,) = struct.unpack_from("Q", req, 0)
                (nr,) = struct.unpack_from("i", req, 16)
                if nr in EXEC_NRS and allow > 0:
                    allow -= 1
                    resp = struct.pack("QqiI", ident, 0, 0, FLAG_CONTINUE)
                else:
                    resp = struct.pack("QqiI", ident, 0, -EPERM, 0)
                try:
                    fcntl.ioctl(listener, NOTIF_SEND, bytearray(resp))
                except OSError:
                    pass
        if listener < 0:
            select.select([], [], [], 0.1)
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            sys.exit(os.waitstatus_to_exitcode(status) & 0xFF)


main()
