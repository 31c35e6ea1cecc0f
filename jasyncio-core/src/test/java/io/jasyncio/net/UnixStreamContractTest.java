package io.jasyncio.net;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The stream contract over a Unix domain socket. */
class UnixStreamContractTest extends AbstractStreamContractTest {
    @TempDir
    Path dir;

    @Override
    protected Ends open() throws Exception {
        Path socket = dir.resolve("contract.sock");
        return SocketStreamEnds.open(h -> Net.startUnixServer(h, socket), s -> Net.openUnixConnection(socket));
    }
}
