package dev.edgeinfer.analytics.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeinfer.analytics.query.InstanceDirectory;
import dev.edgeinfer.analytics.query.SliceKind;
import dev.edgeinfer.analytics.query.SliceReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Slices merged over the parts of every instance of the application: this instance's from its stores, every other
 * instance's through its {@code /api/parts/...} resource ({@link SliceParts}). Any instance thereby answers for every
 * key; one instance that cannot answer makes the whole answer unavailable (503), never a partial figure.
 */
final class FleetSliceReader implements SliceReader {

    private final SliceReader local;
    private final InstanceDirectory directory;
    private final RemoteInstances remote;
    private final ObjectMapper mapper;

    FleetSliceReader(SliceReader local, InstanceDirectory directory, RemoteInstances remote, ObjectMapper mapper) {
        this.local = local;
        this.directory = directory;
        this.remote = remote;
        this.mapper = mapper;
    }

    @Override
    public <V> NavigableMap<Long, V> slices(SliceKind<V> kind, String store, String key, long firstStart, long lastStart) {
        NavigableMap<Long, V> merged = local.slices(kind, store, key, firstStart, lastStart);
        for (SliceParts.Slices part : remoteParts(SliceParts.Slices.class, "slices", Map.of("store", store, "key", key,
                "first", Long.toString(firstStart), "last", Long.toString(lastStart)))) {
            for (SliceParts.Slice slice : part.slices()) {
                merged.merge(slice.start(), kind.serde().fromBytes(slice.bytes()), kind.merger());
            }
        }
        return merged;
    }

    @Override
    public OptionalLong newestSlice(int view, String key) {
        OptionalLong newest = local.newestSlice(view, key);
        for (SliceParts.Newest part : remoteParts(SliceParts.Newest.class, "newest", Map.of("view", Integer.toString(view), "key", key))) {
            if (part.newest() != null && (newest.isEmpty() || part.newest() > newest.getAsLong())) {
                newest = OptionalLong.of(part.newest());
            }
        }
        return newest;
    }

    @Override
    public NavigableSet<String> keys(String keyFrom, String keyTo) {
        NavigableSet<String> keys = new TreeSet<>(local.keys(keyFrom, keyTo));
        for (SliceParts.Keys part : remoteParts(SliceParts.Keys.class, "keys", Map.of("from", keyFrom, "to", keyTo))) {
            keys.addAll(part.keys());
        }
        return keys;
    }

    @Override
    public <V> Map<String, NavigableMap<Long, V>> allSlices(SliceKind<V> kind, String store) {
        Map<String, NavigableMap<Long, V>> merged = new HashMap<>(local.allSlices(kind, store));
        for (SliceParts.Slices part : remoteParts(SliceParts.Slices.class, "all", Map.of("store", store))) {
            for (SliceParts.Slice slice : part.slices()) {
                merged.computeIfAbsent(slice.key(), k -> new TreeMap<>())
                        .merge(slice.start(), kind.serde().fromBytes(slice.bytes()), kind.merger());
            }
        }
        return merged;
    }

    /** The answers of every other instance to one parts request. */
    private <T> List<T> remoteParts(Class<T> type, String operation, Map<String, String> parameters) {
        List<HostInfo> others = directory.allInstances().stream().filter(host -> !host.equals(directory.self())).toList();
        if (others.isEmpty()) {
            return List.of();
        }
        StringBuilder path = new StringBuilder(SliceParts.PATH).append(operation);
        char separator = '?';
        for (Map.Entry<String, String> parameter : new LinkedHashMap<>(parameters).entrySet()) {
            path.append(separator).append(parameter.getKey()).append('=')
                    .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        List<RemoteInstances.Answer> answers = remote.getAll(others, path.toString());
        List<T> parts = new ArrayList<>(answers.size());
        for (int i = 0; i < others.size(); i++) {
            HostInfo host = others.get(i);
            RemoteInstances.Answer answer = answers.get(i);
            if (answer.status() != 200) {
                throw ApiException.unavailable("Analytics instance " + AnalyticsApi.hostText(host) + " answered " + answer.status()
                        + " for its part (" + operation + "); retry shortly");
            }
            try {
                parts.add(mapper.readValue(answer.body(), type));
            } catch (JsonProcessingException e) {
                throw new ApiException(502, "Analytics instance " + AnalyticsApi.hostText(host) + " sent an unreadable part", e);
            }
        }
        return parts;
    }
}
