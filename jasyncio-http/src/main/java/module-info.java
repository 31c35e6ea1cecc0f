/**
 * jasyncio-http: HTTP/1.1 on the jasyncio loop. Start at {@link io.jasyncio.http.HttpClient} (the client
 * session) or {@link io.jasyncio.http.HttpServer}; both share one sans-I/O codec, {@link io.jasyncio.http.HttpParser}.
 */
module io.jasyncio.http {
    requires transitive io.jasyncio;
    requires com.fasterxml.jackson.databind;
    exports io.jasyncio.http;
}
