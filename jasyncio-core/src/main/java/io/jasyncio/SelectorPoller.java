package io.jasyncio;

import java.io.IOException;
import java.nio.channels.Selector;
import java.util.concurrent.locks.LockSupport;

/**
 * Blocks in {@link Selector#select} on behalf of a loop that runs on a virtual thread (the
 * virtual-thread engine). A virtual thread that blocks in {@code select} pins its carrier and
 * makes the scheduler add a compensating carrier on every call: measured, a TCP echo loop burnt a
 * whole core for 13k messages/s. Here a daemon platform thread does the blocking select while the
 * loop's virtual thread simply parks, which costs one hand-over per blocking wait.
 *
 * <p>Threading: the loop thread writes the request and parks; the poller selects, publishes the
 * outcome through the volatile {@code state} and unparks the loop. Only one of them touches the
 * selector at a time: the loop never uses it while a request is outstanding.
 */
final class SelectorPoller implements Runnable {
    private static final int IDLE = 0, REQUESTED = 1, DONE = 2;

    private final Selector selector;
    private final Thread thread;
    private volatile int state = IDLE;
    private volatile long timeoutMillis;
    private volatile Thread requester;
    private volatile IOException failure;
    private volatile boolean stopped;

    SelectorPoller(Selector selector) {
        this.selector = selector;
        this.thread = Thread.ofPlatform().daemon().name("jasyncio-selector-poller").unstarted(this);
        thread.start();
    }

    /** Selects for at most {@code timeoutMillis} (negative: no limit) from the calling (loop) thread. */
    void select(long timeoutMillis) throws IOException {
        this.timeoutMillis = timeoutMillis;
        this.requester = Thread.currentThread();
        state = REQUESTED;
        LockSupport.unpark(thread);
        while (state != DONE) {
            LockSupport.park(this);
        }
        state = IDLE;
        IOException e = failure;
        if (e != null) {
            failure = null;
            throw e;
        }
    }

    @Override
    public void run() {
        while (!stopped) {
            if (state != REQUESTED) {
                LockSupport.park(this);
                continue;
            }
            try {
                long ms = timeoutMillis;
                if (ms < 0) {
                    selector.select();
                } else {
                    selector.select(ms);
                }
            } catch (IOException e) {
                failure = e;
            } catch (RuntimeException closed) { // ClosedSelectorException: the loop is closing
                failure = new IOException("the selector was closed", closed);
            }
            state = DONE;
            LockSupport.unpark(requester);
        }
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }
}
