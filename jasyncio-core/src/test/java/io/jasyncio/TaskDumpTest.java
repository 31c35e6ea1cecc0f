package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class TaskDumpTest {

    @Test
    void showsEachTaskWhatItAwaitsAndTheUserLine() {
        TestLoop.run(() -> {
            Event never = new Event();
            Task<Void> worker = createTask(() -> {
                never.await();
                return null;
            });
            worker.setName("worker");
            Task<Void> boss = createTask(() -> worker.await());
            boss.setName("boss");
            yieldNow();
            yieldNow();
            String dump = TaskDump.of(getRunningLoop());
            assertThat(dump).contains("name=worker").contains("TaskDumpTest.java:");
            assertThat(dump).containsPattern("(?s)name=worker.*\\n  └ awaited by Task\\[name=boss, .*awaiting=task worker");
            never.set();
            boss.await();
            assertThat(TaskDump.of(getRunningLoop())).doesNotContain("worker");
            return null;
        });
    }
}
