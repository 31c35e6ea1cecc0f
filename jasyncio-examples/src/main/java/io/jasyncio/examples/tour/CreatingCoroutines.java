package io.jasyncio.examples.tour;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Coroutine;
import io.jasyncio.Task;

/** Chapter 5: plain methods as coroutines; calling inline versus scheduling as a task. */
final class CreatingCoroutines implements Chapter {
    @Override
    public String title() {
        return "Creating coroutines: plain methods, lambdas, inline or scheduled";
    }

    @Override
    public String explanation() {
        return """
                Any method can be a coroutine: it only has to run inside a task and may call suspending
                operations anywhere in its call stack. A Coroutine<T> is a lambda (T call() throws Exception)
                you can hand to createTask. Calling a coroutine directly runs it in the current task, like
                Python's await coro(): the caller waits. createTask(...) schedules it to run concurrently
                and returns a Task at once; task.await() collects the result later.""";
    }

    @Override
    public String takeaway() {
        return "call it to await it inline; createTask it to run it alongside.";
    }

    static String brew(String what, double seconds) {
        sleep(seconds); // a suspending call deep inside an ordinary method
        return what + " ready";
    }

    @Override
    public Object run(Out out) {
        Stopwatch inline = new Stopwatch();
        String tea = brew("tea", 0.3);           // inline: this task waits here
        String coffee = brew("coffee", 0.3);
        double inlineTime = inline.seconds();
        out.result("inline: " + tea + ", " + coffee + " after " + inline.text());

        Stopwatch scheduled = new Stopwatch();
        Coroutine<String> teaLater = () -> brew("tea", 0.3);
        Task<String> t1 = createTask("tea", teaLater);       // scheduled: returns at once
        Task<String> t2 = createTask("coffee", () -> brew("coffee", 0.3));
        out.result("right after createTask: " + t1.getName() + " done=" + t1.done());
        out.result("scheduled: " + t1.await() + ", " + t2.await() + " after " + scheduled.text());
        return new double[] {inlineTime, scheduled.seconds()};
    }
}
