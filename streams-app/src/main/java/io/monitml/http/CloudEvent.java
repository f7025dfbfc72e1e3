package io.monitml.http;

import java.util.Map;

/**
 * One CloudEvent as received, whatever the HTTP mode.
 *
 * @param attributes  context attributes by lowercase name, {@code datacontenttype} excluded
 * @param contentType the media type of {@code data}, or null when unknown
 * @param data        the event data, empty when the event has none
 */
record CloudEvent(Map<String, String> attributes, String contentType, byte[] data) {

    static final String TYPE = "type";
    static final String REQUEST_ID = "requestid";
    static final String TIME = "time";
    static final String DATA_CONTENT_TYPE = "datacontenttype";

    CloudEvent {
        attributes = Map.copyOf(attributes);
    }

    String type() {
        return attributes.get(TYPE);
    }

    String requestId() {
        return attributes.get(REQUEST_ID);
    }

    /** CloudEvents 1.0: attribute names are lowercase ASCII letters and digits. */
    static boolean isValidName(final String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }
}
