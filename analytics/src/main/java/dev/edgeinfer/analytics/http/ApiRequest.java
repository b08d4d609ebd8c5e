package dev.edgeinfer.analytics.http;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GET request's path segments (each percent-decoded on its own, so a device id may hold an encoded slash) and
 * query parameters.
 *
 * @param rawPathAndQuery the path and query exactly as received, for forwarding
 * @param segments        decoded path segments, without empty ones
 * @param parameters      decoded query parameters; the last value wins
 * @param forwarded       whether another instance forwarded this request (it is then answered locally)
 */
record ApiRequest(String rawPathAndQuery, List<String> segments, Map<String, String> parameters, boolean forwarded) {

    /** Header an instance sets when it forwards a request, so the receiver answers from its own stores. */
    static final String FORWARDED_HEADER = "X-Edgeinfer-Forwarded";
    /** Longest decoded path segment: device types and ids are short; longer ones are mistakes or probes. */
    static final int MAX_SEGMENT_LENGTH = 200;
    /** Most query parameters a request may have; the API takes four. */
    static final int MAX_PARAMETERS = 16;
    /** How much of a client's text an error message repeats. */
    private static final int ECHO_LENGTH = 80;

    /**
     * @throws ApiException 400 if the URI holds a malformed escape or a control character, a segment longer than
     *                      {@value #MAX_SEGMENT_LENGTH} characters, or more than {@value #MAX_PARAMETERS} parameters
     */
    static ApiRequest parse(URI uri, boolean forwarded) {
        String rawPath = uri.getRawPath() == null ? "/" : uri.getRawPath();
        String rawQuery = uri.getRawQuery();
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/")) {
            if (!segment.isEmpty()) {
                String decoded = decode(segment, false);
                if (decoded.length() > MAX_SEGMENT_LENGTH) {
                    throw ApiException.badRequest("A path segment is " + decoded.length() + " characters long; at most "
                            + MAX_SEGMENT_LENGTH + " are accepted");
                }
                segments.add(decoded);
            }
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            String[] pairs = rawQuery.split("&");
            if (pairs.length > MAX_PARAMETERS) {
                throw ApiException.badRequest("The query has " + pairs.length + " parameters; at most " + MAX_PARAMETERS
                        + " are accepted");
            }
            for (String pair : pairs) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals), true);
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1), true);
                parameters.put(name, value);
            }
        }
        return new ApiRequest(rawPath + (rawQuery == null ? "" : "?" + rawQuery), List.copyOf(segments), parameters, forwarded);
    }

    private static String decode(String text, boolean plusIsSpace) {
        String decoded;
        try {
            decoded = URLDecoder.decode(plusIsSpace ? text : text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Malformed percent-encoding in '" + abbreviate(text) + "'");
        }
        // No key or name of the pipeline holds one; a decoded NUL or line break is a probe, and would only confuse logs.
        if (decoded.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("Control characters are not accepted in '" + abbreviate(text) + "'");
        }
        return decoded;
    }

    /** The text, cut to a length fit for an error message. */
    static String abbreviate(String text) {
        return text.length() <= ECHO_LENGTH ? text : text.substring(0, ECHO_LENGTH) + "... (" + text.length() + " characters)";
    }

    /** The parameter, or {@code defaultValue} when absent or empty. */
    String parameter(String name, String defaultValue) {
        String value = parameters.get(name);
        return value == null || value.isEmpty() ? defaultValue : value;
    }
}
