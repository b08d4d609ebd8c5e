package dev.edgeinfer.analytics.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeinfer.analytics.config.AnalyticsSettings;
import dev.edgeinfer.analytics.query.InstanceDirectory;
import dev.edgeinfer.analytics.query.LocalQueries;
import dev.edgeinfer.analytics.query.dto.AgreementReport;
import dev.edgeinfer.analytics.query.dto.DeviceTypeSummary;
import dev.edgeinfer.analytics.query.dto.DeviceTypes;
import dev.edgeinfer.analytics.query.dto.PairAgreement;
import dev.edgeinfer.analytics.topology.AnalyticsTopology;
import dev.edgeinfer.analytics.topology.AnalyticsTopology.ViewStores;
import dev.edgeinfer.analytics.topology.Dimension;
import dev.edgeinfer.analytics.topology.StatsKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The REST resource of the interactive queries. A request about one key is answered here when this instance holds
 * the key, and forwarded to the instance that does otherwise; a request about everything (device types, agreement)
 * gathers every instance's part and merges them. Either way any instance gives the full answer.
 */
final class AnalyticsApi {

    /** A JSON answer and the instance that computed it. */
    record Response(int status, String json, String servedBy) {
    }

    static final int DEFAULT_SERIES_WINDOWS = 30;
    private static final String SCOPE = "scope";
    private static final String LOCAL = "local";
    /** Every query parameter of the API; {@code scope} is set by forwarding instances. */
    private static final List<String> PARAMETERS = List.of("view", "window", "windows", SCOPE);

    private final AnalyticsSettings settings;
    private final List<ViewStores> views;
    private final LocalQueries queries;
    private final InstanceDirectory directory;
    private final RemoteInstances remote;
    private final ObjectMapper mapper;

    AnalyticsApi(AnalyticsSettings settings, LocalQueries queries, InstanceDirectory directory, RemoteInstances remote,
                 ObjectMapper mapper) {
        this.settings = settings;
        this.views = AnalyticsTopology.viewStores(settings);
        this.queries = queries;
        this.directory = directory;
        this.remote = remote;
        this.mapper = mapper;
    }

