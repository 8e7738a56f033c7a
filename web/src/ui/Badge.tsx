import { useI18n } from '../lib/i18n';
import { label, tone, type VocabularyName } from '../lib/labels';

/** A vocabulary value as its translated label in its tone's colour; data-value keeps the raw value for tests and styles. */
export function Badge({ vocabulary, value, testId }: { vocabulary: VocabularyName; value: string; testId?: string }) {
  const { language } = useI18n();
  return (
    <span className={`badge tone-${tone(vocabulary, value)}`} data-value={value} data-testid={testId}>
      {label(vocabulary, value, language)}
    </span>
  );
}
