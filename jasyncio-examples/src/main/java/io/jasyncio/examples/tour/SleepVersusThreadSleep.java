package io.jasyncio.examples.tour;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;

/** Chapter 10: sleep() pauses a task, Thread.sleep() blocks the whole loop. */
final class SleepVersusThreadSleep implements Chapter {
    @Override
    public String title() {
        return "sleep() versus Thread.sleep()";
    }

    @Override
    public String explanation() {
        return """
                Asyncio.sleep pauses only the calling task; the loop runs others meanwhile. Thread.sleep
                blocks the thread, and the loop's thread is the only one its tasks have: nothing else runs,
                not even a timer that is due. Three tasks that sleep 1 s each take about 1 s with sleep,
                about 3 s with Thread.sleep; a ticker that should fire every 50 ms shows how late the loop
                was. The same goes for any blocking call: hand it to toThread instead.""";
    }

    @Override
    public String takeaway() {
        return "inside a task, never block the thread: sleep(), or toThread() for blocking calls.";
    }

    record Run(double seconds, double worstLag) {}

    static Run threeSleepers(boolean blocking) {
        LagMeter lag = new LagMeter(0.05);
        Stopwatch w = new Stopwatch();
        List<Task<Void>> sleepers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sleepers.add(createTask(() -> {
                if (blocking) {
                    Thread.sleep(1000); // blocks the loop
                } else {
                    sleep(1.0);
                }
                return null;
            }));
        }
        gather(sleepers);
        double took = w.seconds();
        return new Run(took, lag.stop());
    }

    @Override
    public Object run(Out out) {
        Run async = threeSleepers(false);
        out.result(String.format("3 x sleep(1.0):        %.2f s, worst loop lag %.0f ms", async.seconds(), async.worstLag() * 1000));
        Run blocking = threeSleepers(true);
        out.result(String.format("3 x Thread.sleep(1000): %.2f s, worst loop lag %.0f ms", blocking.seconds(), blocking.worstLag() * 1000));
        return new Run[] {async, blocking};
    }
}
