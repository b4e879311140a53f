#!/usr/bin/python3
"""Decision latency under one umockdev testbed (issue 14 benchmark).

Run by run.sh under LD_PRELOAD=libumockdev-preload.so.0. Owns the testbed (a root hub), starts the
daemon under test in it, then N times: adds a USB stick (authorized=0, as the kernel leaves a new
device under authorized_default=0), watches its authorized attribute with inotify, sends the "add"
uevent through umockdev's API and takes the time until the daemon writes authorized. The stick is
removed (uevent + testbed) before the next. Prints per add, in microseconds: the time from calling
umockdev's uevent() to the close of the daemon's write, and how long the uevent() call itself took
(umockdev looks the device up and sends; the daemon may already be deciding meanwhile).

usage: latency.py COUNT WARMUP LOGFILE -- DAEMON-COMMAND...
  The daemon command gets UMOCKDEV_DIR in its environment. After SETTLE_SECONDS (default 2, for
  its start-up scan) sticks are added until one is decided (READY_SECONDS, default 60); then WARMUP
  adds, then COUNT measured ones.
"""
import ctypes
import os
import select
import struct
import subprocess
import sys
import time

import gi

gi.require_version("UMockdev", "1.0")
from gi.repository import UMockdev  # noqa: E402

HUB = "/devices/pci0000:00/0000:00:14.0/usb1"
ROOT = """P: /devices/pci0000:00/0000:00:14.0/usb1
N: bus/usb/001/001
E: DEVTYPE=usb_device
E: SUBSYSTEM=usb
A: authorized=1
A: authorized_default=1
A: interface_authorized_default=1
A: remove=0
H: descriptors=12010002090001406B1D020015060302010109021900010100E0000904000001090000000705810304000C
A: idProduct=0002
A: idVendor=1d6b
A: product=xHCI Host Controller
A: serial=0000:00:14.0

P: /devices/pci0000:00/0000:00:14.0
E: DRIVER=xhci_hcd
E: PCI_CLASS=C0330
E: SUBSYSTEM=pci
"""
STICK = """P: %(path)s
N: bus/usb/001/%(num)03d
E: DEVTYPE=usb_device
E: SUBSYSTEM=usb
A: authorized=0
A: remove=0
A: bDeviceClass=00
H: descriptors=1201000200000040810767550001010203010902200001010080320904000002080650000705810200020007050202000200
A: idProduct=5567
A: idVendor=0781
A: product=Cruzer Blade
A: serial=BENCH%(num)08d
A: port/connect_type=hotplug
"""
IN_CLOSE_WRITE = 0x8
libc = ctypes.CDLL("libc.so.6", use_errno=True)


def wait_write(fd, timeout):
    """True when the watched file was closed after writing within timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        r, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not r:
            return False
        data = os.read(fd, 4096)
        off = 0
        while off + 16 <= len(data):
            _, mask, _, length = struct.unpack_from("iIII", data, off)
            off += 16 + length
            if mask & IN_CLOSE_WRITE:
                return True


def settle(fd, quiet):
    """Waits until the file has not been written for quiet seconds (umockdev sends every uevent
    twice, with two SEQNUMs, so a daemon decides each device twice: the second write must end
    before the device is removed)."""
    while select.select([fd], [], [], quiet)[0]:
        os.read(fd, 4096)


def one(tb, root, k, timeout):
    path = "%s/1-%d" % (HUB, k)
    if not tb.add_from_string(STICK % {"path": path, "num": k}):
        raise RuntimeError("cannot add " + path)
    fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
    attr = (root + "/sys" + path + "/authorized").encode()
    # IN_CLOSE_WRITE: the writer closed the file, so the value is complete (IN_MODIFY would
    # already fire at the open's truncation).
    if fd < 0 or libc.inotify_add_watch(fd, attr, IN_CLOSE_WRITE) < 0:
        raise RuntimeError("inotify on %s: errno %d" % (attr, ctypes.get_errno()))
    t0 = time.perf_counter_ns()
    tb.uevent("/sys" + path, "add")
    sent = time.perf_counter_ns()
    ok = wait_write(fd, timeout)
    t1 = time.perf_counter_ns()
    settle(fd, 0.05)
    os.close(fd)
    value = open(root + "/sys" + path + "/authorized").read().strip()
    tb.uevent("/sys" + path, "remove")
    tb.remove_device("/sys" + path)
    if not ok:
        return None, value
    return ((t1 - t0) / 1000.0, (sent - t0) / 1000.0), value


def main():
    count, warmup, log = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    cmd = sys.argv[sys.argv.index("--") + 1:]
    tb = UMockdev.Testbed.new()
    if not tb.add_from_string(ROOT):
        raise RuntimeError("cannot add the root hub")
    root = tb.get_root_dir()
    env = dict(os.environ, UMOCKDEV_DIR=root)
    with open(log, "w") as logf:
        daemon = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=logf, stderr=logf)
    try:
        time.sleep(float(os.environ.get("SETTLE_SECONDS", "2")))  # let it finish its start-up scan
        deadline = time.time() + float(os.environ.get("READY_SECONDS", "60"))
        lat, value = None, None
        k = 1
        while lat is None and time.time() < deadline:
            lat, value = one(tb, root, k, 2.0)
            k += 1
        if lat is None:
            raise RuntimeError("the daemon never wrote authorized; see " + log)
        for _ in range(warmup):
            one(tb, root, k, 5.0)
            k += 1
        missed = 0
        values = {}
        for _ in range(count):
            lat, value = one(tb, root, k, 5.0)
            k += 1
            values[value] = values.get(value, 0) + 1
            if lat is None:
                missed += 1
            else:
                print("%.1f %.1f" % lat, flush=True)
        print("# authorized values written: %s; no write within 5 s: %d" % (values, missed),
              file=sys.stderr, flush=True)
    finally:
        daemon.terminate()
        try:
            daemon.wait(10)
        except subprocess.TimeoutExpired:
            daemon.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
