package io.jasyncio.http;

import java.net.URI;
import java.util.Locale;

/**
 * Scheme, host and port: what a pooled connection is good for (RFC 6454). Two URLs with the same origin
 * may share a connection; credentials do not travel from one origin to another on a redirect.
 */
record Origin(String scheme, String host, int port) {
    static Origin of(URI url) {
        String scheme = url.getScheme() == null ? null : url.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("not an http or https URL: " + url);
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("URL without a host: " + url);
        }
        int port = url.getPort() >= 0 ? url.getPort() : scheme.equals("https") ? 443 : 80;
        return new Origin(scheme, host.toLowerCase(Locale.ROOT), port);
    }

    boolean tls() {
        return scheme.equals("https");
    }

    /** The Host header: the port only when it is not the scheme's default. */
    String hostHeader() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        boolean defaultPort = (port == 80 && !tls()) || (port == 443 && tls());
        return defaultPort ? h : h + ":" + port;
    }

    /** The name TLS verifies and sends as SNI: the host without the brackets of an IPv6 literal. */
    String bareHost() {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public String toString() {
        return scheme + "://" + hostHeader();
    }
}
