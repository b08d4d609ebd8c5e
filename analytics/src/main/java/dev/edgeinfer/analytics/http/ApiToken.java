package dev.edgeinfer.analytics.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The bearer token the API may require ({@code Authorization: Bearer <token>}). Compared in constant time: both
 * sides are hashed first, so neither the content nor the length of the expected token shows in response times.
 */
public final class ApiToken {

    /** Shortest token accepted: shorter ones are guessable. */
    public static final int MIN_LENGTH = 16;
    private static final String BEARER = "Bearer ";

    private final String token;
    private final byte[] digest;

    private ApiToken(String token) {
        this.token = token;
        this.digest = sha256(token);
    }

    /**
     * A token, or none when {@code token} is null or blank (the API is then open).
     *
     * @throws IllegalArgumentException if the token is shorter than {@value #MIN_LENGTH} characters or holds
     *                                  characters that cannot travel in an HTTP header
     */
    public static Optional<ApiToken> of(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        if (token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("The API token must have at least " + MIN_LENGTH + " characters, it has "
                    + token.length());
        }
        if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("The API token may hold only printable ASCII characters without spaces");
        }
        return Optional.of(new ApiToken(token));
    }

    /** Whether an {@code Authorization} header value (or null when absent) carries this token. */
    boolean matches(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(authorization.substring(BEARER.length()).strip()));
    }

    /** The header value that carries this token, for requests forwarded to other instances. */
    String authorizationHeader() {
        return BEARER + token;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        // Never the token itself: this may end up in a log.
        return "ApiToken[" + token.length() + " characters]";
    }
}
