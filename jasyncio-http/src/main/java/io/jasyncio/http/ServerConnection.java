package io.jasyncio.http;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.TimeoutException;
import io.jasyncio.net.Protocol;
import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamReaderProtocol;
import io.jasyncio.net.StreamWriter;
import io.jasyncio.net.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;

/**
 * One client connection of an {@link HttpServer}: reads requests, runs the handler, writes responses, in
 * one task, one request at a time (so pipelined requests are answered in order). It is the connection's
 * protocol: it feeds a {@link StreamReaderProtocol} (the streams the task reads and writes) and hears of
 * the connection's loss, which cancels a handler still at work (the client reset the connection).
 *
 * <h2>States</h2>
 * <pre>
 *  state     | doing                                   | next                     | on shutdown
 *  IDLE      | waiting for the first byte of a request | HEAD, end (timeout, EOF) | cancelled at once
 *  HEAD      | reading a head (headerTimeout)          | HANDLING, end (408, 4xx) | finishes the request
 *  HANDLING  | running the handler                     | WRITING                  | finishes the request
 *  WRITING   | sending the response, then the unread   | IDLE (keep-alive), end   | response says close
 *            | request body is discarded               |                          |
 *  UPGRADED  | another protocol owns the connection    | end                      | cancelled at once
 *  CLOSED    | -                                       | -                        | -
 * </pre>
 * Invariants: (1) a response is written only after the whole head of its request was parsed, and the
 * next request is read only after the response was handed to the transport and the previous body was
 * read to its end, so responses go out in request order; (2) a connection whose framing is in doubt (a
 * parse error, an unread body too large to skip, a streamed body that failed half-way) is closed, never
 * reused; (3) when the connection is lost in HANDLING or WRITING, the task is cancelled.
 *
 * <p>Implementation notes: closing with unread request bytes in the socket's receive buffer makes the
 * kernel send a reset, which can destroy the error response before the client read it; such closes half-close
 * first and read (and drop) what the client still sends, for a bounded time and size ("lingering close",
 * as Apache and nginx do). Loop-confined.
 */
final class ServerConnection implements Protocol {
    private enum State { IDLE, HEAD, HANDLING, WRITING, UPGRADED, CLOSED }

    /** What the connection does after a response. */
    private enum After { KEEP_ALIVE, CLOSE, ABORT }

    private static final System.Logger LOG = System.getLogger("io.jasyncio.http.server");
    private static final System.Logger ACCESS = System.getLogger("io.jasyncio.http.access");
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    /** An unread request body up to this size is read and dropped to keep the connection; a larger one closes it. */
    static final long DISCARD_LIMIT = 64 * 1024;
    private static final Duration LINGER = Duration.ofSeconds(2);
    private static final long LINGER_BYTES = 1024 * 1024;
    private static final int FILE_BLOCK = 64 * 1024;

    private final HttpServer server;
    private final EventLoop loop;
    private final HttpServerOptions options;
    private final StreamReader reader = new StreamReader();
    private final StreamReaderProtocol streams;
    private final double acceptedAt;
    private Transport transport;
    private StreamWriter writer;
    private Task<Void> task;
    private State state = State.IDLE;
    private boolean closeAfterResponse;
    private boolean abortOnEnd;
    // the exchange in progress
    private boolean bodyAborted;
    private boolean continueSent;
    private int sentStatus;
    private long sentBytes;

    ServerConnection(HttpServer server, EventLoop loop) {
        this.server = server;
        this.loop = loop;
        this.options = server.options();
        this.streams = new StreamReaderProtocol(reader);
        this.acceptedAt = loop.time();
    }

    // ---- protocol --------------------------------------------------------------------------------------

    @Override
    public void connectionMade(Transport t) {
        streams.connectionMade(t);
        transport = t;
        writer = streams.writer();
        task = loop.createTask("http-connection " + t.getExtraInfo("peername"), this::serve);
        server.connectionOpened(this);
        task.addDoneCallback(done -> {
            state = State.CLOSED;
            if (!done.cancelled() && done.exception() != null) {
                LOG.log(System.Logger.Level.ERROR, "HTTP connection failed: " + this, done.exception());
            }
            if (abortOnEnd) {
                transport.abort();
            } else {
                transport.close();
            }
            server.connectionClosed(this);
        });
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        streams.dataReceived(data);
    }

