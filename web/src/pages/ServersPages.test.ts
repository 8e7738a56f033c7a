import { describe, expect, it } from 'vitest';
import { bytes } from './ServersPages';

describe('bytes', () => {
  it('picks the largest binary unit below the value', () => {
    expect(bytes(0)).toBe('0 B');
    expect(bytes(1023)).toBe('1023 B');
    expect(bytes(1536)).toBe('1.5 KiB');
    expect(bytes(5 * 1024 ** 3)).toBe('5.0 GiB');
  });
});
