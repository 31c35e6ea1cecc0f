package io.jasyncio.examples.tour;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Task;

/** Chapter 2: await waits without blocking; sequence versus concurrency. */
final class Await implements Chapter {
    @Override
    public String title() {
        return "await: waiting without blocking";
    }

    @Override
    public String explanation() {
        return """
                Python writes 'await fetch()'. In jasyncio a coroutine is plain code, so calling
                fetch() inside a task is the await: the task pauses whenever fetch() waits, and the
                thread is free for other tasks. Awaiting two calls one after the other takes the sum
                of their times. Starting both as tasks first and then awaiting them (task.await())
                takes only as long as the slower one.""";
    }

    @Override
    public String takeaway() {
        return "await in sequence adds the waits; start tasks first and the waits overlap.";
    }

    @Override
    public Object run(Out out) {
        Stopwatch sequential = new Stopwatch();
        fetch("first", 0.5);
        fetch("second", 0.5);
        double seq = sequential.seconds();
        out.result("two awaits in sequence: " + sequential.text());

        Stopwatch concurrent = new Stopwatch();
        Task<String> a = createTask(() -> fetch("first", 0.5));
        Task<String> b = createTask(() -> fetch("second", 0.5));
        a.await();
        b.await();
        double conc = concurrent.seconds();
        out.result("two tasks awaited together: " + concurrent.text());
        return new double[] {seq, conc};
    }

    private static String fetch(String what, double seconds) {
        sleep(seconds); // stands in for a network call
        return what;
    }
}
