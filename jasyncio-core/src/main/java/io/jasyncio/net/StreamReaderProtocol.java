package io.jasyncio.net;

import io.jasyncio.EventLoop;
import io.jasyncio.ExceptionContext;
import io.jasyncio.Future;
import io.jasyncio.Task;
import io.jasyncio.internal.WaitQueue;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;

/**
 * Adapts a {@link Transport} to a {@link StreamReader} and {@link StreamWriter}: asyncio's
 * {@code StreamReaderProtocol} with its {@code FlowControlMixin}. Public so that other
 * transports (pipes, custom ones) can offer the stream API: make one, hand it to the transport,
 * call {@link #connectionMade} and take {@link #writer()}. It feeds received bytes to the
 * reader, pauses {@link StreamWriter#drain()} while the transport's buffer is above its high-water
 * mark, and completes the writer's close future when the connection is lost. For a server it
 * starts the connection's handler as a task.
 */
public final class StreamReaderProtocol implements Protocol {
    private final EventLoop loop;
    private final StreamReader reader;
    private final Net.ClientHandler handler;
    /** The server whose handler this protocol runs (told when the handler starts and ends), or null. */
    private Server server;
    private StreamWriter writer;
    private boolean paused;
    private boolean connectionLost;
    private Throwable lostWith;
    /** Tasks waiting in drain(); made by the first one (an idle connection has none). */
    private WaitQueue drainWaiters;
    /** What {@link StreamWriter#waitClosed()} waits for; made by the first waiter. */
    private Future<Void> closed;

    /** A protocol feeding {@code reader}, on the running loop. */
    public StreamReaderProtocol(StreamReader reader) {
        this(io.jasyncio.Asyncio.getRunningLoop(), reader, null);
    }

    StreamReaderProtocol(EventLoop loop, StreamReader reader, Net.ClientHandler handler) {
        this.loop = loop;
        this.reader = reader;
        this.handler = handler;
    }

    /** Set by the server that accepted the connection, before {@link #connectionMade}. */
    void servedBy(Server s) {
        this.server = s;
    }

    /** The writer, once {@link #connectionMade} has run. */
    public StreamWriter writer() {
        return writer;
    }

    @Override
    public void connectionMade(Transport transport) {
        reader.setTransport(transport);
        writer = new StreamWriter(transport, this, reader);
        if (handler != null) {
            Task<Void> task = loop.createTask("stream-handler", () -> {
                handler.handle(reader, writer);
                return null;
            });
            if (server != null) {
                server.handlerStarted(task);
            }
            task.addDoneCallback(t -> {
                if (server != null) {
                    server.handlerDone(task);
                }
                if (t.cancelled()) {
                    transport.close();
                    return;
                }
                Throwable exc = t.exception();
                if (exc != null) {
                    loop.callExceptionHandler(new ExceptionContext("Unhandled exception in client_connected_cb", exc, t, null));
                    transport.close();
                }
            });
        }
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        reader.feedData(data);
    }

    @Override
    public boolean eofReceived() {
        reader.feedEof();
        return true; // keep the writing side open: closing is the writer's business (half-close)
    }

    @Override
    public void connectionLost(Throwable exc) {
        connectionLost = true;
        lostWith = exc;
        if (exc == null) {
            reader.feedEof();
        } else {
            reader.setException(exc);
        }
        if (drainWaiters != null) {
            drainWaiters.wakeAll(); // each sees the loss when it resumes (drainHelper)
        }
        if (closed != null && !closed.done()) {
            settleClosed(closed);
        }
    }

    private void settleClosed(Future<Void> f) {
        if (lostWith == null) {
            f.setResult(null);
        } else {
            f.setException(lostWith);
            f.exception(); // retrieved here: the reader and writer report it
        }
    }

    /** The future {@link StreamWriter#waitClosed()} waits for: done once the connection is lost. */
    Future<Void> closedFuture() {
        if (closed == null) {
            closed = loop.createFuture();
            if (connectionLost) {
                settleClosed(closed);
            }
        }
        return closed;
    }

    @Override
    public void pauseWriting() {
        paused = true;
    }

    @Override
    public void resumeWriting() {
        paused = false;
        if (drainWaiters != null) {
            drainWaiters.wakeAll();
        }
    }

    /** The loop this connection belongs to. */
    EventLoop loop() {
        return loop;
    }

    /** asyncio's {@code _drain_helper}; returns whether it had to wait. */
    boolean drainHelper() throws IOException {
        if (connectionLost) {
            throw lostWith instanceof IOException io ? io : new SocketException("Connection lost");
        }
        if (!paused) {
            return false;
        }
        if (drainWaiters == null) {
            drainWaiters = new WaitQueue("StreamWriter.drain", writer);
        }
        drainWaiters.park(loop);
        if (connectionLost && lostWith != null) { // lost while waiting: as asyncio, the drain fails
            throw lostWith instanceof IOException io ? io : new SocketException("Connection lost: " + lostWith);
        }
        return true;
    }
}
