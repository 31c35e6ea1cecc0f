package io.jasyncio.net;

import io.jasyncio.Asyncio;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Host names to addresses and back (asyncio's {@code getaddrinfo} and {@code getnameinfo}), behind
 * {@link Net#getAddrInfo} and {@link Net#getNameInfo}.
 *
 * <p>Threading: called from a task; a real lookup blocks, so it runs on a worker thread through
 * {@link Asyncio#toThread} and the task suspends meanwhile. A literal address (IPv4 dotted quad, or
 * anything with a colon: IPv6) is parsed on the calling thread, since the JDK does that without a
 * lookup.
 */
final class NameLookup {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private NameLookup() {}

    /** Every address of {@code host}, in the resolver's order, each with {@code port}. */
    static List<InetSocketAddress> addresses(String host, int port) throws IOException {
        Objects.requireNonNull(host, "host");
        checkPort(port);
        InetAddress[] all;
        if (isLiteral(host)) {
            all = new InetAddress[] {InetAddress.getByName(host)}; // a literal: no lookup
        } else {
            all = Asyncio.toThread(() -> InetAddress.getAllByName(host));
        }
        List<InetSocketAddress> out = new ArrayList<>(all.length);
        for (InetAddress a : all) {
            out.add(new InetSocketAddress(a, port));
        }
        return out;
    }

    /** The host name of {@code address} by reverse lookup; the literal address when there is none. */
    static String name(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        InetAddress a = address.getAddress();
        if (a == null) {
            return address.getHostString();
        }
        return Asyncio.toThread(a::getCanonicalHostName);
    }

    /** Whether {@code host} is an IP address written out (IPv4 dotted quad, or IPv6: has a colon), not a name. */
    static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
    }

    /** Rejects a port outside 0..65535 with a message naming it. */
    static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}
