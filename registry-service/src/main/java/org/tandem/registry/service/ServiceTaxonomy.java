package org.tandem.registry.service;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.tandem.registry.domain.ServiceCode;
import org.tandem.registry.rest.ServiceTaxonomyResource.ServiceLabel;

/** Labels of the service codes: English from the code, further languages from the {@code service_label} table. */
@ApplicationScoped
public class ServiceTaxonomy {

    @Inject
    EntityManager em;

    public List<ServiceLabel> labels(String language) {
        Map<String, String> translated = new HashMap<>();
        if (!"eng".equals(language)) {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("select code, label from service_label where language = :lang")
                    .setParameter("lang", language).getResultList();
            rows.forEach(r -> translated.put((String) r[0], (String) r[1]));
        }
        return Arrays.stream(ServiceCode.values()).map(code -> {
            String label = translated.get(code.name());
            return label == null ? new ServiceLabel(code.name(), code.englishLabel(), "eng", code.englishLabel())
                    : new ServiceLabel(code.name(), label, language, code.englishLabel());
        }).toList();
    }
}
