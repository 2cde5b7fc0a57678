package org.tandem.platform.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.regex.Pattern;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.quarkus.narayana.jta.QuarkusTransaction;

import org.tandem.platform.problem.ProblemException;
import org.tandem.platform.security.Caller;

/**
 * See {@link Idempotent}. Keys are scoped to the caller's organisation (or, without one, the caller), so
 * two organisations cannot collide. Concurrent requests with one key serialise on the key's row: the
 * second waits for the first to commit and then replays its answer. A failed request (4xx problem or
 * 5xx) rolls back with its key, so it can be retried.
 */
@Idempotent
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 100) // outside @Transactional (PLATFORM_BEFORE + 200)
public class IdempotencyInterceptor {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    @Inject
    HttpHeaders headers;

    @Inject
    UriInfo uriInfo;

    @Inject
    Caller caller;

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @AroundInvoke
    Object around(InvocationContext ctx) throws Exception {
        String key = headers.getHeaderString(HEADER);
        if (key == null) {
            return ctx.proceed();
        }
        if (!validKey(key)) {
            throw ProblemException.invalidField(HEADER, "must be 1 to 255 visible ASCII characters");
        }
        String scope = caller.organisationId().map(Object::toString).orElse("subject:" + caller.subject());
        String hash = requestHash(ctx);
        try {
            return QuarkusTransaction.joiningExisting().call(() -> once(ctx, scope, key, hash));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Response once(InvocationContext ctx, String scope, String key, String hash) throws Exception {
        int created = em.createNativeQuery("""
                insert into idempotency_record (scope, idempotency_key, request_hash, created_at)
                values (:scope, :key, :hash, :now) on conflict do nothing""")
                .setParameter("scope", scope)
                .setParameter("key", key)
                .setParameter("hash", hash)
                .setParameter("now", clock.instant())
                .executeUpdate();
        // A row this transaction inserted is its own: a concurrent request with the same key waits on the
        // insert until this one commits. Only a key seen before needs reading (and locking) first; that saves
        // a round trip on every first request (docs/performance.md, "Profiles").
        if (created == 0) {
            Response replay = replay(scope, key, hash);
            if (replay != null) {
                return replay;
            }
        }
        Object result = ctx.proceed();
        if (!(result instanceof Response response)) {
            throw new IllegalStateException("@Idempotent method " + ctx.getMethod() + " must return a Response");
        }
        String body = response.hasEntity() ? storedBody(ctx, response.getEntity()) : null;
        em.createNativeQuery("""
                update idempotency_record set status = :status, location = :location, etag = :etag, body = :body
                where scope = :scope and idempotency_key = :key""")
                .setParameter("status", response.getStatus())
                .setParameter(
                        "location",
                        response.getLocation() == null
                                ? null
                                : response.getLocation().toString())
                .setParameter("etag", response.getHeaderString("ETag"))
                .setParameter("body", body)
                .setParameter("scope", scope)
                .setParameter("key", key)
                .executeUpdate();
        return response;
    }

    /**
     * The stored answer for a key seen before, locked until this transaction ends; {@code null} when the
     * earlier request rolled back in between (its row is gone or not answered), so this one may proceed.
     */
    private Response replay(String scope, String key, String hash) {
        @SuppressWarnings("unchecked")
        java.util.List<Object[]> rows = em.createNativeQuery("""
                select request_hash, status, location, etag, body from idempotency_record
                where scope = :scope and idempotency_key = :key for update""")
                .setParameter("scope", scope)
                .setParameter("key", key)
                .getResultList();
        if (rows.isEmpty()) {
            throw new IllegalStateException("idempotency record vanished between insert and select");
        }
        Object[] row = rows.get(0);
        if (!hash.equals(row[0])) {
            throw ProblemException.unprocessable(
                    "idempotency-key-reused",
                    "This Idempotency-Key was already used for a different request. Use a new key for a new request.");
        }
        if (row[1] == null) {
            return null;
        }
        var replay = Response.status((Integer) row[1]).header(REPLAYED_HEADER, "true");
        if (row[2] != null) {
            replay.header("Location", row[2]);
        }
        if (row[3] != null) {
            replay.header("ETag", row[3]);
        }
        if (row[4] != null) {
            replay.entity(row[4]).type(MediaType.APPLICATION_JSON_TYPE);
        }
        return replay.build();
    }

    /** The answer's JSON as stored for replays: without the members that {@link Idempotent#withheld()} names. */
    private String storedBody(InvocationContext ctx, Object entity) throws JsonProcessingException {
        Idempotent binding = ctx.getMethod().getAnnotation(Idempotent.class);
        if (binding == null) {
            binding = ctx.getMethod().getDeclaringClass().getAnnotation(Idempotent.class);
        }
        if (binding == null || binding.withheld().length == 0) {
            return json.writeValueAsString(entity);
        }
        JsonNode tree = json.valueToTree(entity);
        if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
            object.remove(java.util.List.of(binding.withheld()));
            return json.writeValueAsString(object);
        }
        throw new IllegalStateException(
                "@Idempotent(withheld) on " + ctx.getMethod() + " needs an answer that is a JSON object");
    }

    /**
     * A stable text for a request's content: object members sorted by name, and array elements sorted
     * too, because sets (such as requested services) have no reliable order.
     */
    static String canonical(JsonNode node) {
        if (node.isObject()) {
            var names = new java.util.TreeSet<String>();
            node.fieldNames().forEachRemaining(names::add);
            StringBuilder sb = new StringBuilder("{");
            for (String name : names) {
                sb.append(TextNode.valueOf(name))
                        .append(':')
                        .append(canonical(node.get(name)))
                        .append(',');
            }
            return sb.append('}').toString();
        }
        if (node.isArray()) {
            var elements = new java.util.ArrayList<String>();
            node.forEach(e -> elements.add(canonical(e)));
            java.util.Collections.sort(elements);
            return "[" + String.join(",", elements) + "]";
        }
        return node.toString();
    }

    private String requestHash(InvocationContext ctx) {
        var args = new java.util.ArrayList<JsonNode>();
        for (Object arg : ctx.getParameters()) {
            args.add(arg == null ? null : json.valueToTree(arg));
        }
        return requestHash(
                ctx.getMethod().getDeclaringClass().getName()
                        + '#'
                        + ctx.getMethod().getName(),
                uriInfo.getPath(),
                args);
    }

    /**
     * What identifies a request's content: the method, the path and the arguments in {@link #canonical} form,
     * hashed with SHA-256. Two requests with one key and different hashes are a key reused for another request.
     */
    static String requestHash(String method, String path, java.util.List<JsonNode> args) {
        StringBuilder canonical = new StringBuilder(method).append('|').append(path);
        for (JsonNode arg : args) {
            canonical.append('|').append(arg == null ? "null" : canonical(arg));
        }
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether an Idempotency-Key is acceptable: 1 to 255 visible ASCII characters. */
    static boolean validKey(String key) {
        return VALID_KEY.matcher(key).matches();
    }
}
