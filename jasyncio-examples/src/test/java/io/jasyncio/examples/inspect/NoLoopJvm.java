package io.jasyncio.examples.inspect;

/** A JVM that runs no event loop: {@code ps} must say so. Prints "up", then waits to be killed. */
public final class NoLoopJvm {
    private NoLoopJvm() {}

    public static void main(String[] args) throws InterruptedException {
        System.out.println("up");
        System.out.flush();
        Thread.sleep(120_000);
    }
}
