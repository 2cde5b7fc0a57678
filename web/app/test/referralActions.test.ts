/** What the referral page offers in each state, to each side: and that a closed referral offers nothing. */
import { describe, expect, it } from 'vitest';
import { referralActions } from '../src/pages/referralActions';

type Input = Parameters<typeof referralActions>[0];

const all = () => true;
const none = () => false;
const actions = (r: Partial<Input>, op: (s: string) => boolean = all, can: (o: string) => boolean = all) =>
  [...referralActions({ status: 'SUBMITTED', yourRole: 'SENDER', ...r } as Input, op, can)].sort();

describe('the actions on a referral', () => {
  it('let the receiver acknowledge a submitted referral, and the sender cancel it', () => {
    expect(actions({ status: 'SUBMITTED', yourRole: 'RECEIVER' })).toEqual(['acknowledge', 'withdraw']);
    expect(actions({ status: 'SUBMITTED', yourRole: 'SENDER' })).toEqual(['cancel', 'withdraw']);
  });

  it('let the receiver accept or decline an acknowledged referral', () => {
    expect(actions({ status: 'ACKNOWLEDGED', yourRole: 'RECEIVER' })).toEqual(['accept', 'decline', 'withdraw']);
  });

  it('offer start and onward only where the server has them', () => {
    expect(actions({ status: 'ACCEPTED', yourRole: 'RECEIVER' })).toEqual(['onward', 'start', 'withdraw']);
    expect(actions({ status: 'ACCEPTED', yourRole: 'RECEIVER' }, none)).toEqual(['withdraw']);
  });

  it('let the sender submit a draft and record a missing return assessment', () => {
    const draft = { status: 'DRAFT', yourRole: 'SENDER', stage: 'RETURN_AND_REINTEGRATION' } as Partial<Input>;
    expect(actions(draft)).toEqual(['cancel', 'recordAssessment', 'submitDraft', 'withdraw']);
    expect(actions({ ...draft, returnRiskAssessment: {} as Input['returnRiskAssessment'] })).toEqual([
      'cancel',
      'submitDraft',
      'withdraw',
    ]);
    expect(actions(draft, all, none)).toEqual(['cancel', 'submitDraft', 'withdraw']);
  });

  it('offer completion by state, whatever the server has (the page says when it is not available)', () => {
    expect(actions({ status: 'IN_PROGRESS', yourRole: 'RECEIVER' }, none)).toEqual(['complete', 'withdraw']);
  });

  it('let the sender redirect a declined referral, and the receiver refer a completed one onwards', () => {
    expect(actions({ status: 'DECLINED', yourRole: 'SENDER' })).toEqual(['redirect']);
    expect(actions({ status: 'COMPLETED', yourRole: 'RECEIVER' })).toEqual(['onward']);
  });

  it('offer nothing on a closed referral but its redirect or onward referral', () => {
    for (const status of ['WITHDRAWN', 'CANCELLED', 'COMPLETED', 'DECLINED'])
      for (const yourRole of ['SENDER', 'RECEIVER'])
        expect(actions({ status, yourRole } as Partial<Input>, none), status + ' ' + yourRole).toEqual(
          status === 'DECLINED' && yourRole === 'SENDER' ? ['redirect'] : [],
        );
    expect(actions({ status: 'WITHDRAWN', yourRole: 'RECEIVER' })).toEqual([]);
    expect(actions({ status: 'CANCELLED', yourRole: 'SENDER' })).toEqual([]);
    expect(actions({ status: 'COMPLETED', yourRole: 'SENDER' })).toEqual([]);
  });
});
