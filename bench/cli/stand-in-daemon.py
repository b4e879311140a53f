#!/usr/bin/env python3
"""A stand-in for the BurnGuard daemon for bench/cli/run.sh (issue 17): on the control socket
given as the only argument, it reads each connection's request line and answers as the daemon
answers a burn (a progress line, an info line, a PASS result with timing data), without burning.
It measures the CLI's side of a burn; bench/burn/run.sh measures a real one."""
import os
import socket
import sys

REPLY = (
    b'{"type":"progress","phase":"write","done":8388608,"total":16777216}\n'
    b'{"type":"info","message":"unit 6901230000017: verified read-back"}\n'
    b'{"type":"result","exit":0,"message":"PASS unit 6901230000017","data":{"unit":"6901230000017",'
    b'"timing":{"pipelineMillis":2.0,"driverMillis":1.0,"overheadMillis":1.0}}}\n'
)

path = sys.argv[1]
if os.path.exists(path):
    os.unlink(path)
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
os.chmod(path, 0o666)
server.listen(16)
while True:
    conn, _ = server.accept()
    with conn:
        conn.makefile("rb").readline()
        conn.sendall(REPLY)
