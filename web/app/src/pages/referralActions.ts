import type { Referral } from '../types';

/**
 * What the referral page offers on a referral, from her referral's state and the viewer's side. The page renders
 * exactly these, so that it can also say when there is nothing left to do instead of showing an empty heading.
 * `complete` and `withdraw` are offered by state; whether the server has the operation decides between the form
 * and a "not available" hint on the page.
 */
export type ReferralAction =
  | 'acknowledge'
  | 'accept'
  | 'start'
  | 'cancel'
  | 'submitDraft'
  | 'onward'
  | 'redirect'
  | 'recordAssessment'
  | 'decline'
  | 'complete'
  | 'withdraw';

/** The states in which nothing can be withdrawn any more. */
const CLOSED = ['WITHDRAWN', 'CANCELLED', 'COMPLETED', 'DECLINED'];

/**
 * @param op whether the server offers `POST /api/v1/referrals/{id}/<sub>` to this member
 * @param can whether the server offers an operation, by its key (`METHOD /path`)
 */
export function referralActions(
  r: Pick<Referral, 'status' | 'yourRole' | 'stage' | 'returnRiskAssessment'>,
  op: (sub: string) => boolean,
  can: (operation: string) => boolean,
): Set<ReferralAction> {
  const sender = r.yourRole === 'SENDER';
  const s = r.status;
  const offered: [ReferralAction, boolean][] = [
    ['acknowledge', !sender && s === 'SUBMITTED'],
    ['accept', !sender && s === 'ACKNOWLEDGED'],
    ['start', !sender && s === 'ACCEPTED' && op('start')],
    ['cancel', sender && ['SUBMITTED', 'ACKNOWLEDGED', 'DRAFT'].includes(s)],
    ['submitDraft', sender && s === 'DRAFT' && op('submission')],
    ['onward', !sender && ['ACCEPTED', 'IN_PROGRESS', 'COMPLETED'].includes(s) && op('onward-referral')],
    ['redirect', sender && s === 'DECLINED'],
    [
      'recordAssessment',
      sender &&
        s === 'DRAFT' &&
        r.stage === 'RETURN_AND_REINTEGRATION' &&
        !r.returnRiskAssessment &&
        can('PUT /api/v1/referrals/{id}/return-risk-assessment'),
    ],
    ['decline', !sender && s === 'ACKNOWLEDGED'],
    ['complete', !sender && s === 'IN_PROGRESS'],
    ['withdraw', !CLOSED.includes(s)],
  ];
  return new Set(offered.filter(([, on]) => on).map(([a]) => a));
}
