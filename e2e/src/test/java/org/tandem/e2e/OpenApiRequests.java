package org.tandem.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;

/**
 * Requests generated from a service's OpenAPI document: for every operation one request that follows the
 * schema, and seeded mutations of it (wrong types, sizes, encodings, missing and extra fields, hostile path
 * and query values). Which ids fill path parameters is the caller's choice, so that valid requests reach
 * real resources.
 */
final class OpenApiRequests {

    /** One HTTP request to send. {@code body} is null for none. */
    record FuzzRequest(String operation, String variant, String method, String path, String contentType, byte[] body) {
        @Override
        public String toString() {
            return operation + " [" + variant + "]";
        }
    }

    /** One documented operation, with the schema of its JSON body (null when it takes none). */
    record Op(String method, String pathTemplate, Operation operation, Schema<?> bodySchema) {
        String name() {
            return method + " " + pathTemplate;
        }

        boolean streams() {
            return operation.getResponses() != null
                    && operation.getResponses().values().stream()
                            .anyMatch(r ->
                                    r.getContent() != null && r.getContent().containsKey("text/event-stream"));
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final List<Op> ops = new ArrayList<>();
    private final Function<String, String> pathValue;

    /**
     * @param openApiJson the document as the service serves it
     * @param pathValue   the value for a path parameter, given "{path template}#{parameter name}"
     */
    OpenApiRequests(String openApiJson, Function<String, String> pathValue) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        OpenAPI api =
                new OpenAPIV3Parser().readContents(openApiJson, null, options).getOpenAPI();
        if (api == null || api.getPaths() == null) {
            throw new IllegalArgumentException("not an OpenAPI document with paths");
        }
        this.pathValue = pathValue;
        api.getPaths()
                .forEach((template, item) -> item.readOperationsMap()
                        .forEach((method, op) -> ops.add(new Op(method.name(), template, op, jsonBody(op)))));
    }

    List<Op> operations() {
        return ops;
    }

    private static Schema<?> jsonBody(Operation op) {
        if (op.getRequestBody() == null || op.getRequestBody().getContent() == null) {
            return null;
        }
        MediaType json = op.getRequestBody().getContent().get("application/json");
        return json == null ? null : json.getSchema();
    }

    /** The request that follows the document. */
    FuzzRequest valid(Op op) {
        return build(
                op,
                "valid",
                pathParams(op, Map.of()),
                query(op, Map.of()),
                op.bodySchema() == null ? null : bytes(valueFor(op.bodySchema(), "body", 0)),
                "application/json");
    }

    /** Up to {@code max} mutated requests, chosen with {@code random}. */
    List<FuzzRequest> mutations(Op op, Random random, int max) {
        List<FuzzRequest> all = new ArrayList<>();
        Map<String, String> goodPath = pathParams(op, Map.of());
        Map<String, String> goodQuery = query(op, Map.of());
        byte[] goodBody = op.bodySchema() == null ? null : bytes(valueFor(op.bodySchema(), "body", 0));

        for (String p : params(op, "path")) {
            for (String hostile : List.of(
                    "not-a-uuid",
                    "00000000-0000-0000-0000-000000000000",
                    "x".repeat(600),
                    "%00",
                    "..%2F..%2Fetc%2Fpasswd",
                    "-1",
                    "%F0%9F%98%80",
                    "%E2%80%AE",
                    "%FF%FE")) {
                all.add(build(
                        op,
                        "path " + p + "=" + abbreviate(hostile),
                        pathParams(op, Map.of(p, hostile)),
                        goodQuery,
                        goodBody,
                        "application/json"));
            }
        }
        for (String q : params(op, "query")) {
            for (String hostile : List.of("-1", "0", "999999999", "abc", "1e400", "x".repeat(5000), "%00", "%FF")) {
                all.add(build(
                        op,
                        "query " + q + "=" + abbreviate(hostile),
                        goodPath,
                        query(op, Map.of(q, hostile)),
                        goodBody,
                        "application/json"));
            }
        }
        all.add(build(
                op,
                "unknown query parameter",
                goodPath,
                query(op, Map.of("fuzz-unknown", "1")),
                goodBody,
                "application/json"));

        if (op.bodySchema() != null) {
            JsonNode valid = valueFor(op.bodySchema(), "body", 0);
            for (var wrong : wholeBodies()) {
                all.add(build(op, "body " + wrong.getKey(), goodPath, goodQuery, wrong.getValue(), "application/json"));
            }
            all.add(build(op, "no body", goodPath, goodQuery, null, "application/json"));
            all.add(build(op, "content type text/plain", goodPath, goodQuery, goodBody, "text/plain"));
            all.add(build(
                    op,
                    "content type xml",
                    goodPath,
                    goodQuery,
                    "<referral><id>1</id></referral>".getBytes(StandardCharsets.UTF_8),
                    "application/xml"));
            if (valid instanceof ObjectNode obj) {
                ObjectNode extra = obj.deepCopy();
                extra.put("fuzzUnknownField", "x");
                all.add(build(op, "extra field", goodPath, goodQuery, bytes(extra), "application/json"));
                for (FieldPath field : fields(obj, "")) {
                    for (var m : fieldMutations(field.value())) {
                        all.add(build(
                                op,
                                "field " + field.path() + " " + m.getKey(),
                                goodPath,
                                goodQuery,
                                bytes(replaced(obj, field.path(), m.getValue())),
                                "application/json"));
                    }
                    all.add(build(
                            op,
                            "field " + field.path() + " missing",
                            goodPath,
                            goodQuery,
                            bytes(replaced(obj, field.path(), null)),
                            "application/json"));
                }
            }
        }
        // a fair sample of everything, the same for the same seed
        List<FuzzRequest> chosen = new ArrayList<>(all);
        java.util.Collections.shuffle(chosen, random);
        return chosen.subList(0, Math.min(max, chosen.size()));
    }

