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
    // Every record of a generated class carries the same schema object: remembering it by identity spares a
    // Schema.toString() of the whole schema per record, which costs as much as the rest of serializing it.
    private final Map<SameSchemaObject, Integer> registeredByObject = new ConcurrentHashMap<>();
    private final Map<SameSchemaObject, RegisteredSchema> lookedUpByObject = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, String canonicalSchema) {
    }

    /** A subject and a schema object, equal only to the very same schema object. */
    private record SameSchemaObject(String subject, Schema schema) {
        @Override
        public boolean equals(Object other) {
            return other instanceof SameSchemaObject that && that.schema == schema && that.subject.equals(subject);
        }

        @Override
        public int hashCode() {
            return 31 * subject.hashCode() + System.identityHashCode(schema);
        }
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
        SameSchemaObject object = new SameSchemaObject(subject, schema);
        Integer known = registeredByObject.get(object);
        if (known != null) {
            return known;
        }
        SubjectSchema key = new SubjectSchema(subject, schema.toString());
        Integer id = registeredIds.get(key);
        if (id == null) {
            id = delegate.register(subject, schema);
            registeredIds.put(key, id);
            schemasById.putIfAbsent(id, schema);
        }
        registeredByObject.put(object, id);
        return id;
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        SameSchemaObject object = new SameSchemaObject(subject, schema);
        RegisteredSchema known = lookedUpByObject.get(object);
        if (known != null) {
            return known;
        }
        SubjectSchema key = new SubjectSchema(subject, schema.toString());
        RegisteredSchema found = lookedUp.get(key);
        if (found == null) {
            found = delegate.lookup(subject, schema);
            lookedUp.put(key, found);
            schemasById.putIfAbsent(found.id(), found.schema());
        }
        lookedUpByObject.put(object, found);
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
