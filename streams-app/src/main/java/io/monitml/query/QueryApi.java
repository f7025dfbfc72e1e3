package io.monitml.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.monitml.config.TopologySettings;
import io.monitml.http.BearerToken;
import io.monitml.http.JsonReplies;

/**
 * The interactive-query API under {@code /api/v1} (described by {@code /api/v1/openapi.json}):
 * monitored units, closed and live prediction statistics, drift reports, pipeline counters. This
 * handler authenticates, reads the request and hands it to the route of its resource; what it
 * gets back, or the error it throws, is what it sends.
 *
 * <p>Any instance answers any question. A unit's state lives in the instance that owns its
 * partition: another instance forwards the request there (the owner answers from its own stores
 * and says so in {@code servedBy} and the {@value #SERVED_BY_HEADER} header). Listings ask every
 * instance at once and merge. A store that is not queryable now (start, restore, rebalance) or an
 * owner that does not answer gives 503 with {@code Retry-After}, at once. {@link io.monitml.http.HttpApi}
 * routes only GET and HEAD without a body here.
 */
public final class QueryApi implements Request.Handler {

    public static final String PREFIX = "/api/v1";
    static final String SERVED_BY_HEADER = "X-MonitML-Served-By";

    private static final Logger LOG = LoggerFactory.getLogger(QueryApi.class);

    private final BearerToken token;
    private final Map<String, Route> routes;
    private final Route unit;

    /**
     * @param streams   the Kafka Streams client, created and not necessarily started
     * @param self      this instance as the others reach it (Kafka Streams' {@code application.server})
     * @param scheme    how the other instances are reached, {@code http} or {@code https} (every instance
     *                  of an application serves the same); https trusts the JVM's trust store
     *                  ({@code -Djavax.net.ssl.trustStore}) and checks the advertised host name
     * @param token     bearer token every request must carry; null: none
     * @param settings  the topology's: how long the stores keep windows (the widest range asked for), the labels a window needs
     */
    public QueryApi(final KafkaStreams streams, final HostInfo self, final String scheme, final String token,
                    final TopologySettings settings, final MeterRegistry registry, final Clock clock) {
        this(new StreamsPlacement(streams, self), new Instances(self, scheme, token, Instances.DEFAULT_DEADLINE,
            Instances.DEFAULT_MAX_ANSWER_BYTES), token, settings, registry, clock);
    }

    QueryApi(final Placement placement, final Instances instances, final String token, final TopologySettings settings,
             final MeterRegistry registry, final Clock clock) {
        this.token = BearerToken.of(token);
        final QueryService service = new QueryService(placement);
        final Replies replies = new Replies(instances, placement.self());
        final byte[] openApi = openApi();
        this.routes = Map.of(
            "openapi.json", request -> Replies.document(openApi),
            "units", new UnitsRoute(service, replies),
            "pipeline", new PipelineRoute(service, replies, registry),
            "instances", new InstancesRoute(service, replies));
        this.unit = new UnitRoute(service, replies, settings, clock);
    }

    @Override
    public boolean handle(final Request http, final Response response, final Callback callback) {
        try {
            authenticate(http);
            final Reply reply = route(ApiRequest.of(http));
            if (reply.servedBy() != null) {
                response.getHeaders().put(SERVED_BY_HEADER, reply.servedBy());
            }
            JsonReplies.send(response, callback, 200, JsonReplies.JSON, reply.body());
        } catch (ApiException e) {
            if (e.status() == 503) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(ApiException.RETRY_AFTER_SECONDS));
            }
            JsonReplies.error(response, callback, e.status(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Query {} failed", http.getHttpURI().getPath(), e);
            JsonReplies.error(response, callback, 500, "The query could not be answered; the instance's log has the reason");
        }
        return true;
    }

    private Reply route(final ApiRequest request) {
        final List<String> path = request.path();
        final Route route = path.size() == 1 ? routes.get(path.get(0)) : UnitRoute.matches(path) ? unit : null;
        if (route == null) {
            throw ApiException.notFound("No resource at " + PREFIX + "/" + String.join("/", path) + "; see " + PREFIX + "/openapi.json");
        }
        return route.answer(request);
    }

    private void authenticate(final Request http) {
        if (token == null) {
            return;
        }
        final String header = http.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (!token.admits(header)) {
            throw new ApiException(401, header == null ? "This API needs a bearer token: Authorization: Bearer <token>"
                : "The bearer token is not the one configured (--api-token-file / MONITML_API_TOKEN)");
        }
    }

    private static byte[] openApi() {
        try (InputStream in = QueryApi.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
