package dev.edgeinfer.analytics.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiRequestTest {

    @Test
    void segmentsAreDecodedOneByOneAndPlusStaysAPlusInThePath() {
        ApiRequest request = ApiRequest.parse(URI.create("/api/stats/device/rack%2F3+a%20b?window=latest&view=15m"), false);
        assertThat(request.segments()).containsExactly("api", "stats", "device", "rack/3+a b");
        assertThat(request.parameters()).isEqualTo(Map.of("window", "latest", "view", "15m"));
        assertThat(request.rawPathAndQuery()).isEqualTo("/api/stats/device/rack%2F3+a%20b?window=latest&view=15m");
        assertThat(request.forwarded()).isFalse();
    }

    @Test
    void queryParametersDecodePlusAsSpaceAndTolerateEmptyParts() {
        ApiRequest request = ApiRequest.parse(URI.create("/api/agreement?&view=a+b&flag&window="), true);
        assertThat(request.parameters()).containsEntry("view", "a b").containsEntry("flag", "").containsEntry("window", "");
        assertThat(request.parameter("window", "latest")).isEqualTo("latest");
        assertThat(request.forwarded()).isTrue();
    }

    @Test
    void emptySegmentsAreIgnored() {
        assertThat(ApiRequest.parse(URI.create("/api//device-types/"), false).segments()).isEqualTo(List.of("api", "device-types"));
    }
}