    @Override
    public boolean eofReceived() {
        return streams.eofReceived();
    }

    @Override
    public void connectionLost(Throwable exc) {
        streams.connectionLost(exc);
        if ((state == State.HANDLING || state == State.WRITING) && task != null) {
            task.cancel("the client closed the connection");
        }
    }

    @Override
    public void pauseWriting() {
        streams.pauseWriting();
    }

    @Override
    public void resumeWriting() {
        streams.resumeWriting();
    }

    // ---- shutdown --------------------------------------------------------------------------------------

    /** The server shuts down: an idle connection ends now, a busy one after its response. */
    void shutdownRequested() {
        closeAfterResponse = true;
        if (state == State.IDLE || state == State.UPGRADED) {
            task.cancel("the server is shutting down");
        }
    }

    /** The grace period is over: end now, dropping what is unsent. */
    void abortForShutdown() {
        abortOnEnd = true;
        if (!task.done()) {
            task.cancel("the server's shutdown grace period is over");
        } else {
            transport.abort();
        }
    }

    // ---- the connection's task -------------------------------------------------------------------------

    private Void serve() throws IOException {
        HttpParser parser = HttpParser.forRequests(options.limits());
        HttpEventReader events = new HttpEventReader(reader, parser, null);
        InetSocketAddress remote = transport.getExtraInfo("peername") instanceof InetSocketAddress a ? a : null;
        boolean first = true;
        try {
            while (true) {
                RequestHead head;
                try {
                    head = nextHead(parser, events, first);
                } catch (HttpParseException e) {
                    sendError(e.status(), e.getMessage());
                    lingeringClose();
                    return null;
                } catch (TimeoutException e) {
                    sendError(408, "the request head did not arrive within " + options.headerTimeout().toMillis() + " ms");
                    lingeringClose();
                    return null;
                }
                if (head == null || !exchange(head, parser, events, remote)) {
                    return null;
                }
                first = false;
            }
        } catch (IOException e) {
            // The connection failed (a reset, a broken pipe): there is nobody to answer.
            LOG.log(System.Logger.Level.DEBUG, () -> "HTTP connection lost: " + this + ": " + e);
            return null;
        }
    }

    /** The next request's head, or null if the connection should end quietly (idle, closed, shutting down). */
    private RequestHead nextHead(HttpParser parser, HttpEventReader events, boolean first) throws IOException {
        state = State.IDLE;
        if (closeAfterResponse) {
            return null;
        }
        events.readTimeout(null); // the idle wait and the head have their own deadlines
        HttpEvent e = parser.next();
        if (e == null) {
            if (parser.bufferedBytes() == 0) {
                Duration idle = first ? remaining(acceptedAt + seconds(options.headerTimeout())) : options.keepAliveTimeout();
                if (Asyncio.timeoutOrNull(idle, () -> {
                    events.fill();
                    return Boolean.TRUE;
                }) == null) {
                    return null; // no request came: close without a word, as nginx does
                }
                e = parser.next(); // usually the whole head came in the first read: no deadline to set up
            }
            if (e == null) {
                state = State.HEAD;
                double deadline = (first ? acceptedAt : loop.time()) + seconds(options.headerTimeout());
                e = Asyncio.timeoutAt(deadline, () -> events.next());
            }
        }
        state = State.HANDLING;
        return switch (e) {
            case RequestHead h -> h;
            case HttpEvent.Closed c -> null;
            default -> throw new IllegalStateException("unexpected " + e + " between requests");
        };
    }

