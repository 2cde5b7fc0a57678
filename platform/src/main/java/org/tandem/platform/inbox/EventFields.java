package org.tandem.platform.inbox;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/** Reads the fields every Tandem event has, without knowing its type. */
public final class EventFields {

    private EventFields() {}

    public static String eventId(SpecificRecord event) {
        return field(event, "eventId").toString();
    }

    /** The value of a named field, or null when the event has no such field. */
    public static Object field(SpecificRecord event, String name) {
        Schema.Field f = event.getSchema().getField(name);
        return f == null ? null : event.get(f.pos());
    }
}
