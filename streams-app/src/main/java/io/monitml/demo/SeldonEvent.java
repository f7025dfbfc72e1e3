package io.monitml.demo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One payload-log event as the Seldon Core v1 executor emits it: the request or the response of
 * one inference call, with the CloudEvent attributes the executor sets.
 *
 * @param type {@link #REQUEST_TYPE} or {@link #RESPONSE_TYPE}
 * @param id unique to this event
 * @param requestId shared by the request event and the response event of one call
 * @param inferenceServiceName the SeldonDeployment's name
 * @param endpoint the predictor (variant) that served the call
 * @param modelId the graph node that served the call
 * @param contentType of {@code body}
 * @param body the SeldonMessage JSON, UTF-8
 */
public record SeldonEvent(
        String type,
        String id,
        String requestId,
        String namespace,
        String inferenceServiceName,
        String endpoint,
        String modelId,
        Instant time,
        String contentType,
        byte[] body) {

    public static final String REQUEST_TYPE = "io.seldon.serving.inference.request";
    public static final String RESPONSE_TYPE = "io.seldon.serving.inference.response";
    public static final String JSON = "application/json";

    public SeldonEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(inferenceServiceName, "inferenceServiceName");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(contentType, "contentType");
        body = Objects.requireNonNull(body, "body").clone();
    }

    /** A copy of the body, so the event stays immutable. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public boolean isRequest() {
        return REQUEST_TYPE.equals(type);
    }

    public boolean isResponse() {
        return RESPONSE_TYPE.equals(type);
    }

    // Records compare arrays by identity; events are values, so compare the body's content.
    @Override
    public boolean equals(Object other) {
        return other instanceof SeldonEvent that
                && type.equals(that.type)
                && id.equals(that.id)
                && requestId.equals(that.requestId)
                && namespace.equals(that.namespace)
                && inferenceServiceName.equals(that.inferenceServiceName)
                && endpoint.equals(that.endpoint)
                && modelId.equals(that.modelId)
                && time.equals(that.time)
                && contentType.equals(that.contentType)
                && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                        type, id, requestId, namespace, inferenceServiceName, endpoint, modelId, time,
                        contentType)
               * 31
                + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "SeldonEvent[type=" + type + ", id=" + id + ", requestId=" + requestId
                + ", namespace=" + namespace + ", inferenceServiceName=" + inferenceServiceName
                + ", endpoint=" + endpoint + ", modelId=" + modelId + ", time=" + time
                + ", contentType=" + contentType + ", body=" + bodyText() + "]";
    }
}
