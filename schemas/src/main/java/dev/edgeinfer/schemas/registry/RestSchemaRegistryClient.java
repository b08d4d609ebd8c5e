package dev.edgeinfer.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Speaks the Confluent Schema Registry REST API over the JDK {@link HttpClient}. Works against Confluent's registry and
 * against any registry that implements its API (Apicurio's {@code /apis/ccompat/v7}).
 *
 * <p>Schemas are always sent in their canonical form ({@link Schema#toString()}, no whitespace), so a schema that
 * differs only in formatting never mints a new id. When several URLs are configured, a request that cannot reach one
 * goes to the next; an answer from a registry, even an error, is final.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Logger log = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryClientConfig config;
    private final HttpClient http;

    public RestSchemaRegistryClient(RegistryClientConfig config) {
        this.config = config;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(config.connectTimeout());
        config.sslContext().ifPresent(builder::sslContext);
        this.http = builder.build();
    }

    @Override
    public int register(String subject, Schema schema) {
        JsonNode body = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        return body.path("id").asInt();
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        JsonNode body = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
        return registered(subject, body);
    }

    @Override
    public Schema schemaById(int id) {
        JsonNode body = send("GET", "/schemas/ids/" + id, null);
        return parse(body.path("schema").asText(), "schema id " + id);
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return registered(subject, send("GET", "/subjects/" + encode(subject) + "/versions/latest", null));
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            JsonNode body = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema));
            return body.path("is_compatible").asBoolean(false);
        } catch (SchemaRegistryException.SubjectNotFoundException | SchemaRegistryException.VersionNotFoundException e) {
            // Nothing registered yet: any first schema is acceptable, as Confluent's registration would say.
            return true;
        }
    }

    @Override
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        send("GET", "/subjects", null).forEach(node -> subjects.add(node.asText()));
        return subjects;
    }

    @Override
    public void setGlobalCompatibility(CompatibilityLevel level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level.name());
        send("PUT", "/config", body.toString());
    }

    @Override
    public CompatibilityLevel globalCompatibility() {
        JsonNode body = send("GET", "/config", null);
        // Confluent answers compatibilityLevel; some implementations answer compatibility.
        String level = body.has("compatibilityLevel") ? body.get("compatibilityLevel").asText() : body.path("compatibility").asText();
        return CompatibilityLevel.valueOf(level.toUpperCase(Locale.ROOT));
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static RegisteredSchema registered(String subject, JsonNode body) {
        Schema schema = parse(body.path("schema").asText(), "subject " + subject);
        return new RegisteredSchema(body.path("subject").asText(subject), body.path("id").asInt(), body.path("version").asInt(), schema);
    }

    private static Schema parse(String text, String what) {
        try {
            return new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            throw new SchemaRegistryException("The registry returned a schema for " + what + " that Avro cannot parse: "
                    + e.getMessage(), 200, -1, e);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, String body) {
        String request = method + " " + path;
        RuntimeException lastFailure = null;
        for (URI base : config.urls()) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(config.requestTimeout())
                    .header("Accept", CONTENT_TYPE + ", application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (body != null) {
                builder.header("Content-Type", CONTENT_TYPE);
            }
            config.authorizationHeader().ifPresent(value -> builder.header("Authorization", value));
            HttpResponse<String> response;
            try {
                response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                lastFailure = new SchemaRegistryException.RegistryUnavailableException(
                        request + " could not reach the schema registry at " + base + ": " + e, e);
                log.warn("{}", lastFailure.getMessage());
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException.RegistryUnavailableException(request + " interrupted", e);
            }
            return readBody(request + " at " + base, response);
        }
        throw lastFailure;
    }

    private static JsonNode readBody(String request, HttpResponse<String> response) {
        JsonNode json;
        try {
            json = response.body() == null || response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            json = null;
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            if (json == null) {
                throw new SchemaRegistryException(request + " answered HTTP " + status + " with a body that is not JSON: "
                        + abbreviate(response.body()), status, -1, null);
            }
            return json;
        }
        int errorCode = json == null ? -1 : json.path("error_code").asInt(-1);
        String message = json == null ? abbreviate(response.body()) : json.path("message").asText(abbreviate(response.body()));
        throw SchemaRegistryException.fromResponse(request, status, errorCode, message);
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
