package io.jasyncio.examples.tour;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Asyncio;
import io.jasyncio.DeadlockDetector;
import io.jasyncio.Task;
import io.jasyncio.TaskDump;
import java.time.Duration;
import java.util.List;

/** Chapter 14: a program that hangs, found with ps/pstree and the deadlock detector, then fixed. */
final class FindingAHang implements Chapter {
    @Override
    public String title() {
        return "Finding a hang: ps, pstree and the deadlock detector";
    }

    @Override
    public String explanation() {
        return """
                The hardest async bug is the program that just stops: no exception, no log line, one idle
                thread. HungProgram has two such bugs: the transfer and the report take two Locks in opposite
                orders, so each ends up holding the lock the other needs (a deadlock), and the notifier awaits
                an Event that nobody ever sets. jasyncio knows what every task awaits and where it is parked,
                with its real Java stack. From another terminal, on a program started with no flag:
                  ./jasyncio ps PID        every task: what it awaits, the user line it is stuck at, deadlocks
                  ./jasyncio pstree PID    the same as the tree of who awaits whom
                  ./jasyncio monitor PID   a live view: tasks by state, loop lag, the longest waiters
                  ./jasyncio monitor PID --web 8090   the same as a web page on http://127.0.0.1:8090/:
                                           the task tree, a lag plot, every wait, longest first
                Inside the program the same view is TaskDump.of(loop), Asyncio.printCallGraph(task) and
                DeadlockDetector, and a service can serve the web page for its own loops on its own Router
                (MonitorPage.mount(router, "/monitor", MonitorSampler.thisJvm())); in debug mode the loop
                logs it by itself when it sits idle with tasks that nothing can wake, and @AsyncioTest
                prints it when a test times out. Below: the broken day,
                given one second, then its tree and its deadlock; then the fixed day (one lock order, and the
                rates are loaded), which finishes.""";
    }

    @Override
    public String takeaway() {
        return "a hung jasyncio program tells you what each task awaits and where: ask it with ps/pstree, not with guesses.";
    }

    record Result(String tree, String deadlocks, boolean fixedFinished) {}

    @Override
    public Object run(Out out) {
        Task<Void> broken = createTask("day", () -> {
            HungProgram.day(false);
            return null;
        });
        sleep(1); // a whole second of nothing: it is stuck, not slow
        String tree = TaskDump.of(getRunningLoop());
        String deadlocks = DeadlockDetector.describe(getRunningLoop());
        out.line("After one second, what ./jasyncio pstree shows (TaskDump.of(loop): each task under the task it awaits):");
        tree.lines().forEach(out::result);
        out.line("And the deadlock detector:");
        deadlocks.lines().forEach(out::result);
        broken.cancel(); // the TaskGroup cancels the stuck children: each wait gives up cleanly
        Asyncio.gatherSettled(List.of(broken));
        boolean finished = Asyncio.timeout(Duration.ofSeconds(1), () -> {
            HungProgram.day(true);
            return true;
        });
        out.result("the fixed day (one lock order, rates loaded) finished: " + finished);
        return new Result(tree, deadlocks, finished);
    }
}
