package org.tandem.devstack;

/**
 * Every port the stack uses, as an offset from the port base. Each can be overridden by the environment
 * variable {@code TANDEM_PORT_<NAME>}.
 */
public enum Port {
    POSTGRES(432),
    KAFKA(92),
    KAFKA_CONTROLLER(93),
    APICURIO(80),
    APICURIO_MANAGEMENT(81),
    KEYCLOAK(180),
    KEYCLOAK_MANAGEMENT(190),
    REGISTRY(101),
    REFERRAL(102),
    NOTIFICATION(103),
    /** the web application (static bundle and /config.json) */
    WEB(104),
    /** a local SMTP sink for notification-service; reserved, nothing listens on it yet */
    SMTP(25);

    private final int offset;

    Port(int offset) {
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }

    public String envName() {
        return "TANDEM_PORT_" + name();
    }
}
