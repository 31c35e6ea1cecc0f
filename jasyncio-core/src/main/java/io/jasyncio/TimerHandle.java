package io.jasyncio;

/**
 * A callback scheduled for a moment in loop time by {@link EventLoop#callLater} or
 * {@link EventLoop#callAt} (asyncio's {@code TimerHandle}).
 *
 * <p>Cancelling drops the callback (and the task of a sleep) at once, so nothing it captured is kept
 * alive; the entry itself leaves the timer queue lazily: the loop counts cancelled timers and
 * compacts its heap once they are more than half of it, so many cancelled timeouts do not leak.
 */
public final class TimerHandle extends Handle implements Comparable<TimerHandle> {
    final long whenNanos;
    final long sequence;
    boolean scheduled = true;
    /** For a sleep: the task to wake instead of running a callback (saves a future per sleep). */
    private Task<?> sleeper;

    TimerHandle(EventLoop loop, Runnable callback, long whenNanos, long sequence, Task<?> sleeper) {
        super(loop, callback);
        this.whenNanos = whenNanos;
        this.sequence = sequence;
        this.sleeper = sleeper;
    }

    @Override
    void run() {
        Task<?> s = sleeper;
        if (s == null) {
            super.run();
        } else if (!cancelled) {
            s.sleepOver(this);
        }
    }

    /** The loop time, in seconds, at which the callback is due. */
    public double when() {
        return whenNanos / 1e9;
    }

    @Override
    public void cancel() {
        if (!cancelled) {
            super.cancel();
            sleeper = null;
            if (scheduled) {
                loop.timerCancelled();
            }
        }
    }

    @Override
    public int compareTo(TimerHandle o) {
        int c = Long.compare(whenNanos, o.whenNanos);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }

    @Override
    public String toString() {
        return "TimerHandle[when=" + when() + (cancelled ? ", cancelled" : "") + ", "
                + (sleeper != null ? "wakes " + sleeper.getName() : String.valueOf(callback())) + "]";
    }
}
