#!/usr/bin/env python3
"""Attaches a deny-all cgroup/eBPF connect hook to a cgroup v2 directory, as a Kubernetes network policy agent would.

Usage: connect-hook.py attach CGROUP_DIR

Loads a BPF_PROG_TYPE_CGROUP_SOCK_ADDR program of two instructions (r0 = 0; exit: "deny") once for
BPF_CGROUP_INET4_CONNECT and once for BPF_CGROUP_INET6_CONNECT, and attaches both to CGROUP_DIR. Every connect()
of a process in that cgroup then fails at once with EPERM, before any packet leaves. The programs stay attached
after this script exits (the cgroup holds them) and go when the cgroup is removed.

Exit 0 and prints ATTACHED; exit 3 and prints UNAVAILABLE <reason> when the kernel refuses (no bpf syscall, not
permitted, no cgroup v2): the test then skips. Only the standard library (ctypes): no new dependency.
"""
import ctypes
import ctypes.util
import os
import platform
import struct
import sys

# bpf(2) syscall numbers per architecture.
SYS_BPF = {"x86_64": 321, "aarch64": 280, "i686": 357, "armv7l": 386, "ppc64le": 361, "s390x": 351}
BPF_PROG_LOAD = 5
BPF_PROG_ATTACH = 8
BPF_PROG_TYPE_CGROUP_SOCK_ADDR = 18
BPF_CGROUP_INET4_CONNECT = 10
BPF_CGROUP_INET6_CONNECT = 11

# mov64 r0, 0 (BPF_ALU64 | BPF_MOV | BPF_K); exit (BPF_JMP | BPF_EXIT). Returning 0 denies the connect.
PROGRAM = struct.pack("<BBhi", 0xB7, 0, 0, 0) + struct.pack("<BBhi", 0x95, 0, 0, 0)

libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
libc.syscall.restype = ctypes.c_long


def bpf(cmd, attr):
    buf = ctypes.create_string_buffer(attr, len(attr))
    ret = libc.syscall(ctypes.c_long(SYS_BPF[platform.machine()]), ctypes.c_int(cmd), buf,
                       ctypes.c_uint(len(attr)))
    if ret < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return ret


def load(attach_type):
    insns = ctypes.create_string_buffer(PROGRAM, len(PROGRAM))
    license_ = ctypes.create_string_buffer(b"GPL")
    log = ctypes.create_string_buffer(4096)
    # union bpf_attr for BPF_PROG_LOAD: prog_type, insn_cnt, insns, license, log_level, log_size, log_buf,
    # kern_version, prog_flags, prog_name[16], prog_ifindex, expected_attach_type.
    attr = struct.pack("<IIQQIIQII16sII", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, len(PROGRAM) // 8,
                       ctypes.addressof(insns), ctypes.addressof(license_), 1, len(log), ctypes.addressof(log),
                       0, 0, b"smtpprobe_deny", 0, attach_type)
    try:
        return bpf(BPF_PROG_LOAD, attr)
    except OSError as e:
        raise OSError(e.errno, "BPF_PROG_LOAD: " + e.strerror + " " + log.value.decode(errors="replace"))


def attach(cgroup_dir):
    cg = os.open(cgroup_dir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for attach_type in (BPF_CGROUP_INET4_CONNECT, BPF_CGROUP_INET6_CONNECT):
            prog = load(attach_type)
            try:
                # target_fd, attach_bpf_fd, attach_type, attach_flags
                bpf(BPF_PROG_ATTACH, struct.pack("<IIII", cg, prog, attach_type, 0))
            finally:
                os.close(prog)
    finally:
        os.close(cg)


def main():
    if len(sys.argv) != 3 or sys.argv[1] != "attach":
        print("usage: connect-hook.py attach CGROUP_DIR", file=sys.stderr)
        return 2
    if platform.machine() not in SYS_BPF:
        print("UNAVAILABLE no bpf syscall number known for " + platform.machine())
        return 3
    try:
        attach(sys.argv[2])
    except OSError as e:
        print("UNAVAILABLE " + str(e))
        return 3
    print("ATTACHED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
