#!/usr/bin/python3
"""A umockdev testbed that outlives the processes using it, for hotplug tests and benchmarks.

Run under LD_PRELOAD=libumockdev-preload.so.0 (umockdev's uevent sender looks devices up through
the preloaded /sys). Argument: a recording to load. Prints "dir ROOT" (give processes
LD_PRELOAD=libumockdev-preload.so.0 and UMOCKDEV_DIR=ROOT to put them in the testbed), then reads
commands from stdin, one per line, and answers one line each:

  add FILE            load the recording FILE, send "add" for its first device: "added SYSPATH"
  uevent ACTION PATH  send ACTION for the device at PATH (/sys/...): "sent"
  remove PATH         send "remove" for PATH, then delete it from the testbed: "removed"
  quit                end (the testbed directory is deleted)
"""
import sys

import gi

gi.require_version("UMockdev", "1.0")
from gi.repository import UMockdev  # noqa: E402


def first_device(recording):
    with open(recording, encoding="utf-8") as f:
        for line in f:
            if line.startswith("P: "):
                return "/sys" + line[3:].strip()
    raise ValueError("no 'P: ' line in " + recording)


def main():
    testbed = UMockdev.Testbed.new()
    if not testbed.add_from_file(sys.argv[1]):
        print("error cannot load " + sys.argv[1], flush=True)
        return 1
    print("dir " + testbed.get_root_dir(), flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        try:
            if words[0] == "add":
                if not testbed.add_from_file(words[1]):
                    raise ValueError("cannot load " + words[1])
                path = first_device(words[1])
                testbed.uevent(path, "add")
                print("added " + path, flush=True)
            elif words[0] == "uevent":
                testbed.uevent(words[2], words[1])
                print("sent", flush=True)
            elif words[0] == "remove":
                testbed.uevent(words[1], "remove")
                testbed.remove_device(words[1])
                print("removed", flush=True)
            elif words[0] == "quit":
                break
            else:
                print("error unknown command " + words[0], flush=True)
        except Exception as e:  # one bad command must not end the testbed
            print("error " + str(e).replace("\n", " "), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
