package io.monitml.query;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * A question to the query API: the decoded path segments after {@value QueryApi#PREFIX}, the
 * query's parameters (the last value of a repeated one), the path and query as sent (to ask
 * another instance the same), and whether another instance asked it.
 */
record ApiRequest(List<String> path, Map<String, String> query, String pathAndQuery, boolean forwarded) {

    /** Jetty decodes the path (refusing what is malformed before this runs) and the query; a malformed query is a 400. */
    static ApiRequest of(final Request http) {
        final String path = http.getHttpURI().getDecodedPath();
        if (!path.equals(QueryApi.PREFIX) && !path.startsWith(QueryApi.PREFIX + "/")) {
            throw ApiException.notFound("No resource at " + path + "; the query API is under " + QueryApi.PREFIX + "/, see "
                + QueryApi.PREFIX + "/openapi.json");
        }
        final List<String> segments = new ArrayList<>();
        for (final String segment : path.substring(QueryApi.PREFIX.length()).split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        final Fields fields;
        try {
            fields = Request.extractQueryParameters(http, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("Malformed query string: " + e.getMessage()
                + " (a % must be followed by two hex digits of UTF-8)");
        }
        final Map<String, String> query = new LinkedHashMap<>();
        fields.forEach(field -> query.put(field.getName(), field.getValues().get(field.getValues().size() - 1)));
        final String rawQuery = http.getHttpURI().getQuery();
        final String pathAndQuery = http.getHttpURI().getPath() + (rawQuery == null ? "" : "?" + rawQuery);
        return new ApiRequest(List.copyOf(segments), query, pathAndQuery, http.getHeaders().contains(Instances.FORWARDED_HEADER));
    }
}
