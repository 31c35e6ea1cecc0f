package io.jasyncio;

import java.util.ArrayList;
import java.util.List;

/**
 * The future behind {@link Asyncio#gather} and {@link Asyncio#gatherSettled}: asyncio's
 * {@code _GatheringFuture}.
 *
 * <p>Rules: outcomes are reported in the order the children were given, not the order they
 * finished. Without {@code settled}, the first child failure completes this future at once while
 * the other children keep running; a child's cancellation counts as a failure. Cancelling this
 * future cancels every child that is not done; it then completes, cancelled, once the children
 * have all finished, so nothing outlives the gather unnoticed.
 */
final class GatheringFuture<T> extends Future<List<Outcome<T>>> {
    private final List<Future<? extends T>> children;
    private final boolean settled;
    private int finished;
    private boolean cancelRequested;
    private String cancelRequestMessage;

    GatheringFuture(EventLoop loop, List<Future<? extends T>> children, boolean settled) {
        super(loop);
        this.children = children;
        this.settled = settled;
        if (children.isEmpty()) {
            finishResult(List.of());
            return;
        }
        for (Future<? extends T> child : children) {
            child.addDoneCallback(this::childDone);
        }
    }

    /** The futures gathered, in the order given (read by {@link CallGraph}: the gather awaits them). */
    List<Future<? extends T>> children() {
        return children;
    }

    @Override
    public boolean cancel(String message) {
        if (done()) {
            return false;
        }
        boolean any = false;
        for (Future<? extends T> child : children) {
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

    private void childDone(Future<? extends T> child) {
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
        List<Outcome<T>> outcomes = new ArrayList<>(children.size());
        for (Future<? extends T> c : children) {
            if (c.cancelled()) {
                outcomes.add(new Outcome.Failure<>(c.cancelledError()));
            } else {
                Throwable e = c.exception();
                outcomes.add(e != null ? new Outcome.Failure<>(e) : new Outcome.Success<>(c.result()));
            }
        }
        if (cancelRequested) {
            finishCancelled(cancelRequestMessage);
        } else {
            finishResult(outcomes);
        }
    }
}
