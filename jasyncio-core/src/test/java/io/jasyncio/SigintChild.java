package io.jasyncio;

/**
 * A child JVM for {@link RunnerTest}: its main task swallows the first cancellation and keeps
 * running, so only a second Ctrl-C can stop it.
 */
public final class SigintChild {
    private SigintChild() {}

    public static void main(String[] args) {
        Asyncio.run(() -> {
            System.out.println("ready");
            System.out.flush();
            while (true) {
                try {
                    Asyncio.sleep(60);
                } catch (CancelledError first) {
                    Asyncio.currentTask().uncancel();
                    System.out.println("first SIGINT cancelled main; ignoring it");
                    System.out.flush();
                }
            }
        });
    }
}
