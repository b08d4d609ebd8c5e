package dev.edgeinfer.analytics.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeinfer.analytics.config.AnalyticsSettings;
import dev.edgeinfer.analytics.query.InstanceDirectory;
import dev.edgeinfer.analytics.query.Liveness;
import dev.edgeinfer.analytics.query.LocalSliceReader;
import dev.edgeinfer.analytics.query.LocalStores;
import dev.edgeinfer.analytics.query.SliceKind;
import dev.edgeinfer.analytics.query.SliceReader;
import dev.edgeinfer.analytics.query.StatsQueries;
import dev.edgeinfer.analytics.topology.AnalyticsTopology;
import dev.edgeinfer.analytics.topology.AnalyticsTopology.ViewStores;
import dev.edgeinfer.analytics.topology.Dimension;
import dev.edgeinfer.analytics.topology.StatsKey;
import dev.edgeinfer.schemas.analytics.AgreementReport;
import dev.edgeinfer.schemas.analytics.DeviceTypes;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The REST resource of the interactive queries. Every task of every instance holds a part of each key's slices, so a
 * request is answered by merging this instance's parts with every other instance's ({@link FleetSliceReader}); any
 * instance gives the full answer. Instances read each other's parts through {@code /api/parts/...}
 * ({@link SliceParts}).
 */
final class AnalyticsApi {

    /** A JSON answer and the instance that computed it. */
    record Response(int status, String json, String servedBy) {
    }

    static final int DEFAULT_SERIES_WINDOWS = 30;
    /** Every query parameter of the API. */
    private static final List<String> PARAMETERS = List.of("view", "window", "windows");

    private final AnalyticsSettings settings;
    private final List<ViewStores> views;
    private final StatsQueries queries;
    private final SliceParts parts;
    private final InstanceDirectory directory;
    private final ObjectMapper mapper;

    AnalyticsApi(AnalyticsSettings settings, LocalStores stores, InstanceDirectory directory, RemoteInstances remote,
                 ObjectMapper mapper) {
        this.settings = settings;
        this.views = AnalyticsTopology.viewStores(settings);
        SliceReader local = new LocalSliceReader(stores);
        Map<String, SliceKind<?>> kindByStore = new HashMap<>();
        views.forEach(view -> {
            kindByStore.put(view.statsStore(), SliceKind.STATS);
            kindByStore.put(view.agreementStore(), SliceKind.AGREEMENT);
        });
        this.queries = new StatsQueries(new FleetSliceReader(local, directory, remote, mapper), stores, views,
                settings.latencyBounds(), new Liveness(Clock.systemUTC()));
        this.parts = new SliceParts(local, kindByStore);
        this.directory = directory;
        this.mapper = mapper;
    }

