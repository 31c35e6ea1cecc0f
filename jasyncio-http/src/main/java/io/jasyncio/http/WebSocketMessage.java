package io.jasyncio.http;

import java.nio.charset.StandardCharsets;

/**
 * One whole WebSocket message as received (its fragments joined): text, already checked to be UTF-8, or
 * binary. aiohttp's {@code WSMessage} of type TEXT or BINARY; control frames never surface here (pings are
 * answered by the {@link WebSocket} itself, the close ends {@link WebSocket#receive()}).
 *
 * @param isText true for a text message
 * @param bytes  the payload (UTF-8 for text); belongs to the receiver
 * @param text   the decoded text, or null for a binary message
 */
public record WebSocketMessage(boolean isText, byte[] bytes, String text) {
    static WebSocketMessage ofText(String text) {
        return new WebSocketMessage(true, text.getBytes(StandardCharsets.UTF_8), text);
    }

    /**
     * The text of a text message.
     *
     * @throws IllegalStateException for a binary one
     */
    @Override
    public String text() {
        if (!isText) {
            throw new IllegalStateException("a binary message of " + bytes.length + " bytes has no text");
        }
        return text;
    }

    @Override
    public String toString() {
        return isText ? "WebSocketMessage[text: " + (text.length() > 60 ? text.substring(0, 60) + "..." : text) + "]"
                : "WebSocketMessage[binary, " + bytes.length + " bytes]";
    }
}
