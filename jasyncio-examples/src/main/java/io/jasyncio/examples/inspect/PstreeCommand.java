package io.jasyncio.examples.inspect;

import io.jasyncio.EventLoopMXBean;
import io.jasyncio.TaskInfo;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code jasyncio pstree PID}: the tasks of another JVM as a tree of who awaits whom. */
@Command(name = "pstree", mixinStandardHelpOptions = true, versionProvider = io.jasyncio.examples.Main.Version.class,
        description = {"Show every task of every jasyncio event loop in another running JVM as a tree: under each task, the",
                       "tasks it awaits (its TaskGroup children, a gather's tasks, the task it awaits), each with what it",
                       "waits for and the user line it is suspended at; then any deadlock. The JVM needs no flag."},
        footerHeading = "%nExamples:%n",
        footer = {"  ./jasyncio pstree 12345     the await tree of the JVM with PID 12345",
                  "  ./jasyncio ps 12345         the same tasks as a table"})
public final class PstreeCommand extends AbstractInspectCommand {

    @Override
    void inspect(AttachedJvm jvm, PrintWriter out) {
        for (EventLoopMXBean loop : jvm.loops()) {
            List<TaskInfo> tasks = loop.getTasks();
            out.println(header(loop, tasks.size()));
            out.print(TaskTree.format(tasks));
            printDeadlocks(loop, out);
        }
    }
}
