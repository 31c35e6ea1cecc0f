package io.jasyncio.net;

import io.jasyncio.process.Process;
import io.jasyncio.process.Redirect;
import java.util.List;

/**
 * The stream contract over subprocess pipes: what is written to a {@code cat} child's stdin comes
 * back on its stdout. Closing the receiving end is the child going away.
 */
class PipeStreamContractTest extends AbstractStreamContractTest {
    @Override
    protected Ends open() throws Exception {
        Process cat = Process.createSubprocessExec(List.of("cat"), Redirect.PIPE, Redirect.PIPE, Redirect.DEVNULL);
        return new Ends(cat.stdin(), cat.stdout(), cat::kill, () -> {
            cat.kill();
            cat.await();
        });
    }
}
