package io.monitml.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A configured bearer token, checked against a request's {@code Authorization} header in constant
 * time (so that the time taken tells an attacker nothing about how much of a guess was right).
 */
public final class BearerToken {

    private static final String SCHEME = "Bearer ";

    private final byte[] token;

    private BearerToken(final byte[] token) {
        this.token = token;
    }

    /** The token, surrounding blanks removed; null for null or a blank token (no authentication). */
    public static BearerToken of(final String token) {
        return token == null || token.isBlank() ? null : new BearerToken(token.strip().getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code authorization} (the header's value, null if absent) is {@code Bearer <this token>}. */
    public boolean admits(final String authorization) {
        final byte[] given = authorization != null && authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
            ? authorization.substring(SCHEME.length()).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
        return MessageDigest.isEqual(given, token);
    }
}
