package io.monitml.http;

import java.util.Map;

import io.monitml.ingest.CloudEventAttributes;

/**
 * One CloudEvent as received, whatever the HTTP mode.
 *
 * @param attributes  context attributes by lowercase name, {@code datacontenttype} excluded
 * @param contentType the media type of {@code data}, or null when unknown
 * @param data        the event data, empty when the event has none
 */
record CloudEvent(Map<String, String> attributes, String contentType, byte[] data) {

    CloudEvent {
        attributes = Map.copyOf(attributes);
    }

    String type() {
        return attributes.get(CloudEventAttributes.TYPE);
    }

    String requestId() {
        return attributes.get(CloudEventAttributes.REQUEST_ID);
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