    private static String abbreviate(String s) {
        return s.length() > 24 ? s.substring(0, 12) + "...(" + s.length() + ")" : s;
    }

    private record FieldPath(String path, JsonNode value) {}

    /** Every field, nested ones included, as dotted paths. */
    private static List<FieldPath> fields(ObjectNode obj, String prefix) {
        List<FieldPath> out = new ArrayList<>();
        obj.fields().forEachRemaining(e -> {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            out.add(new FieldPath(path, e.getValue()));
            if (e.getValue() instanceof ObjectNode child) {
                out.addAll(fields(child, path));
            }
        });
        return out;
    }

    /** A copy of {@code obj} with the field at the dotted {@code path} replaced, or removed when null. */
    private static ObjectNode replaced(ObjectNode obj, String path, JsonNode value) {
        ObjectNode copy = obj.deepCopy();
        String[] parts = path.split("\\.");
        ObjectNode parent = copy;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = (ObjectNode) parent.get(parts[i]);
        }
        if (value == null) {
            parent.remove(parts[parts.length - 1]);
        } else {
            parent.set(parts[parts.length - 1], value);
        }
        return copy;
    }

    private static List<Map.Entry<String, JsonNode>> fieldMutations(JsonNode current) {
        List<Map.Entry<String, JsonNode>> m = new ArrayList<>();
        m.add(Map.entry("null", NODES.nullNode()));
        m.add(Map.entry("object", NODES.objectNode().put("x", 1)));
        if (current.isTextual()) {
            m.add(Map.entry("number", NODES.numberNode(12345)));
            m.add(Map.entry("empty", NODES.textNode("")));
            m.add(Map.entry("5000 chars", NODES.textNode("a".repeat(5000))));
            m.add(Map.entry("control characters", NODES.textNode("a\u0000b\u202Ec\uFEFF\uD83D\uDE00")));
            m.add(Map.entry("lone surrogate", NODES.textNode("\uD800")));
            m.add(Map.entry("script", NODES.textNode("<script>alert(1)</script>'; drop table x;--")));
        } else if (current.isNumber()) {
            m.add(Map.entry("text", NODES.textNode("seven")));
            m.add(Map.entry("negative", NODES.numberNode(-1)));
            m.add(Map.entry("huge", NODES.numberNode(new java.math.BigInteger("9".repeat(40)))));
            m.add(Map.entry("fraction", NODES.numberNode(1.5)));
        } else if (current.isBoolean()) {
            m.add(Map.entry("text", NODES.textNode("maybe")));
        } else if (current.isArray()) {
            m.add(Map.entry("text", NODES.textNode("[]")));
            ArrayNode many = NODES.arrayNode();
            for (int i = 0; i < 2000; i++) {
                many.add(current.isEmpty() ? NODES.textNode("x") : current.get(0));
            }
            m.add(Map.entry("2000 items", many));
            m.add(Map.entry("empty", NODES.arrayNode()));
            m.add(Map.entry("unknown item", NODES.arrayNode().add("NOT_A_KNOWN_CODE")));
        } else if (current.isObject()) {
            m.add(Map.entry("array", NODES.arrayNode().add(1)));
        }
        return m;
    }

