package dev.edgeinfer.analytics.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/** Asks another analytics instance over HTTP, marking the request as forwarded so it is answered locally there. */
final class RemoteInstances {

    /** What the other instance answered. */
    record Answer(int status, String body, String servedBy) {
    }

    private final HttpClient client;
    private final Duration timeout;
    private final Optional<ApiToken> token;

    /**
     * @param token the API's token, sent along to the other instances (they share it), or empty
     */
    RemoteInstances(Duration timeout, Optional<ApiToken> token) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
        this.timeout = timeout;
        this.token = token;
    }

    /**
     * @throws ApiException 503 when the instance cannot be reached; the message names it
     */
    Answer get(HostInfo host, String pathAndQuery) {
        URI uri = URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout)
                .header(ApiRequest.FORWARDED_HEADER, "1").header("Accept", "application/json").GET();
        token.ifPresent(t -> builder.header("Authorization", t.authorizationHeader()));
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(),
                    response.headers().firstValue(HttpApiServer.SERVED_BY_HEADER).orElse(host.host() + ":" + host.port()));
        } catch (IOException e) {
            throw new ApiException(503, "Analytics instance " + host.host() + ":" + host.port() + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "Interrupted while asking analytics instance " + host.host() + ":" + host.port(), e);
        }
    }
}
