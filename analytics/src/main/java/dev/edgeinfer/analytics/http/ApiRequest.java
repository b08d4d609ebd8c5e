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

    /**
     * @throws ApiException 400 if the URI holds a malformed escape
     */
    static ApiRequest parse(URI uri, boolean forwarded) {
        String rawPath = uri.getRawPath() == null ? "/" : uri.getRawPath();
        String rawQuery = uri.getRawQuery();
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(decode(segment, false));
            }
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
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
        try {
            return URLDecoder.decode(plusIsSpace ? text : text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Malformed escape in '" + text + "'");
        }
    }

    /** The parameter, or {@code defaultValue} when absent or empty. */
    String parameter(String name, String defaultValue) {
        String value = parameters.get(name);
        return value == null || value.isEmpty() ? defaultValue : value;
    }

    /** The same request for one instance's own part: {@code scope=local} added. */
    String localScopePathAndQuery() {
        return rawPathAndQuery + (rawPathAndQuery.contains("?") ? "&" : "?") + "scope=local";
    }
}
