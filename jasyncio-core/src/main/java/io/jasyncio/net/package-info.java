/**
 * Non-blocking networking on NIO, asyncio's {@code streams}, {@code transports}/{@code protocols},
 * {@code sslproto} and the socket half of {@code selector_events}.
 *
 * <h2>Where to start reading</h2>
 * {@link io.jasyncio.net.Net} holds the entry points ({@code openConnection}, {@code startServer},
 * {@code createConnection}, {@code createServer}, {@code createDatagramEndpoint}, {@code sock*},
 * {@code getAddrInfo}) and only delegates: {@code Connector} (clients, over {@code HappyEyeballs}),
 * {@code ServerFactory} (listening sockets into a {@link io.jasyncio.net.Server}),
 * {@code DatagramEndpointFactory}, {@code StreamConnections} (streams over protocols),
 * {@code SocketOps} (the {@code sock*} operations) and {@code NameLookup} hold the logic. Streams ({@link io.jasyncio.net.StreamReader}, {@link io.jasyncio.net.StreamWriter})
 * sit on a {@link io.jasyncio.net.StreamReaderProtocol} over a {@link io.jasyncio.net.Transport}:
 * {@link io.jasyncio.net.SocketTransport} for TCP and Unix sockets, {@link io.jasyncio.net.TlsProtocol}
 * layering TLS ({@code SSLEngine}) between a socket transport and the user's protocol.
 *
 * <h2>Threading rule</h2>
 * Loop-confined, like the loop that created them; protocol callbacks run on the loop thread, and
 * every suspending method states what a cancellation at that point keeps or loses.
 */
package io.jasyncio.net;
