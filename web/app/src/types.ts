/** The services' JSON, as docs/api.md and the OpenAPI documents describe it. */

export const SERVICES = [
  'SAFE_ACCOMMODATION', 'PSYCHOLOGICAL_SUPPORT', 'MEDICAL_CARE', 'SEXUAL_AND_REPRODUCTIVE_HEALTH', 'FGM_CARE',
  'LEGAL_ASSISTANCE', 'ECONOMIC_EMPOWERMENT', 'CHILDCARE_AND_MOTHER_SUPPORT', 'INTERPRETATION_AND_CULTURAL_MEDIATION',
  'PEER_SUPPORT', 'LANGUAGE_COURSES', 'MATERIAL_ASSISTANCE', 'RETURN_AND_REINTEGRATION',
] as const;
export const URGENCIES = ['EMERGENCY', 'URGENT', 'ROUTINE'] as const;
export const AGE_BANDS = ['UNDER_18', 'AGE_18_24', 'AGE_25_34', 'AGE_35_44', 'AGE_45_54', 'AGE_55_PLUS', 'UNKNOWN'] as const;
export const CHILD_AGE_BANDS = ['UNDER_1', 'AGE_1_5', 'AGE_6_11', 'AGE_12_17'] as const;
export const SAFETY_RISKS = ['LOW', 'MODERATE', 'HIGH', 'CRITICAL'] as const;
export const DECLINE_REASONS = ['NO_CAPACITY', 'SERVICE_NOT_OFFERED', 'ELIGIBILITY_NOT_MET', 'LANGUAGE_NOT_SUPPORTED', 'SAFETY_CONCERN', 'OUT_OF_AREA', 'OTHER'] as const;
export const OUTCOMES = ['SERVICES_PROVIDED', 'PARTIALLY_PROVIDED', 'SURVIVOR_DECLINED', 'UNABLE_TO_CONTACT', 'SURVIVOR_MOVED_ON', 'REFERRED_ONWARD', 'OTHER'] as const;
export const PURPOSES = ['REFERRAL', 'CASE_TRANSFER'] as const;
export const DATA_CATEGORIES = ['IDENTITY', 'CONTACT', 'IMMIGRATION_STATUS', 'HEALTH', 'CHILDREN', 'LEGAL_PROCEEDINGS', 'EXPLOITATION_HISTORY', 'DOCUMENTS'] as const;
export const CONSENT_METHODS = ['SIGNED_FORM', 'VERBAL_WITNESSED', 'ELECTRONIC'] as const;
export const CAPACITY_UNITS = ['BEDS', 'PLACES', 'CASES'] as const;

export interface Organisation {
  id: string;
  name: string;
  description?: string;
  country: string;
  region?: string;
  services: string[];
  languages: string[];
  eligibility: { womenOnly: boolean; acceptsMinors: boolean; minAge?: number | null; maxAge?: number | null; acceptsWomenWithChildren: boolean };
  capacity?: { available: number; maximum?: number | null; unit: string; updatedAt?: string };
  contactHours?: { dayOfWeek: string; opens: string; closes: string }[];
  membershipStatus: string;
  version: number;
}

export interface OrganisationPage {
  items: Organisation[];
  nextCursor?: string | null;
}

export interface Summary {
  urgency: string;
  requestedServices: string[];
  languages?: string[];
  ageBand: string;
  accompanyingChildren?: string[];
  safetyRisk: string;
  arrivalEarliest?: string | null;
  arrivalLatest?: string | null;
}

export interface ConsentInput {
  recipients?: string[];
  purposes: string[];
  dataCategories: string[];
  givenAt: string;
  expiresAt: string;
  formLanguage: string;
  formVersion: string;
  interpreterPresent: boolean;
  method: string;
  withdrawnAt?: string | null;
}

export interface Timeline {
  submittedAt?: string;
  acknowledgeBy?: string;
  acknowledgedAt?: string;
  decideBy?: string;
  decidedAt?: string;
  startedAt?: string;
  closedAt?: string;
}

export interface Referral {
  id: string;
  status: string;
  yourRole: 'SENDER' | 'RECEIVER';
  senderOrganisationId: string;
  senderCountry?: string;
  receiverOrganisationId: string;
  receiverCountry?: string;
  summary: Summary;
  timeline?: Timeline;
  decline?: { reason: string; note?: string };
  outcome?: { outcome: string; note?: string };
  consent?: ConsentInput;
  redirectedFrom?: string;
  createdAt: string;
  version: number;
}

/** The deadline that is running now, if any, and whether it has passed. */
export function deadline(r: Referral): { at: string; overdue: boolean } | null {
  const tl = r.timeline ?? {};
  const at = r.status === 'SUBMITTED' ? tl.acknowledgeBy : r.status === 'ACKNOWLEDGED' ? tl.decideBy : undefined;
  if (!at) return null;
  return { at, overdue: new Date(at).getTime() < Date.now() };
}
