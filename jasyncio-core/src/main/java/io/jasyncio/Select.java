package io.jasyncio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Waits on several channel operations at once and runs the handler of the first that can proceed:
 * Kotlin's {@code select { a.onReceive {..}; b.onSend(x) {..}; onTimeout(d) {..} }}, Go's
 * {@code select}. Exactly one clause happens: one element received, or one sent, or the timeout.
 *
 * {@snippet class=io.jasyncio.snippets.ApiSnippets region=select}
 *
 * <p>Clauses are tried in the order they were added (Kotlin's biased {@code select}): when several
 * can proceed at once, the first wins. A receive clause on a channel that is closed and drained
 * makes {@link #await()} throw that channel's {@link ChannelClosedException}; so does a send clause on
 * a closed channel. A select is built and awaited once, by one task.
 *
 * <p>Cancellation: nothing is lost. While waiting, the select has taken nothing; if it is cancelled
 * before any clause happened, every registration is withdrawn (a receive wake-up it held passes to
 * the next receiver) and the {@link CancelledError} propagates. If a send clause's element was taken
 * just before the cancellation, that clause happened: its handler runs and the cancellation is thrown
 * at the next suspension (see {@link Channel}). Handlers run after the selection, as ordinary code:
 * they may suspend, and a cancellation there is theirs.
 *
 * <p>Threading: loop-confined.
 *
 * <p>Implementation notes: one round tries every clause without waiting; if none can proceed, it
 * joins each receive channel's {@code WaitQueue} and leaves an offer on each send channel, all
 * completing one selection future (a receive wake-up completes it with {@code WOKEN}, a claimed
 * offer with its clause index, the timer with {@code TIMED_OUT}), awaits it, withdraws everything,
 * and either returns (a send or the timeout happened) or starts the next round (a receive wake-up
 * is a hint: the next round takes the element).
 *
 * @param <R> what the handlers return
 */
public final class Select<R> {
    private static final int WOKEN = -1, TIMED_OUT = -2;

    /** Receives into a handler: the element received. */
    @FunctionalInterface
    public interface ReceiveHandler<E, R> {
        R handle(E element) throws Exception;
    }

    private sealed interface Clause<R> permits ReceiveClause, SendClause {}

    private record ReceiveClause<E, R>(Channel<E> channel, ReceiveHandler<? super E, ? extends R> handler) implements Clause<R> {}

    private record SendClause<E, R>(Channel<E> channel, E element, Coroutine<? extends R> handler) implements Clause<R> {}

    private final List<Clause<R>> clauses = new ArrayList<>();
    private Duration timeout;
    private Coroutine<? extends R> onTimeout;
    private boolean used;

    /** A select to fill with clauses, then {@link #await()}. */
    public Select() {}

    /** Runs {@code handler} with the element if {@code channel} delivers one first. */
    public <E> Select<R> onReceive(Channel<E> channel, ReceiveHandler<? super E, ? extends R> handler) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(handler, "handler");
        clauses.add(new ReceiveClause<>(channel, handler));
        return this;
    }

    /** Runs {@code handler} if {@code channel} accepts {@code element} first. */
    public <E> Select<R> onSend(Channel<E> channel, E element, Coroutine<? extends R> handler) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(element, "a channel's elements must not be null");
        Objects.requireNonNull(handler, "handler");
        clauses.add(new SendClause<>(channel, element, handler));
        return this;
    }

    /** Runs {@code handler} if no other clause happened within {@code delay} (zero: only those ready now). */
    public Select<R> onTimeout(Duration delay, Coroutine<? extends R> handler) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(handler, "handler");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("the timeout must not be negative: " + delay);
        }
        if (timeout != null) {
            throw new IllegalStateException("a select has at most one onTimeout clause");
        }
        timeout = delay;
        onTimeout = handler;
        return this;
    }

    /**
     * Suspends until one clause can happen, makes it happen and returns its handler's result.
     *
     * @throws IllegalStateException if there is no clause, or this select was already awaited
     * @throws ChannelClosedException as the class comment says
     */
    public R await() throws Exception {
        if (clauses.isEmpty() && timeout == null) {
            throw new IllegalStateException("a select needs at least one clause");
        }
        if (used) {
            throw new IllegalStateException("a select is awaited once; build a new one");
        }
        used = true;
        EventLoop loop = Asyncio.getRunningLoop();
        double deadline = timeout == null ? Double.NaN : loop.time() + timeout.toNanos() / 1e9;
        while (true) {
            for (Clause<R> c : clauses) {
                Object done = tryNow(c);
                if (done != Channel.NOTHING) {
                    return run(c, done);
                }
            }
            if (timeout != null && loop.time() >= deadline) {
                return onTimeout.call();
            }
            int outcome = waitRound(loop, deadline);
            if (outcome == TIMED_OUT) {
                return onTimeout.call();
            }
            if (outcome >= 0) {
                return run(clauses.get(outcome), null);
            }
        }
    }

    /** Makes clause {@code c} happen if it can without waiting: the element received, a send marker, or NOTHING. */
    private static Object tryNow(Clause<?> c) {
        if (c instanceof ReceiveClause<?, ?> r) {
            return r.channel().takeNow();
        }
        SendClause<?, ?> s = (SendClause<?, ?>) c;
        return sendNow(s) ? Boolean.TRUE : Channel.NOTHING;
    }

    private static <E> boolean sendNow(SendClause<E, ?> s) {
        return s.channel().sendNow(s.element());
    }

    @SuppressWarnings("unchecked")
    private R run(Clause<R> c, Object received) throws Exception {
        if (c instanceof ReceiveClause<?, ?> r) {
            return ((ReceiveClause<Object, R>) r).handler().handle(received);
        }
        return ((SendClause<?, R>) c).handler().call();
    }

    /** One wait: registers on every clause, awaits the selection, withdraws. Returns the outcome. */
    private int waitRound(EventLoop loop, double deadline) {
        Future<Integer> selection = loop.createFuture();
        List<Future<Void>> joined = new ArrayList<>();
        List<Channel.Offer<?>> offered = new ArrayList<>();
        TimerHandle timer = null;
        try {
            for (int i = 0; i < clauses.size(); i++) {
                Clause<R> c = clauses.get(i);
                if (c instanceof ReceiveClause<?, ?> r) {
                    Future<Void> w = r.channel().receivers.join(loop);
                    w.addDoneCallback(f -> {
                        if (!f.cancelled()) {
                            selection.trySetResult(WOKEN);
                        }
                    });
                    joined.add(w);
                } else {
                    offered.add(offer((SendClause<?, R>) c, selection, i));
                }
            }
            if (timeout != null) {
                timer = loop.callAt(deadline, () -> selection.trySetResult(TIMED_OUT));
            }
            try {
                return selection.await();
            } catch (CancelledError e) {
                if (selection.done() && !selection.cancelled() && selection.result() >= 0) {
                    Task.currentOrThrow("Select.await()").deliverCancellationLater(e); // a send happened
                    return selection.result();
                }
                throw e;
            }
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            selection.cancel(); // no offer can be claimed any more (a no-op if one was)
            int j = 0;
            int o = 0;
            for (Clause<R> c : clauses) {
                if (c instanceof ReceiveClause<?, ?> r) {
                    if (j < joined.size() && r.channel().receivers.leave(joined.get(j++))) {
                        r.channel().passOnWakeUp(); // the next round (if any) re-checks by itself
                    }
                } else if (o < offered.size()) {
                    withdraw((SendClause<?, R>) c, offered.get(o++));
                }
            }
        }
    }

    private static <E> Channel.Offer<E> offer(SendClause<E, ?> s, Future<Integer> selection, int clause) {
        Channel.Offer<E> offer = new Channel.Offer<>(s.element(), selection, clause);
        s.channel().addOffer(offer);
        return offer;
    }

    @SuppressWarnings("unchecked")
    private static <E> void withdraw(SendClause<E, ?> s, Channel.Offer<?> offer) {
        s.channel().removeOffer((Channel.Offer<E>) offer);
    }

    @Override
    public String toString() {
        return "Select[" + clauses.size() + " clauses" + (timeout != null ? ", timeout=" + timeout : "") + "]";
    }
}
