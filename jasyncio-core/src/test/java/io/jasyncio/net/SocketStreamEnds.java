package io.jasyncio.net;

import io.jasyncio.Asyncio;
import io.jasyncio.Future;

/** Opens the contract's stream over a socket server: the client writes, the accepted side reads. */
final class SocketStreamEnds {
    private SocketStreamEnds() {}

    @FunctionalInterface
    interface Listen {
        Server start(Net.ClientHandler handler) throws java.io.IOException;
    }

    @FunctionalInterface
    interface Connect {
        StreamPair connect(Server server) throws java.io.IOException;
    }

    static AbstractStreamContractTest.Ends open(Listen listen, Connect connect) throws java.io.IOException {
        Future<StreamPair> accepted = Asyncio.getRunningLoop().createFuture();
        Server server = listen.start((r, w) -> accepted.setResult(new StreamPair(r, w)));
        StreamPair client = connect.connect(server);
        StreamPair serverSide = accepted.await();
        return new AbstractStreamContractTest.Ends(client.writer(), serverSide.reader(), serverSide.writer()::close, () -> {
            client.writer().transport().abort();
            serverSide.writer().transport().abort();
            server.close();
            server.waitClosed();
        }, serverSide.writer(), client.reader());
    }
}
