package com.example;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Asyncio;
import io.jasyncio.Task;

/** Two slow fetches run concurrently on one event loop: about one second in all, not two. */
public final class Main {
    private Main() {}

    /** Pretends to fetch {@code what}, taking {@code seconds}; only this task pauses meanwhile. */
    static String fetch(String what, double seconds) {
        sleep(seconds);
        return what;
    }

    /** Both fetches, started together and joined in order. */
    static String fetchBoth() {
        Task<String> a = createTask(() -> fetch("a", 1.0));
        Task<String> b = createTask(() -> fetch("b", 1.0));
        return a.await() + b.await();
    }

    public static void main(String[] args) {
        System.out.println(Asyncio.run(Main::fetchBoth));
    }
}