    /** Handles one request; true if the connection carries on. */
    private boolean exchange(RequestHead head, HttpParser parser, HttpEventReader events, InetSocketAddress remote) throws IOException {
        long started = System.nanoTime();
        state = State.HANDLING;
        bodyAborted = false;
        continueSent = false;
        HttpBody body = new HttpBody(events, HttpBody.charsetOf(head.headers(), HttpBody.DEFAULT_TEXT), options.limits().maxBodyBytes(), false);
        body.onEnd(complete -> bodyAborted = !complete);
        if (head.expectsContinue()) {
            body.beforeFirstRead(() -> {
                continueSent = true;
                writer.write(CONTINUE);
            });
        }
        events.readTimeout(options.bodyReadTimeout());
        HttpRequest request = new HttpRequest(head, remote, body);
        HttpResponse response;
        boolean mustClose = false;
        String expect = head.headers().get("Expect");
        try {
            if (expect != null && !head.expectsContinue()) {
                // RFC 9110 §10.1.1: an expectation the server cannot meet (100-continue is the only one defined)
                throw new HttpStatusException(417, "unsupported expectation: " + expect);
            }
            response = server.handler().handle(request);
            if (response == null) {
                throw new IllegalStateException("the handler returned no response (null)");
            }
        } catch (HttpStatusException e) {
            response = e.toResponse();
        } catch (Exception thrown) {
            // reading the body as an AsyncIterable wraps its IOException
            Exception e = thrown instanceof UncheckedIOException u && bodyAborted ? u.getCause() : thrown;
            if (bodyAborted && e instanceof HttpParseException bad) {
                response = HttpResponse.text(bad.status(), bad.getMessage()); // the body was malformed or too large
                mustClose = true;
            } else if (bodyAborted && e instanceof TimeoutException) {
                response = HttpResponse.text(408, "the request body stalled for " + options.bodyReadTimeout().toMillis() + " ms");
                mustClose = true;
            } else if (bodyAborted && e instanceof IOException) {
                return false; // the connection failed while the handler read the body
            } else {
                response = internalError(request, thrown);
            }
        }
        state = State.WRITING;
        boolean keepAlive = head.keepAlive() && !mustClose && !closeAfterResponse;
        if (keepAlive && !body.isComplete()) {
            keepAlive = !bodyAborted && (!head.expectsContinue() || continueSent) && unreadBody(head, body) <= DISCARD_LIMIT;
        }
        if (response.kind() == HttpResponse.Kind.UPGRADE) {
            if (!closeAfterResponse) {
                return upgrade(request, response, body, parser, started);
            }
            response = HttpResponse.text(503, "the server is shutting down"); // no new long-lived conversations
        }
        After after = writeResponse(request, response, keepAlive);
        accessLog(request, started);
        if (after == After.ABORT) {
            transport.abort();
            return false;
        }
        if (after == After.CLOSE) {
            if (!body.isComplete() && !bodyAborted) {
                lingeringClose();
            }
            return false;
        }
        if (!body.isComplete()) {
            body.discard();
        }
        return true;
    }

    private HttpResponse internalError(HttpRequest request, Exception e) {
        LOG.log(System.Logger.Level.WARNING, "handler failed on " + request + "; answered 500", e);
        return HttpResponse.text(500, "Internal Server Error");
    }

    /** Bytes of the body the client has still to send: known for Content-Length, unbounded for chunked. */
    private static long unreadBody(RequestHead head, HttpBody body) {
        String length = head.headers().get("Content-Length");
        if (length == null) {
            return head.headers().contains("Transfer-Encoding") ? Long.MAX_VALUE : 0;
        }
        int comma = length.indexOf(',');
        long declared = Long.parseLong((comma < 0 ? length : length.substring(0, comma)).trim()); // the parser checked it
        return declared - body.bytesRead();
    }

    // ---- responses -------------------------------------------------------------------------------------

    private After writeResponse(HttpRequest request, HttpResponse response, boolean keepAlive) throws IOException {
        int status = response.status();
        if (response.headers().containsToken("Connection", "close")) {
            keepAlive = false;
        }
        HttpHeaders h = headersToSend(response);
        boolean http10 = request.version().equals("HTTP/1.0");
        boolean statusWithoutBody = status < 200 || status == 204 || status == 304;
        boolean sendBody = !statusWithoutBody && !request.method().equals("HEAD");
        sentStatus = status;
        sentBytes = 0;
        switch (response.kind()) {
            case EMPTY, BYTES -> {
                byte[] body = response.kind() == HttpResponse.Kind.BYTES ? response.bodyBytes() : new byte[0];
                if (!statusWithoutBody) {
                    h.addParsed("Content-Length", Integer.toString(body.length));
                }
                connectionHeader(h, keepAlive, http10);
                writer.write(HttpEncoder.response(status, response.reason(), h, sendBody ? body : new byte[0]));
                sentBytes = sendBody ? body.length : 0;
                writer.drain();
                return keepAlive ? After.KEEP_ALIVE : After.CLOSE;
            }
            case FILE -> {
                return writeFile(request, response, h, keepAlive, http10, sendBody);
            }
            case STREAM -> {
                return writeStream(request, response, h, keepAlive, http10, sendBody, statusWithoutBody);
            }
            default -> throw new IllegalStateException("unexpected response kind " + response.kind());
        }
    }

