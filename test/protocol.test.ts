// The shutdown protocol's constants (src/protocol.ts), shared by tierdown and
// tierdown/service: each answer the helper gives means to tierdown what docs/protocol.md says.
import { describe, expect, it } from '@jest/globals';
import { classifyShutdownStatus, SHUTDOWN_STATUS, type ShutdownAnswer } from '../src/protocol.js';

const ANSWERS: [keyof typeof SHUTDOWN_STATUS, ShutdownAnswer][] = [
  ['accepted', 'accepted'],
  ['unauthorized', 'unauthorized'],
  ['methodNotAllowed', 'missing'],
  ['refused', 'rejected'],
  ['internalError', 'rejected'],
  ['tooLarge', 'error'],
];

describe('the helper\'s answers, as tierdown reads them', () => {
  it.each(ANSWERS)('%s → %s', (answer, meaning) => {
    expect(classifyShutdownStatus(SHUTDOWN_STATUS[answer])).toBe(meaning);
  });

  it('reads any 2xx as accepted and 404/501 as no endpoint', () => {
    expect([200, 204, 299].map(classifyShutdownStatus)).toEqual(['accepted', 'accepted', 'accepted']);
    expect([404, 501, 403, 302].map(classifyShutdownStatus)).toEqual(['missing', 'missing', 'unauthorized', 'error']);
  });
});
