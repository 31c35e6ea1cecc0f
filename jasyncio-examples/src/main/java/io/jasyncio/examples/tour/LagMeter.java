package io.jasyncio.examples.tour;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.EventLoop;
import io.jasyncio.Task;

/**
 * Measures how late the loop is: a task that asks to wake every {@code period} seconds and records
 * the worst overshoot. A loop blocked by a step cannot wake it, so the lag shows the blocking.
 */
final class LagMeter {
    private final Task<Void> ticker;
    private double worst;
    private boolean stopped;

    /** Starts ticking on the running loop. */
    LagMeter(double period) {
        EventLoop loop = getRunningLoop();
        ticker = createTask(() -> {
            while (!stopped) {
                double before = loop.time();
                sleep(period);
                worst = Math.max(worst, loop.time() - before - period);
            }
            return null;
        });
    }

    /** Stops ticking and returns the worst lag seen, in seconds. */
    double stop() {
        stopped = true;
        ticker.await();
        return worst;
    }
}
