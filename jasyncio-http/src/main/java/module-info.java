/**
 * jasyncio-http: HTTP/1.1 on the jasyncio loop. Start at {@link io.jasyncio.http.HttpClient} (the client
 * session) or {@link io.jasyncio.http.HttpServer}; both share one sans-I/O codec, {@link io.jasyncio.http.HttpParser}.
 * {@link io.jasyncio.http.monitor} serves the live monitor page of event loops.
 */
module io.jasyncio.http {
    requires transitive io.jasyncio;
    requires com.fasterxml.jackson.databind;
    requires java.management;
    exports io.jasyncio.http;
    exports io.jasyncio.http.monitor;
}
