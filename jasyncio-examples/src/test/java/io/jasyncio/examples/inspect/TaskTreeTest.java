package io.jasyncio.examples.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.TaskInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ps table and the pstree tree from task snapshots, including the shapes a live test cannot pin down. */
class TaskTreeTest {

    private static TaskInfo task(long id, String name, String awaiting, long... awaitedBy) {
        return new TaskInfo(id, name, "waiting", awaiting, "app.Main.run(Main.java:" + id + ")", List.of(), awaitedBy, 0);
    }

    @Test
    void childrenSitUnderTheTaskThatAwaitsThem() {
        String tree = TaskTree.format(List.of(task(1, "main", "TaskGroup join"), task(2, "a", "sleep", 1), task(3, "b", "Event.await", 1)));
        assertThat(tree).isEqualTo("""
                └── main (id 1) waiting: TaskGroup join at app.Main.run(Main.java:1)
                    ├── a (id 2) waiting: sleep at app.Main.run(Main.java:2)
                    └── b (id 3) waiting: Event.await at app.Main.run(Main.java:3)
                """);
    }

    @Test
    void aCycleWithoutRootIsPrintedOnceAndMarked() {
        String tree = TaskTree.format(List.of(task(1, "x", "task y", 2), task(2, "y", "task x", 1)));
        assertThat(tree).isEqualTo("""
                └── x (id 1) waiting: task y at app.Main.run(Main.java:1)
                    └── y (id 2) waiting: task x at app.Main.run(Main.java:2)
                        └── x (id 1) (cycle: awaited by a task it awaits)
                """);
    }

    @Test
    void theTableAlignsColumnsAndNeverCutsWhatATaskAwaits() {
        String table = TaskTable.format(List.of(task(7, "worker", "a very long description of the wait", 12, 13),
                new TaskInfo(12, "m", "ready", "", "", List.of(), new long[0], 0)));
        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("ID  NAME    STATE    AWAITED BY  AT ").endsWith("AWAITING");
        assertThat(lines.get(1)).startsWith(" 7  worker  waiting  12,13       app.Main.run(Main.java:7)  ")
                .endsWith("a very long description of the wait");
        assertThat(lines.get(2)).startsWith("12  m       ready    -           -").endsWith("-");
        int column = lines.get(0).indexOf("AWAITING");
        assertThat(lines.get(1).indexOf("a very long")).isEqualTo(column);
        assertThat(lines.get(2).lastIndexOf('-')).isEqualTo(column);
    }
}
