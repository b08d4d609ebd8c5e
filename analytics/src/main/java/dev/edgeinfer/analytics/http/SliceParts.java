package dev.edgeinfer.analytics.http;

import dev.edgeinfer.analytics.query.SliceKind;
import dev.edgeinfer.analytics.query.SliceReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;

/**
 * The resource through which instances read each other's parts of the slices: {@code /api/parts/{operation}},
 * answered from this instance's stores only. Slices travel in their store encoding (base64 in JSON), so the asking
 * instance merges them exactly.
 *
 * <ul>
 *   <li>{@code slices?store=&key=&first=&last=}: one key's slices starting in {@code [first, last]}</li>
 *   <li>{@code newest?view=&key=}: start of the key's newest slice in that view</li>
 *   <li>{@code keys?from=&to=}: the statistics keys in the range</li>
 *   <li>{@code all?store=}: every slice of an agreement store</li>
 * </ul>
 */
final class SliceParts {

    static final String PATH = "/api/parts/";
    static final List<String> PARAMETERS = List.of("store", "key", "first", "last", "view", "from", "to");

    /** One slice of one key. */
    record Slice(String key, long start, byte[] bytes) {
    }

    record Slices(List<Slice> slices) {
    }

    record Newest(Long newest) {
    }

    record Keys(List<String> keys) {
    }

    private final SliceReader local;
    private final Map<String, SliceKind<?>> kindByStore;

    /**
     * @param local       this instance's parts
     * @param kindByStore the kind of slice each store holds
     */
    SliceParts(SliceReader local, Map<String, SliceKind<?>> kindByStore) {
        this.local = local;
        this.kindByStore = kindByStore;
    }

    /**
     * Answers one parts request.
     *
     * @throws ApiException 404 for an unknown operation; 400 for an unknown parameter or store, or a malformed number
     */
    Object answer(String operation, ApiRequest request) {
        for (String name : request.parameters().keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw ApiException.badRequest("Unknown parameter '" + ApiRequest.abbreviate(name) + "' of " + PATH + operation);
            }
        }
        return switch (operation) {
            case "slices" -> {
                String store = request.parameter("store", "");
                yield new Slices(encode(kind(store), request.parameter("key", ""),
                        local.slices(kind(store), store, request.parameter("key", ""), number(request, "first"), number(request, "last"))));
            }
            case "newest" -> {
                OptionalLong newest = local.newestSlice((int) number(request, "view"), request.parameter("key", ""));
                yield new Newest(newest.isPresent() ? newest.getAsLong() : null);
            }
            case "keys" -> new Keys(List.copyOf(local.keys(request.parameter("from", ""), request.parameter("to", ""))));
            case "all" -> {
                String store = request.parameter("store", "");
                List<Slice> slices = new ArrayList<>();
                encodeAll(kind(store), store, slices);
                yield new Slices(slices);
            }
            default -> throw ApiException.notFound("No such parts operation: " + ApiRequest.abbreviate(operation));
        };
    }

    private <V> void encodeAll(SliceKind<V> kind, String store, List<Slice> into) {
        local.allSlices(kind, store).forEach((key, slices) -> into.addAll(encode(kind, key, slices)));
    }

    private static <V> List<Slice> encode(SliceKind<V> kind, String key, NavigableMap<Long, V> slices) {
        List<Slice> encoded = new ArrayList<>(slices.size());
        slices.forEach((start, slice) -> encoded.add(new Slice(key, start, kind.serde().toBytes(slice))));
        return encoded;
    }

    @SuppressWarnings("unchecked")
    private <V> SliceKind<V> kind(String store) {
        SliceKind<?> kind = kindByStore.get(store);
        if (kind == null) {
            throw ApiException.badRequest("Unknown slice store '" + ApiRequest.abbreviate(store) + "'");
        }
        return (SliceKind<V>) kind;
    }

    private static long number(ApiRequest request, String name) {
        String text = request.parameter(name, "");
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a whole number, got '" + ApiRequest.abbreviate(text) + "'");
        }
    }
}