    /**
     * A file response. A 200 gets the file's validators (ETag, Last-Modified, Accept-Ranges) and honours
     * the request's conditional and Range fields ({@link FileSelection}): 304, 412, 206 with one range, or
     * 416; any other status the handler chose is sent with the whole file, as it is.
     */
    private After writeFile(HttpRequest request, HttpResponse response, HttpHeaders h, boolean keepAlive, boolean http10,
                            boolean sendBody) throws IOException {
        FileChannel file;
        try {
            file = Asyncio.toThreadChecked(() -> FileChannel.open(response.file(), StandardOpenOption.READ), IOException.class);
        } catch (NoSuchFileException e) {
            return writeResponse(request, HttpResponse.text(404, "Not Found"), keepAlive);
        } catch (IOException e) {
            return writeResponse(request, internalError(request, e), keepAlive);
        }
        long size;
        long modified;
        try {
            BasicFileAttributes attributes = Asyncio.toThreadChecked(
                    () -> Files.readAttributes(response.file(), BasicFileAttributes.class), IOException.class);
            size = attributes.size();
            modified = attributes.lastModifiedTime().toMillis();
        } catch (IOException e) {
            file.close();
            return writeResponse(request, internalError(request, e), keepAlive);
        }
        try {
            int status = response.status();
            String reason = response.reason();
            FileSelection part = new FileSelection(FileSelection.Kind.FULL, 0, size);
            if (status == 200) { // the handler's own status (an error page from a file) is sent as it is
                part = FileSelection.of(request.method(), request.headers(), size, modified);
                h.addParsed("ETag", FileSelection.entityTag(size, modified));
                h.addParsed("Last-Modified", HttpDate.format(Math.floorDiv(modified, 1000)));
                h.addParsed("Accept-Ranges", "bytes");
            }
            switch (part.kind()) {
                case NOT_MODIFIED -> {
                    status = 304;
                    reason = null;
                    sendBody = false;
                }
                case PRECONDITION_FAILED -> {
                    return writeResponse(request, HttpResponse.text(412, "Precondition Failed"), keepAlive);
                }
                case UNSATISFIABLE -> {
                    status = 416;
                    reason = null;
                    sendBody = false;
                    h.addParsed("Content-Range", "bytes */" + size);
                    h.addParsed("Content-Length", "0");
                }
                case PARTIAL -> {
                    status = 206;
                    reason = null;
                    h.addParsed("Content-Range", "bytes " + part.first() + "-" + (part.first() + part.length() - 1) + "/" + size);
                    h.addParsed("Content-Length", Long.toString(part.length()));
                }
                case FULL -> h.addParsed("Content-Length", Long.toString(size));
            }
            sentStatus = status;
            connectionHeader(h, keepAlive, http10);
            writer.write(HttpEncoder.responseHead(status, reason, h));
            if (sendBody && part.length() > 0) {
                After failed = transport.getExtraInfo("sslSession") == null && transport.getExtraInfo("socket") instanceof SocketChannel ch
                        ? sendZeroCopy(file, part.first(), part.length(), ch, response) : sendInBlocks(file, part.first(), part.length(), response);
                if (failed != null) {
                    return failed;
                }
            }
            writer.drain();
            return keepAlive ? After.KEEP_ALIVE : After.CLOSE;
        } finally {
            file.close();
        }
    }

    /**
     * A file over plain TCP: {@code FileChannel.transferTo} into the socket (sendfile: the bytes go from the
     * page cache to the socket without entering the JVM), waiting for writability when the socket is full.
     * Returns null when sent, ABORT if the file shrank. Implementation notes: the head must be in the
     * kernel before the file follows it, so the transport's buffer is drained to empty first (write limits
     * at 0, as asyncio's {@code sendfile} does); while the file is sent nobody else writes to the connection
     * (its task is the only writer), so the writability watch is ours. The kernel reads the file on the loop
     * thread: from the page cache that is a copy; a cold file costs disk reads there (as in asyncio and
     * uvloop); TLS connections use {@link #sendInBlocks} instead.
     */
    private After sendZeroCopy(FileChannel file, long first, long size, SocketChannel ch, HttpResponse response) throws IOException {
        transport.setWriteBufferLimits(0, 0);
        try {
            writer.drain();
        } finally {
            transport.setWriteBufferLimits(64 * 1024, 16 * 1024); // the defaults, which this server never changes
        }
        long sent = 0;
        while (sent < size) {
            long n = file.transferTo(first + sent, size - sent, ch);
            if (n > 0) {
                sent += n;
                sentBytes = sent;
                Asyncio.yieldNow(); // a fast client must not keep the loop to itself
                continue;
            }
            if (file.size() <= first + sent) {
                LOG.log(System.Logger.Level.WARNING, response.file() + " shrank while it was sent");
                return After.ABORT;
            }
            if (transport.isClosing()) {
                throw new IOException("the connection closed while " + response.file() + " was sent");
            }
            io.jasyncio.Future<Void> writable = loop.createFuture();
            loop.addWriter(ch, () -> writable.trySetResult(null));
            try {
                writable.await(); // a lost connection cancels this task (connectionLost)
            } finally {
                loop.removeWriter(ch);
            }
        }
        return null;
    }

