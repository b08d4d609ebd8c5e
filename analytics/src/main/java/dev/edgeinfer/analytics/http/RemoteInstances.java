package dev.edgeinfer.analytics.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
     * @param timeout how long connecting may take, and again the whole request, so that a stalled instance fails the
     *                query with a 503 instead of holding the thread that asked it
     * @param token   the API's token, sent along to the other instances (they share it), or empty
     */
    RemoteInstances(Duration timeout, Optional<ApiToken> token) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
        this.timeout = timeout;
        this.token = token;
    }

    /**
     * Asks every host at once, so an answer takes as long as the slowest instance, not as all of them together.
     *
     * @return the answers, in the order of {@code hosts}
     * @throws ApiException 503 when an instance cannot be reached; the message names it
     */
    List<Answer> getAll(List<HostInfo> hosts, String pathAndQuery) {
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>(hosts.size());
        for (HostInfo host : hosts) {
            URI uri = URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery);
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header(ApiRequest.FORWARDED_HEADER, "1").header("Accept", "application/json").GET();
            token.ifPresent(t -> builder.header("Authorization", t.authorizationHeader()));
            pending.add(client.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<Answer> answers = new ArrayList<>(hosts.size());
        for (int i = 0; i < hosts.size(); i++) {
            HostInfo host = hosts.get(i);
            String name = host.host() + ":" + host.port();
            try {
                HttpResponse<String> response = pending.get(i).get();
                answers.add(new Answer(response.statusCode(), response.body(),
                        response.headers().firstValue(HttpApiServer.SERVED_BY_HEADER).orElse(name)));
            } catch (ExecutionException e) {
                pending.forEach(request -> request.cancel(true));
                throw new ApiException(503, "Analytics instance " + name + " did not answer: " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pending.forEach(request -> request.cancel(true));
                throw new ApiException(503, "Interrupted while asking analytics instance " + name, e);
            }
        }
        return answers;
    }
}
