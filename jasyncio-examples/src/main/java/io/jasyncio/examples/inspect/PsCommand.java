package io.jasyncio.examples.inspect;

import io.jasyncio.EventLoopMXBean;
import io.jasyncio.TaskInfo;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code jasyncio ps PID}: every task of every loop of another JVM, one line each. */
@Command(name = "ps", mixinStandardHelpOptions = true, versionProvider = io.jasyncio.examples.Main.Version.class,
        description = {"List every task of every jasyncio event loop in another running JVM: id, name, state, who awaits it,",
                       "the user line it is suspended at and what it awaits, then any deadlock. The JVM needs no flag:",
                       "the command attaches with the JDK's attach mechanism (same user) and reads each loop's management bean."},
        footerHeading = "%nExamples:%n",
        footer = {"  ./jasyncio ps 12345         the tasks of the JVM with PID 12345 (jps lists Java processes)",
                  "  ./jasyncio pstree 12345     the same as a tree of who awaits whom"})
public final class PsCommand extends AbstractInspectCommand {

    @Override
    void inspect(AttachedJvm jvm, PrintWriter out) {
        for (EventLoopMXBean loop : jvm.loops()) {
            List<TaskInfo> tasks = loop.getTasks();
            out.println(header(loop, tasks.size()));
            out.print(TaskTable.format(tasks));
            printDeadlocks(loop, out);
        }
    }
}
