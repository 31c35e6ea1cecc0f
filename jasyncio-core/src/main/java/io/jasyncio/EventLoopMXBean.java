package io.jasyncio;

import java.util.List;

/**
 * The management interface every {@link EventLoop} registers as
 * {@code io.jasyncio:type=EventLoop,name=loop-<id>} in the platform MBean server (unless
 * {@code -Djasyncio.jmx=false}), and unregisters when it closes. A loop never creates the MBean server (it is
 * costly): its bean appears within a fraction of a second once something else did, such as the management
 * agent that the JDK's attach mechanism starts. {@code ./jasyncio ps|pstree|monitor PID}
 * read it from another JVM through the JDK's attach mechanism; JConsole and JDK Mission Control show it too.
 *
 * <p>Threading: JMX calls arrive on foreign threads; each reading is taken on the loop's thread (handed over
 * with {@code callSoonThreadsafe}) so it is consistent. A loop that does not answer within a second (its
 * thread is blocked in a step) yields what can be read safely from outside: {@link #getState()} says so and
 * {@link #getLoopThreadStack()} shows where it is stuck.
 */
public interface EventLoopMXBean {

    /** The loop's number in this JVM (the {@code name} key is {@code loop-<id>}). */
    long getId();

    /** {@code running}, {@code idle} (not running), {@code closed}, or running but not responding. */
    String getState();

    /** {@code continuation} or {@code virtual}. */
    String getEngine();

    /** Whether debug mode is on. */
    boolean isDebug();

    /** The loop's metrics; the first reading switches lag measurement on (see {@link LoopMetrics}). */
    LoopMetrics getMetrics();

    /** Every live task: id, name, state, what it awaits, its user line and stack, who awaits it. */
    List<TaskInfo> getTasks();

    /** The task tree as text ({@link TaskDump#of}): under each task, the tasks it awaits; for JConsole and Mission Control. */
    String getTaskTree();

    /** Each deadlock among the tasks (cycles of tasks waiting on each other's locks or on each other), one per line. */
    String getDeadlocks();

    /** The call graph of task {@code id} ({@link CallGraph#format()}), or a line saying it is not live. */
    String formatCallGraph(long id);

    /**
     * The Java stack of the thread running the loop's current step (with the virtual-thread engine, the
     * task's own thread) and of the loop's thread: safe to read even when the loop is blocked.
     */
    String getLoopThreadStack();
}