    /**
     * Answers a request under {@code /api/}.
     *
     * @throws ApiException for malformed requests (400), unknown paths or keys (404), and keys no instance can
     *                      answer for now (503)
     */
    Response handle(ApiRequest request) {
        for (String name : request.parameters().keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw ApiException.badRequest("Unknown parameter '" + ApiRequest.abbreviate(name) + "'; the API takes "
                        + String.join(", ", PARAMETERS) + " (see /api/openapi.json)");
            }
        }
        List<String> path = request.segments();
        String resource = path.size() < 2 ? "" : path.get(1);
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
        return keyed(request, view.statsStore(), key.storeKey(), () -> queries.stats(key, view, window),
                () -> "No statistics for " + key.dimension().pathName() + " '" + key.value() + "' in view " + view.view().name()
                        + " (the last " + view.view().retention() + ")");
    }

    private Response timeSeries(ApiRequest request) {
        StatsKey key = statsKey(request);
        ViewStores view = view(request);
        int windows = windows(request, view);
        return keyed(request, view.statsStore(), key.storeKey(), () -> queries.timeSeries(key, view, windows),
                () -> "No statistics for " + key.dimension().pathName() + " '" + key.value() + "' in view " + view.view().name());
    }

    private Response confusion(ApiRequest request) {
        String deviceType = request.segments().get(2);
        ViewStores view = view(request);
        OptionalLong window = window(request, view);
        return keyed(request, view.statsStore(), StatsKey.deviceType(deviceType).storeKey(),
                () -> queries.confusion(deviceType, view, window),
                () -> "No statistics for device type '" + deviceType + "' in view " + view.view().name());
    }

    private Response deviceTypes(ApiRequest request) {
        ViewStores view = view(request);
        if (isLocalScope(request)) {
            return ok(queries.deviceTypes(view));
        }
        Map<String, Map<String, DeviceTypeSummary.Device>> merged = new TreeMap<>();
        List<String> instances = new ArrayList<>();
        gather(request, () -> queries.deviceTypes(view), new TypeReference<List<DeviceTypeSummary>>() { }, instances)
                .forEach(summary -> {
                    Map<String, DeviceTypeSummary.Device> devices = merged.computeIfAbsent(summary.deviceType(), t -> new TreeMap<>());
                    summary.devices().forEach(device -> devices.merge(device.deviceId(), device,
                            (a, b) -> a.lastHeartbeat() >= b.lastHeartbeat() ? a : b));
                });
        List<DeviceTypeSummary> types = new ArrayList<>();
        merged.forEach((type, devices) -> types.add(new DeviceTypeSummary(type, List.copyOf(devices.values()))));
        return ok(new DeviceTypes(types, instances));
    }

    private Response agreement(ApiRequest request) {
        ViewStores view = view(request);
        OptionalLong window = window(request, view);
        if (isLocalScope(request)) {
            return ok(queries.agreementPairs(view, window));
        }
        // Each pair lives on one instance; during a rebalance two may briefly answer for it: keep the fuller count.
        Map<String, PairAgreement> pairs = new LinkedHashMap<>();
        gather(request, () -> queries.agreementPairs(view, window), new TypeReference<List<PairAgreement>>() { }, new ArrayList<>())
                .forEach(pair -> pairs.merge(pair.firstType() + "\n" + pair.secondType(), pair,
                        (a, b) -> a.compared() >= b.compared() ? a : b));
        return ok(AgreementReport.of(settings.referenceDeviceType(), view.view().name(), List.copyOf(pairs.values())));
    }

    private static boolean isLocalScope(ApiRequest request) {
        return LOCAL.equals(request.parameters().get(SCOPE));
    }

    /** This instance's part and every other instance's, in one list. */
    private <T> List<T> gather(ApiRequest request, Supplier<List<T>> local, TypeReference<List<T>> type, List<String> instances) {
        List<T> all = new ArrayList<>(local.get());
        instances.add(hostText(directory.self()));
        for (HostInfo host : directory.allInstances()) {
            if (host.equals(directory.self())) {
                continue;
            }
            RemoteInstances.Answer answer = remote.get(host, request.localScopePathAndQuery());
            if (answer.status() != 200) {
                throw ApiException.unavailable("Analytics instance " + hostText(host) + " answered " + answer.status()
                        + " for its part; retry shortly");
            }
            try {
                all.addAll(mapper.readValue(answer.body(), type));
            } catch (JsonProcessingException e) {
                throw new ApiException(502, "Analytics instance " + hostText(host) + " sent an unreadable answer", e);
            }
            instances.add(hostText(host));
        }
        return all;
    }

    /** Answers here when this instance holds the key, else asks the one that does. */
    private Response keyed(ApiRequest request, String store, String key, Supplier<Optional<?>> local, Supplier<String> notFound) {
        Optional<HostInfo> host = directory.activeHostFor(store, key);
        if (host.isEmpty()) {
            throw ApiException.unavailable("No analytics instance holds this key right now (rebalancing); retry shortly");
        }
        if (!host.get().equals(directory.self())) {
            if (request.forwarded()) {
                throw ApiException.unavailable("This key moved to " + hostText(host.get()) + " during a rebalance; retry shortly");
            }
            RemoteInstances.Answer answer = remote.get(host.get(), request.rawPathAndQuery());
            return new Response(answer.status(), answer.body(), answer.servedBy());
        }
        return ok(local.get().orElseThrow(() -> ApiException.notFound(notFound.get())));
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
                "Unknown dimension '" + ApiRequest.abbreviate(dimensionName) + "'; use device-type, device or precision"));
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
            throw ApiException.badRequest("window must be 'latest' or a window start in epoch milliseconds, got '" + ApiRequest.abbreviate(text) + "'");
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
