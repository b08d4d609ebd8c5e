package dev.edgeinfer.analytics.http;

import static dev.edgeinfer.analytics.topology.TestRecords.FP32;
import static dev.edgeinfer.analytics.topology.TestRecords.INT8;
import static dev.edgeinfer.analytics.topology.TestRecords.prediction;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeinfer.analytics.config.AnalyticsSettings;
import dev.edgeinfer.analytics.http.HttpApiServerTest.SplitDirectory;
import dev.edgeinfer.analytics.topology.AnalyticsTestDriver;
import dev.edgeinfer.avro.Precision;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two API instances, each over its own stores (as two instances' tasks each hold a part of every key): a request to
 * either merges both instances' parts, for one key as for the device types and agreement.
 */
class ForwardingTest {

    static final long BASE = 1_700_000_040_000L;

    private AnalyticsTestDriver firstStores;
    private AnalyticsTestDriver secondStores;
    private ApiTestServer first;
    private ApiTestServer second;

    @BeforeEach
    void start() {
        firstStores = new AnalyticsTestDriver(AnalyticsSettings.defaults(), Instant.ofEpochMilli(BASE));
        secondStores = new AnalyticsTestDriver(AnalyticsSettings.defaults(), Instant.ofEpochMilli(BASE));
        for (int i = 0; i < 5; i++) {
            firstStores.pipe(prediction("a" + i).predicted(3).truth(3).build(), BASE + i);
        }
        for (int i = 0; i < 4; i++) {
            firstStores.pipe(prediction("c" + i).device("pi-3", INT8, Precision.INT8).predicted(1).truth(1).build(), BASE + i);
        }
        for (int i = 0; i < 8; i++) {
            secondStores.pipe(prediction("b" + i).device("pi-2", INT8, Precision.INT8).predicted(1).truth(i < 6 ? 1 : 2).build(), BASE + i);
            secondStores.pipe(prediction("b" + i).device("pi-9", "openvino-gpu-int8", Precision.INT8).predicted(i < 2 ? 0 : 1).build(),
                    BASE + i);
        }
        HostInfo firstHost = new HostInfo("127.0.0.1", ApiTestServer.freePort());
        HostInfo secondHost = new HostInfo("127.0.0.1", ApiTestServer.freePort());
        first = new ApiTestServer(firstStores, firstHost.port(), self -> new SplitDirectory(self, firstHost, secondHost));
        second = new ApiTestServer(secondStores, secondHost.port(), self -> new SplitDirectory(self, firstHost, secondHost));
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
        firstStores.close();
        secondStores.close();
    }

    @Test
    void keyRequestsMergeThePartsOfEveryInstance() {
        HttpResponse<String> viaFirst = first.get("/api/stats/device-type/" + INT8);
        assertThat(viaFirst.statusCode()).isEqualTo(200);
        assertThat(viaFirst.headers().firstValue(HttpApiServer.SERVED_BY_HEADER)).contains("127.0.0.1:" + first.host.port());
        for (ApiTestServer either : new ApiTestServer[] {first, second}) {
            JsonNode int8 = either.json("/api/stats/device-type/" + INT8);
            assertThat(int8.get("frames").asLong()).as("4 frames here, 8 there").isEqualTo(12);
            assertThat(int8.get("accuracy").asDouble()).isEqualTo(10.0 / 12);
            assertThat(either.json("/api/stats/device-type/" + FP32).get("frames").asLong()).isEqualTo(5);
            assertThat(either.json("/api/confusion/" + FP32).get("correct").asLong()).isEqualTo(5);
            assertThat(either.json("/api/confusion/" + INT8).get("correct").asLong()).isEqualTo(10);
            assertThat(either.json("/api/timeseries/precision/INT8?windows=2").get("windows").get(1).get("frames").asLong())
                    .as("every INT8 prediction of both instances").isEqualTo(20);
        }
        assertThat(first.get("/api/stats/device-type/none-int8").statusCode()).isEqualTo(404);
    }

    @Test
    void everythingRequestsAreMergedFromBothInstances() {
        JsonNode types = first.json("/api/device-types");
        assertThat(types.get("deviceTypes").findValuesAsText("deviceType")).containsExactly(FP32, INT8, "openvino-gpu-int8");
        assertThat(types.get("instances")).hasSize(2);

        JsonNode agreement = first.json("/api/agreement");
        assertThat(agreement.get("pairs")).hasSize(1);
        JsonNode pair = agreement.get("pairs").get(0);
        assertThat(pair.get("firstType").asText()).isEqualTo(INT8);
        assertThat(pair.get("secondType").asText()).isEqualTo("openvino-gpu-int8");
        assertThat(pair.get("compared").asLong()).isEqualTo(8);
        assertThat(pair.get("differing").asLong()).isEqualTo(2);
        assertThat(agreement.get("againstReference")).isEmpty();
    }
}
