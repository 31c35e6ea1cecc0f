package io.jasyncio.http;

/**
 * Serves one WebSocket connection accepted by {@link Router#websocket}: runs in the connection's task
 * after the handshake, for as long as the conversation lasts. When it returns, the server closes the
 * WebSocket with 1000 (if it is still open); when it fails, with 1011; when the server shuts down, the
 * handler is cancelled and the peer gets 1001 (going away).
 *
 * <pre>{@code
 * router.websocket("/echo", (ws, request) -> {
 *     for (WebSocketMessage m : ws) {
 *         if (m.isText()) ws.sendText(m.text()); else ws.sendBinary(m.bytes());
 *     }
 * });
 * }</pre>
 */
@FunctionalInterface
public interface WebSocketHandler {
    void handle(WebSocket ws, HttpRequest request) throws Exception;
}
