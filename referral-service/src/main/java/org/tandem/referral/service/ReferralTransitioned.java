package org.tandem.referral.service;

import org.tandem.referral.domain.Referral;

/**
 * Fired synchronously, inside the transaction of every state change, after the new state and its event
 * are stored. Observers (case-file custody, for example) act in the same transaction, so that their
 * effect commits or rolls back with the change.
 *
 * @param referral the referral in its new state
 * @param from the state it left
 */
public record ReferralTransitioned(Referral referral, Referral.Status from) {}
