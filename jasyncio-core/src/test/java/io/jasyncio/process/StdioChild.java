package io.jasyncio.process;

import io.jasyncio.Asyncio;
import io.jasyncio.Task;
import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamWriter;

/**
 * A child JVM for {@link PipesTest}: a line-based command-line tool on {@link Pipes#stdin()} and
 * {@link Pipes#stdout()}. Each line comes back upper-cased with the number of ticks a concurrent task
 * made so far (the loop keeps running while the tool waits for input); "big N" answers with N bytes;
 * at the end of its input it says "eof" and exits 0.
 */
public final class StdioChild {
    private StdioChild() {}

    public static void main(String[] args) {
        Asyncio.run(() -> {
            StreamReader in = Pipes.stdin();
            StreamWriter out = Pipes.stdout();
            long[] ticks = new long[1];
            Task<Void> ticker = Asyncio.createTask(() -> {
                while (true) {
                    Asyncio.sleep(0.001);
                    ticks[0]++;
                }
            });
            out.write("ready\n");
            for (byte[] raw : in) {
                String line = StreamReader.text(raw);
                if (line.startsWith("big ")) {
                    out.write("x".repeat(Integer.parseInt(line.substring(4))) + "\n");
                } else {
                    out.write(line.toUpperCase() + " ticks=" + ticks[0] + "\n");
                }
                out.drain();
            }
            out.write("eof\n");
            ticker.cancel();
            out.close();
            out.waitClosed();
            return null;
        });
    }
}
