import { MemberItem, readItem, SessionItem } from '../../../lambdas/adapters/dynamo/item-schemas.ts';

const member = {
  pk: 'MEMBER#k',
  sk: 'PROFILE',
  groupPk: 'CLIENT#ACME',
  key: 'k',
  memberId: 'm',
  firstName: 'Claire',
  lastName: 'Dubois',
  maskedNir: '2 95 ** ** *** *** 93',
  codeSalt: 'c2FsdA',
  codeVersion: 2,
  personalCodeHash: '$argon2id$secret-hash',
};

describe('items are read by their schema', () => {
  it('a record keeps its fields and drops the table’s keys', () => {
    const read = readItem(MemberItem, member, 'member');
    expect(read).toMatchObject({ key: 'k', codeVersion: 2 });
    expect(read).not.toHaveProperty('pk');
    expect(read).not.toHaveProperty('groupPk');
  });

  it('a corrupted item fails the read, naming the kind and fields — never a value it holds', () => {
    const corrupted = { ...member, codeVersion: '2', firstName: 7 };
    let message = '';
    try {
      readItem(MemberItem, corrupted, 'member');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('a member item in the table does not have the expected shape (codeVersion, firstName)');
    expect(message).not.toContain('argon2');
  });

  it('a session without its refresh hash is refused, not handed on with the hash undefined', () => {
    expect(() => readItem(SessionItem, { sid: 's', memberKey: 'k' }, 'session')).toThrow(/session item/);
  });
});
