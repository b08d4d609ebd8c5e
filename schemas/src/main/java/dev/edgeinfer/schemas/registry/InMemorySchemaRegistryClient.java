package dev.edgeinfer.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A registry held in memory, for unit tests only: configured with {@code schema.registry.url=mock://<scope>}, as
 * Confluent's serializers offer. Clients that name the same scope share one registry within the JVM. Integration
 * tests and the apps use a real registry.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    private static final Map<String, InMemorySchemaRegistryClient> SCOPES = new ConcurrentHashMap<>();

    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByCanonicalText = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();
    private CompatibilityLevel compatibility = CompatibilityLevel.BACKWARD;

    /** The registry of the given scope, created on first use. */
    public static InMemorySchemaRegistryClient forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, ignored -> new InMemorySchemaRegistryClient());
    }

    /** Forgets the registry of the given scope. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, ignored -> new ArrayList<>());
        Integer id = idsByCanonicalText.get(schema.toString());
        if (id != null && versions.contains(id)) {
            return id;
        }
        if (!versions.isEmpty() && !compatibleWithLatest(versions, schema)) {
            throw SchemaRegistryException.fromResponse("POST /subjects/" + subject + "/versions", 409, 409,
                    "Schema being registered is incompatible with an earlier schema for subject " + subject);
        }
        if (id == null) {
            id = schemasById.size() + 1;
            schemasById.put(id, schema);
            idsByCanonicalText.put(schema.toString(), id);
        }
        versions.add(id);
        return id;
    }

    @Override
    public synchronized RegisteredSchema lookup(String subject, Schema schema) {
        List<Integer> versions = existingVersions(subject, "POST /subjects/" + subject);
        Integer id = idsByCanonicalText.get(schema.toString());
        if (id == null || !versions.contains(id)) {
            throw SchemaRegistryException.fromResponse("POST /subjects/" + subject, 404, 40403, "Schema not found");
        }
        return new RegisteredSchema(subject, id, versions.indexOf(id) + 1, schemasById.get(id));
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw SchemaRegistryException.fromResponse("GET /schemas/ids/" + id, 404, 40403, "Schema " + id + " not found");
        }
        return schema;
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        List<Integer> versions = existingVersions(subject, "GET /subjects/" + subject + "/versions/latest");
        int id = versions.get(versions.size() - 1);
        return new RegisteredSchema(subject, id, versions.size(), schemasById.get(id));
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.get(subject);
        return versions == null || versions.isEmpty() || compatibleWithLatest(versions, schema);
    }

    @Override
    public synchronized List<String> subjects() {
        return List.copyOf(versionsBySubject.keySet());
    }

    @Override
    public synchronized void setGlobalCompatibility(CompatibilityLevel level) {
        compatibility = level;
    }

    @Override
    public synchronized CompatibilityLevel globalCompatibility() {
        return compatibility;
    }

    private List<Integer> existingVersions(String subject, String request) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw SchemaRegistryException.fromResponse(request, 404, 40401, "Subject '" + subject + "' not found.");
        }
        return versions;
    }

    private boolean compatibleWithLatest(List<Integer> versions, Schema candidate) {
        Schema latest = schemasById.get(versions.get(versions.size() - 1));
        boolean backward = SchemaCompatibility.checkReaderWriterCompatibility(candidate, latest).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
        boolean forward = SchemaCompatibility.checkReaderWriterCompatibility(latest, candidate).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
        return switch (compatibility) {
            case NONE -> true;
            case BACKWARD, BACKWARD_TRANSITIVE -> backward;
            case FORWARD, FORWARD_TRANSITIVE -> forward;
            case FULL, FULL_TRANSITIVE -> backward && forward;
        };
    }
}
