package io.jasyncio.net;

/** The stream contract over TCP on 127.0.0.1. */
class TcpStreamContractTest extends AbstractStreamContractTest {
    @Override
    protected Ends open() throws Exception {
        return SocketStreamEnds.open(h -> Net.startServer(h, "127.0.0.1", 0), s -> Net.openConnection("127.0.0.1", s.port()));
    }
}
