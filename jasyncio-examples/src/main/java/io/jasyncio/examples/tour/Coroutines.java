package io.jasyncio.examples.tour;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;

/** Chapter 1: a coroutine is a function that can pause and resume. */
final class Coroutines implements Chapter {
    @Override
    public String title() {
        return "Coroutines: functions that pause and resume";
    }

    @Override
    public String explanation() {
        return """
                A coroutine is an ordinary method that can pause in the middle, at a suspension point
                such as sleep(...), and later carry on exactly where it stopped, with its local
                variables and its whole call stack intact. While it is paused the event loop runs
                other coroutines. Here two tasks each count to three, pausing after every step:
                their lines interleave, although each is a plain sequential loop.""";
    }

    @Override
    public String takeaway() {
        return "each task reads top to bottom, yet they take turns at every suspension point.";
    }

    @Override
    public Object run(Out out) {
        List<String> events = new ArrayList<>();
        Task<Void> a = createTask("A", () -> count("A", 0.10, events, out));
        Task<Void> b = createTask("B", () -> count("B", 0.15, events, out));
        a.await();
        b.await();
        return events;
    }

    private static Void count(String who, double pause, List<String> events, Out out) {
        Stopwatch clock = new Stopwatch();
        for (int i = 1; i <= 3; i++) {
            events.add(who + i);
            out.result(String.format("%s step %d at %s, now pausing", who, i, clock.text()));
            sleep(pause); // suspension point: the other task runs meanwhile
        }
        return null;
    }
}
