import { expect, it } from 'vitest';
import { formatPhoneForDisplay } from '../../../components/sidebar/phone-display';

it.each([
  ['+8613800138000', '+86 138 0013 8000'],
  ['+14155552671', '+1 415 555 2671'],
  ['+861012345678', '+86 10 1234 5678'],
  ['+8675512345678', '+86 755 1234 5678'],
  ['+442079460958', '+442079460958'],
  ['', ''],
])('%s → %s', (input, shown) => {
  expect(formatPhoneForDisplay(input)).toBe(shown);
});
