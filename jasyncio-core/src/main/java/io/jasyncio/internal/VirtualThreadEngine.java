package io.jasyncio.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The fallback engine, needing no JVM flags: each strand is a virtual thread, and a baton passed
 * with {@link LockSupport#park}/{@link LockSupport#unpark} makes sure exactly one of the loop and
 * its strands runs at any moment, so the single-threaded semantics hold.
 *
 * <p>Implementation notes. The loop itself runs on a virtual thread ({@link #runLoop}), so every
 * handoff is virtual-to-virtual: the resumer unparks the strand's thread and parks itself, which
 * on the virtual-thread scheduler is a continuation switch plus a queue operation, with no
 * platform thread blocking in the hot path. The baton is the volatile {@code state} field: the
 * resumer writes {@code RUNNING} before unparking, the strand writes {@code PARKED} or
 * {@code DONE} before unparking the resumer; each side parks in a loop until the state it waits
 * for appears, which also absorbs spurious wake-ups. The volatile write/read pair is the
 * happens-before edge that lets loop-confined data be touched from whichever thread holds the
 * baton.
 */
public final class VirtualThreadEngine implements Engine {

    private static final Thread.Builder.OfVirtual LOOPS = Thread.ofVirtual().name("jasyncio-loop-", 0);

    /**
     * Makes the strands' threads: virtual ones, except in the model check of the baton. They are
     * unnamed: a name costs 64 B per task (a String and its bytes), and a thread dump shows the
     * task's frames anyway ({@code TaskDump} names the tasks).
     */
    private final ThreadFactory strands;

    public VirtualThreadEngine() {
        this(Thread.ofVirtual());
    }

    /**
     * An engine whose strands run on threads of {@code strands}' making. The baton does not depend
     * on the threads being virtual; {@code VirtualThreadBatonModelCheckTest} uses platform threads,
     * which its model checker can schedule.
     */
    VirtualThreadEngine(Thread.Builder strands) {
        this.strands = strands.factory(); // safe for concurrent use, unlike the builder: loops share the engine
    }

    @Override
    public String name() {
        return "virtual";
    }

    @Override
    public Object newStrand(Runnable body) {
        return new VirtualStrand(body);
    }

    @Override
    public void resume(Object strand) {
        ((VirtualStrand) strand).resume(strands);
    }

    @Override
    public void suspend(Object strand) {
        ((VirtualStrand) strand).suspend();
    }

    @Override
    public Thread thread(Object strand) {
        return ((VirtualStrand) strand).thread;
    }

    @Override
    public StackTraceElement[] suspendedStack(Object strand) {
        return ((VirtualStrand) strand).suspendedStack();
    }

    @Override
    public boolean tasksHaveOwnThreads() {
        return true;
    }

    @Override
    public void runLoop(Runnable loopBody) {
        if (Thread.currentThread().isVirtual()) {
            loopBody.run();
            return;
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread loopThread;
        synchronized (LOOPS) {
            loopThread = LOOPS.unstarted(() -> {
                try {
                    loopBody.run();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
        }
        loopThread.start();
        boolean interrupted = false;
        while (true) {
            try {
                loopThread.join();
                break;
            } catch (InterruptedException e) {
                // The loop decides how to react to interrupts (Runner handles SIGINT); keep waiting.
                interrupted = true;
                loopThread.interrupt();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable t = failure.get();
        if (t != null) {
            throw Sneaky.raise(t);
        }
    }

    /**
     * A strand on a virtual thread of its own; the baton is {@code state}. It is its thread's
     * {@code Runnable} itself (a {@code this::runBody} would cost 16 B per task).
     */
    private static final class VirtualStrand implements Runnable {
        private static final int NEW = 0, RUNNING = 1, PARKED = 2, DONE = 3;

        private final Runnable body;
        private volatile int state = NEW;
        private volatile Thread resumer;
        /** Written before the thread starts, by the baton holder; read by EventLoop.current() on the thread itself. */
        private Thread thread;

        VirtualStrand(Runnable body) {
            this.body = body;
        }

        void resume(ThreadFactory strands) {
            resumer = Thread.currentThread();
            int before = state;
            state = RUNNING;
            if (before == NEW) {
                thread = strands.newThread(this);
                thread.start();
            } else {
                LockSupport.unpark(thread);
            }
            while (state == RUNNING) {
                LockSupport.park(this);
            }
        }

        /** The thread's body: not to be called by anyone else. */
        @Override
        public void run() {
            try {
                body.run();
            } finally {
                state = DONE;
                LockSupport.unpark(resumer);
            }
        }

        void suspend() {
            Thread back = resumer;
            state = PARKED;
            LockSupport.unpark(back);
            while (state != RUNNING) {
                LockSupport.park(this);
            }
        }

        StackTraceElement[] suspendedStack() {
            Thread t = thread;
            return state == PARKED && t != null ? t.getStackTrace() : new StackTraceElement[0];
        }
    }
}