    /**
     * Answers a request under {@code /api/}.
     *
     * @throws ApiException for malformed requests (400), unknown paths or keys (404), and keys no instance can
     *                      answer for now (503)
     */
    Response handle(ApiRequest request) {
        List<String> path = request.segments();
        String resource = path.size() < 2 ? "" : path.get(1);
        if (resource.equals("parts")) {
            return ok(parts.answer(requireShape(request, "/api/parts/{operation}").segments().get(2), request));
        }
        for (String name : request.parameters().keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw ApiException.badRequest("Unknown parameter '" + ApiRequest.abbreviate(name) + "'; the API takes "
                        + String.join(", ", PARAMETERS) + " (see /api/openapi.json)");
            }
        }
        return switch (resource) {
            case "device-types" -> deviceTypes(requireShape(request, "/api/device-types"));
            case "stats" -> stats(requireShape(request, "/api/stats/{dimension}/{key}"));
            case "timeseries" -> timeSeries(requireShape(request, "/api/timeseries/{dimension}/{key}"));
            case "confusion" -> confusion(requireShape(request, "/api/confusion/{deviceType}"));
            case "agreement" -> agreement(requireShape(request, "/api/agreement"));
            default -> throw ApiException.notFound("No such resource: " + pathText(request)
                    + ". See /api/openapi.json for the API.");
        };
    }

    /** The request, if it has as many path segments as {@code template}. */
    private static ApiRequest requireShape(ApiRequest request, String template) {
        if (request.segments().size() != template.split("/").length - 1) {
            throw ApiException.notFound("No such resource: " + pathText(request) + "; expected " + template);
        }
        return request;
    }

    private static String pathText(ApiRequest request) {
        return ApiRequest.abbreviate("/" + String.join("/", request.segments()));
    }

    private Response stats(ApiRequest request) {
        StatsKey key = statsKey(request);
        ViewStores view = view(request);
        OptionalLong window = window(request, view);
        return ok(queries.stats(key, view, window).orElseThrow(() -> ApiException.notFound("No statistics for "
                + key.dimension().pathName() + " '" + key.value() + "' in view " + view.view().name()
                + " (the last " + view.view().retention() + ")")));
    }

    private Response timeSeries(ApiRequest request) {
        StatsKey key = statsKey(request);
        ViewStores view = view(request);
        int windows = windows(request, view);
        return ok(queries.timeSeries(key, view, windows).orElseThrow(() -> ApiException.notFound("No statistics for "
                + key.dimension().pathName() + " '" + key.value() + "' in view " + view.view().name())));
    }

    private Response confusion(ApiRequest request) {
        String deviceType = request.segments().get(2);
        ViewStores view = view(request);
        OptionalLong window = window(request, view);
        return ok(queries.confusion(deviceType, view, window).orElseThrow(() -> ApiException.notFound(
                "No statistics for device type '" + deviceType + "' in view " + view.view().name())));
    }

    private Response deviceTypes(ApiRequest request) {
        view(request);
        List<String> instances = directory.allInstances().stream().map(AnalyticsApi::hostText).toList();
        return ok(new DeviceTypes(queries.deviceTypes(), instances));
    }

    private Response agreement(ApiRequest request) {
        ViewStores view = view(request);
        OptionalLong window = window(request, view);
        return ok(AgreementReport.of(settings.referenceDeviceType(), view.view().name(), queries.agreementPairs(view, window)));
    }

    private Response ok(Object body) {
        try {
            return new Response(200, mapper.writeValueAsString(body), hostText(directory.self()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    static String hostText(HostInfo host) {
        return host.host() + ":" + host.port();
    }

    private static StatsKey statsKey(ApiRequest request) {
        String dimensionName = request.segments().get(2);
        Dimension dimension = Dimension.fromPathName(dimensionName).orElseThrow(() -> ApiException.badRequest(
                "Unknown dimension '" + ApiRequest.abbreviate(dimensionName) + "'; use device-type, device, precision, model or camera"));
        String value = request.segments().get(3);
        return new StatsKey(dimension, value);
    }

    private ViewStores view(ApiRequest request) {
        String name = request.parameter("view", "short");
        List<String> aliases = List.of("short", "long");
        for (int i = 0; i < views.size(); i++) {
            if (views.get(i).view().name().equals(name) || aliases.get(i).equals(name)) {
                return views.get(i);
            }
        }
        throw ApiException.badRequest("Unknown view '" + ApiRequest.abbreviate(name) + "'; use " + views.get(0).view().name() + " or "
                + views.get(1).view().name());
    }

    private static OptionalLong window(ApiRequest request, ViewStores view) {
        String text = request.parameter("window", "latest");
        if (text.equals("latest")) {
            return OptionalLong.empty();
        }
        long start;
        try {
            start = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(
                    "window must be 'latest' or a window start in epoch milliseconds, got '" + ApiRequest.abbreviate(text) + "'");
        }
        long advance = view.view().advance().toMillis();
        if (start < 0 || !view.view().isWindowStart(start)) {
            long before = Math.max(0, Math.floorDiv(start, advance) * advance);
            throw ApiException.badRequest("window " + text + " is not a window start of view " + view.view().name()
                    + ": starts are multiples of " + advance + " ms, e.g. " + before + " or " + (before + advance));
        }
        return OptionalLong.of(start);
    }

    private static int windows(ApiRequest request, ViewStores view) {
        String text = request.parameter("windows", Integer.toString(DEFAULT_SERIES_WINDOWS));
        long max = view.view().retention().toMillis() / view.view().advance().toMillis();
        try {
            int windows = Integer.parseInt(text);
            if (windows >= 1 && windows <= max) {
                return windows;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("windows must be a whole number from 1 to " + max + " for view " + view.view().name()
                + ", got '" + ApiRequest.abbreviate(text) + "'");
    }
}
