package io.monitml.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * Serves the analysts' page: the files of one classpath folder under one path prefix, by name
 * only (no subfolders, so no way out of the folder), {@code index.html} for the prefix itself.
 */
public final class StaticPage implements HttpHandler {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]*\\.(html|js|css|svg)");
    private static final Map<String, String> TYPES = Map.of(
        "html", "text/html; charset=utf-8",
        "js", "text/javascript; charset=utf-8",
        "css", "text/css; charset=utf-8",
        "svg", "image/svg+xml");

    private static final String JSON = "application/json";

    private final String prefix;
    private final String folder;

    /**
     * @param prefix the URL path, e.g. {@code /ui/}
     * @param folder the classpath folder, e.g. {@code /io/monitml/ui/}
     */
    public StaticPage(final String prefix, final String folder) {
        this.prefix = prefix;
        this.folder = folder;
    }

    @Override
    public void handle(final HttpExchange exchange) throws IOException {
        try (exchange) {
            final String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                send(exchange, 405, JSON, "{\"error\":\"method not allowed\",\"message\":\"Use GET\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            final String path = exchange.getRequestURI().getPath();
            final String name = path.equals(prefix) || path.equals(prefix.substring(0, prefix.length() - 1))
                ? "index.html" : path.substring(Math.min(path.length(), prefix.length()));
            final byte[] body = NAME.matcher(name).matches() ? read(folder + name) : null;
            if (body == null) {
                send(exchange, 404, JSON, ("{\"error\":\"not found\",\"message\":\"No page " + HttpApi.jsonEscape(name)
                    + " under " + prefix + "\"}").getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(exchange, 200, TYPES.get(name.substring(name.lastIndexOf('.') + 1)), body);
        }
    }

    private static byte[] read(final String resource) throws IOException {
        try (InputStream in = StaticPage.class.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    private static void send(final HttpExchange exchange, final int status, final String type, final byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'");
        final boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
