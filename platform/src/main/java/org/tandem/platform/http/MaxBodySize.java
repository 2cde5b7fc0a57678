package org.tandem.platform.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The largest request body a resource method accepts, when it differs from {@code tandem.http.max-body-bytes}:
 * {@code bytes}, or the value of the configuration property {@code property} plus {@code bytes} (for an
 * envelope around a configured size, such as a JSON object around a case file).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface MaxBodySize {
    long bytes() default 0;

    /** A configuration property holding the limit in bytes; empty for {@link #bytes()} alone. */
    String property() default "";
}
