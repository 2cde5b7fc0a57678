package org.tandem.platform.retention;

import java.util.NoSuchElementException;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import io.quarkus.runtime.LaunchMode;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Reads the retention policy from configuration ({@code tandem.retention.*}) and refuses to start a service
 * whose policy is not valid, in every profile, the way production settings are refused
 * (org.tandem.platform.config.ProductionSettingsCheck): a packaged service prints the reasons and exits
 * with status 1; a test or dev launch throws.
 */
@Singleton
public class RetentionPolicyProducer {

    private static final Logger LOG = Logger.getLogger(RetentionPolicyProducer.class);

    void check(
            @Observes @Initialized(ApplicationScoped.class) @Priority(Interceptor.Priority.PLATFORM_BEFORE + 1)
                    Object init) {
        try {
            read(ConfigProvider.getConfig());
        } catch (RetentionPolicy.InvalidRetentionPolicy e) {
            if (LaunchMode.current() == LaunchMode.NORMAL) {
                System.err.println(e.getMessage());
                System.err.flush();
                System.exit(1);
            }
            LOG.error(e.getMessage());
            throw e;
        }
    }

    @Produces
    @Singleton
    RetentionPolicy policy() {
        return read(ConfigProvider.getConfig());
    }

    static RetentionPolicy read(Config config) {
        return RetentionPolicy.of(name -> {
            try {
                return config.getOptionalValue(name, String.class);
            } catch (NoSuchElementException | IllegalArgumentException unresolvable) {
                return Optional.of("(unresolvable)");
            }
        });
    }
}
