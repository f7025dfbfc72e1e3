package io.monitml.query;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asking other instances of the application over HTTP the question this one was asked, to be
 * answered from their own stores.
 *
 * <p>Asking another instance is bounded: one deadline for the whole exchange (connect, headers and
 * body), at most {@code maxAnswerBytes} of answer (a peer that sends more is a 502), and several
 * instances are asked at once. The request carries this instance's own API token (every instance
 * of an application shares it), never the caller's: a member of the consumer group advertises its
 * host itself, and the caller's credentials must not go wherever that points. What a peer answers
 * or which host it is never reaches the caller in an error; the log has it.
 */
final class Instances {

    /** Set on a request one instance makes of another: the receiver answers from its own stores only. */
    static final String FORWARDED_HEADER = "X-MonitML-Forwarded-By";
    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);
    /** A unit listing page of 1,000 units is about 1.5 MiB of JSON. */
    static final int DEFAULT_MAX_ANSWER_BYTES = 4 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(Instances.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final HostInfo self;
    private final String scheme;
    private final String authorization;
    private final Duration deadline;
    private final int maxAnswerBytes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    /**
     * @param scheme         {@code http} or {@code https}: how every instance's HTTP port is reached
     * @param token          this instance's API token, sent to the others; null: none
     * @param deadline       how long asking another instance may take, all told
     * @param maxAnswerBytes the largest answer taken from another instance
     */
    Instances(final HostInfo self, final String scheme, final String token, final Duration deadline, final int maxAnswerBytes) {
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("scheme must be http or https: " + scheme);
        }
        this.self = self;
        this.scheme = scheme;
        this.authorization = token == null || token.isBlank() ? null : "Bearer " + token.strip();
        this.deadline = deadline;
        this.maxAnswerBytes = maxAnswerBytes;
    }

    static String name(final HostInfo host) {
        return host.host() + ":" + host.port();
    }

    /** What another instance answered: its status, its body (at most the limit), its {@code Retry-After}. */
    record Answer(int status, byte[] body, String retryAfter) {
    }

    /** Asks {@code host} the same question, to be answered from its own stores. */
    Answer ask(final HostInfo host, final String pathAndQuery) {
        return askAll(List.of(host), pathAndQuery).get(0);
    }

    /** Asks every host at once and waits for all of them within one deadline; the answers in the hosts' order. */
    List<Answer> askAll(final List<HostInfo> hosts, final String pathAndQuery) {
        final long end = System.nanoTime() + deadline.toNanos();
        final List<Exchange> exchanges = new ArrayList<>(hosts.size());
        for (final HostInfo host : hosts) {
            exchanges.add(send(host, pathAndQuery));
        }
        final List<Answer> answers = new ArrayList<>(hosts.size());
        try {
            for (final Exchange exchange : exchanges) {
                answers.add(exchange.await(end));
            }
            return answers;
        } finally {
            exchanges.forEach(Exchange::cancel);
        }
    }

    private Exchange send(final HostInfo host, final String pathAndQuery) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + "://" + name(host) + pathAndQuery))
            .timeout(deadline)
            .header(FORWARDED_HEADER, name(self))
            .GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        final CappedBody[] body = new CappedBody[1];
        final CompletableFuture<HttpResponse<byte[]>> response = http.sendAsync(request.build(), info -> {
            body[0] = new CappedBody(maxAnswerBytes);
            return body[0];
        });
        return new Exchange(host, response, body);
    }

    /** One question to one instance, in flight. */
    private final class Exchange {

        private final HostInfo host;
        private final CompletableFuture<HttpResponse<byte[]>> response;
        private final CappedBody[] body;

        Exchange(final HostInfo host, final CompletableFuture<HttpResponse<byte[]>> response, final CappedBody[] body) {
            this.host = host;
            this.response = response;
            this.body = body;
        }

        Answer await(final long end) {
            try {
                final HttpResponse<byte[]> answer = response.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                return new Answer(answer.statusCode(), answer.body(), answer.headers().firstValue("Retry-After").orElse(null));
            } catch (TimeoutException e) {
                LOG.info("Instance {} did not answer within {}", name(host), deadline);
                throw ApiException.notReady("Another instance of MonitML did not answer within " + deadline.toMillis()
                    + " ms; ask again shortly");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof CappedBody.TooLarge) {
                    LOG.warn("Instance {} answered with more than {} bytes", name(host), maxAnswerBytes);
                    throw new ApiException(502, "Another instance of MonitML answered with more than " + maxAnswerBytes + " bytes");
                }
                LOG.info("Instance {} could not be asked: {}", name(host), String.valueOf(e.getCause()));
                throw ApiException.notReady("Another instance of MonitML could not be reached; if it stopped, its tasks move"
                    + " to the others shortly");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.notReady("Interrupted while asking another instance of MonitML");
            }
        }

        void cancel() {
            if (!response.isDone()) {
                response.cancel(true);
            }
            if (body[0] != null) {
                body[0].cancel();
            }
        }
    }
}
