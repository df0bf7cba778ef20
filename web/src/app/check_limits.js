// The sentence that states the second-device check limits (GET /api/election `cast_check`,
// docs/ballots.md 12) in the page's language, with a singular form for a count of 1 ("once",
// "1 minute"): catalogue keys castcheck.times/minutes/seconds .one (no number) and .other ({n}).
import { t } from './i18n.js';

const counted = (base, n) => (n === 1 ? t(`${base}.one`) : t(`${base}.other`, { n }));

export function checkLimitsText(limits) {
  const window =
    limits.window_seconds % 60 === 0
      ? counted('castcheck.minutes', limits.window_seconds / 60)
      : counted('castcheck.seconds', limits.window_seconds);
  return t('castcheck.limits', { times: counted('castcheck.times', limits.lookups), window });
}
