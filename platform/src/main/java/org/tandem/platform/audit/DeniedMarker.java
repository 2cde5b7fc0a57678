package org.tandem.platform.audit;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Whether this request already wrote (or counted) a refusal, so that {@link RefusalAudit} does not write a second,
 * generic one. Kept in the request's Vert.x context, which the worker thread shares.
 */
final class DeniedMarker {

    private static final String KEY = "tandem.audit.denied";

    private DeniedMarker() {}

    static void mark() {
        Context c = Vertx.currentContext();
        if (c != null) {
            c.putLocal(KEY, Boolean.TRUE);
        }
    }

    static boolean marked() {
        Context c = Vertx.currentContext();
        return c != null && Boolean.TRUE.equals(c.getLocal(KEY));
    }
}
