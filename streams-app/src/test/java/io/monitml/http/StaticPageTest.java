package io.monitml.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

class StaticPageTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private HttpServer server;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext("/ui/", new StaticPage("/ui/", "/io/monitml/ui/"));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpResponse<String> get(final String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageAtItsPrefixWithItsTypeAndAStrictContentSecurityPolicy() throws Exception {
        final HttpResponse<String> page = get("/ui/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'"));
        assertThat(page.body()).containsIgnoringCase("<!doctype html").contains("MonitML");
        assertThat(get("/ui/index.html").body()).isEqualTo(page.body());
    }

    @Test
    void servesNothingOutsideItsFolderOrOfAnotherKind() throws Exception {
        assertThat(get("/ui/../query/openapi.json").statusCode()).isEqualTo(404);
        assertThat(get("/ui/%2e%2e/query/openapi.json").statusCode()).isEqualTo(404);
        assertThat(get("/ui/sub/index.html").statusCode()).isEqualTo(404);
        assertThat(get("/ui/missing.js").statusCode()).isEqualTo(404);
        assertThat(get("/ui/StaticPage.class").statusCode()).isEqualTo(404);
        final HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + server.getAddress().getPort() + "/ui/")).POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }
}
