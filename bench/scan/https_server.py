#!/usr/bin/env python3
"""Serves one directory over HTTPS on 127.0.0.1 (the benchmark's designated server).

Usage: https_server.py DIR CERT.pem KEY.pem PORTFILE
Binds a free port, writes it to PORTFILE, serves until killed.
"""
import functools
import http.server
import ssl
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main():
    directory, cert, key, portfile = sys.argv[1:5]
    handler = functools.partial(Handler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    with open(portfile, "w") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
