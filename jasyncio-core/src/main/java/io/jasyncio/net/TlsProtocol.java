package io.jasyncio.net;

import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.TimerHandle;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * TLS on top of a plain transport: asyncio's {@code SSLProtocol}. It is the raw transport's
 * protocol (ciphertext in and out) and gives the application protocol a {@link Transport} of its
 * own (plaintext), driving a JDK {@link SSLEngine} in between.
 *
 * <h2>States</h2>
 * <pre>
 *  state       | application sees                      | next
 *  HANDSHAKING | nothing yet; its writes are queued    | OPEN (handshake done), CLOSED (failure or timeout)
 *  OPEN        | data both ways                        | CLOSING (close), CLOSED (peer close_notify, error)
 *  CLOSING     | close_notify sent after flushing      | CLOSED
 *  CLOSED      | connectionLost, exactly once           | -
 * </pre>
 * Invariants: (1) the application's {@code connectionMade} comes only after the handshake, with
 * its transport; (2) a handshake failure completes {@link #handshake} exceptionally with an
 * {@link SSLHandshakeException} naming the cause, and the application protocol is never started;
 * (3) delegated tasks (certificate checks) run inline on the loop: they are CPU work bounded by
 * the handshake, and running them elsewhere would only reorder events.
 *
 * <p>Loop-confined, like the transport under it.
 */
final class TlsProtocol implements Protocol {
    private enum State { HANDSHAKING, OPEN, CLOSING, CLOSED }

    private final EventLoop loop;
    private final SSLEngine engine;
    private final Protocol app;
    private final TlsOptions options;
    final Future<Void> handshake;
    private final TlsTransport appTransport = new TlsTransport();
    private Transport raw;
    private State state = State.HANDSHAKING;
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private final ArrayDeque<ByteBuffer> pendingAppWrites = new ArrayDeque<>();
    private TimerHandle handshakeTimer;
    private boolean appReading = true;
    private boolean eofFromPeer;
    /** Upgrading a running connection (startTls): the application protocol is already started. */
    private boolean upgrade;

    TlsProtocol(EventLoop loop, TlsOptions options, Protocol app, boolean serverSide, String peerHost, int peerPort) {
        this.loop = loop;
        this.app = app;
        this.options = options;
        this.handshake = loop.createFuture();
        String host = options.serverHostname() != null ? options.serverHostname() : peerHost;
        this.engine = serverSide || host == null ? options.context().createSSLEngine()
                : options.context().createSSLEngine(host, peerPort);
        engine.setUseClientMode(!serverSide);
        SSLParameters params = engine.getSSLParameters();
        if (!serverSide) {
            if (options.verifyHostname()) {
                params.setEndpointIdentificationAlgorithm("HTTPS");
            }
            if (host != null && !host.isEmpty() && !isIpLiteral(host)) {
                params.setServerNames(List.of(new SNIHostName(host)));
            }
        }
        if (!options.alpn().isEmpty()) {
            params.setApplicationProtocols(options.alpn().toArray(new String[0]));
        }
        engine.setSSLParameters(params);
        SSLSession session = engine.getSession();
        netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    Transport appTransport() {
        return appTransport;
    }

    /** Marks this protocol as an upgrade of a connection whose protocol already runs. */
    void upgrading() {
        this.upgrade = true;
    }

    // ---------------------------------------------------------------- raw side

    @Override
    public void connectionMade(Transport transport) {
        raw = transport;
        handshakeTimer = loop.callLater(options.handshakeTimeout(), () -> fail(new SSLHandshakeException(
                "TLS handshake did not finish within " + options.handshakeTimeout())));
        try {
            engine.beginHandshake();
            advance();
        } catch (SSLException e) {
            fail(e);
        }
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        if (state == State.CLOSED) {
            return;
        }
        if (netIn.remaining() < data.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(netIn.position() + data.remaining() + engine.getSession().getPacketBufferSize());
            netIn.flip();
            bigger.put(netIn);
            netIn = bigger;
        }
        netIn.put(data);
        try {
            advance();
        } catch (SSLException e) {
            fail(e);
        }
    }

    @Override
    public boolean eofReceived() {
        eofFromPeer = true;
        try {
            engine.closeInbound(); // throws if the peer did not send close_notify (truncation)
        } catch (SSLException truncated) {
            if (state == State.HANDSHAKING) {
                fail(new SSLHandshakeException("the peer closed the connection during the TLS handshake"));
                return false;
            }
            // After the handshake, a missing close_notify is common (HTTP peers); treat as EOF.
        }
        if (state == State.OPEN || state == State.CLOSING) {
            return app.eofReceived();
        }
        return false;
    }

    @Override
    public void connectionLost(Throwable exc) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        State before = state;
        state = State.CLOSED;
        if (before == State.HANDSHAKING) {
            if (!handshake.done()) {
                handshake.setException(exc != null ? handshakeError(exc)
                        : new SSLHandshakeException("the connection closed during the TLS handshake"));
                handshake.exception();
            }
            return;
        }
        app.connectionLost(exc);
    }

    @Override
    public void pauseWriting() {
        if (state == State.OPEN) {
            app.pauseWriting();
        }
    }

    @Override
    public void resumeWriting() {
        if (state == State.OPEN) {
            app.resumeWriting();
        }
    }

    // ---------------------------------------------------------------- the engine

    /** Runs the engine as far as the buffered input and the handshake state allow. */
    private void advance() throws SSLException {
        while (state != State.CLOSED) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                }
                case NEED_WRAP -> wrap(ByteBuffer.allocate(0));
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrapOnce()) {
                        return; // wait for more bytes from the peer
                    }
                }
                default -> { // NOT_HANDSHAKING or FINISHED
                    if (state == State.HANDSHAKING) {
                        handshakeFinished();
                    }
                    if (!unwrapOnce()) {
                        return;
                    }
                }
            }
        }
    }

    /** Unwraps one record from netIn; returns false when more bytes are needed. */
    private boolean unwrapOnce() throws SSLException {
        netIn.flip();
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
        }
        switch (r.getStatus()) {
            case BUFFER_UNDERFLOW:
                return false;
            case BUFFER_OVERFLOW:
                appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                return true;
            case CLOSED:
                deliverPlaintext();
                if (state != State.CLOSED) {
                    // close_notify from the peer: answer it and close.
                    engine.closeOutbound();
                    flushWraps();
                    raw.close();
                }
                return false;
            default:
                deliverPlaintext();
                return r.bytesConsumed() > 0 || r.bytesProduced() > 0
                        || r.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING;
        }
    }

    private void deliverPlaintext() {
        if (appIn.position() == 0 || state == State.HANDSHAKING) {
            return;
        }
        appIn.flip();
        ByteBuffer view = appIn.asReadOnlyBuffer();
        app.dataReceived(view);
        appIn.clear();
    }

    private void wrap(ByteBuffer src) throws SSLException {
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        while (true) {
            SSLEngineResult r = engine.wrap(src, out);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                out = grow(out, engine.getSession().getPacketBufferSize());
                continue;
            }
            out.flip();
            if (out.hasRemaining()) {
                raw.write(out);
            }
            out.clear();
            if (!src.hasRemaining() || r.getStatus() == SSLEngineResult.Status.CLOSED) {
                return;
            }
        }
    }

    private void flushWraps() throws SSLException {
        while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP || !engine.isOutboundDone()) {
            int before = raw.getWriteBufferSize();
            wrap(ByteBuffer.allocate(0));
            if (engine.isOutboundDone() || raw.getWriteBufferSize() == before && engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                return;
            }
        }
    }

    private static ByteBuffer grow(ByteBuffer b, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(b.capacity() + atLeast);
        b.flip();
        bigger.put(b);
        return bigger;
    }

    private void handshakeFinished() throws SSLException {
        state = State.OPEN;
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        if (!upgrade) {
            app.connectionMade(appTransport);
        }
        while (!pendingAppWrites.isEmpty() && state == State.OPEN) {
            wrap(pendingAppWrites.pollFirst());
        }
        if (!handshake.done()) {
            handshake.setResult(null);
        }
        if (!appReading) {
            raw.pauseReading();
        }
    }

    private static SSLHandshakeException handshakeError(Throwable cause) {
        if (cause instanceof SSLHandshakeException h) {
            return h;
        }
        SSLHandshakeException e = new SSLHandshakeException("TLS handshake failed: " + cause.getMessage());
        e.initCause(cause);
        return e;
    }

    private void fail(Exception e) {
        if (state == State.CLOSED) {
            return;
        }
        if (state == State.HANDSHAKING) {
            if (!handshake.done()) {
                handshake.setException(handshakeError(e));
                handshake.exception(); // whoever started the connection reads it from the handshake future
            }
            state = State.CLOSED;
            if (handshakeTimer != null) {
                handshakeTimer.cancel();
            }
            raw.abort();
            return;
        }
        state = State.CLOSED;
        raw.abort();
        app.connectionLost(e);
    }

    // ---------------------------------------------------------------- application side

    /** The transport the application protocol writes plaintext to. */
    private final class TlsTransport implements Transport {
        @Override
        public void write(ByteBuffer data) {
            if (state == State.CLOSING || state == State.CLOSED && !eofFromPeer) {
                throw new IllegalStateException("write() after close(): the TLS transport is closed");
            }
            if (state == State.CLOSED) {
                return;
            }
            if (state == State.HANDSHAKING) {
                ByteBuffer copy = ByteBuffer.allocate(data.remaining());
                copy.put(data).flip();
                pendingAppWrites.add(copy);
                return;
            }
            try {
                wrap(data);
            } catch (SSLException e) {
                fail(e);
            }
        }

        @Override
        public void writeEof() {
            throw new UnsupportedOperationException("TLS cannot half-close: use close()");
        }

        @Override
        public boolean canWriteEof() {
            return false;
        }

        @Override
        public void close() {
            if (state != State.OPEN && state != State.HANDSHAKING) {
                return;
            }
            state = State.CLOSING;
            engine.closeOutbound();
            try {
                flushWraps(); // close_notify
            } catch (SSLException ignored) {
                // the connection is going away anyway
            }
            raw.close();
        }

        @Override
        public void abort() {
            state = State.CLOSING;
            raw.abort();
        }

        @Override
        public boolean isClosing() {
            return state == State.CLOSING || state == State.CLOSED;
        }

        @Override
        public void pauseReading() {
            appReading = false;
            raw.pauseReading();
        }

        @Override
        public void resumeReading() {
            appReading = true;
            raw.resumeReading();
        }

        @Override
        public boolean isReading() {
            return appReading;
        }

        @Override
        public void setWriteBufferLimits(int high, int low) {
            raw.setWriteBufferLimits(high, low);
        }

        @Override
        public int getWriteBufferSize() {
            return raw.getWriteBufferSize();
        }

        @Override
        public Object getExtraInfo(String name) {
            return switch (name) {
                case "sslSession" -> engine.getSession();
                case "alpn" -> engine.getApplicationProtocol();
                case "cipher" -> engine.getSession().getCipherSuite();
                case "peercert" -> {
                    try {
                        yield engine.getSession().getPeerCertificates()[0];
                    } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
                        yield null;
                    }
                }
                default -> raw.getExtraInfo(name);
            };
        }

        @Override
        public Protocol getProtocol() {
            return app;
        }

        @Override
        public String toString() {
            return "TlsTransport[" + state.name().toLowerCase() + ", " + raw + "]";
        }
    }
}
