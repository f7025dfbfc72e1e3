package io.monitml.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves the analysts' page: the files of one classpath folder under one path prefix, by name
 * only (no subfolders, so no way out of the folder), {@code index.html} for the prefix itself.
 * {@link HttpApi} routes only GET and HEAD without a body here.
 */
public final class StaticPage implements Request.Handler {

    /**
     * The page's scripts, styles and images are its own files; it is never framed (clickjacking) and
     * a {@code <base>} injected into it could not redirect its relative URLs.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]*\\.(html|js|css|svg)");
    private static final Map<String, String> TYPES = Map.of(
        "html", "text/html; charset=utf-8",
        "js", "text/javascript; charset=utf-8",
        "css", "text/css; charset=utf-8",
        "svg", "image/svg+xml");

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
    public boolean handle(final Request request, final Response response, final Callback callback) throws IOException {
        final String path = request.getHttpURI().getPath();
        final String name = path.equals(prefix) || path.equals(prefix.substring(0, prefix.length() - 1))
            ? "index.html" : path.substring(Math.min(path.length(), prefix.length()));
        final byte[] body = NAME.matcher(name).matches() ? read(folder + name) : null;
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        if (body == null) {
            JsonReplies.error(response, callback, 404, "No page " + name + " under " + prefix);
            return true;
        }
        JsonReplies.send(response, callback, 200, TYPES.get(name.substring(name.lastIndexOf('.') + 1)), body);
        return true;
    }

    private static byte[] read(final String resource) throws IOException {
        try (InputStream in = StaticPage.class.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        }
    }
}
