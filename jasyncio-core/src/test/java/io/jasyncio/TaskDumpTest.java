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
            assertThat(dump).containsPattern("(?s)Task\\[name=boss, [^\\n]*awaiting=task worker[^\\n]*\\n  └ awaits Task\\[name=worker");
            never.set();
            boss.await();
            assertThat(TaskDump.of(getRunningLoop())).doesNotContain("worker");
            return null;
        });
    }

    @Test
    void taskGroupChildrenAreUnderTheirParent() {
        TestLoop.run(() -> {
            Event go = new Event();
            Task<Void> parent = createTask("parent", () -> {
                TaskGroup.run(tg -> {
                    tg.createTask("child-1", go::await);
                    tg.createTask("child-2", go::await);
                });
                return null;
            });
            yieldNow();
            yieldNow();
            String dump = TaskDump.of(getRunningLoop());
            assertThat(dump).containsPattern("(?m)^Task\\[name=parent, .*awaiting=TaskGroup join on TaskGroup\\[joining, tasks=2\\].*$")
                    .containsPattern("(?m)^  └ awaits Task\\[name=child-1, .*awaiting=Event.await.*$")
                    .containsPattern("(?m)^  └ awaits Task\\[name=child-2, .*$");
            go.set();
            parent.await();
            return null;
        });
    }
}
