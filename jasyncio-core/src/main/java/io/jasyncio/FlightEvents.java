package io.jasyncio;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * jasyncio's JDK Flight Recorder events, so Mission Control and {@code jfr print --events 'io.jasyncio.*'}
 * show a task timeline: {@code io.jasyncio.TaskCreated}, {@code io.jasyncio.TaskStep} (every step of a task,
 * off by default: enable it in a recording), {@code io.jasyncio.TaskFinished} (with its outcome: result,
 * exception, cancelled), {@code io.jasyncio.SlowStep} (debug mode: with the stack where the loop was
 * blocked) and {@code io.jasyncio.LoopLag} (loop turns longer than 10 ms by default).
 *
 * <h2>Cost when no recording runs</h2>
 * Each hook in the loop and in Task tests {@link #recording}, one static volatile boolean that is true only
 * while some JFR recording runs (a {@link FlightRecorderListener} keeps it up to date), so a program that
 * never records pays one load per hook. While recording, JFR's own settings (enabled, threshold) decide
 * what is committed.
 *
 * <p>Threading: the hooks run on loop threads; the listener on JFR's threads.
 */
final class FlightEvents {

    /** True while any JFR recording runs. */
    static volatile boolean recording;

    static {
        FlightRecorder.addListener(new FlightRecorderListener() {
            @Override
            public void recorderInitialized(FlightRecorder recorder) {
                update(recorder); // recordings started before jasyncio was loaded (-XX:StartFlightRecording)
            }

            @Override
            public void recordingStateChanged(Recording r) {
                update(FlightRecorder.getFlightRecorder());
            }
        });
    }

    private static void update(FlightRecorder recorder) {
        boolean any = false;
        for (Recording r : recorder.getRecordings()) {
            any |= r.getState() == RecordingState.RUNNING;
        }
        recording = any;
    }

    private FlightEvents() {}

    // ---------------------------------------------------------------- the event types

    @Name("io.jasyncio.TaskCreated")
    @Label("Task Created")
    @Category({"jasyncio", "Tasks"})
    @Description("A task was created on an event loop")
    @StackTrace(true)
    static final class TaskCreated extends Event {
        @Label("Loop") long loop;
        @Label("Task Id") long taskId;
        @Label("Task Name") String taskName;
    }

    @Name("io.jasyncio.TaskStep")
    @Label("Task Step")
    @Category({"jasyncio", "Tasks"})
    @Description("A task ran from one suspension point to the next; its duration is how long it held the loop")
    @Enabled(false)
    @StackTrace(false)
    static final class TaskStep extends Event {
        @Label("Loop") long loop;
        @Label("Task Id") long taskId;
        @Label("Task Name") String taskName;
    }

    @Name("io.jasyncio.TaskFinished")
    @Label("Task Finished")
    @Category({"jasyncio", "Tasks"})
    @Description("A task finished: with a result, an exception, or cancelled")
    @StackTrace(false)
    static final class TaskFinished extends Event {
        @Label("Loop") long loop;
        @Label("Task Id") long taskId;
        @Label("Task Name") String taskName;
        @Label("Outcome") String outcome;
        @Label("Exception") String exception;
    }

    @Name("io.jasyncio.SlowStep")
    @Label("Slow Step")
    @Category({"jasyncio", "Loop"})
    @Description("Debug mode: a step ran longer than the slow callback duration, with the stack where it blocked the loop")
    @StackTrace(false)
    static final class SlowStep extends Event {
        @Label("Loop") long loop;
        @Label("Step") String step;
        @Label("Duration (ns)") long nanos;
        @Label("Blocked At") String blockedAt;
    }

    @Name("io.jasyncio.LoopLag")
    @Label("Loop Lag")
    @Category({"jasyncio", "Loop"})
    @Description("One loop turn: its duration is how long the work ready at its start waited for it to finish")
    @Threshold("10 ms")
    @StackTrace(false)
    static final class LoopLag extends Event {
        @Label("Loop") long loop;
        @Label("Items Run") int items;
    }

    // ---------------------------------------------------------------- the hooks (call only when recording)

    static void taskCreated(Task<?> t) {
        TaskCreated e = new TaskCreated();
        if (e.shouldCommit()) {
            e.loop = t.loop.getId();
            e.taskId = t.getId();
            e.taskName = t.getName();
            e.commit();
        }
    }

    /** Starts timing a step; null when the event is off. */
    static TaskStep stepStarted() {
        TaskStep e = new TaskStep();
        if (!e.isEnabled()) {
            return null;
        }
        e.begin();
        return e;
    }

    static void stepEnded(TaskStep e, Task<?> t) {
        e.end();
        if (e.shouldCommit()) {
            e.loop = t.loop.getId();
            e.taskId = t.getId();
            e.taskName = t.getName();
            e.commit();
        }
    }

    static void taskFinished(Task<?> t) {
        TaskFinished e = new TaskFinished();
        if (e.shouldCommit()) {
            e.loop = t.loop.getId();
            e.taskId = t.getId();
            e.taskName = t.getName();
            e.outcome = switch (t.state) {
                case Future.CANCELLED -> "cancelled";
                case Future.EXCEPTION -> "exception";
                default -> "result";
            };
            e.exception = t.state == Future.EXCEPTION ? String.valueOf(t.peekException()) : null;
            e.commit();
        }
    }

    static void slowStep(EventLoop loop, String step, long nanos, StackTraceElement[] blockedAt) {
        SlowStep e = new SlowStep();
        if (e.shouldCommit()) {
            e.loop = loop.getId();
            e.step = step;
            e.nanos = nanos;
            StringBuilder sb = new StringBuilder();
            if (blockedAt != null) {
                for (StackTraceElement f : blockedAt) {
                    sb.append(f).append('\n');
                }
            }
            e.blockedAt = sb.toString();
            e.commit();
        }
    }

    /** Starts timing a loop turn; null when the event is off. */
    static LoopLag turnStarted() {
        LoopLag e = new LoopLag();
        if (!e.isEnabled()) {
            return null;
        }
        e.begin();
        return e;
    }

    static void turnEnded(LoopLag e, EventLoop loop, int items) {
        e.end();
        if (e.shouldCommit()) {
            e.loop = loop.getId();
            e.items = items;
            e.commit();
        }
    }
}
