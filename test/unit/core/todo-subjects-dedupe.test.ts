// The follower's subjects without repeats (core/todos/subjects.ts dedupe): a warning's unit (a part)
// is derived alone unless the whole warning is derived in the same pass; a part of a type that
// derives no parts stands for its whole subject.
import { dedupe } from '../../../core/todos/subjects';

test('parts stay alone, fall to their whole subject, and repeats go', () => {
  expect(
    dedupe([
      { type: 'warning', id: 'w1', part: 'u1' },
      { type: 'warning', id: 'w1', part: 'u2' },
      { type: 'warning', id: 'w1', part: 'u1' },
      { type: 'warning', id: 'w2', part: 'u1' },
      { type: 'warning', id: 'w2' },
      { type: 'hazard', id: 'h1', part: 'x' },
      { type: 'hazard', id: 'h1' },
      { type: 'digest', id: 'd1' },
    ]),
  ).toEqual([
    { type: 'warning', id: 'w1', part: 'u1' },
    { type: 'warning', id: 'w1', part: 'u2' },
    { type: 'warning', id: 'w2' },
    { type: 'hazard', id: 'h1' },
  ]);
});
