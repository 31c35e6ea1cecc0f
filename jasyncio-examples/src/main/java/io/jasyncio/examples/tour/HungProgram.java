package io.jasyncio.examples.tour;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Asyncio;
import io.jasyncio.Event;
import io.jasyncio.Held;
import io.jasyncio.Lock;
import io.jasyncio.TaskGroup;

/**
 * The program chapter 14 debugs: a bank moves money between two accounts while a report reads both, and a
 * notifier waits for the day's rates. {@linkplain #day(boolean) The broken version} hangs twice over: the
 * transfer and the report take the two accounts' locks in opposite orders (a deadlock), and nobody ever
 * sets the rates event (a forgotten Event). The fixed version takes the locks in one order and loads the
 * rates.
 *
 * <p>Run on its own ({@link #main}) it is the hung program to inspect from outside: it prints its PID,
 * then {@code hung} once its tasks are stuck, and stays so until killed:
 * {@code ./jasyncio ps PID}, {@code ./jasyncio pstree PID}.
 */
public final class HungProgram {
    private HungProgram() {}

    /** Moves money: holds {@code first}, then takes {@code second}. */
    static void move(Lock first, Lock second) {
        try (Held a = first.acquire()) {
            sleep(0.01); // the other task takes its first lock meanwhile
            try (Held b = second.acquire()) {
                sleep(0.001);
            }
        }
    }

    /** One business day; {@code fixed} takes the locks in one order and sets the event. */
    static void day(boolean fixed) {
        Lock savings = new Lock();
        Lock checking = new Lock();
        Event ratesLoaded = new Event();
        TaskGroup.run(tg -> {
            tg.createTask("transfer", () -> {
                move(savings, checking);
                return null;
            });
            tg.createTask("report", () -> {
                if (fixed) {
                    move(savings, checking); // the same order as the transfer: no cycle possible
                } else {
                    move(checking, savings); // the opposite order: each holds what the other needs
                }
                return null;
            });
            tg.createTask("notifier", () -> ratesLoaded.await());
            if (fixed) {
                tg.createTask("rates", () -> {
                    sleep(0.001);
                    ratesLoaded.set(); // the line the broken version forgot
                    return null;
                });
            }
        });
    }

    /** Runs the broken day in a JVM of its own, for {@code ./jasyncio ps|pstree|monitor PID}. */
    public static void main(String[] args) {
        System.out.println("PID " + ProcessHandle.current().pid());
        Asyncio.run(() -> {
            createTask("announcer", () -> {
                sleep(0.1); // by now the transfer and the report hold one lock each
                System.out.println("hung");
                System.out.flush();
                return null;
            });
            day(false);
            return null;
        });
    }
}
