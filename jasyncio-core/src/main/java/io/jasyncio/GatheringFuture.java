package io.jasyncio;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The future behind {@link Asyncio#gather} and {@link Asyncio#gatherSettled}: asyncio's
 * {@code _GatheringFuture}.
 *
 * <p>Rules: outcomes are reported in the order the children were given, not the order they
 * finished. Without {@code settled}, the first child failure completes this future at once while
 * the other children keep running; a child's cancellation counts as a failure. Cancelling this
 * future cancels every child that is not done; it then completes, cancelled, once the children
 * have all finished, so nothing outlives the gather unnoticed.
 *
 * <p>Implementation notes: the result is the list a caller wants, made once: the values for
 * {@code gather} ({@link #values}), the outcomes for {@code gatherSettled} ({@link #outcomes}), so a
 * gather of N tasks makes no N outcome objects to unwrap again.
 *
 * @param <R> the element of the result list: a child's value, or its {@link Outcome}
 */
final class GatheringFuture<R> extends Future<List<R>> {
    private final List<? extends Future<?>> children;
    private final boolean settled;
    private int finished;
    private boolean cancelRequested;
    private String cancelRequestMessage;

    private GatheringFuture(EventLoop loop, List<? extends Future<?>> children, boolean settled) {
        super(loop);
        this.children = children;
        this.settled = settled;
        if (children.isEmpty()) {
            finishResult(List.of());
            return;
        }
        Consumer<Future<?>> onChildDone = this::childDone; // one callback for all children, not one per child
        for (Future<?> child : children) {
            child.addDoneCallback(onChildDone);
        }
    }

    /** asyncio's {@code gather}: completes with the children's values, or with the first failure. */
    static <T> GatheringFuture<T> values(EventLoop loop, List<? extends Future<? extends T>> children) {
        return new GatheringFuture<>(loop, children, false);
    }

    /** {@code gather(return_exceptions=True)}: completes with every child's outcome once all are done. */
    static <T> GatheringFuture<Outcome<T>> outcomes(EventLoop loop, List<? extends Future<? extends T>> children) {
        return new GatheringFuture<>(loop, children, true);
    }

    /** The futures gathered, in the order given (read by {@link CallGraph}: the gather awaits them). */
    List<? extends Future<?>> children() {
        return children;
    }

    @Override
    public boolean cancel(String message) {
        if (done()) {
            return false;
        }
        boolean any = false;
        for (Future<?> child : children) {
            if (child.cancel(message)) {
                any = true;
            }
        }
        if (any) {
            cancelRequested = true;
            cancelRequestMessage = message;
        }
        return any;
    }

    /** A child is done: the done callback every child was given. */
    private void childDone(Future<?> child) {
        finished++;
        if (done()) {
            if (!child.cancelled()) {
                child.exception(); // retrieved: the gather already reported its first failure
            }
            return;
        }
        if (!settled) {
            if (child.cancelled()) {
                finishCancelled(child.cancelMessage());
                return;
            }
            Throwable exc = child.exception();
            if (exc != null) {
                finishException(exc);
                return;
            }
        }
        if (finished < children.size()) {
            return;
        }
        if (cancelRequested) {
            finishCancelled(cancelRequestMessage);
            return;
        }
        List<Object> results = new ArrayList<>(children.size());
        for (Future<?> c : children) {
            results.add(settled ? outcome(c) : c.result()); // without settled, every child has succeeded
        }
        @SuppressWarnings("unchecked")
        List<R> typed = (List<R>) results;
        finishResult(typed);
    }

    private static Outcome<Object> outcome(Future<?> c) {
        if (c.cancelled()) {
            return new Outcome.Failure<>(c.cancelledError());
        }
        Throwable e = c.exception();
        return e != null ? new Outcome.Failure<>(e) : new Outcome.Success<>(c.result());
    }
}
