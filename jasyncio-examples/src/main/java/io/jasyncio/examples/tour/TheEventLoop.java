package io.jasyncio.examples.tour;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.yieldNow;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.LoopOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Chapter 6: callbacks, timers and the ready queue made visible; debug mode catching a slow step. */
final class TheEventLoop implements Chapter {
    @Override
    public String title() {
        return "The event loop: callbacks, timers, the ready queue";
    }

    @Override
    public String explanation() {
        return """
                Each turn of the loop runs every callback that is ready, in order; then it waits for the
                earliest timer (or for I/O) and makes what is due ready. A task's step is one such callback:
                it runs until the task pauses. Callbacks scheduled during a turn run on the next one; timers
                run by deadline. Because one step holds the thread, a step that blocks stops everything:
                debug mode reports any step longer than 100 ms and shows the line where the loop was stuck.""";
    }

    @Override
    public String takeaway() {
        return "the loop runs ready callbacks in order, then due timers; never block inside a step.";
    }

    @Override
    public Object run(Out out) throws Exception {
        EventLoop loop = getRunningLoop();
        List<String> order = new ArrayList<>();
        loop.callLater(0.2, () -> order.add("timer 0.2 s"));
        loop.callLater(0.1, () -> order.add("timer 0.1 s"));
        loop.callSoon(() -> {
            order.add("callSoon A");
            loop.callSoon(() -> order.add("callSoon C (scheduled by A: next turn)"));
        });
        loop.callSoon(() -> order.add("callSoon B"));
        createTask(() -> {
            order.add("task step 1");
            yieldNow();
            order.add("task step 2 (after a yield)");
            return null;
        });
        sleep(0.3);
        for (int i = 0; i < order.size(); i++) {
            out.result((i + 1) + ". " + order.get(i));
        }
        out.line("");
        out.line("A task that blocks the loop with Thread.sleep, in debug mode:");
        String warning = slowStepWarning();
        out.result(warning.lines().limit(3).reduce((a, b) -> a + "\n    " + b).orElse(warning));
        return new Object[] {order, warning};
    }

    /** Runs a blocking task on a debug-mode loop (on another thread) and returns the warning it logged. */
    static String slowStepWarning() throws Exception {
        List<String> warnings = new ArrayList<>();
        Logger jul = Logger.getLogger("io.jasyncio");
        Handler capture = new Handler() {
            @Override
            public synchronized void publish(LogRecord r) {
                if (r.getMessage() != null && r.getMessage().contains("took")) {
                    warnings.add(r.getMessage());
                }
            }

            @Override
            public void flush() { }

            @Override
            public void close() { }
        };
        jul.addHandler(capture);
        boolean parent = jul.getUseParentHandlers();
        jul.setUseParentHandlers(false);
        try {
            Asyncio.toThread(() -> Asyncio.run(() -> {
                createTask("careless", () -> {
                    Thread.sleep(300); // blocks the loop: the mistake debug mode finds
                    return null;
                }).await();
                return null;
            }, LoopOptions.defaults().withDebug(true).withHandleSigint(false).withSlowCallbackDuration(Duration.ofMillis(100))));
        } finally {
            jul.removeHandler(capture);
            jul.setUseParentHandlers(parent);
        }
        synchronized (capture) {
            return warnings.isEmpty() ? "(no warning)" : warnings.get(0);
        }
    }
}
