package org.tandem.registry.persistence;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** The labels of the service codes in languages other than English (the {@code service_label} table). */
@ApplicationScoped
public class ServiceLabelRepository {

    @Inject
    EntityManager em;

    /** Code name to label, for the codes that have a label in {@code language}. */
    public Map<String, String> labels(String language) {
        Map<String, String> translated = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select code, label from service_label where language = :lang")
                .setParameter("lang", language)
                .getResultList();
        rows.forEach(r -> translated.put((String) r[0], (String) r[1]));
        return translated;
    }
}
