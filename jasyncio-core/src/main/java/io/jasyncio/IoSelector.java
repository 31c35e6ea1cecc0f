package io.jasyncio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Set;

/**
 * The loop's I/O multiplexer, asyncio's selector half of {@code BaseSelectorEventLoop}: which
 * channels are watched for reading and writing ({@code add_reader} and friends), the wait for I/O
 * or a wake-up, and turning ready channels into callbacks on the ready queue
 * ({@code _process_events}). The loop proper ({@link EventLoop}) keeps the turn; this class keeps
 * the {@link Selector}.
 *
 * <h2>How the wait is woken</h2>
 * {@link #wakeup()} (from {@code callSoonThreadsafe}, any thread) calls {@link Selector#wakeup()}
 * only while the loop is actually waiting: the other thread publishes its callback and then reads
 * {@code waiting}; the loop sets {@code waiting} and then re-reads the inbox; with both volatile,
 * one of the two sees the other, so no wake-up is lost.
 *
 * <h2>Engines</h2>
 * On the virtual-thread engine the loop runs on a virtual thread, which must not block in
 * {@code select} (it would pin its carrier): a {@link SelectorPoller} thread selects for it.
 *
 * <p>Threading: loop-confined, except {@link #wakeup()}.
 */
final class IoSelector {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");

    private final EventLoop loop;
    private final Selector selector;
    private volatile boolean waiting;
    /**
     * A key was cancelled since the last select: its channel is not released (a closed socket keeps
     * its port, its peer sees no reset) until the selector runs again, so the next turn must poll.
     */
    private boolean keyCancelled;
    private SelectorPoller poller;

    /** The callbacks registered for one channel; the attachment of its selection key. */
    private static final class Callbacks {
        Handle reader;
        Handle writer;
    }

    IoSelector(EventLoop loop) {
        this.loop = loop;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the event loop", e);
        }
    }

    /** True while some channel is watched. */
    boolean hasChannels() {
        return !selector.keys().isEmpty();
    }

    // ---------------------------------------------------------------- registration

    Handle addReader(SelectableChannel channel, Runnable callback) {
        Handle h = new Handle(loop, Objects.requireNonNull(callback, "callback"));
        callbacks(channel, channel instanceof ServerSocketChannel ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ).reader = h;
        return h;
    }

    boolean removeReader(SelectableChannel channel) {
        return remove(channel, SelectionKey.OP_READ | SelectionKey.OP_ACCEPT, true);
    }

    Handle addWriter(SelectableChannel channel, Runnable callback) {
        Handle h = new Handle(loop, Objects.requireNonNull(callback, "callback"));
        int op = channel instanceof SocketChannel sc && sc.isConnectionPending() ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE;
        callbacks(channel, op).writer = h;
        return h;
    }

    boolean removeWriter(SelectableChannel channel) {
        return remove(channel, SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT, false);
    }

    private Callbacks callbacks(SelectableChannel channel, int op) {
        Objects.requireNonNull(channel, "channel");
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the channel must be in non-blocking mode: call configureBlocking(false) first");
        }
        SelectionKey key = channel.keyFor(selector);
        try {
            if (key == null || !key.isValid()) {
                if (key != null) {
                    selector.selectNow(); // flush the cancelled key before registering again
                }
                Callbacks cbs = new Callbacks();
                channel.register(selector, op, cbs);
                return cbs;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch " + channel, e);
        }
        key.interestOps(key.interestOps() | op);
        return (Callbacks) key.attachment();
    }

    private boolean remove(SelectableChannel channel, int ops, boolean reader) {
        Objects.requireNonNull(channel, "channel");
        SelectionKey key = channel.keyFor(selector);
        if (key == null || !key.isValid()) {
            return false;
        }
        Callbacks cbs = (Callbacks) key.attachment();
        Handle h = reader ? cbs.reader : cbs.writer;
        if (reader) {
            cbs.reader = null;
        } else {
            cbs.writer = null;
        }
        int remaining = key.interestOps() & ~ops;
        if (remaining == 0) {
            key.cancel();
            keyCancelled = true;
        } else {
            key.interestOps(remaining);
        }
        if (h != null) {
            h.cancel();
        }
        return h != null;
    }

    // ---------------------------------------------------------------- waiting

    /**
     * Waits up to {@code timeoutNanos} (negative: no limit) for I/O or a {@link #wakeup()}, without
     * waiting at all if {@code inboxHasWork}, and queues the callbacks of the ready channels.
     * Returns the real nanoseconds it waited (for the virtual clock).
     */
    long waitForEvents(long timeoutNanos, ArrayDeque<Object> ready, java.util.function.BooleanSupplier inboxHasWork) {
        long before = System.nanoTime();
        waiting = true;
        try {
            long ms = timeoutNanos < 0 ? -1 : Math.max(1, (timeoutNanos + 999_999) / 1_000_000); // round up, as asyncio
            if (inboxHasWork.getAsBoolean()) {
                selector.selectNow();
            } else if (Thread.currentThread().isVirtual()) {
                if (poller == null) {
                    poller = new SelectorPoller(selector);
                }
                poller.select(ms); // never block a carrier in select (see SelectorPoller)
            } else if (ms < 0) {
                selector.select();
            } else {
                selector.select(ms);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the event loop's selector failed", e);
        } finally {
            waiting = false;
        }
        keyCancelled = false;
        queueReady(ready);
        return System.nanoTime() - before;
    }

    /** Queues the callbacks of channels ready now, without waiting (so I/O is not starved by a busy loop). */
    void poll(ArrayDeque<Object> ready) {
        try {
            selector.selectNow();
        } catch (IOException e) {
            throw new UncheckedIOException("the event loop's selector failed", e);
        }
        keyCancelled = false;
        queueReady(ready);
    }

    /** Whether a key was cancelled since the last select, so the selector must run to release its channel. */
    boolean keyCancelled() {
        return keyCancelled;
    }

    /** Queues the reader/writer callbacks of every channel the selector found ready (asyncio's _process_events). */
    private void queueReady(ArrayDeque<Object> ready) {
        Set<SelectionKey> selected = selector.selectedKeys();
        if (selected.isEmpty()) {
            return;
        }
        for (SelectionKey key : selected) {
            Callbacks cbs = (Callbacks) key.attachment();
            int ops;
            try {
                ops = key.readyOps();
            } catch (CancelledKeyException gone) {
                continue;
            }
            if ((ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0 && cbs.reader != null) {
                ready.add(cbs.reader);
            }
            if ((ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0 && cbs.writer != null) {
                ready.add(cbs.writer);
            }
        }
        selected.clear();
    }

    /** Ends a wait in progress; any thread. */
    void wakeup() {
        if (waiting) {
            selector.wakeup();
        }
    }

    void close() {
        if (poller != null) {
            poller.stop();
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the event loop's selector failed", e);
        }
    }
}
