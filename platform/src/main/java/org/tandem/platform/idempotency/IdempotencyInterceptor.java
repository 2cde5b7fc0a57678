package org.tandem.platform.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
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
 * two organisations cannot collide. The key's row is written with the answer, last, in the request's
 * transaction. Concurrent requests with one key serialise on that row: the second waits for the first to
 * commit, rolls its own effects back and replays the first's answer. A failed request (4xx problem or
 * 5xx) stores nothing, so it can be retried; a request that fails where an answer is stored under its key
 * (a retry whose If-Match no longer matches) gets that answer.
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
            // Rolled back. A key answered before is answered the same again: a retry after a success fails
            // as a request (its If-Match no longer matches, or the referral has moved on), or ran to its end
            // and found the key taken (AnsweredBefore).
            Response replay = storedAnswerOrNull(scope, key, hash, e);
            if (replay != null) {
                return replay;
            }
            if (e instanceof AnsweredBefore) {
                throw new IllegalStateException("idempotency record vanished between its insert and its read", e);
            }
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the request and stores its answer under the key with one statement, in the request's transaction. The
     * key's row is written last, not claimed first: a first request (nearly every one) costs one statement instead
     * of an insert before and an update after (#18). Two requests with one key still serialise on the row: the
     * second one's insert waits for the first's transaction, and then finds the key taken (or free, when the first
     * rolled back). The second one's own effects roll back with it, so only the first's commit.
     */
    private Response once(InvocationContext ctx, String scope, String key, String hash) throws Exception {
        Object result = ctx.proceed();
        if (!(result instanceof Response response)) {
            throw new IllegalStateException("@Idempotent method " + ctx.getMethod() + " must return a Response");
        }
        String body = response.hasEntity() ? storedBody(ctx, response.getEntity()) : null;
        int stored = em.createNativeQuery("""
                insert into idempotency_record
                    (scope, idempotency_key, request_hash, created_at, status, location, etag, body)
                values (:scope, :key, :hash, :now, :status, :location, :etag, :body)
                on conflict do nothing""")
                .setParameter("scope", scope)
                .setParameter("key", key)
                .setParameter("hash", hash)
                .setParameter("now", clock.instant())
                .setParameter("status", response.getStatus())
                .setParameter(
                        "location",
                        response.getLocation() == null
                                ? null
                                : response.getLocation().toString())
                .setParameter("etag", response.getHeaderString("ETag"))
                .setParameter("body", body)
                .executeUpdate();
        if (stored == 0) {
            throw new AnsweredBefore();
        }
        return response;
    }

    /**
     * The answer stored under a key, read in a transaction of its own after the request's rolled back; {@code null}
     * when the key has none (a new key whose request failed, which may be retried).
     *
     * @param failure what the request failed with; a failure to read is added to it, and the caller rethrows it
     */
    private Response storedAnswerOrNull(String scope, String key, String hash, RuntimeException failure) {
        List<Object[]> rows;
        try {
            rows = QuarkusTransaction.requiringNew().call(() -> stored(scope, key));
        } catch (RuntimeException unread) {
            failure.addSuppressed(unread);
            return null;
        }
        if (rows.isEmpty() || rows.get(0)[1] == null) {
            return null; // no answer under this key (a row without one is a claim of an older version's request)
        }
        Object[] row = rows.get(0);
        if (!hash.equals(row[0])) {
            throw ProblemException.unprocessable(
                    "idempotency-key-reused",
                    "This Idempotency-Key was already used for a different request. Use a new key for a new request.");
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

    @SuppressWarnings("unchecked")
    private List<Object[]> stored(String scope, String key) {
        return em.createNativeQuery("""
                select request_hash, status, location, etag, body from idempotency_record
                where scope = :scope and idempotency_key = :key""")
                .setParameter("scope", scope)
                .setParameter("key", key)
                .getResultList();
    }

    /** The key already has an answer: this request's effects roll back, and it gets that answer. */
    private static final class AnsweredBefore extends RuntimeException {
        AnsweredBefore() {
            super("Idempotency-Key answered before", null, false, false);
        }
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
