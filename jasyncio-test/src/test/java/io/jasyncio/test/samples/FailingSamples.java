package io.jasyncio.test.samples;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;

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
}
