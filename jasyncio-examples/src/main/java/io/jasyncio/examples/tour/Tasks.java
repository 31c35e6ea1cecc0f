package io.jasyncio.examples.tour;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.CancelledError;
import io.jasyncio.Task;
import io.jasyncio.TaskGroup;
import io.jasyncio.TaskGroupException;
import java.util.ArrayList;
import java.util.List;

/** Chapter 7: create, name, cancel (reaching finally), results and exceptions, TaskGroup. */
final class Tasks implements Chapter {
    @Override
    public String title() {
        return "Tasks: create, name, cancel, results, TaskGroup";
    }

    @Override
    public String explanation() {
        return """
                A task has a name, a state and, once done, a result or an exception: task.await() returns
                the one or throws the other (the very exception object the coroutine threw). cancel() throws
                a CancelledError into the task where it is paused, so its finally blocks run; CancelledError
                extends Error, so a catch (Exception e) cannot swallow it by mistake. A TaskGroup ties
                tasks to a block, TaskGroup.run(tg -> ...): the block ends only when they all have, and if
                one fails the others and the block itself are cancelled and every failure is reported
                together, as one TaskGroupException.""";
    }

    @Override
    public String takeaway() {
        return "cancellation runs finally blocks; a TaskGroup never leaves a task behind.";
    }

    @Override
    public Object run(Out out) {
        List<String> log = new ArrayList<>();
        Task<String> download = createTask("download", () -> {
            try {
                sleep(10);
                return "finished";
            } finally {
                log.add("download cleaned up in finally");
            }
        });
        sleep(0.1);
        out.result(download.toString());
        download.cancel("user pressed stop");
        try {
            download.await();
        } catch (CancelledError e) {
            out.result("await threw CancelledError: " + e.getMessage() + "; " + log.get(0));
        }
        Task<Integer> failing = createTask("parse", () -> Integer.parseInt("not a number"));
        try {
            failing.await();
        } catch (NumberFormatException e) {
            out.result("await rethrew the task's own exception: " + e.getMessage());
        }
        try {
            TaskGroup.run(tg -> {
                tg.createTask("slow", () -> {
                    try {
                        sleep(10);
                    } finally {
                        log.add("slow sibling cancelled");
                    }
                    return null;
                });
                tg.createTask("broken", () -> {
                    sleep(0.2);
                    throw new IllegalStateException("broken task failed");
                });
            });
        } catch (TaskGroupException e) {
            out.result("TaskGroup: " + e.exceptions().size() + " failure(s): " + e.exceptions().get(0).getMessage()
                    + "; " + log.get(1));
        }
        return log;
    }
}
