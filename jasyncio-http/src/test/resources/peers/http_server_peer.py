"""A real HTTP/1.1 server (Python's http.server) for jasyncio-http's client tests.

Prints "PORT <n>" once listening on 127.0.0.1 (port 0: any free one), then serves until killed.
Every route is a behaviour the client must handle; see the test for what each asserts.
"""
import gzip, http.server, json, socketserver, sys, threading, time, urllib.parse, zlib

counters = {}
lock = threading.Lock()
connections = set()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        with lock:
            connections.add(self.client_address)

    def send_body(self, status, body, ctype="text/plain; charset=utf-8", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length", "0"))
        return self.rfile.read(n) if n else b""

    def handle_any(self):
        url = urllib.parse.urlparse(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        p = url.path
        if p == "/hello":
            self.send_body(200, b"hello")
        elif p == "/utf8":
            self.send_body(200, "h\u00e9llo \u20ac".encode("iso-8859-15"), "text/plain; charset=iso-8859-15")
        elif p == "/echo":
            body = self.read_body()
            info = {"method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                    "body": body.decode("utf-8", "replace"), "client": "%s:%d" % self.client_address}
            self.send_body(200, json.dumps(info).encode(), "application/json")
        elif p == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"one,", b"two,", b"three"):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\nX-Trailer: yes\r\n\r\n")
        elif p == "/gzip":
            self.send_body(200, gzip.compress(b"zipped " * 1000), extra=[("Content-Encoding", "gzip")])
        elif p == "/deflate":
            self.send_body(200, zlib.compress(b"deflated " * 1000), extra=[("Content-Encoding", "deflate")])
        elif p == "/big":
            n = int(q.get("n", "1000000"))
            self.send_response(200)
            self.send_header("Content-Length", str(n))
            self.end_headers()
            block = b"x" * 65536
            while n > 0:
                self.wfile.write(block[:min(n, len(block))])
                n -= len(block)
        elif p == "/redirect":
            n = int(q.get("n", "1"))
            code = int(q.get("code", "302"))
            target = q.get("to", "/echo") if n <= 1 else "/redirect?n=%d&code=%d&to=%s" % (n - 1, code, urllib.parse.quote(q.get("to", "/echo")))
            self.read_body()
            self.send_body(code, b"moved", extra=[("Location", target)])
        elif p == "/cookie/set":
            self.send_body(200, b"set", extra=[("Set-Cookie", "session=abc123; Path=/"), ("Set-Cookie", "theme=dark; Path=/")])
        elif p == "/slow":
            time.sleep(int(q.get("ms", "1000")) / 1000)
            self.send_body(200, b"slow")
        elif p == "/stall":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"partial")
            self.wfile.flush()
            time.sleep(30)
        elif p == "/flaky":
            key = q.get("key", "k")
            with lock:
                counters[key] = counters.get(key, 0) + 1
                attempt = counters[key]
            if attempt <= int(q.get("fail", "2")):
                self.send_body(int(q.get("code", "503")), b"try again", extra=[("Retry-After", q.get("after", "0"))])
            else:
                self.send_body(200, ("ok after %d" % attempt).encode())
        elif p == "/count":
            with lock:
                self.send_body(200, str(counters.get(q.get("key", "k"), 0)).encode())
        elif p == "/close":
            self.send_body(200, b"closing", extra=[("Connection", "close")])
            self.close_connection = True
        elif p == "/malformed":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello")
            self.close_connection = True
        elif p == "/truncated":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this")
            self.wfile.flush()
            self.close_connection = True
        elif p == "/status":
            self.send_body(int(q.get("code", "404")), b"status body")
        elif p == "/connections":
            with lock:
                self.send_body(200, str(len(connections)).encode())
        else:
            self.send_body(404, b"no such route")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = handle_any


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


server = Server(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0), Handler)
print("PORT %d" % server.server_address[1], flush=True)
server.serve_forever()
