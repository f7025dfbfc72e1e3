package io.monitml.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.monitml.ingest.CloudEventAttributes;

/**
 * Reads a CloudEvent in HTTP binary mode: {@code Ce-*} headers are the attributes, the body is the data.
 *
 * <p>The attributes' percent-decoding is written here rather than taken from Jetty because the
 * binding's rule is neither of Jetty's: {@code UrlEncoded} reads {@code +} as a space and replaces a
 * malformed escape with U+FFFD, {@code URIUtil.decodePath} cuts a value at {@code ;} and throws on a
 * lone {@code %}; a header value that is not valid percent-encoded UTF-8 must stay as sent.
 */
final class BinaryCloudEvent {

    private static final Logger LOG = LoggerFactory.getLogger(BinaryCloudEvent.class);

    private BinaryCloudEvent() {
    }

    /** A header sent twice (in any case) counts once, with its first value. */
    static CloudEvent read(final HttpFields headers, final byte[] body) {
        final Map<String, String> attributes = new LinkedHashMap<>();
        for (HttpField header : headers) {
            final String name = header.getLowerCaseName();
            if (!name.startsWith(CloudEventAttributes.HTTP_PREFIX)) {
                continue;
            }
            final String attribute = name.substring(CloudEventAttributes.HTTP_PREFIX.length());
            if (!CloudEvent.isValidName(attribute)) {
                // Proxies share the header namespace; an odd header should not cost the event.
                LOG.debug("Ignoring header {}: not a CloudEvents attribute name", header.getName());
                continue;
            }
            attributes.putIfAbsent(attribute, percentDecode(header.getValue() == null ? "" : header.getValue()));
        }
        // In binary mode Content-Type is the data content type; a Ce-Datacontenttype header is not expected.
        final String ceContentType = attributes.remove(CloudEventAttributes.DATA_CONTENT_TYPE);
        final String contentType = headers.get(HttpHeader.CONTENT_TYPE);
        return new CloudEvent(attributes, contentType != null ? contentType : ceContentType, body);
    }

    /**
     * The HTTP binding percent-encodes attribute characters that a header cannot carry. A value
     * that is not valid percent-encoded UTF-8 is kept as sent: loggers that never encode (Seldon's
     * values are ids and names) must not have their values altered.
     */
    static String percentDecode(final String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= value.length()) {
                    return value;
                }
                final int high = Character.digit(value.charAt(i + 1), 16);
                final int low = Character.digit(value.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return value;
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                return value;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes.toByteArray()))
                .toString();
        } catch (CharacterCodingException e) {
            return value;
        }
    }
}