    /**
     * {@code size} bytes of a file from {@code first}, in blocks read off the loop thread, each written with
     * backpressure; null when sent, ABORT on failure.
     */
    private After sendInBlocks(FileChannel file, long first, long size, HttpResponse response) throws IOException {
        ByteBuffer block = ByteBuffer.allocate((int) Math.min(FILE_BLOCK, Math.max(1, size)));
        long sent = 0;
        while (sent < size) {
            block.clear();
            block.limit((int) Math.min(block.capacity(), size - sent));
            long at = first + sent;
            int n;
            try {
                n = Asyncio.toThreadChecked(() -> file.read(block, at), IOException.class);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "reading " + response.file() + " failed after its head was sent", e);
                return After.ABORT;
            }
            if (n < 0) {
                LOG.log(System.Logger.Level.WARNING, response.file() + " shrank while it was sent");
                return After.ABORT;
            }
            block.flip();
            byte[] data = new byte[block.remaining()];
            block.get(data);
            writer.write(data);
            writer.drain();
            sent += n;
            sentBytes = sent;
        }
        return null;
    }

    private After writeStream(HttpRequest request, HttpResponse response, HttpHeaders h, boolean keepAlive, boolean http10,
                              boolean sendBody, boolean statusWithoutBody) throws IOException {
        long declared = -1;
        String length = h.get("Content-Length");
        if (length != null) {
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = -2;
            }
            if (declared < 0) {
                return writeResponse(request, internalError(request,
                        new IllegalArgumentException("invalid Content-Length on a streamed response: " + length)), keepAlive);
            }
        }
        boolean chunked = declared < 0 && !http10 && !statusWithoutBody;
        if (declared < 0 && http10) {
            keepAlive = false; // HTTP/1.0 has no chunks: the close ends the body
        }
        if (chunked) {
            h.addParsed("Transfer-Encoding", "chunked");
        }
        connectionHeader(h, keepAlive, http10);
        writer.write(HttpEncoder.responseHead(response.status(), response.reason(), h));
        if (!sendBody) {
            writer.drain();
            return keepAlive ? After.KEEP_ALIVE : After.CLOSE;
        }
        ResponseStream out = new ResponseStream(writer, chunked, declared);
        try {
            response.writer().writeTo(out);
        } catch (IOException e) {
            sentBytes = out.bytesWritten();
            if (transport.isClosing()) {
                throw e; // the connection is gone
            }
            LOG.log(System.Logger.Level.WARNING, "streamed body of " + request + " failed after its head was sent", e);
            return After.ABORT;
        } catch (Exception e) {
            sentBytes = out.bytesWritten();
            LOG.log(System.Logger.Level.WARNING, "streamed body of " + request + " failed after its head was sent", e);
            return After.ABORT;
        }
        sentBytes = out.bytesWritten();
        if (!out.finish()) {
            LOG.log(System.Logger.Level.WARNING, "streamed body of " + request + " wrote " + out.bytesWritten()
                    + " bytes, not the declared Content-Length " + length);
            return After.ABORT;
        }
        return keepAlive ? After.KEEP_ALIVE : After.CLOSE;
    }

    /**
     * The handler's headers as they go out: without the framing and connection fields the server writes
     * itself (Transfer-Encoding, Connection, Date, and Content-Length unless the body is streamed, where the
     * handler may declare it), with {@code Server} and {@code Date} added. One pass, no re-validation: the
     * fields were checked when they entered the response's {@link HttpHeaders}.
     */
    private HttpHeaders headersToSend(HttpResponse response) {
        HttpHeaders user = response.headers();
        boolean lengthIsOurs = response.kind() != HttpResponse.Kind.STREAM;
        HttpHeaders h = new HttpHeaders(user.size() + 4);
        boolean hasServer = false;
        for (int i = 0; i < user.size(); i++) {
            String name = user.name(i);
            if (name.equalsIgnoreCase("Transfer-Encoding") || name.equalsIgnoreCase("Connection") || name.equalsIgnoreCase("Date")
                    || (lengthIsOurs && name.equalsIgnoreCase("Content-Length"))) {
                continue;
            }
            hasServer |= name.equalsIgnoreCase("Server");
            h.addParsed(name, user.value(i));
        }
        if (!hasServer && options.serverName() != null) {
            h.addParsed("Server", options.serverName()); // checked by HttpServerOptions
        }
        h.addParsed("Date", HttpDate.now());
        return h;
    }

    /** Adds the Connection field a response needs (the handler's own was dropped by {@link #headersToSend}). */
    private static void connectionHeader(HttpHeaders h, boolean keepAlive, boolean http10) {
        if (!keepAlive) {
            h.addParsed("Connection", "close");
        } else if (http10) {
            h.addParsed("Connection", "keep-alive");
        }
    }

    private boolean upgrade(HttpRequest request, HttpResponse response, HttpBody body, HttpParser parser, long started)
            throws IOException {
        if (!body.isComplete()) {
            body.discard();
        }
        HttpHeaders h = new HttpHeaders(response.headers());
        if (options.serverName() != null) {
            h.setIfAbsent("Server", options.serverName());
        }
        h.set("Date", HttpDate.now());
        writer.write(HttpEncoder.responseHead(101, null, h));
        writer.drain();
        sentStatus = 101;
        sentBytes = 0;
        accessLog(request, started);
        parser.upgrade();
        byte[] early = parser.takeRemaining();
        state = State.UPGRADED;
        try {
            response.upgrade().run(early, reader, writer);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "the protocol that took over " + request + " failed", e);
        }
        return false;
    }

    /** A response to a request whose head could not be read; the connection closes after it. */
    private void sendError(int status, String message) throws IOException {
        state = State.WRITING;
        HttpHeaders h = HttpHeaders.of("Content-Type", "text/plain; charset=utf-8", "Connection", "close");
        if (options.serverName() != null) {
            h.set("Server", options.serverName());
        }
        h.set("Date", HttpDate.now());
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        h.set("Content-Length", Integer.toString(body.length));
        writer.write(HttpEncoder.responseHead(status, null, h));
        writer.write(body);
        writer.drain();
        LOG.log(System.Logger.Level.DEBUG, () -> "answered " + status + " to " + transport.getExtraInfo("peername") + ": " + message);
    }

    /** Half-closes, drops what the client still sends for a bounded time, then closes (implementation notes). */
    private void lingeringClose() {
        if (writer.canWriteEof() && !writer.isClosing()) {
            writer.writeEof();
            Asyncio.timeoutOrNull(LINGER, () -> {
                long dropped = 0;
                while (dropped < LINGER_BYTES) {
                    byte[] b;
                    try {
                        b = reader.read(64 * 1024);
                    } catch (IOException | IllegalStateException e) {
                        break;
                    }
                    if (b.length == 0) {
                        break;
                    }
                    dropped += b.length;
                }
                return null;
            });
        }
        writer.close();
    }

    private void accessLog(HttpRequest request, long startedNanos) {
        if (options.accessLog() && ACCESS.isLoggable(System.Logger.Level.INFO)) {
            InetSocketAddress r = request.remoteAddress();
            ACCESS.log(System.Logger.Level.INFO, (r == null ? "-" : r.getAddress().getHostAddress()) + " \"" + request.method() + " "
                    + request.target() + " " + request.version() + "\" " + sentStatus + " " + sentBytes + " "
                    + String.format("%.3fms", (System.nanoTime() - startedNanos) / 1e6));
        }
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private Duration remaining(double deadline) {
        return Duration.ofNanos(Math.max(1, (long) ((deadline - loop.time()) * 1e9)));
    }

    @Override
    public String toString() {
        return "ServerConnection[" + (transport == null ? "-" : transport.getExtraInfo("peername")) + ", " + state + "]";
    }
}
