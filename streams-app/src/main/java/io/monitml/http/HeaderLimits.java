package io.monitml.http;

/** How large a request's headers may be on the HTTP port: beyond either, the answer is 431. */
public final class HeaderLimits {

    /** The most bytes of a request line and headers. */
    public static final int MAX_HEADER_BYTES = 8 * 1024;
    /** The most header fields. */
    public static final int MAX_HEADERS = 100;

    private HeaderLimits() {
    }
}
