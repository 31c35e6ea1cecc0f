package io.jasyncio.examples.tour;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.Task;

/** Chapter 4: the pieces — loop, coroutines, tasks, futures — and the name table. */
final class AsyncioModel implements Chapter {
    static final String[][] NAMES = {
        {"asyncio.run(main())", "Asyncio.run(() -> main())"},
        {"await coro()", "coro()  (a plain call inside a task)"},
        {"await task / await fut", "task.await() / fut.await()"},
        {"asyncio.create_task(c)", "createTask(c)"},
        {"asyncio.sleep(1) / sleep(0)", "sleep(1.0) / yieldNow()"},
        {"asyncio.gather(*cs)", "gather(cs...)"},
        {"async with asyncio.timeout(2)", "timeout(Duration.ofSeconds(2), () -> ...)"},
        {"async with TaskGroup() as tg", "TaskGroup.run(tg -> ...)"},
        {"async with lock", "try (Held h = lock.acquire())"},
        {"asyncio.to_thread(f)", "toThread(f)"},
        {"loop.call_soon / call_later", "loop.callSoon / loop.callLater"},
        {"asyncio.CancelledError", "CancelledError (extends Error)"},
    };

    @Override
    public String title() {
        return "The asyncio model in Java: loop, coroutines, tasks, futures";
    }

    @Override
    public String explanation() {
        return """
                Four pieces make asyncio, and jasyncio keeps all four. The event loop is one thread that
                runs callbacks and timers, one at a time. A coroutine is code that can pause. A task wraps
                a coroutine and lets the loop run it concurrently with others; a future is a value that
                will exist later, and a task is the future of its coroutine's result. A task that awaits a
                future pauses; when the future gets its value, the loop wakes the task up. Python names
                become Java camelCase: the table below is all most programs need.""";
    }

    @Override
    public String takeaway() {
        return "one thread, many tasks; a task pauses on a future and the loop wakes it when the future is done.";
    }

    @Override
    public Object run(Out out) {
        EventLoop loop = getRunningLoop();
        Future<String> later = loop.createFuture();
        loop.callLater(0.3, () -> later.setResult("a value that arrived later"));
        Task<String> task = createTask("waiter", () -> "the task got: " + later.await());
        out.result("loop: " + loop);
        out.result("task before: " + task);
        String r = task.await();
        out.result("task after: " + task.getName() + " -> " + r);
        out.line("");
        for (String[] row : NAMES) {
            out.line(String.format("  %-32s %s", row[0], row[1]));
        }
        sleep(0);
        return r;
    }
}
