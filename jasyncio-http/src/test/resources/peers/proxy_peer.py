"""A minimal HTTP proxy for jasyncio-http's client tests: CONNECT tunnels and absolute-form forwarding.

Prints "PORT <n>". "GET /stats" sent to the proxy itself answers the number of CONNECT tunnels and
forwarded requests so far, as JSON.
"""
import json, socket, socketserver, sys, threading, urllib.parse

stats = {"connect": 0, "forward": 0}
lock = threading.Lock()


def pipe(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        head = b""
        while not head.endswith(b"\r\n\r\n"):
            line = self.rfile.readline()
            if not line:
                return
            head += line
        method, target, _ = head.split(b"\r\n", 1)[0].decode().split(" ")
        if method == "CONNECT":
            host, port = target.rsplit(":", 1)
            upstream = socket.create_connection((host, int(port)))
            with lock:
                stats["connect"] += 1
            self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            self.wfile.flush()
        elif target.startswith("http://"):
            url = urllib.parse.urlsplit(target)
            upstream = socket.create_connection((url.hostname, url.port or 80))
            with lock:
                stats["forward"] += 1
            upstream.sendall(head)
        else:
            with lock:
                body = json.dumps(stats).encode()
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            return
        t = threading.Thread(target=pipe, args=(upstream, self.connection), daemon=True)
        t.start()
        # Bytes the client sent after the head may sit in rfile's buffer: forward them first.
        while True:
            data = self.rfile.read1(65536)
            if not data:
                break
            upstream.sendall(data)
        try:
            upstream.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        t.join()


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


server = Server(("127.0.0.1", 0), Handler)
print("PORT %d" % server.server_address[1], flush=True)
server.serve_forever()
