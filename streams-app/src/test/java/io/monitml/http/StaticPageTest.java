package io.monitml.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StaticPageTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private HttpApi server;

    @BeforeEach
    void serve() {
        server = TestPorts.serve(null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(final String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageAtItsPrefixWithItsTypeAndAStrictContentSecurityPolicy() throws Exception {
        final HttpResponse<String> page = get("/ui/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
            .contains("default-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"));
        assertThat(page.body()).containsIgnoringCase("<!doctype html").contains("MonitML");
        assertThat(get("/ui/index.html").body()).isEqualTo(page.body());
        assertThat(get("/ui/app.js").headers().firstValue("Content-Security-Policy")).isPresent();
    }

    @Test
    void servesNothingOutsideItsFolderOrOfAnotherKind() throws Exception {
        // Jetty refuses an ambiguous path (an encoded dot segment) with 400 before any handler; either way nothing is served.
        assertThat(get("/ui/../query/openapi.json").statusCode()).isIn(400, 404);
        assertThat(get("/ui/%2e%2e/query/openapi.json").statusCode()).isIn(400, 404);
        assertThat(get("/ui/sub/index.html").statusCode()).isEqualTo(404);
        assertThat(get("/ui/missing.js").statusCode()).isEqualTo(404);
        assertThat(get("/ui/StaticPage.class").statusCode()).isEqualTo(404);
        final HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + server.port() + "/ui/")).POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }
}
