package io.jasyncio.http;

import io.jasyncio.AsyncIterable;
import io.jasyncio.AsyncIterator;
import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.Event;
import io.jasyncio.net.Net;
import io.jasyncio.net.StreamPair;
import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamWriter;
import io.jasyncio.net.TlsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * One WebSocket connection (RFC 6455), either side: aiohttp's {@code WebSocketResponse} and
 * {@code ClientWebSocketResponse}. A server gets one in its {@link WebSocketHandler} (see
 * {@link Router#websocket}); a client opens one with {@link #connect(URI)} ({@code ws://} or
 * {@code wss://}).
 *
 * <pre>{@code
 * try (WebSocket ws = WebSocket.connect(URI.create("ws://127.0.0.1:8080/chat"))) {
 *     ws.sendText("hello");
 *     WebSocketMessage reply = ws.receive();
 * }
 * }</pre>
 *
 * <ul>
 * <li>{@link #receive()} returns the next whole message (fragments joined, text checked to be UTF-8), or
 *     null once the conversation ended: the peer closed ({@link #closeCode()} says how; 1006 if the
 *     connection dropped without a close frame). Pings are answered with pongs inside it. A peer that
 *     breaks the protocol gets the matching close code and receive() throws a
 *     {@link WebSocketProtocolException}. For-each over the WebSocket receives until the end.</li>
 * <li>{@link #sendText}, {@link #sendBinary}, {@link #ping} write one frame and wait while the peer reads
 *     slowly (drain). Any task may send while another receives; frames are never interleaved.</li>
 * <li>{@link #close(int, String)} sends a close frame and waits (at most
 *     {@link WebSocketOptions#closeTimeout()}) for the peer's, then closes the connection.</li>
 * </ul>
 *
 * <h2>States</h2>
 * <pre>
 *  state   | receive             | send          | next
 *  OPEN    | messages            | yes           | CLOSING (close()), CLOSED (peer's close, error, drop)
 *  CLOSING | drops until the     | IOException   | CLOSED (peer's close frame, timeout)
 *          | peer's close        |               |
 *  CLOSED  | null                | IOException   | -
 * </pre>
 * Loop-confined; one receiving task at a time (a second concurrent receive() is refused).
 *
 * <p>Cancellation: a cancelled receive() loses no message (bytes stay buffered in the codec); a cancelled
 * send may have queued its frame, which is then still sent whole.
 */
public final class WebSocket implements AsyncIterable<WebSocketMessage>, AutoCloseable {
    private enum State { OPEN, CLOSING, CLOSED }

    private static final System.Logger LOG = System.getLogger("io.jasyncio.http.websocket");
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int READ_SIZE = 64 * 1024;

    private final boolean client;
    private final StreamReader reader;
    private final StreamWriter writer;
    private final WebSocketCodec codec;
    private final WebSocketOptions options;
    private final Event ended = new Event();
    private State state = State.OPEN;
    private boolean receiving;
    private final String protocol;
    private int closeCode = -1;
    private String closeReason = "";

    WebSocket(boolean client, byte[] early, StreamReader reader, StreamWriter writer, WebSocketOptions options, String protocol) {
        this.client = client;
        this.protocol = protocol;
        this.reader = reader;
        this.writer = writer;
        this.options = options;
        this.codec = new WebSocketCodec(!client, options.maxMessageBytes());
        codec.feed(early);
    }

    // ---- client ----------------------------------------------------------------------------------------

    /** Opens a client WebSocket to {@code ws://} or {@code wss://} {@code uri} with the defaults. */
    public static WebSocket connect(URI uri) throws IOException {
        return connect(uri, WebSocketOptions.defaults());
    }

    /**
     * Opens a client WebSocket: connects (TLS for {@code wss://}), sends the handshake and checks the
     * server's {@code 101} and {@code Sec-WebSocket-Accept}, all within {@link WebSocketOptions#handshakeTimeout()}.
     *
     * @throws WebSocketHandshakeException if the server did not switch to WebSocket properly
     * @throws io.jasyncio.TimeoutException if the handshake did not finish in time
     */
    public static WebSocket connect(URI uri, WebSocketOptions options) throws IOException {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(options, "options");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("a WebSocket URI starts with ws:// or wss://, not " + uri);
        }
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("no host in WebSocket URI " + uri);
        }
        boolean tls = scheme.equals("wss");
        int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return Asyncio.timeout(options.handshakeTimeout(), () -> {
            TlsOptions tlsOptions = options.tls() != null ? options.tls() : TlsOptions.defaultClient();
            StreamPair s = tls ? Net.openConnection(host, port, tlsOptions) : Net.openConnection(host, port);
            try {
                return handshake(s, uri, host, port, tls, target, options);
            } catch (Throwable t) {
                s.writer().transport().abort();
                throw t;
            }
        });
    }

    private static WebSocket handshake(StreamPair s, URI uri, String host, int port, boolean tls, String target,
                                       WebSocketOptions options) throws IOException {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        HttpHeaders h = new HttpHeaders(options.headers());
        boolean defaultPort = port == (tls ? 443 : 80);
        String hostHeader = host.contains(":") ? "[" + host + "]" : host;
        h.set("Host", defaultPort ? hostHeader : hostHeader + ":" + port);
        h.set("Upgrade", "websocket");
        h.set("Connection", "Upgrade");
        h.set("Sec-WebSocket-Key", key);
        h.set("Sec-WebSocket-Version", "13");
        if (!options.protocols().isEmpty()) {
            h.set("Sec-WebSocket-Protocol", String.join(", ", options.protocols()));
        }
        s.writer().write(HttpEncoder.requestHead("GET", target, h));
        s.writer().drain();
        HttpParser parser = HttpParser.forResponses(HttpLimits.CLIENT_DEFAULTS);
        parser.expectResponseTo("GET");
        HttpEventReader events = new HttpEventReader(s.reader(), parser, null);
        ResponseHead head;
        do {
            HttpEvent e = events.next();
            if (!(e instanceof ResponseHead r)) {
                throw new WebSocketHandshakeException(0, "the connection to " + uri + " closed during the WebSocket handshake");
            }
            head = r;
        } while (head.status() == 100);
        if (head.status() != 101) {
            throw new WebSocketHandshakeException(head.status(), "WebSocket handshake with " + uri + " failed: the server answered "
                    + head.status() + " " + head.reason() + " instead of 101 Switching Protocols");
        }
        if (!head.headers().containsToken("Upgrade", "websocket") || !head.headers().containsToken("Connection", "upgrade")) {
            throw new WebSocketHandshakeException(101, "WebSocket handshake with " + uri + " failed: the 101 lacks Upgrade: websocket"
                    + " and Connection: upgrade");
        }
        String accept = head.headers().get("Sec-WebSocket-Accept");
        if (!acceptFor(key).equals(accept)) {
            throw new WebSocketHandshakeException(101, "WebSocket handshake with " + uri + " failed: wrong Sec-WebSocket-Accept " + accept);
        }
        String chosen = head.headers().get("Sec-WebSocket-Protocol");
        if (chosen != null && !options.protocols().contains(chosen.trim())) {
            throw new WebSocketHandshakeException(101, "WebSocket handshake with " + uri + " failed: the server chose subprotocol "
                    + chosen + ", which was not offered (" + options.protocols() + ")");
        }
        return new WebSocket(true, parser.takeRemaining(), s.reader(), s.writer(), options, chosen == null ? null : chosen.trim());
    }

    // ---- server ----------------------------------------------------------------------------------------

    /** The server's answer to a WebSocket request: 101 and the handler, or a 4xx saying what is wrong. */
    static HttpResponse accept(HttpRequest request, WebSocketOptions options, WebSocketHandler handler) {
        HttpHeaders h = request.headers();
        if (!request.version().equals("HTTP/1.1")) {
            throw new HttpStatusException(400, "a WebSocket handshake needs HTTP/1.1, not " + request.version());
        }
        if (!h.containsToken("Upgrade", "websocket") || !h.containsToken("Connection", "upgrade")) {
            throw new HttpStatusException(426, "this resource speaks WebSocket only (Upgrade: websocket)",
                    HttpHeaders.of("Upgrade", "websocket", "Connection", "Upgrade"));
        }
        if (!"13".equals(h.get("Sec-WebSocket-Version"))) {
            throw new HttpStatusException(426, "unsupported WebSocket version " + h.get("Sec-WebSocket-Version") + " (13 is spoken)",
                    HttpHeaders.of("Sec-WebSocket-Version", "13"));
        }
        String key = h.get("Sec-WebSocket-Key");
        byte[] nonce;
        try {
            nonce = key == null ? null : Base64.getDecoder().decode(key.trim());
        } catch (IllegalArgumentException e) {
            nonce = null;
        }
        if (nonce == null || nonce.length != 16) {
            throw new HttpStatusException(400, "Sec-WebSocket-Key must be 16 bytes in base64");
        }
        String chosen = null;
        List<String> offered = new ArrayList<>();
        for (String value : h.getAll("Sec-WebSocket-Protocol")) {
            for (String part : value.split(",")) {
                offered.add(part.trim());
            }
        }
        for (String mine : options.protocols()) {
            if (offered.contains(mine)) {
                chosen = mine;
                break;
            }
        }
        String protocol = chosen;
        HttpResponse r = HttpResponse.switchingProtocols((early, reader, writer) -> {
            WebSocket ws = new WebSocket(false, early, reader, writer, options, protocol);
            ws.serve(handler, request);
        });
        r.headers().set("Upgrade", "websocket").set("Connection", "Upgrade").set("Sec-WebSocket-Accept", acceptFor(key.trim()));
        if (protocol != null) {
            r.headers().set("Sec-WebSocket-Protocol", protocol);
        }
        return r;
    }

    private void serve(WebSocketHandler handler, HttpRequest request) throws IOException {
        try {
            handler.handle(this, request);
        } catch (CancelledError e) {
            Asyncio.shielded(() -> Asyncio.timeoutOrNull(options.closeTimeout(), () -> {
                close(1001, "going away");
                return null;
            }));
            throw e;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "WebSocket handler failed on " + request + "; closing with 1011", e);
            close(1011, "internal error");
            return;
        }
        close(1000, "");
    }

    static String acceptFor(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    // ---- the conversation ------------------------------------------------------------------------------

    /**
     * The next message, or null once the WebSocket is closed (see {@link #closeCode()}). Suspends.
     *
     * @throws WebSocketProtocolException if the peer broke the protocol (the connection is then closed with its code)
     */
    public WebSocketMessage receive() throws IOException {
        if (receiving) {
            throw new IllegalStateException("receive() called while another task is receiving on this WebSocket");
        }
        receiving = true;
        try {
            while (true) {
                if (state == State.CLOSED) {
                    return null;
                }
                WebSocketCodec.Frame f;
                try {
                    f = codec.next();
                } catch (WebSocketProtocolException e) {
                    failWith(e);
                    throw e;
                }
                if (f == null) {
                    byte[] data;
                    try {
                        data = reader.read(READ_SIZE);
                    } catch (IOException e) {
                        ended(1006, "the connection failed: " + e.getMessage());
                        return null;
                    }
                    if (data.length == 0) {
                        ended(1006, "the connection closed without a close frame");
                        return null;
                    }
                    codec.feed(data);
                    continue;
                }
                switch (f.opcode()) {
                    case WebSocketCodec.TEXT -> {
                        if (state == State.OPEN) {
                            return new WebSocketMessage(true, f.payload(), f.text());
                        }
                    }
                    case WebSocketCodec.BINARY -> {
                        if (state == State.OPEN) {
                            return new WebSocketMessage(false, f.payload(), null);
                        }
                    }
                    case WebSocketCodec.PING -> {
                        if (state == State.OPEN) {
                            sendFrame(WebSocketCodec.PONG, f.payload());
                            writer.drain(); // a peer that pings and never reads must not fill our memory with pongs
                        }
                    }
                    case WebSocketCodec.PONG -> {
                        // unsolicited or answering our ping: nothing to do
                    }
                    case WebSocketCodec.CLOSE -> {
                        int code = WebSocketCodec.closeCode(f.payload());
                        if (state == State.OPEN) {
                            // echo the code (RFC 6455 §5.5.1), then the conversation is over
                            trySend(WebSocketCodec.CLOSE, code == 1005 ? new byte[0] : WebSocketCodec.closePayload(code, ""));
                        }
                        ended(code, WebSocketCodec.closeReason(f.payload()));
                        return null;
                    }
                    default -> throw new IllegalStateException("unexpected frame opcode " + f.opcode());
                }
            }
        } finally {
            receiving = false;
        }
    }

    /**
     * Sends a text message.
     *
     * @throws IOException if the WebSocket is closing or the connection was lost
     */
    public void sendText(String text) throws IOException {
        Objects.requireNonNull(text, "text");
        send(WebSocketCodec.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends a binary message.
     *
     * @throws IOException if the WebSocket is closing or the connection was lost
     */
    public void sendBinary(byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        send(WebSocketCodec.BINARY, data);
    }

    /** Sends a ping (the peer answers with a pong, which receive() absorbs); at most 125 bytes. */
    public void ping(byte[] payload) throws IOException {
        if (payload.length > 125) {
            throw new IllegalArgumentException("a ping carries at most 125 bytes, not " + payload.length);
        }
        send(WebSocketCodec.PING, payload);
    }

    private void send(int opcode, byte[] payload) throws IOException {
        if (state != State.OPEN) {
            throw new IOException("the WebSocket is " + (state == State.CLOSING ? "closing" : "closed")
                    + (closeCode > 0 ? " (code " + closeCode + ")" : ""));
        }
        sendFrame(opcode, payload);
        writer.drain();
    }

    private void sendFrame(int opcode, byte[] payload) {
        byte[] mask = null;
        if (client) {
            mask = new byte[4];
            RANDOM.nextBytes(mask);
        }
        writer.write(WebSocketCodec.encode(opcode, true, payload, mask));
    }

    private void trySend(int opcode, byte[] payload) {
        if (!writer.isClosing()) {
            sendFrame(opcode, payload);
        }
    }

    /**
     * Closes: sends a close frame with {@code code} (1000 normal, 1001 going away, 3000-4999 for
     * applications...) and {@code reason} (at most 123 bytes of UTF-8), waits for the peer's close frame
     * (at most the close timeout), then closes the connection. Returns at once if already closed.
     *
     * <p>Cancellation: the connection is closed all the same (without waiting for the peer).
     */
    public void close(int code, String reason) throws IOException {
        if (code != 1000 && !WebSocketCodec.validCloseCode(code)) {
            throw new IllegalArgumentException("invalid close code " + code + " (1000-1003, 1007-1014, 3000-4999)");
        }
        byte[] payload = WebSocketCodec.closePayload(code, reason);
        if (state != State.OPEN) {
            if (state == State.CLOSING) {
                ended.await();
            }
            return;
        }
        state = State.CLOSING;
        try {
            trySend(WebSocketCodec.CLOSE, payload);
            writer.drain();
            Asyncio.timeoutOrNull(options.closeTimeout(), () -> {
                if (receiving) {
                    ended.await(); // the receiving task reads the peer's close
                } else {
                    try {
                        while (receive() != null) {
                            // messages after our close are dropped (RFC 6455 §1.4)
                        }
                    } catch (WebSocketProtocolException e) {
                        // already answered and closed
                    }
                }
                return null;
            });
        } catch (IOException e) {
            // the connection is gone: closed anyway
        } finally {
            ended(code, reason);
        }
    }

    /** {@link #close(int, String)} with 1000 (normal closure). */
    @Override
    public void close() throws IOException {
        close(1000, "");
    }

    private void failWith(WebSocketProtocolException e) {
        if (state == State.OPEN) {
            String reason = e.getMessage();
            byte[] r = reason.getBytes(StandardCharsets.UTF_8);
            trySend(WebSocketCodec.CLOSE, WebSocketCodec.closePayload(e.closeCode(), r.length <= 123 ? reason : ""));
        }
        ended(e.closeCode(), e.getMessage());
    }

    private void ended(int code, String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (closeCode < 0) {
            closeCode = code;
            closeReason = reason;
        }
        writer.close();
        ended.set();
    }

    /** The subprotocol both sides agreed on in the handshake, or null. */
    public String protocol() {
        return protocol;
    }

    /** True until a close frame was sent or received, or the connection dropped. */
    public boolean isOpen() {
        return state == State.OPEN;
    }

    /**
     * The code the conversation ended with: the peer's close code (1005 if its close frame had none), the
     * code sent for a protocol error, 1006 if the connection dropped without a close; -1 while open.
     */
    public int closeCode() {
        return closeCode;
    }

    /** The reason that came with {@link #closeCode()}, or "". */
    public String closeReason() {
        return closeReason;
    }

    /** The peer's address. */
    public java.net.SocketAddress remoteAddress() {
        return (java.net.SocketAddress) writer.getExtraInfo("peername");
    }

    @Override
    public AsyncIterator<WebSocketMessage> iterator() {
        return new AsyncIterator<>() {
            private WebSocketMessage next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = receive();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return next != null;
            }

            @Override
            public WebSocketMessage next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                WebSocketMessage m = next;
                next = null;
                return m;
            }

            @Override
            public void close() {
                // leaving the loop early leaves the WebSocket open: closing it is the owner's call
            }
        };
    }

    @Override
    public String toString() {
        return "WebSocket[" + (client ? "client" : "server") + ", " + state + (closeCode > 0 ? ", code=" + closeCode : "")
                + ", peer=" + remoteAddress() + "]";
    }
}
