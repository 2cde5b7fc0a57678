package org.tandem.notification.domain;

/**
 * What the service refuses to do, by kind. Thrown by the service layer and turned into problems in one place (the
 * REST layer's mapper), by type: never by message. No stack trace: a refusal is an answer, not a fault.
 */
public abstract sealed class Refusal extends RuntimeException {

    private Refusal(String kind) {
        super(kind, null, false, false);
    }

    /** What a caller may look for. */
    public enum Thing {
        WEBHOOK_ENDPOINT("webhook endpoint"),
        WEBHOOK_DELIVERY("webhook delivery");

        private final String noun;

        Thing(String noun) {
            this.noun = noun;
        }

        public String noun() {
            return noun;
        }
    }

    /** It does not exist, or it is not the caller's: the same answer for both. */
    public static final class NotFound extends Refusal {
        private final Thing thing;

        public NotFound(Thing thing) {
            super("not found");
            this.thing = thing;
        }

        public Thing thing() {
            return thing;
        }
    }

    /** The caller belongs to no organisation of the network and is no coordinator. */
    public static final class NoOrganisation extends Refusal {
        public NoOrganisation() {
            super("no organisation");
        }
    }

    /** A field of the request breaks a rule; {@code reason} completes "The field '<field>' ...". */
    public static final class InvalidField extends Refusal {
        private final String field;
        private final String reason;

        public InvalidField(String field, String reason) {
            super("invalid field");
            this.field = field;
            this.reason = reason;
        }

        public String field() {
            return field;
        }

        public String reason() {
            return reason;
        }
    }

    /** A delivery still being attempted cannot be replayed. */
    public static final class DeliveryPending extends Refusal {
        public DeliveryPending() {
            super("delivery pending");
        }
    }

    /** The owner has the most enabled endpoints it may have ({@code setting}: the configuration property of the limit). */
    public static final class TooManyEndpoints extends Refusal {
        private final boolean network;
        private final long enabled;
        private final int limit;
        private final String setting;

        public TooManyEndpoints(boolean network, long enabled, int limit, String setting) {
            super("too many endpoints");
            this.network = network;
            this.enabled = enabled;
            this.limit = limit;
            this.setting = setting;
        }

        public boolean network() {
            return network;
        }

        public long enabled() {
            return enabled;
        }

        public int limit() {
            return limit;
        }

        public String setting() {
            return setting;
        }
    }

    /**
     * Too many live alert feeds are open: the caller's organisation's ({@code ofOrganisation}) or this instance's
     * in all; {@code limitName} names the limit in the answer.
     */
    public static final class TooManyFeeds extends Refusal {
        private final boolean ofOrganisation;
        private final int limit;
        private final String limitName;

        public TooManyFeeds(boolean ofOrganisation, int limit, String limitName) {
            super("too many feeds");
            this.ofOrganisation = ofOrganisation;
            this.limit = limit;
            this.limitName = limitName;
        }

        public boolean ofOrganisation() {
            return ofOrganisation;
        }

        public int limit() {
            return limit;
        }

        public String limitName() {
            return limitName;
        }
    }
}
