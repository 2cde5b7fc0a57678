/**
 * The services' JSON, from the TypeScript types that the build generates out of the services' OpenAPI
 * documents (app/src/generated/, written by `npm run generate`; docs/web.md). Nothing here repeats a code
 * list: a service code, urgency or state that the Java side adds or drops changes these types and lists
 * at the next build, and i18n.ts then fails to compile until it has a label for every code.
 */
import type { components as NotificationApi } from './generated/notification';
import {
  ageBandValues,
  assessorRoleValues,
  childAgeBandValues,
  dataCategoryValues,
  declineReasonValues,
  methodValues,
  outcomeValues,
  purposeValues,
  requestedServiceValues,
  riskLevelValues,
  safetyRiskValues,
  stageValues,
  statusValues as referralStatusValues,
  urgencyValues,
  type components as ReferralApi,
} from './generated/referral';
import {
  capacityUnitValues,
  serviceCodeValues,
  statusValues as membershipStatusValues,
  type components as RegistryApi,
} from './generated/registry';

type RegistrySchemas = RegistryApi['schemas'];
type ReferralSchemas = ReferralApi['schemas'];
export type NotificationSchemas = NotificationApi['schemas'];

/**
 * The OpenAPI documents mark no response field as required (the Java records carry no such annotation);
 * these are the fields a service always sends.
 */
type Present<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };

// The code lists, as the services declare them.
export type ServiceCode = RegistrySchemas['ServiceCode'];
export type RequestedService = ReferralSchemas['RequestedService'];
export type Urgency = ReferralSchemas['Urgency'];
export type AgeBand = ReferralSchemas['AgeBand'];
export type ChildAgeBand = ReferralSchemas['ChildAgeBand'];
export type SafetyRisk = ReferralSchemas['SafetyRisk'];
export type ReferralStatus = ReferralSchemas['Status'];
export type DeclineReason = ReferralSchemas['DeclineReason'];
export type Outcome = ReferralSchemas['OutcomeView']['outcome'] & string;
export type Purpose = ReferralSchemas['Purpose'];
export type DataCategory = ReferralSchemas['DataCategory'];
export type ConsentMethod = ReferralSchemas['Method'];
export type CapacityUnit = RegistrySchemas['CapacityUnit'];
export type MembershipStatus = RegistrySchemas['Status'];
export type Measure = ReferralSchemas['Measure'];
export type StateAge = ReferralSchemas['StateAge'];
export type Stage = ReferralSchemas['Stage'];
export type PathwayLength = ReferralSchemas['PathwayLength'];
export type AssessorRole = ReferralSchemas['AssessorRole'];
export type RiskLevel = ReferralSchemas['RiskLevel'];

export const SERVICES: readonly ServiceCode[] = serviceCodeValues;
export const REQUESTED_SERVICES: readonly RequestedService[] = requestedServiceValues;
export const URGENCIES: readonly Urgency[] = urgencyValues;
export const AGE_BANDS: readonly AgeBand[] = ageBandValues;
export const CHILD_AGE_BANDS: readonly ChildAgeBand[] = childAgeBandValues;
export const SAFETY_RISKS: readonly SafetyRisk[] = safetyRiskValues;
export const REFERRAL_STATUSES: readonly ReferralStatus[] = referralStatusValues;
export const DECLINE_REASONS: readonly DeclineReason[] = declineReasonValues;
export const OUTCOMES: readonly Outcome[] = outcomeValues;
export const PURPOSES: readonly Purpose[] = purposeValues;
export const DATA_CATEGORIES: readonly DataCategory[] = dataCategoryValues;
export const CONSENT_METHODS: readonly ConsentMethod[] = methodValues;
export const CAPACITY_UNITS: readonly CapacityUnit[] = capacityUnitValues;
export const MEMBERSHIP_STATUSES: readonly MembershipStatus[] = membershipStatusValues;
export const STAGES: readonly Stage[] = stageValues;
export const ASSESSOR_ROLES: readonly AssessorRole[] = assessorRoleValues;
export const RISK_LEVELS: readonly RiskLevel[] = riskLevelValues;
/** The stages for which a referral may carry the end of her reflection and recovery period (docs/referrals.md). */
export const REFLECTION_STAGES: readonly Stage[] = ['IDENTIFICATION', 'FIRST_ASSISTANCE'];

export type Eligibility = Present<
  RegistrySchemas['Eligibility'],
  'womenOnly' | 'acceptsMinors' | 'acceptsWomenWithChildren'
>;
export type Capacity = Present<RegistrySchemas['CapacityView'], 'available' | 'unit' | 'updatedAt'>;

export type Organisation = Present<
  Omit<RegistrySchemas['Organisation'], 'eligibility' | 'capacity'>,
  'id' | 'name' | 'country' | 'services' | 'languages' | 'membershipStatus' | 'version'
> & { eligibility: Eligibility; capacity?: Capacity };

export interface OrganisationPage {
  items: Organisation[];
  nextCursor?: string | null;
}

export type Summary = ReferralSchemas['Summary'];
/** The consent as a new referral sends it. */
export type ConsentInput = ReferralSchemas['Consent'];
export type ConsentView = Present<
  ReferralSchemas['ConsentView'],
  | 'purposes'
  | 'dataCategories'
  | 'givenAt'
  | 'expiresAt'
  | 'formLanguage'
  | 'formVersion'
  | 'interpreterPresent'
  | 'method'
>;
export type Timeline = ReferralSchemas['TimelineView'];
export type NewReferralBody = ReferralSchemas['NewReferral'];
export type ConsentFormListing = Present<
  ReferralSchemas['ConsentFormListing'],
  'version' | 'language' | 'languageName' | 'current'
>;
export type Language = Present<ReferralSchemas['Language'], 'code' | 'name'>;
export type ReturnRiskAssessment = ReferralSchemas['ReturnRiskAssessment'];
export type OnwardReferralBody = ReferralSchemas['OnwardReferral'];
export type PathwayStep = Present<
  ReferralSchemas['PathwayStep'],
  | 'referralId'
  | 'stage'
  | 'status'
  | 'senderOrganisationId'
  | 'senderCountry'
  | 'receiverOrganisationId'
  | 'receiverCountry'
  | 'createdAt'
>;
export type Pathway = Present<Omit<ReferralSchemas['Pathway'], 'referrals'>, 'pathwayId'> & {
  referrals: PathwayStep[];
};

export type Referral = Present<
  Omit<ReferralSchemas['Referral'], 'consent' | 'decline' | 'outcome'>,
  'id' | 'status' | 'yourRole' | 'senderOrganisationId' | 'receiverOrganisationId' | 'summary' | 'createdAt' | 'version'
> & {
  consent?: ConsentView;
  decline?: Present<ReferralSchemas['DeclineView'], 'reason'>;
  outcome?: Present<ReferralSchemas['OutcomeView'], 'outcome'>;
};

/** The deadline that is running now, if any, and whether it has passed. */
export function deadline(r: Referral): { at: string; overdue: boolean } | null {
  const tl = r.timeline ?? {};
  const at = r.status === 'SUBMITTED' ? tl.acknowledgeBy : r.status === 'ACKNOWLEDGED' ? tl.decideBy : undefined;
  if (!at) return null;
  return { at, overdue: new Date(at).getTime() < Date.now() };
}
