package io.jasyncio.net;

import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.TimerHandle;
import java.io.IOException;
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
 * (3) the application's {@code connectionLost} is called at most once;
 * (4) the engine's delegated tasks (certificate checks, key exchange) run on the loop's default
 * executor, never on the loop thread, so a slow trust manager (OCSP, a remote check) cannot stall
 * every task of the loop; while they run the engine is not driven ({@code tasksRunning}): bytes
 * from the peer pile up in {@code netIn} and plaintext writes wait in {@code pendingAppWrites};
 * (5) plaintext written before the engine can take it (during the handshake, while tasks run) is
 * counted in the write buffer the application sees, through {@link WriteFlowControl} with the raw
 * transport's buffer below it: its size is pending plaintext plus ciphertext not yet sent.
 *
 * <p>A peer that closes TCP without {@code close_notify} while the connection is OPEN truncates it:
 * the application's reader gets an {@link SSLException} ("truncated"), as asyncio raises, unless
 * the user opted in with {@link TlsOptions#suppressRaggedEofs(boolean)}, which makes it a plain EOF.
 * A peer that sends {@code close_notify} and closes TCP at once ends the stream cleanly, even when
 * our answering {@code close_notify} then fails to go out.
 *
 * <p>Loop-confined, like the transport under it (the delegated tasks touch only the engine).
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
    private final WriteFlowControl appFlow;
    private TimerHandle handshakeTimer;
    private boolean tasksRunning;
    /** The peer's FIN came while delegated tasks ran: its close_notify may still be in netIn, unread. */
    private boolean eofWhileTasksRun;
    /** The application protocol runs: connectionMade was called (or it ran before an upgrade). */
    private boolean appStarted;
    private boolean appLost;
    private boolean appReading = true;
    private boolean eofFromPeer;
    /** The peer ended the TLS session with close_notify: what it sent is complete. */
    private boolean closeNotifyReceived;
    /** Upgrading a running connection (startTls): the application protocol is already started. */
    private boolean upgrade;

    /** The application's protocol, which starts once the handshake is done. */
    Protocol appProtocol() {
        return app;
    }

    TlsProtocol(EventLoop loop, TlsOptions options, Protocol app, boolean serverSide, String peerHost, int peerPort) {
        this.loop = loop;
        this.app = app;
        this.options = options;
        this.handshake = loop.createFuture();
        this.appFlow = new WriteFlowControl(loop, app::pauseWriting, app::resumeWriting,
                () -> raw == null ? 0 : raw.getWriteBufferSize());
        String host = options.serverHostname() != null ? options.serverHostname() : peerHost;
        this.engine = serverSide || host == null ? options.context().createSSLEngine()
                : options.context().createSSLEngine(host, peerPort);
        engine.setUseClientMode(!serverSide);
        SSLParameters params = engine.getSSLParameters();
        if (!serverSide) {
            if (options.verifyHostname()) {
                params.setEndpointIdentificationAlgorithm("HTTPS");
            }
            if (host != null && !host.isEmpty() && !NameLookup.isLiteral(host)) {
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

    Transport appTransport() {
        return appTransport;
    }

    /**
     * Waits for the handshake; on any failure (or cancellation) aborts {@code raw}, the connection
     * under this protocol, so no socket outlives a failed handshake, and rethrows (a checked
     * failure that is not an {@link IOException} arrives wrapped in one).
     */
    void awaitHandshake(Transport raw) throws IOException {
        try {
            handshake.await();
        } catch (RuntimeException | Error e) {
            raw.abort();
            throw e;
        } catch (Exception e) {
            raw.abort();
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    /** Marks this protocol as an upgrade of a connection whose protocol already runs. */
    void upgrading() {
        this.upgrade = true;
        this.appStarted = true;
    }

    // ---------------------------------------------------------------- raw side

    @Override
    public void connectionMade(Transport transport) {
        raw = transport;
        raw.setWriteBufferLimits(appFlow.high(), appFlow.low());
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
        if (tasksRunning) {
            eofWhileTasksRun = true;
            return true; // keep the raw transport: decided once the records before the FIN are unwrapped
        }
        eofFromPeer = true;
        try {
            engine.closeInbound(); // throws if the peer did not send close_notify (truncation)
        } catch (SSLException truncated) {
            if (state == State.HANDSHAKING) {
                fail(new SSLHandshakeException("the peer closed the connection during the TLS handshake"));
                return false;
            }
            if (state == State.OPEN && !options.suppressRaggedEofs()) {
                SSLException e = new SSLException("TLS connection truncated: the peer closed TCP without close_notify "
                        + "(data may be missing; TlsOptions.withSuppressRaggedEofs(true) accepts this as the end)");
                e.initCause(truncated);
                fail(e);
                return false;
            }
            // CLOSING (we sent close_notify first) or opted in: the end of the stream.
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
        appFlow.clear();
        if (before == State.HANDSHAKING) {
            if (!handshake.done()) {
                handshake.setException(exc != null ? handshakeError(exc)
                        : new SSLHandshakeException("the connection closed during the TLS handshake"));
                handshake.exception();
            }
        }
        // After the peer's close_notify its data is complete and pending writes are to be discarded
        // (RFC 5246 7.2.1): failing to send our answering close_notify to a peer that closed at once
        // (broken pipe, reset) is the clean end of the stream, not an error that would hide the
        // plaintext the reader has buffered but not read yet.
        loseApp(closeNotifyReceived && exc instanceof java.io.IOException ? null : exc);
    }

    /** The application's connectionLost, once, and only if it was started (invariants 2 and 3). */
    private void loseApp(Throwable exc) {
        if (appStarted && !appLost) {
            appLost = true;
            app.connectionLost(exc);
        }
    }

    /** The raw transport's buffer crossed a mark: the application sees it through {@link #appFlow}. */
    @Override
    public void pauseWriting() {
        if (appStarted) {
            appFlow.recheck();
        }
    }

    @Override
    public void resumeWriting() {
        if (appStarted) {
            appFlow.recheck();
        }
    }

    // ---------------------------------------------------------------- the engine

    /** Runs the engine as far as the buffered input and the handshake state allow. */
    private void advance() throws SSLException {
        while (state != State.CLOSED && !tasksRunning) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NEED_TASK -> {
                    runDelegatedTasks();
                    return; // resumed when they are done
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
                    flushPendingWrites();
                    if (!unwrapOnce()) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * Runs the engine's delegated tasks on the default executor (invariant 4) and drives the engine
     * again on the loop when they are done.
     */
    private void runDelegatedTasks() {
        java.util.List<Runnable> tasks = new java.util.ArrayList<>();
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            tasks.add(task);
        }
        Future<Void> done;
        try {
            done = loop.runInExecutor(null, () -> {
                for (Runnable t : tasks) {
                    t.run();
                }
                return null;
            });
        } catch (java.util.concurrent.RejectedExecutionException shutDown) {
            // The default executor was shut down (the loop is shutting down): run them here rather than never.
            for (Runnable t : tasks) {
                t.run();
            }
            loop.callSoon(() -> {
                try {
                    advance();
                } catch (SSLException e) {
                    fail(e);
                }
            });
            return;
        }
        tasksRunning = true;
        done.addDoneCallback(f -> {
            tasksRunning = false;
            if (state == State.CLOSED) {
                return;
            }
            Throwable failure = f.cancelled() ? null : f.exception();
            if (failure != null) {
                fail(failure instanceof Exception e ? e : new SSLException("TLS delegated task failed", failure));
                return;
            }
            try {
                advance();
            } catch (SSLException e) {
                fail(e);
                return;
            }
            if (eofWhileTasksRun && !tasksRunning && state != State.CLOSED) {
                eofWhileTasksRun = false;
                if (!eofReceived()) {
                    raw.close();
                }
            }
        });
    }

    /** Wraps the plaintext written while the engine could not take it, once it can. */
    private void flushPendingWrites() throws SSLException {
        if (pendingAppWrites.isEmpty() || state != State.OPEN || tasksRunning) {
            return;
        }
        int total = 0;
        while (!pendingAppWrites.isEmpty() && state == State.OPEN) {
            ByteBuffer b = pendingAppWrites.pollFirst();
            total += b.remaining();
            wrap(b);
        }
        appFlow.remove(Math.min(total, appFlow.ownSize()));
    }

    /**
     * Feeds ciphertext that arrived before this protocol took over the connection (startTls: the
     * peer's ClientHello was already in the stream reader's buffer).
     */
    void feedEarlyBytes(ByteBuffer early) {
        if (early.hasRemaining()) {
            dataReceived(early);
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
                closeNotifyReceived = true;
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
            appStarted = true;
            app.connectionMade(appTransport);
        }
        flushPendingWrites();
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
        appFlow.clear();
        raw.abort();
        loseApp(e);
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
            if (state == State.HANDSHAKING || tasksRunning || !pendingAppWrites.isEmpty()) {
                ByteBuffer copy = ByteBuffer.allocate(data.remaining());
                copy.put(data).flip();
                pendingAppWrites.add(copy);
                appFlow.add(copy.remaining());
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
            appFlow.setLimits(high, low); // validates
            raw.setWriteBufferLimits(high, low); // the raw transport signals at the same marks
        }

        /** Plaintext not yet encrypted plus ciphertext not yet sent (invariant 5). */
        @Override
        public int getWriteBufferSize() {
            return appFlow.size();
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