    private static List<Map.Entry<String, byte[]>> wholeBodies() {
        List<Map.Entry<String, byte[]>> b = new ArrayList<>();
        b.add(Map.entry("empty", new byte[0]));
        b.add(Map.entry("null", "null".getBytes(StandardCharsets.UTF_8)));
        b.add(Map.entry("array", "[]".getBytes(StandardCharsets.UTF_8)));
        b.add(Map.entry("string", "\"x\"".getBytes(StandardCharsets.UTF_8)));
        b.add(Map.entry("truncated", "{\"a\":".getBytes(StandardCharsets.UTF_8)));
        b.add(Map.entry(
                "invalid UTF-8",
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}'}));
        b.add(Map.entry("deep nesting", ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8)));
        b.add(Map.entry("duplicate keys", "{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8)));
        b.add(Map.entry("huge number", ("{\"a\":1" + "0".repeat(2000) + "}").getBytes(StandardCharsets.UTF_8)));
        b.add(Map.entry(
                "over the size limit", ("{\"a\":\"" + "x".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8)));
        return b;
    }

    private List<String> params(Op op, String in) {
        List<String> out = new ArrayList<>();
        for (Parameter p : allParameters(op)) {
            if (in.equals(p.getIn())) {
                out.add(p.getName());
            }
        }
        if ("path".equals(in)) { // a template variable the document does not declare still needs a value
            var m = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(op.pathTemplate());
            while (m.find()) {
                if (!out.contains(m.group(1))) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    private static List<Parameter> allParameters(Op op) {
        return op.operation().getParameters() == null
                ? List.of()
                : op.operation().getParameters();
    }

    private Map<String, String> pathParams(Op op, Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String p : params(op, "path")) {
            values.put(p, overrides.getOrDefault(p, pathValue.apply(op.pathTemplate() + "#" + p)));
        }
        return values;
    }

    private Map<String, String> query(Op op, Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Parameter p : allParameters(op)) {
            if ("query".equals(p.getIn()) && Boolean.TRUE.equals(p.getRequired())) {
                values.put(p.getName(), scalarText(p.getSchema(), p.getName()));
            }
        }
        values.putAll(overrides);
        return values;
    }

    private FuzzRequest build(
            Op op,
            String variant,
            Map<String, String> path,
            Map<String, String> query,
            byte[] body,
            String contentType) {
        String p = op.pathTemplate();
        for (var e : path.entrySet()) {
            // hostile values are already percent-encoded where they need to be; others are plain ids
            p = p.replace("{" + e.getKey() + "}", e.getValue());
        }
        StringBuilder q = new StringBuilder();
        for (var e : query.entrySet()) {
            q.append(q.isEmpty() ? "?" : "&").append(e.getKey()).append('=').append(e.getValue());
        }
        return new FuzzRequest(op.name(), variant, op.method(), p + q, body == null ? null : contentType, body);
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String type(Schema<?> s) {
        if (s.getType() != null) {
            return s.getType();
        }
        if (s.getTypes() != null) {
            return s.getTypes().stream()
                    .filter(t -> !"null".equals(t))
                    .findFirst()
                    .orElse(null);
        }
        if (s.getProperties() != null) {
            return "object";
        }
        return null;
    }

    private static Schema<?> effective(Schema<?> s) {
        if (s.getAllOf() != null && !s.getAllOf().isEmpty()) {
            return s.getAllOf().get(0);
        }
        if (s.getOneOf() != null && !s.getOneOf().isEmpty()) {
            return s.getOneOf().get(0);
        }
        if (s.getAnyOf() != null && !s.getAnyOf().isEmpty()) {
            return s.getAnyOf().get(0);
        }
        return s;
    }

    /** A value that follows the schema, with plausible codes where the field name says what it holds. */
    JsonNode valueFor(Schema<?> schema, String name, int depth) {
        Schema<?> s = effective(schema);
        if (s.getEnum() != null && !s.getEnum().isEmpty()) {
            return JSON.valueToTree(s.getEnum().get(0));
        }
        String type = type(s);
        if ("object".equals(type) || (type == null && s.getProperties() != null)) {
            ObjectNode o = NODES.objectNode();
            if (s.getProperties() != null && depth < 6) {
                s.getProperties().forEach((k, v) -> o.set(k, valueFor(v, k, depth + 1)));
            }
            return o;
        }
        if ("array".equals(type)) {
            ArrayNode a = NODES.arrayNode();
            if (s.getItems() != null && depth < 6) {
                a.add(valueFor(s.getItems(), name, depth + 1));
            }
            return a;
        }
        if ("integer".equals(type) || "number".equals(type)) {
            long v = s.getMinimum() != null ? Math.max(1, s.getMinimum().longValue()) : 1;
            return NODES.numberNode(v);
        }
        if ("boolean".equals(type)) {
            return NODES.booleanNode(false);
        }
        return NODES.textNode(scalarText(s, name));
    }

    private String scalarText(Schema<?> schema, String name) {
        Schema<?> s = schema == null ? new Schema<>() : effective(schema);
        if (s.getEnum() != null && !s.getEnum().isEmpty()) {
            return String.valueOf(s.getEnum().get(0));
        }
        String format = s.getFormat() == null ? "" : s.getFormat();
        String n = name.toLowerCase(Locale.ROOT);
        if ("integer".equals(type(s)) || "number".equals(type(s))) {
            return "1";
        }
        if (format.equals("uuid")) {
            return n.contains("organisation") || n.contains("receiver")
                    ? pathValue.apply("organisation#" + name)
                    : UUID.randomUUID().toString();
        }
        if (format.equals("date-time")) {
            return Instant.now()
                    .plus(30, ChronoUnit.DAYS)
                    .truncatedTo(ChronoUnit.SECONDS)
                    .toString();
        }
        if (format.equals("date")) {
            return LocalDate.now().toString();
        }
        if (format.equals("uri") || format.equals("url") || n.equals("url")) {
            return "https://example.org/tandem-fuzz";
        }
        if (n.contains("country")) {
            return "DE";
        }
        if (n.contains("language")) {
            return "eng";
        }
        if (n.contains("region")) {
            return "DE-BE";
        }
        return "fuzz";
    }
}
