import { hasLabel, label, tone, vocabularyValues, type VocabularyName } from './labels';

describe('labels', () => {
  const names = Object.keys(vocabularyValues) as VocabularyName[];

  it('covers every vocabulary of vocabulary.generated.ts', () => {
    expect(names.length).toBeGreaterThan(30);
  });

  it.each(names)('labels every value of %s in Chinese and English', (name) => {
    for (const value of vocabularyValues[name]) {
      for (const language of ['zh-CN', 'en'] as const) {
        expect(hasLabel(name, value, language), `${name}.${value} in ${language}`).toBe(true);
        expect(label(name, value, language).trim(), `${name}.${value} in ${language}`).not.toBe('');
      }
      // Chinese labels are Chinese (proper names such as Tailscale excepted), English ones carry no Chinese.
      expect(label(name, value, 'en')).not.toMatch(/[\u4e00-\u9fff]/);
      if (name !== 'PolicyFormats') expect(label(name, value, 'zh-CN'), `${name}.${value}`).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('shows a value it does not know as itself, and gives it a neutral tone', () => {
    expect(label('AlertTypes', 'solar_flare', 'en')).toBe('solar_flare');
    expect(tone('AlertTypes', 'solar_flare')).toBe('neutral');
    expect(tone('OrderStatuses', 'on_hold')).toBe('neutral');
  });

  it('takes the finance labels from the messages and colours by meaning', () => {
    expect(label('OrderStatuses', 'pending_payment', 'zh-CN')).toBe('待支付');
    expect(label('ServerStatuses', 'unhealthy', 'en')).toBe('Unhealthy');
    expect(tone('ServerStatuses', 'unhealthy')).toBe('danger');
    expect(tone('ServiceStates', 'ready')).toBe('ok');
    expect(tone('ServiceStates', 'provisioning')).toBe('warn');
  });
});
