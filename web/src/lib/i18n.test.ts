import { messages, translate } from './i18n';

describe('i18n', () => {
  it('has every Chinese message in English too, and none empty', () => {
    const zhKeys = Object.keys(messages['zh-CN']).sort();
    expect(Object.keys(messages.en).sort()).toEqual(zhKeys);
    for (const language of ['zh-CN', 'en'] as const) {
      for (const key of zhKeys) expect(messages[language][key as keyof (typeof messages)['en']].trim()).not.toBe('');
    }
  });

  it('fills placeholders', () => {
    expect(translate('en', 'welcome', { name: 'Ann' })).toBe('Welcome, Ann');
    expect(translate('zh-CN', 'total', { n: 3 })).toBe('共 3 条');
  });
});
