package org.tandem.platform.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import io.quarkus.runtime.LaunchMode;
import io.smallrye.config.SmallRyeConfig;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Refuses to start a service in production while one of its {@link ProductionSetting}s is missing or still
 * the development value (docs/security.md, "Production refuses development settings"). Each service lists
 * what it needs in {@code tandem.production.settings} (the platform's) and
 * {@code tandem.production.service-settings} (its own).
 *
 * <p>It runs when the CDI container is initialised, which Quarkus does in its static-init phase: before the
 * runtime steps that open the datasource, migrate with Flyway, reach the OIDC server or open the HTTP port.
 * A refused packaged service prints one line per setting on standard error and exits with status 1 (no
 * stack trace); in a test or dev launch, where exiting would end the test JVM, it throws instead.
 *
 * <p>Profiles: {@code dev} and {@code test} carry development values and are not checked. {@code local}
 * (the local stack, deploy/devstack) must set every setting but may use development values. Every other
 * profile, {@code prod} first of all, must set every setting to a value of its own.
 */
@Singleton
public class ProductionSettingsCheck {

    private static final Logger LOG = Logger.getLogger(ProductionSettingsCheck.class);

    static final String SETTINGS = "tandem.production.settings";
    static final String SERVICE_SETTINGS = "tandem.production.service-settings";
    /** The profile of the local stack: every setting set, development values allowed. */
    public static final String LOCAL_PROFILE = "local";

    void check(
            @Observes @Initialized(ApplicationScoped.class) @Priority(Interceptor.Priority.PLATFORM_BEFORE)
                    Object init) {
        SmallRyeConfig config = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class);
        List<String> profiles = config.getProfiles();
        if (profiles.contains("dev") || profiles.contains("test")) {
            return;
        }
        List<String> refusals = refusals(lookup(config), required(config), profiles.contains(LOCAL_PROFILE));
        if (refusals.isEmpty()) {
            return;
        }
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            // Static init: Quarkus has started nothing yet, so there is nothing to stop. Its log handlers only
            // print what is logged now once the runtime phase sets them up, which never comes; and an exception
            // thrown here would surface as a stack trace. So, as Quarkus does with a configuration error: the
            // plain lines on standard error, and exit status 1.
            refusals.forEach(System.err::println);
            System.err.flush();
            System.exit(1);
        }
        refusals.forEach(LOG::error);
        throw new IllegalStateException(String.join(" ", refusals));
    }

    /** The settings this service must be given: the platform's and its own. */
    static Set<ProductionSetting> required(Config config) {
        Set<ProductionSetting> out = new LinkedHashSet<>();
        for (String key : List.of(SETTINGS, SERVICE_SETTINGS)) {
            config.getOptionalValue(key, String.class)
                    .ifPresent(v -> ProductionSetting.items(v)
                            .map(ProductionSetting::named)
                            .forEach(out::add));
        }
        return out;
    }

    private static Function<String, Optional<String>> lookup(Config config) {
        return name -> {
            try {
                return config.getOptionalValue(name, String.class).filter(v -> !v.isBlank());
            } catch (java.util.NoSuchElementException unresolvable) {
                // an expression such as ${TANDEM_X} without a default and without the variable
                return Optional.empty();
            }
        };
    }

    /**
     * One line for each required setting that is missing, or (unless {@code developmentValuesAllowed}) still
     * the development value. The lines name the setting, never its value.
     */
    static List<String> refusals(
            Function<String, Optional<String>> config,
            Set<ProductionSetting> required,
            boolean developmentValuesAllowed) {
        List<String> out = new ArrayList<>();
        for (ProductionSetting s : required) {
            Optional<String> value = config.apply(s.property(config));
            if (value.isEmpty()) {
                out.add(missing(s, s.property(config)));
            } else if (!developmentValuesAllowed && s.isDevelopmentValue(value.get())) {
                out.add(developmentValue(s, s.property(config)));
            } else if (!s.isDevelopmentValue(value.get())) {
                out.addAll(s.alsoRequired(config, value.get()));
            }
        }
        return out;
    }

    /** The line for a missing setting. */
    public static String missing(ProductionSetting s, String property) {
        return missing(s.environmentVariable(), property);
    }

    /** The line for a missing setting that another one needs (Kafka's truststore with TLS, say). */
    public static String missing(String environmentVariable, String property) {
        return "Refusing to start: " + environmentVariable + " (" + property + ") is missing."
                + " Production needs its own value (docs/security.md).";
    }

    /** The line for a setting that is still the development value. */
    public static String developmentValue(ProductionSetting s, String property) {
        return "Refusing to start: " + s.environmentVariable() + " (" + property + ") is still the development value."
                + " Production needs its own value (docs/security.md).";
    }
}
