package org.tandem.notification.domain;

import org.junit.jupiter.api.Test;

import org.tandem.events.EventCatalog;
import org.tandem.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookEventTypeTest {

    @Test
    void every_referral_event_of_the_catalog_is_a_webhook_type() {
        EventCatalog.all().stream()
                .filter(e -> e.topic().equals(Topics.REFERRALS))
                .forEach(e -> assertThat(WebhookEventType.ofAvroType(e.fullName()))
                        .as(e.fullName())
                        .isPresent());
    }

    @Test
    void membership_and_key_events_are_webhook_types_and_profile_changes_are_not() {
        for (String name : new String[] {
            "OrganisationRegistered", "OrganisationApproved", "OrganisationSuspended", "OrganisationKeyRotated"
        }) {
            assertThat(WebhookEventType.ofAvroType("org.tandem.events.registry." + name))
                    .as(name)
                    .isPresent();
        }
        for (String name : new String[] {"OrganisationUpdated", "OrganisationCapacityChanged"}) {
            assertThat(WebhookEventType.ofAvroType("org.tandem.events.registry." + name))
                    .as(name)
                    .isEmpty();
        }
    }

    @Test
    void scopes_keep_network_events_from_organisations_and_referral_details_from_coordinators() {
        assertThat(WebhookEventType.ORGANISATION_REGISTERED.availableTo(false)).isFalse();
        assertThat(WebhookEventType.ENDPOINT_FAILING.availableTo(false)).isFalse();
        assertThat(WebhookEventType.REFERRAL_ACCEPTED.availableTo(true)).isFalse();
        assertThat(WebhookEventType.REFERRAL_ESCALATED.availableTo(true)).isTrue();
        assertThat(WebhookEventType.REFERRAL_ESCALATED.availableTo(false)).isTrue();
    }

    @Test
    void a_key_publication_goes_to_the_organisation_only_and_cannot_be_unsubscribed() {
        assertThat(WebhookEventType.ofAvroType("org.tandem.events.registry.OrganisationKeyRotated"))
                .contains(WebhookEventType.ORGANISATION_KEYS_PUBLISHED);
        assertThat(WebhookEventType.ORGANISATION_KEYS_PUBLISHED.wireName()).isEqualTo("organisation.keys_published");
        assertThat(WebhookEventType.ORGANISATION_KEYS_PUBLISHED.availableTo(false))
                .isTrue();
        assertThat(WebhookEventType.ORGANISATION_KEYS_PUBLISHED.availableTo(true))
                .isFalse();
        assertThat(WebhookEventType.ORGANISATION_KEYS_PUBLISHED.alwaysDelivered())
                .isTrue();
        assertThat(WebhookEventType.REFERRAL_ACCEPTED.alwaysDelivered()).isFalse();
    }
}
