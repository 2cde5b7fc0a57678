package org.tandem.registry.service;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.tandem.registry.application.ServiceLabel;
import org.tandem.registry.domain.ServiceCode;
import org.tandem.registry.persistence.ServiceLabelRepository;

/** Labels of the service codes: English from the code, further languages from the {@code service_label} table. */
@ApplicationScoped
public class ServiceTaxonomy {

    @Inject
    ServiceLabelRepository labels;

    public List<ServiceLabel> labels(String language) {
        Map<String, String> translated = "eng".equals(language) ? Map.of() : labels.labels(language);
        return Arrays.stream(ServiceCode.values())
                .map(code -> {
                    String label = translated.get(code.name());
                    return label == null
                            ? new ServiceLabel(code.name(), code.englishLabel(), "eng", code.englishLabel())
                            : new ServiceLabel(code.name(), label, language, code.englishLabel());
                })
                .toList();
    }
}
