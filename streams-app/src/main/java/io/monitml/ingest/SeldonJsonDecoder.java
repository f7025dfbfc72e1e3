package io.monitml.ingest;

/**
 * The body decoder the event reader uses. Despite its name it reads every JSON protocol Seldon
 * producers send (SeldonMessage, TensorFlow, Open Inference V2); see {@link JsonBodyDecoder}.
 * Thread-safe.
 */
public final class SeldonJsonDecoder {

    private final JsonBodyDecoder decoder = new JsonBodyDecoder();

    public DecodedBody decode(final byte[] body) {
        return decoder.decode(body);
    }
}
