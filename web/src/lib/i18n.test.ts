import { messages, translate, vocabularyLabel, type VocabularyGroup } from './i18n';
import {
  ApplicationStatuses, CardTypes, CommissionStatuses, DeliveryStatuses, DistributionAuditActions, DistributorStatuses, PayoutStatuses,
  SerialRequestStatuses, SerialStatuses, TierCodes,
  FinanceAuditActions, LedgerEntryTypes, OrderMarks, OrderStatuses, OrderTypes, PaymentAccountChannels, PaymentChannels, ReceiptStatuses,
  RefundMethods, RentalSources, SettlementActions, SettlementBlockers,
} from './vocabulary.generated';

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

describe('vocabulary labels', () => {
  const groups: [VocabularyGroup, readonly string[]][] = [
    ['orderStatus', OrderStatuses], ['orderType', OrderTypes], ['paymentChannel', PaymentChannels], ['accountChannel', PaymentAccountChannels],
    ['ledgerType', LedgerEntryTypes], ['refundMethod', RefundMethods], ['orderMark', OrderMarks], ['receiptStatus', ReceiptStatuses],
    ['settlementBlocker', SettlementBlockers], ['settlementAction', SettlementActions], ['financeAudit', FinanceAuditActions],
    ['rentalSource', RentalSources],
    ['applicationStatus', ApplicationStatuses], ['distributorStatus', DistributorStatuses], ['tier', TierCodes], ['requestStatus', SerialRequestStatuses],
    ['commissionStatus', CommissionStatuses], ['payoutStatus', PayoutStatuses], ['cardType', CardTypes], ['deliveryStatus', DeliveryStatuses],
    ['distributionAudit', DistributionAuditActions], ['serialStatus', SerialStatuses],
  ];

  it('labels every finance and distribution vocabulary value (and rental sources) in both languages', () => {
    for (const [group, values] of groups) {
      for (const value of values) {
        for (const language of ['zh-CN', 'en'] as const) {
          expect(vocabularyLabel(language, group, value), `${language} ${group}_${value}`).not.toBe(value);
        }
      }
    }
  });

  it('shows a value it does not know as itself', () => {
    expect(vocabularyLabel('en', 'orderStatus', 'on_hold')).toBe('on_hold');
    expect(vocabularyLabel('zh-CN', 'orderStatus', 'pending_payment')).toBe('待支付');
  });
});
