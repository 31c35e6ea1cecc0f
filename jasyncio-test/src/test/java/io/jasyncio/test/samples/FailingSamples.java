package io.jasyncio.test.samples;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Event;
import io.jasyncio.Held;
import io.jasyncio.Lock;
import io.jasyncio.Task;
import io.jasyncio.test.AsyncioTest;

/** Tests that the extension must fail; run only through the JUnit test kit. */
public class FailingSamples {

    @AsyncioTest
    void leavesATaskRunning() {
        createTask(() -> {
            sleep(3600);
            return null;
        });
    }

    @AsyncioTest
    void dropsAFailedTaskOnTheFloor() throws Exception {
        createTask(() -> {
            throw new IllegalStateException("nobody awaited me");
        });
        sleep(1);
        for (int i = 0; i < 50; i++) { // let the collector find the unretrieved exception
            System.gc();
            Thread.sleep(10);
            sleep(0.1);
        }
    }

    @AsyncioTest(failOnPendingTasks = false)
    void mayLeaveTasksWhenAllowed() {
        createTask(() -> {
            sleep(3600);
            return null;
        });
    }

    @AsyncioTest(timeout = 0.5)
    void hangsOnAForgottenEvent() {
        Event forgotten = new Event();
        Task<Boolean> waiter = createTask("waiter", forgotten::await);
        waiter.await();
    }

    @AsyncioTest(timeout = 0.5)
    void hangsOnTwoLocks() {
        Lock a = new Lock();
        Lock b = new Lock();
        Task<Void> left = createTask("left", () -> {
            try (Held h = a.acquire()) {
                sleep(0.01);
                b.acquire().close();
            }
            return null;
        });
        Task<Void> right = createTask("right", () -> {
            try (Held h = b.acquire()) {
                sleep(0.01);
                a.acquire().close();
            }
            return null;
        });
        left.await();
        right.await();
    }

    @AsyncioTest(timeout = 0.5, virtualTime = false)
    void blocksTheLoop() throws InterruptedException {
        Thread.sleep(60_000); // never on a loop: the time limit interrupts it
    }
}
