package io.jasyncio.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Route patterns and the router's bookkeeping, without sockets. */
class RouterTest {
    @Test
    void patternsMatchSegmentsRegexesAndLiterals() {
        assertThat(PathPattern.compile("/a/b").match("/a/b")).isEqualTo(Map.of());
        assertThat(PathPattern.compile("/a/b").match("/a/b/")).isNull();
        assertThat(PathPattern.compile("/u/{id}/posts/{post}").match("/u/7/posts/x y")).isEqualTo(Map.of("id", "7", "post", "x y"));
        assertThat(PathPattern.compile("/u/{id}").match("/u/7/8")).isNull();
        assertThat(PathPattern.compile("/n/{n:\\d+}").match("/n/12")).isEqualTo(Map.of("n", "12"));
        assertThat(PathPattern.compile("/n/{n:\\d+}").match("/n/x")).isNull();
        assertThat(PathPattern.compile("/files/{rest:.*}").match("/files/a/b.txt")).isEqualTo(Map.of("rest", "a/b.txt"));
        assertThat(PathPattern.compile("/q.{ext}").match("/qxhtml")).as("literal dots are quoted").isNull();
    }

    @Test
    void badPatternsAndDuplicateRoutesAreRefusedAtOnce() {
        assertThatThrownBy(() -> PathPattern.compile("a")).hasMessageContaining("starts with '/'");
        assertThatThrownBy(() -> PathPattern.compile("/{id")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> PathPattern.compile("/{1x}")).hasMessageContaining("invalid parameter name");
        assertThatThrownBy(() -> PathPattern.compile("/{a}/{a}")).hasMessageContaining("used twice");
        assertThatThrownBy(() -> PathPattern.compile("/{a:(}")).hasMessageContaining("invalid regular expression");
        Router r = new Router().get("/x", q -> HttpResponse.of(204));
        assertThatThrownBy(() -> r.get("/x", q -> HttpResponse.of(204))).hasMessageContaining("exists already");
        assertThatThrownBy(() -> r.route("G T", "/y", q -> HttpResponse.of(204))).hasMessageContaining("invalid method");
    }

    @Test
    void pathsAreDecodedAndQueriesParsedAsForms() {
        HttpRequest r = new HttpRequest(new RequestHead("GET", "/a%2Fb/c%20d+e?k=v+w&k=%26&empty=&flag", "HTTP/1.1",
                HttpHeaders.of("Host", "h"), true), null, null);
        assertThat(r.rawPath()).isEqualTo("/a%2Fb/c%20d+e");
        assertThat(r.path()).isEqualTo("/a/b/c d+e");
        assertThat(r.queryParams()).containsExactly(Map.entry("k", java.util.List.of("v w", "&")),
                Map.entry("empty", java.util.List.of("")), Map.entry("flag", java.util.List.of("")));
        HttpRequest absolute = new HttpRequest(new RequestHead("GET", "http://h:8/p/q?z=1", "HTTP/1.1",
                HttpHeaders.of("Host", "h"), true), null, null);
        assertThat(absolute.path()).isEqualTo("/p/q");
        assertThat(absolute.queryParam("z")).isEqualTo("1");
        HttpRequest connect = new HttpRequest(new RequestHead("CONNECT", "example.org:443", "HTTP/1.1", HttpHeaders.of("Host", "h"), true), null, null);
        assertThat(connect.path()).isEqualTo("example.org:443"); // matches no route: 404
        HttpRequest noPath = new HttpRequest(new RequestHead("GET", "http://h?q=1", "HTTP/1.1", HttpHeaders.of("Host", "h"), true), null, null);
        assertThat(noPath.path()).isEqualTo("/");
        assertThat(noPath.queryParam("q")).isEqualTo("1");
        HttpRequest bad = new HttpRequest(new RequestHead("GET", "/%e", "HTTP/1.1", HttpHeaders.of("Host", "h"), true), null, null);
        assertThatThrownBy(bad::path).isInstanceOf(HttpStatusException.class).hasMessageContaining("percent-encoding");
    }
}
