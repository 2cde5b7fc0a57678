package org.tandem.platform.idempotency;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.interceptor.InterceptorBinding;

/**
 * Makes a POST safe to retry with an {@code Idempotency-Key} header: the first request's effect and its
 * stored answer commit in one transaction, and a retry with the same key gets the same answer without a
 * second effect. The annotated method must return a {@link jakarta.ws.rs.core.Response}.
 */
@InterceptorBinding
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Idempotent {
}
