package org.tandem.platform.idempotency;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

/**
 * Makes a POST safe to retry with an {@code Idempotency-Key} header: the first request's effect and its
 * stored answer commit in one transaction, and a retry with the same key gets the same answer without a
 * second effect. The annotated method must return a {@link jakarta.ws.rs.core.Response}.
 *
 * <p>An answer that carries a secret shown only once names it in {@link #withheld()}: those members of
 * the answer's JSON object are never stored, so a retry gets the same status, {@code Location},
 * {@code ETag} and body without them (docs/security.md, "Secrets at rest").
 */
@InterceptorBinding
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Idempotent {

    /** Top-level members of the answer's JSON object that are not stored, and so are absent from a replay. */
    @Nonbinding
    String[] withheld() default {};
}
