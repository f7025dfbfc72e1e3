package io.monitml.http;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads ingest bodies as they arrive, up to the limit, within the read timeout, without holding a
 * thread while it waits: each part is copied by whichever thread of the port's pool Jetty runs it
 * on. A body over the limit is answered 413: after reading the rest of it and throwing it away when
 * it is at most twice the limit, at once otherwise (a server that answers and closes while the
 * client still writes resets the connection, and a client that writes its whole body before it
 * reads never sees the answer).
 */
final class BodyReader {

    /** What is done with a body read whole. */
    interface Received {
        void received(Request request, Response response, Callback callback, byte[] body, long admitted);
    }

    private static final int READ_CHUNK = 8192;

    private final int maxBodyBytes;
    private final Duration readTimeout;
    private final IngestAnswers answers;
    private final InFlightBudget budget;

    BodyReader(final int maxBodyBytes, final Duration readTimeout, final IngestAnswers answers, final InFlightBudget budget) {
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, got " + maxBodyBytes);
        }
        this.maxBodyBytes = maxBodyBytes;
        this.readTimeout = readTimeout;
        this.answers = answers;
        this.budget = budget;
    }

    int maxBodyBytes() {
        return maxBodyBytes;
    }

    /**
     * Reads the body, then hands it on; answers the request itself when the body is too large, late
     * or broken (releasing what {@code admitted} took of the in-flight budget).
     *
     * @param admitted what the request holds of the in-flight budget: its declared length and overhead, or 0 for a chunked body
     */
    void read(final Request request, final Response response, final Callback callback, final long admitted, final Received then) {
        new Read(request, response, callback, admitted, then).run();
    }

    /** Answers 413 to a body over the limit, reading the rest of it first when it is at most twice the limit. */
    void refuseTooLarge(final Request request, final Response response, final Callback callback, final String actual,
                        final long alreadyRead) {
        final IngestRejection rejection = tooLarge(actual);
        if (request.getLength() > 2L * maxBodyBytes) {
            answers.reject(request, response, callback, rejection);
            return;
        }
        new Drain(request, response, callback, rejection, alreadyRead).run();
    }

    private IngestRejection tooLarge(final String actual) {
        return new IngestRejection(413, IngestListener.Reason.TOO_LARGE,
            "the body exceeds the limit of " + maxBodyBytes + " bytes (" + actual + ")");
    }

    /** A sender that drips its body would keep its request for ever: {@code expire} fails the read at the read timeout. */
    private Scheduler.Task deadline(final Request request, final Runnable expire) {
        return request.getComponents().getScheduler().schedule(expire, readTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One body being read. The declared length has been checked before; a chunked body has none and
     * is counted instead. A refused body is never read further: the connection closes after the
     * answer. The read timeout's timer is set only if the body is not all there at the first read
     * (the usual small event comes with its headers).
     */
    private final class Read implements Runnable {

        private final Request request;
        private final Response response;
        private final Callback callback;
        private final long admitted;
        private final Received then;
        private final AtomicBoolean late = new AtomicBoolean();
        private byte[] body;
        private int length;
        private Scheduler.Task deadline;

        Read(final Request request, final Response response, final Callback callback, final long admitted, final Received then) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.admitted = admitted;
            this.then = then;
            this.body = new byte[admitted > 0 ? (int) (admitted - CloudEventIngest.RECORD_OVERHEAD_BYTES) : READ_CHUNK];
        }

        @Override
        public void run() {
            try {
                while (true) {
                    final Content.Chunk chunk = request.read();
                    if (chunk == null) {
                        if (deadline == null) {
                            deadline = deadline(request, this::expire);
                        }
                        request.demand(this);
                        return;
                    }
                    if (Content.Chunk.isFailure(chunk)) {
                        stop();
                        answers.reject(request, response, callback, late.get()
                            ? new IngestRejection(408, IngestListener.Reason.TIMEOUT,
                                "the body was not received within the read timeout of " + readTimeout.toMillis() + " ms")
                            : IngestRejection.malformed("the body could not be read: the connection failed or the chunked encoding is broken"));
                        return;
                    }
                    final boolean last = chunk.isLast();
                    final ByteBuffer bytes = chunk.getByteBuffer();
                    final int read = bytes.remaining();
                    if ((long) length + read > maxBodyBytes) {
                        chunk.release();
                        stop();
                        if (last) {
                            answers.reject(request, response, callback, tooLarge("more than that sent"));
                        } else {
                            refuseTooLarge(request, response, callback, "more than that sent", (long) length + read);
                        }
                        return;
                    }
                    if (length + read > body.length) {
                        body = Arrays.copyOf(body, Math.min(maxBodyBytes, Math.max(body.length * 2, length + read)));
                    }
                    bytes.get(body, length, read);
                    length += read;
                    chunk.release();
                    if (last) {
                        if (deadline != null) {
                            deadline.cancel();
                        }
                        then.received(request, response, callback, length == body.length ? body : Arrays.copyOf(body, length), admitted);
                        return;
                    }
                }
            } catch (RuntimeException e) {
                stop();
                answers.internalError(request, response, callback, e);
            }
        }

        private void expire() {
            late.set(true);
            request.fail(new TimeoutException("request body not received within the read timeout"));
        }

        /** The read ends without a body: its timer and its place in the budget go. */
        private void stop() {
            if (deadline != null) {
                deadline.cancel();
            }
            budget.release(admitted);
        }
    }

    /** Reads a refused body to its end, up to twice the limit and within the read timeout, then answers. */
    private final class Drain implements Runnable {

        private final Request request;
        private final Response response;
        private final Callback callback;
        private final IngestRejection rejection;
        private long drained;
        private Scheduler.Task deadline;

        Drain(final Request request, final Response response, final Callback callback, final IngestRejection rejection,
              final long alreadyRead) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.rejection = rejection;
            this.drained = alreadyRead;
        }

        @Override
        public void run() {
            try {
                while (true) {
                    final Content.Chunk chunk = request.read();
                    if (chunk == null) {
                        if (deadline == null) {
                            deadline = deadline(request,
                                () -> request.fail(new TimeoutException("refused body not drained within the read timeout")));
                        }
                        request.demand(this);
                        return;
                    }
                    final boolean failed = Content.Chunk.isFailure(chunk);
                    final boolean last = chunk.isLast();
                    drained += failed ? 0 : chunk.remaining();
                    chunk.release();
                    if (failed || last || drained > 2L * maxBodyBytes) {
                        cancelDeadline();
                        answers.reject(request, response, callback, rejection);
                        return;
                    }
                }
            } catch (RuntimeException e) {
                cancelDeadline();
                answers.internalError(request, response, callback, e);
            }
        }

        private void cancelDeadline() {
            if (deadline != null) {
                deadline.cancel();
            }
        }
    }
}
