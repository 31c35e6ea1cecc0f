package io.jasyncio.examples.tour;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;

/** Chapter 3: I/O-bound work overlaps: 10 requests of 200 ms take about 200 ms. */
final class AsyncProgramming implements Chapter {
    @Override
    public String title() {
        return "Asynchronous programming: I/O-bound work overlapping";
    }

    @Override
    public String explanation() {
        return """
                Most of a network request's time is spent waiting for the other side. A thread that
                blocks while waiting can serve nobody else; a coroutine that pauses lets the loop
                start the next request. Ten simulated requests of 200 ms each take about 2 s one
                after the other, but about 200 ms when gather() runs them concurrently, on one
                thread.""";
    }

    @Override
    public String takeaway() {
        return "waiting is free: one thread overlaps every request's waiting time.";
    }

    @Override
    public Object run(Out out) {
        Stopwatch one = new Stopwatch();
        for (int i = 0; i < 10; i++) {
            request(i);
        }
        double sequential = one.seconds();
        out.result("10 requests one after another: " + one.text());

        Stopwatch all = new Stopwatch();
        List<Task<Integer>> requests = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            requests.add(createTask(() -> request(n))); // all ten start now
        }
        List<Integer> results = gather(requests);       // and are awaited together
        double concurrent = all.seconds();
        out.result("10 requests with gather(): " + all.text() + ", results " + results);
        return new double[] {sequential, concurrent};
    }

    private static int request(int n) {
        sleep(0.2);
        return n;
    }
}
