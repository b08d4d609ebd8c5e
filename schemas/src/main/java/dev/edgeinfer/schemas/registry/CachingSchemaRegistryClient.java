package dev.edgeinfer.schemas.registry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Caches what never changes in a registry: the id of a schema under a subject and the schema behind an id. A
 * pipeline that has seen its schemas once keeps running while the registry is unreachable; only a schema it has
 * never seen needs the registry. The latest version of a subject can change, so it is not cached here.
 */
public final class CachingSchemaRegistryClient implements SchemaRegistryClient {

    private final SchemaRegistryClient delegate;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> registeredIds = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, RegisteredSchema> lookedUp = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, String canonicalSchema) {
    }

    public CachingSchemaRegistryClient(SchemaRegistryClient delegate) {
        this.delegate = delegate;
    }

    /** Builds the client the configs describe: the in-memory registry for {@code mock://}, REST otherwise; cached. */
    public static SchemaRegistryClient create(Map<String, ?> configs) {
        RegistryClientConfig config = RegistryClientConfig.from(configs);
        if (config.isMock()) {
            return InMemorySchemaRegistryClient.forScope(config.urls().get(0).getHost());
        }
        return new CachingSchemaRegistryClient(new RestSchemaRegistryClient(config));
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema.toString());
        Integer cached = registeredIds.get(key);
        if (cached != null) {
            return cached;
        }
        int id = delegate.register(subject, schema);
        registeredIds.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema.toString());
        RegisteredSchema cached = lookedUp.get(key);
        if (cached != null) {
            return cached;
        }
        RegisteredSchema found = delegate.lookup(subject, schema);
        lookedUp.put(key, found);
        schemasById.putIfAbsent(found.id(), found.schema());
        return found;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Schema schema = delegate.schemaById(id);
        schemasById.put(id, schema);
        return schema;
    }

    @Override
    public RegisteredSchema latest(String subject) {
        RegisteredSchema latest = delegate.latest(subject);
        schemasById.putIfAbsent(latest.id(), latest.schema());
        return latest;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return delegate.isCompatible(subject, schema);
    }

    @Override
    public List<String> subjects() {
        return delegate.subjects();
    }

    @Override
    public void setGlobalCompatibility(CompatibilityLevel level) {
        delegate.setGlobalCompatibility(level);
    }

    @Override
    public CompatibilityLevel globalCompatibility() {
        return delegate.globalCompatibility();
    }
}
