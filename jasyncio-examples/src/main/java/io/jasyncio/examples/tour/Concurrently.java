package io.jasyncio.examples.tour;

import static io.jasyncio.Asyncio.asCompleted;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.gatherSettled;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.timeout;
import static io.jasyncio.Asyncio.waitFor;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.DoneAndPending;
import io.jasyncio.Future;
import io.jasyncio.Outcome;
import io.jasyncio.ReturnWhen;
import io.jasyncio.Task;
import io.jasyncio.TimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Chapter 8: gather, settled outcomes, wait, asCompleted, waitFor and timeout. */
final class Concurrently implements Chapter {
    @Override
    public String title() {
        return "Running coroutines concurrently: gather, wait, asCompleted, waitFor, timeout";
    }

    @Override
    public String explanation() {
        return """
                gather runs several coroutines at once and returns their results in the order given; the
                first failure is thrown while the rest keep running, and gatherSettled waits for all and
                reports each outcome. wait returns which futures are done and which pending, as soon as
                the first completes, the first fails, or all are done. asCompleted hands you results in the
                order they finish. waitFor and timeout put a deadline on waiting: past it, the work is
                cancelled and a TimeoutException is thrown.""";
    }

    @Override
    public String takeaway() {
        return "pick the combinator by what you wait for: all, the first, each as it comes, or a deadline.";
    }

    static Coroutine<String> job(String name, double seconds) {
        return () -> {
            sleep(seconds);
            return name;
        };
    }

    @Override
    public Object run(Out out) {
        List<Object> seen = new ArrayList<>();
        Stopwatch w = new Stopwatch();
        List<String> all = gather(job("slow", 0.3), job("fast", 0.1), job("medium", 0.2));
        out.result("gather -> " + all + " in " + w.text() + " (given order, not finishing order)");
        seen.add(all);

        List<Outcome<String>> settled = gatherSettled(job("ok", 0.1), () -> {
            throw new IllegalArgumentException("bad input");
        });
        out.result("gatherSettled -> " + settled);
        seen.add(settled.get(1).isSuccess());

        List<Task<String>> tasks = List.of(createTask(job("a", 0.3)), createTask(job("b", 0.1)), createTask(job("c", 0.2)));
        DoneAndPending<String> first = Asyncio.wait(tasks, ReturnWhen.FIRST_COMPLETED, null);
        out.result("wait FIRST_COMPLETED -> done " + first.done().size() + ", pending " + first.pending().size());
        List<String> order = new ArrayList<>();
        for (Future<String> f : asCompleted(tasks, null)) {
            order.add(f.result());
        }
        out.result("asCompleted -> " + order);
        seen.add(order);

        try {
            waitFor(job("too slow", 5), Duration.ofMillis(200));
        } catch (TimeoutException e) {
            out.result("waitFor(200 ms) on a 5 s job -> TimeoutException");
            seen.add("waitFor timed out");
        }
        try {
            timeout(Duration.ofMillis(150), () -> sleep(1, null));
        } catch (TimeoutException e) {
            out.result("timeout(150 ms, block) -> TimeoutException, expired=" + e.scope().expired());
            seen.add("scope expired");
        }
        return seen;
    }
}
